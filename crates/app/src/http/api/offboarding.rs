//! `/api/v1/offboarding`: what must end when a placement ends (issue 16 point 6), for the
//! office (which acts for IT). The use cases are in `service/offboarding.rs`.
use super::List;
use super::schema::OffboardingTask;
use crate::domain::policy::{Action, Resource};
use crate::http::pages::view::{Cell, Table};
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{Params, PathId},
    input,
};
use crate::service::offboarding;
use crate::state::AppState;
use axum::{Json, extract::State, response::Response};

type P = crate::http::error::Problem;

/// The tasks, oldest first: `?state=open|overdue|done`, `?kind=`, `?department_id=`,
/// `?placement_id=`, `?due_from=`, `?due_to=`, `?limit=`, `?cursor=`.
#[utoipa::path(get, path = "/api/v1/offboarding", tag = "offboarding", security(("bearer" = [])),
    params(("state" = Option<String>, Query, description = "open, overdue or done"),
           ("kind" = Option<String>, Query, description = "collect_badge, disable_network_account, disable_ehr_account, revoke_parking"),
           ("department_id" = Option<String>, Query), ("placement_id" = Option<String>, Query),
           ("due_from" = Option<String>, Query), ("due_to" = Option<String>, Query),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<OffboardingTask>), (status = 403, body = P), (status = 422, body = P)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<OffboardingTask>>> {
    p.authorize(Resource::Offboarding, Action::Read)?;
    let filter = input::projects::offboarding_filter(&params)?;
    let page = params.page()?;
    let tasks = offboarding::list_tasks(&st, &p, &filter, &page).await?;
    let today = st.clock.today();
    Ok(Json(List {
        items: tasks
            .items
            .into_iter()
            .map(|t| OffboardingTask::listed(t, today))
            .collect(),
        next_cursor: tasks.next_cursor,
    }))
}

/// The same list (same filters, every page) as CSV.
#[utoipa::path(get, path = "/api/v1/offboarding.csv", tag = "offboarding", security(("bearer" = [])),
    params(("state" = Option<String>, Query), ("kind" = Option<String>, Query), ("department_id" = Option<String>, Query),
           ("placement_id" = Option<String>, Query), ("due_from" = Option<String>, Query), ("due_to" = Option<String>, Query)),
    responses((status = 200, content_type = "text/csv", description = "UTF-8 with a byte-order mark; columns task,kind,student,department,site,due_on,state,ended_as,done_at,done_by,placement_id"),
        (status = 403, body = P), (status = 422, body = P)))]
pub async fn list_csv(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Response> {
    p.authorize(Resource::Offboarding, Action::Read)?;
    let filter = input::projects::offboarding_filter(&params)?;
    let csv = tasks_csv(&st, &p, &filter).await?;
    Ok(crate::http::download_csv("offboarding.csv", csv))
}

/// Every task the filter keeps, as CSV (the API and the page's "Download CSV").
pub async fn tasks_csv(
    st: &AppState,
    p: &Principal,
    filter: &crate::db::offboarding::Filter,
) -> AppResult<String> {
    let page = crate::db::Page {
        limit: 100_000,
        after: None,
        sort: None,
    };
    let tasks = offboarding::list_tasks(st, p, filter, &page).await?;
    let today = st.clock.today();
    let mut t = Table::new(
        "offboarding",
        vec![
            "task",
            "kind",
            "student",
            "department",
            "site",
            "due_on",
            "state",
            "ended_as",
            "done_at",
            "done_by",
            "placement_id",
        ],
        "",
    );
    for task in tasks.items {
        let o = OffboardingTask::listed(task, today);
        t.rows.push(vec![
            Cell::text(&o.title),
            Cell::text(&o.kind),
            Cell::text(o.student_name.unwrap_or_default()),
            Cell::text(o.department_name.unwrap_or_default()),
            Cell::text(o.site_name.unwrap_or_default()),
            Cell::text(o.due_on.to_string()),
            Cell::text(&o.state),
            Cell::text(&o.ended_as),
            Cell::text(o.done_at.map(|d| d.to_rfc3339()).unwrap_or_default()),
            Cell::text(o.done_by_name.unwrap_or_default()),
            Cell::text(&o.placement_id),
        ]);
    }
    Ok(t.csv())
}

/// Tick a task done: the signed-in person's name and the time are kept (and audited). 409
/// `task_already_done` if someone did already.
#[utoipa::path(post, path = "/api/v1/offboarding/{id}/done", tag = "offboarding", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = OffboardingTask), (status = 403, body = P), (status = 404, body = P), (status = 409, body = P)))]
pub async fn done(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<OffboardingTask>> {
    let t = offboarding::mark_done(&st, &p, &id).await?;
    Ok(Json(OffboardingTask::of(t, st.clock.today())))
}
