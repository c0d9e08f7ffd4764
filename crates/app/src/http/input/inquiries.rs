use crate::domain::{ErrorCode, inquiry::INTERESTS};
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{
    Parsed,
    inquiries::{InquiryFields, InquiryStatusFields},
};
use serde_json::{Map, Value};

/// The statuses an inquiry moves through, for messages and filters.
pub const STATUSES: &str = "new, contacted, closed";

body! {
    pub struct InquiryInput {
        name: String,
        email: String,
        is_student: bool,
        /// clinical, internship, observership, volunteer
        interest: String,
        school: Option<String>,
        program: Option<String>,
        message: Option<String>,
        /// The hidden field that catches robots: a person leaves it empty.
        #[schema(ignore)]
        website: Option<String>,
    }
}

/// `{ name, email, is_student?, interest, school?, program?, message? }` and the hidden
/// `website` field that catches robots (API.md "Inquiries").
pub fn inquiry(body: Map<String, Value>) -> Parsed<InquiryFields> {
    let (mut i, b) = Input::read::<InquiryInput>(body);
    let name = i.field(&b.name, true, &parse::text);
    let email = i.field(&b.email, true, &parse::email);
    let is_student = i.field(&b.is_student, false, &parse::boolean);
    let interest = i.field(
        &b.interest,
        true,
        &parse::word(|s| INTERESTS.contains(&s), INTERESTS.join(", ")),
    );
    let school = i.optional(&b.school, &parse::text);
    let program = i.optional(&b.program, &parse::text);
    let message = i.optional(&b.message, &|v| match v {
        Value::String(s) if s.chars().count() <= 4000 => Ok(s.trim().to_string()),
        Value::String(_) => Err((ErrorCode::TooLong, "at most 4000 characters".into())),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    let robot = i.optional(&b.website, &parse::text).flatten().is_some();
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

body! {
    pub struct InquiryStatusInput {
        /// new, contacted, closed
        status: String,
    }
}

/// `{ status }`: new, contacted or closed.
pub fn status(body: Map<String, Value>) -> Parsed<InquiryStatusFields> {
    let (mut i, b) = Input::read::<InquiryStatusInput>(body);
    let status = i.field(
        &b.status,
        true,
        &parse::word(
            |s| ["new", "contacted", "closed"].contains(&s),
            STATUSES.into(),
        ),
    );
    i.into_parsed(InquiryStatusFields { status })
}
