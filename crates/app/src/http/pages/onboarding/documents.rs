//! A student's documents page: the one checklist, the documents sent and the upload form; the
//! upload itself, and the page shown again when the file or a field is refused.
use super::{checklist_table, state_badge};
use crate::db::{self, Scope};
use crate::domain::{ErrorCode, Role};
use crate::http::pages::view::{Cell, Field, Table, human_date};
use crate::http::pages::{PageId, PageResult, PageUser, Section, constant_time_eq, origin_ok, see};
use crate::http::{error::AppError, input};
use crate::service::onboarding::{self, documents};
use crate::state::AppState;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect},
};

pub(super) async fn my_documents(user: PageUser) -> PageResult {
    match &user.p.student_id {
        Some(id) => Ok(Redirect::to(&format!("/students/{id}/documents")).into_response()),
        None => Err(AppError::NotFound.into()),
    }
}

pub(super) async fn student_documents(
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
) -> Result<UploadPage, super::super::PageError> {
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
    let names: Vec<(String, String)> = rules
        .iter()
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    for d in docs.iter().rev() {
        dt.rows.push(vec![
            super::requirement_cell(&names, &d.requirement_code),
            Cell::date(Some(d.completed_on)),
            Cell::date(d.expires_on),
            state_badge(&d.status),
            Cell::text(d.review_note.clone().unwrap_or_default()),
            match &d.file_name {
                Some(n) => Cell::link(n, format!("/documents/{}/file", d.id)),
                None => Cell {
                    csv: d.source.clone(),
                    ..Cell::text(crate::domain::words::document_source(&d.source))
                },
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
    chrome: super::super::Chrome,
    facts: Vec<(&'static str, Cell)>,
    sections: Vec<Section>,
    action: String,
    fields: Vec<Field>,
    summary: super::super::Summary,
    /// The largest file accepted, in words ("10 MB").
    limit: String,
    /// What was wrong with the file, shown under its input.
    file_error: String,
}

pub(super) async fn upload(
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
    super::super::place_problems(&mut page.fields, &mut page.summary, &others);
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
