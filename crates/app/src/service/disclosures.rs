//! The disclosure log (issue 13 point 6; FERPA 34 CFR 99.32, HIPAA 45 CFR 164.528): every
//! read of one student's record, documents, checklist or files by someone other than the
//! student is recorded with who, what, when and why; the student and the office read it.
//!
//! Lists of students are not recorded row by row: a list shows directory information (name,
//! email, school, program — FERPA 34 CFR 99.3 "directory information"), and opening any one
//! record from it is recorded.
use super::{Principal, ensure};
use crate::db::{self, Tx, disclosures::Disclosure, new_id};
use crate::domain::{
    Role,
    policy::{Action, Resource},
    scope::Scope,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What was read of a student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Read {
    /// The student's record (names, email, enrollments).
    Record,
    /// The list of their documents.
    Documents,
    /// Their onboarding checklist (for one placement or all).
    Checklist,
    /// One document's record (its review page), by id.
    Document(String),
    /// One document's stored file, by id.
    File(String),
    /// Everything at once (the data export).
    Export,
    /// One evaluation of the student (or its PDF), by id (issue 16).
    Evaluation(String),
}

impl Read {
    fn parts(&self) -> (&'static str, Option<String>) {
        match self {
            Read::Record => ("record", None),
            Read::Documents => ("documents", None),
            Read::Checklist => ("checklist", None),
            Read::Document(id) => ("document", Some(id.clone())),
            Read::File(id) => ("file", Some(id.clone())),
            Read::Export => ("export", None),
            Read::Evaluation(id) => ("evaluation", Some(id.clone())),
        }
    }
}

/// Records that `p` read `what` of the student, in its own short write transaction after the
/// read (a read transaction never turns into a write). The student reading their own record
/// is not a disclosure. Errors: the store's.
pub async fn record(st: &AppState, p: &Principal, student_id: &str, what: Read) -> AppResult<()> {
    if p.student_id.as_deref() == Some(student_id) {
        return Ok(());
    }
    let mut tx = st.db.write_leaving_placements().await?;
    let (reason, placement_id) = why(&mut tx, p).await?;
    let placement_id = match placement_id {
        Some(id) => Some(id),
        None => linking_placement(&mut tx, p, student_id).await?,
    };
    let reason = match (&placement_id, reason) {
        (Some(pid), None) => placement_words(&mut tx, p, pid).await?,
        (_, Some(r)) => r,
        (None, None) => p.role.label().to_string(),
    };
    let (what, record_id) = what.parts();
    db::disclosures::insert(
        &mut tx,
        &Disclosure {
            id: new_id(),
            student_id: student_id.to_string(),
            viewer_user_id: p.user_id.clone(),
            viewer_name: p.name.clone(),
            viewer_role: p.role.as_str().to_string(),
            what: what.to_string(),
            record_id,
            placement_id,
            reason,
            at: st.clock.now(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The reason for the office and a school, in words; `None` for those whose access comes from
/// a placement (found next).
async fn why(tx: &mut Tx, p: &Principal) -> AppResult<(Option<String>, Option<String>)> {
    Ok(match p.role {
        Role::Admin => (Some("Education office (administrator)".into()), None),
        Role::Coordinator => (
            Some("Education office (placement coordinator)".into()),
            None,
        ),
        Role::SchoolCoordinator => {
            let school = match &p.school_id {
                Some(id) => db::schools::get(tx, id).await?.map(|s| s.name),
                None => None,
            };
            (
                Some(format!(
                    "The student's school: coordinator at {}",
                    school.unwrap_or_else(|| "their school".into())
                )),
                None,
            )
        }
        Role::Student | Role::Preceptor | Role::Faculty | Role::DepartmentManager => (None, None),
    })
}

/// The placement of the student that links the reader (as preceptor or site mentor, faculty
/// supervisor, or manager of its department).
async fn linking_placement(
    tx: &mut Tx,
    p: &Principal,
    student_id: &str,
) -> AppResult<Option<String>> {
    let scope = p.authorize(Resource::Student, Action::Read)?;
    Ok(match scope {
        Scope::Staff(_) | Scope::Department(_) | Scope::Faculty(_) => {
            db::students::placement_with(tx, &scope, student_id).await?
        }
        _ => None,
    })
}

async fn placement_words(tx: &mut Tx, p: &Principal, placement_id: &str) -> AppResult<String> {
    let Some(row) = db::placements::get(tx, placement_id).await? else {
        return Ok(p.role.label().to_string());
    };
    let department = db::departments::get(tx, &row.department_id)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    Ok(format!(
        "{} of the placement in {department}, {} – {}",
        p.role.label(),
        row.starts_on.format("%-d %b"),
        row.ends_on.format("%-d %b %Y")
    ))
}

/// A student's disclosure log, newest first (at most 1,000 entries: the page and the export
/// say so when there are more): the student themself and the office. Errors: 403 (other
/// roles), 404 (no such student).
pub async fn of_student(
    st: &AppState,
    p: &Principal,
    student_id: &str,
) -> AppResult<Vec<Disclosure>> {
    if !(p.role.is_office() || p.role == Role::Student) {
        return Err(AppError::Forbidden);
    }
    let mut tx = st.db.read().await?;
    let s = db::students::get(&mut tx, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Another student's log is outside a student's scope: as if it did not exist.
    ensure(p.role.is_office() || p.student_id.as_deref() == Some(s.id.as_str()))?;
    Ok(db::disclosures::of_student(&mut tx, student_id, 1000).await?)
}
