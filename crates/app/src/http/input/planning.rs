//! Term planning inputs (`POST /api/v1/planning-runs` and its `accept`).
use crate::domain::ErrorCode;
use crate::domain::planning::Exclusion;
use crate::error::AppResult;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::planning::{
    AcceptRun, DEFAULT_TIME_LIMIT_SECONDS, MAX_TIME_LIMIT_SECONDS, StartRun,
};
use chrono::NaiveDate;
use practicum_engine::Assignment;
use serde::Deserialize;
use serde_json::{Map, Value};

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

body! {
    /// The input of `POST /api/v1/planning-runs`.
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
}

/// `{ starts_on, ends_on, request_ids?, time_limit_seconds?, seed?, max_iterations?,
/// based_on?, pins?, exclude? }`, every field problem at once.
pub fn start_run(body: Map<String, Value>) -> AppResult<StartRun> {
    let (mut i, b) = Input::read::<StartInput>(body);
    let starts_on = i.req(&b.starts_on, None, &parse::date);
    let ends_on = i.req(&b.ends_on, None, &parse::date);
    let request_ids = i.opt(&b.request_ids, None, &ids).flatten();
    let time_limit = i
        .opt(&b.time_limit_seconds, None, &number)
        .flatten()
        .unwrap_or(DEFAULT_TIME_LIMIT_SECONDS);
    let seed = i
        .opt(&b.seed, None, &parse::non_negative)
        .flatten()
        .unwrap_or(1);
    let max_iterations = i.opt(&b.max_iterations, None, &parse::positive).flatten();
    let based_on = i.opt(&b.based_on, None, &parse::id).flatten();
    let pins: Vec<Assignment> = i
        .opt(
            &b.pins,
            None,
            &list_of("assignments { request, department, preceptor?, start }"),
        )
        .flatten()
        .unwrap_or_default();
    let exclusions: Vec<Exclusion> = i
        .opt(
            &b.exclude,
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
    match (starts_on, ends_on) {
        (Some(starts_on), Some(ends_on)) => Ok(StartRun {
            starts_on,
            ends_on,
            request_ids,
            time_limit_seconds: time_limit,
            seed,
            max_iterations,
            based_on,
            pins,
            exclusions,
        }),
        _ => Err(crate::error::AppError::BadRequest("unreadable term".into())),
    }
}

body! {
    /// The input of `POST /api/v1/planning-runs/{id}/accept`.
    pub struct AcceptInput {
        /// Which requests to accept; default every request the proposal places in full.
        request_ids: Option<Vec<String>>,
        /// Also waitlist the requests the plan could not place, with the reason.
        waitlist_unplaced: Option<bool>,
    }
}

/// `{ request_ids?, waitlist_unplaced? }`.
pub fn accept_run(body: Map<String, Value>) -> AppResult<AcceptRun> {
    let (mut i, b) = Input::read::<AcceptInput>(body);
    let request_ids = i.opt(&b.request_ids, None, &ids).flatten();
    let waitlist_unplaced = i
        .opt(&b.waitlist_unplaced, None, &parse::boolean)
        .flatten()
        .unwrap_or(false);
    i.finish()?;
    Ok(AcceptRun {
        request_ids,
        waitlist_unplaced,
    })
}
