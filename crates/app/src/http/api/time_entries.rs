//! `/api/v1/placements/{id}/time-entries`, `/api/v1/placements/{id}/hours` and
//! `/api/v1/time-entries`: attendance and hours (issue 15 point 4). The use cases are in
//! `service/time_entries.rs`.
use super::List;
use super::schema::{Hours, TimeEntry};
use crate::domain::{
    hours::EntryStatus,
    policy::{Action, Resource},
};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId, parse_id},
    input,
};
use crate::service::time_entries as service;
use crate::state::AppState;
use axum::{
    Json,
    extract::{FromRequestParts, State},
    http::{StatusCode, request::Parts},
    response::Response,
};

/// A placement's id and one of its entries' ids from the path; anything else is a 404.
pub struct EntryPath {
    pub placement_id: String,
    pub entry_id: String,
}

impl<S: Send + Sync> FromRequestParts<S> for EntryPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        match (parse_id(&a), parse_id(&b)) {
            (Some(placement_id), Some(entry_id)) => Ok(EntryPath {
                placement_id,
                entry_id,
            }),
            _ => Err(AppError::NotFound),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/time-entries", tag = "hours", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = List<TimeEntry>, description = "every entry of the placement, by day"),
              (status = 404, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<List<TimeEntry>>> {
    let (_, entries) = service::entries_of(&st, &p, &id).await?;
    Ok(Json(entries.into()))
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/time-entries", tag = "hours", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::time_entries::TimeEntryInput,
    responses((status = 201, body = TimeEntry), (status = 403, body = crate::http::error::Problem),
              (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<TimeEntry>)> {
    p.authorize(Resource::TimeEntry, Action::Write)?;
    let body = body.read(&st).await?;
    let row = service::log_entry(&st, &p, &id, input::time_entries::entry(body, true)).await?;
    Ok(super::created(row))
}

#[utoipa::path(patch, path = "/api/v1/placements/{id}/time-entries/{entry_id}", tag = "hours", security(("bearer" = [])),
    params(("id" = String, Path), ("entry_id" = String, Path)), request_body = input::time_entries::TimeEntryInput,
    responses((status = 200, body = TimeEntry), (status = 403, body = crate::http::error::Problem),
              (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    path: EntryPath,
    body: JsonBody,
) -> AppResult<Json<TimeEntry>> {
    p.authorize(Resource::TimeEntry, Action::Write)?;
    let body = body.read(&st).await?;
    let row = service::update_entry(
        &st,
        &p,
        &path.placement_id,
        &path.entry_id,
        input::time_entries::entry(body, false),
    )
    .await?;
    Ok(Json(row.into()))
}

#[utoipa::path(delete, path = "/api/v1/placements/{id}/time-entries/{entry_id}", tag = "hours", security(("bearer" = [])),
    params(("id" = String, Path), ("entry_id" = String, Path)),
    responses((status = 204, description = "deleted"), (status = 403, body = crate::http::error::Problem),
              (status = 404, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem)))]
pub async fn delete(
    State(st): State<AppState>,
    p: Principal,
    path: EntryPath,
) -> AppResult<StatusCode> {
    service::delete_entry(&st, &p, &path.placement_id, &path.entry_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/time-entries.csv", tag = "hours", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv",
               description = "UTF-8 with a byte-order mark; columns date,kind,hours,clock_in,clock_out,activity,notes,absence_reason,make_up_on,status,decision_note,decided_by,decided_at"),
              (status = 404, body = crate::http::error::Problem)))]
pub async fn csv(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (_, entries) = service::entries_of(&st, &p, &id).await?;
    Ok(crate::http::download_csv(
        &format!("time-entries-{id}.csv"),
        crate::http::pages::hours::entries_table(&entries, "Entries").csv(),
    ))
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/hours", tag = "hours", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Hours), (status = 404, body = crate::http::error::Problem)))]
pub async fn hours(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Hours>> {
    Ok(Json(service::totals(&st, &p, &id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/time-entries/approve", tag = "hours", security(("bearer" = [])),
    request_body = input::time_entries::DecisionInput,
    responses((status = 200, body = List<TimeEntry>, description = "the entries as decided"),
              (status = 403, body = crate::http::error::Problem), (status = 409, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn approve(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<Json<List<TimeEntry>>> {
    p.authorize(Resource::HoursApproval, Action::Write)?;
    let body = body.read(&st).await?;
    let rows = service::decide_entries(&st, &p, input::time_entries::batch(body)?).await?;
    Ok(Json(rows.into()))
}

#[utoipa::path(get, path = "/api/v1/time-entries", tag = "hours", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "pending, approved, returned"),
           ("to_decide" = Option<bool>, Query, description = "a preceptor: only the placements they precept (not those they mentor)"),
           ("from" = Option<String>, Query, description = "dated on or after this day"), ("to" = Option<String>, Query, description = "dated on or before this day"),
           ("entry_kind" = Option<String>, Query, description = "worked or absence"), ("program_id" = Option<String>, Query),
           ("school_id" = Option<String>, Query),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<TimeEntry>), (status = 422, body = crate::http::error::Problem)))]
pub async fn list_all(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<TimeEntry>>> {
    let page = params.page()?;
    let status = params
        .word(
            "status",
            |s| EntryStatus::parse(s).is_some(),
            "pending, approved, returned",
        )?
        .and_then(|s| EntryStatus::parse(&s));
    let to_decide = params.bool("to_decide")?.unwrap_or(false);
    let date = |k: &str| -> AppResult<Option<chrono::NaiveDate>> {
        match params.get(k) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                crate::error::AppError::invalid(
                    k,
                    crate::domain::ErrorCode::InvalidDate,
                    "must be a date (YYYY-MM-DD)",
                )
            }),
        }
    };
    let narrow = crate::db::time_entries::Filter {
        from: date("from")?,
        to: date("to")?,
        kind: params.word(
            "entry_kind",
            |s| s == "worked" || s == "absence",
            "worked, absence",
        )?,
        program_id: params.id("program_id")?,
        of_school_id: params.id("school_id")?,
        ..Default::default()
    };
    let rows = service::list_narrowed(&st, &p, status, to_decide, narrow, &page).await?;
    Ok(Json(rows.into()))
}
