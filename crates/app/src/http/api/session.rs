use crate::db::users::User;
use crate::domain::ErrorCode;
use crate::http::body::body;
use crate::http::{
    auth::{self, ClientIp, LoginOutcome, Principal},
    error::{AppError, AppResult},
    extract::{Input, JsonObject, PathId, parse},
};
use crate::service::sign_in::{self, SessionView, SignIn};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use chrono::{DateTime, Utc};
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

/// Sign in. The same 401 answers an unknown email, a wrong password and a disabled account;
/// an account with too many recent failures answers 429 with `Retry-After`, and so does a wrong
/// password from an address with very many (`service::sign_in`). Every sign-in opens a new
/// session; a bearer token sent with it is ended. 503 `server_busy` when the server cannot
/// check a password in time. A right password of a user with two-step sign-in answers 401
/// with code `mfa_required` and an `mfa_token` for `POST /api/v1/auth/login/mfa` (the
/// `MfaRequiredProblem` schema).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::http::error::Problem),
              (status = 429, body = crate::http::error::Problem), (status = 503, body = crate::http::error::Problem)))]
pub async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
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
    let attempt = SignIn {
        email: email.unwrap_or_default(),
        password: password.unwrap_or_default(),
        client: auth::api_client(&headers, ip),
    };
    match sign_in::login(&st, attempt).await? {
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
    sign_in::logout(&st, &p).await?;
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

/// One of the caller's sessions.
#[derive(Serialize, ToSchema)]
pub struct Session {
    pub id: String,
    /// The device in words, from its `User-Agent` ("Firefox on Windows").
    pub device: String,
    /// The client address it signed in from.
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When it was last used (to within a tenth of the idle limit, at most a minute).
    pub last_seen_at: DateTime<Utc>,
    /// The session this request came with.
    pub current: bool,
}

impl From<SessionView> for Session {
    fn from(s: SessionView) -> Self {
        Session {
            id: s.id,
            device: s.device,
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            current: s.current,
        }
    }
}

/// `{ "items": [...] }`: the caller's sessions.
#[derive(Serialize, ToSchema)]
pub struct Sessions {
    pub items: Vec<Session>,
}

/// The caller's own sessions, most recently used first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Sessions), (status = 401, body = crate::http::error::Problem)))]
pub async fn my_sessions(State(st): State<AppState>, p: Principal) -> AppResult<Json<Sessions>> {
    let items = sign_in::my_sessions(&st, &p).await?;
    Ok(Json(Sessions {
        items: items.into_iter().map(Session::from).collect(),
    }))
}

/// End one of the caller's sessions (it stops working at once). 404 for an id that is not one
/// of the caller's sessions.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem)))]
pub async fn end_session(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<StatusCode> {
    sign_in::end_my_session(&st, &p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `{ "ended": n }`: how many sessions ended.
#[derive(Serialize, ToSchema)]
pub struct Ended {
    pub ended: u64,
}

/// End every session of the caller except the one making this call.
#[utoipa::path(post, path = "/api/v1/me/sessions/end-others", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Ended), (status = 401, body = crate::http::error::Problem)))]
pub async fn end_other_sessions(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<Ended>> {
    let ended = sign_in::end_my_other_sessions(&st, &p).await?;
    Ok(Json(Ended { ended }))
}

/// Sign out everywhere: every session of the caller ends, this one too.
#[utoipa::path(post, path = "/api/v1/me/sessions/end-all", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Ended), (status = 401, body = crate::http::error::Problem)))]
pub async fn end_all_sessions(State(st): State<AppState>, p: Principal) -> AppResult<Json<Ended>> {
    let ended = sign_in::sign_out_everywhere(&st, &p).await?;
    Ok(Json(Ended { ended }))
}
