//! Agreeing to the plan, and the final deliverable: upload, download, and accept or return.
use super::id_of;
use super::show::page;
use crate::http::pages::{Form, PageResult, PageUser, constant_time_eq, origin_ok, see};
use crate::http::{error::AppError, input, upload};
use crate::service::projects;
use crate::state::AppState;
use axum::{
    extract::{Path, State},
    response::IntoResponse,
};
use serde_json::Value;

pub(super) async fn agree(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = id_of(&id)?;
    projects::agree(&st, &user.p, &id).await?;
    Ok(see(&format!("/placements/{id}/project"), "saved"))
}

pub(super) async fn review(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = id_of(&id)?;
    let mut body = serde_json::Map::new();
    if let Some(o) = form.get("outcome") {
        body.insert("outcome".into(), Value::String(o.to_string()));
    }
    if let Some(n) = form.get("reason").filter(|n| !n.trim().is_empty()) {
        body.insert("note".into(), Value::String(n.to_string()));
    }
    projects::review_deliverable(&st, &user.p, &id, input::projects::deliverable_review(body))
        .await?;
    Ok(see(&format!("/placements/{id}/project"), "saved"))
}

pub(super) async fn download(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id)?;
    let (name, bytes) = projects::deliverable_file(&st, &user.p, &id).await?;
    Ok(upload::pdf_download(&name, bytes))
}

pub(super) async fn upload_deliverable(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> PageResult {
    let id = id_of(&id)?;
    if !origin_ok(req.headers()) {
        return Err(AppError::Forbidden.into());
    }
    // A refused file shows the page again, answered 422, with why beside the file input.
    let refused = |e: AppError| async {
        let AppError::Rejected(p) = e else {
            return Err(e.into());
        };
        let why =
            p.0.iter()
                .map(|e| format!("File: {}", e.message))
                .collect::<Vec<_>>()
                .join("; ");
        let pr = projects::get_project(&st, &user.p, &id).await?;
        let page = page(&st, &user, pr, why).await;
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let up = match upload::read(req, st.config.upload_limit).await {
        Ok(up) => up,
        Err(e) => return refused(e).await,
    };
    let token_ok = up
        .fields
        .get("csrf_token")
        .is_some_and(|t| constant_time_eq(t, &user.p.csrf_token));
    if !token_ok {
        return Err(AppError::Forbidden.into());
    }
    let (name, bytes) = match upload::require_file(&up) {
        Ok(f) => f,
        Err(e) => return refused(e).await,
    };
    let name = upload::clean_filename(name);
    match projects::upload_deliverable(&st, &user.p, &id, &name, bytes).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/project"), "uploaded")),
        Err(e) => refused(e).await,
    }
}
