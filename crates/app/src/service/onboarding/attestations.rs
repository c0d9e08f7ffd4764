//! Evidence without a file: a school's attestation for several students, the student's
//! signature in the system, the office's provisioning tick.
use super::{check_evidence, record_evidence};
use crate::db::{self, documents::Document};
use crate::domain::{
    ErrorCode,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::service::Principal;
use crate::state::AppState;
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct Attestation {
    pub code: String,
    pub ids: Vec<String>,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct Signature {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Provisioning {
    pub code: String,
}

/// A school coordinator attests a requirement for several of its students in one step.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn attest(st: &AppState, p: &Principal, input: Attestation) -> AppResult<Vec<Document>> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let Attestation {
        code,
        ids,
        completed_on,
        expires_on,
    } = input;
    let mut tx = st.db.write().await?;
    let mut out = vec![];
    for sid in &ids {
        let visible = match db::students::get(&mut tx, sid).await? {
            Some(s) => scope.sees_student(&s.school_id, &s.id),
            None => false,
        };
        if !visible {
            return Err(AppError::invalid(
                "student_ids",
                ErrorCode::UnknownStudent,
                format!("there is no student {sid} at your school"),
            ));
        }
        check_evidence(
            &mut tx,
            sid,
            &code,
            completed_on,
            expires_on,
            None,
            st.clock.today(),
            &["school_attestation"],
        )
        .await?;
        out.push(
            record_evidence(
                &mut tx,
                st,
                p,
                sid,
                &code,
                None,
                completed_on,
                expires_on,
                "attestation",
                None,
            )
            .await?,
        );
    }
    tx.commit().await?;
    Ok(out)
}

/// The student signs a per-placement item in the system (the confidentiality agreement):
/// name, time and IP are kept.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn sign(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: Signature,
) -> AppResult<Document> {
    let Signature { code, name } = input;
    let mut tx = st.db.write().await?;
    let row = db::placements::get(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(student_id) = row
        .student_id
        .clone()
        .filter(|s| p.student_id.as_deref() == Some(s.as_str()))
    else {
        return Err(AppError::NotFound);
    };
    let today = st.clock.today();
    check_evidence(
        &mut tx,
        &student_id,
        &code,
        today,
        None,
        Some(placement_id),
        today,
        &["signed_in_system"],
    )
    .await?;
    let d = record_evidence(
        &mut tx,
        st,
        p,
        &student_id,
        &code,
        Some(placement_id.into()),
        today,
        None,
        "signature",
        Some((name, p.ip.clone())),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

/// The office ticks a provisioning or other office-action step for a placement.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn provision(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: Provisioning,
) -> AppResult<Document> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let Provisioning { code } = input;
    let mut tx = st.db.write().await?;
    let row = db::placements::get(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(student_id) = row.student_id.clone() else {
        return Err(AppError::conflict(
            ErrorCode::StudentNotNamed,
            "name the student before provisioning",
        ));
    };
    let today = st.clock.today();
    check_evidence(
        &mut tx,
        &student_id,
        &code,
        today,
        None,
        Some(placement_id),
        today,
        &["office_action"],
    )
    .await?;
    let d = record_evidence(
        &mut tx,
        st,
        p,
        &student_id,
        &code,
        Some(placement_id.into()),
        today,
        None,
        "office",
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}
