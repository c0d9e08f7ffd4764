//! A student's enrollments: transfers to another school or program, a second enrollment, a
//! change to one (DOMAIN.md "Student"; issue 12 point 4). The person's own fields are
//! `service::students`'.
use super::{Parsed, Principal, ensure};
use crate::db::{self, Tx, enrollments::Enrollment, new_id, students::Student};
use crate::domain::{
    ErrorCode,
    directory::EnrollmentStatus,
    policy::{Action, Resource},
    scope::Scope,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};

/// Ends `from` as transferred and starts the same enrollment (status, expected graduation)
/// in `program_id` at `school_id`: the person, their documents and history stay; the
/// enrollment they left stays as history.
pub(super) async fn move_enrollment(
    tx: &mut Tx,
    from: &Enrollment,
    school_id: &str,
    program_id: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let mut ended = from.clone();
    ended.ended_at = Some(at);
    ended.ended_reason = Some("transferred".into());
    db::enrollments::update(tx, &ended).await?;
    db::enrollments::insert(
        tx,
        &Enrollment {
            id: new_id(),
            student_id: from.student_id.clone(),
            school_id: school_id.to_string(),
            program_id: program_id.to_string(),
            status: from.status.clone(),
            expected_graduation: from.expected_graduation,
            started_at: at,
            ended_at: None,
            ended_reason: None,
        },
    )
    .await?;
    Ok(())
}

/// A transfer (API.md `POST /api/v1/students/{id}/transfer`): the enrollment to move (default:
/// the primary one) and where to.
#[derive(Clone, Debug, Default)]
pub struct Transfer {
    pub school_id: Option<String>,
    pub program_id: Option<String>,
    /// An id of one of the student's current enrollments; absent: the primary one.
    pub enrollment_id: Option<String>,
}

/// A new enrollment alongside the student's others (a certificate alongside a degree).
#[derive(Clone, Debug, Default)]
pub struct NewEnrollment {
    pub program_id: Option<String>,
    pub enrollment_status: Option<EnrollmentStatus>,
    pub expected_graduation: Option<Option<NaiveDate>>,
}

/// The program `program_id` if it exists and belongs to `school_id`, else the problem on
/// `program_id`; also refuses a program the student is enrolled in now (`already_enrolled`).
async fn check_program(
    tx: &mut Tx,
    problems: &mut crate::domain::Problems,
    student: &Student,
    school_id: &str,
    program_id: &str,
) -> AppResult<()> {
    match db::programs::get(tx, program_id).await? {
        None => problems.add(
            "program_id",
            ErrorCode::UnknownProgram,
            "there is no such program",
        ),
        Some(p) if p.school_id != school_id => problems.add(
            "program_id",
            ErrorCode::ProgramNotAtSchool,
            "the program belongs to another school",
        ),
        Some(_)
            if student
                .enrollments
                .iter()
                .any(|e| e.is_current() && e.program_id == program_id) =>
        {
            problems.add(
                "program_id",
                ErrorCode::AlreadyEnrolled,
                "the student is already enrolled in this program",
            )
        }
        Some(_) => {}
    }
    Ok(())
}

/// The student for a transfer or a new enrollment: any student for the office; for a school
/// coordinator, one they know the id of (the receiving school does not see the student
/// before), into their own school only. Errors: 403, 404, 422 `unknown_school`.
async fn receiving(
    tx: &mut Tx,
    p: &Principal,
    student_id: &str,
    problems: &mut crate::domain::Problems,
    school_id: Option<&str>,
) -> AppResult<Student> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let s = db::students::get(tx, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match (school_id, &scope) {
        (Some(sid), Scope::School(own)) if sid != own => problems.add(
            "school_id",
            ErrorCode::UnknownSchool,
            "a school receives students into its own programs only",
        ),
        (Some(sid), _) if db::schools::get(tx, sid).await?.is_none() => problems.add(
            "school_id",
            ErrorCode::UnknownSchool,
            "there is no such school",
        ),
        (_, Scope::All | Scope::School(_)) => {}
        _ => return Err(AppError::Forbidden),
    }
    Ok(s)
}

/// Moves one of a student's enrollments to another school or program (issue 12 point 4): the
/// same person, documents and history; the school they left keeps reading what was created
/// while the student was theirs; open placements under the old program become at risk and
/// are listed in the answer's `affected_placements`. The office, or the receiving school;
/// `school_id` left out is the caller's school, else the program's. Errors: 403, 404, 422
/// (`required`, `unknown_school`, `unknown_program`, `program_not_at_school`,
/// `already_enrolled`, `unknown_reference` for an enrollment that is not the student's).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), student_id = %id))]
pub async fn transfer_student(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<Transfer>,
) -> AppResult<Student> {
    let preview = input.preview_risks;
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let mut tx = st.db.write().await?;
    // The receiving school: the one given, else the caller's own, else the program's.
    let program_school = match &f.program_id {
        Some(pid) => db::programs::get(&mut tx, pid).await?.map(|x| x.school_id),
        None => None,
    };
    let school_id = f
        .school_id
        .or_else(|| p.school_id.clone())
        .or(program_school);
    if school_id.is_none() && !problems.has_field("school_id") && !problems.has_field("program_id")
    {
        problems.add(
            "school_id",
            ErrorCode::Required,
            "say which school receives the student",
        );
    }
    let before = receiving(&mut tx, p, id, &mut problems, school_id.as_deref()).await?;
    let from = match &f.enrollment_id {
        None => before.enrollments.iter().find(|e| e.is_current()),
        Some(eid) => {
            let found = before
                .enrollments
                .iter()
                .find(|e| e.id == *eid && e.is_current());
            if found.is_none() {
                problems.add(
                    "enrollment_id",
                    ErrorCode::UnknownReference,
                    "the student has no current enrollment with this id",
                );
            }
            found
        }
    };
    if let (Some(sid), Some(pid)) = (&school_id, &f.program_id) {
        check_program(&mut tx, &mut problems, &before, sid, pid).await?;
    }
    problems.into_result()?;
    let (Some(from), Some(sid), Some(pid)) = (from, school_id, f.program_id) else {
        return Err(AppError::NotFound);
    };
    move_enrollment(&mut tx, from, &sid, &pid, st.clock.now()).await?;
    let s = finish_enrollment_change(st, p, &mut tx, "transfer", &before, preview).await?;
    tx.commit().await?;
    Ok(s)
}

/// Adds an enrollment to a student who already has one (issue 12 point 4). The office, or the
/// school whose program it is. Errors: 403, 404, 422 (`required`, `unknown_program`,
/// `program_not_at_school`, `already_enrolled`).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), student_id = %id))]
pub async fn add_enrollment(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<NewEnrollment>,
) -> AppResult<Student> {
    let preview = input.preview_risks;
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let mut tx = st.db.write().await?;
    let program = match &f.program_id {
        Some(pid) => db::programs::get(&mut tx, pid).await?,
        None => None,
    };
    let school_id = program.as_ref().map(|x| x.school_id.clone());
    let before = receiving(&mut tx, p, id, &mut problems, school_id.as_deref()).await?;
    match (&f.program_id, &school_id) {
        (Some(pid), Some(sid)) => check_program(&mut tx, &mut problems, &before, sid, pid).await?,
        (Some(_), None) => problems.add(
            "program_id",
            ErrorCode::UnknownProgram,
            "there is no such program",
        ),
        (None, _) => {}
    }
    problems.into_result()?;
    let (Some(pid), Some(sid)) = (f.program_id, school_id) else {
        return Err(AppError::NotFound);
    };
    db::enrollments::insert(
        &mut tx,
        &Enrollment {
            id: new_id(),
            student_id: id.to_string(),
            school_id: sid,
            program_id: pid,
            status: f
                .enrollment_status
                .unwrap_or(EnrollmentStatus::Enrolled)
                .as_str()
                .to_string(),
            expected_graduation: f.expected_graduation.flatten(),
            started_at: st.clock.now(),
            ended_at: None,
            ended_reason: None,
        },
    )
    .await?;
    let s = finish_enrollment_change(st, p, &mut tx, "enroll", &before, preview).await?;
    tx.commit().await?;
    Ok(s)
}

/// The status or expected graduation of one current enrollment (API.md extension `PATCH
/// /api/v1/enrollments/{id}`). The office, or the school the enrollment is at. Errors: 403,
/// 404 (no such enrollment, ended, or not the caller's), 422 `read_only` for `program_id`.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), enrollment_id = %enrollment_id))]
pub async fn update_enrollment(
    st: &AppState,
    p: &Principal,
    enrollment_id: &str,
    input: Parsed<NewEnrollment>,
) -> AppResult<Student> {
    let preview = input.preview_risks;
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    if f.program_id.is_some() {
        problems.add(
            "program_id",
            ErrorCode::ReadOnly,
            "an enrollment moves to another program by a transfer",
        );
    }
    problems.into_result()?;
    let mut tx = st.db.write().await?;
    let id = db::enrollments::get(&mut tx, enrollment_id)
        .await?
        .ok_or(AppError::NotFound)?
        .student_id;
    let before = db::students::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut e = before
        .enrollments
        .iter()
        .find(|e| e.id == enrollment_id && e.is_current())
        .cloned()
        .ok_or(AppError::NotFound)?;
    ensure(scope.manages_student(&[e.school_id.as_str()], &id))?;
    if let Some(status) = f.enrollment_status {
        e.status = status.as_str().to_string();
    }
    if let Some(g) = f.expected_graduation {
        e.expected_graduation = g;
    }
    db::enrollments::update(&mut tx, &e).await?;
    let s = finish_enrollment_change(st, p, &mut tx, "update_enrollment", &before, preview).await?;
    tx.commit().await?;
    Ok(s)
}

/// After an enrollment write: the audit event (before and after), the placements it puts at
/// risk; answers the student as they are now.
async fn finish_enrollment_change(
    st: &AppState,
    p: &Principal,
    tx: &mut Tx,
    action: &str,
    before: &Student,
    preview: bool,
) -> AppResult<Student> {
    let mut after = db::students::get(tx, &before.id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        tx,
        &p.actor(st.clock.now()),
        action,
        "student",
        &before.id,
        Some(before),
        Some(&after),
    )
    .await?;
    let affected = super::risks::review(
        tx,
        db::placements::DependsOn::Student(&before.id),
        st.clock.now(),
    )
    .await?;
    super::risks::confirm_first(tx, preview, &affected, st.clock.now()).await?;
    after.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(after)
}
