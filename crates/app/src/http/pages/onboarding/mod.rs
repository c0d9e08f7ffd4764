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
    self, ChecklistItem, attestations, attestations::Provisioning, documents,
};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Redirect},
    routing::get,
};

mod review_queue;
mod signing;
use review_queue::*;

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
        .route(
            "/placements/{id}/onboarding/{code}",
            get(signing::show).post(tick),
        )
        .route(
            "/agreement-texts/{code}",
            get(signing::edit_text).post(signing::save_text),
        )
        .route("/provisioning", get(starting_soon))
}

fn state_badge(state: &str) -> Cell {
    let style = match state {
        "verified" => "ok",
        "submitted" => "info",
        "missing" => "warn",
        _ => "bad",
    };
    Cell::badge(crate::domain::words::checklist_state(state), style)
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
            Cell::text(crate::domain::words::sentence(
                &crate::domain::words::satisfier(&i.satisfied_by),
            )),
        ]);
    }
    t
}

async fn student_documents(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    Ok(documents_page(&st, &user, &id).await?.into_response())
}

/// A student's documents with the upload form (the student, the office, their school).
async fn documents_page(
    st: &AppState,
    user: &PageUser,
    id: &str,
) -> Result<UploadPage, super::PageError> {
    let id = id.to_string();
    let mut tx = st.db.read().await?;
    let student = onboarding::visible_student(&mut tx, &user.p, &id).await?;
    let items = onboarding::checklist(&mut tx, &id, None, st.clock.today()).await?;
    let docs = onboarding::readable_documents(&mut tx, &user.p, &id).await?;
    crate::service::disclosures::record(
        st,
        &user.p,
        &id,
        crate::service::disclosures::Read::Documents,
    )
    .await?;
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
            sort: None,
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
        limit: crate::http::upload::size_words(st.config.upload_limit),
        file_error: String::new(),
    };
    Ok(page)
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
    /// The largest file accepted, in words ("10 MB").
    limit: String,
    /// What was wrong with the file, shown under its input.
    file_error: String,
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
    let too_large = || {
        AppError::invalid(
            "file",
            ErrorCode::FileTooLarge,
            format!(
                "the file is larger than {}",
                crate::http::upload::size_words(st.config.upload_limit)
            ),
        )
    };
    let bytes =
        match crate::http::upload::read_body_capped(body, st.config.upload_limit + 64 * 1024).await
        {
            Ok(b) => b,
            // Too large to read whole, so its CSRF token is not checked: the form is shown again
            // (a read, nothing written) with what went wrong and what was typed before the file.
            Err(prefix) => {
                let typed = crate::http::upload::fields_before_file(&parts.headers, prefix).await;
                return refused(&st, &user, &id, too_large(), &typed).await;
            }
        };
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
    // What was typed, for the form shown again if the file is refused.
    let typed = crate::http::upload::fields_before_file(&parts.headers, bytes.clone()).await;
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
        Err(e @ AppError::Rejected(_)) => refused(&st, &user, &id, e, &typed).await,
        Err(e) => Err(e.into()),
    }
}

/// The documents page again, answered 422, with each problem beside its field and in the
/// summary, the file's under the file input, and what was typed kept (issue 14 point 5).
async fn refused(
    st: &AppState,
    user: &PageUser,
    id: &str,
    error: AppError,
    typed: &std::collections::HashMap<String, String>,
) -> PageResult {
    let AppError::Rejected(problems) = error else {
        return Err(error.into());
    };
    let mut page = documents_page(st, user, id).await?;
    for f in &mut page.fields {
        if let Some(v) = typed.get(&f.name) {
            f.value = v.clone();
        }
    }
    let mut others = crate::domain::Problems::default();
    for e in &problems.0 {
        if e.field.as_deref() == Some("file") {
            let message = format!("File: {}", e.message);
            page.summary.push(("f-file".into(), message.clone()));
            page.file_error = message;
        } else {
            others.0.push(e.clone());
        }
    }
    super::place_problems(&mut page.fields, &mut page.summary, &others);
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
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
    let items =
        onboarding::checklist_for(&mut tx, &user.p, &student_id, Some(&id), st.clock.today())
            .await?;
    crate::service::disclosures::record(
        &st,
        &user.p,
        &student_id,
        crate::service::disclosures::Read::Checklist,
    )
    .await?;
    let v = crate::service::placements::view(&mut tx, row.clone(), st.clock.today()).await?;
    drop(tx);
    let office = user.p.role.is_office();
    let is_student = user.p.student_id.as_deref() == Some(student_id.as_str());
    let mut forms = vec![];
    let mut sign_links: Vec<(String, String)> = vec![];
    for i in items.iter().filter(|i| i.state != "verified") {
        if office && i.satisfied_by == "office_action" {
            forms.push(ActionForm::new(
                format!("/placements/{id}/onboarding/{}", i.requirement_code),
                format!("Done: {}", i.name),
            ));
        }
        if is_student && i.satisfied_by == "signed_in_system" {
            sign_links.push((
                format!("/placements/{id}/onboarding/{}", i.requirement_code),
                format!("Read and sign: {}", i.name),
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
        // The documents link only for those who may open the student's documents (no 403
        // behind a button).
        actions: sign_links
            .into_iter()
            .chain(
                (!matches!(
                    user.p.role,
                    Role::Preceptor | Role::Faculty | Role::DepartmentManager
                ))
                .then(|| {
                    (
                        format!("/students/{student_id}/documents"),
                        "Documents".to_string(),
                    )
                }),
            )
            .collect(),
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
        return signing::sign(&st, &user, &id, code, &form).await;
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
            sort: None,
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
