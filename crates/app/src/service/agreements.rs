//! Affiliation agreements between the hospital and a school, with the signed copy
//! (DOMAIN.md "Records").
use super::departments::check_disciplines;
use super::patch::{keep, keep_optional};
use super::{Parsed, Principal, ensure};
use crate::db::{self, Tx, agreements::Agreement, new_id};
use crate::domain::{
    ErrorCode,
    directory::{AgreementStatus, check_agreement_period},
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::files;
use crate::state::AppState;
use chrono::NaiveDate;

/// The fields of an agreement; `status` defaults to draft and `disciplines` to none (= all).
#[derive(Clone, Debug, Default)]
pub struct AgreementFields {
    pub status: Option<AgreementStatus>,
    pub effective_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    /// Discipline codes covered; the use case checks each is in the catalog.
    pub disciplines: Option<Vec<String>>,
    pub note: Option<Option<String>>,
}

/// A signed agreement as uploaded: its file name (already made safe) and its bytes.
pub struct NewDocument<'a> {
    pub name: String,
    pub bytes: &'a [u8],
}

async fn merge(
    tx: &mut Tx,
    school_id: &str,
    input: Parsed<AgreementFields>,
    current: Option<&Agreement>,
) -> AppResult<Agreement> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let p = &problems;
    let status = keep(
        p,
        "status",
        f.status.map(|s| s.as_str().to_string()),
        Some(current.map(|c| &c.status).unwrap_or(&"draft".to_string())),
    );
    let effective_on = keep(
        p,
        "effective_on",
        f.effective_on,
        current.map(|c| &c.effective_on),
    );
    let expires_on = keep(
        p,
        "expires_on",
        f.expires_on,
        current.map(|c| &c.expires_on),
    );
    let disciplines = keep(
        p,
        "disciplines",
        f.disciplines,
        Some(current.map(|c| &c.disciplines).unwrap_or(&vec![])),
    );
    let note = keep_optional(p, "note", f.note, current.map(|c| &c.note));
    check_agreement_period(&mut problems, effective_on, expires_on);
    check_disciplines(
        tx,
        &mut problems,
        "disciplines",
        disciplines.as_deref().unwrap_or_default(),
    )
    .await?;
    problems.into_result()?;
    Ok(Agreement {
        affected_placements: None,
        id: current.map_or_else(new_id, |c| c.id.clone()),
        school_id: school_id.to_string(),
        status: status.unwrap_or_default(),
        effective_on: effective_on.unwrap_or_default(),
        expires_on: expires_on.unwrap_or_default(),
        disciplines: disciplines.unwrap_or_default(),
        note: note.flatten(),
        document_name: current.and_then(|c| c.document_name.clone()),
        document_sha256: current.and_then(|c| c.document_sha256.clone()),
        document_size: current.and_then(|c| c.document_size),
    })
}

/// Records an agreement with a school (office only). Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), school_id = %school_id))]
pub async fn create_agreement(
    st: &AppState,
    p: &Principal,
    school_id: &str,
    input: Parsed<AgreementFields>,
) -> AppResult<Agreement> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::schools::get(&mut tx, school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = merge(&mut tx, school_id, input, None).await?;
    db::agreements::insert(&mut tx, &a).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "agreement",
        &a.id,
        None::<&()>,
        Some(&a),
    )
    .await?;
    let affected = super::risks::review(
        &mut tx,
        db::placements::DependsOn::School(&a.school_id),
        st.clock.now(),
    )
    .await?;
    tx.commit().await?;
    a.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(a)
}

/// Changes the fields given. Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), agreement_id = %id))]
pub async fn update_agreement(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<AgreementFields>,
) -> AppResult<Agreement> {
    let preview = input.preview_risks;
    p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut a = merge(&mut tx, &current.school_id.clone(), input, Some(&current)).await?;
    db::agreements::update(&mut tx, &a).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "agreement",
        id,
        Some(&current),
        Some(&a),
    )
    .await?;
    let affected = super::risks::review(
        &mut tx,
        db::placements::DependsOn::School(&a.school_id),
        st.clock.now(),
    )
    .await?;
    super::risks::confirm_first(&mut tx, preview, &affected, st.clock.now()).await?;
    tx.commit().await?;
    a.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(a)
}

/// Stores the signed agreement (a PDF) and records it on the agreement, replacing any earlier
/// copy. Errors: 403, 422 `file_type_not_allowed`, 404.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), agreement_id = %id))]
pub async fn attach_document(
    st: &AppState,
    p: &Principal,
    id: &str,
    doc: NewDocument<'_>,
) -> AppResult<Agreement> {
    p.authorize(Resource::Agreement, Action::Write)?;
    if files::sniff(doc.bytes) != Some(files::Kind::Pdf) {
        return Err(AppError::invalid(
            "file",
            ErrorCode::FileTypeNotAllowed,
            "the signed agreement must be a PDF",
        ));
    }
    let mut tx = st.db.write().await?;
    let current = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sha = files::store(&st.config.files_dir(), doc.bytes)
        .await
        .map_err(anyhow::Error::from)?;
    db::agreements::set_document(&mut tx, id, &doc.name, &sha, doc.bytes.len() as i64).await?;
    let after = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "attach_document",
        "agreement",
        id,
        Some(&current),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The signed agreement's file name and bytes (the office, and the school for its own).
/// Errors: 403, 404 (no such agreement, not theirs, or nothing uploaded yet).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), agreement_id = %id))]
pub async fn agreement_document(
    st: &AppState,
    p: &Principal,
    id: &str,
) -> AppResult<(String, Vec<u8>)> {
    let scope = p.authorize(Resource::Agreement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    ensure(scope.sees_school(&a.school_id))?;
    let Some(sha) = &a.document_sha256 else {
        return Err(AppError::NotFound);
    };
    let bytes = files::read(&st.config.files_dir(), sha)
        .await
        .map_err(AppError::from_file_read)?;
    let name = a.document_name.unwrap_or_else(|| "agreement.pdf".into());
    Ok((name, bytes))
}
