//! Onboarding pages: a student's one checklist and upload form, the office's review queue,
//! each placement's onboarding and provisioning, and who starts soon without being ready.
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, ListPage, PageId, PageResult, PageUser, RecordPage, Section,
    constant_time_eq, filter_select, list_page, list_response, origin_ok, see,
};
use crate::db::{self, Scope};
use crate::domain::ErrorCode;
use crate::domain::{
    Role,
    policy::{Action, Resource},
};
use crate::http::{error::AppError, extract::Params, input};
use crate::service::onboarding::{
    self, ChecklistItem, attestations,
    attestations::{Provisioning, Signature},
    documents,
};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Redirect},
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my-documents", get(my_documents))
        .route(
            "/students/{id}/documents",
            get(student_documents).post(upload),
        )
        .route("/documents", get(queue))
        .route("/documents/{id}", get(document).post(review))
        .route("/documents/{id}/file", get(file))
        .route("/documents/{id}/preview", get(preview))
        .route("/placements/{id}/onboarding", get(placement_onboarding))
        .route("/placements/{id}/onboarding/{code}", post(tick))
        .route("/provisioning", get(starting_soon))
}

fn state_badge(state: &str) -> Cell {
    let style = match state {
        "verified" => "ok",
        "submitted" => "info",
        "missing" => "warn",
        _ => "bad",
    };
    Cell::badge(state.replace('_', " "), style)
}

async fn my_documents(user: PageUser) -> PageResult {
    match &user.p.student_id {
        Some(id) => Ok(Redirect::to(&format!("/students/{id}/documents")).into_response()),
        None => Err(AppError::NotFound.into()),
    }
}

fn checklist_table(items: &[ChecklistItem]) -> Table {
    let mut t = Table::new(
        "What is needed",
        vec!["Requirement", "State", "Valid until", "How"],
        "Nothing is needed: no open placement.",
    );
    for i in items {
        t.rows.push(vec![
            Cell {
                csv: i.requirement_code.clone(),
                ..Cell::text(&i.name)
            },
            state_badge(&i.state),
            Cell::date(i.lapses_on),
            Cell::text(i.satisfied_by.replace('_', " ")),
        ]);
    }
    t
}

async fn student_documents(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let mut tx = st.db.read().await?;
    let student = onboarding::visible_student(&mut tx, &user.p, &id).await?;
    let items = onboarding::checklist(&mut tx, &id, None, st.clock.today()).await?;
    let docs = db::documents::of_student(&mut tx, &id).await?;
    let rules = db::requirements::all(&mut tx).await?;
    let f = db::placements::Filter {
        student_id: Some(id.clone()),
        ..Default::default()
    };
    let placements = db::placements::list(
        &mut tx,
        &Scope::All,
        &f,
        &db::Page {
            limit: 100,
            after: None,
        },
    )
    .await?
    .items;
    drop(tx);
    let mine = user.p.student_id.as_deref() == Some(id.as_str());
    let may_upload = mine
        || user.p.role.is_office()
        || (user.p.role == Role::SchoolCoordinator
            && user.p.school_id.as_deref() == Some(student.school_id.as_str()));
    if !may_upload {
        return Err(AppError::NotFound.into());
    }
    let mut dt = Table::new(
        "Documents sent",
        vec![
            "Requirement",
            "Completed",
            "Expires",
            "Status",
            "Note",
            "File",
        ],
        "No documents yet.",
    );
    for d in docs.iter().rev() {
        dt.rows.push(vec![
            Cell::text(&d.requirement_code),
            Cell::date(Some(d.completed_on)),
            Cell::date(d.expires_on),
            state_badge(&d.status),
            Cell::text(d.review_note.clone().unwrap_or_default()),
            match &d.file_name {
                Some(n) => Cell::link(n, format!("/documents/{}/file", d.id)),
                None => Cell::text(d.source.clone()),
            },
        ]);
    }
    let upload_rules: Vec<(String, String)> = rules
        .iter()
        .filter(|r| r.active && r.satisfied_by == "student_upload")
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    let placement_opts: Vec<(String, String)> = placements
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                format!("{} – {}", human_date(p.starts_on), human_date(p.ends_on)),
            )
        })
        .collect();
    let title = if mine {
        "My documents".to_string()
    } else {
        format!("Documents — {}", student.full_name())
    };
    let cleared = items.iter().all(|i| i.state == "verified");
    let facts = vec![(
        "Checklist",
        if items.is_empty() {
            Cell::text("no open placement")
        } else if cleared {
            Cell::badge("all verified", "ok")
        } else {
            Cell::badge(
                format!(
                    "{} to do",
                    items.iter().filter(|i| i.state != "verified").count()
                ),
                "warn",
            )
        },
    )];
    let page = UploadPage {
        chrome: user.chrome(title),
        facts,
        sections: vec![
            Section {
                title: "One checklist for all your placements".into(),
                table: checklist_table(&items),
                actions: vec![],
            },
            Section {
                title: "Documents".into(),
                table: dt,
                actions: vec![],
            },
        ],
        action: format!("/students/{id}/documents"),
        fields: vec![
            Field::new("requirement_code", "Requirement", "select")
                .required()
                .options(upload_rules),
            Field::new("completed_on", "Completed on", "date").required(),
            Field::new("expires_on", "Expires on", "date")
                .hint("For cards and certificates with an expiry date."),
            Field::new("placement_id", "For the placement", "select")
                .options(placement_opts)
                .hint("Only for items done for each placement."),
        ],
        summary: vec![],
    };
    Ok(page.into_response())
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "upload.html")]
struct UploadPage {
    chrome: super::Chrome,
    facts: Vec<(&'static str, Cell)>,
    sections: Vec<Section>,
    action: String,
    fields: Vec<Field>,
    summary: super::Summary,
}

async fn upload(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    req: axum::extract::Request,
) -> PageResult {
    if !origin_ok(req.headers()) {
        return Err(AppError::Forbidden.into());
    }
    // The CSRF token travels inside the multipart body: read it with the rest, then check.
    let token = user.p.csrf_token.clone();
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, st.config.upload_limit + 64 * 1024)
        .await
        .map_err(|_| {
            AppError::invalid(
                "file",
                ErrorCode::FileTooLarge,
                "the file is larger than allowed",
            )
        })?;
    let needle = b"name=\"csrf_token\"\r\n\r\n";
    let sent = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| {
            let rest = &bytes[i + needle.len()..];
            let end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .unwrap_or(rest.len());
            String::from_utf8_lossy(&rest[..end]).to_string()
        });
    if !sent.is_some_and(|t| constant_time_eq(&t, &token)) {
        return Err(AppError::Forbidden.into());
    }
    let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
    let outcome: crate::error::AppResult<_> = async {
        documents::may_upload_for(&st, &user.p, &id).await?;
        let up = crate::http::upload::read(req, st.config.upload_limit).await?;
        let doc = input::onboarding::new_document(up)?;
        documents::upload_document(&st, &user.p, &id, doc).await
    }
    .await;
    match outcome {
        Ok(_) => Ok(see(&format!("/students/{id}/documents"), "uploaded")),
        Err(AppError::Rejected(p)) if p.status() == 422 => {
            let message =
                p.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
            Err(AppError::invalid("file", ErrorCode::Refused, message).into())
        }
        Err(e) => Err(e.into()),
    }
}

async fn queue(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
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
    let rules: Vec<(String, String)> = db::requirements::all(&mut tx)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
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
            Cell::text(
                rules
                    .iter()
                    .find(|r| r.0 == d.requirement_code)
                    .map(|r| r.1.clone())
                    .unwrap_or_else(|| d.requirement_code.clone()),
            ),
            Cell::date(Some(d.completed_on)),
            Cell::date(d.expires_on),
            Cell::date(next),
            Cell::date(Some(d.submitted_at.date_naive())),
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

async fn document(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
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
    Ok(DocumentPage {
        chrome: user.chrome("Review a document"),
        facts,
        forms,
        preview_kind,
        preview_url: format!("/documents/{id}/preview"),
        requirement: requirement_name,
        file_name: d.file_name.clone().unwrap_or_default(),
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub chrome: super::Chrome,
    pub facts: Vec<(&'static str, Cell)>,
    pub forms: Vec<ActionForm>,
    /// image, pdf, or empty for no preview
    pub preview_kind: &'static str,
    pub preview_url: String,
    pub requirement: String,
    pub file_name: String,
}

/// The file shown inside the review page (inline, framed by our own pages only).
async fn preview(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    Ok(crate::http::document_file::file_response(&st, &user.p, &id, true).await?)
}

async fn review(
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

async fn file(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    Ok(crate::http::document_file::file_response(&st, &user.p, &id, false).await?)
}

/// A placement's onboarding: the checklist for it, with the office's provisioning ticks and
/// the student's signature.
async fn placement_onboarding(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let scope = user.p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::http::auth::ensure(crate::service::placements::visible(&scope, &row))?;
    let Some(student_id) = row.student_id.clone() else {
        return Err(
            AppError::conflict(ErrorCode::StudentNotNamed, "name the student first").into(),
        );
    };
    let items = onboarding::checklist(&mut tx, &student_id, Some(&id), st.clock.today()).await?;
    let v = crate::service::placements::view(&mut tx, row.clone(), st.clock.today()).await?;
    drop(tx);
    let office = user.p.role.is_office();
    let is_student = user.p.student_id.as_deref() == Some(student_id.as_str());
    let mut forms = vec![];
    for i in items.iter().filter(|i| i.state != "verified") {
        if office && i.satisfied_by == "office_action" {
            forms.push(ActionForm::new(
                format!("/placements/{id}/onboarding/{}", i.requirement_code),
                format!("Done: {}", i.name),
            ));
        }
        if is_student && i.satisfied_by == "signed_in_system" {
            forms.push(ActionForm::new(
                format!("/placements/{id}/onboarding/{}", i.requirement_code),
                format!("I agree and sign: {}", i.name),
            ));
        }
    }
    let facts = vec![
        ("Clearance", super::placements::badge(&v.clearance.status)),
        (
            "Placement",
            Cell::link(
                format!(
                    "{} – {}",
                    human_date(row.starts_on),
                    human_date(row.ends_on)
                ),
                format!("/placements/{id}"),
            ),
        ),
    ];
    Ok(RecordPage {
        chrome: user.chrome("Onboarding for this placement"),
        facts,
        actions: vec![(
            format!("/students/{student_id}/documents"),
            "Documents".into(),
        )],
        sections: vec![Section {
            title: "Checklist".into(),
            table: checklist_table(&items),
            actions: vec![],
        }],
        upload: None,
        forms,
    }
    .into_response())
}

async fn tick(
    State(st): State<AppState>,
    user: PageUser,
    axum::extract::Path((raw, code)): axum::extract::Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = crate::http::extract::parse_id(&raw).ok_or(AppError::NotFound)?;
    if user.p.role.is_office() {
        attestations::provision(&st, &user.p, &id, Provisioning { code }).await?;
    } else {
        let name = user.p.name.clone();
        attestations::sign(&st, &user.p, &id, Signature { code, name }).await?;
    }
    Ok(see(&format!("/placements/{id}/onboarding"), "saved"))
}

/// Students starting within 14 days, with what they still lack: the badge list.
async fn starting_soon(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    let today = st.clock.today();
    let f = db::placements::Filter {
        from: Some(today),
        to: Some(today + chrono::Duration::days(14)),
        ..Default::default()
    };
    let mut tx = st.db.read().await?;
    let rows = db::placements::list(
        &mut tx,
        &Scope::All,
        &f,
        &db::Page {
            limit: 2000,
            after: None,
        },
    )
    .await?
    .items;
    let mut t = Table::new(
        "Starting within 14 days",
        vec!["Student", "Starts", "Clearance", "Still missing"],
        "Nobody starts in the next 14 days.",
    );
    for r in rows
        .iter()
        .filter(|r| r.starts_on >= today && matches!(r.status.as_str(), "proposed" | "confirmed"))
    {
        let Some(sid) = &r.student_id else { continue };
        let name = db::students::get(&mut tx, sid)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_default();
        let items = onboarding::checklist(&mut tx, sid, Some(&r.id), today).await?;
        let missing: Vec<String> = items
            .iter()
            .filter(|i| i.state != "verified")
            .map(|i| i.requirement_code.clone())
            .collect();
        let status = if missing.is_empty() {
            Cell::badge("cleared", "ok")
        } else {
            Cell::badge("not cleared", "bad")
        };
        t.rows.push(vec![
            Cell::link(name, format!("/placements/{}/onboarding", r.id)),
            Cell::date(Some(r.starts_on)),
            status,
            Cell::text(missing.join(", ")),
        ]);
    }
    drop(tx);
    let page = ListPage {
        chrome: user.chrome("Starting soon"),
        intro: "Who starts in the next 14 days and what each still lacks — badge, accounts and parking included.".into(),
        filters: vec![],
        table: t,
        actions: vec![("/documents".into(), "Documents to review".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(&user, &params, page, None, "starting-soon"))
}
