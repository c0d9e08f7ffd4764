//! What the public sees: who is eligible, how requests work, and the inquiry form that routes
//! non-students to observership or volunteering. Also the faculty invitation page.
use super::view::{Cell, Field, Table, human_date};
use super::{
    Chrome, Form, FormPage, ListPage, PageId, PageResult, PageUser, RecordPage, Summary,
    filter_select, list_page, list_response, see,
};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{error::AppError, extract::Params, input};
use crate::service;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clinicals", get(page).post(submit))
        .route("/inquiries", get(inbox))
        .route("/inquiries/{id}", get(inquiry).post(set_status))
}

#[derive(Template, WebTemplate)]
#[template(path = "public.html")]
struct PublicPage {
    chrome: Chrome,
    fields: Vec<Field>,
    summary: Summary,
    answer: Option<(String, String)>,
    contact: Contact,
}

/// Who the public page names and how to reach them, from the office's settings.
struct Contact {
    organisation_name: String,
    coordinator_name: Option<String>,
    request_email: Option<String>,
    phone: Option<String>,
    /// The phone number as a `tel:` link: its digits, with a leading `+` kept.
    phone_href: String,
}

async fn contact(st: &AppState) -> Result<Contact, super::PageError> {
    let mut tx = st.db.read().await?;
    let s = db::settings::get(&mut tx).await?;
    let phone_href = s
        .phone
        .as_deref()
        .map(|p| {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            if p.trim_start().starts_with('+') {
                format!("+{digits}")
            } else {
                digits
            }
        })
        .unwrap_or_default();
    Ok(Contact {
        organisation_name: s.organisation_name,
        coordinator_name: s.coordinator_name,
        request_email: s.request_email,
        phone: s.phone,
        phone_href,
    })
}

fn fields() -> Vec<Field> {
    let interests = vec![
        ("clinical".to_string(), "A clinical rotation".to_string()),
        ("internship".to_string(), "An internship".to_string()),
        (
            "observership".to_string(),
            "Job shadowing (observership)".to_string(),
        ),
        ("volunteer".to_string(), "Volunteering".to_string()),
    ];
    vec![
        Field::new("name", "Your name", "text").required(),
        Field::new("email", "Your email", "email").required(),
        Field::new("interest", "What are you interested in?", "select")
            .required()
            .options(interests),
        Field::new(
            "is_student",
            "I am a student in a health or professional program",
            "checkbox",
        ),
        Field::new("school", "School", "text"),
        Field::new("program", "Program", "text"),
        Field::new("message", "Message", "textarea"),
    ]
}

async fn page(State(st): State<AppState>) -> PageResult {
    Ok(super::once_page(PublicPage {
        chrome: Chrome::public("Clinicals and internships").once()?,
        fields: fields(),
        summary: vec![],
        answer: None,
        contact: contact(&st).await?,
    }))
}

/// Public form: no session, so no CSRF token to check; the Origin check, the honeypot and the
/// per-IP limit guard it.
async fn submit(
    State(st): State<AppState>,
    crate::http::auth::ClientIp(ip): crate::http::auth::ClientIp,
    form: Form,
) -> PageResult {
    let map = form.to_map(&[], &["is_student"]);
    let input = input::inquiries::inquiry(map);
    match service::inquiries::submit_inquiry(&st, ip, input).await {
        Ok(a) => Ok(PublicPage {
            chrome: Chrome::public("Thank you"),
            fields: vec![],
            summary: vec![],
            answer: Some((a.route.into(), a.next.into())),
            contact: contact(&st).await?,
        }
        .into_response()),
        Err(AppError::Rejected(p)) if p.status() == 422 => {
            let fp = FormPage {
                chrome: Chrome::public("Clinicals and internships"),
                intro: String::new(),
                action: String::new(),
                fields: fields(),
                summary: vec![],
                submit: "",
                cancel: String::new(),
                multipart: false,
                at_risk: vec![],
            }
            .with_values(&form)
            .with_problems(&p);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                PublicPage {
                    chrome: fp.chrome,
                    fields: fp.fields,
                    summary: fp.summary,
                    answer: None,
                    contact: contact(&st).await?,
                },
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn inbox(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Inquiry, Action::Read)?;
    let page = list_page(&params)?;
    let status = params.word(
        "status",
        |s| ["new", "contacted", "closed"].contains(&s),
        "new, contacted, closed",
    )?;
    let route = params.word(
        "route",
        |s| ["placement_request", "observership", "volunteer"].contains(&s),
        "a route",
    )?;
    let mut tx = st.db.read().await?;
    let rows = db::inquiries::list(&mut tx, &status, &route, &page).await?;
    drop(tx);
    let mut t = Table::new(
        "Inquiries",
        vec![
            "Received",
            "Name",
            "Email",
            "Interest",
            "Routed to",
            "Status",
        ],
        "No inquiries match.",
    );
    for i in &rows.items {
        t.rows.push(vec![
            Cell {
                text: human_date(st.clock.date_of(i.created_at)),
                csv: i.created_at.to_rfc3339(),
                href: Some(format!("/inquiries/{}", i.id)),
                badge: None,
                ..Default::default()
            },
            Cell::text(&i.name),
            Cell::text(&i.email),
            Cell::text(&i.interest),
            Cell::text(crate::domain::words::inquiry_route(&i.route)),
            Cell::badge(&i.status, if i.status == "new" { "warn" } else { "info" }),
        ]);
    }
    let statuses = ["new", "contacted", "closed"]
        .iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect();
    let routes = [
        ("observership", "Observership"),
        ("volunteer", "Volunteering"),
        ("placement_request", "Student (school must request)"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let page = ListPage {
        chrome: user.chrome("Inquiries"),
        intro: "People who asked through the public page: job shadowing and volunteering, and students pointed to their school.".into(),
        filters: vec![filter_select("status", "Status", statuses, &params), filter_select("route", "Routed to", routes, &params)],
        table: t,
        actions: vec![("/clinicals".into(), "The public page".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "inquiries",
    ))
}

async fn inquiry(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Inquiry, Action::Read)?;
    let mut tx = st.db.read().await?;
    let i = db::inquiries::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let facts = vec![
        ("Email", Cell::text(&i.email)),
        (
            "Student",
            Cell::text(if i.is_student { "yes" } else { "no" }),
        ),
        ("Interest", Cell::text(&i.interest)),
        (
            "Routed to",
            Cell::text(crate::domain::words::inquiry_route(&i.route)),
        ),
        ("School", Cell::text(i.school.clone().unwrap_or_default())),
        ("Program", Cell::text(i.program.clone().unwrap_or_default())),
        ("Message", Cell::text(i.message.clone().unwrap_or_default())),
        ("Status", Cell::badge(&i.status, "info")),
    ];
    let forms = ["contacted", "closed", "new"]
        .iter()
        .filter(|s| **s != i.status)
        .map(|s| {
            super::ActionForm::new(format!("/inquiries/{id}"), format!("Mark {s}"))
                .with("status", s)
        })
        .collect();
    Ok(RecordPage {
        chrome: user.chrome(format!("Inquiry from {}", i.name)),
        facts,
        actions: vec![("/inquiries".into(), "All inquiries".into())],
        sections: vec![],
        upload: None,
        forms,
    }
    .into_response())
}

async fn set_status(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let input = input::inquiries::status(form.to_map(&[], &[]));
    service::inquiries::update_inquiry(&st, &user.p, &id, input).await?;
    Ok(see(&format!("/inquiries/{id}"), "saved"))
}
