use super::{List, created, departments::check_disciplines, schools::visible};
use crate::db::{self, Tx, agreements::Agreement, new_id};
use crate::domain::ErrorCode;
use crate::domain::{
    directory::AgreementStatus,
    policy::{Action, Resource},
};
use crate::files;
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
    upload,
};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AgreementInput {
    /// draft, active, terminated
    status: String,
    effective_on: String,
    expires_on: String,
    /// Discipline codes covered; empty = all.
    disciplines: Vec<String>,
    note: Option<String>,
}

pub async fn parse_agreement(
    tx: &mut Tx,
    school_id: &str,
    body: Map<String, Value>,
    current: Option<&Agreement>,
) -> AppResult<Agreement> {
    let mut i = Input::new(
        body,
        &[
            "status",
            "effective_on",
            "expires_on",
            "disciplines",
            "note",
        ],
    );
    let status = i.req(
        "status",
        Some(current.map(|c| &c.status).unwrap_or(&"draft".to_string())),
        &parse::word(
            |s| AgreementStatus::parse(s).is_some(),
            AgreementStatus::words(),
        ),
    );
    let effective_on = i.req(
        "effective_on",
        current.map(|c| &c.effective_on),
        &parse::date,
    );
    let expires_on = i.req("expires_on", current.map(|c| &c.expires_on), &parse::date);
    let disciplines = i.req(
        "disciplines",
        Some(current.map(|c| &c.disciplines).unwrap_or(&vec![])),
        &parse::codes,
    );
    let note = i.opt("note", current.map(|c| &c.note), &parse::text);
    if let (Some(from), Some(to)) = (effective_on, expires_on)
        && to < from
    {
        i.problems.add(
            "expires_on",
            ErrorCode::InvalidPeriod,
            "the agreement must expire on or after the day it takes effect",
        );
    }
    check_disciplines(
        tx,
        &mut i,
        "disciplines",
        disciplines.as_deref().unwrap_or_default(),
    )
    .await?;
    i.finish()?;
    Ok(Agreement {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        school_id: school_id.to_string(),
        status: status.unwrap_or_default(),
        effective_on: effective_on.unwrap_or_default(),
        expires_on: expires_on.unwrap_or_default(),
        disciplines: disciplines.unwrap_or_default(),
        note: note.flatten(),
        document_name: current.and_then(|c| c.document_name.clone()),
        document_sha256: current.and_then(|c| c.document_sha256.clone()),
        document_size: current.and_then(|c| c.document_size),
    })
}

/// A school's agreements, paged like every list (`?status=` and `?expiring_within_days=` too).
#[utoipa::path(get, path = "/api/v1/schools/{id}/agreements", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path), ("status" = Option<String>, Query), ("expiring_within_days" = Option<i64>, Query),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Agreement>), (status = 404, body = crate::http::error::Problem)))]
pub async fn list_for_school(
    State(st): State<AppState>,
    p: Principal,
    PathId(school_id): PathId,
    params: Params,
) -> AppResult<Json<List<Agreement>>> {
    let scope = p.authorize(Resource::Agreement, Action::Read)?;
    ensure(visible(&scope, &school_id))?;
    let page = params.page()?;
    let filter = db::agreements::Filter {
        school_id: Some(school_id.clone()),
        ..filter_from(&params, st.clock.today())?
    };
    let mut tx = st.db.read().await?;
    db::schools::get(&mut tx, &school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(
        db::agreements::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

/// Every agreement in scope, for the office's renewal work: `?expiring_within_days=90` lists
/// active agreements that end within that many days.
#[utoipa::path(get, path = "/api/v1/agreements", tag = "directory", security(("bearer" = [])),
    params(("school_id" = Option<String>, Query), ("status" = Option<String>, Query),
           ("expiring_within_days" = Option<i64>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Agreement>)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Agreement>>> {
    let scope = p.authorize(Resource::Agreement, Action::Read)?;
    let page = params.page()?;
    let filter = filter_from(&params, st.clock.today())?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::agreements::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

pub fn filter_from(params: &Params, today: chrono::NaiveDate) -> AppResult<db::agreements::Filter> {
    let days = match params.get("expiring_within_days") {
        None => None,
        Some(d) => match d.parse::<i64>() {
            Ok(n) if (0..=3650).contains(&n) => Some(n),
            _ => {
                return Err(AppError::invalid(
                    "expiring_within_days",
                    ErrorCode::InvalidNumber,
                    "must be a whole number of days",
                ));
            }
        },
    };
    Ok(db::agreements::Filter {
        school_id: params.id("school_id")?,
        status: params.word(
            "status",
            |s| AgreementStatus::parse(s).is_some(),
            &AgreementStatus::words(),
        )?,
        expiring_by: days.map(|d| today + chrono::Duration::days(d)),
        expiring_from: days.map(|_| today),
    })
}

#[utoipa::path(post, path = "/api/v1/schools/{id}/agreements", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AgreementInput,
    responses((status = 201, body = Agreement), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    PathId(school_id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Agreement>)> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_agreement(&st, &p, &school_id, body).await?))
}

pub async fn create_agreement(
    st: &AppState,
    p: &Principal,
    school_id: &str,
    body: Map<String, Value>,
) -> AppResult<Agreement> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::schools::get(&mut tx, school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = parse_agreement(&mut tx, school_id, body, None).await?;
    db::agreements::insert(&mut tx, &a).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "agreement",
        &a.id,
        None::<&()>,
        Some(&a),
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Agreement), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Agreement>> {
    let scope = p.authorize(Resource::Agreement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &a.school_id))?;
    Ok(Json(a))
}

#[utoipa::path(patch, path = "/api/v1/agreements/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AgreementInput,
    responses((status = 200, body = Agreement), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Agreement>> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_agreement(&st, &p, &id, body).await?))
}

pub async fn update_agreement(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Agreement> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = parse_agreement(&mut tx, &current.school_id.clone(), body, Some(&current)).await?;
    db::agreements::update(&mut tx, &a).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "agreement",
        id,
        Some(&current),
        Some(&a),
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}

/// Stores a checked signed-agreement PDF and records it on the agreement; shared with the page.
pub async fn attach_document(
    st: &AppState,
    p: &Principal,
    id: &str,
    filename: &str,
    bytes: &[u8],
) -> AppResult<Agreement> {
    if files::sniff(bytes) != Some(files::Kind::Pdf) {
        return Err(AppError::invalid(
            "file",
            ErrorCode::FileTypeNotAllowed,
            "the signed agreement must be a PDF",
        ));
    }
    let mut tx = st.db.write().await?;
    let current = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sha = files::store(&st.config.files_dir(), bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let name = upload::clean_filename(filename);
    db::agreements::set_document(&mut tx, id, &name, &sha, bytes.len() as i64).await?;
    let after = db::agreements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "attach_document",
        "agreement",
        id,
        Some(&current),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The signed agreement as a PDF upload (`multipart/form-data`, part `file`, at most 10 MiB).
#[utoipa::path(post, path = "/api/v1/agreements/{id}/document", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content_type = "multipart/form-data", description = "part `file`: the signed PDF"),
    responses((status = 200, body = Agreement), (status = 422, body = crate::http::error::Problem)))]
pub async fn upload_document(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    req: axum::extract::Request,
) -> AppResult<Json<Agreement>> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let up = upload::read(req, st.config.upload_limit).await?;
    let (name, bytes) = upload::require_file(&up)?;
    Ok(Json(attach_document(&st, &p, &id, name, bytes).await?))
}

pub async fn document_response(st: &AppState, a: &Agreement) -> AppResult<Response> {
    let Some(sha) = &a.document_sha256 else {
        return Err(AppError::NotFound);
    };
    let bytes = files::read(&st.config.files_dir(), sha)
        .await
        .map_err(anyhow::Error::from)?;
    let name = a
        .document_name
        .clone()
        .unwrap_or_else(|| "agreement.pdf".into());
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(|c: char| !c.is_ascii() || c == '"', "_")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Download the signed agreement (office, and the school for its own).
#[utoipa::path(get, path = "/api/v1/agreements/{id}/document", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf"), (status = 404, body = crate::http::error::Problem)))]
pub async fn download_document(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let scope = p.authorize(Resource::Agreement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    ensure(visible(&scope, &a.school_id))?;
    document_response(&st, &a).await
}
