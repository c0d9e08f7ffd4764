//! `/api/v1/planning-runs`: the term planning use cases of `service/planning/`.
use super::schema::{AcceptOutcome, PlanningRun};
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    download_json,
    error::AppResult,
    extract::{JsonBody, PathId},
    input,
};
use crate::service::planning::{
    accept_run, cancel_run, load, problem_json, recent, solution_json, start_run, view,
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode, response::Response};

#[utoipa::path(post, path = "/api/v1/planning-runs", tag = "planning", security(("bearer" = [])),
    request_body = input::planning::StartInput,
    responses((status = 202, body = PlanningRun, description = "started; poll it until `status` is no longer `running`"),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<PlanningRun>)> {
    p.authorize(Resource::Planning, Action::Write)?;
    let body = body.read(&st).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(
            start_run(&st, &p, input::planning::start_run(body)?)
                .await?
                .into(),
        ),
    ))
}

/// The most recent runs, newest first (without proposals).
#[utoipa::path(get, path = "/api/v1/planning-runs", tag = "planning", security(("bearer" = [])),
    responses((status = 200, body = super::List<PlanningRun>)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<super::List<PlanningRun>>> {
    let runs = recent(&st, &p).await?;
    let views = runs
        .iter()
        .map(|r| view(r, false))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Json(views.into()))
}

/// A run with its live progress, and its proposal once it has one.
#[utoipa::path(get, path = "/api/v1/planning-runs/{id}", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = PlanningRun), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<PlanningRun>> {
    Ok(Json(view(&load(&st, &p, &id).await?, true)?.into()))
}

/// Stops a running job early; it keeps the best answer found so far.
#[utoipa::path(post, path = "/api/v1/planning-runs/{id}/cancel", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 202, body = PlanningRun), (status = 409, body = crate::http::error::Problem)))]
pub async fn cancel(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<(StatusCode, Json<PlanningRun>)> {
    let run = cancel_run(&st, &p, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(view(&run, false)?.into())))
}

#[utoipa::path(post, path = "/api/v1/planning-runs/{id}/accept", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::planning::AcceptInput,
    responses((status = 200, body = AcceptOutcome), (status = 409, body = crate::http::error::Problem, description = "run_not_finished")))]
pub async fn accept(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<AcceptOutcome>> {
    p.authorize(Resource::Planning, Action::Write)?;
    let body = body.read_or_empty(&st).await?;
    Ok(Json(
        accept_run(&st, &p, &id, input::planning::accept_run(body)?)
            .await?
            .into(),
    ))
}

/// The problem exactly as the allocator saw it (`practicum-allocation/1`), for audit or to
/// re-run with `practicum allocate`.
#[utoipa::path(get, path = "/api/v1/planning-runs/{id}/problem", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "practicum-allocation/1 JSON")))]
pub async fn problem(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (name, json) = problem_json(&st, &p, &id).await?;
    Ok(download_json(&name, json))
}

/// The allocator's answer (`practicum-allocation-solution/1`); check it with `practicum check`.
#[utoipa::path(get, path = "/api/v1/planning-runs/{id}/solution", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "practicum-allocation-solution/1 JSON"), (status = 404, body = crate::http::error::Problem)))]
pub async fn solution(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (name, json) = solution_json(&st, &p, &id).await?;
    Ok(download_json(&name, json))
}
