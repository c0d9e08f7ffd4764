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
    /// The version of the agreement's text the student was shown; when given, it must still be
    /// the current one.
    pub version: Option<i64>,
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
            Some(s) => scope.manages_student(&s.current_schools(), &s.id),
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
/// name, time, IP and the version of the agreement's text signed are kept. A student signs only
/// a text there is (issue 14 point 3). Errors: 404; 409 `agreement_text_missing` (the office
/// has written no text for it), 409 `agreement_text_changed` (a newer version than the one
/// shown: read it again); 422 as the checklist's rules say.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn sign(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: Signature,
) -> AppResult<Document> {
    let Signature {
        code,
        name,
        version,
    } = input;
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
    let step = PlacementStep {
        student_id: &student_id,
        placement_id,
        code: &code,
        satisfied_by: "signed_in_system",
        source: "signature",
    };
    // The checklist's rules first (what the item is, whether it applies), then the text; the
    // write is not kept unless both hold.
    let mut d = record_step(&mut tx, st, p, step, Some((name, p.ip.clone()))).await?;
    let Some(text) = db::agreement_texts::current(&mut tx, &code).await? else {
        return Err(AppError::conflict(
            ErrorCode::AgreementTextMissing,
            "the education office has not written this agreement's text yet, so it cannot be signed; ask them",
        ));
    };
    if version.is_some_and(|v| v != text.version) {
        return Err(AppError::conflict(
            ErrorCode::AgreementTextChanged,
            "the agreement's text has changed since it was shown; read the new text and sign again",
        ));
    }
    db::documents::set_signed_text_version(&mut tx, &d.id, text.version).await?;
    d.signed_text_version = Some(text.version);
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
    let step = PlacementStep {
        student_id: &student_id,
        placement_id,
        code: &code,
        satisfied_by: "office_action",
        source: "office",
    };
    let d = record_step(&mut tx, st, p, step, None).await?;
    tx.commit().await?;
    Ok(d)
}

/// One per-placement step done today: which student and placement, which requirement, how
/// the requirement must be satisfied and what the evidence's source reads.
struct PlacementStep<'a> {
    student_id: &'a str,
    placement_id: &'a str,
    code: &'a str,
    satisfied_by: &'a str,
    source: &'a str,
}

/// Checks a per-placement step and records it as verified evidence (a signature keeps the
/// signer's name and IP).
async fn record_step(
    tx: &mut crate::db::Tx,
    st: &AppState,
    p: &Principal,
    step: PlacementStep<'_>,
    signer: Option<(String, Option<String>)>,
) -> AppResult<Document> {
    let today = st.clock.today();
    check_evidence(
        tx,
        step.student_id,
        step.code,
        today,
        None,
        Some(step.placement_id),
        today,
        &[step.satisfied_by],
    )
    .await?;
    record_evidence(
        tx,
        st,
        p,
        step.student_id,
        step.code,
        Some(step.placement_id.into()),
        today,
        None,
        step.source,
        signer,
    )
    .await
}
