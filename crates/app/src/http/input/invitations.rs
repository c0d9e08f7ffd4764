use super::users::password;
use crate::http::body::body;
use crate::http::extract::Input;
use crate::service::{Parsed, invitations::AcceptFields};
use serde_json::{Map, Value};

body! {
    pub struct AcceptInvitationInput {
        /// At least 10 characters.
        password: String,
    }
}

/// `{ password }` (API.md "Auth").
pub fn accept(body: Map<String, Value>) -> Parsed<AcceptFields> {
    let (mut i, b) = Input::read::<AcceptInvitationInput>(body);
    let password = i.field(&b.password, true, &password);
    i.into_parsed(AcceptFields { password })
}
