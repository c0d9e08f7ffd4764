//! Who is calling: sessions (cookie or bearer, the same row), login with throttling, and the
//! one gate every handler passes through — `Principal::authorize`.
use super::error::{AppError, AppResult};
use crate::db::{self, sessions::SessionRow};
use crate::domain::Role;
pub use crate::service::principal::{Principal, ensure};
use crate::state::AppState;
use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "practicum_session";

pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

pub use crate::password::{hash_token, random_token};

fn bearer(parts: &Parts) -> Option<String> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Looks the token up and applies the idle and absolute limits; an ended session is removed.
pub async fn load_session(
    state: &AppState,
    token: &str,
    ip: Option<String>,
) -> AppResult<Principal> {
    let token_hash = hash_token(token);
    let now = state.clock.now();
    let mut tx = state.db.read().await?;
    let row: Option<SessionRow> = db::sessions::find(&mut tx, &token_hash).await?;
    drop(tx);
    let Some(row) = row else {
        return Err(AppError::Unauthenticated);
    };
    let idle =
        chrono::Duration::from_std(state.config.session_idle).unwrap_or(chrono::Duration::MAX);
    let absolute =
        chrono::Duration::from_std(state.config.session_absolute).unwrap_or(chrono::Duration::MAX);
    if now - row.last_seen_at > idle || now - row.created_at > absolute {
        let mut tx = state.db.write().await?;
        db::sessions::delete(&mut tx, &token_hash).await?;
        tx.commit().await?;
        return Err(AppError::Unauthenticated);
    }
    // Touch at most once a minute: the idle clock need not be finer, and it spares writes.
    if now - row.last_seen_at > chrono::Duration::seconds(60) {
        let mut tx = state.db.write().await?;
        db::sessions::touch(&mut tx, &token_hash, now).await?;
        tx.commit().await?;
    }
    let role = Role::parse(&row.role)
        .ok_or_else(|| anyhow::anyhow!("unknown role {:?} in the users table", row.role))?;
    Ok(Principal {
        user_id: row.user_id,
        email: row.email,
        name: row.name,
        role,
        school_id: row.school_id,
        staff_id: row.staff_id,
        student_id: row.student_id,
        department_id: row.department_id,
        csrf_token: row.csrf_token,
        token_hash,
        ip,
    })
}

/// API callers authenticate with `Authorization: Bearer`. The cookie is for pages only, so
/// a cross-site form can never ride a browser's cookie into the API.
impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(parts).ok_or(AppError::Unauthenticated)?;
        let p = load_session(state, &token, client_ip(parts)).await?;
        super::sign_in::api_gate(state, &p, parts.uri.path()).await?;
        Ok(p)
    }
}

/// The outcome of a sign-in attempt.
pub enum LoginOutcome {
    Ok {
        token: String,
        user: Box<db::users::User>,
    },
    /// The password is right and the user has an authenticator: no session yet, a challenge
    /// for the second step (`sign_in`, `service::mfa`).
    MfaRequired {
        mfa_token: String,
    },
    Refused,
}

/// Checks the password with per-account and per-IP throttling: after `login_max_failures`
/// failures a key waits `login_base_delay`, doubling with each further failure (capped at
/// 15 minutes). A success clears the account's count.
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    ip: Option<String>,
) -> AppResult<LoginOutcome> {
    let now = state.clock.now();
    let email = email.trim().to_lowercase();
    let keys = [
        Some(format!("email:{email}")),
        ip.as_ref().map(|ip| format!("ip:{ip}")),
    ];
    let keys: Vec<String> = keys.into_iter().flatten().collect();

    let mut tx = state.db.read().await?;
    let mut wait = 0i64;
    for k in &keys {
        if let Some((_, Some(until))) = db::sessions::throttle_get(&mut tx, k).await?
            && until > now
        {
            // Whole seconds, rounded up: a wait that has passed is no wait.
            wait = wait.max(((until - now).num_milliseconds() + 999) / 1000);
        }
    }
    let user = db::users::by_email(&mut tx, &email).await?;
    drop(tx);
    if wait > 0 {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait as u64,
        });
    }

    let ok = crate::password::verify(
        password,
        user.as_ref().and_then(|u| u.password_hash.clone()),
    )
    .await;
    let mut tx = state.db.write().await?;
    let outcome = match (ok, user) {
        (true, Some(user)) => {
            db::sessions::throttle_clear(&mut tx, &keys[0]).await?;
            if let Some(mfa_token) =
                crate::service::mfa::open_challenge(&mut tx, &user.id, now).await?
            {
                tx.commit().await?;
                return Ok(LoginOutcome::MfaRequired { mfa_token });
            }
            let token = random_token()?;
            db::sessions::insert(
                &mut tx,
                &hash_token(&token),
                &user.id,
                &random_token()?,
                now,
                ip.as_deref(),
            )
            .await?;
            LoginOutcome::Ok {
                token,
                user: Box::new(user),
            }
        }
        _ => {
            for k in &keys {
                let failures = db::sessions::throttle_get(&mut tx, k)
                    .await?
                    .map(|f| f.0)
                    .unwrap_or(0)
                    + 1;
                let over = failures - state.config.login_max_failures;
                let locked_until = (over >= 0).then(|| {
                    let base = state.config.login_base_delay.as_millis() as i64;
                    let ms = base
                        .saturating_mul(1i64 << over.min(20))
                        .min(15 * 60 * 1000);
                    now + chrono::Duration::milliseconds(ms)
                });
                db::sessions::throttle_set(&mut tx, k, failures, locked_until).await?;
            }
            LoginOutcome::Refused
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

pub async fn logout(state: &AppState, token_hash: &str) -> AppResult<()> {
    let mut tx = state.db.write().await?;
    db::sessions::delete(&mut tx, token_hash).await?;
    tx.commit().await?;
    Ok(())
}
