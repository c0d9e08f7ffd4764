//! Term planning runs: build the allocation problem from the records, run the allocator as a
//! background job, show its proposal, and accept it into placements through the same checks
//! as a manual decision (ALLOCATION.md).
use super::Principal;
use super::requests::{self, Decision, DecisionKind, DecisionPlacement};
use crate::db::{self, planning::Run};
use crate::domain::ErrorCode;
use crate::domain::period::Period;
use crate::domain::planning::{self as plan, Exclusion, LeftOut, Records, RequestRecord, Term};
use crate::domain::policy::{Action, Resource};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
use practicum_engine::{Assignment, Limits, Problem};
use serde_json::json;

mod proposal;
pub use proposal::{
    AcceptFailure, AcceptOutcome, AskedRequest, Context, PlanningRun, Proposal, ProposedRequest,
    RunProgress, SchoolFill, view,
};

/// How long a run may take unless the office says otherwise; the hospital tier needs about
/// a second, so this leaves room for a regional consortium.
pub const DEFAULT_TIME_LIMIT_SECONDS: f64 = 10.0;
pub const MAX_TIME_LIMIT_SECONDS: f64 = 600.0;

/// What the office asks a run for (`POST /api/v1/planning-runs`).
#[derive(Clone, Debug)]
pub struct StartRun {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Which open requests to plan; `None`: every one starting in the term.
    pub request_ids: Option<Vec<String>>,
    /// Seconds, above 0 and at most `MAX_TIME_LIMIT_SECONDS`.
    pub time_limit_seconds: f64,
    pub seed: i64,
    /// Stop after this much work rather than time: the same answer every time.
    pub max_iterations: Option<i64>,
    /// A run whose pins and removals to start from.
    pub based_on: Option<String>,
    /// Assignments the answer must keep.
    pub pins: Vec<Assignment>,
    /// Options removed.
    pub exclusions: Vec<Exclusion>,
}

/// Which of a proposal to accept (`POST /api/v1/planning-runs/{id}/accept`).
#[derive(Clone, Debug, Default)]
pub struct AcceptRun {
    /// `None`: every request the proposal places in full.
    pub request_ids: Option<Vec<String>>,
    /// Also waitlist the requests the plan could not place, with the reason.
    pub waitlist_unplaced: bool,
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
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn start_run(st: &AppState, p: &Principal, input: StartRun) -> AppResult<PlanningRun> {
    p.authorize(Resource::Planning, Action::Write)?;
    let StartRun {
        starts_on,
        ends_on,
        request_ids,
        time_limit_seconds: time_limit,
        seed,
        max_iterations,
        based_on,
        mut pins,
        mut exclusions,
    } = input;
    let term = term_of(starts_on, ends_on)?;
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
        // One place at a time: the days its named students are placed elsewhere, over the
        // period and every later start its window allows.
        let reach = Period::new(
            r.starts_on,
            r.ends_on + chrono::Duration::weeks(r.start_window_weeks.max(0)),
        );
        let mut booked = vec![];
        for sid in &r.student_ids {
            for o in
                db::placements::open_depending_on(&mut tx, db::placements::DependsOn::Student(sid))
                    .await?
            {
                if let (Some(b), Some(reach)) = (Period::new(o.starts_on, o.ends_on), reach)
                    && b.overlaps(&reach)
                {
                    booked.push(b);
                }
            }
        }
        records.push(RequestRecord {
            booked,
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
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), run_id = %id))]
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

/// Turns the proposal into decisions: each fully placed request is approved with its
/// placements (dated from the plan) through the same checks as a manual approval; partially
/// placed ones are left for the coordinator; unplaced ones are waitlisted if asked.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), run_id = %id))]
pub async fn accept_run(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: AcceptRun,
) -> AppResult<AcceptOutcome> {
    p.authorize(Resource::Planning, Action::Write)?;
    let AcceptRun {
        request_ids: chosen,
        waitlist_unplaced: waitlist,
    } = input;
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
            // A fault or a busy store is not this request's refusal: the run stops, not
            // accepted, and may be accepted again.
            Err(e @ (AppError::Internal(_) | AppError::Busy { .. })) => return Err(e),
            Err(e) => {
                let errors = e.errors();
                let code = errors.first().map(|f| f.code).unwrap_or(ErrorCode::Refused);
                let message = errors
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
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

/// The problem exactly as the allocator saw it (`practicum-allocation/1`): a file name and
/// its JSON, for audit or to re-run with `practicum allocate`.
pub async fn problem_json(st: &AppState, p: &Principal, id: &str) -> AppResult<(String, String)> {
    let run = load(st, p, id).await?;
    Ok((format!("problem-{id}.json"), run.problem_json))
}

/// The allocator's answer (`practicum-allocation-solution/1`); 404 until there is one.
pub async fn solution_json(st: &AppState, p: &Principal, id: &str) -> AppResult<(String, String)> {
    let run = load(st, p, id).await?;
    let json = run.solution_json.ok_or(AppError::NotFound)?;
    Ok((format!("solution-{id}.json"), json))
}
