//! Faculty supervisors' invitations: the one-time link sets their password
//! (`service::invitations`).
use crate::http::{error::AppResult, extract::JsonObject, input};
use crate::service::invitations;
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub email: String,
}

#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "auth", request_body = input::invitations::AcceptInvitationInput,
    params(("token" = String, Path, description = "from the invitation email")),
    responses((status = 200, body = Accepted), (status = 404, body = crate::http::error::Problem, description = "unknown, used or expired"),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn accept(
    State(st): State<AppState>,
    Path(token): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Accepted>> {
    let user =
        invitations::accept_invitation(&st, &token, input::invitations::accept(body)).await?;
    Ok(Json(Accepted { email: user.email }))
}
