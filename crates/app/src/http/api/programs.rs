use super::{List, created, schools::visible};
use crate::db::{self, Tx, new_id, programs::Program};
use crate::domain::ErrorCode;
use crate::domain::{
    directory::DegreeLevel,
    policy::{Action, Resource},
};
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
pub struct ProgramInput {
    name: String,
    /// A discipline code from the catalog.
    discipline: String,
    /// certificate, associate, baccalaureate, masters, doctoral
    degree_level: String,
    /// Defaults to the discipline's usual accreditor.
    accreditor: Option<String>,
    accredited_until: Option<String>,
}

pub async fn parse_program(
    tx: &mut Tx,
    school_id: &str,
    body: Map<String, Value>,
    current: Option<&Program>,
) -> AppResult<Program> {
    let mut i = Input::new(
        body,
        &[
            "name",
            "discipline",
            "degree_level",
            "accreditor",
            "accredited_until",
        ],
    );
    let name = i.req("name", current.map(|c| &c.name), &parse::text);
    let discipline = i.req("discipline", current.map(|c| &c.discipline), &parse::text);
    let degree_level = i.req(
        "degree_level",
        current.map(|c| &c.degree_level),
        &parse::word(|s| DegreeLevel::parse(s).is_some(), DegreeLevel::words()),
    );
    let accreditor = i.opt(
        "accreditor",
        current.map(|c| Some(c.accreditor.clone())).as_ref(),
        &parse::text,
    );
    let accredited_until = i.opt(
        "accredited_until",
        current.map(|c| &c.accredited_until),
        &parse::date,
    );
    let mut default_accreditor = None;
    if let Some(code) = &discipline {
        match db::disciplines::get(tx, code).await? {
            Some(d) => default_accreditor = Some(d.accreditor),
            None => i.problems.add(
                "discipline",
                ErrorCode::UnknownDiscipline,
                format!("{code:?} is not in the discipline catalog"),
            ),
        }
    }
    i.finish()?;
    Ok(Program {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        school_id: school_id.to_string(),
        name: name.unwrap_or_default(),
        discipline: discipline.unwrap_or_default(),
        degree_level: degree_level.unwrap_or_default(),
        accreditor: accreditor
            .flatten()
            .or(default_accreditor)
            .unwrap_or_default(),
        accredited_until: accredited_until.flatten(),
    })
}

fn filter_from(params: &Params, school_id: Option<String>) -> AppResult<db::programs::Filter> {
    Ok(db::programs::Filter {
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
    ensure(visible(&scope, &school_id))?;
    let page = params.page()?;
    let filter = filter_from(&params, Some(school_id.clone()))?;
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
           ("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Program>)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Program>>> {
    let scope = p.authorize(Resource::Program, Action::Read)?;
    let page = params.page()?;
    let filter = filter_from(&params, params.id("school_id")?)?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::programs::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/schools/{id}/programs", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ProgramInput,
    responses((status = 201, body = Program), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    PathId(school_id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Program>)> {
    p.authorize(Resource::Program, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_program(&st, &p, &school_id, body).await?))
}

pub async fn create_program(
    st: &AppState,
    p: &Principal,
    school_id: &str,
    body: Map<String, Value>,
) -> AppResult<Program> {
    let scope = p.authorize(Resource::Program, Action::Write)?;
    ensure(visible(&scope, school_id))?;
    let mut tx = st.db.write().await?;
    db::schools::get(&mut tx, school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let prog = parse_program(&mut tx, school_id, body, None).await?;
    db::programs::insert(&mut tx, &prog).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "program",
        &prog.id,
        None::<&()>,
        Some(&prog),
    )
    .await?;
    tx.commit().await?;
    Ok(prog)
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
    ensure(visible(&scope, &prog.school_id))?;
    Ok(Json(prog))
}

#[utoipa::path(patch, path = "/api/v1/programs/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ProgramInput,
    responses((status = 200, body = Program), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Program>> {
    p.authorize(Resource::Program, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_program(&st, &p, &id, body).await?))
}

pub async fn update_program(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Program> {
    let scope = p.authorize(Resource::Program, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::programs::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &current.school_id))?;
    let prog = parse_program(&mut tx, &current.school_id.clone(), body, Some(&current)).await?;
    db::programs::update(&mut tx, &prog).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "program",
        id,
        Some(&current),
        Some(&prog),
    )
    .await?;
    tx.commit().await?;
    Ok(prog)
}
