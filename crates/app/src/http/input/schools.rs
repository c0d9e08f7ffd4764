use crate::http::extract::{Input, parse};
use crate::service::{Parsed, schools::SchoolFields};
use serde_json::{Map, Value};

/// `{ name, city, state }` (API.md "Directory").
pub fn school(body: Map<String, Value>, creating: bool) -> Parsed<SchoolFields> {
    let mut i = Input::new(body, &["name", "city", "state"]);
    let name = i.field("name", creating, &parse::text);
    let city = i.field("city", creating, &parse::text);
    let state = i.field("state", creating, &parse::text);
    i.into_parsed(SchoolFields { name, city, state })
}
