//! The store of two-step sign-in (migration 0014): each user's TOTP secret and last used step,
//! the hashes of their recovery codes, and the challenges a password opens for the second step.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

/// A user's authenticator: the secret (base32) and, once a first code proved it, when.
#[derive(Clone, sqlx::FromRow)]
pub struct TotpRow {
    pub secret: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub last_step: Option<i64>,
}

/// The secret is never printed, not even in a debug log.
impl std::fmt::Debug for TotpRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpRow")
            .field("secret", &"<hidden>")
            .field("confirmed_at", &self.confirmed_at)
            .field("last_step", &self.last_step)
            .finish()
    }
}

pub async fn totp(tx: &mut Tx, user_id: &str) -> DbResult<Option<TotpRow>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT secret, confirmed_at, last_step FROM user_totp WHERE user_id = $1")
        .bind(user_id).fetch_optional(c).await)?)
}

/// Starts (or starts again) an enrolment: a new unconfirmed secret.
pub async fn put_pending(
    tx: &mut Tx,
    user_id: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, created_at = $3, confirmed_at = NULL, last_step = NULL")
        .bind(user_id).bind(secret).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Marks the enrolment confirmed (its first code already spent its step, `use_step`).
pub async fn confirm(tx: &mut Tx, user_id: &str, now: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE user_totp SET confirmed_at = $2 WHERE user_id = $1")
        .bind(user_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Remembers the step of a code just accepted. Only moves forward: of two sign-ins racing with
/// the same code, one updates the row and the other finds nothing to update (false).
pub async fn use_step(tx: &mut Tx, user_id: &str, step: i64) -> DbResult<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND (last_step IS NULL OR last_step < $2)")
        .bind(user_id).bind(step).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Removes the authenticator and every recovery code.
pub async fn remove(tx: &mut Tx, user_id: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
pub async fn set_recovery_codes(tx: &mut Tx, user_id: &str, hashes: &[String]) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
    for h in hashes {
        on_tx!(tx, c => sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user_id).bind(h).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Spends a recovery code: true if it was there and unused (and now is used).
pub async fn use_recovery_code(
    tx: &mut Tx,
    user_id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL")
        .bind(user_id).bind(hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

pub async fn recovery_codes_left(tx: &mut Tx, user_id: &str) -> DbResult<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id).fetch_one(c).await)?;
    Ok(n)
}

/// Whether the office requires a second step of its roles, and whether this user has one: the
/// two facts the gate in front of every request needs, in one read.
pub async fn gate_facts(tx: &mut Tx, user_id: &str) -> DbResult<(bool, bool)> {
    let (required, enrolled): (bool, bool) = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.require_mfa_for_office,
                EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = $1 AND t.confirmed_at IS NOT NULL)
         FROM settings s WHERE s.id = 1")
        .bind(user_id).fetch_one(c).await)?;
    Ok((required, enrolled))
}

pub async fn insert_challenge(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO mfa_challenges (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash).bind(user_id).bind(expires_at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user a challenge was opened for, if it has not expired by `now`.
pub async fn challenge_user(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> DbResult<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT user_id FROM mfa_challenges WHERE token_hash = $1 AND expires_at > $2")
        .bind(token_hash).bind(now).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

/// Ends a challenge, and any of the same user's that have expired.
pub async fn delete_challenge(
    tx: &mut Tx,
    token_hash: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "DELETE FROM mfa_challenges WHERE token_hash = $1 OR (user_id = $2 AND expires_at <= $3)")
        .bind(token_hash).bind(user_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
