use super::schema::User;
use super::{List, created};
use crate::db;
use crate::domain::{
    Role,
    policy::{Action, Resource},
};
use crate::http::{
    auth::Principal,
    body::body,
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
    input,
};
use crate::service::users;
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};

#[utoipa::path(post, path = "/api/v1/users", tag = "directory", security(("bearer" = [])), request_body = input::users::UserInput,
    responses((status = 201, body = User), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<User>)> {
    p.authorize(Resource::User, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        users::create_user(&st, &p, input::users::new_user(body)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "directory", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("role" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<User>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<User>>> {
    p.authorize(Resource::User, Action::Read)?;
    let page = params.page()?;
    let role = params.word(
        "role",
        |s| Role::parse(s).is_some(),
        &input::users::role_words(),
    )?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::users::list(&mut tx, &params.get("q"), &role, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = User), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<User>> {
    p.authorize(Resource::User, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::users::get(&mut tx, &id)
        .await?
        .map(|r| Json(r.into()))
        .ok_or(AppError::NotFound)
}

body! {
    pub struct UserPatch {
        /// true disables the account: its sessions end at once, it cannot sign in (the answer
        /// is the same as for a wrong password), its records stay. false enables it again.
        disabled: bool,
    }
}

/// Change a user (admin only): today, disable or enable the account. 409
/// `cannot_disable_self` for the caller's own account.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = crate::http::error::Problem),
              (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<User>> {
    p.authorize(Resource::User, Action::Write)?;
    let body = body.read(&st).await?;
    let (mut i, b) = Input::read::<UserPatch>(body);
    let disabled = i.req(&b.disabled, None, &parse::boolean);
    i.finish()?;
    let user = users::set_disabled(&st, &p, &id, disabled.unwrap_or_default()).await?;
    Ok(Json(user.into()))
}
