//! One-time invitation links (faculty supervisors): only the token's hash is stored.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO invitations (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash).bind(user_id).bind(expires_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user of a live (unused, unexpired) invitation.
pub async fn find_live(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> DbResult<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT user_id FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash).bind(now).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn mark_used(tx: &mut Tx, token_hash: &str, now: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE invitations SET used_at = $2 WHERE token_hash = $1")
        .bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, user_id: &str, hash: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id).bind(hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
