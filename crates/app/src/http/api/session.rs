use crate::db::users::User;
use crate::domain::ErrorCode;
use crate::http::body::body;
use crate::http::{
    auth::{self, LoginOutcome, Principal},
    error::{AppError, AppResult},
    extract::{Input, JsonObject, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user: Me,
}

/// The signed-in user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
}

impl From<User> for Me {
    fn from(u: User) -> Self {
        Me {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            school_id: u.school_id,
            staff_id: u.staff_id,
            student_id: u.student_id,
        }
    }
}

body! {
    pub struct LoginRequest {
        email: String,
        password: String,
    }
}

/// Sign in. The same 401 answers an unknown email and a wrong password; repeated failures
/// per account or IP answer 429 with `Retry-After`. A right password of a user with two-step
/// sign-in answers 401 with code `mfa_required` and an `mfa_token` for
/// `POST /api/v1/auth/login/mfa` (the `MfaRequiredProblem` schema).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::http::error::Problem),
              (status = 429, body = crate::http::error::Problem)))]
pub async fn login(
    State(st): State<AppState>,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    JsonObject(body): JsonObject,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let (mut i, b) = Input::read::<LoginRequest>(body);
    let email = i.req(&b.email, None, &parse::text);
    let password = i.req(&b.password, None, &|v| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    i.finish()?;
    match auth::login(
        &st,
        &email.unwrap_or_default(),
        password.unwrap_or_default(),
        Some(addr.ip().to_string()),
    )
    .await?
    {
        LoginOutcome::Ok { token, user } => Ok(Json(LoginResponse {
            token,
            user: (*user).into(),
        })
        .into_response()),
        LoginOutcome::MfaRequired { mfa_token } => {
            Ok(crate::http::sign_in::mfa_required_response(mfa_token))
        }
        LoginOutcome::Refused => Err(AppError::Unauthenticated),
    }
}

/// End the session (the token stops working at once).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = crate::http::error::Problem)))]
pub async fn logout(State(st): State<AppState>, p: Principal) -> AppResult<StatusCode> {
    auth::logout(&st, &p.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = crate::http::error::Problem)))]
pub async fn me(p: Principal) -> Json<Me> {
    Json(Me {
        id: p.user_id,
        email: p.email,
        name: p.name,
        role: p.role.as_str().to_string(),
        school_id: p.school_id,
        staff_id: p.staff_id,
        student_id: p.student_id,
    })
}
