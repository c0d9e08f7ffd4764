//! The outgoing mail queue. A row is due when `next_attempt_at` has come and it is not sent;
//! a claimed row's `next_attempt_at` moves past a lease, so a worker that dies mid-send
//! leaves it to be tried again.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QueuedMail {
    pub id: String,
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

pub async fn insert(
    tx: &mut Tx,
    id: &str,
    to: (&str, &str),
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO mail_queue (id, to_name, to_email, subject, body, created_at, attempts, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $6)")
        .bind(id).bind(to.0).bind(to.1).bind(subject).bind(body).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether anything is due, read without taking the write lock.
pub async fn any_due(tx: &mut Tx, now: DateTime<Utc>) -> DbResult<bool> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id FROM mail_queue WHERE sent_at IS NULL AND next_attempt_at <= $1 LIMIT 1")
        .bind(now).fetch_optional(c).await)?;
    Ok(row.is_some())
}

/// Claims up to `limit` due rows: counts the attempt and moves them out of reach until
/// `lease_until`. On PostgreSQL rows another instance holds are skipped (`SKIP LOCKED`); on
/// SQLite the caller's write transaction is the lock.
pub async fn claim_due(
    tx: &mut Tx,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> DbResult<Vec<QueuedMail>> {
    const COLS: &str = "id, to_name, to_email, subject, body, attempts";
    let rows: Vec<QueuedMail> = match tx {
        Tx::Sqlite(t) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLS} FROM mail_queue WHERE sent_at IS NULL AND next_attempt_at <= $1
                 ORDER BY next_attempt_at, id LIMIT $2"
            )))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLS} FROM mail_queue WHERE sent_at IS NULL AND next_attempt_at <= $1
                 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED"
            )))
            .bind(now)
            .bind(limit)
            .fetch_all(&mut **t)
            .await?
        }
    };
    for r in &rows {
        on_tx!(tx, c => sqlx::query(
            "UPDATE mail_queue SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1")
            .bind(&r.id).bind(lease_until).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(rows)
}

pub async fn mark_sent(tx: &mut Tx, id: &str, now: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mail_queue SET sent_at = $2, last_error = NULL WHERE id = $1")
        .bind(id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn mark_failed(
    tx: &mut Tx,
    id: &str,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE mail_queue SET last_error = $2, next_attempt_at = $3 WHERE id = $1")
        .bind(id).bind(error).bind(next_attempt_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Where one message stands: (attempts, sent, last error).
pub async fn status(tx: &mut Tx, id: &str) -> DbResult<Option<(i64, bool, Option<String>)>> {
    let row: Option<(i64, Option<DateTime<Utc>>, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT attempts, sent_at, last_error FROM mail_queue WHERE id = $1")
        .bind(id).fetch_optional(c).await)?;
    Ok(row.map(|(a, s, e)| (a, s.is_some(), e)))
}

/// When a message is next tried (a claimed one: when its lease ends), or `None` for no such
/// message: for tests and support.
pub async fn next_attempt_at(tx: &mut Tx, id: &str) -> DbResult<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT next_attempt_at FROM mail_queue WHERE id = $1")
        .bind(id).fetch_optional(c).await)?;
    Ok(row.map(|(at,)| at))
}

/// Every queued message, oldest first (sent or not): for tests and support.
pub async fn all(tx: &mut Tx) -> DbResult<Vec<QueuedMail>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, to_name, to_email, subject, body, attempts FROM mail_queue ORDER BY created_at, id")
        .fetch_all(c).await)?)
}
