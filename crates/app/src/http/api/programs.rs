use super::schema::Program;
use super::{List, created};
use crate::db;
use crate::domain::{
    directory::DegreeLevel,
    policy::{Action, Resource},
};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::programs;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};

fn filter_from(
    params: &Params,
    school_id: Option<String>,
    today: chrono::NaiveDate,
) -> AppResult<db::programs::Filter> {
    Ok(db::programs::Filter {
        accreditation_ending: crate::http::input::programs::accreditation_window(params, today)?,
        school_id,
        discipline: params.get("discipline"),
        degree_level: params.word(
            "degree_level",
            |s| DegreeLevel::parse(s).is_some(),
            &DegreeLevel::words(),
        )?,
        q: params.get("q"),
    })
}

#[utoipa::path(get, path = "/api/v1/schools/{id}/programs", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path), ("discipline" = Option<String>, Query), ("degree_level" = Option<String>, Query),
           ("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Program>), (status = 404, body = crate::http::error::Problem)))]
pub async fn list_for_school(
    State(st): State<AppState>,
    p: Principal,
    PathId(school_id): PathId,
    params: Params,
) -> AppResult<Json<List<Program>>> {
    let scope = p.authorize(Resource::Program, Action::Read)?;
    ensure(scope.sees_school(&school_id))?;
    let page = params.page()?;
    let filter = filter_from(&params, Some(school_id.clone()), st.clock.today())?;
    let mut tx = st.db.read().await?;
    db::schools::get(&mut tx, &school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(
        db::programs::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

/// All programs in scope, across schools.
#[utoipa::path(get, path = "/api/v1/programs", tag = "directory", security(("bearer" = [])),
    params(("school_id" = Option<String>, Query), ("discipline" = Option<String>, Query), ("degree_level" = Option<String>, Query),
           ("q" = Option<String>, Query),
           ("accreditation_ending_within" = Option<i64>, Query, description = "accreditation ending between today and this many days on"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Program>)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Program>>> {
    let scope = p.authorize(Resource::Program, Action::Read)?;
    let page = params.page()?;
    let filter = filter_from(&params, params.id("school_id")?, st.clock.today())?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::programs::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/schools/{id}/programs", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::programs::ProgramInput,
    responses((status = 201, body = Program), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    PathId(school_id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Program>)> {
    p.authorize(Resource::Program, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        programs::create_program(&st, &p, &school_id, input::programs::program(body, true)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Program), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Program>> {
    let scope = p.authorize(Resource::Program, Action::Read)?;
    let mut tx = st.db.read().await?;
    let prog = db::programs::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_school(&prog.school_id))?;
    Ok(Json(prog.into()))
}

#[utoipa::path(patch, path = "/api/v1/programs/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::programs::ProgramInput,
    responses((status = 200, body = Program), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Program>> {
    p.authorize(Resource::Program, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        programs::update_program(&st, &p, &id, input::programs::program(body, false))
            .await?
            .into(),
    ))
}
