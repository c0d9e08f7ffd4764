use crate::http::extract::{Input, parse};
use crate::service::{Parsed, sites::SiteFields};
use serde_json::{Map, Value};

/// `{ name }` (API.md "Directory").
pub fn site(body: Map<String, Value>, creating: bool) -> Parsed<SiteFields> {
    let mut i = Input::new(body, &["name"]);
    let name = i.field("name", creating, &parse::text);
    i.into_parsed(SiteFields { name })
}
