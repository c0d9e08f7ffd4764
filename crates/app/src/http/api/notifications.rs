//! Each user's in-app notifications: only ever the caller's own.
use super::List;
use super::schema::{MarkedRead, Notification};
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{Params, PathId},
};
use crate::service::notifications;
use crate::state::AppState;
use axum::{Json, extract::State};

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])),
    params(("unread" = Option<bool>, Query, description = "only those not read yet"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Notification>)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Notification>>> {
    let page = params.page()?;
    let unread = params.bool("unread")?.unwrap_or(false);
    Ok(Json(
        notifications::list_own(&st, &p, unread, &page)
            .await?
            .into(),
    ))
}

/// Marks one of the caller's notifications read; another user's answers 404.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Notification), (status = 404, body = crate::http::error::Problem)))]
pub async fn read(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Notification>> {
    Ok(Json(notifications::mark_read(&st, &p, &id).await?.into()))
}

/// Marks all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = MarkedRead)))]
pub async fn read_all(State(st): State<AppState>, p: Principal) -> AppResult<Json<MarkedRead>> {
    Ok(Json(notifications::mark_all_read(&st, &p).await?.into()))
}
