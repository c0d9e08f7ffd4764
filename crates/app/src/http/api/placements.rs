//! `/api/v1/placements`: read (scoped), name a slot's student, move through the lifecycle.
//! The use cases are in `service/placements.rs`.
use super::List;
use super::kept::{kept_body, kept_json};
use crate::db::{self};
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{JsonBody, Params, PathId},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::Uri, response::Response};

use super::schema::Placement;
use crate::http::input;
use crate::service::placements::{self, view, visible};

#[utoipa::path(get, path = "/api/v1/placements", tag = "placements", security(("bearer" = [])),
    params(("status" = Option<String>, Query), ("school_id" = Option<String>, Query), ("department_id" = Option<String>, Query),
           ("student_id" = Option<String>, Query), ("request_id" = Option<String>, Query), ("kind" = Option<String>, Query),
           ("from" = Option<String>, Query, description = "overlapping from this day"), ("to" = Option<String>, Query),
           ("at_risk" = Option<bool>, Query, description = "only the placements with risks"),
           ("starting" = Option<i64>, Query, description = "proposed or confirmed, starting within 7, 14, 30 or 60 days"),
           ("clearance" = Option<String>, Query, description = "cleared, pending, blocked or not_cleared"),
           ("site_id" = Option<String>, Query, description = "in a department of this site"),
           ("discipline" = Option<String>, Query, description = "of a program of this discipline (code)"),
           ("degree_level" = Option<String>, Query, description = "of a program of this degree level"),
           ("placed" = Option<bool>, Query, description = "only those not cancelled: what the reports count"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Placement>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    uri: Uri,
    params: Params,
) -> AppResult<Response> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    let page = params.page()?;
    let filter = input::placements::filter(&params)?;
    // `status=confirmed` answers every confirmed placement (shown as onboarding or cleared);
    // onboarding, cleared, starting, clearance and at_risk are derived from each row of the
    // page (so a page may hold fewer than `limit` while the cursor goes on).
    let derived = input::placements::derived(&params)?;
    if !derived.is_set() {
        return kept_body(&st, &p, &uri, async {
            placements::list_answers::<Placement>(&st, &scope, &filter, &page).await
        })
        .await;
    }
    kept_json(&st, &p, &uri, async {
        let rows = placements::list_views(&st, &scope, &filter, &page, &derived).await?;
        Ok(List::<Placement> {
            items: rows.items.into_iter().map(Into::into).collect(),
            next_cursor: rows.next_cursor,
        })
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Placement), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Placement>> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &row))?;
    Ok(Json(view(&mut tx, row, st.clock.today()).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/transition", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::placements::TransitionInput,
    responses((status = 200, body = Placement), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn transition(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Placement>> {
    p.authorize(Resource::Placement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        placements::transition_placement(&st, &p, &id, input::placements::placement_move(body)?)
            .await?
            .into(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/placements/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::placements::NameStudentInput,
    responses((status = 200, body = Placement), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Placement>> {
    p.authorize(Resource::Placement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        placements::name_student(&st, &p, &id, input::placements::name_student(body)?)
            .await?
            .into(),
    ))
}
