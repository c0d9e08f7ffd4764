use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, schools::SchoolFields};
use serde_json::{Map, Value};

body! {
    pub struct SchoolInput {
        name: String,
        city: String,
        state: String,
    }
}

/// `{ name, city, state }` (API.md "Directory").
pub fn school(body: Map<String, Value>, creating: bool) -> Parsed<SchoolFields> {
    let (mut i, b) = Input::read::<SchoolInput>(body);
    let name = i.field(&b.name, creating, &parse::text);
    let city = i.field(&b.city, creating, &parse::text);
    let state = i.field(&b.state, creating, &parse::text);
    i.into_parsed(SchoolFields { name, city, state })
}
