use super::choice::choice;
use crate::domain::directory::DegreeLevel;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, programs::ProgramFields};
use serde_json::{Map, Value};

/// `{ name?, discipline, degree_level, accreditor?, accredited_until? }` (API.md "Directory").
/// `name` is an extension API.md does not list, so it is never required: absent or null on
/// create (null on update), the use case derives one.
pub fn program(body: Map<String, Value>, creating: bool) -> Parsed<ProgramFields> {
    let mut i = Input::new(
        body,
        &[
            "name",
            "discipline",
            "degree_level",
            "accreditor",
            "accredited_until",
        ],
    );
    let name = i.optional("name", &parse::text);
    let discipline = i.field("discipline", creating, &parse::text);
    let degree_level = i.field(
        "degree_level",
        creating,
        &choice(DegreeLevel::parse, DegreeLevel::words()),
    );
    let accreditor = i.optional("accreditor", &parse::text);
    let accredited_until = i.optional("accredited_until", &parse::date);
    i.into_parsed(ProgramFields {
        name,
        discipline,
        degree_level,
        accreditor,
        accredited_until,
    })
}
