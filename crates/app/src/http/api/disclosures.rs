//! A student's disclosure log and their data export (issue 13 point 6).
use super::List;
use super::schema::Disclosure;
use crate::http::{auth::Principal, error::AppResult, extract::PathId};
use crate::service::{disclosures, export};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

#[utoipa::path(get, path = "/api/v1/students/{id}/disclosures", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = List<Disclosure>, description = "who other than the student read their record, newest first (at most 1,000)"),
        (status = 403, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<List<Disclosure>>> {
    Ok(Json(disclosures::of_student(&st, &p, &id).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/students/{id}/export", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/zip", description = "everything held about the student: record, placements, checklist, documents and their files, disclosure log"),
        (status = 403, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem)))]
pub async fn archive(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (name, bytes) = export::student_archive(&st, &p, &id).await?;
    Ok(zip_response(&name, bytes))
}

/// A ZIP download.
pub fn zip_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
