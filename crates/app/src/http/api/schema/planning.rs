//! Term planning as the API answers it: a run, its progress and proposal, and what accepting
//! it did.
use crate::domain::ErrorCode;
use crate::domain::planning as plan;
use crate::service::planning as service;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A planning run's progress as the allocator reports it: its best plan's score, the proven
/// bound, their gap, and the work done.
#[derive(Serialize, ToSchema)]
pub struct RunProgress {
    pub objective: f64,
    pub bound: f64,
    /// (bound − objective) / bound
    pub gap: f64,
    pub elapsed_seconds: f64,
    pub iterations: u64,
    /// The readings so far, oldest first (at most 120: thinned by dropping every other),
    /// so a client can draw how the plan and its proven bound converged.
    pub history: Vec<ProgressPoint>,
}

/// One reading: seconds since the start, the best plan's score, and the proven bound.
#[derive(Serialize, ToSchema)]
pub struct ProgressPoint {
    pub elapsed_seconds: f64,
    pub objective: f64,
    pub bound: f64,
}

impl From<plan::RunProgress> for RunProgress {
    fn from(p: plan::RunProgress) -> Self {
        RunProgress {
            objective: p.objective,
            bound: p.bound,
            gap: p.gap,
            elapsed_seconds: p.elapsed_seconds,
            iterations: p.iterations,
            history: p
                .history
                .into_iter()
                .map(|h| ProgressPoint {
                    elapsed_seconds: h.elapsed_seconds,
                    objective: h.objective,
                    bound: h.bound,
                })
                .collect(),
        }
    }
}

/// One accepted assignment, back in dates: the request's weekday pattern moved by whole weeks.
#[derive(Serialize, ToSchema)]
pub struct DatedAssignment {
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub start_week: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub pinned: bool,
}

impl From<plan::DatedAssignment> for DatedAssignment {
    fn from(a: plan::DatedAssignment) -> Self {
        DatedAssignment {
            department_id: a.department_id,
            preceptor_id: a.preceptor_id,
            start_week: a.start_week,
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            pinned: a.pinned,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SchoolFill {
    pub school_id: String,
    pub requested: i64,
    pub placed: i64,
    pub fill_rate: f64,
}

impl From<service::SchoolFill> for SchoolFill {
    fn from(s: service::SchoolFill) -> Self {
        SchoolFill {
            school_id: s.school_id,
            requested: s.requested,
            placed: s.placed,
            fill_rate: s.fill_rate,
        }
    }
}

#[derive(Serialize, ToSchema)]
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

impl From<service::ProposedRequest> for ProposedRequest {
    fn from(r: service::ProposedRequest) -> Self {
        ProposedRequest {
            request_id: r.request_id,
            school_id: r.school_id,
            discipline: r.discipline,
            kind: r.kind,
            students: r.students,
            placed: r.placed,
            outcome: r.outcome,
            reason: r.reason,
            assignments: r.assignments.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Proposal {
    pub objective: f64,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub students_requested: i64,
    pub students_placed: i64,
    pub schools: Vec<SchoolFill>,
    pub requests: Vec<ProposedRequest>,
}

impl From<service::Proposal> for Proposal {
    fn from(p: service::Proposal) -> Self {
        Proposal {
            objective: p.objective,
            bound: p.bound,
            gap: p.gap,
            students_requested: p.students_requested,
            students_placed: p.students_placed,
            schools: p.schools.into_iter().map(Into::into).collect(),
            requests: p.requests.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
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

impl From<service::PlanningRun> for PlanningRun {
    fn from(r: service::PlanningRun) -> Self {
        PlanningRun {
            id: r.id,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            status: r.status,
            weeks: r.weeks,
            week0: r.week0,
            time_limit_seconds: r.time_limit_seconds,
            seed: r.seed,
            progress: r.progress.map(Into::into),
            error: r.error,
            based_on: r.based_on,
            created_at: r.created_at,
            finished_at: r.finished_at,
            accepted_at: r.accepted_at,
            proposal: r.proposal.map(Into::into),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AcceptOutcome {
    /// Requests approved: their placements are now `proposed`.
    pub approved: Vec<String>,
    pub waitlisted: Vec<String>,
    /// Requests not accepted, and why (each decision is all or nothing).
    pub failed: Vec<AcceptFailure>,
}

impl From<service::AcceptOutcome> for AcceptOutcome {
    fn from(o: service::AcceptOutcome) -> Self {
        AcceptOutcome {
            approved: o.approved,
            waitlisted: o.waitlisted,
            failed: o.failed.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AcceptFailure {
    pub request_id: String,
    #[schema(value_type = String)]
    pub code: ErrorCode,
    pub message: String,
}

impl From<service::AcceptFailure> for AcceptFailure {
    fn from(f: service::AcceptFailure) -> Self {
        AcceptFailure {
            request_id: f.request_id,
            code: f.code,
            message: f.message,
        }
    }
}
