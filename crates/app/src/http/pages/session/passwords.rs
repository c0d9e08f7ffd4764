//! Passwords on pages (issue 14 point 2): "Forgot your password?" (`/password/forgot`), the
//! reset link's page (`/password/reset/{token}`), the invitation's page (`/invitations/{token}`)
//! — both set a password and sign the person in — and, on the profile, changing one's password
//! and signing out everywhere. The same use cases as the API (`service::passwords`,
//! `service::invitations`, `service::sign_in`).
use super::cookie_header;
use crate::error::AppError;
use crate::http::auth::{ClientIp, page_client, session_cookie};
use crate::http::input;
use crate::http::pages::view::Field;
use crate::http::pages::{Chrome, Form, FormPage, PageResult, PageUser, origin_ok};
use crate::service::{self, sign_in::LoginOutcome};
use crate::state::AppState;
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
        .route("/invitations/{token}", get(invitation_form).post(accept))
        .route("/profile/password", get(change_form).post(change))
        .route("/profile/sessions/end-all", post(sign_out_everywhere))
}

fn forgot_page(intro: &str) -> FormPage {
    FormPage {
        chrome: Chrome::public("Forgot your password?"),
        intro: intro.into(),
        action: "/password/forgot".into(),
        fields: vec![Field::new("email", "Email", "email").required()],
        summary: vec![],
        submit: "Send me a link",
        cancel: "/login".into(),
        multipart: false,
        at_risk: vec![],
    }
}

async fn forgot_form() -> PageResult {
    Ok(forgot_page(
        "Type the email you sign in with. We send a link to choose a new password; it works once, for one hour.",
    )
    .into_response())
}

/// The same answer whether the address has an account or not.
async fn forgot(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Form,
) -> PageResult {
    if !origin_ok(&headers) {
        return Err(AppError::Forbidden.into());
    }
    let email = form.get("email").unwrap_or_default().to_string();
    let client = page_client(&st.config, &headers, ip);
    match service::passwords::request_reset(&st, &email, &client).await {
        Ok(()) => Ok(forgot_page(&format!(
            "If an account signs in with {}, we have e-mailed it a link to choose a new password. The link works once, for one hour. Nothing came? Check the address, or ask the education office.",
            email.trim()
        ))
        .into_response()),
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let mut page = forgot_page("");
            page.summary = vec![(
                "f-email".into(),
                format!(
                    "Too many links were asked for. Try again in {} minutes.",
                    retry_after_secs.div_ceil(60)
                ),
            )];
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn new_password_page(title: &str, intro: &str, action: String) -> FormPage {
    FormPage {
        chrome: Chrome::public(title),
        intro: intro.into(),
        action,
        fields: vec![Field::new("password", "New password", "password").required()],
        summary: vec![],
        submit: "Set password and sign in",
        cancel: "/login".into(),
        multipart: false,
        at_risk: vec![],
    }
}

fn reset_page(token: &str) -> FormPage {
    new_password_page(
        "Choose a new password",
        "Choose a password of at least 10 characters: a few unrelated words are easy to remember and hard to guess. Every place you were signed in is signed out.",
        format!("/password/reset/{token}"),
    )
}

fn invitation_page(token: &str) -> FormPage {
    new_password_page(
        "Set your password",
        "You are invited to Practicum. Choose a password of at least 10 characters: a few unrelated words are easy to remember and hard to guess.",
        format!("/invitations/{token}"),
    )
}

async fn reset_form(Path(token): Path<String>) -> PageResult {
    Ok(reset_page(&token).into_response())
}

async fn invitation_form(Path(token): Path<String>) -> PageResult {
    Ok(invitation_page(&token).into_response())
}

#[derive(Clone, Copy)]
enum Link {
    Invitation,
    Reset,
}

async fn reset(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: Form,
) -> PageResult {
    set_password(st, ip, headers, token, form, Link::Reset).await
}

/// The link in the email is the credential here; the Origin check still applies.
async fn accept(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    form: Form,
) -> PageResult {
    set_password(st, ip, headers, token, form, Link::Invitation).await
}

/// Sets the password with a one-time link and signs the person in: a session cookie and the
/// home page, or the second step for an account with an authenticator.
async fn set_password(
    st: AppState,
    ip: Option<String>,
    headers: HeaderMap,
    token: String,
    form: Form,
    link: Link,
) -> PageResult {
    if !origin_ok(&headers) {
        return Err(AppError::Forbidden.into());
    }
    let mut map = serde_json::Map::new();
    map.insert(
        "password".into(),
        serde_json::Value::String(form.get("password").unwrap_or("").to_string()),
    );
    let parsed = input::invitations::accept(map);
    let (used, page, method) = match link {
        Link::Invitation => (
            service::invitations::accept_invitation(&st, &token, parsed).await,
            invitation_page(&token),
            "invitation",
        ),
        Link::Reset => (
            service::passwords::reset_password(&st, &token, parsed).await,
            reset_page(&token),
            "password reset",
        ),
    };
    let user = match used {
        Ok(user) => user,
        Err(AppError::Rejected(p)) if p.status() == 422 => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page.with_problems(&p)).into_response());
        }
        Err(AppError::NotFound) => return Err(service::passwords::link_gone().into()),
        Err(e) => return Err(e.into()),
    };
    let client = page_client(&st.config, &headers, ip);
    match service::sign_in::after_new_password(&st, user, client, method).await? {
        LoginOutcome::Ok { token, .. } => Ok(super::signed_in(&st, &token)),
        LoginOutcome::MfaRequired { mfa_token } => super::second_step_after_link(&st, mfa_token),
        LoginOutcome::Refused => Ok(Redirect::to("/login").into_response()),
    }
}

fn change_page(user: &PageUser) -> FormPage {
    FormPage {
        chrome: user.chrome("Change your password"),
        intro: "Your other sessions are signed out, and we e-mail you that your password changed.".into(),
        action: "/profile/password".into(),
        fields: vec![
            Field::new("current_password", "Current password", "password").required(),
            Field::new("new_password", "New password", "password")
                .required()
                .hint("At least 10 characters; a few unrelated words are easy to remember and hard to guess."),
        ],
        summary: vec![],
        submit: "Change password",
        cancel: "/profile".into(),
        multipart: false,
        at_risk: vec![],
    }
}

async fn change_form(user: PageUser) -> PageResult {
    Ok(change_page(&user).into_response())
}

async fn change(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let mut map = serde_json::Map::new();
    for k in ["current_password", "new_password"] {
        map.insert(
            k.into(),
            serde_json::Value::String(form.get(k).unwrap_or("").to_string()),
        );
    }
    match service::passwords::change_password(&st, &user.p, input::invitations::change(map)).await {
        Ok(()) => Ok(Redirect::to("/profile?done=password").into_response()),
        Err(AppError::Rejected(p)) if p.status() == 422 => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            change_page(&user).with_problems(&p),
        )
            .into_response()),
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let mut page = change_page(&user);
            page.summary = vec![(
                "f-current_password".into(),
                format!("Too many wrong passwords. Try again in {retry_after_secs} seconds."),
            )];
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn sign_out_everywhere(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    service::sign_in::sign_out_everywhere(&st, &user.p).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&st, session_cookie(&st.config), "", Some(0)),
    );
    Ok(res)
}
