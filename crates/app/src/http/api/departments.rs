use super::schema::Department;
use super::{List, created};
use crate::db;
use crate::domain::{
    directory::Setting,
    policy::{Action, Resource},
};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::departments;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};

#[utoipa::path(get, path = "/api/v1/departments", tag = "directory", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("site_id" = Option<String>, Query), ("discipline" = Option<String>, Query),
           ("setting" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Department>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Department>>> {
    let scope = p.authorize(Resource::Department, Action::Read)?;
    let page = params.page()?;
    let filter = db::departments::Filter {
        q: params.get("q"),
        site_id: params.id("site_id")?,
        discipline: params.get("discipline"),
        setting: params.word(
            "setting",
            |s| Setting::parse(s).is_some(),
            &Setting::words(),
        )?,
    };
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::departments::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/departments", tag = "directory", security(("bearer" = [])), request_body = input::departments::DepartmentInput,
    responses((status = 201, body = Department), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Department>)> {
    p.authorize(Resource::Department, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        departments::create_department(&st, &p, input::departments::department(body, true)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Department), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Department>> {
    let scope = p.authorize(Resource::Department, Action::Read)?;
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_department(&d.id))?;
    Ok(Json(d.into()))
}

#[utoipa::path(patch, path = "/api/v1/departments/{id}", tag = "directory", security(("bearer" = [])), request_body = input::departments::DepartmentInput,
    params(("id" = String, Path)), responses((status = 200, body = Department), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Department>> {
    p.authorize(Resource::Department, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        departments::update_department(&st, &p, &id, input::departments::department(body, false))
            .await?
            .into(),
    ))
}
