//! Term planning: pick a term and its requests, watch the allocator work, review the
//! proposal (each school's fill rate, each department's weeks, the unplaced and why), pin or
//! remove assignments and plan again, and accept it into placements.
use super::capacity::WEEK_LABELS;
use super::view::{Cell, Field, Table, human_date};
use super::{Chrome, Form, PageError, PageId, PageResult, PageUser, csv_response, wants_csv};
use crate::db;
use crate::domain::planning::{self as plan, Term, department_load};
use crate::domain::policy::{Action, Resource};
use crate::http::input;
use crate::http::{error::AppError, extract::Params};
use crate::service::planning;
use crate::service::planning::{self as api, AcceptOutcome, Context, PlanningRun};
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
    let r = api::load(&st, &user.p, &id).await?;
    Ok(axum::Json(api::view(&r, false)?).into_response())
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
            discipline: disciplines.get(&r.program_id).cloned().unwrap_or_default(),
            students: r.places(),
            period: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
            window: match r.start_window_weeks {
                0 => "fixed start".into(),
                w => format!("may start up to {w} week(s) later"),
            },
            status: r.status,
            kind: r.kind,
            id: r.id,
        })
        .collect();
    let mut rows = vec![];
    for r in &runs {
        let v = api::view(r, false)?;
        rows.push(vec![
            Cell::link(
                r.created_at.format("%Y-%m-%d %H:%M").to_string(),
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
                    .map_or(String::new(), |p| format!("{:.2}%", p.gap * 100.0)),
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
            .value(format!("{}", api::DEFAULT_TIME_LIMIT_SECONDS))
            .hint("The allocator stops here with the best plan it has found; a hospital's term takes about a second."),
        runs: table(
            "Plans made, newest first",
            vec!["Started", "Term", "Status", "Objective", "Gap to the bound", "Accepted"],
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

async fn run(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    let r = api::load(&st, &user.p, &id).await?;
    let page = render_run(&st, &user, &r, None).await?;
    if wants_csv(&params) {
        let table = table(
            "Proposal",
            vec![
                "Request",
                "Outcome",
                "Reason",
                "Department",
                "Preceptor",
                "Dates",
                "Pinned",
            ],
            page.rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::text(&r.request_label),
                        Cell::text(&r.outcome),
                        Cell::text(&r.reason),
                        Cell::text(&r.department),
                        Cell::text(&r.preceptor),
                        Cell::text(&r.dates),
                        Cell::text(if r.pinned { "yes" } else { "" }),
                    ]
                })
                .collect(),
            "",
        );
        return Ok(csv_response(&format!("plan-{id}"), &table));
    }
    Ok(page.into_response())
}

async fn render_run(
    st: &AppState,
    user: &PageUser,
    r: &db::planning::Run,
    outcome: Option<AcceptOutcome>,
) -> Result<RunPage, PageError> {
    let v: PlanningRun = api::view(r, true)?;
    let term = Term {
        starts_on: r.starts_on,
        ends_on: r.ends_on,
    };
    let mut tx = st.db.read().await?;
    let schools = names(db::schools::all_names(&mut tx).await?);
    let departments = names(db::departments::all_names(&mut tx).await?);
    let staff = names(db::staff::names(&mut tx).await?);
    drop(tx);
    let name = |map: &HashMap<String, String>, id: &str| {
        map.get(id).cloned().unwrap_or_else(|| id.to_string())
    };
    let mut facts = vec![
        (
            "Term",
            Cell::text(format!(
                "{} – {} ({} weeks; week 1 starts {})",
                human_date(r.starts_on),
                human_date(r.ends_on),
                v.weeks,
                human_date(v.week0)
            )),
        ),
        ("Status", status_cell(&r.status)),
    ];
    let progress_text = match &v.progress {
        Some(p) => format!(
            "Best plan so far scores {:.1}; nothing can score more than {:.1}, so it is within {:.2}% of the best possible ({:.1} s).",
            p.objective,
            p.bound,
            p.gap * 100.0,
            p.elapsed_seconds
        ),
        None => "Building the first plan…".into(),
    };
    let time_percent = v.progress.as_ref().map_or(0, |p| {
        ((p.elapsed_seconds / v.time_limit_seconds.max(0.001)) * 100.0).clamp(0.0, 100.0) as i64
    });
    if let Some(e) = &v.error {
        facts.push(("Error", Cell::text(e)));
    }
    if let Some(b) = &v.based_on {
        facts.push((
            "Planned again from",
            Cell::link("the previous plan", format!("/planning/runs/{b}")),
        ));
    }
    if let Some(at) = r.accepted_at {
        facts.push((
            "Accepted",
            Cell::text(at.format("%Y-%m-%d %H:%M UTC").to_string()),
        ));
    }
    let mut page = RunPage {
        chrome: user.chrome("Term plan"),
        facts,
        running: r.status == "running",
        run_id: r.id.clone(),
        time_percent,
        time_limit: v.time_limit_seconds,
        progress_text,
        outcome,
        has_proposal: false,
        accepted: r.accepted_at.is_some(),
        schools: Table::default(),
        rows: vec![],
        grid_note: String::new(),
        grid: Table::default(),
    };
    let Some(p) = v.proposal else {
        return Ok(page);
    };
    page.has_proposal = true;
    let gap = p
        .gap
        .map_or("no bound".to_string(), |g| format!("{:.2}%", g * 100.0));
    page.facts.push((
        "Placed",
        Cell::text(format!(
            "{} of {} students",
            p.students_placed, p.students_requested
        )),
    ));
    page.facts.push((
        "Score",
        Cell::text(format!(
            "{:.1}; the best possible is at most {} — within {gap}",
            p.objective,
            p.bound.map_or("unknown".into(), |b| format!("{b:.1}")),
        )),
    ));
    page.schools = table(
        "Share of each school's students placed (the plan favours the worst-served school)",
        vec!["School", "Fill rate", "Placed", "Asked for"],
        p.schools
            .iter()
            .map(|s| {
                let pct = (s.fill_rate * 100.0).round() as i64;
                vec![
                    Cell::text(name(&schools, &s.school_id)),
                    Cell {
                        text: format!("{pct}%"),
                        csv: format!("{pct}"),
                        href: None,
                        badge: None,
                        bar: Some(pct),
                    },
                    Cell::text(s.placed.to_string()),
                    Cell::text(s.requested.to_string()),
                ]
            })
            .collect(),
        "No request was part of this plan.",
    );
    for q in &p.requests {
        let label = format!(
            "{} · {} {} {}",
            if q.school_id.is_empty() {
                q.request_id.clone()
            } else {
                name(&schools, &q.school_id)
            },
            q.students,
            q.discipline,
            q.kind
        );
        let (outcome, style) = match q.outcome.as_str() {
            "placed" => ("placed".to_string(), "ok"),
            "partial" => (format!("{} of {} placed", q.placed, q.students), "warn"),
            "unplaced" => ("not placed".to_string(), "bad"),
            _ => ("left out".to_string(), "bad"),
        };
        let base = ProposalRow {
            first: true,
            acceptable: q.outcome == "placed",
            request_id: q.request_id.clone(),
            request_label: label,
            outcome,
            outcome_style: style,
            reason: q.reason.clone().unwrap_or_default(),
            department: String::new(),
            preceptor: String::new(),
            dates: String::new(),
            pin_value: String::new(),
            pinned: false,
            remove_value: String::new(),
        };
        if q.assignments.is_empty() {
            page.rows.push(base);
            continue;
        }
        for (i, a) in q.assignments.iter().enumerate() {
            page.rows.push(ProposalRow {
                first: i == 0,
                department: name(&departments, &a.department_id),
                preceptor: a
                    .preceptor_id
                    .as_ref()
                    .map_or("— (faculty supervises)".into(), |s| name(&staff, s)),
                dates: format!("{} – {}", human_date(a.starts_on), human_date(a.ends_on)),
                pin_value: format!(
                    "{}|{}|{}|{}",
                    q.request_id,
                    a.department_id,
                    a.preceptor_id.clone().unwrap_or_default(),
                    a.start_week
                ),
                pinned: a.pinned,
                remove_value: format!("{}|{}", q.request_id, a.department_id),
                ..base.clone()
            });
        }
    }
    let (grid_note, grid) = week_grid(r, term, &departments)?;
    page.grid_note = grid_note;
    page.grid = grid;
    Ok(page)
}

/// Each department with students in the term: seats used of its capacity, week by week.
fn week_grid(
    r: &db::planning::Run,
    term: Term,
    departments: &HashMap<String, String>,
) -> Result<(String, Table), PageError> {
    let (Ok(problem), Some(Ok(solution))) = (
        serde_json::from_str::<Problem>(&r.problem_json),
        r.solution_json
            .as_deref()
            .map(serde_json::from_str::<Solution>),
    ) else {
        return Ok((String::new(), Table::default()));
    };
    let load = department_load(&problem, &solution);
    let used: BTreeSet<&str> = load.keys().map(|(d, _)| *d).collect();
    let weeks = (problem.weeks as usize).min(WEEK_LABELS.len());
    let mut headers = vec!["Department"];
    headers.extend(WEEK_LABELS.iter().take(weeks));
    let mut rows: Vec<Vec<Cell>> = problem
        .departments
        .iter()
        .filter(|d| used.contains(d.id.as_str()))
        .map(|d| {
            let mut row = vec![Cell::text(
                departments.get(&d.id).cloned().unwrap_or(d.id.clone()),
            )];
            for w in 0..weeks as i64 {
                let n = load.get(&(d.id.as_str(), w)).copied().unwrap_or(0);
                let text = format!("{n}/{}", d.capacity);
                row.push(match n {
                    n if n >= d.capacity && d.capacity > 0 => {
                        Cell::badge(format!("{text} full"), "bad")
                    }
                    n if n > 0 => Cell::badge(text, "warn"),
                    _ => Cell::badge(text, "ok"),
                });
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| a[0].text.cmp(&b[0].text));
    let note = format!(
        "Students present of the department's capacity, with the placements already accepted. Week 1 is the week of Monday {}.",
        human_date(term.week0())
    );
    Ok((
        note,
        table(
            "Seats used per week",
            headers,
            rows,
            "No department has students in this term.",
        ),
    ))
}

async fn act(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let r = api::load(&st, &user.p, &id).await?;
    let values = |key: &str| -> Vec<String> {
        form.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    match form.get("action") {
        Some("accept") => {
            let mut body = Map::new();
            body.insert("request_ids".into(), json!(values("accept")));
            body.insert(
                "waitlist_unplaced".into(),
                json!(form.get("waitlist_unplaced") == Some("true")),
            );
            let outcome =
                planning::accept_run(&st, &user.p, &id, input::planning::accept_run(body)?).await?;
            let r = api::load(&st, &user.p, &id).await?;
            Ok(render_run(&st, &user, &r, Some(outcome))
                .await?
                .into_response())
        }
        Some("rerun") => {
            let ctx: Context = serde_json::from_str(&r.context_json).unwrap_or_default();
            let pins: Vec<Value> = values("pin")
                .iter()
                .filter_map(|v| {
                    let parts: Vec<&str> = v.split('|').collect();
                    let [request, department, preceptor, start] = parts[..] else {
                        return None;
                    };
                    Some(json!({
                        "request": request, "department": department,
                        "preceptor": (!preceptor.is_empty()).then_some(preceptor),
                        "start": start.parse::<i64>().ok()?,
                    }))
                })
                .collect();
            let exclude: Vec<Value> = values("remove")
                .iter()
                .filter_map(|v| {
                    let (request, department) = v.split_once('|')?;
                    Some(json!({ "request": request, "department": department }))
                })
                .collect();
            let mut ids: Vec<String> = ctx.requests.iter().map(|q| q.id.clone()).collect();
            ids.extend(ctx.left_out.iter().map(|l| l.request_id.clone()));
            ids.sort();
            ids.dedup();
            let body = json!({
                "starts_on": r.starts_on, "ends_on": r.ends_on, "request_ids": ids,
                "time_limit_seconds": r.time_limit_ms as f64 / 1000.0, "seed": r.seed,
                "based_on": r.id, "pins": pins, "exclude": exclude,
            });
            let Value::Object(body) = body else {
                return Err(AppError::BadRequest("the form is malformed".into()).into());
            };
            let next = planning::start_run(&st, &user.p, input::planning::start_run(body)?).await?;
            Ok(Redirect::to(&format!("/planning/runs/{}", next.id)).into_response())
        }
        _ => Err(AppError::BadRequest("choose accept or plan again".into()).into()),
    }
}

async fn cancel(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match api::cancel_run(&st, &user.p, &id).await {
        Ok(_) => Ok(Redirect::to(&format!("/planning/runs/{id}")).into_response()),
        Err(AppError::Rejected(p)) if p.status() == 409 => {
            Ok(Redirect::to(&format!("/planning/runs/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
