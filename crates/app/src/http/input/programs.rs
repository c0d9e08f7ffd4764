use super::choice::choice;
use crate::domain::directory::DegreeLevel;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, programs::ProgramFields};
use serde_json::{Map, Value};

body! {
    pub struct ProgramInput {
        /// Optional: without one (or blank, or null) the program is named from its degree and
        /// discipline, e.g. "Associate in Radiography".
        name: Option<String>,
        /// A discipline code from the catalog.
        discipline: String,
        /// certificate, associate, baccalaureate, masters, doctoral
        degree_level: String,
        /// Defaults to the discipline's usual accreditor.
        accreditor: Option<String>,
        accredited_until: Option<String>,
    }
}

/// `{ name?, discipline, degree_level, accreditor?, accredited_until? }` (API.md "Directory").
/// `name` is an extension API.md does not list, so it is never required: absent or null on
/// create (null on update), the use case derives one.
pub fn program(body: Map<String, Value>, creating: bool) -> Parsed<ProgramFields> {
    let (mut i, b) = Input::read::<ProgramInput>(body);
    let name = i.optional(&b.name, &parse::text);
    let discipline = i.field(&b.discipline, creating, &parse::text);
    let degree_level = i.field(
        &b.degree_level,
        creating,
        &choice(DegreeLevel::parse, DegreeLevel::words()),
    );
    let accreditor = i.optional(&b.accreditor, &parse::text);
    let accredited_until = i.optional(&b.accredited_until, &parse::date);
    i.into_parsed(ProgramFields {
        name,
        discipline,
        degree_level,
        accreditor,
        accredited_until,
    })
}

/// The programs list's `accreditation_ending_within=N` (API and page alike): accreditation
/// ending between today and N days on (0..=3650, inclusive); otherwise 422 `invalid_number`.
pub fn accreditation_window(
    params: &crate::http::extract::Params,
    today: chrono::NaiveDate,
) -> crate::http::error::AppResult<Option<(chrono::NaiveDate, chrono::NaiveDate)>> {
    const KEY: &str = "accreditation_ending_within";
    match params.get(KEY) {
        None => Ok(None),
        Some(d) => match d.parse::<i64>() {
            Ok(n) if (0..=3650).contains(&n) => {
                Ok(Some((today, today + chrono::Duration::days(n))))
            }
            _ => Err(crate::http::error::AppError::invalid(
                KEY,
                crate::domain::ErrorCode::InvalidNumber,
                "must be a whole number of days (0 to 3650)",
            )),
        },
    }
}
