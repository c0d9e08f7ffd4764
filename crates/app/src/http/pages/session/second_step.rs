//! The second step of signing in (`/login/mfa`), after a right password or the identity
//! provider for a user with an authenticator: the same use case as `POST
//! /api/v1/auth/login/mfa` (`service::sign_in::second_step`).
use super::login_csrf_cookie;
use crate::domain::mfa::SecondFactor;
use crate::error::AppError;
use crate::http::auth::{ClientIp, cookie, page_client};
use crate::http::pages::mfa::WRONG_CODE;
use crate::http::pages::{Chrome, Form, PageResult, Summary, constant_time_eq, origin_ok};
use crate::service;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
};

#[derive(Template, WebTemplate)]
#[template(path = "login_mfa.html")]
struct SecondStepPage {
    chrome: Chrome,
    summary: Summary,
    code_error: String,
    mfa_token: String,
}

/// The second step of signing in, after a right password (or the identity provider) for a
/// user with an authenticator. `csrf` is the sign-in form's token, still in its cookie.
pub fn second_step_page(
    csrf: &str,
    mfa_token: String,
    code_error: &str,
    status: StatusCode,
) -> PageResult {
    let mut chrome = Chrome::public("Two-step sign-in");
    chrome.csrf = csrf.to_string();
    let summary = if code_error.is_empty() {
        vec![]
    } else {
        vec![("f-code".to_string(), code_error.to_string())]
    };
    Ok((
        status,
        SecondStepPage {
            chrome,
            summary,
            code_error: code_error.to_string(),
            mfa_token,
        },
    )
        .into_response())
}

pub(super) async fn login_mfa(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Form,
) -> PageResult {
    let expected = cookie(&headers, login_csrf_cookie(&st)).unwrap_or_default();
    let sent = form.get("csrf_token").unwrap_or_default();
    if !origin_ok(&headers) || expected.is_empty() || !constant_time_eq(&expected, sent) {
        return Ok(Redirect::to("/login").into_response());
    }
    let token = form.get("mfa_token").unwrap_or_default().to_string();
    let code = SecondFactor::parse(form.get("code").unwrap_or_default());
    let client = page_client(&st.config, &headers, ip);
    match service::sign_in::second_step(&st, &token, code, client).await {
        Ok((session, _)) => Ok(super::signed_in(&st, &session)),
        Err(AppError::Unauthenticated) => Ok(Redirect::to("/login").into_response()),
        Err(AppError::TooManyRequests { retry_after_secs }) => second_step_page(
            &expected,
            token,
            &format!("Too many wrong codes. Try again in {retry_after_secs} seconds."),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(AppError::Rejected(_)) => second_step_page(
            &expected,
            token,
            WRONG_CODE,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}
