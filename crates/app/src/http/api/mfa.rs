//! Two-step sign-in over the API (issue 13 point 4): the second step of `POST
//! /api/v1/auth/login`, and enrolling, confirming and disabling a TOTP authenticator (RFC 6238)
//! under `/api/v1/me/mfa`. These stay open to a user the office requires to enrol.
use super::session::{LoginResponse, Me};
use crate::http::sign_in;
use crate::http::{
    auth::{self, ClientIp, Principal},
    error::{AppResult, Problem},
    extract::JsonObject,
    input,
};
use crate::service::{self, mfa};
use crate::state::AppState;
use axum::{Json, extract::State, http::HeaderMap, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

/// Where the caller stands with two-step sign-in.
#[derive(Serialize, ToSchema)]
pub struct MfaStatusResponse {
    /// A confirmed authenticator: sign-in asks for a code after the password.
    pub totp_enabled: bool,
    /// An enrolment was started and awaits its first code.
    pub enrolment_pending: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: i64,
    /// The office requires a second step of the caller's role (the `require_mfa_for_office`
    /// setting): until it is enabled, every other call answers 403 `mfa_enrollment_required`.
    pub required: bool,
}

/// An enrolment under way. The secret is answered here only, never after confirmation.
#[derive(Serialize, ToSchema)]
pub struct TotpEnrolmentResponse {
    /// The shared secret in base32, for typing into an authenticator by hand.
    pub secret: String,
    /// The `otpauth://totp/...` URL an authenticator app reads from the QR code.
    pub otpauth_url: String,
    /// The QR code of `otpauth_url`, as an SVG element.
    pub qr_svg: String,
}

/// The recovery codes: shown this once; each signs in once in place of a code.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodesResponse {
    pub recovery_codes: Vec<String>,
}

/// Second step of a sign-in: the `mfa_token` a right password answered (401 `mfa_required`)
/// and a code from the authenticator, or a recovery code. Answers as `POST /api/v1/auth/login`.
/// A wrong or already used code answers 422 `mfa_code_invalid` (the token stays good for its
/// five minutes); repeated wrong codes for the account answer 429.
#[utoipa::path(post, path = "/api/v1/auth/login/mfa", tag = "auth",
    request_body = input::mfa::LoginMfaInput,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn login_mfa(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    JsonObject(body): JsonObject,
) -> AppResult<Json<LoginResponse>> {
    let (token, code) = input::mfa::login_mfa(body)?;
    let client = auth::api_client(&headers, ip);
    let (token, user) = service::sign_in::second_step(&st, &token, code, client).await?;
    Ok(Json(LoginResponse {
        token,
        user: Me::from(user),
    }))
}

#[utoipa::path(get, path = "/api/v1/me/mfa", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MfaStatusResponse), (status = 401, body = Problem)))]
pub async fn status(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<MfaStatusResponse>> {
    let s = mfa::status(&st, &p).await?;
    Ok(Json(MfaStatusResponse {
        totp_enabled: s.enabled,
        enrolment_pending: s.pending,
        recovery_codes_left: s.recovery_codes_left,
        required: s.required,
    }))
}

/// Starts enrolling a TOTP authenticator (again, if one was started and not confirmed): a new
/// secret, its `otpauth://` URL and QR code. Confirm with a first code. 409
/// `mfa_already_enabled` when one is on.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp", tag = "auth", security(("bearer" = [])),
    responses((status = 201, body = TotpEnrolmentResponse), (status = 401, body = Problem),
              (status = 409, body = Problem)))]
pub async fn start(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<(StatusCode, Json<TotpEnrolmentResponse>)> {
    let e = mfa::start_enrolment(&st, &p).await?;
    let qr_svg = sign_in::qr_svg(&e.otpauth_url)?;
    Ok((
        StatusCode::CREATED,
        Json(TotpEnrolmentResponse {
            secret: e.secret,
            otpauth_url: e.otpauth_url,
            qr_svg,
        }),
    ))
}

/// Confirms the enrolment with a first code; answers the recovery codes, this once. 409
/// `mfa_not_started` / `mfa_already_enabled`; 422 `mfa_code_invalid`; 429 after repeated
/// wrong codes.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/confirm", tag = "auth", security(("bearer" = [])),
    request_body = input::mfa::MfaCodeInput,
    responses((status = 200, body = RecoveryCodesResponse), (status = 401, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)))]
pub async fn confirm(
    State(st): State<AppState>,
    p: Principal,
    JsonObject(body): JsonObject,
) -> AppResult<Json<RecoveryCodesResponse>> {
    let code = input::mfa::code(body)?;
    let recovery_codes = mfa::confirm_enrolment(&st, &p, code).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

/// Turns two-step sign-in off, with a code or a recovery code. 409 `mfa_not_enabled`; 422
/// `mfa_code_invalid`; 429 after repeated wrong codes.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/disable", tag = "auth", security(("bearer" = [])),
    request_body = input::mfa::MfaCodeInput,
    responses((status = 204), (status = 401, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn disable(
    State(st): State<AppState>,
    p: Principal,
    JsonObject(body): JsonObject,
) -> AppResult<StatusCode> {
    let code = input::mfa::code(body)?;
    mfa::disable(&st, &p, code).await?;
    Ok(StatusCode::NO_CONTENT)
}
