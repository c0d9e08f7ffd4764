//! Term planning: pick a term and its requests, watch the allocator work, review the
//! proposal (each school's fill rate, each department's weeks, the unplaced and why), pin or
//! remove assignments and plan again, and accept it into placements.
use super::capacity::WEEK_LABELS;
use super::view::{Cell, Field, Table, human_date};
use super::{Chrome, Form, PageError, PageId, PageResult, PageUser, csv_response, wants_csv};
use crate::db;
use crate::domain::planning::{
    self as plan, ProgressChart, Term, department_load, progress_chart, proven_quality,
};
use crate::domain::policy::{Action, Resource};
use crate::http::input;
use crate::http::{error::AppError, extract::Params};
use crate::service::planning;
use crate::service::planning::{AcceptOutcome, Context, PlanningRun};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Redirect},
    routing::{get, post},
};
use chrono::{Datelike, Duration, NaiveDate};
use practicum_engine::{Problem, Solution};
use serde_json::{Map, Value, json};
use std::collections::{BTreeSet, HashMap};

mod run;
use run::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/planning", get(planning).post(start))
        .route("/planning/runs/{id}", get(run))
        .route("/planning/runs/{id}/act", post(act))
        .route("/planning/runs/{id}/cancel", post(cancel))
        .route("/planning/runs/{id}/status", get(status))
        .route("/planning/runs/{id}/problem.json", get(problem))
        .route("/planning/runs/{id}/solution.json", get(solution))
}

/// The run's progress as JSON for the page's own script (the API wants a bearer token).
async fn status(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let r = planning::load(&st, &user.p, &id).await?;
    Ok(axum::Json(run::live_progress(
        &planning::view(&r, false)?,
        st.clock.now(),
    ))
    .into_response())
}

async fn problem(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let (name, json) = planning::problem_json(&st, &user.p, &id).await?;
    Ok(crate::http::download_json(&name, json))
}

async fn solution(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let (name, json) = planning::solution_json(&st, &user.p, &id).await?;
    Ok(crate::http::download_json(&name, json))
}

pub struct OpenRow {
    pub id: String,
    pub school: String,
    pub discipline: String,
    pub kind: String,
    pub students: i64,
    pub period: String,
    pub window: String,
    pub status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "planning.html")]
pub struct PlanningPage {
    pub chrome: Chrome,
    pub errors: Vec<(String, String)>,
    pub term_fields: Vec<Field>,
    pub starts_on: String,
    pub ends_on: String,
    pub starts_label: String,
    pub ends_label: String,
    pub requests: Vec<OpenRow>,
    pub time_field: Field,
    pub runs: Table,
}

#[derive(Clone)]
pub struct ProposalRow {
    pub first: bool,
    pub acceptable: bool,
    pub request_id: String,
    pub request_label: String,
    pub outcome: String,
    pub outcome_style: &'static str,
    pub reason: String,
    pub department: String,
    pub preceptor: String,
    pub dates: String,
    pub pin_value: String,
    pub pinned: bool,
    pub remove_value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "planning_run.html")]
pub struct RunPage {
    pub chrome: Chrome,
    pub facts: Vec<(&'static str, Cell)>,
    pub running: bool,
    pub run_id: String,
    pub time_percent: i64,
    pub time_limit: f64,
    pub progress_text: String,
    pub chart: ProgressChart,
    pub outcome: Option<AcceptOutcome>,
    pub has_proposal: bool,
    pub accepted: bool,
    pub schools: Table,
    pub rows: Vec<ProposalRow>,
    pub grid_note: String,
    pub grid: Table,
}

fn table(caption: &str, headers: Vec<&'static str>, rows: Vec<Vec<Cell>>, empty: &str) -> Table {
    Table {
        rows,
        ..Table::new(caption, headers, empty)
    }
}

fn date_param(params: &Params, key: &str) -> Option<NaiveDate> {
    params.get(key).and_then(|v| v.trim().parse().ok())
}

fn names(pairs: Vec<(String, String)>) -> HashMap<String, String> {
    pairs.into_iter().collect()
}

async fn planning(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Planning, Action::Read)?;
    let fallback = default_term(&st).await?;
    let mut errors = vec![];
    let starts_on = date_param(&params, "starts_on").unwrap_or(fallback.starts_on);
    let mut ends_on = date_param(&params, "ends_on").unwrap_or(fallback.ends_on);
    if ends_on < starts_on {
        errors.push((
            "f-ends_on".to_string(),
            "The term ends before it starts.".to_string(),
        ));
        ends_on = starts_on;
    }
    let page = render_planning(&st, &user, Term { starts_on, ends_on }, errors).await?;
    Ok(page.into_response())
}

/// From next Monday to the last day of the open requests starting by then (at least sixteen
/// weeks, at most a year), so the default term holds every request asked for.
async fn default_term(st: &AppState) -> Result<Term, PageError> {
    let today = st.clock.today();
    let monday = today + Duration::days(7 - today.weekday().num_days_from_monday() as i64);
    let mut tx = st.db.read().await?;
    let open = db::planning::open_requests(&mut tx, monday, None).await?;
    let last = open
        .iter()
        .filter(|r| r.starts_on >= monday)
        .map(|r| r.ends_on)
        .max();
    let sixteen = monday + Duration::days(16 * 7 - 3);
    let year = monday + Duration::days(plan::MAX_TERM_WEEKS * 7 - 1);
    Ok(Term {
        starts_on: monday,
        ends_on: last.map_or(sixteen, |l| l.max(sixteen).min(year)),
    })
}

async fn render_planning(
    st: &AppState,
    user: &PageUser,
    term: Term,
    errors: Vec<(String, String)>,
) -> Result<PlanningPage, PageError> {
    let mut tx = st.db.read().await?;
    let schools = names(db::schools::all_names(&mut tx).await?);
    let disciplines = db::planning::program_disciplines(&mut tx).await?;
    let open = db::planning::open_requests(&mut tx, term.week0(), Some(term.ends_on)).await?;
    let runs = db::planning::recent(&mut tx, 20).await?;
    drop(tx);
    let requests = open
        .into_iter()
        .filter(|r| r.starts_on >= term.week0())
        .map(|r| OpenRow {
            school: schools.get(&r.school_id).cloned().unwrap_or_default(),
            discipline: crate::domain::catalog::discipline_name(
                disciplines
                    .get(&r.program_id)
                    .map(String::as_str)
                    .unwrap_or_default(),
            ),
            students: r.places(),
            period: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
            window: match r.start_window_weeks {
                0 => "fixed start".into(),
                w => format!("may start up to {w} week(s) later"),
            },
            status: crate::domain::words::sentence(&r.status),
            kind: crate::domain::words::placement_kind(&r.kind),
            id: r.id,
        })
        .collect();
    let mut rows = vec![];
    for r in &runs {
        let v = planning::view(r, false)?;
        rows.push(vec![
            Cell::link(
                st.clock
                    .local(r.created_at)
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string(),
                format!("/planning/runs/{}", r.id),
            ),
            Cell::text(format!(
                "{} – {}",
                human_date(r.starts_on),
                human_date(r.ends_on)
            )),
            status_cell(&r.status),
            Cell::text(v.progress.as_ref().map_or(String::new(), |p| {
                format!("{:.1} (bound {:.1})", p.objective, p.bound)
            })),
            Cell::text(
                v.progress
                    .as_ref()
                    .and_then(|p| proven_quality(p.objective, Some(p.bound)))
                    .unwrap_or_default(),
            ),
            Cell::text(if r.accepted_at.is_some() { "yes" } else { "" }),
        ]);
    }
    Ok(PlanningPage {
        chrome: user.chrome("Term planning"),
        errors,
        term_fields: vec![
            Field::new("starts_on", "First day of the term", "date")
                .required()
                .value(term.starts_on.to_string()),
            Field::new("ends_on", "Last day of the term", "date")
                .required()
                .value(term.ends_on.to_string()),
        ],
        starts_on: term.starts_on.to_string(),
        ends_on: term.ends_on.to_string(),
        starts_label: human_date(term.starts_on),
        ends_label: human_date(term.ends_on),
        requests,
        time_field: Field::new("time_limit_seconds", "Time limit in seconds", "number")
            .value(format!("{}", planning::DEFAULT_TIME_LIMIT_SECONDS))
            .hint("The allocator stops here with the best plan it has found; a hospital's term takes about a second."),
        runs: table(
            "Plans made, newest first",
            vec!["Started", "Term", "Status", "Objective", "Proven quality", "Accepted"],
            rows,
            "No plan has been made yet.",
        ),
    })
}

fn status_cell(status: &str) -> Cell {
    let style = match status {
        "done" => "ok",
        "running" | "cancelled" => "warn",
        _ => "bad",
    };
    Cell::badge(status, style)
}

async fn start(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let mut body = Map::new();
    for key in ["starts_on", "ends_on", "time_limit_seconds"] {
        if let Some(v) = form.get(key).filter(|v| !v.trim().is_empty()) {
            body.insert(key.into(), Value::String(v.to_string()));
        }
    }
    let ids: Vec<Value> = form
        .0
        .iter()
        .filter(|(k, _)| k == "request")
        .map(|(_, v)| Value::String(v.clone()))
        .collect();
    body.insert("request_ids".into(), Value::Array(ids));
    let outcome = match input::planning::start_run(body) {
        Ok(run) => planning::start_run(&st, &user.p, run).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(run) => Ok(Redirect::to(&format!("/planning/runs/{}", run.id)).into_response()),
        Err(AppError::Rejected(problems)) if problems.status() == 422 => {
            let term = Term {
                starts_on: form
                    .get("starts_on")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| st.clock.today()),
                ends_on: form
                    .get("ends_on")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| st.clock.today()),
            };
            let errors = problems
                .0
                .iter()
                .map(|e| {
                    (
                        e.field
                            .as_ref()
                            .map(|f| format!("f-{f}"))
                            .unwrap_or_default(),
                        e.message.clone(),
                    )
                })
                .collect();
            let page = render_planning(&st, &user, term, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn cancel(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match planning::cancel_run(&st, &user.p, &id).await {
        Ok(_) => Ok(Redirect::to(&format!("/planning/runs/{id}")).into_response()),
        Err(AppError::Rejected(p)) if p.status() == 409 => {
            Ok(Redirect::to(&format!("/planning/runs/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
