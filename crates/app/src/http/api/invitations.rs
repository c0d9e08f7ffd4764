//! Invitations (issue 14 point 2): the office invites a student, a staff member or a user —
//! one or many at once — and the one-time link sets the person's password and signs them in
//! (`service::invitations`).
use super::session::Me;
use crate::http::{
    auth::{self, ClientIp, Principal},
    error::{AppError, AppResult, Problem},
    extract::{JsonObject, PathId},
    input,
};
use crate::service::{
    invitations::{self, Invited, Invitee},
    sign_in::{self, LoginOutcome},
};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// The answer to accepting an invitation: the account's e-mail and, since the person is signed
/// in at once, a session `token` and `user` — or, for an account with an authenticator, an
/// `mfa_token` for `POST /api/v1/auth/login/mfa` instead.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<Me>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_token: Option<String>,
}

impl Accepted {
    /// The person set a password with a one-time link (`method`: "invitation", "password
    /// reset"): signs them in (`service::sign_in::after_new_password`) and answers so.
    pub async fn signed_in(
        st: &AppState,
        user: crate::db::users::User,
        client: sign_in::Client,
        method: &'static str,
    ) -> AppResult<Accepted> {
        let email = user.email.clone();
        let outcome = sign_in::after_new_password(st, user, client, method).await?;
        Ok(Accepted::of(email, outcome))
    }

    fn of(email: String, outcome: LoginOutcome) -> Accepted {
        match outcome {
            LoginOutcome::Ok { token, user } => Accepted {
                email,
                token: Some(token),
                user: Some((*user).into()),
                mfa_token: None,
            },
            LoginOutcome::MfaRequired { mfa_token } => Accepted {
                email,
                token: None,
                user: None,
                mfa_token: Some(mfa_token),
            },
            LoginOutcome::Refused => Accepted {
                email,
                token: None,
                user: None,
                mfa_token: None,
            },
        }
    }
}

/// Set the first password with the invitation's link; the person is signed in.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "auth", request_body = input::invitations::AcceptInvitationInput,
    params(("token" = String, Path, description = "from the invitation email")),
    responses((status = 200, body = Accepted), (status = 401, body = Problem, description = "the account is turned off"),
              (status = 404, body = Problem, description = "unknown, used or expired"),
              (status = 422, body = Problem), (status = 503, body = Problem)))]
pub async fn accept(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    JsonObject(body): JsonObject,
) -> AppResult<Json<Accepted>> {
    let user =
        invitations::accept_invitation(&st, &token, input::invitations::accept(body)).await?;
    let client = auth::api_client(&headers, ip);
    Ok(Json(
        Accepted::signed_in(&st, user, client, "invitation").await?,
    ))
}

/// An invitation sent: to whom, as what, and until when its link works.
#[derive(Serialize, ToSchema)]
pub struct Invitation {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub expires_at: DateTime<Utc>,
}

impl From<Invited> for Invitation {
    fn from(i: Invited) -> Self {
        Invitation {
            user_id: i.user_id,
            name: i.name,
            email: i.email,
            role: i.role.as_str().to_string(),
            expires_at: i.expires_at,
        }
    }
}

async fn invite_one(
    st: &AppState,
    p: &Principal,
    who: Invitee,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    let i = invitations::invite(st, p, &who).await?;
    Ok((StatusCode::CREATED, Json(i.into())))
}

/// Invite a student: their account (role student, linked to the record) is made if needed, and
/// a link valid 7 days is e-mailed. Any earlier invitation stops working. Office only.
#[utoipa::path(post, path = "/api/v1/students/{id}/invitation", tag = "students", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 201, body = Invitation), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem, description = "already_signed_up, or the e-mail belongs to another account")))]
pub async fn invite_student(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    invite_one(&st, &p, Invitee::Student(id)).await
}

/// Invite a staff member (a preceptor, a site mentor, a department manager): their account is
/// made with `role` (default preceptor) if needed. Office only.
#[utoipa::path(post, path = "/api/v1/staff/{id}/invitation", tag = "staff", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::invitations::StaffInvitationInput,
    responses((status = 201, body = Invitation), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite_staff(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    let role = input::invitations::staff(body)?;
    invite_one(&st, &p, Invitee::Staff(id, role)).await
}

/// Invite a user as they are (a school coordinator, a faculty member, ...). Admin only.
#[utoipa::path(post, path = "/api/v1/users/{id}/invitation", tag = "users", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 201, body = Invitation), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn invite_user(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<(StatusCode, Json<Invitation>)> {
    invite_one(&st, &p, Invitee::User(id)).await
}

/// One person the bulk invitation could not invite, and why.
#[derive(Serialize, ToSchema)]
pub struct NotInvited {
    /// `student`, `staff` or `user`: the list the id was in.
    pub kind: String,
    pub id: String,
    pub code: String,
    pub message: String,
}

/// `{ "invited": [...], "not_invited": [...] }`.
#[derive(Serialize, ToSchema)]
pub struct BulkInvitations {
    pub invited: Vec<Invitation>,
    pub not_invited: Vec<NotInvited>,
}

/// Invite many people at once (after an import): each is invited on its own, so one that
/// cannot be (already signed up, unknown) is listed in `not_invited` and holds back no one.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "users", security(("bearer" = [])),
    request_body = input::invitations::BulkInvitationInput,
    responses((status = 200, body = BulkInvitations), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn invite_many(
    State(st): State<AppState>,
    p: Principal,
    JsonObject(body): JsonObject,
) -> AppResult<Json<BulkInvitations>> {
    let who = input::invitations::bulk(body)?;
    let outcomes = invitations::invite_many(&st, &p, &who).await?;
    let mut answer = BulkInvitations {
        invited: vec![],
        not_invited: vec![],
    };
    for (w, outcome) in who.iter().zip(outcomes) {
        match outcome {
            Ok(i) => answer.invited.push(i.into()),
            Err(e @ (AppError::Internal(_) | AppError::Busy { .. })) => return Err(e),
            Err(e) => {
                let first = e.errors().into_iter().next();
                let (code, message) = first
                    .map(|f| (f.code.as_str().to_string(), f.message))
                    .unwrap_or_default();
                let kind = match w {
                    Invitee::Student(_) => "student",
                    Invitee::Staff(..) => "staff",
                    Invitee::User(_) => "user",
                };
                answer.not_invited.push(NotInvited {
                    kind: kind.into(),
                    id: w.id().to_string(),
                    code,
                    message,
                });
            }
        }
    }
    Ok(Json(answer))
}
