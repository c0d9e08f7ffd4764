//! Items waiting for their person's daily digest e-mail (issue 17 point 4).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DigestItem {
    pub id: String,
    pub user_id: String,
    /// The e-mail kind's word (`agreement_expiring`, ...).
    pub kind: String,
    /// The item in one line, as the in-app notification reads.
    pub line: String,
    /// A path on this site.
    pub link: String,
    pub created_at: DateTime<Utc>,
}

/// Adds an item to `user_id`'s next digest, in the notice's transaction.
pub async fn add(
    tx: &mut Tx,
    user_id: &str,
    kind: &str,
    line: &str,
    link: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO digest_items (id, user_id, kind, line, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(super::new_id()).bind(user_id).bind(kind).bind(line).bind(link).bind(now)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The people with items not yet mailed, by user id.
pub async fn waiting_users(tx: &mut Tx) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT DISTINCT user_id FROM digest_items WHERE mail_id IS NULL ORDER BY user_id")
        .fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// `user_id`'s items not yet mailed, oldest first.
pub async fn waiting_of(tx: &mut Tx, user_id: &str) -> DbResult<Vec<DigestItem>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, user_id, kind, line, link, created_at FROM digest_items
         WHERE user_id = $1 AND mail_id IS NULL ORDER BY created_at, id")
        .bind(user_id).fetch_all(c).await)?)
}

/// Marks the items as listed in the digest `mail_id`; answers how many were still waiting.
pub async fn mark_mailed(tx: &mut Tx, ids: &[String], mail_id: &str) -> DbResult<u64> {
    let mut n = 0;
    for id in ids {
        n += on_tx!(tx, c => sqlx::query(
            "UPDATE digest_items SET mail_id = $2 WHERE id = $1 AND mail_id IS NULL")
            .bind(id).bind(mail_id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(n)
}
