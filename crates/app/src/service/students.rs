//! Students of the schools, in their programs (DOMAIN.md "Records").
use super::patch::{keep, keep_optional};
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

/// The fields of a student. A school coordinator may leave `school_id` out (their own school);
/// `enrollment_status` defaults to enrolled.
#[derive(Clone, Debug, Default)]
pub struct StudentFields {
    /// A school id; fixed once the student exists.
    pub school_id: Option<String>,
    /// A program id of that school.
    pub program_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub enrollment_status: Option<EnrollmentStatus>,
    pub expected_graduation: Option<Option<NaiveDate>>,
}

/// The school is fixed once a student exists; a school coordinator's is their own.
async fn merge(
    tx: &mut Tx,
    scope: &Scope,
    input: Parsed<StudentFields>,
    current: Option<&Student>,
) -> AppResult<Student> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let p = &problems;
    let own_school = scope.school().map(str::to_string);
    let school_default = current.map(|c| c.school_id.clone()).or(own_school.clone());
    let school_id = keep(p, "school_id", f.school_id, school_default.as_ref());
    let program_id = keep(
        p,
        "program_id",
        f.program_id,
        current.map(|c| &c.program_id),
    );
    let first_name = keep(
        p,
        "first_name",
        f.first_name,
        current.map(|c| &c.first_name),
    );
    let last_name = keep(p, "last_name", f.last_name, current.map(|c| &c.last_name));
    let email = keep(p, "email", f.email, current.map(|c| &c.email));
    let status = keep(
        p,
        "enrollment_status",
        f.enrollment_status.map(|s| s.as_str().to_string()),
        Some(
            current
                .map(|c| &c.enrollment_status)
                .unwrap_or(&EnrollmentStatus::Enrolled.as_str().to_string()),
        ),
    );
    let expected_graduation = keep_optional(
        p,
        "expected_graduation",
        f.expected_graduation,
        current.map(|c| &c.expected_graduation),
    );

    if let (Some(cur), Some(sid)) = (current, &school_id)
        && *sid != cur.school_id
    {
        problems.add(
            "school_id",
            ErrorCode::ReadOnly,
            "a student moves to another school by a transfer (POST /api/v1/students/{id}/transfer), which keeps their documents and history",
        );
    }
    let school_ok = match &school_id {
        Some(sid) if own_school.as_ref().is_some_and(|own| own != sid) => false,
        Some(sid) => db::schools::get(tx, sid).await?.is_some(),
        None => true,
    };
    if !school_ok {
        problems.add(
            "school_id",
            ErrorCode::UnknownSchool,
            "there is no such school",
        );
    }
    if let (Some(pid), Some(sid)) = (&program_id, &school_id) {
        match db::programs::get(tx, pid).await? {
            None => problems.add(
                "program_id",
                ErrorCode::UnknownProgram,
                "there is no such program",
            ),
            // Against a school that is unknown (or not the caller's), `unknown_school` says it.
            Some(p) if p.school_id != *sid && school_ok => problems.add(
                "program_id",
                ErrorCode::ProgramNotAtSchool,
                "the program belongs to another school",
            ),
            Some(_) => {}
        }
    }
    problems.into_result()?;
    Ok(Student {
        affected_placements: None,
        id: current.map_or_else(new_id, |c| c.id.clone()),
        school_id: school_id.unwrap_or_default(),
        program_id: program_id.unwrap_or_default(),
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        enrollment_status: status.unwrap_or_default(),
        expected_graduation: expected_graduation.flatten(),
        enrollments: current.map(|c| c.enrollments.clone()).unwrap_or_default(),
    })
}

/// A student's record for the caller (the office, their schools, the student, those placed
/// with them), recorded in the disclosure log. Errors: 403, 404.
pub async fn read_student(st: &AppState, p: &Principal, id: &str) -> AppResult<Student> {
    let mut tx = st.db.read().await?;
    let s = super::onboarding::visible_student(&mut tx, p, id).await?;
    drop(tx);
    super::disclosures::record(st, p, id, super::disclosures::Read::Record).await?;
    Ok(s)
}

/// Enrolls a student (the office, or a school coordinator for their school). Errors: 403, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_student(
    st: &AppState,
    p: &Principal,
    input: Parsed<StudentFields>,
) -> AppResult<Student> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.write().await?;
    let s = merge(&mut tx, &scope, input, None).await?;
    db::students::insert(&mut tx, &s, st.clock.now()).await?;
    // Read back: the answer carries the enrollment the insert started.
    let s = db::students::get(&mut tx, &s.id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "student",
        &s.id,
        None::<&()>,
        Some(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// Changes the fields given. Errors: 403, 404 (missing or not theirs), 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), student_id = %id))]
pub async fn update_student(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<StudentFields>,
) -> AppResult<Student> {
    let preview = input.preview_risks;
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::students::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.manages_student(&current.current_schools(), &current.id))?;
    let s = merge(&mut tx, &scope, input, Some(&current)).await?;
    db::students::update(&mut tx, &s).await?;
    // The enrollment fields of API v1's student are the primary enrollment's: a new program
    // moves it (as a transfer within the school does, keeping the old one as history); a
    // status or graduation date changes it in place.
    if let Some(primary) = current.enrollments.iter().find(|e| e.is_current()) {
        if s.program_id != primary.program_id {
            move_enrollment(
                &mut tx,
                primary,
                &s.school_id,
                &s.program_id,
                st.clock.now(),
            )
            .await?;
        }
        let mut now_primary = db::enrollments::of_student(&mut tx, id)
            .await?
            .into_iter()
            .find(|e| e.is_current())
            .ok_or(AppError::NotFound)?;
        if now_primary.status != s.enrollment_status
            || now_primary.expected_graduation != s.expected_graduation
        {
            now_primary.status = s.enrollment_status.clone();
            now_primary.expected_graduation = s.expected_graduation;
            db::enrollments::update(&mut tx, &now_primary).await?;
        }
    }
    let mut s = db::students::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "student",
        id,
        Some(&current),
        Some(&s),
    )
    .await?;
    let affected = super::risks::review(
        &mut tx,
        db::placements::DependsOn::Student(id),
        st.clock.now(),
    )
    .await?;
    super::risks::confirm_first(&mut tx, preview, &affected, st.clock.now()).await?;
    tx.commit().await?;
    s.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(s)
}

/// Ends `from` as transferred and starts the same enrollment (status, expected graduation)
/// in `program_id` at `school_id`: the person, their documents and history stay; the
/// enrollment they left stays as history.
async fn move_enrollment(
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
