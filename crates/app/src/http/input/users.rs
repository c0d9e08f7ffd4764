use crate::domain::{ErrorCode, Role};
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, users::NewUserFields};
use serde_json::{Map, Value};

/// The roles, for error messages.
pub fn role_words() -> String {
    Role::ALL
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A password strong enough (`password::check_strength`).
pub fn password(v: &Value) -> Result<String, (ErrorCode, String)> {
    match v {
        Value::String(s) => crate::password::check_strength(s)
            .map(|_| s.clone())
            .map_err(|m| (ErrorCode::WeakPassword, m.to_string())),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    }
}

/// `{ email, name, role, password?, school_id?, staff_id?, student_id? }` (API.md "Directory").
pub fn new_user(body: Map<String, Value>) -> Parsed<NewUserFields> {
    let mut i = Input::new(
        body,
        &[
            "email",
            "name",
            "role",
            "password",
            "school_id",
            "staff_id",
            "student_id",
        ],
    );
    let email = i.field("email", true, &parse::email);
    let name = i.field("name", true, &parse::text);
    let role = i.field("role", true, &|v| {
        v.as_str().and_then(Role::parse).ok_or((
            ErrorCode::InvalidChoice,
            format!("must be one of: {}", role_words()),
        ))
    });
    let password = i.optional("password", &password);
    let school_id = i.optional("school_id", &parse::id);
    let staff_id = i.optional("staff_id", &parse::id);
    let student_id = i.optional("student_id", &parse::id);
    i.into_parsed(NewUserFields {
        email,
        name,
        role,
        password,
        school_id,
        staff_id,
        student_id,
    })
}
