//! Bulk import (issue 14 point 1): `POST /api/v1/imports/{kind}` with a CSV or XLSX file, and
//! each kind's empty template.
use crate::domain::{ErrorCode, policy::Action};
use crate::error::AppError;
use crate::http::{auth::Principal, error::AppResult, extract::Params, input, upload};
use crate::service::imports::{self, ImportKind, ImportOptions, ImportReport};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, Request, State},
    http::header,
    response::{IntoResponse, Response},
};

/// What an import did, or on a dry run would do.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    /// students, staff or users
    pub kind: String,
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that pass every check.
    pub valid: usize,
    /// New records (on a dry run: that would be).
    pub created: usize,
    /// Records matched by email and updated.
    pub updated: usize,
    /// Records matched by email that the file leaves as they are.
    pub unchanged: usize,
    /// Sign-in accounts made for the people imported (students; staff with a role).
    pub accounts_created: usize,
    /// Whether anything was written.
    pub written: bool,
    /// Every row's problems: `line` (1 is the header row), `column` (its header), `code`, `message`.
    pub errors: Vec<crate::http::error::FieldError>,
}

impl From<ImportReport> for ImportResult {
    fn from(r: ImportReport) -> Self {
        ImportResult {
            kind: r.kind.as_str().to_string(),
            dry_run: r.dry_run,
            rows: r.rows,
            valid: r.valid,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            accounts_created: r.accounts_created,
            written: r.written,
            errors: r.errors.into_iter().map(Into::into).collect(),
        }
    }
}

fn kind(s: &str) -> Result<ImportKind, AppError> {
    ImportKind::parse(s).ok_or(AppError::NotFound)
}

/// The file of a request: a multipart form's `file` part, or the raw body (CSV or XLSX).
pub async fn file_of(st: &AppState, req: Request) -> Result<Vec<u8>, AppError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = st.config.upload_limit;
    let bytes = if multipart {
        let up = upload::read(req, limit).await?;
        upload::require_file(&up)?.1.clone()
    } else {
        axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| {
                AppError::invalid(
                    "file",
                    ErrorCode::FileTooLarge,
                    format!("the file is larger than {} MiB", limit / (1024 * 1024)),
                )
            })?
            .to_vec()
    };
    if bytes.is_empty() {
        return Err(AppError::invalid(
            "file",
            ErrorCode::FileRequired,
            "send a file to import",
        ));
    }
    Ok(bytes)
}

#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "directory", security(("bearer" = [])),
    params(("kind" = String, Path, description = "students, staff or users"),
           ("dry_run" = Option<bool>, Query, description = "check and count only; nothing is written"),
           ("valid_only" = Option<bool>, Query, description = "write the valid rows and skip the others (listed in errors)"),
           ("school_id" = Option<String>, Query, description = "students: the school of rows that name none")),
    request_body(content_type = "multipart/form-data", description = "`file`: CSV (UTF-8; comma, semicolon or tab) or XLSX, at most 10 MiB; or the file itself as the body (text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet). Columns by header, case and spaces ignored (README.md \"Bulk import\")."),
    responses((status = 200, body = ImportResult, description = "the import done (or checked, on a dry run); people already there, matched by email, are updated"),
        (status = 400, body = crate::http::error::Problem, description = "a malformed multipart body"),
        (status = 403, body = crate::http::error::Problem, description = "students: office and school coordinators; staff: office; users: admin"),
        (status = 404, body = crate::http::error::Problem, description = "no such kind"),
        (status = 422, body = crate::http::error::Problem, description = "nothing written: every row's problem with `line`, `column`, `code` (required, invalid_email, unknown_program, unknown_school, duplicate_in_file, email_taken, ...); or the file's: file_type_not_allowed, file_too_large, unreadable_file, missing_column, unknown_column")))]
pub async fn import(
    State(st): State<AppState>,
    p: Principal,
    Path(k): Path<String>,
    params: Params,
    req: Request,
) -> AppResult<Json<ImportResult>> {
    let kind = kind(&k)?;
    p.authorize(kind.resource(), Action::Write)?;
    let opts = ImportOptions {
        dry_run: params.bool("dry_run")?.unwrap_or(false),
        valid_only: params.bool("valid_only")?.unwrap_or(false),
    };
    let school = params.id("school_id")?;
    let bytes = file_of(&st, req).await?;
    let rows = input::imports::read(kind, &bytes, school.as_deref())?;
    Ok(Json(imports::import(&st, &p, rows, opts).await?.into()))
}

/// The template as a download.
pub fn template_response(kind: ImportKind, format: &str) -> Result<Response, AppError> {
    let (mime, bytes) = match format {
        "csv" => (
            "text/csv; charset=utf-8",
            input::imports::template::csv(kind).into_bytes(),
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            input::imports::template::xlsx(kind)?,
        ),
        _ => return Err(AppError::NotFound),
    };
    let disposition = format!(
        "attachment; filename=\"{}-template.{format}\"",
        kind.as_str()
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/imports/{kind}/template", tag = "directory", security(("bearer" = [])),
    params(("kind" = String, Path, description = "students, staff or users"), ("format" = Option<String>, Query, description = "csv (default) or xlsx")),
    responses((status = 200, description = "the header row to fill in", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 403, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem)))]
pub async fn template(p: Principal, Path(k): Path<String>, params: Params) -> AppResult<Response> {
    let kind = kind(&k)?;
    p.authorize(kind.resource(), Action::Write)?;
    let format = params.get("format").unwrap_or_else(|| "csv".into());
    template_response(kind, &format)
}
