use super::{List, created};
use crate::db::{self, new_id, sites::Site};
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SiteInput {
    name: String,
}

pub fn parse_site(body: Map<String, Value>, current: Option<&Site>) -> Result<Site, AppError> {
    let mut i = Input::new(body, &["name"]);
    let name = i.req("name", current.map(|c| &c.name), &parse::text);
    i.finish()?;
    Ok(Site {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        name: name.unwrap_or_default(),
    })
}

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

#[utoipa::path(post, path = "/api/v1/sites", tag = "directory", security(("bearer" = [])), request_body = SiteInput,
    responses((status = 201, body = Site), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Site>)> {
    p.authorize(Resource::Site, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_site(&st, &p, body).await?))
}

pub async fn create_site(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<Site> {
    p.authorize(Resource::Site, Action::Write)?;
    let site = parse_site(body, None)?;
    let mut tx = st.db.write().await?;
    db::sites::insert(&mut tx, &site).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "site",
        &site.id,
        None::<&()>,
        Some(&site),
    )
    .await?;
    tx.commit().await?;
    Ok(site)
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
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[utoipa::path(patch, path = "/api/v1/sites/{id}", tag = "directory", security(("bearer" = [])), request_body = SiteInput,
    params(("id" = String, Path)), responses((status = 200, body = Site), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Site>> {
    p.authorize(Resource::Site, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_site(&st, &p, &id, body).await?))
}

pub async fn update_site(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Site> {
    p.authorize(Resource::Site, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::sites::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let site = parse_site(body, Some(&current))?;
    db::sites::update(&mut tx, &site).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "site",
        id,
        Some(&current),
        Some(&site),
    )
    .await?;
    tx.commit().await?;
    Ok(site)
}
