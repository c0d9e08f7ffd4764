//! A school coordinator attests a requirement the office lets schools attest (a background
//! check, liability insurance) for several of its students in one step; the page lists who
//! attested what, and when.
use super::view::{Cell, Field, Table, human_date};
use super::{Chrome, Form, FormPage, PageError, PageResult, PageUser, form_failed, see};
use crate::db::{self, Scope};
use crate::domain::policy::{Action, Resource};
use crate::http::input;
use crate::service::onboarding::attestations;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, extract::State, response::IntoResponse, routing::get};

pub fn router() -> Router<AppState> {
    Router::new().route("/attestations", get(page).post(attest))
}

async fn form(st: &AppState, user: &PageUser) -> Result<FormPage, PageError> {
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.read().await?;
    let rules: Vec<(String, String)> = db::requirements::all(&mut tx)
        .await?
        .into_iter()
        .filter(|r| r.active && r.satisfied_by == "school_attestation")
        .map(|r| (r.code, r.name))
        .collect();
    let students = db::students::list(
        &mut tx,
        &scope,
        &db::students::Filter::default(),
        &db::Page {
            limit: 2000,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    drop(tx);
    let students: Vec<(String, String)> = students
        .into_iter()
        .filter(|s| s.enrollment_status == "enrolled")
        .map(|s| (s.id, format!("{} {}", s.first_name, s.last_name)))
        .collect();
    Ok(FormPage {
        chrome: user.chrome("Attest for your students"),
        intro: "Attest a requirement the hospital accepts on your word — for every student you tick, in one step. The attestation is recorded with your name and the time, and counts as verified evidence.".into(),
        action: "/attestations".into(),
        fields: vec![
            Field::new("requirement_code", "Requirement", "select")
                .required()
                .options(rules),
            Field::new("student_ids", "Students", "checkboxes")
                .hint("Enrolled students of your school.")
                .options(students),
            Field::new("completed_on", "Completed on", "date").required(),
            Field::new("expires_on", "Expires on", "date")
                .hint("If the evidence has an expiry date (an insurance certificate)."),
        ],
        summary: vec![],
        submit: "Attest",
        cancel: "/".into(),
        multipart: false,
        at_risk: vec![],
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "attestations.html")]
pub struct AttestationsPage {
    pub chrome: Chrome,
    pub form: FormPage,
    pub table: Table,
}

async fn page(State(st): State<AppState>, user: PageUser) -> PageResult {
    let f = form(&st, &user).await?;
    let school = match user.p.authorize(Resource::Student, Action::Write)? {
        Scope::All => None,
        _ => Some(user.p.school_id.clone().unwrap_or_default()),
    };
    let mut tx = st.db.read().await?;
    let done = db::documents::attestations(&mut tx, school.as_deref(), 200).await?;
    let names: std::collections::HashMap<String, String> = db::requirements::all(&mut tx)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    drop(tx);
    let mut table = Table::new(
        "Attestations, newest first",
        vec![
            "Student",
            "Requirement",
            "Completed",
            "Expires",
            "Attested by",
            "When",
        ],
        "No attestations yet.",
    );
    for (student, code, completed, expires, by, at) in done {
        table.rows.push(vec![
            Cell::text(student),
            Cell::text(names.get(&code).cloned().unwrap_or(code)),
            Cell::date(Some(completed)),
            Cell::date(expires),
            Cell::text(by.unwrap_or_default()),
            Cell::text(format!(
                "{} {}",
                human_date(st.clock.date_of(at)),
                st.clock.local(at).format("%H:%M %Z")
            )),
        ]);
    }
    Ok(AttestationsPage {
        chrome: user.chrome("Attestations"),
        form: f,
        table,
    }
    .into_response())
}

async fn attest(State(st): State<AppState>, user: PageUser, form_data: Form) -> PageResult {
    form_data.check(&user)?;
    let outcome = match input::onboarding::attestation(form_data.to_map(&["student_ids"], &[])) {
        Ok(a) => attestations::attest(&st, &user.p, a).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see("/attestations", "saved")),
        Err(e) => form_failed(form(&st, &user).await?, &form_data, e),
    }
}
