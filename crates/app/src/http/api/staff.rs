use super::schema::Staff;
use super::{List, created};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::staff;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};

#[utoipa::path(get, path = "/api/v1/staff", tag = "directory", security(("bearer" = [])),
    params(("department_id" = Option<String>, Query), ("discipline" = Option<String>, Query), ("is_preceptor" = Option<bool>, Query),
           ("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Staff>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Staff>>> {
    let scope = p.authorize(Resource::Staff, Action::Read)?;
    let page = params.page()?;
    let filter = input::staff::filter(&params)?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::staff::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/staff", tag = "directory", security(("bearer" = [])), request_body = input::staff::StaffInput,
    responses((status = 201, body = Staff), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Staff>)> {
    p.authorize(Resource::Staff, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        staff::create_staff(&st, &p, input::staff::staff(body, true)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/staff/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Staff), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Staff>> {
    p.authorize(Resource::Staff, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::staff::get(&mut tx, &id)
        .await?
        .map(|r| Json(r.into()))
        .ok_or(AppError::NotFound)
}

#[utoipa::path(patch, path = "/api/v1/staff/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::staff::StaffInput,
    responses((status = 200, body = Staff), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Staff>> {
    p.authorize(Resource::Staff, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        staff::update_staff(&st, &p, &id, input::staff::staff(body, false))
            .await?
            .into(),
    ))
}
