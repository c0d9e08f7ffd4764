//! The office's review queue and a document's review page, preview and file.
use super::state_badge;
use crate::db::{self, Scope};
use crate::domain::policy::{Action, Resource};
use crate::http::pages::view::{Cell, Table};
use crate::http::pages::{
    ActionForm, Form, ListPage, PageId, PageResult, PageUser, filter_select, list_page,
    list_response, see,
};
use crate::http::{error::AppError, extract::Params, input};
use crate::service::onboarding::documents;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{extract::State, response::IntoResponse};

pub(super) async fn queue(
    State(st): State<AppState>,
    user: PageUser,
    params: Params,
) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    let page = list_page(&params)?;
    let status = Some(
        params
            .word(
                "status",
                |s| ["submitted", "verified", "rejected"].contains(&s),
                "a status",
            )?
            .unwrap_or_else(|| "submitted".into()),
    );
    let mut tx = st.db.read().await?;
    let rows = db::documents::list(
        &mut tx,
        &status,
        &params.get("requirement_code"),
        &params.id("school_id")?,
        &page,
    )
    .await?;
    let schools = db::schools::all_names(&mut tx).await?;
    let rules = super::requirement_names(&mut tx).await?;
    let mut lines = vec![];
    for d in &rows.items {
        let s = db::students::get(&mut tx, &d.student_id).await?;
        let f = db::placements::Filter {
            student_id: Some(d.student_id.clone()),
            ..Default::default()
        };
        let next = db::placements::list(
            &mut tx,
            &Scope::All,
            &f,
            &db::Page {
                limit: 50,
                after: None,
                sort: None,
            },
        )
        .await?
        .items
        .into_iter()
        .filter(|p| !matches!(p.status.as_str(), "cancelled" | "completed"))
        .map(|p| p.starts_on)
        .min();
        lines.push((d, s, next));
    }
    drop(tx);
    // Students starting soonest first; the oldest upload first among equals.
    lines.sort_by_key(|(_, _, next)| next.unwrap_or(chrono::NaiveDate::MAX));
    let mut t = Table::new(
        "Documents to review, students starting soonest first",
        vec![
            "Student",
            "Requirement",
            "Completed",
            "Expires",
            "Starts",
            "Sent",
        ],
        "Nothing to review.",
    );
    for (d, s, next) in lines {
        t.rows.push(vec![
            Cell::link(
                s.map(|s| s.full_name()).unwrap_or_default(),
                format!("/documents/{}", d.id),
            ),
            super::requirement_cell(&rules, &d.requirement_code),
            Cell::date(Some(d.completed_on)),
            Cell::date(d.expires_on),
            Cell::date(next),
            Cell::date(Some(st.clock.date_of(d.submitted_at))),
        ]);
    }
    let statuses = ["submitted", "verified", "rejected"]
        .iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect();
    let page = ListPage {
        chrome: user.chrome("Clearance: documents to review"),
        intro: "Verify or reject what students sent. A verified document counts for every placement it is valid through.".into(),
        filters: vec![
            filter_select("status", "Status", statuses, &params),
            filter_select("requirement_code", "Requirement", rules, &params),
            filter_select("school_id", "School", schools, &params),
        ],
        table: t,
        actions: vec![("/provisioning".into(), "Starting soon".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "documents",
    ))
}

pub(super) async fn document(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let d = db::documents::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = db::students::get(&mut tx, &d.student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = db::requirements::by_code(&mut tx, &d.requirement_code).await?;
    drop(tx);
    crate::service::disclosures::record(
        &st,
        &user.p,
        &s.id,
        crate::service::disclosures::Read::Document(d.id.clone()),
    )
    .await?;
    let requirement_name = r.map(|r| r.name).unwrap_or(d.requirement_code.clone());
    let mut facts = vec![
        (
            "Student",
            Cell::link(s.full_name(), format!("/students/{}/documents", s.id)),
        ),
        ("Requirement", Cell::text(requirement_name.clone())),
        ("Completed on", Cell::date(Some(d.completed_on))),
        ("Expires on", Cell::date(d.expires_on)),
        ("Status", state_badge(&d.status)),
    ];
    if let Some(name) = &d.file_name {
        facts.push((
            "File",
            Cell::link(format!("Open {name}"), format!("/documents/{id}/file")),
        ));
    }
    if let Some(n) = &d.review_note {
        facts.push(("Note", Cell::text(n)));
    }
    let forms = if d.status == "submitted" {
        vec![
            ActionForm::new(format!("/documents/{id}"), "Verify").with("outcome", "verified"),
            ActionForm::new(format!("/documents/{id}"), "Reject")
                .with("outcome", "rejected")
                .irreversible("Reject this document? The student is told why."),
        ]
    } else {
        vec![]
    };
    let preview_kind = match d.file_mime.as_deref() {
        Some("image/png" | "image/jpeg") => "image",
        Some("application/pdf") => "pdf",
        _ => "",
    };
    let page = DocumentPage {
        chrome: user.chrome("Review a document"),
        facts,
        forms,
        preview_kind,
        preview_url: format!("/documents/{id}/preview"),
        requirement: requirement_name,
        file_name: d.file_name.clone().unwrap_or_default(),
    };
    if preview_kind == "pdf" {
        // This page alone may embed its own PDF preview (the middleware keeps this policy).
        return Ok((
            [(
                axum::http::header::CONTENT_SECURITY_POLICY,
                crate::http::middleware::PREVIEW_PAGE_CSP,
            )],
            page,
        )
            .into_response());
    }
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub chrome: super::super::Chrome,
    pub facts: Vec<(&'static str, Cell)>,
    pub forms: Vec<ActionForm>,
    /// image, pdf, or empty for no preview
    pub preview_kind: &'static str,
    pub preview_url: String,
    pub requirement: String,
    pub file_name: String,
}

/// The file shown inside the review page (inline, framed by our own pages only).
pub(super) async fn preview(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    Ok(crate::http::document_file::file_response(&st, &user.p, &id, true).await?)
}

pub(super) async fn review(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let mut map = form.to_map(&[], &[]);
    if let Some(reason) = map.remove("reason") {
        map.insert("note".into(), reason);
    }
    documents::review_document(&st, &user.p, &id, input::onboarding::review(map)?).await?;
    Ok(see("/documents", "saved"))
}

pub(super) async fn file(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    Ok(crate::http::document_file::file_response(&st, &user.p, &id, false).await?)
}
