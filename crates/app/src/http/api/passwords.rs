//! A person's own password (issue 14 point 2): "Forgot your password?" and changing it
//! (`service::passwords`).
use super::invitations::Accepted;
use crate::http::{
    auth::{self, ClientIp, Principal},
    error::{AppResult, Problem},
    extract::JsonObject,
    input,
};
use crate::service::passwords;
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};

/// Ask for a password reset link by e-mail (valid one hour, once). Answers 202 whether or not
/// the address has an account; 429 when it, or the client, asked too often.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth",
    request_body = input::invitations::PasswordResetRequestInput,
    responses((status = 202), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn request_reset(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> AppResult<StatusCode> {
    let email = input::invitations::reset_request(body)?;
    passwords::request_reset(&st, &email, &auth::api_client(&headers, ip)).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the reset link's token; every earlier session ends and the person
/// is signed in (or, with an authenticator, gets an `mfa_token` for the second step).
#[utoipa::path(post, path = "/api/v1/auth/password-reset/{token}", tag = "auth",
    request_body = input::invitations::AcceptInvitationInput,
    params(("token" = String, Path, description = "from the reset e-mail")),
    responses((status = 200, body = Accepted), (status = 401, body = Problem, description = "the account is turned off"),
              (status = 404, body = Problem, description = "unknown, used or expired"),
              (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn reset(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Accepted>> {
    let user = passwords::reset_password(&st, &token, input::invitations::accept(body)).await?;
    let client = auth::api_client(&headers, ip);
    Ok(Json(
        Accepted::signed_in(&st, user, client, "password reset").await?,
    ))
}

/// Change the caller's password; every other session of theirs ends, and they are told by
/// e-mail. 422 `current_password_wrong` (counted as a failed sign-in) or the new password's
/// problems, all at once.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])),
    request_body = input::invitations::ChangePasswordInput,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn change(
    State(st): State<AppState>,
    p: Principal,
    JsonObject(body): JsonObject,
) -> AppResult<StatusCode> {
    passwords::change_password(&st, &p, input::invitations::change(body)).await?;
    Ok(StatusCode::NO_CONTENT)
}
