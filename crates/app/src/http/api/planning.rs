//! Term planning runs: build the allocation problem from the records, run the allocator as a
//! background job, show its proposal, and accept it into placements through the same checks
//! as a manual decision.
use crate::db::{self, planning::Run};
use crate::domain::ErrorCode;
use crate::domain::period::Period;
use crate::domain::planning::{
    self as plan, DatedAssignment, Exclusion, LeftOut, Records, RequestRecord, Term,
};
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{Input, JsonBody, PathId, parse},
};
use crate::service::requests::{self, Decision, DecisionKind, DecisionPlacement};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use practicum_engine::{Assignment, Limits, Problem, Solution};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// How long a run may take unless the office says otherwise; the hospital tier needs about
/// a second, so this leaves room for a regional consortium.
pub const DEFAULT_TIME_LIMIT_SECONDS: f64 = 10.0;
pub const MAX_TIME_LIMIT_SECONDS: f64 = 600.0;

/// What a run remembers besides the problem: the requests as asked (to date the proposal),
/// the requests left out and why, and the coordinator's removals.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Context {
    pub requests: Vec<AskedRequest>,
    pub left_out: Vec<LeftOut>,
    pub exclusions: Vec<Exclusion>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AskedRequest {
    pub id: String,
    pub school_id: String,
    pub discipline: String,
    pub kind: String,
    pub places: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct RunProgress {
    pub objective: f64,
    pub bound: f64,
    /// (bound − objective) / bound
    pub gap: f64,
    pub elapsed_seconds: f64,
    pub iterations: u64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SchoolFill {
    pub school_id: String,
    pub requested: i64,
    pub placed: i64,
    pub fill_rate: f64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProposedRequest {
    pub request_id: String,
    pub school_id: String,
    pub discipline: String,
    pub kind: String,
    pub students: i64,
    pub placed: i64,
    /// placed (every student), partial, unplaced, left_out (not part of the problem)
    pub outcome: String,
    pub reason: Option<String>,
    pub assignments: Vec<DatedAssignment>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub objective: f64,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub students_requested: i64,
    pub students_placed: i64,
    pub schools: Vec<SchoolFill>,
    pub requests: Vec<ProposedRequest>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PlanningRun {
    pub id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// running, done, failed, cancelled (stopped early: the best found so far), interrupted
    pub status: String,
    pub weeks: i64,
    /// Monday of week 0.
    pub week0: NaiveDate,
    pub time_limit_seconds: f64,
    pub seed: i64,
    pub progress: Option<RunProgress>,
    pub error: Option<String>,
    pub based_on: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    /// Once the run has an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<Proposal>,
}

/// The input of `POST /api/v1/planning-runs`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct StartInput {
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    /// Which open (submitted or waitlisted) requests to plan; default every one starting in
    /// the term.
    request_ids: Option<Vec<String>>,
    time_limit_seconds: Option<f64>,
    seed: Option<i64>,
    /// Stop after this much work rather than time: the same answer every time.
    max_iterations: Option<i64>,
    /// A run whose pins and removals to start from.
    based_on: Option<String>,
    /// Assignments the answer must keep: `{ request, department, preceptor?, start }`.
    pins: Option<Vec<Value>>,
    /// Options removed: `{ request, department }`.
    exclude: Option<Vec<Value>>,
}

fn number(v: &Value) -> Result<f64, (ErrorCode, String)> {
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match n {
        Some(n) if n.is_finite() && n > 0.0 && n <= MAX_TIME_LIMIT_SECONDS => Ok(n),
        _ => Err((
            ErrorCode::InvalidNumber,
            format!("must be a number of seconds above 0 and at most {MAX_TIME_LIMIT_SECONDS}"),
        )),
    }
}

fn list_of<T: for<'de> Deserialize<'de>>(
    what: &'static str,
) -> impl Fn(&Value) -> Result<Vec<T>, (ErrorCode, String)> {
    move |v| {
        serde_json::from_value::<Vec<T>>(v.clone()).map_err(|e| {
            (
                ErrorCode::InvalidType,
                format!("must be a list of {what}: {e}"),
            )
        })
    }
}

fn ids(v: &Value) -> Result<Vec<String>, (ErrorCode, String)> {
    match v {
        Value::Array(items) => items.iter().map(parse::id).collect(),
        _ => Err((ErrorCode::InvalidType, "must be a list of ids".into())),
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExclusionInput {
    request: String,
    department: String,
}

fn term_of(starts_on: NaiveDate, ends_on: NaiveDate) -> AppResult<Term> {
    if ends_on < starts_on {
        return Err(AppError::invalid(
            "ends_on",
            ErrorCode::InvalidPeriod,
            "the term ends before it starts",
        ));
    }
    let term = Term { starts_on, ends_on };
    if term.weeks() > plan::MAX_TERM_WEEKS {
        return Err(AppError::invalid(
            "ends_on",
            ErrorCode::TermTooLong,
            format!("a term is at most {} weeks", plan::MAX_TERM_WEEKS),
        ));
    }
    Ok(term)
}

/// Builds the problem from the records and starts the allocator in the background.
pub async fn start(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<PlanningRun> {
    p.authorize(Resource::Planning, Action::Write)?;
    let mut i = Input::new(
        body,
        &[
            "starts_on",
            "ends_on",
            "request_ids",
            "time_limit_seconds",
            "seed",
            "max_iterations",
            "based_on",
            "pins",
            "exclude",
        ],
    );
    let starts_on = i.req("starts_on", None, &parse::date);
    let ends_on = i.req("ends_on", None, &parse::date);
    let request_ids = i.opt("request_ids", None, &ids).flatten();
    let time_limit = i
        .opt("time_limit_seconds", None, &number)
        .flatten()
        .unwrap_or(DEFAULT_TIME_LIMIT_SECONDS);
    let seed = i
        .opt("seed", None, &parse::non_negative)
        .flatten()
        .unwrap_or(1);
    let max_iterations = i.opt("max_iterations", None, &parse::positive).flatten();
    let based_on = i.opt("based_on", None, &parse::id).flatten();
    let mut pins: Vec<Assignment> = i
        .opt(
            "pins",
            None,
            &list_of("assignments { request, department, preceptor?, start }"),
        )
        .flatten()
        .unwrap_or_default();
    let mut exclusions: Vec<Exclusion> = i
        .opt(
            "exclude",
            None,
            &list_of::<ExclusionInput>("{ request, department }"),
        )
        .flatten()
        .unwrap_or_default()
        .into_iter()
        .map(|e| Exclusion {
            request: e.request,
            department: e.department,
        })
        .collect();
    i.finish()?;
    let term = term_of(starts_on.unwrap_or_default(), ends_on.unwrap_or_default())?;
    let now = st.clock.now();
    let today = st.clock.today();

    let mut tx = st.db.write().await?;
    if let Some(base) = &based_on {
        let base = db::planning::get(&mut tx, base).await?.ok_or_else(|| {
            AppError::invalid("based_on", ErrorCode::NotFound, "no such planning run")
        })?;
        let ctx: Context = serde_json::from_str(&base.context_json).unwrap_or_default();
        for e in ctx.exclusions {
            if !exclusions.contains(&e) {
                exclusions.push(e);
            }
        }
        if let Ok(problem) = serde_json::from_str::<Problem>(&base.problem_json) {
            pins.extend(problem.pins);
        }
    }
    pins.retain(|a| {
        !exclusions
            .iter()
            .any(|e| e.request == a.request && e.department == a.department)
    });
    let disciplines = db::planning::program_disciplines(&mut tx).await?;
    let open = db::planning::open_requests(&mut tx, term.week0(), Some(term.ends_on)).await?;
    let mut left_out = vec![];
    let mut records = vec![];
    for r in open {
        if request_ids.as_ref().is_some_and(|ids| !ids.contains(&r.id)) {
            continue;
        }
        if r.starts_on < today {
            left_out.push(LeftOut {
                request_id: r.id.clone(),
                reason: "it starts in the past".into(),
            });
            continue;
        }
        let Some(period) = Period::new(r.starts_on, r.ends_on) else {
            continue;
        };
        records.push(RequestRecord {
            discipline: disciplines.get(&r.program_id).cloned().unwrap_or_default(),
            places: r.places(),
            period,
            start_window_weeks: r.start_window_weeks,
            together: r.together,
            preferences: r
                .preferences
                .iter()
                .map(|p| (p.site_id.clone(), p.department_id.clone()))
                .collect(),
            kind: r.kind,
            school_id: r.school_id,
            id: r.id,
        });
    }
    if let Some(ids) = &request_ids {
        for id in ids {
            if !records.iter().any(|r| &r.id == id) && !left_out.iter().any(|l| &l.request_id == id)
            {
                left_out.push(LeftOut {
                    request_id: id.clone(),
                    reason: "it is not an open request starting in this term".into(),
                });
            }
        }
    }
    let departments = db::planning::departments(&mut tx).await?;
    let preceptors = db::planning::preceptors(&mut tx).await?;
    let held = db::planning::held(&mut tx, term.week0(), term.ends_on).await?;
    let (problem, more_left_out) = plan::build_problem(&Records {
        term,
        departments: &departments,
        preceptors: &preceptors,
        held: &held,
        requests: &records,
        pins: &pins,
        exclusions: &exclusions,
    });
    left_out.extend(more_left_out);
    let context = Context {
        requests: records
            .iter()
            .map(|r| AskedRequest {
                id: r.id.clone(),
                school_id: r.school_id.clone(),
                discipline: r.discipline.clone(),
                kind: r.kind.clone(),
                places: r.places,
                starts_on: r.period.starts_on,
                ends_on: r.period.ends_on,
            })
            .collect(),
        left_out,
        exclusions,
    };
    let run = Run {
        id: db::new_id(),
        starts_on: term.starts_on,
        ends_on: term.ends_on,
        status: "running".into(),
        cancel_requested: false,
        seed,
        time_limit_ms: (time_limit * 1000.0).round() as i64,
        problem_json: serde_json::to_string(&problem).map_err(anyhow::Error::from)?,
        context_json: serde_json::to_string(&context).map_err(anyhow::Error::from)?,
        progress_json: None,
        solution_json: None,
        error: None,
        based_on,
        created_by: Some(p.user_id.clone()),
        created_at: now,
        finished_at: None,
        accepted_at: None,
    };
    db::planning::insert(&mut tx, &run).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "create",
        "planning_run",
        &run.id,
        None::<&()>,
        Some(&json!({
            "starts_on": run.starts_on, "ends_on": run.ends_on, "requests": problem.requests.len(),
            "pins": problem.pins.len(), "seed": seed, "time_limit_ms": run.time_limit_ms,
        })),
    )
    .await?;
    tx.commit().await?;
    let limits = Limits {
        time_limit: Some(std::time::Duration::from_secs_f64(time_limit)),
        max_iterations: max_iterations.map(|n| n as u64),
        seed: seed as u64,
        threads: 0,
        cancel: None,
    };
    crate::jobs::planning::spawn(st.clone(), run.id.clone(), problem, limits);
    view(&run, false)
}

/// The run as the API shows it; `with_proposal` adds the (possibly long) proposal.
pub fn view(run: &Run, with_proposal: bool) -> AppResult<PlanningRun> {
    let term = Term {
        starts_on: run.starts_on,
        ends_on: run.ends_on,
    };
    let progress = run
        .progress_json
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    let proposal = match (&run.solution_json, with_proposal) {
        (Some(sol), true) => Some(proposal(run, term, sol)?),
        _ => None,
    };
    Ok(PlanningRun {
        id: run.id.clone(),
        starts_on: run.starts_on,
        ends_on: run.ends_on,
        status: run.status.clone(),
        weeks: term.weeks(),
        week0: term.week0(),
        time_limit_seconds: run.time_limit_ms as f64 / 1000.0,
        seed: run.seed,
        progress,
        error: run.error.clone(),
        based_on: run.based_on.clone(),
        created_at: run.created_at,
        finished_at: run.finished_at,
        accepted_at: run.accepted_at,
        proposal,
    })
}

fn stored<T: for<'de> Deserialize<'de>>(json: &str) -> AppResult<T> {
    serde_json::from_str(json).map_err(|e| AppError::Internal(anyhow::anyhow!("stored run: {e}")))
}

fn proposal(run: &Run, term: Term, solution_json: &str) -> AppResult<Proposal> {
    let problem: Problem = stored(&run.problem_json)?;
    let solution: Solution = stored(solution_json)?;
    let ctx: Context = stored(&run.context_json)?;
    let mut pins: Vec<&Assignment> = problem.pins.iter().collect();
    let mut by_request: HashMap<&str, Vec<DatedAssignment>> = HashMap::new();
    let asked: HashMap<&str, &AskedRequest> =
        ctx.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    for a in &solution.assignments {
        let Some(q) = asked.get(a.request.as_str()) else {
            continue;
        };
        let pinned = match pins.iter().position(|p| *p == a) {
            Some(i) => {
                pins.swap_remove(i);
                true
            }
            None => false,
        };
        let period = Period {
            starts_on: q.starts_on,
            ends_on: q.ends_on,
        };
        by_request
            .entry(a.request.as_str())
            .or_default()
            .push(plan::dated(period, term, a, pinned));
    }
    let mut requests = vec![];
    let mut schools: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    let in_problem: std::collections::HashSet<&str> =
        problem.requests.iter().map(|r| r.id.as_str()).collect();
    for q in &ctx.requests {
        let assignments = by_request.remove(q.id.as_str()).unwrap_or_default();
        let placed = assignments.len() as i64;
        let left = ctx.left_out.iter().find(|l| l.request_id == q.id);
        let (outcome, reason) = match (left, placed) {
            (Some(l), _) => ("left_out", Some(l.reason.clone())),
            (None, n) if n >= q.places => ("placed", None),
            (None, n) => (
                if n == 0 { "unplaced" } else { "partial" },
                Some(plan::why_unplaced(&problem, &solution, &q.id)),
            ),
        };
        if in_problem.contains(q.id.as_str()) {
            let s = schools.entry(q.school_id.as_str()).or_default();
            s.0 += q.places;
            s.1 += placed;
        }
        requests.push(ProposedRequest {
            request_id: q.id.clone(),
            school_id: q.school_id.clone(),
            discipline: q.discipline.clone(),
            kind: q.kind.clone(),
            students: q.places,
            placed,
            outcome: outcome.into(),
            reason,
            assignments,
        });
    }
    for l in &ctx.left_out {
        if !ctx.requests.iter().any(|r| r.id == l.request_id) {
            requests.push(ProposedRequest {
                request_id: l.request_id.clone(),
                school_id: String::new(),
                discipline: String::new(),
                kind: String::new(),
                students: 0,
                placed: 0,
                outcome: "left_out".into(),
                reason: Some(l.reason.clone()),
                assignments: vec![],
            });
        }
    }
    let (students_requested, students_placed) = schools
        .values()
        .fold((0, 0), |(a, b), (r, p)| (a + r, b + p));
    let gap = solution
        .bound
        .filter(|b| *b > 0.0)
        .map(|b| ((b - solution.objective) / b).max(0.0));
    Ok(Proposal {
        objective: solution.objective,
        bound: solution.bound,
        gap,
        students_requested,
        students_placed,
        schools: schools
            .into_iter()
            .map(|(s, (requested, placed))| SchoolFill {
                school_id: s.to_string(),
                requested,
                placed,
                fill_rate: if requested > 0 {
                    placed as f64 / requested as f64
                } else {
                    0.0
                },
            })
            .collect(),
        requests,
    })
}

pub async fn load(st: &AppState, p: &Principal, id: &str) -> AppResult<Run> {
    p.authorize(Resource::Planning, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::planning::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn recent(st: &AppState, p: &Principal) -> AppResult<Vec<Run>> {
    p.authorize(Resource::Planning, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(db::planning::recent(&mut tx, 50).await?)
}

/// Asks a running job to stop; it keeps the best answer found so far.
pub async fn cancel_run(st: &AppState, p: &Principal, id: &str) -> AppResult<Run> {
    p.authorize(Resource::Planning, Action::Write)?;
    let mut tx = st.db.write().await?;
    let run = db::planning::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if run.status != "running" {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("the run is {}, not running", run.status),
        ));
    }
    db::planning::request_cancel(&mut tx, id).await?;
    tx.commit().await?;
    Ok(run)
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct AcceptOutcome {
    /// Requests approved: their placements are now `proposed`.
    pub approved: Vec<String>,
    pub waitlisted: Vec<String>,
    /// Requests not accepted, and why (each decision is all or nothing).
    pub failed: Vec<AcceptFailure>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AcceptFailure {
    pub request_id: String,
    #[schema(value_type = String)]
    pub code: ErrorCode,
    pub message: String,
}

/// The input of `POST /api/v1/planning-runs/{id}/accept`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct AcceptInput {
    /// Which requests to accept; default every request the proposal places in full.
    request_ids: Option<Vec<String>>,
    /// Also waitlist the requests the plan could not place, with the reason.
    waitlist_unplaced: Option<bool>,
}

/// Turns the proposal into decisions: each fully placed request is approved with its
/// placements (dated from the plan) through the same checks as a manual approval; partially
/// placed ones are left for the coordinator; unplaced ones are waitlisted if asked.
pub async fn accept_run(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<AcceptOutcome> {
    p.authorize(Resource::Planning, Action::Write)?;
    let mut i = Input::new(body, &["request_ids", "waitlist_unplaced"]);
    let chosen = i.opt("request_ids", None, &ids).flatten();
    let waitlist = i
        .opt("waitlist_unplaced", None, &parse::boolean)
        .flatten()
        .unwrap_or(false);
    i.finish()?;
    let run = load(st, p, id).await?;
    if !matches!(run.status.as_str(), "done" | "cancelled") {
        return Err(AppError::conflict(
            ErrorCode::RunNotFinished,
            format!("the run is {}; accept it once it has an answer", run.status),
        ));
    }
    let proposal = view(&run, true)?.proposal.unwrap_or(Proposal {
        objective: 0.0,
        bound: None,
        gap: None,
        students_requested: 0,
        students_placed: 0,
        schools: vec![],
        requests: vec![],
    });
    let mut out = AcceptOutcome::default();
    for q in &proposal.requests {
        let picked = chosen.as_ref().is_none_or(|c| c.contains(&q.request_id));
        if !picked {
            continue;
        }
        let fail = |code: ErrorCode, message: String| AcceptFailure {
            request_id: q.request_id.clone(),
            code,
            message,
        };
        let decision = match q.outcome.as_str() {
            "placed" => {
                let mut tx = st.db.read().await?;
                let Some(now) = db::requests::get(&mut tx, &q.request_id).await? else {
                    out.failed.push(fail(
                        ErrorCode::NotFound,
                        "the request no longer exists".into(),
                    ));
                    continue;
                };
                drop(tx);
                if now.places() != q.students {
                    out.failed.push(fail(
                        ErrorCode::RequestChanged,
                        format!(
                            "the request now asks for {} places, the plan for {}; plan again",
                            now.places(),
                            q.students
                        ),
                    ));
                    continue;
                }
                let mut named = now.student_ids.iter();
                Decision {
                    decision: DecisionKind::Approve,
                    reason: None,
                    placements: q
                        .assignments
                        .iter()
                        .map(|a| DecisionPlacement {
                            student_id: named.next().cloned(),
                            department_id: a.department_id.clone(),
                            preceptor_id: a.preceptor_id.clone(),
                            site_mentor_id: None,
                            starts_on: Some(a.starts_on),
                            ends_on: Some(a.ends_on),
                        })
                        .collect(),
                }
            }
            "unplaced" if waitlist => Decision {
                decision: DecisionKind::Waitlist,
                reason: Some(format!(
                    "Not placed by the term plan: {}.",
                    q.reason.clone().unwrap_or_default()
                )),
                placements: vec![],
            },
            "partial" if chosen.is_some() => {
                out.failed.push(fail(
                    ErrorCode::PartiallyPlaced,
                    format!(
                        "the plan places {} of {} students; decide this request by hand",
                        q.placed, q.students
                    ),
                ));
                continue;
            }
            _ => continue,
        };
        match requests::decide(st, p, &q.request_id, decision).await {
            Ok(r) if r.status == "approved" => out.approved.push(q.request_id.clone()),
            Ok(_) => out.waitlisted.push(q.request_id.clone()),
            Err(AppError::Internal(e)) => return Err(AppError::Internal(e)),
            Err(e) => {
                let problem = e.problem();
                let code = problem
                    .errors
                    .first()
                    .map(|f| f.code)
                    .unwrap_or(ErrorCode::Refused);
                let message = if problem.errors.is_empty() {
                    problem.detail
                } else {
                    problem
                        .errors
                        .iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                out.failed.push(fail(code, message));
            }
        }
    }
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    db::planning::set_accepted(&mut tx, id, now).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "accept",
        "planning_run",
        id,
        None::<&()>,
        Some(&out),
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

#[utoipa::path(post, path = "/api/v1/planning-runs", tag = "planning", security(("bearer" = [])),
    request_body = StartInput,
    responses((status = 202, body = PlanningRun, description = "started; poll it until `status` is no longer `running`"),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<PlanningRun>)> {
    p.authorize(Resource::Planning, Action::Write)?;
    let body = body.read(&st).await?;
    Ok((StatusCode::ACCEPTED, Json(start(&st, &p, body).await?)))
}

/// The most recent runs, newest first (without proposals).
#[utoipa::path(get, path = "/api/v1/planning-runs", tag = "planning", security(("bearer" = [])),
    responses((status = 200, body = super::List<PlanningRun>)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<super::List<PlanningRun>>> {
    let runs = recent(&st, &p).await?;
    let views = runs
        .iter()
        .map(|r| view(r, false))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Json(views.into()))
}

/// A run with its live progress, and its proposal once it has one.
#[utoipa::path(get, path = "/api/v1/planning-runs/{id}", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = PlanningRun), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<PlanningRun>> {
    Ok(Json(view(&load(&st, &p, &id).await?, true)?))
}

/// Stops a running job early; it keeps the best answer found so far.
#[utoipa::path(post, path = "/api/v1/planning-runs/{id}/cancel", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 202, body = PlanningRun), (status = 409, body = crate::http::error::Problem)))]
pub async fn cancel(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<(StatusCode, Json<PlanningRun>)> {
    let run = cancel_run(&st, &p, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(view(&run, false)?)))
}

#[utoipa::path(post, path = "/api/v1/planning-runs/{id}/accept", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = AcceptInput,
    responses((status = 200, body = AcceptOutcome), (status = 409, body = crate::http::error::Problem, description = "run_not_finished")))]
pub async fn accept(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<AcceptOutcome>> {
    p.authorize(Resource::Planning, Action::Write)?;
    let body = body.read_or_empty(&st).await?;
    Ok(Json(accept_run(&st, &p, &id, body).await?))
}

fn download(name: String, json: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        json,
    )
        .into_response()
}

/// The problem exactly as the allocator saw it (`practicum-allocation/1`), for audit or to
/// re-run with `practicum allocate`.
#[utoipa::path(get, path = "/api/v1/planning-runs/{id}/problem", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "practicum-allocation/1 JSON")))]
pub async fn problem(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    problem_file(&st, &p, &id).await
}

pub async fn problem_file(st: &AppState, p: &Principal, id: &str) -> AppResult<Response> {
    let run = load(st, p, id).await?;
    Ok(download(format!("problem-{id}.json"), run.problem_json))
}

pub async fn solution_file(st: &AppState, p: &Principal, id: &str) -> AppResult<Response> {
    let run = load(st, p, id).await?;
    let json = run.solution_json.ok_or(AppError::NotFound)?;
    Ok(download(format!("solution-{id}.json"), json))
}

/// The allocator's answer (`practicum-allocation-solution/1`); check it with `practicum check`.
#[utoipa::path(get, path = "/api/v1/planning-runs/{id}/solution", tag = "planning", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, description = "practicum-allocation-solution/1 JSON"), (status = 404, body = crate::http::error::Problem)))]
pub async fn solution(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    solution_file(&st, &p, &id).await
}
