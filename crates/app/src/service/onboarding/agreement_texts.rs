//! The texts of the agreements students sign in the system (issue 14 point 3): the office keeps
//! each one, editable, every edit a new version; the signing page shows the current one and the
//! signature names its version (`attestations::sign`).
use crate::db::{self, agreement_texts::AgreementText};
use crate::domain::{
    ErrorCode,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::service::Principal;
use crate::state::AppState;

/// The longest text kept, in characters (a few pages).
pub const MAX_CHARS: usize = 20_000;

/// The current text of `code`'s agreement, or the `version` asked for. Anyone signed in reads it
/// (it is what students are asked to sign). Errors: 404 when there is none.
pub async fn read(
    st: &AppState,
    _p: &Principal,
    code: &str,
    version: Option<i64>,
) -> AppResult<AgreementText> {
    let mut tx = st.db.read().await?;
    let text = match version {
        Some(v) => db::agreement_texts::get(&mut tx, code, v).await?,
        None => db::agreement_texts::current(&mut tx, code).await?,
    };
    text.ok_or(AppError::NotFound)
}

/// Keeps a new version of `code`'s text (the office). Errors: 403; 404 for an unknown
/// requirement; 422 `not_signed_in_system` for a requirement not signed in the system, and the
/// text's problems (`required`, `too_long`, `invalid_characters`).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), code = %code))]
pub async fn write(
    st: &AppState,
    p: &Principal,
    code: &str,
    body: &str,
) -> AppResult<AgreementText> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let requirement = db::requirements::by_code(&mut tx, code)
        .await?
        .ok_or(AppError::NotFound)?;
    if requirement.satisfied_by != "signed_in_system" {
        return Err(AppError::invalid(
            "body",
            ErrorCode::NotSignedInSystem,
            format!(
                "{} is not signed in the system, so it has no text to sign",
                requirement.name
            ),
        ));
    }
    let body = body.replace("\r\n", "\n");
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid(
            "body",
            ErrorCode::Required,
            "may not be empty",
        ));
    }
    if body.chars().count() > MAX_CHARS {
        return Err(AppError::invalid(
            "body",
            ErrorCode::TooLong,
            format!("is longer than {MAX_CHARS} characters"),
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n'))
    {
        return Err(AppError::invalid(
            "body",
            ErrorCode::InvalidCharacters,
            "may not contain control characters",
        ));
    }
    let text = db::agreement_texts::insert(&mut tx, code, body, now, &p.user_id).await?;
    let after = serde_json::json!({ "version": text.version, "body": text.body });
    db::audit::record::<(), _>(
        &mut tx,
        &p.actor(now),
        "agreement_text",
        "requirement",
        &requirement.id,
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(text)
}
