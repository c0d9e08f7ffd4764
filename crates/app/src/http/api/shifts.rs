//! `/api/v1/placements/{id}/shifts`: a placement's days (issue 15 point 1); `/api/v1/on-site`:
//! who is on site on a day (point 3); `/api/v1/me/calendar-feed`: a new private calendar link
//! (point 2). The use cases are in `service/schedules.rs`, `service/on_site.rs` and
//! `service/calendar.rs`.
use super::{List, created};
use crate::domain::{
    ErrorCode,
    policy::{Action, Resource},
};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId, parse_id},
    input,
};
use crate::service::{calendar, on_site, schedules};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::NaiveDate;

use super::schema::{CalendarFeed, OnSiteDay, PlacementShift};

/// Both ids of `/placements/{id}/shifts/{shift_id}`; anything but UUIDs names nothing: 404.
fn two_ids((a, b): (String, String)) -> AppResult<(String, String)> {
    match (parse_id(&a), parse_id(&b)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(AppError::NotFound),
    }
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/shifts", tag = "shifts", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = List<PlacementShift>), (status = 404, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<List<PlacementShift>>> {
    Ok(Json(schedules::list_shifts(&st, &p, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/shifts", tag = "shifts", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::shifts::NewShiftInput,
    responses((status = 201, body = PlacementShift), (status = 403, body = crate::http::error::Problem),
        (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<PlacementShift>)> {
    p.authorize(Resource::Schedule, Action::Write)?;
    let body = body.read(&st).await?;
    let shift = schedules::add_shift(&st, &p, &id, input::shifts::new_shift(body)).await?;
    Ok(created(shift))
}

#[utoipa::path(patch, path = "/api/v1/placements/{id}/shifts/{shift_id}", tag = "shifts", security(("bearer" = [])),
    params(("id" = String, Path), ("shift_id" = String, Path)), request_body = input::shifts::ShiftChangeInput,
    responses((status = 200, body = PlacementShift), (status = 403, body = crate::http::error::Problem),
        (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    Path(ids): Path<(String, String)>,
    body: JsonBody,
) -> AppResult<Json<PlacementShift>> {
    let (id, shift_id) = two_ids(ids)?;
    p.authorize(Resource::Schedule, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        schedules::change_shift(&st, &p, &id, &shift_id, input::shifts::shift_change(body))
            .await?
            .into(),
    ))
}

/// `?date=` (default today) as a day.
pub fn date_param(params: &Params, today: NaiveDate) -> AppResult<NaiveDate> {
    match params.get("date") {
        None => Ok(today),
        Some(v) => v.parse().map_err(|_| {
            AppError::invalid(
                "date",
                ErrorCode::InvalidDate,
                "must be a date (YYYY-MM-DD)",
            )
        }),
    }
}

#[utoipa::path(get, path = "/api/v1/on-site", tag = "shifts", security(("bearer" = [])),
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD; today (the office's time zone) if left out"),
           ("site_id" = Option<String>, Query), ("department_id" = Option<String>, Query)),
    responses((status = 200, body = OnSiteDay), (status = 403, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn on_site_day(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<OnSiteDay>> {
    p.authorize(Resource::OnSite, Action::Read)?;
    let date = date_param(&params, st.clock.today())?;
    let filter = on_site::OnSiteFilter {
        site_id: params.id("site_id")?,
        department_id: params.id("department_id")?,
    };
    let items = on_site::on_site(&st, &p, date, filter).await?;
    Ok(Json(OnSiteDay {
        date,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "shifts", security(("bearer" = [])),
    responses((status = 201, body = CalendarFeed), (status = 401, body = crate::http::error::Problem)))]
pub async fn new_calendar_feed(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<(StatusCode, Json<CalendarFeed>)> {
    let url = calendar::new_feed_link(&st, &p).await?;
    Ok((StatusCode::CREATED, Json(CalendarFeed { url })))
}
