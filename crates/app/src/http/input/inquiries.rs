use crate::domain::{ErrorCode, inquiry::INTERESTS};
use crate::http::extract::{Input, parse};
use crate::service::{
    Parsed,
    inquiries::{InquiryFields, InquiryStatusFields},
};
use serde_json::{Map, Value};

/// The statuses an inquiry moves through, for messages and filters.
pub const STATUSES: &str = "new, contacted, closed";

/// `{ name, email, is_student?, interest, school?, program?, message? }` and the hidden
/// `website` field that catches robots (API.md "Inquiries").
pub fn inquiry(body: Map<String, Value>) -> Parsed<InquiryFields> {
    let mut i = Input::new(
        body,
        &[
            "name",
            "email",
            "is_student",
            "interest",
            "school",
            "program",
            "message",
            "website",
        ],
    );
    let name = i.field("name", true, &parse::text);
    let email = i.field("email", true, &parse::email);
    let is_student = i.field("is_student", false, &parse::boolean);
    let interest = i.field(
        "interest",
        true,
        &parse::word(|s| INTERESTS.contains(&s), INTERESTS.join(", ")),
    );
    let school = i.optional("school", &parse::text);
    let program = i.optional("program", &parse::text);
    let message = i.optional("message", &|v| match v {
        Value::String(s) if s.chars().count() <= 4000 => Ok(s.trim().to_string()),
        Value::String(_) => Err((ErrorCode::TooLong, "at most 4000 characters".into())),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    let robot = i.optional("website", &parse::text).flatten().is_some();
    i.into_parsed(InquiryFields {
        name,
        email,
        is_student,
        interest,
        school,
        program,
        message,
        robot,
    })
}

/// `{ status }`: new, contacted or closed.
pub fn status(body: Map<String, Value>) -> Parsed<InquiryStatusFields> {
    let mut i = Input::new(body, &["status"]);
    let status = i.field(
        "status",
        true,
        &parse::word(
            |s| ["new", "contacted", "closed"].contains(&s),
            STATUSES.into(),
        ),
    );
    i.into_parsed(InquiryStatusFields { status })
}
