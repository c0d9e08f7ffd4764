use super::schema::Site;
use super::{List, created};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::sites;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};

#[utoipa::path(get, path = "/api/v1/sites", tag = "directory", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Site>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Site>>> {
    p.authorize(Resource::Site, Action::Read)?;
    let page = params.page()?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::sites::list(&mut tx, &page, &params.get("q"))
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/sites", tag = "directory", security(("bearer" = [])), request_body = input::sites::SiteInput,
    responses((status = 201, body = Site), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Site>)> {
    p.authorize(Resource::Site, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        sites::create_site(&st, &p, input::sites::site(body, true)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/sites/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Site), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Site>> {
    p.authorize(Resource::Site, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::sites::get(&mut tx, &id)
        .await?
        .map(|r| Json(r.into()))
        .ok_or(AppError::NotFound)
}

#[utoipa::path(patch, path = "/api/v1/sites/{id}", tag = "directory", security(("bearer" = [])), request_body = input::sites::SiteInput,
    params(("id" = String, Path)), responses((status = 200, body = Site), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Site>> {
    p.authorize(Resource::Site, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        sites::update_site(&st, &p, &id, input::sites::site(body, false))
            .await?
            .into(),
    ))
}
