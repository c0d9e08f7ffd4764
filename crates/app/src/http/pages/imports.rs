//! The office's bulk import (issue 14 point 1): upload a file → preview (what would be created
//! or updated, every row's problems) → import. The file waits between the two steps in the data
//! directory under its SHA-256 (`service::imports::previews`), so the import runs exactly what
//! was previewed. A small file is imported within the request; a large one in the background,
//! its page showing the progress live (`service::imports::progress`) and then the counts.
use super::view::{Cell, Table};
use super::{Chrome, Form, PageError, PageResult, PageUser, Summary, constant_time_eq, origin_ok};
use crate::domain::{FieldError, policy::Action};
use crate::error::AppError;
use crate::http::extract::Params;
use crate::http::{api::imports::template_response, input, upload};
use crate::service::imports::{
    self, ImportKind, ImportOptions, ImportReport, progress::ImportRuns,
};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Extension, Router,
    extract::{Path, Request, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/imports/{kind}", get(page).post(run))
        .route("/imports/{kind}/preview", post(preview))
        .route("/imports/{kind}/template", get(template))
        .route("/imports/{kind}/runs/{id}", get(run_page))
        .route("/imports/{kind}/runs/{id}/status", get(run_status))
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    intro: String,
    summary: Summary,
    report: Option<ImportReport>,
    problems: Table,
    has_errors: bool,
    token: String,
    action: String,
    upload_href: String,
    preview_action: String,
    template_href: String,
    columns: String,
    show_upload: bool,
    list_href: String,
    kind_label: &'static str,
    /// The largest file accepted, in words ("10 MB").
    limit: String,
    /// A background import under way.
    running: Option<Running>,
}

/// A background import's progress, as first drawn (app.js then updates it).
struct Running {
    status_href: String,
    percent: usize,
    rows: usize,
}

fn kind_of(k: &str, user: &PageUser) -> Result<ImportKind, PageError> {
    let kind = ImportKind::parse(k).ok_or(AppError::NotFound)?;
    user.p.authorize(kind.resource(), Action::Write)?;
    Ok(kind)
}

fn label(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Students => "students",
        ImportKind::Staff => "staff",
        ImportKind::Users => "users",
    }
}

fn view(st: &AppState, user: &PageUser, kind: ImportKind) -> ImportPage {
    let k = kind.as_str();
    ImportPage {
        chrome: user.chrome(format!("Import {}", label(kind))),
        intro: "Every row is checked before anything is written. A person already here (the same email) is updated, not added twice.".into(),
        summary: vec![],
        report: None,
        problems: Table::new("Problems by row", vec!["Line", "Column", "Problem"], ""),
        has_errors: false,
        token: String::new(),
        action: format!("/imports/{k}"),
        upload_href: format!("/imports/{k}"),
        preview_action: format!("/imports/{k}/preview"),
        template_href: format!("/imports/{k}/template"),
        columns: input::imports::columns(kind)
            .iter()
            .map(|c| if c.required { format!("{} (required)", c.header) } else { c.header.to_string() })
            .collect::<Vec<_>>()
            .join(", "),
        show_upload: true,
        list_href: format!("/{k}"),
        kind_label: label(kind),
        limit: upload::size_words(st.config.upload_limit),
        running: None,
    }
}

fn with_errors(mut page: ImportPage, errors: &[FieldError]) -> ImportPage {
    for e in errors {
        page.problems.rows.push(vec![
            Cell::text(e.line.map(|l| l.to_string()).unwrap_or_default()),
            Cell::text(e.column.clone().unwrap_or_default()),
            Cell::text(&e.message),
        ]);
    }
    page.has_errors = !errors.is_empty();
    page
}

async fn page(State(st): State<AppState>, user: PageUser, Path(k): Path<String>) -> PageResult {
    let kind = kind_of(&k, &user)?;
    Ok(view(&st, &user, kind).into_response())
}

async fn template(user: PageUser, Path(k): Path<String>, params: Params) -> PageResult {
    let kind = kind_of(&k, &user)?;
    let format = params.get("format").unwrap_or_else(|| "csv".into());
    Ok(template_response(kind, &format)?)
}

/// A file that cannot be read at all: the upload form again, with why.
fn refused(mut page: ImportPage, e: AppError) -> PageResult {
    match e {
        AppError::Rejected(p) => {
            page.summary =
                p.0.iter()
                    .map(|e| (String::new(), e.message.clone()))
                    .collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, with_errors(page, &p.0)).into_response())
        }
        other => Err(other.into()),
    }
}

async fn preview(
    State(st): State<AppState>,
    user: PageUser,
    Path(k): Path<String>,
    req: Request,
) -> PageResult {
    let kind = kind_of(&k, &user)?;
    if !origin_ok(req.headers()) {
        return Err(AppError::Forbidden.into());
    }
    let up = match upload::read(req, st.config.upload_limit).await {
        Ok(up) => up,
        // Too large or malformed: the form again with why (nothing was read or written).
        Err(e) => return refused(view(&st, &user, kind), e),
    };
    if !up
        .fields
        .get("csrf_token")
        .is_some_and(|t| constant_time_eq(t, &user.p.csrf_token))
    {
        return Err(AppError::Forbidden.into());
    }
    let page = view(&st, &user, kind);
    let bytes = match upload::require_file(&up) {
        Ok((_, b)) => b.clone(),
        Err(e) => return refused(page, e),
    };
    let rows = match input::imports::read(kind, &bytes, None) {
        Ok(r) => r,
        Err(e) => return refused(page, e),
    };
    let opts = ImportOptions {
        dry_run: true,
        valid_only: false,
    };
    let report = imports::import(&st, &user.p, rows, opts).await?;
    let token = imports::previews::keep(&st, &bytes).await?;
    let mut page = with_errors(view(&st, &user, kind), &report.errors);
    page.chrome = user.chrome(format!("Check the {} import", label(kind)));
    page.intro = if report.errors.is_empty() {
        "Every row passed its checks. Nothing is written until you import.".into()
    } else {
        "Some rows have problems. Fix the file and upload it again, or import only the rows without problems.".into()
    };
    page.token = if report.valid > 0 {
        token
    } else {
        String::new()
    };
    page.show_upload = page.token.is_empty();
    page.report = Some(report);
    Ok(page.into_response())
}

async fn run(
    State(st): State<AppState>,
    Extension(runs): Extension<ImportRuns>,
    user: PageUser,
    Path(k): Path<String>,
    form: Form,
) -> PageResult {
    let kind = kind_of(&k, &user)?;
    form.check(&user)?;
    let token = form.get("token").unwrap_or("").to_string();
    let Some(bytes) = imports::previews::read(&st, &token).await else {
        let mut p = crate::domain::Problems::default();
        p.add(
            "file",
            crate::domain::ErrorCode::PreviewExpired,
            "the checked file is no longer kept (a checked file waits a day for its import): upload it again",
        );
        return refused(view(&st, &user, kind), AppError::Rejected(p));
    };
    let opts = ImportOptions {
        dry_run: false,
        valid_only: form.get("valid_only") == Some("true"),
    };
    let rows = match input::imports::read(kind, &bytes, None) {
        Ok(rows) => rows,
        Err(e) => return refused(view(&st, &user, kind), e),
    };
    if rows.len() > st.config.import_background_rows {
        let id = imports::start_in_background(&st, &runs, &user.p, rows, opts, &token);
        let to = format!("/imports/{}/runs/{id}", kind.as_str());
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    let result = imports::import(&st, &user.p, rows, opts).await;
    finished(&st, &user, kind, &token, result).await
}

/// The page of a finished import: the counts, or the form again with why it was refused.
async fn finished(
    st: &AppState,
    user: &PageUser,
    kind: ImportKind,
    token: &str,
    result: crate::error::AppResult<ImportReport>,
) -> PageResult {
    let mut page = view(st, user, kind);
    match result {
        Ok(report) => {
            imports::previews::forget(st, token).await;
            page = with_errors(page, &report.errors);
            page.chrome = user.chrome(format!("{} imported", capitalised(label(kind))));
            page.chrome.banner = format!(
                "Imported {} rows: {} created, {} updated.",
                report.valid, report.created, report.updated
            );
            page.intro = "The import is done.".into();
            page.show_upload = false;
            page.report = Some(report);
            Ok(page.into_response())
        }
        Err(e) => refused(page, e),
    }
}

/// A background import's page: its progress while it runs (updated live by app.js from
/// [`run_status`]), then what it did. Only the person who started it sees it; anyone else,
/// or a run this server does not know (restarted, or another server's), gets 404.
async fn run_page(
    State(st): State<AppState>,
    Extension(runs): Extension<ImportRuns>,
    user: PageUser,
    Path((k, id)): Path<(String, String)>,
) -> PageResult {
    let kind = kind_of(&k, &user)?;
    let run = runs
        .view(&id, &user.p.user_id)
        .filter(|r| r.kind == kind)
        .ok_or(AppError::NotFound)?;
    use imports::progress::RunState;
    match run.state {
        RunState::Running => {
            let mut page = view(&st, &user, kind);
            page.chrome = user.chrome(format!("Importing {}", label(kind)));
            page.intro = "The file is being imported. Nothing is written until every row is done; you can leave this page and come back.".into();
            page.show_upload = false;
            page.running = Some(Running {
                status_href: format!("/imports/{k}/runs/{id}/status"),
                percent: percent(run.done, run.total),
                rows: run.total / 2,
            });
            Ok(page.into_response())
        }
        RunState::Done(report) => finished(&st, &user, kind, &run.token, Ok(report)).await,
        RunState::Refused(p) => {
            finished(&st, &user, kind, &run.token, Err(AppError::Rejected(p))).await
        }
        RunState::Failed => {
            Err(AppError::Internal(anyhow::anyhow!("the background import {id} failed")).into())
        }
    }
}

fn percent(done: usize, total: usize) -> usize {
    (100 * done).checked_div(total).unwrap_or(0).min(100)
}

/// A background import's progress as JSON, polled by its page: `{"status": "running" |
/// "done", "progress": {"done": steps, "total": steps, "percent": 0..100}}`.
async fn run_status(
    Extension(runs): Extension<ImportRuns>,
    user: PageUser,
    Path((k, id)): Path<(String, String)>,
) -> PageResult {
    let kind = kind_of(&k, &user)?;
    let run = runs
        .view(&id, &user.p.user_id)
        .filter(|r| r.kind == kind)
        .ok_or(AppError::NotFound)?;
    let status = match run.state {
        imports::progress::RunState::Running => "running",
        _ => "done",
    };
    Ok(axum::Json(serde_json::json!({
        "status": status,
        "progress": {
            "done": run.done,
            "total": run.total,
            "percent": percent(run.done, run.total),
            "rows": run.total / 2,
        },
    }))
    .into_response())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
