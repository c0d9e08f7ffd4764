//! One-time links by e-mail — invitations (set a first password) and password resets — only the
//! token's SHA-256 stored (migration 0017: `purpose`).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

/// What a one-time link is for; stored as its `as_str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Set a first password and sign in (7 days).
    Invitation,
    /// Set a new password after "Forgot your password?" (1 hour).
    PasswordReset,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Invitation => "invitation",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

/// Keeps a new link and ends the live ones of the same user and purpose: only the newest link
/// works.
pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE invitations SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
        .bind(user_id).bind(purpose.as_str()).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("INSERT INTO invitations (token_hash, user_id, expires_at, purpose) VALUES ($1, $2, $3, $4)")
        .bind(token_hash).bind(user_id).bind(expires_at).bind(purpose.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user of a live (unused, unexpired) link for `purpose`.
pub async fn find_live(
    tx: &mut Tx,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> DbResult<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT user_id FROM invitations WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3")
        .bind(token_hash).bind(purpose.as_str()).bind(now).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn mark_used(tx: &mut Tx, token_hash: &str, now: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE invitations SET used_at = $2 WHERE token_hash = $1")
        .bind(token_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// When the user's newest invitation was sent and until when it works, if they have one.
pub async fn latest_invitation(
    tx: &mut Tx,
    user_id: &str,
) -> DbResult<Option<(DateTime<Utc>, Option<DateTime<Utc>>)>> {
    let row: Option<(DateTime<Utc>, Option<DateTime<Utc>>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT expires_at, used_at FROM invitations WHERE user_id = $1 AND purpose = 'invitation' \
         ORDER BY expires_at DESC LIMIT 1")
        .bind(user_id).fetch_optional(c).await)?;
    Ok(row)
}

pub async fn set_password(tx: &mut Tx, user_id: &str, hash: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(user_id).bind(hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Students of `school_id` (all schools: `None`) who cannot sign in yet: no account, or one
/// without a password. Ids, by name.
pub async fn students_not_signed_up(tx: &mut Tx, school_id: Option<&str>) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.id FROM students s LEFT JOIN users u ON u.student_id = s.id \
         WHERE (u.id IS NULL OR u.password_hash IS NULL) AND ($1 IS NULL OR s.school_id = $1) \
         ORDER BY s.last_name, s.first_name, s.id")
        .bind(school_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Staff who cannot sign in yet: no account, or one without a password. Ids, by name.
pub async fn staff_not_signed_up(tx: &mut Tx) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.id FROM staff s LEFT JOIN users u ON u.staff_id = s.id \
         WHERE u.id IS NULL OR u.password_hash IS NULL ORDER BY s.name, s.id")
        .fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
