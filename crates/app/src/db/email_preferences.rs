//! Each person's notice e-mails turned off, by kind (`domain::notice::EmailKind` words).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

/// The kinds `user_id` has turned off, as stored words, sorted.
pub async fn off_of(tx: &mut Tx, user_id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT kind FROM email_preferences WHERE user_id = $1 ORDER BY kind")
        .bind(user_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Whether `user_id` has turned the e-mails of `kind` off.
pub async fn is_off(tx: &mut Tx, user_id: &str, kind: &str) -> DbResult<bool> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT kind FROM email_preferences WHERE user_id = $1 AND kind = $2")
        .bind(user_id).bind(kind).fetch_optional(c).await)?;
    Ok(row.is_some())
}

/// Makes `off` the kinds `user_id` has turned off: kinds no longer in it are turned back on,
/// kinds already off keep the time they were turned off.
pub async fn replace(tx: &mut Tx, user_id: &str, off: &[&str], now: DateTime<Utc>) -> DbResult<()> {
    for kind in off_of(tx, user_id).await? {
        if !off.contains(&kind.as_str()) {
            on_tx!(tx, c => sqlx::query(
                "DELETE FROM email_preferences WHERE user_id = $1 AND kind = $2")
                .bind(user_id).bind(&kind).execute(c).await.map(|_| ()))?;
        }
    }
    for kind in off {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO email_preferences (user_id, kind, turned_off_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, kind) DO NOTHING")
            .bind(user_id).bind(*kind).bind(now).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}
