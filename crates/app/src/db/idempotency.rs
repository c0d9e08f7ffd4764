//! One-time keys of POSTs (`Idempotency-Key`, a page's `form_key`): claimed before the request
//! runs, completed with its answer, released when it should not count.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

/// A key as stored: `status` is `None` while its first request runs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct KeyRow {
    pub method_path: String,
    pub body_hash: String,
    pub status: Option<i32>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
}

/// Forgets the keys created before `expired_before`, and the claims still running that were
/// made before `abandoned_before` (their server stopped in the middle).
pub async fn prune(
    tx: &mut Tx,
    expired_before: DateTime<Utc>,
    abandoned_before: DateTime<Utc>,
) -> DbResult<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "DELETE FROM idempotency_keys
         WHERE created_at < $1 OR (status IS NULL AND created_at < $2)")
        .bind(expired_before).bind(abandoned_before).execute(c).await.map(|r| r.rows_affected()))?)
}

/// Claims `key` for `principal`: true when this call inserted it, false when it was there.
pub async fn claim(
    tx: &mut Tx,
    principal: &str,
    key: &str,
    method_path: &str,
    body_hash: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let inserted = on_tx!(tx, c => sqlx::query(
        "INSERT INTO idempotency_keys (principal, key, method_path, body_hash, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (principal, key) DO NOTHING")
        .bind(principal).bind(key).bind(method_path).bind(body_hash).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(inserted == 1)
}

pub async fn find(tx: &mut Tx, principal: &str, key: &str) -> DbResult<Option<KeyRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT method_path, body_hash, status, content_type, location, body, created_at
         FROM idempotency_keys WHERE principal = $1 AND key = $2")
        .bind(principal).bind(key).fetch_optional(c).await)?)
}

/// The answer of a key's first request.
pub struct Answer<'a> {
    pub status: i32,
    pub content_type: Option<&'a str>,
    pub location: Option<&'a str>,
    pub body: &'a [u8],
}

pub async fn complete(tx: &mut Tx, principal: &str, key: &str, a: Answer<'_>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE idempotency_keys SET status = $3, content_type = $4, location = $5, body = $6
         WHERE principal = $1 AND key = $2")
        .bind(principal).bind(key).bind(a.status).bind(a.content_type).bind(a.location).bind(a.body)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Lets a claim go (its request failed), so the key may be used again.
pub async fn release(tx: &mut Tx, principal: &str, key: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND status IS NULL")
        .bind(principal).bind(key).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
