//! Students of the schools, in their programs (DOMAIN.md "Records").
use super::patch::{keep, keep_optional};
use super::{Parsed, Principal, ensure};
use crate::db::{self, Tx, new_id, students::Student};
use crate::domain::{
    ErrorCode,
    directory::EnrollmentStatus,
    policy::{Action, Resource},
    scope::Scope,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

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

/// The school is fixed once a student exists; a school coordinator's is their own. Every rule
/// of one student record (also run by the import, row by row).
pub(super) async fn merge(
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
    // A new student is on no placement yet: what the placements lists keep stays.
    let mut tx = st.db.write_leaving_placements().await?;
    let s = merge(&mut tx, &scope, input, None).await?;
    // As stored, with the enrollment the insert started.
    let s = db::students::insert(&mut tx, &s, st.clock.now()).await?;
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
    let (mut s, affected) = write_update(&mut tx, &p.actor(st.clock.now()), &current, &s).await?;
    super::risks::confirm_first(&mut tx, preview, &affected, st.clock.now()).await?;
    tx.commit().await?;
    s.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(s)
}

/// Writes a checked change of `current` (from [`merge`]) with its audit event, and answers the
/// student as stored and the open placements now at risk (also the import's update of a row).
/// Many students' updates at once (the bulk import), as [`write_update`] writes one: the same
/// rows, audit events and risk reviews, in fewer round trips — the name written only when it
/// changed, the primary enrollment's status or graduation in place, the audit events chained
/// in multi-row inserts, and only students with an open placement reviewed for risks. A
/// change of program (a move, rare in a file) goes through [`write_update`] itself.
pub(super) async fn write_updates(
    tx: &mut Tx,
    actor: &crate::db::audit::Actor,
    changes: &[(&Student, &Student)],
) -> AppResult<()> {
    let mut after_states: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let mut reviewed: Vec<&str> = Vec::new();
    for (current, s) in changes {
        let id = current.id.as_str();
        let primary = current.enrollments.iter().find(|e| e.is_current());
        if primary.is_some_and(|p| p.program_id != s.program_id) {
            write_update(tx, actor, current, s).await?;
            continue;
        }
        if current.first_name != s.first_name
            || current.last_name != s.last_name
            || current.email != s.email
        {
            db::students::update(tx, s).await?;
        }
        let mut after = (*s).clone();
        after.enrollments = current.enrollments.clone();
        if let Some(p) = primary
            && (p.status != s.enrollment_status || p.expected_graduation != s.expected_graduation)
        {
            let mut e = p.clone();
            e.status = s.enrollment_status.clone();
            e.expected_graduation = s.expected_graduation;
            db::enrollments::update(tx, &e).await?;
            if let Some(x) = after.enrollments.iter_mut().find(|x| x.id == e.id) {
                *x = e;
            }
        }
        after_states.push((
            id.to_string(),
            serde_json::to_string(current).ok(),
            serde_json::to_string(&after).ok(),
        ));
        reviewed.push(id);
    }
    let events: Vec<crate::db::audit::Change<'_>> = after_states
        .iter()
        .map(|(id, before, after)| crate::db::audit::Change {
            action: "update",
            record_type: "student",
            record_id: id,
            before_json: before.clone(),
            after_json: after.clone(),
        })
        .collect();
    db::audit::record_changes(tx, actor, &events).await?;
    for id in db::placements::students_with_open(tx, &reviewed).await? {
        super::risks::review(tx, db::placements::DependsOn::Student(&id), actor.at).await?;
    }
    Ok(())
}

pub(super) async fn write_update(
    tx: &mut Tx,
    actor: &crate::db::audit::Actor,
    current: &Student,
    s: &Student,
) -> AppResult<(Student, Vec<crate::domain::risk::AffectedPlacement>)> {
    let id = current.id.as_str();
    db::students::update(tx, s).await?;
    // The enrollment fields of API v1's student are the primary enrollment's: a new program
    // moves it (as a transfer within the school does, keeping the old one as history); a
    // status or graduation date changes it in place.
    if let Some(primary) = current.enrollments.iter().find(|e| e.is_current()) {
        if s.program_id != primary.program_id {
            super::enrollments::move_enrollment(tx, primary, &s.school_id, &s.program_id, actor.at)
                .await?;
        }
        let mut now_primary = db::enrollments::of_student(tx, id)
            .await?
            .into_iter()
            .find(|e| e.is_current())
            .ok_or(AppError::NotFound)?;
        if now_primary.status != s.enrollment_status
            || now_primary.expected_graduation != s.expected_graduation
        {
            now_primary.status = s.enrollment_status.clone();
            now_primary.expected_graduation = s.expected_graduation;
            db::enrollments::update(tx, &now_primary).await?;
        }
    }
    let s = db::students::get(tx, id).await?.ok_or(AppError::NotFound)?;
    db::audit::record(tx, actor, "update", "student", id, Some(current), Some(&s)).await?;
    let affected =
        super::risks::review(tx, db::placements::DependsOn::Student(id), actor.at).await?;
    Ok((s, affected))
}
