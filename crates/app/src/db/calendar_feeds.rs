//! Private calendar feeds (migration 0019): one per person, kept as the token's SHA-256.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

/// The owner of a feed, with the links their scope is made of (as a session reads them).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FeedOwner {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
    pub department_id: Option<String>,
}

/// Replaces the person's feed token: the old URL stops working at once.
pub async fn replace(
    tx: &mut Tx,
    user_id: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
        .bind(user_id).bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// When the person's current feed link was made, if they have one.
pub async fn created_at(tx: &mut Tx, user_id: &str) -> DbResult<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT created_at FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

/// The owner of the feed with this token, if the token is current and its user not disabled.
pub async fn owner(tx: &mut Tx, token_hash: &str) -> DbResult<Option<FeedOwner>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT u.id AS user_id, u.email, u.name, u.role, u.school_id, u.staff_id, u.student_id, st.department_id
         FROM calendar_feeds f JOIN users u ON u.id = f.user_id LEFT JOIN staff st ON st.id = u.staff_id
         WHERE f.token_hash = $1 AND u.disabled_at IS NULL")
        .bind(token_hash).fetch_optional(c).await)?)
}
