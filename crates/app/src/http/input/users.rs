use crate::domain::{ErrorCode, Role};
use crate::http::body::body;
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

/// A password strong enough and not a common or breached one (`password::check_strength`):
/// `weak_password` or `password_breached`.
pub fn password(v: &Value) -> Result<String, (ErrorCode, String)> {
    match v {
        Value::String(s) => crate::password::check_strength(s)
            .map(|_| s.clone())
            .map_err(|(code, m)| (code, m.to_string())),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    }
}

body! {
    pub struct UserInput {
        email: String,
        name: String,
        /// admin, coordinator, school_coordinator, student, preceptor, faculty, department_manager
        role: String,
        /// At least 10 characters. Without one, the user cannot sign in until given one.
        password: Option<String>,
        /// Required for school_coordinator and faculty.
        school_id: Option<String>,
        /// Required for preceptor and department_manager.
        staff_id: Option<String>,
        /// Required for student.
        student_id: Option<String>,
    }
}

/// `{ email, name, role, password?, school_id?, staff_id?, student_id? }` (API.md "Directory").
pub fn new_user(body: Map<String, Value>) -> Parsed<NewUserFields> {
    let (mut i, b) = Input::read::<UserInput>(body);
    let email = i.field(&b.email, true, &parse::email);
    let name = i.field(&b.name, true, &parse::text);
    let role = i.field(&b.role, true, &|v| {
        v.as_str().and_then(Role::parse).ok_or((
            ErrorCode::InvalidChoice,
            format!("must be one of: {}", role_words()),
        ))
    });
    let password = i.optional(&b.password, &password);
    let school_id = i.optional(&b.school_id, &parse::id);
    let staff_id = i.optional(&b.staff_id, &parse::id);
    let student_id = i.optional(&b.student_id, &parse::id);
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

/// A user's email and name alone (the import reads the role and links itself).
pub fn new_user_fields(body: Map<String, Value>) -> Parsed<NewUserFields> {
    let (mut i, b) = Input::read::<UserInput>(body);
    let email = i.field(&b.email, false, &parse::email);
    let name = i.field(&b.name, false, &parse::text);
    i.into_parsed(NewUserFields {
        email,
        name,
        ..NewUserFields::default()
    })
}
