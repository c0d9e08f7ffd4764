use super::choice::choice;
use crate::db;
use crate::domain::{directory::EnrollmentStatus, scope::Scope};
use crate::error::AppError;
use crate::http::body::body;
use crate::http::extract::{Input, Params, parse};
use crate::service::{
    Parsed,
    enrollments::{NewEnrollment, Transfer},
    students::StudentFields,
};
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

body! {
    pub struct TransferInput {
        /// The receiving school; left out: the caller's own, else the program's.
        school_id: String,
        /// A program of the receiving school.
        program_id: String,
        /// Which current enrollment moves; absent: the primary one.
        enrollment_id: Option<String>,
    }
}

/// `{ school_id, program_id, enrollment_id? }` (API.md `POST /api/v1/students/{id}/transfer`);
/// `school_id` may be left out: the caller's school, else the program's.
pub fn transfer(body: Map<String, Value>) -> Parsed<Transfer> {
    let (mut i, b) = Input::read::<TransferInput>(body);
    let school_id = i.field(&b.school_id, false, &parse::id);
    let program_id = i.field(&b.program_id, true, &parse::id);
    let enrollment_id = i.field(&b.enrollment_id, false, &parse::id);
    i.into_parsed(Transfer {
        school_id,
        program_id,
        enrollment_id,
    })
}

body! {
    pub struct EnrollmentInput {
        /// A program (its school is the enrollment's); fixed once the enrollment exists.
        program_id: String,
        /// enrolled (default), leave, graduated, withdrawn
        enrollment_status: Option<String>,
        expected_graduation: Option<String>,
    }
}

/// `{ program_id, enrollment_status?, expected_graduation? }`: a new enrollment
/// (`creating`: `program_id` required) or a change to one.
pub fn enrollment(body: Map<String, Value>, creating: bool) -> Parsed<NewEnrollment> {
    let (mut i, b) = Input::read::<EnrollmentInput>(body);
    let program_id = i.field(&b.program_id, creating, &parse::id);
    let enrollment_status = i.field(
        &b.enrollment_status,
        false,
        &choice(EnrollmentStatus::parse, EnrollmentStatus::words()),
    );
    let expected_graduation = i.optional(&b.expected_graduation, &parse::date);
    i.into_parsed(NewEnrollment {
        program_id,
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
