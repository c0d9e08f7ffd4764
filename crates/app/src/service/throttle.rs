//! Failure counts for sign-in steps: one leaky bucket per key (`account:<email>`,
//! `address:<ip>`, `mfa:<user id>`) in the sessions store, with limits from the configuration
//! (`domain::sign_in::Bucket`; OWASP ASVS 5.0 V6.3.1, NIST SP 800-63B §5.2.2). Shared by the
//! password step (`service::sign_in`) and the code steps (`service::mfa`).
use crate::db;
use crate::domain::sign_in::{Bucket, Limits};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};

/// The limits for a key that may fail `max_failures` times before it waits.
pub fn limits(st: &AppState, max_failures: i64) -> Limits {
    let d = |s: std::time::Duration| chrono::Duration::from_std(s).unwrap_or(chrono::Duration::MAX);
    Limits {
        max_failures,
        base_delay: d(st.config.login_base_delay),
        decay: d(st.config.login_decay),
    }
}

/// Adds one failure to `key`'s bucket; answers the bucket as it was before.
pub async fn record_failure(
    tx: &mut db::Tx,
    key: &str,
    now: DateTime<Utc>,
    limits: &Limits,
) -> AppResult<Bucket> {
    let before = db::sessions::throttle_get(tx, key)
        .await?
        .unwrap_or(Bucket::empty(now));
    db::sessions::throttle_set(tx, key, &before.fail(now, limits)).await?;
    Ok(before)
}

/// 429 `too_many_attempts` with the wait while `key` waits; else nothing.
pub async fn check(st: &AppState, key: &str) -> AppResult<()> {
    let now = st.clock.now();
    let mut tx = st.db.read().await?;
    let bucket = db::sessions::throttle_get(&mut tx, key).await?;
    match bucket.and_then(|b| b.wait(now)) {
        Some(wait) => Err(AppError::TooManyRequests {
            retry_after_secs: wait,
        }),
        None => Ok(()),
    }
}
