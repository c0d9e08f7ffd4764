use super::{List, created};
use crate::db::{self, Scope, new_id, schools::School};
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SchoolInput {
    name: String,
    city: String,
    state: String,
}

pub fn parse_school(
    body: Map<String, Value>,
    current: Option<&School>,
) -> Result<School, AppError> {
    let mut i = Input::new(body, &["name", "city", "state"]);
    let name = i.req("name", current.map(|c| &c.name), &parse::text);
    let city = i.req("city", current.map(|c| &c.city), &parse::text);
    let state = i.req("state", current.map(|c| &c.state), &parse::text);
    i.finish()?;
    Ok(School {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        name: name.unwrap_or_default(),
        city: city.unwrap_or_default(),
        state: state.unwrap_or_default(),
    })
}

pub fn visible(scope: &Scope, school_id: &str) -> bool {
    match scope {
        Scope::All => true,
        Scope::School(s) => s == school_id,
        _ => false,
    }
}

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

#[utoipa::path(post, path = "/api/v1/schools", tag = "directory", security(("bearer" = [])), request_body = SchoolInput,
    responses((status = 201, body = School), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<School>)> {
    p.authorize(Resource::School, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_school(&st, &p, body).await?))
}

pub async fn create_school(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<School> {
    p.authorize(Resource::School, Action::Write)?;
    let school = parse_school(body, None)?;
    let mut tx = st.db.write().await?;
    db::schools::insert(&mut tx, &school).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "school",
        &school.id,
        None::<&()>,
        Some(&school),
    )
    .await?;
    tx.commit().await?;
    Ok(school)
}

#[utoipa::path(get, path = "/api/v1/schools/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = School), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<School>> {
    let scope = p.authorize(Resource::School, Action::Read)?;
    ensure(visible(&scope, &id))?;
    let mut tx = st.db.read().await?;
    db::schools::get(&mut tx, &id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[utoipa::path(patch, path = "/api/v1/schools/{id}", tag = "directory", security(("bearer" = [])), request_body = SchoolInput,
    params(("id" = String, Path)), responses((status = 200, body = School), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<School>> {
    p.authorize(Resource::School, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_school(&st, &p, &id, body).await?))
}

pub async fn update_school(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<School> {
    p.authorize(Resource::School, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::schools::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let school = parse_school(body, Some(&current))?;
    db::schools::update(&mut tx, &school).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "school",
        id,
        Some(&current),
        Some(&school),
    )
    .await?;
    tx.commit().await?;
    Ok(school)
}
