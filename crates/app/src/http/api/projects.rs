//! `/api/v1/placements/{id}/project`: an internship's objectives, milestones, agreements and
//! final deliverable (issue 16 point 4). The use cases are in `service/projects.rs`.
use super::created;
use super::schema::{Project, ProjectItem};
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{JsonBody, PathId, parse_id},
    input, upload,
};
use crate::service::projects;
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

type P = crate::http::error::Problem;

/// Both ids of `/placements/{id}/project/items/{item_id}`; anything but UUIDs names nothing.
fn two_ids((a, b): (String, String)) -> AppResult<(String, String)> {
    match (parse_id(&a), parse_id(&b)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(AppError::NotFound),
    }
}

/// The project: objectives, milestones, who agreed and when, the deliverable. The student,
/// the faculty member, the site mentor and the office; 404 for anyone else; 409
/// `not_an_internship` for a clinical.
#[utoipa::path(get, path = "/api/v1/placements/{id}/project", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Project), (status = 404, body = P), (status = 409, body = P)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Project>> {
    Ok(Json(projects::get_project(&st, &p, &id).await?.into()))
}

/// Add an objective or a milestone. After an agreement, the agreements are cleared
/// (`agreement_reset` says who changed what).
#[utoipa::path(post, path = "/api/v1/placements/{id}/project/items", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::projects::NewItemInput,
    responses((status = 201, body = ProjectItem), (status = 403, body = P), (status = 404, body = P),
        (status = 409, body = P), (status = 422, body = P)))]
pub async fn add_item(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<ProjectItem>)> {
    p.authorize(Resource::Project, Action::Write)?;
    let body = body.read(&st).await?;
    let item = projects::add_item(&st, &p, &id, input::projects::new_item(body)).await?;
    Ok(created(item))
}

/// Change an objective or a milestone: a new title or due date clears the agreements; a
/// milestone's status does not.
#[utoipa::path(patch, path = "/api/v1/placements/{id}/project/items/{item_id}", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path), ("item_id" = String, Path)), request_body = input::projects::ItemChangeInput,
    responses((status = 200, body = ProjectItem), (status = 403, body = P), (status = 404, body = P),
        (status = 409, body = P), (status = 422, body = P)))]
pub async fn change_item(
    State(st): State<AppState>,
    p: Principal,
    Path(ids): Path<(String, String)>,
    body: JsonBody,
) -> AppResult<Json<ProjectItem>> {
    let (id, item_id) = two_ids(ids)?;
    p.authorize(Resource::Project, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        projects::change_item(&st, &p, &id, &item_id, input::projects::item_change(body))
            .await?
            .into(),
    ))
}

/// Remove an objective or a milestone (clears the agreements).
#[utoipa::path(delete, path = "/api/v1/placements/{id}/project/items/{item_id}", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path), ("item_id" = String, Path)),
    responses((status = 204), (status = 403, body = P), (status = 404, body = P), (status = 409, body = P)))]
pub async fn remove_item(
    State(st): State<AppState>,
    p: Principal,
    Path(ids): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let (id, item_id) = two_ids(ids)?;
    projects::remove_item(&st, &p, &id, &item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The faculty member or the site mentor agrees to the plan as it is (no body). Anyone else
/// 403; 409 `project_empty` without an objective.
#[utoipa::path(post, path = "/api/v1/placements/{id}/project/agree", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Project), (status = 403, body = P), (status = 404, body = P), (status = 409, body = P)))]
pub async fn agree(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Project>> {
    Ok(Json(projects::agree(&st, &p, &id).await?.into()))
}

/// The student uploads the final deliverable: `multipart/form-data`, part `file`, a PDF
/// (sniffed from its bytes: 422 `file_type_not_allowed`), at most the upload limit (10 MiB:
/// 422 `file_too_large`).
#[utoipa::path(post, path = "/api/v1/placements/{id}/project/deliverable", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content_type = "multipart/form-data", description = "part `file`: the deliverable, a PDF"),
    responses((status = 200, body = Project), (status = 403, body = P), (status = 404, body = P),
        (status = 409, body = P), (status = 422, body = P)))]
pub async fn upload_deliverable(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    req: axum::extract::Request,
) -> AppResult<Json<Project>> {
    p.authorize(Resource::Project, Action::Write)?;
    let up = upload::read(req, st.config.upload_limit).await?;
    let (name, bytes) = upload::require_file(&up)?;
    let name = upload::clean_filename(name);
    Ok(Json(
        projects::upload_deliverable(&st, &p, &id, &name, bytes)
            .await?
            .into(),
    ))
}

/// Download the deliverable (the project's parties).
#[utoipa::path(get, path = "/api/v1/placements/{id}/project/deliverable", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf"), (status = 404, body = P), (status = 409, body = P)))]
pub async fn download_deliverable(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (name, bytes) = projects::deliverable_file(&st, &p, &id).await?;
    Ok(upload::pdf_download(&name, bytes))
}

/// The faculty member accepts the deliverable or returns it with a note:
/// `{ outcome: "accepted" | "returned", note? }`.
#[utoipa::path(post, path = "/api/v1/placements/{id}/project/deliverable/review", tag = "projects", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::projects::DeliverableReviewInput,
    responses((status = 200, body = Project), (status = 403, body = P), (status = 404, body = P),
        (status = 409, body = P), (status = 422, body = P)))]
pub async fn review_deliverable(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Project>> {
    p.authorize(Resource::Project, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        projects::review_deliverable(&st, &p, &id, input::projects::deliverable_review(body))
            .await?
            .into(),
    ))
}
