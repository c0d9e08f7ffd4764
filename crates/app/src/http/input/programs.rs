use super::choice::choice;
use crate::domain::directory::DegreeLevel;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, programs::ProgramFields};
use serde_json::{Map, Value};

body! {
    pub struct ProgramInput {
        name: String,
        /// A discipline code from the catalog.
        discipline: String,
        /// certificate, associate, baccalaureate, masters, doctoral
        degree_level: String,
        /// Defaults to the discipline's usual accreditor.
        accreditor: Option<String>,
        accredited_until: Option<String>,
    }
}

/// `{ name, discipline, degree_level, accreditor?, accredited_until? }` (API.md "Directory").
pub fn program(body: Map<String, Value>, creating: bool) -> Parsed<ProgramFields> {
    let (mut i, b) = Input::read::<ProgramInput>(body);
    let name = i.field(&b.name, creating, &parse::text);
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
