//! Reminders already sent, by key, so the periodic sweep sends each once.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

pub async fn sent_at(tx: &mut Tx, key: &str) -> DbResult<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT sent_at FROM notices_sent WHERE key = $1").bind(key).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

/// Records (or moves forward) the time `key` was sent.
pub async fn record(tx: &mut Tx, key: &str, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO notices_sent (key, sent_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET sent_at = excluded.sent_at")
        .bind(key).bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Forgets `key`, so it may be sent again (a risk that has gone away).
pub async fn forget(tx: &mut Tx, key: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM notices_sent WHERE key = $1")
        .bind(key).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Which of `keys` were sent, and when, in one query.
pub async fn sent_among(
    tx: &mut Tx,
    keys: &[&str],
) -> DbResult<std::collections::HashMap<String, DateTime<Utc>>> {
    let rows: Vec<(String, DateTime<Utc>)> = super::fetch_in(
        tx,
        "SELECT key, sent_at FROM notices_sent WHERE key IN ({ids})",
        keys,
    )
    .await?;
    Ok(rows.into_iter().collect())
}

/// Every key starting with `prefix`, with when it was sent.
pub async fn with_prefix(tx: &mut Tx, prefix: &str) -> DbResult<Vec<(String, DateTime<Utc>)>> {
    // Both read a range of an index, not the whole table once per placement shown. SQLite's
    // LIKE is case-insensitive, so it cannot use the binary key index: a range on the key
    // instead (U+10FFFF sorts after every character in binary order). PostgreSQL's collation
    // does not sort like bytes, so a range could miss keys: LIKE, which uses the
    // `text_pattern_ops` index of migration 0029 (keys are ids and codes: no `%` or `_`).
    Ok(match tx {
        Tx::Sqlite(t) => {
            let mut past = prefix.to_string();
            past.push(char::MAX);
            sqlx::query_as(
                "SELECT key, sent_at FROM notices_sent WHERE key >= $1 AND key < $2 ORDER BY key",
            )
            .bind(prefix)
            .bind(past)
            .fetch_all(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as("SELECT key, sent_at FROM notices_sent WHERE key LIKE $1 ORDER BY key")
                .bind(format!("{prefix}%"))
                .fetch_all(&mut **t)
                .await?
        }
    })
}

/// Claims `key` at `now`: true if it was not sent before (and is now recorded), false if it
/// was. In the caller's transaction, with what it sends.
pub async fn claim(tx: &mut Tx, key: &str, now: DateTime<Utc>) -> DbResult<bool> {
    if sent_at(tx, key).await?.is_some() {
        return Ok(false);
    }
    record(tx, key, now).await?;
    Ok(true)
}
