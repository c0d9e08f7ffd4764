//! Documents: evidence a student (or their school) uploads once and reuses, and the office's
//! review of it.
use super::{check_evidence, may_submit_for, visible_student};
use crate::db::{self, documents::Document, students::Student};
use crate::domain::{
    ErrorCode,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::files::{self, Kind as FileKind};
use crate::service::Principal;
use crate::state::AppState;
use chrono::NaiveDate;

/// A document to store: what it is evidence of, its dates, and the file (sniffed already).
#[derive(Clone, Debug)]
pub struct NewDocument {
    pub requirement_code: String,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// For a per-placement item.
    pub placement_id: Option<String>,
    /// A safe display name (no path, no control characters).
    pub file_name: String,
    pub file_kind: FileKind,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Review {
    /// verified or rejected
    pub outcome: String,
    pub note: Option<String>,
}

/// Who may add evidence for a student, checked before the upload is read: 404 outside the
/// caller's scope, 403 for a role that may see but not submit.
pub async fn may_upload_for(st: &AppState, p: &Principal, student_id: &str) -> AppResult<Student> {
    let mut tx = st.db.read().await?;
    let student = visible_student(&mut tx, p, student_id).await?;
    drop(tx);
    if !may_submit_for(p, &student) {
        return Err(AppError::Forbidden);
    }
    Ok(student)
}

/// Stores an uploaded document for a student; nothing is stored unless everything is right.
/// Errors: 404, 403, 422 (`unknown_requirement`, `completed_in_future`, ...).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), student_id = %student_id))]
pub async fn upload_document(
    st: &AppState,
    p: &Principal,
    student_id: &str,
    doc: NewDocument,
) -> AppResult<Document> {
    let student = may_upload_for(st, p, student_id).await?;
    let NewDocument {
        requirement_code: code,
        completed_on,
        expires_on,
        placement_id,
        file_name,
        file_kind: kind,
        bytes,
    } = doc;
    let bytes = &bytes[..];
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    check_evidence(
        &mut tx,
        student_id,
        &code,
        completed_on,
        expires_on,
        placement_id.as_deref(),
        st.clock.today(),
        // An agreement signed on paper (issue 14 point 3): the office uploads the signed form,
        // reviewed like any document, so a student without a sign-in can still be cleared.
        if p.role.is_office() {
            &["student_upload", "signed_in_system"]
        } else {
            &["student_upload"]
        },
    )
    .await?;
    let sha = files::store(&st.config.files_dir(), bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let d = Document {
        id: db::new_id(),
        student_id: student_id.to_string(),
        requirement_code: code,
        placement_id,
        completed_on,
        expires_on,
        status: "submitted".into(),
        source: "upload".into(),
        file_sha256: Some(sha),
        file_name: Some(file_name),
        file_mime: Some(kind.mime().into()),
        file_size: Some(bytes.len() as i64),
        submitted_by: Some(p.user_id.clone()),
        submitted_at: now,
        reviewed_by: None,
        reviewed_at: None,
        review_note: None,
        signer_name: None,
        signer_ip: None,
        signed_text_version: None,
    };
    db::documents::insert(&mut tx, &d).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "upload",
        "document",
        &d.id,
        None::<&()>,
        Some(&d),
    )
    .await?;
    crate::jobs::onboarding::document_uploaded(
        &mut tx,
        &d,
        &student.full_name(),
        now,
        st.config.upload_digest.is_zero(),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

/// The office verifies or rejects a submitted document. Errors: 403, 404, 409, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), document_id = %id))]
pub async fn review_document(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Review,
) -> AppResult<Document> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let Review { outcome, note } = input;
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let before = db::documents::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.status != "submitted" {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("the document is already {}", before.status),
        ));
    }
    db::documents::review(&mut tx, id, &outcome, &p.user_id, now, note.as_deref()).await?;
    let after = db::documents::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        &format!("review:{}", after.status),
        "document",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    if after.status == "rejected" {
        crate::jobs::onboarding::document_rejected(&mut tx, &after, now).await?;
    }
    // The office's "to review" notices of this document are done, whoever reviewed it.
    crate::jobs::onboarding::review_done(&mut tx, &after, now).await?;
    tx.commit().await?;
    Ok(after)
}

/// A document's stored file and its record, for those who may read the student's evidence
/// (the student, their school, the office); 404 for everyone else, preceptors and managers
/// included: they see placements, not medical evidence.
pub async fn document_file(
    st: &AppState,
    p: &Principal,
    id: &str,
) -> AppResult<(Document, Vec<u8>)> {
    let mut tx = st.db.read().await?;
    let d = db::documents::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Preceptors and managers see placements, not medical evidence; a school the student
    // left, what was submitted while they were there.
    let readable = super::readable_documents(&mut tx, p, &d.student_id).await?;
    drop(tx);
    if !readable.iter().any(|r| r.id == d.id) {
        return Err(AppError::NotFound);
    }
    crate::service::disclosures::record(
        st,
        p,
        &d.student_id,
        crate::service::disclosures::Read::File(d.id.clone()),
    )
    .await?;
    let Some(sha) = &d.file_sha256 else {
        return Err(AppError::NotFound);
    };
    let bytes = files::read(&st.config.files_dir(), sha)
        .await
        .map_err(AppError::from_file_read)?;
    Ok((d, bytes))
}

/// The documents whose stored file is gone from the data directory (the office home's
/// "Documents with a missing file"), oldest first. Office only (403 otherwise).
pub async fn with_missing_file(st: &AppState, p: &Principal) -> AppResult<Vec<Document>> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let docs = db::documents::with_files(&mut tx).await?;
    drop(tx);
    let hashes = docs.iter().filter_map(|d| d.file_sha256.clone()).collect();
    let missing: std::collections::HashSet<String> = files::missing(&st.config.files_dir(), hashes)
        .await
        .map_err(anyhow::Error::from)?
        .into_iter()
        .collect();
    Ok(docs
        .into_iter()
        .filter(|d| d.file_sha256.as_ref().is_some_and(|h| missing.contains(h)))
        .collect())
}
