//! `/api/v1/evaluation-templates` (the office's forms, issue 16 point 1), a placement's and
//! one's evaluations with their signature, acknowledgement, corrections and PDF (point 2, and
//! the student's site evaluation of point 3), `/api/v1/reports/site-evaluations` (the
//! aggregates of at least 3, point 3). The use cases are in `service::evaluations` and
//! `service::evaluation_templates`.
use super::schema::{Evaluation, EvaluationSlot, EvaluationTemplate, SiteEvaluationReport};
use super::{List, created};
use crate::domain::{
    evaluation::MIN_RESPONSES,
    policy::{Action, Resource},
};
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::{evaluation_templates as templates, evaluations};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

type Problem = crate::http::error::Problem;

#[utoipa::path(get, path = "/api/v1/evaluation-templates", tag = "evaluations", security(("bearer" = [])),
    params(("all_versions" = Option<bool>, Query, description = "also the versions later ones replaced")),
    responses((status = 200, body = List<EvaluationTemplate>), (status = 422, body = Problem)))]
pub async fn list_templates(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<EvaluationTemplate>>> {
    let all = params.bool("all_versions")?.unwrap_or(false);
    Ok(Json(templates::list_templates(&st, &p, all).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/evaluation-templates", tag = "evaluations", security(("bearer" = [])),
    request_body = input::evaluations::TemplateInput,
    responses((status = 201, body = EvaluationTemplate), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_template(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<EvaluationTemplate>)> {
    p.authorize(Resource::EvaluationTemplate, Action::Write)?;
    let body = body.read(&st).await?;
    let t = templates::create_template(&st, &p, input::evaluations::template(body, true)).await?;
    Ok(created(t))
}

#[utoipa::path(get, path = "/api/v1/evaluation-templates/{id}", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = EvaluationTemplate), (status = 404, body = Problem)))]
pub async fn get_template(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<EvaluationTemplate>> {
    Ok(Json(templates::get_template(&st, &p, &id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/evaluation-templates/{id}", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::evaluations::TemplateInput,
    responses((status = 200, body = EvaluationTemplate, description = "the template; a new version (another id) when an evaluation was filled on the old one"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_template(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<EvaluationTemplate>> {
    p.authorize(Resource::EvaluationTemplate, Action::Write)?;
    let body = body.read(&st).await?;
    let t =
        templates::update_template(&st, &p, &id, input::evaluations::template(body, false)).await?;
    Ok(Json(t.into()))
}

#[utoipa::path(get, path = "/api/v1/evaluations", tag = "evaluations", security(("bearer" = [])),
    responses((status = 200, body = List<EvaluationSlot>, description = "the caller's evaluations to do: to fill or sign (a supervisor, the student's site evaluation), to acknowledge (a student)"),
        (status = 403, body = Problem)))]
pub async fn mine(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<List<EvaluationSlot>>> {
    Ok(Json(evaluations::my_evaluations(&st, &p).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/evaluations", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = List<EvaluationSlot>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_placement(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<List<EvaluationSlot>>> {
    Ok(Json(
        evaluations::placement_evaluations(&st, &p, &id)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/evaluations", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::evaluations::NewEvaluationInput,
    responses((status = 201, body = Evaluation), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn start(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Evaluation>)> {
    p.authorize(Resource::Evaluation, Action::Write)?;
    let body = body.read(&st).await?;
    let e = evaluations::start_evaluation(&st, &p, &id, input::evaluations::new_evaluation(body))
        .await?;
    Ok(created(e))
}

#[utoipa::path(get, path = "/api/v1/evaluations/{id}", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Evaluation), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Evaluation>> {
    Ok(Json(
        evaluations::get_evaluation(&st, &p, &id).await?.into(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/evaluations/{id}", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::evaluations::EvaluationChangeInput,
    responses((status = 200, body = Evaluation), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Evaluation>> {
    p.authorize(Resource::Evaluation, Action::Write)?;
    let body = body.read(&st).await?;
    let e =
        evaluations::update_evaluation(&st, &p, &id, input::evaluations::evaluation_change(body))
            .await?;
    Ok(Json(e.into()))
}

#[utoipa::path(post, path = "/api/v1/evaluations/{id}/sign", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Evaluation), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Evaluation>> {
    Ok(Json(evaluations::sign(&st, &p, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/evaluations/{id}/acknowledge", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::evaluations::AcknowledgementInput,
    responses((status = 200, body = Evaluation), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn acknowledge(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Evaluation>> {
    p.authorize(Resource::Evaluation, Action::Write)?;
    let body = body.read_or_empty(&st).await?;
    let e =
        evaluations::acknowledge(&st, &p, &id, input::evaluations::acknowledgement(body)).await?;
    Ok(Json(e.into()))
}

#[utoipa::path(post, path = "/api/v1/evaluations/{id}/corrections", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::evaluations::CorrectionInput,
    responses((status = 201, body = Evaluation, description = "the evaluation's new version; the one before is in history"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn correct(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Evaluation>)> {
    p.authorize(Resource::Evaluation, Action::Write)?;
    let body = body.read(&st).await?;
    let e = evaluations::correct(&st, &p, &id, input::evaluations::correction(body)).await?;
    Ok(created(e))
}

#[utoipa::path(get, path = "/api/v1/evaluations/{id}/pdf", tag = "evaluations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", description = "the evaluation, printable"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn pdf(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let bytes = crate::service::evaluation_pdf::pdf(&st, &p, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"evaluation-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/reports/site-evaluations", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = SiteEvaluationReport), (status = 403, body = Problem)))]
pub async fn site_report(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<SiteEvaluationReport>> {
    let (by_department, by_supervisor) = templates::site_aggregates(&st, &p).await?;
    Ok(Json(SiteEvaluationReport {
        min_responses: MIN_RESPONSES,
        by_department: by_department.into_iter().map(Into::into).collect(),
        by_supervisor: by_supervisor.into_iter().map(Into::into).collect(),
    }))
}
