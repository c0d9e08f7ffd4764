use super::schema::School;
use super::{List, created};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::schools;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};

#[utoipa::path(get, path = "/api/v1/schools", tag = "directory", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<School>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<School>>> {
    let scope = p.authorize(Resource::School, Action::Read)?;
    let page = params.page()?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::schools::list(&mut tx, &scope, &params.get("q"), &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/schools", tag = "directory", security(("bearer" = [])), request_body = input::schools::SchoolInput,
    responses((status = 201, body = School), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<School>)> {
    p.authorize(Resource::School, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        schools::create_school(&st, &p, input::schools::school(body, true)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/schools/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = School), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<School>> {
    let scope = p.authorize(Resource::School, Action::Read)?;
    ensure(scope.sees_school(&id))?;
    let mut tx = st.db.read().await?;
    db::schools::get(&mut tx, &id)
        .await?
        .map(|r| Json(r.into()))
        .ok_or(AppError::NotFound)
}

#[utoipa::path(patch, path = "/api/v1/schools/{id}", tag = "directory", security(("bearer" = [])), request_body = input::schools::SchoolInput,
    params(("id" = String, Path)), responses((status = 200, body = School), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<School>> {
    p.authorize(Resource::School, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        schools::update_school(&st, &p, &id, input::schools::school(body, false))
            .await?
            .into(),
    ))
}
