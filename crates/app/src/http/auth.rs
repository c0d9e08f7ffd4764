//! Who is calling: sessions (cookie or bearer, the same row), the client's address, and the
//! one gate every handler passes through — `Principal::authorize`. Signing in is the use case
//! `service::sign_in::login`.
use super::error::{AppError, AppResult};
use crate::config::Config;
use crate::db::{self, sessions::SessionRow};
use crate::domain::Role;
pub use crate::service::principal::{Principal, ensure};
pub use crate::service::sign_in::LoginOutcome;
use crate::state::AppState;
use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, header, request::Parts},
};
use std::net::SocketAddr;

/// The session cookie's name: `__Host-practicum_session` with `--secure-cookies` (RFC 6265bis
/// §4.1.3.2: the browser then insists on Secure, Path=/ and no Domain, so no sibling host or
/// plain-http page can plant or read it), else `practicum_session`.
pub fn session_cookie(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-practicum_session"
    } else {
        "practicum_session"
    }
}

/// The client's address: the socket peer, or the `X-Forwarded-For` client when the peer is a
/// configured trusted proxy (`net::client_address`). `None` without connection info (tests
/// that call the router directly).
pub fn client_ip(parts: &Parts, config: &Config) -> Option<String> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    Some(client_ip_of(peer, &parts.headers, config).to_string())
}

/// [`client_ip`] from the peer's address and the request's headers.
pub fn client_ip_of(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    config: &Config,
) -> std::net::IpAddr {
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    crate::net::client_address(peer, &xff, &config.trusted_proxies)
}

/// The client's address as an extractor (see [`client_ip`]).
pub struct ClientIp(pub Option<String>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, &state.config)))
    }
}

pub use crate::password::{hash_token, random_token};

/// The bearer token of the `Authorization` header, if any.
/// A sign-in's client as an API call presents it: a bearer token sent along ends on success.
pub fn api_client(headers: &HeaderMap, ip: Option<String>) -> crate::service::sign_in::Client {
    crate::service::sign_in::Client {
        ip,
        user_agent: user_agent(headers),
        presented_token: bearer(headers),
    }
}

/// A sign-in's client as a page presents it: a session cookie sent along ends on success, so
/// the new session has a new id.
pub fn page_client(
    config: &Config,
    headers: &HeaderMap,
    ip: Option<String>,
) -> crate::service::sign_in::Client {
    crate::service::sign_in::Client {
        ip,
        user_agent: user_agent(headers),
        presented_token: cookie(headers, session_cookie(config)),
    }
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// The `User-Agent` header, if it is text.
pub fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// How stale `last_seen_at` may grow before a request writes it again: a tenth of the idle
/// window, at most a minute. A session then ends between 90% and 100% of the idle window after
/// its last use, for any setting, and a busy session writes at most once a minute.
pub fn touch_after(idle: chrono::Duration) -> chrono::Duration {
    (idle / 10).min(chrono::Duration::seconds(60))
}

/// Looks the token up and applies the idle and absolute limits (OWASP ASVS 5.0 V7.3); an
/// ended session is removed. A disabled account's session is no session.
pub async fn load_session(
    state: &AppState,
    token: &str,
    ip: Option<String>,
) -> AppResult<Principal> {
    let token_hash = hash_token(token);
    let now = state.clock.now();
    let row: Option<SessionRow> = db::sessions::find(&state.db, &token_hash).await?;
    let Some(row) = row else {
        return Err(AppError::Unauthenticated);
    };
    let idle =
        chrono::Duration::from_std(state.config.session_idle).unwrap_or(chrono::Duration::MAX);
    let absolute =
        chrono::Duration::from_std(state.config.session_absolute).unwrap_or(chrono::Duration::MAX);
    if now - row.last_seen_at > idle || now - row.created_at > absolute {
        let mut tx = state.db.write_leaving_placements().await?;
        db::sessions::delete(&mut tx, &token_hash).await?;
        tx.commit().await?;
        return Err(AppError::Unauthenticated);
    }
    if now - row.last_seen_at > touch_after(idle) {
        db::sessions::touch(&state.db, &token_hash, now).await?;
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
        mfa_enrolment_due: crate::domain::mfa::required_for(role, row.mfa_required_by_office)
            && !row.mfa_enrolled,
    })
}

/// API callers authenticate with `Authorization: Bearer`. The cookie is for pages only, so
/// a cross-site form can never ride a browser's cookie into the API.
impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let p = load_session(state, &token, client_ip(parts, &state.config)).await?;
        super::sign_in::api_gate(&p, parts.uri.path())?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_clock_is_refreshed_well_inside_any_window() {
        let m = chrono::Duration::minutes;
        assert_eq!(touch_after(m(1)), chrono::Duration::seconds(6));
        assert_eq!(touch_after(m(30)), m(1));
        assert!(touch_after(chrono::Duration::seconds(5)) < chrono::Duration::seconds(5));
    }
}
