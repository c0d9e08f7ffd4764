use super::schema::Agreement;
use super::{List, created};
use crate::db;
use crate::domain::{
    ErrorCode,
    directory::AgreementStatus,
    policy::{Action, Resource},
};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
    input, upload,
};
use crate::service::agreements;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode, response::Response};

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
    ensure(scope.sees_school(&school_id))?;
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
    params(("id" = String, Path)), request_body = input::agreements::AgreementInput,
    responses((status = 201, body = Agreement), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    PathId(school_id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Agreement>)> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        agreements::create_agreement(
            &st,
            &p,
            &school_id,
            input::agreements::agreement(body, true),
        )
        .await?,
    ))
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
    ensure(scope.sees_school(&a.school_id))?;
    Ok(Json(a.into()))
}

#[utoipa::path(patch, path = "/api/v1/agreements/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::agreements::AgreementInput,
    responses((status = 200, body = Agreement), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Agreement>> {
    p.authorize(Resource::Agreement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        agreements::update_agreement(&st, &p, &id, input::agreements::agreement(body, false))
            .await?
            .into(),
    ))
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
    Ok(Json(
        agreements::attach_document(&st, &p, &id, input::agreements::document(name, bytes))
            .await?
            .into(),
    ))
}

/// Download the signed agreement (office, and the school for its own).
#[utoipa::path(get, path = "/api/v1/agreements/{id}/document", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf"), (status = 404, body = crate::http::error::Problem)))]
pub async fn download_document(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (name, bytes) = agreements::agreement_document(&st, &p, &id).await?;
    Ok(upload::pdf_download(&name, bytes))
}
