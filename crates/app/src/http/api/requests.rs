//! Placement requests: the front door (DOMAIN.md rule 3). Schools submit, the office decides.
use super::kept::kept_body;
use super::schema::PlacementRequest;
use super::{List, created};
use crate::db;
use crate::db::listings::ListingKey;
use crate::db::row_answers::RowsPage;
use crate::domain::policy::{Action, Resource};
use crate::http::input;
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{JsonBody, Params, PathId},
};
use crate::service::requests::{self, load_visible, with_eligibility};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, Uri},
    response::Response,
};

#[utoipa::path(post, path = "/api/v1/placement-requests", tag = "placements", security(("bearer" = [])), request_body = input::requests::RequestInput,
    responses((status = 201, body = PlacementRequest), (status = 403, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem, description = "every failed field and eligibility rule at once")))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<PlacementRequest>)> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let body = body.read(&st).await?;
    let own = scope.school().map(str::to_string);
    Ok(created(
        requests::submit_request(&st, &p, input::requests::new_request(body, own)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/placement-requests", tag = "placements", security(("bearer" = [])),
    params(("status" = Option<String>, Query), ("kind" = Option<String>, Query), ("school_id" = Option<String>, Query),
           ("discipline" = Option<String>, Query), ("site_id" = Option<String>, Query, description = "a preferred site"),
           ("from" = Option<String>, Query), ("to" = Option<String>, Query), ("open" = Option<bool>, Query, description = "submitted or waitlisted"),
           ("degree_level" = Option<String>, Query, description = "of a program of this degree level"),
           ("decided_from" = Option<String>, Query, description = "decided on or after this day (UTC)"),
           ("decided_to" = Option<String>, Query, description = "decided on or before this day (UTC)"),
           ("sort" = Option<String>, Query, description = "oldest (the default) or newest first"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<PlacementRequest>, description = "oldest first, or newest with sort=newest"), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    uri: Uri,
    params: Params,
) -> AppResult<Response> {
    let scope = p.authorize(Resource::Request, Action::Read)?;
    let page = params.page()?;
    let filter = input::requests::filter(&params)?;
    kept_body(&st, &p, &uri, async {
        // Before the page is read: its eligibility is kept under it (`with_eligibility_all`).
        let read_at = st.db.write_generation();
        // A list's page: no common snapshot needed (Db::read_latest). Its rows' ids and tags,
        // then only the requests answered neither by their tag (decided ones) nor since the
        // last write (open ones, which have no tag).
        // No connection is taken when the listing and every row are kept.
        let mut conn = st.db.read_latest_lazily();
        // Its ids from the listing kept whole when the list is read page after page
        // (db::listings).
        let key = ListingKey::new("requests", &scope, &filter, &page, st.clock.today());
        let listed = crate::listing_page!(st.listings, key, read_at, &page, page =>
            async { db::requests::list_tags(conn.get().await?, &scope, &filter, page).await }.await)?;
        let mut rows = st.request_answers.page(listed);
        // An open request's answer, kept as its eligibility is: while no write has committed
        // since it was derived (state::RecentOpenRequests).
        let fill_open = |rows: &mut RowsPage| {
            let now = st.db.write_generation();
            rows.fill_untagged(|id| st.open_request_answers.get(&id.to_string(), now));
        };
        fill_open(&mut rows);
        // Deriving each open request's eligibility once rather than side by side is what
        // keeps a cold walk fast: the open answers others kept while this waited, too.
        rows.fill_kept_once_connected(&mut conn).await?;
        fill_open(&mut rows);
        let missing = rows.missing();
        let (reqs, tags): (Vec<_>, Vec<_>) = match missing.is_empty() {
            true => (Vec::new(), Vec::new()),
            false => {
                let tx = conn.get().await?;
                let read = db::requests::tagged(tx, &missing).await?;
                let (reqs, tags): (Vec<_>, Vec<_>) = read.into_iter().unzip();
                let reqs =
                    crate::service::requests::with_eligibility_all(&st, tx, reqs, read_at).await?;
                (reqs, tags)
            }
        };
        Ok(rows.into_json_keeping(
            reqs.into_iter().zip(tags).map(|(r, tag)| {
                let tag = (!r.is_open()).then_some(tag);
                (r.id.clone(), tag, PlacementRequest::from(r))
            }),
            |id, json| {
                st.open_request_answers
                    .put(id.to_string(), json.clone(), read_at)
            },
        )?)
    })
    .await
}

#[utoipa::path(get, path = "/api/v1/placement-requests/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = PlacementRequest), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<PlacementRequest>> {
    let scope = p.authorize(Resource::Request, Action::Read)?;
    let mut tx = st.db.read().await?;
    let r = load_visible(&mut tx, &scope, &id).await?;
    Ok(Json(with_eligibility(&mut tx, r).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/placement-requests/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::requests::NameStudentsInput,
    responses((status = 200, body = PlacementRequest), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<PlacementRequest>> {
    p.authorize(Resource::Request, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        requests::name_students(&st, &p, &id, input::requests::name_students(body)?)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/placement-requests/{id}/withdraw", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Option<input::requests::WithdrawalInput>, description = "may be left out"),
    responses((status = 200, body = PlacementRequest), (status = 409, body = crate::http::error::Problem)))]
pub async fn withdraw(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<PlacementRequest>> {
    p.authorize(Resource::Request, Action::Write)?;
    let body = body.read_or_empty(&st).await?;
    Ok(Json(
        requests::withdraw_request(&st, &p, &id, input::requests::withdrawal(body)?)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/placement-requests/{id}/decision", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::requests::DecisionInput,
    responses((status = 200, body = PlacementRequest, description = "with `placements`: the placements created"),
              (status = 409, body = crate::http::error::Problem, description = "invalid_transition, department_at_capacity, preceptor_at_capacity"),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn decision(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<PlacementRequest>> {
    p.authorize(Resource::Decision, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        requests::decide(&st, &p, &id, input::requests::decision(body)?)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/placement-requests/{id}/choices", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = super::schema::DecisionChoices, description = "what the office may choose from to decide: each department's free seats and each preceptor's standing over the request's period, those who would pass every check first, and a suggestion per place"),
              (status = 403, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem)))]
pub async fn choices(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<super::schema::DecisionChoices>> {
    Ok(Json(requests::decision_choices(&st, &p, &id).await?.into()))
}
