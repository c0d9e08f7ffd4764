//! Sign-in and out, the home page of each role, and "my profile".
use super::view::Cell;
use super::{
    Chrome, Form, PageError, PageResult, PageUser, Section, Summary, constant_time_eq, origin_ok,
};
use crate::db::{self, Scope};
use crate::domain::{
    Role,
    directory::{AgreementStatus, expiring_in},
    policy::{Action, Resource},
};
use crate::http::auth::{self, ClientIp, LoginOutcome, cookie, session_cookie};
use crate::http::error::AppError;
use crate::service::sign_in::{self, SignIn};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};

mod damaged;
mod dashboard;
mod home;
mod passwords;
mod second_step;
mod work;
use home::*;
pub use second_step::second_step_page;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/login/mfa", post(second_step::login_mfa))
        .merge(passwords::router())
        .route("/logout", axum::routing::post(logout))
        .route("/profile", get(profile))
        .route("/profile/sessions/end-others", post(end_other_sessions))
        .route("/profile/sessions/{id}/end", post(end_session))
}

/// Pre-session CSRF: the sign-in form and a cookie carry the same random value. Its name takes
/// the `__Host-` prefix with `--secure-cookies`, like the session's (`auth::session_cookie`).
pub(crate) fn login_csrf_cookie(st: &AppState) -> &'static str {
    if st.config.secure_cookies {
        "__Host-practicum_login_csrf"
    } else {
        "practicum_login_csrf"
    }
}

/// Signed in: the home page, with the session's cookie, and the sign-in form's CSRF cookie
/// cleared. Every way of signing in on pages ends here.
pub(crate) fn signed_in(st: &AppState, token: &str) -> axum::response::Response {
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(st, session_cookie(&st.config), token, None),
    );
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(st, login_csrf_cookie(st), "", Some(0)),
    );
    res
}

/// The second step's page for a first factor that did not come from the sign-in form (the
/// identity provider, a one-time link): a fresh sign-in CSRF token in its cookie.
pub(crate) fn second_step_after_link(st: &AppState, mfa_token: String) -> PageResult {
    let csrf = auth::random_token()?;
    let mut res = second_step_page(&csrf, mfa_token, "", StatusCode::OK)?;
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(st, login_csrf_cookie(st), &csrf, None),
    );
    Ok(res)
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    summary: Summary,
    /// The identity provider's name for "Sign in with ..."; empty without one.
    sso_name: String,
}

pub(crate) fn cookie_header(
    st: &AppState,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) -> HeaderValue {
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub(crate) fn login_page(
    st: &AppState,
    email: String,
    summary: Summary,
    status: StatusCode,
) -> PageResult {
    let token = auth::random_token()?;
    let mut chrome = Chrome::public("Sign in");
    chrome.csrf = token.clone();
    let mut res = (
        status,
        LoginPage {
            chrome,
            email,
            summary,
            sso_name: st
                .config
                .oidc
                .as_ref()
                .map(|o| o.provider_name.clone())
                .unwrap_or_default(),
        },
    )
        .into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(st, login_csrf_cookie(st), &token, None),
    );
    Ok(res)
}

async fn login_form(State(st): State<AppState>) -> PageResult {
    login_page(&st, String::new(), vec![], StatusCode::OK)
}

async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Form,
) -> PageResult {
    let expected = cookie(&headers, login_csrf_cookie(&st)).unwrap_or_default();
    let sent = form.get("csrf_token").unwrap_or_default();
    if !origin_ok(&headers) || expected.is_empty() || !constant_time_eq(&expected, sent) {
        let summary = vec![(
            String::new(),
            "Your sign-in form had expired. Please try again.".to_string(),
        )];
        return login_page(&st, String::new(), summary, StatusCode::FORBIDDEN);
    }
    let email = form.get("email").unwrap_or_default().to_string();
    let password = form.get("password").unwrap_or_default().to_string();
    let attempt = SignIn {
        email: email.clone(),
        password,
        client: auth::page_client(&st.config, &headers, ip),
    };
    match sign_in::login(&st, attempt).await {
        Ok(LoginOutcome::Ok { token, .. }) => Ok(signed_in(&st, &token)),
        Ok(LoginOutcome::MfaRequired { mfa_token }) => {
            second_step_page(&expected, mfa_token, "", StatusCode::OK)
        }
        Ok(LoginOutcome::Refused) => {
            let summary = vec![(
                "f-email".to_string(),
                "The email or password is not right.".to_string(),
            )];
            login_page(&st, email, summary, StatusCode::UNAUTHORIZED)
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let summary = vec![(
                String::new(),
                format!("Too many failed attempts. Try again in {retry_after_secs} seconds."),
            )];
            let mut res = login_page(&st, email, summary, StatusCode::TOO_MANY_REQUESTS)?;
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    sign_in::logout(&st, &user.p).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&st, session_cookie(&st.config), "", Some(0)),
    );
    Ok(res)
}

async fn profile(State(st): State<AppState>, user: PageUser) -> PageResult {
    let p = &user.p;
    let mut facts = vec![
        ("Name", Cell::text(&p.name)),
        ("Email", Cell::text(&p.email)),
        ("Role", Cell::text(p.role.label())),
    ];
    let mut tx = st.db.read().await?;
    if let Some(id) = &p.school_id
        && let Some(s) = db::schools::get(&mut tx, id).await?
    {
        facts.push(("School", Cell::text(s.name)));
    }
    if let Some(id) = &p.student_id
        && let Some(s) = db::students::get(&mut tx, id).await?
    {
        let program = db::programs::get(&mut tx, &s.program_id)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        facts.push(("Program", Cell::text(program)));
        facts.push(("Enrollment", Cell::badge(s.enrollment_status, "info")));
        // What a school that receives the student in a transfer asks for.
        facts.push(("Practicum ID", Cell::text(s.id)));
        facts.push(("Expected graduation", Cell::date(s.expected_graduation)));
    }
    if let Some(id) = &p.staff_id
        && let Some(s) = db::staff::get(&mut tx, id).await?
    {
        let dept = db::departments::get(&mut tx, &s.department_id)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        facts.push(("Department", Cell::text(dept)));
        if let Some(c) = s.credential {
            facts.push(("Credential", Cell::text(c)));
        }
        facts.push(("Licence expires", Cell::date(s.license_expires_on)));
        if s.is_preceptor {
            facts.push(("Students at once", Cell::text(s.max_students.to_string())));
        }
    }
    drop(tx);
    // A student's rights over their record: who has read it, and all of it to take away.
    let actions = match &p.student_id {
        Some(id) => vec![
            (
                format!("/students/{id}/disclosures"),
                "Who has seen my record".to_string(),
            ),
            (
                format!("/students/{id}/export"),
                "Download all my data (ZIP)".to_string(),
            ),
        ],
        None => vec![],
    };
    let mut actions = actions;
    actions.push(("/profile/password".into(), "Change password".into()));
    actions.push(("/profile/mfa".into(), "Two-step sign-in".into()));
    let (sessions, forms) = sessions_section(&st, &user).await?;
    Ok(super::RecordPage {
        chrome: user.chrome("My profile"),
        facts,
        actions,
        sections: vec![sessions],
        upload: None,
        forms,
    }
    .into_response())
}

/// "Where you are signed in": each session with its device, address, start and last use, and
/// a button to end each other one, or all of them but this one.
async fn sessions_section(
    st: &AppState,
    user: &PageUser,
) -> Result<(Section, Vec<super::ActionForm>), super::PageError> {
    let sessions = sign_in::my_sessions(st, &user.p).await?;
    let mut table = super::view::Table::new(
        "Where you are signed in",
        vec!["Device", "Address", "Signed in", "Last used", ""],
        "No sessions.",
    );
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%a %-d %b %Y %H:%M UTC").to_string();
    let mut forms = vec![];
    for s in &sessions {
        table.rows.push(vec![
            Cell::text(&s.device),
            Cell::text(s.ip.clone().unwrap_or_default()),
            Cell::text(when(s.created_at)),
            Cell::text(when(s.last_seen_at)),
            if s.current {
                Cell::badge("this session", "info")
            } else {
                Cell::text("")
            },
        ]);
        if !s.current {
            forms.push(super::ActionForm::new(
                format!("/profile/sessions/{}/end", s.id),
                format!(
                    "End the session on {} (last used {})",
                    s.device,
                    when(s.last_seen_at)
                ),
            ));
        }
    }
    if sessions.iter().filter(|s| !s.current).count() > 1 {
        forms.push(super::ActionForm::new(
            "/profile/sessions/end-others",
            "Sign out everywhere else",
        ));
    }
    forms.push(super::ActionForm::new(
        "/profile/sessions/end-all",
        "Sign out everywhere, here too",
    ));
    Ok((
        Section {
            title: "Where you are signed in".into(),
            table,
            actions: vec![],
        },
        forms,
    ))
}

async fn end_session(
    State(st): State<AppState>,
    user: PageUser,
    super::PageId(id): super::PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    sign_in::end_my_session(&st, &user.p, &id).await?;
    Ok(Redirect::to("/profile?done=saved").into_response())
}

async fn end_other_sessions(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    sign_in::end_my_other_sessions(&st, &user.p).await?;
    Ok(Redirect::to("/profile?done=saved").into_response())
}
