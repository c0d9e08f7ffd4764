use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, sites::SiteFields};
use serde_json::{Map, Value};

body! {
    pub struct SiteInput {
        name: String,
    }
}

/// `{ name }` (API.md "Directory").
pub fn site(body: Map<String, Value>, creating: bool) -> Parsed<SiteFields> {
    let (mut i, b) = Input::read::<SiteInput>(body);
    let name = i.field(&b.name, creating, &parse::text);
    i.into_parsed(SiteFields { name })
}
