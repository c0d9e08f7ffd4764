//! Sign-in through the hospital's identity provider (issue 13 point 4; OpenID Connect Core 1.0,
//! authorization code flow with PKCE, RFC 7636): `/login/sso` sends the browser to the provider
//! with a fresh `state`, `nonce` and PKCE challenge; `/login/sso/callback` checks the `state`
//! against the browser's cookie and the pending sign-in (once), exchanges the code, verifies the
//! ID token (`crate::sso`), finds the account (`service::sso`) and completes the sign-in as a
//! password does (`http::sign_in`: a session, or the second step for a user with an
//! authenticator). Every refusal is a sign-in page that says why, in words.
use super::session::{cookie_header, login_page, second_step_after_link, signed_in};
use super::{PageResult, constant_time_eq};
use crate::domain::sso::Refusal;
use crate::error::AppError;
use crate::http::auth::{ClientIp, cookie, page_client};
use crate::service::{self, sign_in::LoginOutcome};
use crate::sso::SsoError;
use crate::state::AppState;
use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect},
    routing::get,
};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login/sso", get(start))
        .route("/login/sso/callback", get(callback))
}

/// The cookie holding the `state` of the sign-in this browser started: the callback must bring
/// the same one back (OpenID Connect Core 1.0 section 3.1.2.1: binds the answer to this
/// browser's request). `__Host-` prefixed with `--secure-cookies`, like the session's.
fn state_cookie(st: &AppState) -> &'static str {
    if st.config.secure_cookies {
        "__Host-practicum_sso_state"
    } else {
        "practicum_sso_state"
    }
}

/// The sign-in page with `words` at the top.
fn refused(st: &AppState, words: String, status: StatusCode) -> PageResult {
    let mut res = login_page(st, String::new(), vec![(String::new(), words)], status)?;
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(st, state_cookie(st), "", Some(0)),
    );
    Ok(res)
}

async fn start(State(st): State<AppState>) -> PageResult {
    let Some(cfg) = st.config.oidc.clone() else {
        return Err(AppError::NotFound.into());
    };
    match crate::sso::start(&cfg).await {
        Ok(started) => {
            service::sso::remember_pending(&st, &started).await?;
            let mut res = Redirect::to(&started.authorize_url).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    &st,
                    state_cookie(&st),
                    &started.state,
                    Some(service::sso::PENDING_MINUTES * 60),
                ),
            );
            Ok(res)
        }
        Err(e) => {
            tracing::warn!(error = %e, "sign-in through the identity provider could not start");
            refused(
                &st,
                format!(
                    "{} could not be reached. Try again in a moment, or sign in with your email and password.",
                    cfg.provider_name
                ),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    }
}

async fn callback(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> PageResult {
    let Some(cfg) = st.config.oidc.clone() else {
        return Err(AppError::NotFound.into());
    };
    let provider = cfg.provider_name.clone();
    if params.contains_key("error") {
        return refused(
            &st,
            format!(
                "{provider} did not sign you in. Try again, or sign in with your email and password."
            ),
            StatusCode::FORBIDDEN,
        );
    }
    let expired = || {
        refused(
            &st,
            "Your sign-in had expired or did not start here. Please try again.".into(),
            StatusCode::FORBIDDEN,
        )
    };
    let (Some(state), Some(code)) = (params.get("state"), params.get("code")) else {
        return expired();
    };
    let kept = cookie(&headers, state_cookie(&st)).unwrap_or_default();
    if kept.is_empty() || !constant_time_eq(&kept, state) {
        return expired();
    }
    let Some((nonce, verifier)) = service::sso::take_pending(&st, state).await? else {
        return expired();
    };
    let clock = st.clock.clone();
    let identity = match crate::sso::finish(&cfg, code.clone(), verifier, nonce, move || {
        clock.now()
    })
    .await
    {
        Ok(i) => i,
        Err(SsoError::InvalidToken(e)) => {
            tracing::warn!(error = %e, "an ID token was refused");
            return refused(
                &st,
                format!(
                    "{provider}'s answer could not be verified, so you are not signed in. Please try again."
                ),
                StatusCode::FORBIDDEN,
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "sign-in through the identity provider failed");
            return refused(
                &st,
                format!(
                    "{provider} could not be reached. Try again in a moment, or sign in with your email and password."
                ),
                StatusCode::SERVICE_UNAVAILABLE,
            );
        }
    };
    let client = page_client(&st.config, &headers, ip);
    let user = match service::sso::account_for(&st, &identity, &cfg.role_map).await? {
        Ok(user) => user,
        Err(refusal) => {
            let reason = match refusal {
                Refusal::NoAccount => "identity provider; no account with that e-mail",
                Refusal::NoMappedRole => "identity provider; the claims give no role",
                Refusal::RoleNotGiven => {
                    "identity provider; the claims do not give the account's role"
                }
            };
            service::sign_in::identity_provider_refused(
                &st,
                identity.email.as_deref(),
                reason,
                &client,
            )
            .await?;
            let words = match refusal {
                Refusal::NoAccount => format!(
                    "No Practicum account has the verified email address {provider} gave for you. Accounts are made by the education office: ask them to add you."
                ),
                Refusal::NoMappedRole => format!(
                    "Your account at {provider} does not give you a role in Practicum, so you cannot sign in this way. Ask the education office."
                ),
                Refusal::RoleNotGiven => format!(
                    "Your account at {provider} does not give you the role your Practicum account has, so you cannot sign in this way. Ask the education office."
                ),
            };
            return refused(&st, words, StatusCode::FORBIDDEN);
        }
    };
    let clear_state = cookie_header(&st, state_cookie(&st), "", Some(0));
    match service::sign_in::through_identity_provider(&st, user, client).await? {
        LoginOutcome::Ok { token, .. } => {
            let mut res = signed_in(&st, &token);
            res.headers_mut().append(header::SET_COOKIE, clear_state);
            Ok(res)
        }
        LoginOutcome::Refused => refused(
            &st,
            "Your Practicum account is turned off. Ask the education office.".into(),
            StatusCode::FORBIDDEN,
        ),
        LoginOutcome::MfaRequired { mfa_token } => {
            let mut res = second_step_after_link(&st, mfa_token)?;
            res.headers_mut().append(header::SET_COOKIE, clear_state);
            Ok(res)
        }
    }
}
