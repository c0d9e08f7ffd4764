use super::choice::choice;
use crate::db;
use crate::domain::{directory::EnrollmentStatus, scope::Scope};
use crate::error::AppError;
use crate::http::body::body;
use crate::http::extract::{Input, Params, parse};
use crate::service::{Parsed, students::StudentFields};
use serde_json::{Map, Value};

body! {
    pub struct StudentInput {
        /// A school coordinator may leave it out: their own school.
        school_id: String,
        program_id: String,
        first_name: String,
        last_name: String,
        email: String,
        /// enrolled (default), leave, graduated, withdrawn
        enrollment_status: Option<String>,
        expected_graduation: Option<String>,
    }
}

/// `{ school_id, program_id, first_name, last_name, email, enrollment_status?,
/// expected_graduation? }` (API.md "Directory"). A caller whose scope is a school may leave
/// `school_id` out: their own.
pub fn student(body: Map<String, Value>, creating: bool, scope: &Scope) -> Parsed<StudentFields> {
    let (mut i, b) = Input::read::<StudentInput>(body);
    let school_id = i.field(
        &b.school_id,
        creating && scope.school().is_none(),
        &parse::id,
    );
    let program_id = i.field(&b.program_id, creating, &parse::id);
    let first_name = i.field(&b.first_name, creating, &parse::text);
    let last_name = i.field(&b.last_name, creating, &parse::text);
    let email = i.field(&b.email, creating, &parse::email);
    let enrollment_status = i.field(
        &b.enrollment_status,
        false,
        &choice(EnrollmentStatus::parse, EnrollmentStatus::words()),
    );
    let expected_graduation = i.optional(&b.expected_graduation, &parse::date);
    i.into_parsed(StudentFields {
        school_id,
        program_id,
        first_name,
        last_name,
        email,
        enrollment_status,
        expected_graduation,
    })
}

/// The list's filters from the query string.
pub fn filter(params: &Params) -> Result<db::students::Filter, AppError> {
    Ok(db::students::Filter {
        school_id: params.id("school_id")?,
        program_id: params.id("program_id")?,
        status: params.word(
            "status",
            |s| EnrollmentStatus::parse(s).is_some(),
            &EnrollmentStatus::words(),
        )?,
        q: params.get("q"),
    })
}
