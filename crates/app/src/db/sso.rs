//! The store of single sign-on (migration 0014): sign-ins sent to the identity provider and
//! not back yet, and the accounts linked to a person there (`iss` + `sub`).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

pub async fn insert_pending(
    tx: &mut Tx,
    state_hash: &str,
    nonce: &str,
    pkce_verifier: &str,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO oidc_pending (state_hash, nonce, pkce_verifier, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(state_hash).bind(nonce).bind(pkce_verifier).bind(expires_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Takes a pending sign-in (it can be answered once): its nonce and PKCE verifier, if it is
/// there and has not expired by `now`. Expired ones go too.
pub async fn take_pending(
    tx: &mut Tx,
    state_hash: &str,
    now: DateTime<Utc>,
) -> DbResult<Option<(String, String)>> {
    let row: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT nonce, pkce_verifier FROM oidc_pending WHERE state_hash = $1 AND expires_at > $2")
        .bind(state_hash).bind(now).fetch_optional(c).await)?;
    on_tx!(tx, c => sqlx::query("DELETE FROM oidc_pending WHERE state_hash = $1 OR expires_at <= $2")
        .bind(state_hash).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(row)
}

/// The account linked to this person at this provider.
pub async fn linked_user(tx: &mut Tx, issuer: &str, subject: &str) -> DbResult<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT user_id FROM oidc_links WHERE issuer = $1 AND subject = $2")
        .bind(issuer).bind(subject).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn link(
    tx: &mut Tx,
    issuer: &str,
    subject: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO oidc_links (issuer, subject, user_id, linked_at) VALUES ($1, $2, $3, $4)")
        .bind(issuer).bind(subject).bind(user_id).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
