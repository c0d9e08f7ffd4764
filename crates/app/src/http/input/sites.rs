use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, sites::SiteFields};
use serde_json::{Map, Value};

body! {
    pub struct SiteInput {
        name: String,
        address: Option<String>,
        arrival_notes: Option<String>,
    }
}

/// `{ name, address?, arrival_notes? }` (API.md "Directory"; the two optional fields added
/// for the placement page and the welcome letter, issue 15 point 1; null clears them).
pub fn site(body: Map<String, Value>, creating: bool) -> Parsed<SiteFields> {
    let (mut i, b) = Input::read::<SiteInput>(body);
    let name = i.field(&b.name, creating, &parse::text);
    let address = i.optional(&b.address, &parse::text);
    let arrival_notes = i.optional(&b.arrival_notes, &parse::text);
    i.into_parsed(SiteFields {
        name,
        address,
        arrival_notes,
    })
}
