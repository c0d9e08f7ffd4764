//! Server-side sessions: the browser cookie and the API bearer token are the same row.
//! Only a SHA-256 of the token is stored, so a database dump does not hand out sessions.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub email: String,
    pub name: String,
    pub role: String,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
    pub department_id: Option<String>,
}

pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    csrf: &str,
    now: DateTime<Utc>,
    ip: Option<&str>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, ip) VALUES ($1, $2, $3, $4, $4, $5)")
        .bind(token_hash).bind(user_id).bind(csrf).bind(now).bind(ip).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(tx: &mut Tx, token_hash: &str) -> DbResult<Option<SessionRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.email, u.name, u.role, u.school_id, u.staff_id,
                u.student_id, st.department_id
         FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN staff st ON st.id = u.staff_id
         WHERE s.token_hash = $1")
        .bind(token_hash).fetch_optional(c).await)?)
}

pub async fn touch(tx: &mut Tx, token_hash: &str, now: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, token_hash: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Login throttling: failures per key (`email:...`, `ip:...`) and the time the key may try again.
pub async fn throttle_get(
    tx: &mut Tx,
    key: &str,
) -> DbResult<Option<(i64, Option<DateTime<Utc>>)>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT failures, locked_until FROM login_throttle WHERE key = $1")
        .bind(key).fetch_optional(c).await)?,
    )
}

pub async fn throttle_set(
    tx: &mut Tx,
    key: &str,
    failures: i64,
    locked_until: Option<DateTime<Utc>>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO login_throttle (key, failures, locked_until) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET failures = $2, locked_until = $3")
        .bind(key).bind(failures).bind(locked_until).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn throttle_clear(tx: &mut Tx, key: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
