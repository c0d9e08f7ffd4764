//! Each user's in-app notifications: only ever the caller's own.
use super::List;
use crate::db::{self, notifications::Notification};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{Params, PathId},
};
use crate::state::AppState;
use axum::{Json, extract::State};

pub async fn list_own(
    st: &AppState,
    p: &Principal,
    params: &Params,
) -> AppResult<db::Paged<Notification>> {
    let page = params.page()?;
    let unread = params.bool("unread")?.unwrap_or(false);
    let mut tx = st.db.read().await?;
    let rows = db::notifications::of_user(&mut tx, &p.user_id, unread, &page).await?;
    Ok(db::paged(rows, &page, |n| &n.id))
}

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
    Ok(Json(list_own(&st, &p, &params).await?.into()))
}

pub async fn mark_read(st: &AppState, p: &Principal, id: &str) -> AppResult<Notification> {
    let mut tx = st.db.write().await?;
    let n = db::notifications::mark_read(&mut tx, &p.user_id, id, st.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(n)
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
    Ok(Json(mark_read(&st, &p, &id).await?))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct MarkedRead {
    /// How many notifications were unread and are now read.
    pub marked: u64,
}

pub async fn mark_all_read(st: &AppState, p: &Principal) -> AppResult<MarkedRead> {
    let mut tx = st.db.write().await?;
    let marked = db::notifications::mark_all_read(&mut tx, &p.user_id, st.clock.now()).await?;
    tx.commit().await?;
    Ok(MarkedRead { marked })
}

/// Marks all of the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = MarkedRead)))]
pub async fn read_all(State(st): State<AppState>, p: Principal) -> AppResult<Json<MarkedRead>> {
    Ok(Json(mark_all_read(&st, &p).await?))
}
