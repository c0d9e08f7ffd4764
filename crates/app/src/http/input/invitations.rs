use super::users::password;
use crate::http::extract::Input;
use crate::service::{Parsed, invitations::AcceptFields};
use serde_json::{Map, Value};

/// `{ password }` (API.md "Auth").
pub fn accept(body: Map<String, Value>) -> Parsed<AcceptFields> {
    let mut i = Input::new(body, &["password"]);
    let password = i.field("password", true, &password);
    i.into_parsed(AcceptFields { password })
}
