//! The office's settings (API.md `GET/PATCH /api/v1/settings`): any signed-in user reads them,
//! the admin changes them.
use super::schema::Settings;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::Principal, error::AppResult, extract::JsonBody, input};
use crate::service::settings;
use crate::state::AppState;
use axum::{Json, extract::State};

#[utoipa::path(get, path = "/api/v1/settings", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Settings), (status = 401, body = crate::http::error::Problem)))]
pub async fn get(State(st): State<AppState>, p: Principal) -> AppResult<Json<Settings>> {
    Ok(Json(settings::get_settings(&st, &p).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/settings", tag = "settings", security(("bearer" = [])),
    request_body = input::settings::SettingsInput,
    responses((status = 200, body = Settings), (status = 403, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<Json<Settings>> {
    p.authorize(Resource::Settings, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        settings::update_settings(&st, &p, input::settings::settings(body))
            .await?
            .into(),
    ))
}
