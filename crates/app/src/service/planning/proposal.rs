//! What a run shows: its progress and, once it has an answer, the proposal dated from the
//! plan, each school's fill rate and each request's assignments or why it was not placed.
use crate::db::planning::Run;
use crate::domain::ErrorCode;
use crate::domain::period::Period;
use crate::domain::planning::{self as plan, DatedAssignment, Exclusion, LeftOut, Term};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, NaiveDate, Utc};
use practicum_engine::{Assignment, Problem, Solution};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

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

pub use crate::domain::planning::RunProgress;

#[derive(Clone, Debug, Serialize)]
pub struct SchoolFill {
    pub school_id: String,
    pub requested: i64,
    pub placed: i64,
    pub fill_rate: f64,
}

#[derive(Clone, Debug, Serialize)]
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

#[derive(Clone, Debug, Serialize)]
pub struct Proposal {
    pub objective: f64,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub students_requested: i64,
    pub students_placed: i64,
    pub schools: Vec<SchoolFill>,
    pub requests: Vec<ProposedRequest>,
}

#[derive(Clone, Debug, Serialize)]
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

#[derive(Clone, Debug, Default, Serialize)]
pub struct AcceptOutcome {
    /// Requests approved: their placements are now `proposed`.
    pub approved: Vec<String>,
    pub waitlisted: Vec<String>,
    /// Requests not accepted, and why (each decision is all or nothing).
    pub failed: Vec<AcceptFailure>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AcceptFailure {
    pub request_id: String,
    pub code: ErrorCode,
    pub message: String,
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
