//! Public inquiries and the office's triage of them (`service::inquiries`).
use super::schema::Inquiry;
use super::{List, created};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{JsonBody, JsonObject, Params, PathId},
    input,
};
use crate::service::inquiries;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct InquiryAnswer {
    pub id: String,
    /// placement_request, observership or volunteer
    pub route: String,
    /// What happens next, in words.
    pub next: String,
}

#[utoipa::path(post, path = "/api/v1/inquiries", tag = "inquiries", request_body = input::inquiries::InquiryInput,
    responses((status = 201, body = InquiryAnswer), (status = 422, body = crate::http::error::Problem), (status = 429, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    crate::http::auth::ClientIp(ip): crate::http::auth::ClientIp,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<InquiryAnswer>)> {
    let routed = inquiries::submit_inquiry(&st, ip, input::inquiries::inquiry(body)).await?;
    Ok(created(InquiryAnswer {
        id: routed.id,
        route: routed.route.into(),
        next: routed.next.into(),
    }))
}

#[utoipa::path(get, path = "/api/v1/inquiries", tag = "inquiries", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "new, contacted, closed"), ("route" = Option<String>, Query),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Inquiry>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Inquiry>>> {
    p.authorize(Resource::Inquiry, Action::Read)?;
    let page = params.page()?;
    let status = params.word(
        "status",
        |s| input::inquiries::STATUSES.contains(s),
        input::inquiries::STATUSES,
    )?;
    let route = params.word(
        "route",
        |s| ["placement_request", "observership", "volunteer"].contains(&s),
        "placement_request, observership, volunteer",
    )?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::inquiries::list(&mut tx, &status, &route, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/inquiries/{id}", tag = "inquiries", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::inquiries::InquiryStatusInput,
    responses((status = 200, body = Inquiry), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Inquiry>> {
    p.authorize(Resource::Inquiry, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        inquiries::update_inquiry(&st, &p, &id, input::inquiries::status(body))
            .await?
            .into(),
    ))
}
