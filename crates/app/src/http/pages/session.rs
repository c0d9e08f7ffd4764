//! Sign-in and out, the home page of each role, and "my profile".
use super::view::{Cell, Table};
use super::{
    Chrome, Form, PageError, PageResult, PageUser, Section, Summary, constant_time_eq, origin_ok,
};
use crate::db::{self, Scope};
use crate::domain::{
    Role,
    directory::{AgreementStatus, expiring_in},
    policy::{Action, Resource},
};
use crate::http::auth::{self, LoginOutcome, SESSION_COOKIE, cookie};
use crate::http::error::AppError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", axum::routing::post(logout))
        .route("/profile", get(profile))
}

/// Pre-session CSRF: the sign-in form and a cookie carry the same random value.
const LOGIN_CSRF_COOKIE: &str = "practicum_login_csrf";

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    email: String,
    summary: Summary,
}

fn cookie_header(st: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
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

fn login_page(st: &AppState, email: String, summary: Summary, status: StatusCode) -> Response {
    let token = auth::random_token();
    let mut chrome = Chrome::public("Sign in");
    chrome.csrf = token.clone();
    let mut res = (
        status,
        LoginPage {
            chrome,
            email,
            summary,
        },
    )
        .into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(st, LOGIN_CSRF_COOKIE, &token, None),
    );
    res
}

async fn login_form(State(st): State<AppState>) -> Response {
    login_page(&st, String::new(), vec![], StatusCode::OK)
}

async fn login(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Form,
) -> PageResult {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    let sent = form.get("csrf_token").unwrap_or_default();
    if !origin_ok(&headers) || expected.is_empty() || !constant_time_eq(&expected, sent) {
        let summary = vec![(
            String::new(),
            "Your sign-in form had expired. Please try again.".to_string(),
        )];
        return Ok(login_page(
            &st,
            String::new(),
            summary,
            StatusCode::FORBIDDEN,
        ));
    }
    let email = form.get("email").unwrap_or_default().to_string();
    let password = form.get("password").unwrap_or_default().to_string();
    match auth::login(&st, &email, password, Some(addr.ip().to_string())).await {
        Ok(LoginOutcome::Ok { token, .. }) => {
            let mut res = Redirect::to("/").into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(&st, SESSION_COOKIE, &token, None),
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(&st, LOGIN_CSRF_COOKIE, "", Some(0)),
            );
            Ok(res)
        }
        Ok(LoginOutcome::Refused) => {
            let summary = vec![(
                "f-email".to_string(),
                "The email or password is not right.".to_string(),
            )];
            Ok(login_page(&st, email, summary, StatusCode::UNAUTHORIZED))
        }
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let summary = vec![(
                String::new(),
                format!("Too many failed attempts. Try again in {retry_after_secs} seconds."),
            )];
            let mut res = login_page(&st, email, summary, StatusCode::TOO_MANY_REQUESTS);
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

async fn logout(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    auth::logout(&st, &user.p.token_hash).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&st, SESSION_COOKIE, "", Some(0)),
    );
    Ok(res)
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    intro: String,
    tiles: Vec<(String, String, String)>,
    sections: Vec<Section>,
}

/// Agreements that end within 90 days, soonest first.
async fn expiring_agreements(st: &AppState, scope: &Scope) -> Result<Table, PageError> {
    let today = st.clock.today();
    let mut tx = st.db.read().await?;
    let filter = db::agreements::Filter {
        expiring_by: Some(today + chrono::Duration::days(90)),
        expiring_from: Some(today),
        ..Default::default()
    };
    let mut items = db::agreements::list(
        &mut tx,
        scope,
        &filter,
        &db::Page {
            limit: 500,
            after: None,
        },
    )
    .await?
    .items;
    items.sort_by_key(|a| a.expires_on);
    let mut t = Table::new(
        "Agreements expiring within 90 days",
        vec!["School", "Expires", "In"],
        "No agreement expires in the next 90 days.",
    );
    for a in items {
        let school = db::schools::get(&mut tx, &a.school_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let days = expiring_in(AgreementStatus::Active, a.expires_on, today, 90).unwrap_or(0);
        t.rows.push(vec![
            Cell::link(school, format!("/agreements/{}", a.id)),
            Cell::date(Some(a.expires_on)),
            Cell::badge(format!("expiring in {days} days"), "warn"),
        ]);
    }
    Ok(t)
}

async fn home(State(st): State<AppState>, user: Result<PageUser, PageError>) -> PageResult {
    let user = match user {
        Ok(u) => u,
        Err(_) => return Ok(Redirect::to("/login").into_response()),
    };
    let p = &user.p;
    let mut tiles = vec![];
    let mut sections = vec![];
    let intro;
    match p.role {
        Role::Admin | Role::Coordinator => {
            intro = "What needs your attention today.".to_string();
            let mut tx = st.db.read().await?;
            let all = db::Page {
                limit: 100_000,
                after: None,
            };
            let students = db::students::list(
                &mut tx,
                &Scope::All,
                &db::students::Filter {
                    status: Some("enrolled".into()),
                    ..Default::default()
                },
                &all,
            )
            .await?
            .items
            .len();
            drop(tx);
            let expiring = expiring_agreements(&st, &Scope::All).await?;
            let mut tx = st.db.read().await?;
            let open = db::requests::counts(&mut tx, &Scope::All).await?;
            let today = st.clock.today();
            let soon = db::placements::Filter {
                from: Some(today),
                to: Some(today + chrono::Duration::days(14)),
                ..Default::default()
            };
            let mut starting = 0;
            for r in db::placements::list(&mut tx, &Scope::All, &soon, &all)
                .await?
                .items
            {
                if matches!(r.status.as_str(), "proposed" | "confirmed")
                    && r.starts_on >= today
                    && !crate::service::placements::clearance_of(&mut tx, &r, today)
                        .await?
                        .is_cleared()
                {
                    starting += 1;
                }
            }
            drop(tx);
            let to_decide: i64 = open
                .iter()
                .filter(|(s, _)| s == "submitted" || s == "waitlisted")
                .map(|(_, n)| n)
                .sum();
            tiles.push((
                "requests to decide".into(),
                to_decide.to_string(),
                "/requests".into(),
            ));
            tiles.push((
                "students starting within 14 days, not cleared".into(),
                starting.to_string(),
                format!(
                    "/placements?from={today}&to={}",
                    today + chrono::Duration::days(14)
                ),
            ));
            tiles.push((
                "agreements expiring within 90 days".into(),
                expiring.rows.len().to_string(),
                "/agreements?expiring=90".into(),
            ));
            tiles.push((
                "enrolled students".into(),
                students.to_string(),
                "/students?status=enrolled".into(),
            ));
            sections.push(Section {
                title: "Agreements to renew".into(),
                table: expiring,
                actions: vec![(
                    "/agreements?expiring=90".into(),
                    "All expiring agreements".into(),
                )],
            });
        }
        Role::SchoolCoordinator => {
            let mut tx = st.db.read().await?;
            let school = match &p.school_id {
                Some(id) => db::schools::get(&mut tx, id)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let agreements = match &p.school_id {
                Some(id) => db::agreements::of_school(&mut tx, id).await?,
                None => vec![],
            };
            let scope = p.authorize(Resource::Request, Action::Read)?;
            let requests = db::requests::list(
                &mut tx,
                &scope,
                &Default::default(),
                &db::Page {
                    limit: 500,
                    after: None,
                },
            )
            .await?
            .items;
            let pscope = p.authorize(Resource::Placement, Action::Read)?;
            let today = st.clock.today();
            let upcoming = db::placements::Filter {
                from: Some(today),
                ..Default::default()
            };
            let placements = db::placements::list(
                &mut tx,
                &pscope,
                &upcoming,
                &db::Page {
                    limit: 50,
                    after: None,
                },
            )
            .await?
            .items;
            drop(tx);
            intro = format!(
                "{school}: your requests and the office's decisions, your students' placements, and your agreement."
            );
            let mut rt = Table::new(
                "Your requests, newest first",
                vec!["Submitted", "Period", "Places", "Status", "Reason"],
                "No requests yet.",
            );
            for r in requests.iter().rev().take(10) {
                rt.rows.push(vec![
                    Cell::link(
                        super::view::human_date(r.created_at.date_naive()),
                        format!("/requests/{}", r.id),
                    ),
                    Cell::text(format!(
                        "{} – {}",
                        super::view::human_date(r.starts_on),
                        super::view::human_date(r.ends_on)
                    )),
                    Cell::text(r.places().to_string()),
                    super::requests::status_badge(&r.status),
                    Cell::text(r.decision_reason.clone().unwrap_or_default()),
                ]);
            }
            sections.push(Section {
                title: "Requests and decisions".into(),
                table: rt,
                actions: vec![("/requests/new".into(), "New request".into())],
            });
            let pt = super::placements::table(
                &st,
                &placements,
                "Your students' current and upcoming placements",
            )
            .await?;
            sections.push(Section {
                title: "Students' placements".into(),
                table: pt,
                actions: vec![("/placements".into(), "All placements".into())],
            });
            let mut t = Table::new(
                "Your agreements",
                vec!["Status", "In force", "Expires"],
                "Your school has no agreement with the hospital yet.",
            );
            for a in agreements {
                let status = match expiring_in(
                    AgreementStatus::parse(&a.status).unwrap_or(AgreementStatus::Draft),
                    a.expires_on,
                    today,
                    90,
                ) {
                    Some(d) => Cell::badge(format!("expiring in {d} days"), "warn"),
                    None => Cell::badge(
                        a.status.clone(),
                        if a.status == "active" { "ok" } else { "info" },
                    ),
                };
                t.rows.push(vec![
                    status.with_href(format!("/agreements/{}", a.id)),
                    Cell::date(Some(a.effective_on)),
                    Cell::date(Some(a.expires_on)),
                ]);
            }
            sections.push(Section {
                title: "Agreement".into(),
                table: t,
                actions: vec![],
            });
        }
        Role::Student | Role::Preceptor | Role::Faculty | Role::DepartmentManager => {
            let scope = p.authorize(Resource::Placement, Action::Read)?;
            let today = st.clock.today();
            let (from, to) = if p.role == Role::DepartmentManager {
                let monday = super::capacity::monday_of(today);
                (monday, Some(monday + chrono::Duration::days(6)))
            } else {
                (today, None)
            };
            let filter = db::placements::Filter {
                from: Some(from),
                to,
                ..Default::default()
            };
            let mut tx = st.db.read().await?;
            let mut rows = db::placements::list(
                &mut tx,
                &scope,
                &filter,
                &db::Page {
                    limit: 200,
                    after: None,
                },
            )
            .await?
            .items;
            drop(tx);
            rows.retain(|r| r.status != "cancelled");
            rows.sort_by_key(|r| r.starts_on);
            let (title, caption) = match p.role {
                Role::Student => {
                    intro = "Your next placement: where, when, who, and your clearance.".into();
                    ("Your placements", "Your current and upcoming placements")
                }
                Role::DepartmentManager => {
                    intro = "This week's students in your department; the capacity grid shows the weeks ahead.".into();
                    if let Some(d) = &p.department_id {
                        tiles.push((
                            "capacity, week by week".into(),
                            "Grid".into(),
                            format!("/departments/{d}/capacity"),
                        ));
                    }
                    ("This week", "Students in your department this week")
                }
                _ => {
                    intro = "Your current and upcoming students.".into();
                    ("Your students", "Students placed with you")
                }
            };
            if p.role == Role::Student
                && let Some(next) = rows.first()
            {
                let mut tx = st.db.read().await?;
                let v = crate::service::placements::view(&mut tx, next.clone(), st.clock.today())
                    .await?;
                let dept = db::departments::get(&mut tx, &next.department_id).await?;
                let site = match &dept {
                    Some(d) => db::sites::get(&mut tx, &d.site_id)
                        .await?
                        .map(|s| s.name)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let who = match &next.preceptor_id {
                    Some(pid) => db::staff::get(&mut tx, pid)
                        .await?
                        .map(|s| s.name)
                        .unwrap_or_default(),
                    None => v
                        .faculty_supervisor
                        .as_ref()
                        .map(|f| f.name.clone())
                        .unwrap_or_default(),
                };
                drop(tx);
                let mut t = Table::new(
                    "Your next placement",
                    vec!["Where", "When", "Who", "Clearance"],
                    "",
                );
                t.rows.push(vec![
                    Cell::link(
                        format!("{} — {}", site, dept.map(|d| d.name).unwrap_or_default()),
                        format!("/placements/{}", next.id),
                    ),
                    Cell::text(format!(
                        "{} – {}",
                        super::view::human_date(next.starts_on),
                        super::view::human_date(next.ends_on)
                    )),
                    Cell::text(who),
                    Cell::badge(
                        format!(
                            "{}: onboarding checklist not tracked yet",
                            v.clearance.status
                        ),
                        "warn",
                    ),
                ]);
                sections.push(Section {
                    title: "Next".into(),
                    table: t,
                    actions: vec![],
                });
            }
            let table = super::placements::table(&st, &rows, caption).await?;
            sections.push(Section {
                title: title.into(),
                table,
                actions: vec![("/placements".into(), "All".into())],
            });
        }
    }
    Ok(HomePage {
        chrome: user.chrome(format!("Welcome, {}", p.name)),
        intro,
        tiles,
        sections,
    }
    .into_response())
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
    Ok(super::RecordPage {
        chrome: user.chrome("My profile"),
        facts,
        actions: vec![],
        sections: vec![],
        upload: None,
        forms: vec![],
    }
    .into_response())
}
