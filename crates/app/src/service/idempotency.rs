//! One-time keys of POSTs, in domain words: a key is claimed before its request runs, so a
//! repeat — a retry, a second click, Back and submit again, eight at once — never runs it a
//! second time; it waits for the first to finish and answers what the first answered.
//!
//! A key belongs to one principal (a user, or `""` for a caller without a session) and lives 24
//! hours by the app's clock. Only an answer worth repeating is kept (the caller decides:
//! the API keeps successes, pages keep successes and redirects); any other answer lets the key
//! go, so the corrected request may use it again.
use crate::db::{self, idempotency::KeyRow};
use crate::domain::ErrorCode;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::time::Duration;

pub use crate::db::idempotency::Answer;

/// How long a key answers its first result.
pub const KEY_LIFETIME: chrono::Duration = chrono::Duration::hours(24);
/// A claim still running after this long was left by a server that stopped mid-request.
const ABANDONED_AFTER: chrono::Duration = chrono::Duration::minutes(10);
/// How often a repeat looks whether the first request has finished.
const POLL: Duration = Duration::from_millis(25);

/// A POST's key: whose, which, and what it was sent with.
pub struct KeyedPost<'a> {
    pub principal: &'a str,
    pub key: &'a str,
    /// `"POST /api/v1/inquiries"`.
    pub method_path: &'a str,
    /// SHA-256 of the body, hex.
    pub body_hash: &'a str,
    /// The API refuses a key sent again with another body or to another path; a page's form
    /// key answers its first result whatever the form says the second time.
    pub same_body_required: bool,
}

/// What to do with a POST that carries a key.
pub enum Claimed {
    /// The key is ours: run the request, then `complete` or `release` it.
    Run,
    /// The key's first request answered this: answer it again.
    Replay(KeyRow),
}

/// Claims the key, or finds what its first request answered, waiting (up to the configured
/// `idempotency_wait`) while that request still runs. Errors: `idempotency_key_reused` (422)
/// for the key sent again with another body or path where that matters; `idempotency_key_in_use`
/// (409) when the first request is still running at the deadline.
pub async fn claim(st: &AppState, post: &KeyedPost<'_>) -> AppResult<Claimed> {
    let deadline = tokio::time::Instant::now() + st.config.idempotency_wait;
    loop {
        let now = st.clock.now();
        let mut tx = st.db.write().await?;
        db::idempotency::prune(&mut tx, now - KEY_LIFETIME, now - ABANDONED_AFTER).await?;
        let ours = db::idempotency::claim(
            &mut tx,
            post.principal,
            post.key,
            post.method_path,
            post.body_hash,
            now,
        )
        .await?;
        let row = if ours {
            None
        } else {
            db::idempotency::find(&mut tx, post.principal, post.key).await?
        };
        tx.commit().await?;
        if ours {
            return Ok(Claimed::Run);
        }
        // Released between the insert and the look: claim it again.
        let Some(mut row) = row else { continue };
        loop {
            if post.same_body_required
                && (row.method_path != post.method_path || row.body_hash != post.body_hash)
            {
                return Err(AppError::invalid(
                    "Idempotency-Key",
                    ErrorCode::IdempotencyKeyReused,
                    "this key was used for another request in the last 24 hours; use a new key",
                ));
            }
            if row.status.is_some() {
                return Ok(Claimed::Replay(row));
            }
            if tokio::time::Instant::now() + POLL > deadline {
                return Err(AppError::conflict(
                    ErrorCode::IdempotencyKeyInUse,
                    "a request with this key is still running; try again shortly",
                ));
            }
            tokio::time::sleep(POLL).await;
            let mut tx = st.db.read().await?;
            let again = db::idempotency::find(&mut tx, post.principal, post.key).await?;
            drop(tx);
            match again {
                Some(r) => row = r,
                // The first request failed and let the key go: this one may run.
                None => break,
            }
        }
    }
}

/// Keeps the answer of the key's first request.
pub async fn complete(st: &AppState, principal: &str, key: &str, a: Answer<'_>) -> AppResult<()> {
    let mut tx = st.db.write().await?;
    db::idempotency::complete(&mut tx, principal, key, a).await?;
    tx.commit().await?;
    Ok(())
}

/// Lets the key go: its request failed, and a corrected one may use it.
pub async fn release(st: &AppState, principal: &str, key: &str) -> AppResult<()> {
    let mut tx = st.db.write().await?;
    db::idempotency::release(&mut tx, principal, key).await?;
    tx.commit().await?;
    Ok(())
}
