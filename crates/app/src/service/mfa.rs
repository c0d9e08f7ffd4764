//! Two-step sign-in (issue 13 point 4): enrol a TOTP authenticator (RFC 6238), confirm it with a
//! first code, get one-time recovery codes, disable it with a code; and the second step of a
//! sign-in, opened by a right password ([`open_challenge`]) and answered with a code
//! ([`answer_challenge`]). Every code attempt is throttled per account, as passwords are.
//!
//! The secret is shown while enrolling only (the page and `POST /api/v1/me/mfa/totp`); once a
//! code confirmed it, nothing answers or logs it again. Recovery codes are shown once, at
//! confirmation, and kept as SHA-256 hashes.
use super::Principal;
use crate::db::{self, Tx, users::User};
use crate::domain::ErrorCode;
use crate::domain::mfa::{self, CodeCheck, SecondFactor};
use crate::error::{AppError, AppResult};
use crate::password::{hash_token, random_token};
use crate::state::AppState;
use chrono::{DateTime, Utc};

/// An enrolment under way: the secret to put into an authenticator, as text and as the
/// `otpauth://` URL its QR code carries.
#[derive(Clone)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
}

/// Where a user stands.
#[derive(Clone, Debug)]
pub struct MfaStatus {
    /// A confirmed authenticator: sign-in asks for a code.
    pub enabled: bool,
    /// An enrolment started and not confirmed yet.
    pub pending: bool,
    pub recovery_codes_left: i64,
    /// The office's setting requires a second step of this user's role.
    pub required: bool,
}

fn unix(now: DateTime<Utc>) -> u64 {
    now.timestamp().max(0) as u64
}

fn invalid_code() -> AppError {
    AppError::invalid(
        "code",
        ErrorCode::MfaCodeInvalid,
        "the code is not right, or it was already used; wait for the next one",
    )
}

/// Whether the user must enrol before anything else: the office requires a second step of
/// their role (`domain::mfa::required_for`) and they have none. Other roles cost no read.
pub fn must_enrol(p: &Principal) -> bool {
    p.mfa_enrolment_due
}

/// The caller's own standing. Errors: none beyond the store's.
pub async fn status(st: &AppState, p: &Principal) -> AppResult<MfaStatus> {
    let mut tx = st.db.read().await?;
    let row = db::mfa::totp(&mut tx, &p.user_id).await?;
    let left = db::mfa::recovery_codes_left(&mut tx, &p.user_id).await?;
    let (required, _) = db::mfa::gate_facts(&mut tx, &p.user_id).await?;
    Ok(MfaStatus {
        enabled: row.as_ref().is_some_and(|r| r.confirmed_at.is_some()),
        pending: row.as_ref().is_some_and(|r| r.confirmed_at.is_none()),
        recovery_codes_left: left,
        required: mfa::required_for(p.role, required),
    })
}

async fn enrolment_of(tx: &mut Tx, p: &Principal, secret: String) -> AppResult<Enrolment> {
    let issuer = db::settings::get(tx).await?.organisation_name;
    let totp = mfa::authenticator(&secret, &p.email, &issuer).map_err(anyhow::Error::msg)?;
    let otpauth_url = totp
        .to_url()
        .map_err(|e| anyhow::anyhow!("no otpauth URL: {e}"))?;
    Ok(Enrolment {
        secret,
        otpauth_url,
    })
}

/// Starts enrolling (again): a new secret, unconfirmed until [`confirm_enrolment`]. Any role
/// may. Errors: 409 `mfa_already_enabled` (disable first).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn start_enrolment(st: &AppState, p: &Principal) -> AppResult<Enrolment> {
    let mut random = [0u8; mfa::SECRET_BYTES];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("random source: {e}"))?;
    let secret = mfa::secret_from(&random);
    let mut tx = st.db.write().await?;
    if db::mfa::totp(&mut tx, &p.user_id)
        .await?
        .is_some_and(|r| r.confirmed_at.is_some())
    {
        return Err(AppError::conflict(
            ErrorCode::MfaAlreadyEnabled,
            "two-step sign-in is already on; turn it off first to set up another authenticator",
        ));
    }
    db::mfa::put_pending(&mut tx, &p.user_id, &secret, st.clock.now()).await?;
    let enrolment = enrolment_of(&mut tx, p, secret).await?;
    tx.commit().await?;
    Ok(enrolment)
}

/// The enrolment under way, to show its QR code again; `None` when there is none (or it is
/// confirmed: the secret is never shown after that).
pub async fn pending_enrolment(st: &AppState, p: &Principal) -> AppResult<Option<Enrolment>> {
    let mut tx = st.db.read().await?;
    match db::mfa::totp(&mut tx, &p.user_id).await? {
        Some(r) if r.confirmed_at.is_none() => Ok(Some(enrolment_of(&mut tx, p, r.secret).await?)),
        _ => Ok(None),
    }
}

/// Checks a second factor against the user's authenticator (and, once it is confirmed, their
/// recovery codes), spending what it uses: the code's time step, or the recovery code.
async fn spend(
    tx: &mut Tx,
    user_id: &str,
    row: &db::mfa::TotpRow,
    factor: &SecondFactor,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    match factor {
        SecondFactor::Totp(code) => {
            let totp = mfa::authenticator(&row.secret, "", "").map_err(anyhow::Error::msg)?;
            let last = row.last_step.map(|s| s.max(0) as u64);
            match mfa::check_code(&totp, code, unix(now), last) {
                CodeCheck::Accepted(step) => Ok(db::mfa::use_step(tx, user_id, step as i64).await?),
                CodeCheck::Reused | CodeCheck::Wrong => Ok(false),
            }
        }
        SecondFactor::Recovery(code) if row.confirmed_at.is_some() => {
            Ok(db::mfa::use_recovery_code(tx, user_id, &hash_token(code), now).await?)
        }
        SecondFactor::Recovery(_) => Ok(false),
    }
}

/// Confirms the enrolment with a first code from the authenticator, and answers the recovery
/// codes — the only time they are shown. Errors: 409 `mfa_not_started` or
/// `mfa_already_enabled`; 422 `mfa_code_invalid`; 429 after repeated wrong codes.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn confirm_enrolment(
    st: &AppState,
    p: &Principal,
    code: SecondFactor,
) -> AppResult<Vec<String>> {
    let key = throttle_key(&p.user_id);
    throttle::check(st, &key).await?;
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let row = match db::mfa::totp(&mut tx, &p.user_id).await? {
        None => {
            return Err(AppError::conflict(
                ErrorCode::MfaNotStarted,
                "start setting up two-step sign-in first",
            ));
        }
        Some(r) if r.confirmed_at.is_some() => {
            return Err(AppError::conflict(
                ErrorCode::MfaAlreadyEnabled,
                "two-step sign-in is already on",
            ));
        }
        Some(r) => r,
    };
    if !matches!(code, SecondFactor::Totp(_))
        || !spend(&mut tx, &p.user_id, &row, &code, now).await?
    {
        throttle::fail(&mut tx, st, &key, now).await?;
        tx.commit().await?;
        return Err(invalid_code());
    }
    db::mfa::confirm(&mut tx, &p.user_id, now).await?;
    let mut codes = Vec::with_capacity(mfa::RECOVERY_CODE_COUNT);
    for _ in 0..mfa::RECOVERY_CODE_COUNT {
        let mut random = [0u8; mfa::RECOVERY_CODE_LENGTH];
        getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("random source: {e}"))?;
        codes.push(mfa::recovery_code_from(&random));
    }
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| match SecondFactor::parse(c) {
            Some(SecondFactor::Recovery(r)) => Some(hash_token(&r)),
            _ => None,
        })
        .collect();
    db::mfa::set_recovery_codes(&mut tx, &p.user_id, &hashes).await?;
    throttle::clear(&mut tx, &key).await?;
    audit(&mut tx, st, p, "mfa_enabled").await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns two-step sign-in off, with a code from the authenticator or a recovery code. Errors:
/// 409 `mfa_not_enabled`; 422 `mfa_code_invalid`; 429 after repeated wrong codes.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn disable(st: &AppState, p: &Principal, code: SecondFactor) -> AppResult<()> {
    let key = throttle_key(&p.user_id);
    throttle::check(st, &key).await?;
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let Some(row) = db::mfa::totp(&mut tx, &p.user_id)
        .await?
        .filter(|r| r.confirmed_at.is_some())
    else {
        return Err(AppError::conflict(
            ErrorCode::MfaNotEnabled,
            "two-step sign-in is not on",
        ));
    };
    if !spend(&mut tx, &p.user_id, &row, &code, now).await? {
        throttle::fail(&mut tx, st, &key, now).await?;
        tx.commit().await?;
        return Err(invalid_code());
    }
    db::mfa::remove(&mut tx, &p.user_id).await?;
    throttle::clear(&mut tx, &key).await?;
    audit(&mut tx, st, p, "mfa_disabled").await?;
    tx.commit().await?;
    Ok(())
}

async fn audit(tx: &mut Tx, st: &AppState, p: &Principal, action: &str) -> AppResult<()> {
    db::audit::record::<(), ()>(
        tx,
        &p.actor(st.clock.now()),
        action,
        "user",
        &p.user_id,
        None,
        None,
    )
    .await?;
    Ok(())
}

/// Whether the user has a confirmed authenticator.
pub async fn has_authenticator(tx: &mut Tx, user_id: &str) -> AppResult<bool> {
    Ok(db::mfa::totp(tx, user_id)
        .await?
        .is_some_and(|r| r.confirmed_at.is_some()))
}

/// The hook where a sign-in's first factor (a password, or the identity provider) succeeded:
/// if the user has a confirmed authenticator, opens a challenge and answers its token (valid
/// for [`mfa::CHALLENGE_SECONDS`]); the caller then starts no session. `None`: sign in now.
pub async fn open_challenge(
    tx: &mut Tx,
    user_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<String>> {
    if !has_authenticator(tx, user_id).await? {
        return Ok(None);
    }
    let token = random_token()?;
    let expires = now + chrono::Duration::seconds(mfa::CHALLENGE_SECONDS);
    db::mfa::insert_challenge(tx, &hash_token(&token), user_id, expires).await?;
    Ok(Some(token))
}

/// The second step of a sign-in: the challenge's token and a code (or a recovery code). Answers
/// the user, for whom the caller starts a session; the challenge is spent. Errors: 401
/// `unauthenticated` for an unknown or expired token; 422 `mfa_code_invalid` (the token stays
/// good until it expires, so the person can type again); 429 after repeated wrong codes for
/// the account.
pub async fn answer_challenge(
    st: &AppState,
    mfa_token: &str,
    code: Option<SecondFactor>,
) -> AppResult<User> {
    let now = st.clock.now();
    let token_hash = hash_token(mfa_token);
    let mut tx = st.db.read().await?;
    let user_id = db::mfa::challenge_user(&mut tx, &token_hash, now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    drop(tx);
    let key = throttle_key(&user_id);
    throttle::check(st, &key).await?;
    let mut tx = st.db.write().await?;
    let row = db::mfa::totp(&mut tx, &user_id).await?;
    let user = db::users::get(&mut tx, &user_id).await?;
    // An account turned off after its password was accepted signs in no further.
    let user = user.filter(|u| u.disabled_at.is_none());
    let (Some(row), Some(user)) = (row, user) else {
        return Err(AppError::Unauthenticated);
    };
    let ok = match &code {
        Some(c) => spend(&mut tx, &user_id, &row, c, now).await?,
        None => false,
    };
    if !ok {
        throttle::fail(&mut tx, st, &key, now).await?;
        tx.commit().await?;
        return Err(invalid_code());
    }
    db::mfa::delete_challenge(&mut tx, &token_hash, &user_id, now).await?;
    throttle::clear(&mut tx, &key).await?;
    tx.commit().await?;
    Ok(user)
}

/// The user a live challenge belongs to (for the audit trail of a refused second step);
/// `None` for an unknown or expired token.
pub async fn challenge_owner(st: &AppState, mfa_token: &str) -> AppResult<Option<User>> {
    let mut tx = st.db.read().await?;
    match db::mfa::challenge_user(&mut tx, &hash_token(mfa_token), st.clock.now()).await? {
        Some(id) => Ok(db::users::get(&mut tx, &id).await?),
        None => Ok(None),
    }
}

fn throttle_key(user_id: &str) -> String {
    format!("mfa:{user_id}")
}

/// Code attempts share the sign-in throttle's table and the account's limits
/// (`login_max_failures`, then `login_base_delay` doubling to 15 minutes, decaying by
/// `login_decay`), under their own key per account.
mod throttle {
    use super::*;
    pub use crate::service::throttle::check;
    use crate::service::throttle::{limits, record_failure};

    pub async fn fail(tx: &mut Tx, st: &AppState, key: &str, now: DateTime<Utc>) -> AppResult<()> {
        record_failure(tx, key, now, &limits(st, st.config.login_max_failures)).await?;
        Ok(())
    }

    pub async fn clear(tx: &mut Tx, key: &str) -> AppResult<()> {
        db::sessions::throttle_clear(tx, key).await?;
        Ok(())
    }
}
