//! Two-step sign-in pages (issue 13 point 4): `/profile/mfa` to set up a TOTP authenticator
//! with a QR code drawn by the server, confirm it with a first code, keep the recovery codes
//! and turn it off. The same use cases as `/api/v1/me/mfa` (`service::mfa`); the second step of
//! signing in, `/login/mfa`, is with the other sign-in pages (`pages::session::second_step`).
use super::{Chrome, Form, PageResult, PageUser, Summary};
use crate::domain::mfa::SecondFactor;
use crate::error::AppError;
use crate::http::sign_in;
use crate::service::mfa;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
    routing::{get, post},
};

/// What a wrong code is told, on the second step and when enrolling or turning it off.
pub const WRONG_CODE: &str =
    "The code is not right, or it was already used. Wait for the next code and try again.";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/profile/mfa", get(show))
        .route("/profile/mfa/start", post(start))
        .route("/profile/mfa/confirm", post(confirm))
        .route("/profile/mfa/disable", post(disable))
}

#[derive(Template, WebTemplate)]
#[template(path = "mfa.html")]
struct MfaPage {
    chrome: Chrome,
    summary: Summary,
    /// `off`, `pending` (QR code and confirm form), `on`, or `codes` (just confirmed).
    stage: &'static str,
    required: bool,
    qr_svg: String,
    secret: String,
    codes: Vec<String>,
    codes_left: i64,
    code_error: String,
}

/// The page as the user's standing makes it, with `code_error` at the code field.
async fn page(st: &AppState, user: &PageUser, code_error: &str, status: StatusCode) -> PageResult {
    let s = mfa::status(st, &user.p).await?;
    let pending = if s.pending {
        mfa::pending_enrolment(st, &user.p).await?
    } else {
        None
    };
    let (qr_svg, secret) = match &pending {
        Some(e) => (sign_in::qr_svg(&e.otpauth_url)?, e.secret.clone()),
        None => (String::new(), String::new()),
    };
    let stage = if s.enabled {
        "on"
    } else if pending.is_some() {
        "pending"
    } else {
        "off"
    };
    let summary = if code_error.is_empty() {
        vec![]
    } else {
        vec![("f-code".to_string(), code_error.to_string())]
    };
    Ok((
        status,
        MfaPage {
            chrome: user.chrome("Two-step sign-in"),
            summary,
            stage,
            required: s.required,
            qr_svg,
            secret,
            codes: vec![],
            codes_left: s.recovery_codes_left,
            code_error: code_error.to_string(),
        },
    )
        .into_response())
}

async fn show(State(st): State<AppState>, user: PageUser) -> PageResult {
    page(&st, &user, "", StatusCode::OK).await
}

async fn start(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    match mfa::start_enrolment(&st, &user.p).await {
        Ok(_) | Err(AppError::Rejected(_)) => Ok(Redirect::to("/profile/mfa").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Words for a refused code: too many attempts, or the code.
fn code_refusal(e: AppError) -> Result<(String, StatusCode), AppError> {
    match e {
        AppError::TooManyRequests { retry_after_secs } => Ok((
            format!("Too many wrong codes. Try again in {retry_after_secs} seconds."),
            StatusCode::TOO_MANY_REQUESTS,
        )),
        AppError::Rejected(_) => Ok((WRONG_CODE.to_string(), StatusCode::UNPROCESSABLE_ENTITY)),
        e => Err(e),
    }
}

async fn confirm(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let result = match SecondFactor::parse(form.get("code").unwrap_or_default()) {
        Some(code) => mfa::confirm_enrolment(&st, &user.p, code).await,
        None => Err(AppError::Rejected(Default::default())),
    };
    match result {
        Ok(codes) => {
            let mut chrome = user.chrome("Two-step sign-in");
            chrome.banner = "Two-step sign-in is on.".into();
            Ok(MfaPage {
                chrome,
                summary: vec![],
                stage: "codes",
                required: false,
                qr_svg: String::new(),
                secret: String::new(),
                codes_left: codes.len() as i64,
                codes,
                code_error: String::new(),
            }
            .into_response())
        }
        Err(e) => {
            let (words, status) = code_refusal(e)?;
            page(&st, &user, &words, status).await
        }
    }
}

async fn disable(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let result = match SecondFactor::parse(form.get("code").unwrap_or_default()) {
        Some(code) => mfa::disable(&st, &user.p, code).await,
        None => Err(AppError::Rejected(Default::default())),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/profile/mfa?done=saved").into_response()),
        Err(e) => {
            let (words, status) = code_refusal(e)?;
            page(&st, &user, &words, status).await
        }
    }
}
