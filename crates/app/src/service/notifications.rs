//! Each user's in-app notifications: only ever the caller's own.
use crate::db::{self, notifications::Notification};
use crate::error::{AppError, AppResult};
use crate::service::Principal;
use crate::state::AppState;

/// The caller's notifications, newest first; `unread`: only those not read yet.
pub async fn list_own(
    st: &AppState,
    p: &Principal,
    unread: bool,
    page: &db::Page,
) -> AppResult<db::Paged<Notification>> {
    let mut tx = st.db.read().await?;
    let rows = db::notifications::of_user(&mut tx, &p.user_id, unread, page).await?;
    Ok(db::paged(rows, page, |n| &n.id))
}

/// Marks one of the caller's notifications read; another user's answers 404.
pub async fn mark_read(st: &AppState, p: &Principal, id: &str) -> AppResult<Notification> {
    // A notification read is none of a placement's facts (migration 0039).
    let mut tx = st.db.write_leaving_placements().await?;
    let n = db::notifications::mark_read(&mut tx, &p.user_id, id, st.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(n)
}

#[derive(serde::Serialize)]
pub struct MarkedRead {
    /// How many notifications were unread and are now read.
    pub marked: u64,
}

pub async fn mark_all_read(st: &AppState, p: &Principal) -> AppResult<MarkedRead> {
    let mut tx = st.db.write_leaving_placements().await?;
    let marked = db::notifications::mark_all_read(&mut tx, &p.user_id, st.clock.now()).await?;
    tx.commit().await?;
    Ok(MarkedRead { marked })
}
