//! An internship's final deliverable (issue 16 point 4): uploaded by the student (a PDF,
//! sniffed and capped like every upload), accepted or returned with a note by the faculty
//! member, downloaded by the project's parties.
use super::{DeliverableReview, Project, get_project, load_for_write, save_project, view};
use crate::db;
use crate::domain::{
    ErrorCode,
    project::{self, DeliverableStatus},
};
use crate::error::{AppError, AppResult};
use crate::files;
use crate::service::{Parsed, Principal};
use crate::state::AppState;

/// The student's final deliverable (`name` cleaned by the edge): a PDF (sniffed from its bytes; the cap is the upload
/// limit, applied while reading). Replaces a submitted or returned one; an accepted one is
/// final (409 `deliverable_accepted`).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn upload_deliverable(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    name: &str,
    bytes: &[u8],
) -> AppResult<Project> {
    let mut tx = st.db.write().await?;
    let (placement, party) = load_for_write(&mut tx, p, placement_id).await?;
    if !project::may_upload_deliverable(party) {
        return Err(AppError::Forbidden);
    }
    if files::sniff(bytes) != Some(files::Kind::Pdf) {
        return Err(AppError::invalid(
            "file",
            ErrorCode::FileTypeNotAllowed,
            "the deliverable must be a PDF",
        ));
    }
    let before = db::projects::get(&mut tx, placement_id).await?;
    project::may_replace(
        before
            .deliverable_status
            .as_deref()
            .and_then(DeliverableStatus::parse),
    )
    .map_err(|code| {
        AppError::conflict(code, "the deliverable was accepted; it no longer changes")
    })?;
    let sha = files::store(&st.config.files_dir(), bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let now = st.clock.now();
    let mut after = before.clone();
    after.deliverable_name = Some(name.to_string());
    after.deliverable_sha256 = Some(sha);
    after.deliverable_size = Some(bytes.len() as i64);
    after.deliverable_uploaded_at = Some(now);
    after.deliverable_status = Some(DeliverableStatus::Submitted.as_str().into());
    after.deliverable_reviewed_at = None;
    after.deliverable_reviewed_by_name = None;
    save_project(&mut tx, st, p, "upload_deliverable", &before, &mut after).await?;
    let v = view(&mut tx, placement, party).await?;
    tx.commit().await?;
    Ok(v)
}

/// The faculty member accepts the deliverable, or returns it with a note (`reason_required`).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn review_deliverable(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    review: Parsed<Option<DeliverableReview>>,
) -> AppResult<Project> {
    let mut tx = st.db.write().await?;
    let (placement, party) = load_for_write(&mut tx, p, placement_id).await?;
    if !project::may_review_deliverable(party) {
        return Err(AppError::Forbidden);
    }
    let Parsed {
        fields,
        mut problems,
        ..
    } = review;
    if let Some(r) = &fields
        && !r.accept
        && r.note.is_none()
        && !problems.has_field("note")
    {
        problems.add(
            "note",
            ErrorCode::ReasonRequired,
            "say what to change when returning the deliverable",
        );
    }
    problems.into_result()?;
    let Some(r) = fields else {
        return Err(anyhow::anyhow!("a review without an outcome passed the checks").into());
    };
    let before = db::projects::get(&mut tx, placement_id).await?;
    project::may_review(
        before
            .deliverable_status
            .as_deref()
            .and_then(DeliverableStatus::parse),
    )
    .map_err(|code| {
        AppError::conflict(
            code,
            "there is no submitted deliverable to accept or return",
        )
    })?;
    let now = st.clock.now();
    let mut after = before.clone();
    after.deliverable_status = Some(
        if r.accept {
            DeliverableStatus::Accepted
        } else {
            DeliverableStatus::Returned
        }
        .as_str()
        .into(),
    );
    after.deliverable_note = r.note;
    after.deliverable_reviewed_by_name = Some(p.name.clone());
    after.deliverable_reviewed_at = Some(now);
    let action = if r.accept {
        "accept_deliverable"
    } else {
        "return_deliverable"
    };
    save_project(&mut tx, st, p, action, &before, &mut after).await?;
    let v = view(&mut tx, placement, party).await?;
    tx.commit().await?;
    Ok(v)
}

/// The deliverable's file name and bytes, for the project's parties.
pub async fn deliverable_file(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<(String, Vec<u8>)> {
    let project = get_project(st, p, placement_id).await?;
    let (Some(name), Some(sha)) = (project.row.deliverable_name, project.row.deliverable_sha256)
    else {
        return Err(AppError::NotFound);
    };
    let bytes = files::read(&st.config.files_dir(), &sha)
        .await
        .map_err(AppError::from_file_read)?;
    Ok((name, bytes))
}
