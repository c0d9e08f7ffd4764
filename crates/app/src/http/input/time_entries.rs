//! A time entry's body (create and `PATCH`) and a batch decision, read into the service's
//! typed inputs with every field problem at once. The page's forms are read by the same
//! functions.
use crate::domain::ErrorCode;
use crate::domain::hours::{self, Decision, EntryKind};
use crate::error::AppResult;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::Parsed;
use crate::service::time_entries::{BatchDecision, EntryFields};
use serde_json::{Map, Value};

body! {
    /// A day of a placement, or an absence. Give `hours`, or `clock_in` and `clock_out`.
    pub struct TimeEntryInput {
        /// The day (YYYY-MM-DD): in the placement's period, not in the future.
        date: String,
        /// `worked` (the default) or `absence`.
        kind: Option<String>,
        /// Hours worked, more than 0 and at most 24 (e.g. 7.5); or give a clock.
        hours: Option<f64>,
        /// `HH:MM`, 24-hour.
        clock_in: Option<String>,
        /// `HH:MM`, later than `clock_in` on the same day.
        clock_out: Option<String>,
        /// What the student did (required for a worked day).
        activity: Option<String>,
        notes: Option<String>,
        /// Why the student was absent (required for an absence).
        absence_reason: Option<String>,
        /// For an absence: the day it will be made up (after it, at most 14 days after the
        /// placement's last day).
        make_up_on: Option<String>,
    }
}

body! {
    /// Approve or return time entries, all or none.
    pub struct DecisionInput {
        /// The entries' ids (1 to 500).
        ids: Vec<String>,
        /// `approve` or `return`.
        decision: String,
        /// To the student; required to return.
        note: Option<String>,
    }
}

type R<T> = Result<T, (ErrorCode, String)>;

fn hours_value(v: &Value) -> R<i64> {
    let h = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .ok_or((
        ErrorCode::InvalidNumber,
        "must be a number of hours, such as 7.5".to_string(),
    ))?;
    hours::minutes_of_hours(h).map_err(|c| (c, "must be more than 0 and at most 24".to_string()))
}

fn clock(v: &Value) -> R<chrono::NaiveTime> {
    match v {
        Value::String(s) => hours::parse_clock(s).ok_or((
            ErrorCode::InvalidTime,
            format!("{s:?} is not a time of day (HH:MM, 24-hour)"),
        )),
        _ => Err((
            ErrorCode::InvalidTime,
            "must be a time of day (HH:MM, 24-hour)".into(),
        )),
    }
}

fn kind(v: &Value) -> R<EntryKind> {
    v.as_str().map(str::trim).and_then(EntryKind::parse).ok_or((
        ErrorCode::InvalidChoice,
        "must be one of: worked, absence".into(),
    ))
}

/// A new entry (`creating`) or the changes to one.
pub fn entry(body: Map<String, Value>, creating: bool) -> Parsed<EntryFields> {
    let (mut i, b) = Input::read::<TimeEntryInput>(body);
    let fields = EntryFields {
        date: i.field(&b.date, creating, &parse::date),
        kind: i.field(&b.kind, false, &kind),
        hours: i.optional(&b.hours, &hours_value),
        clock_in: i.optional(&b.clock_in, &clock),
        clock_out: i.optional(&b.clock_out, &clock),
        activity: i.optional(&b.activity, &parse::text),
        notes: i.optional(&b.notes, &parse::text),
        absence_reason: i.optional(&b.absence_reason, &parse::text),
        make_up_on: i.optional(&b.make_up_on, &parse::date),
    };
    i.into_parsed(fields)
}

fn ids(v: &Value) -> R<Vec<String>> {
    let Value::Array(items) = v else {
        return Err((ErrorCode::InvalidType, "must be a list of ids".into()));
    };
    if items.is_empty() {
        return Err((ErrorCode::Required, "name at least one entry".into()));
    }
    if items.len() > 500 {
        return Err((ErrorCode::OutOfRange, "at most 500 entries at once".into()));
    }
    items.iter().map(parse::id).collect()
}

fn decision(v: &Value) -> R<Decision> {
    v.as_str().map(str::trim).and_then(Decision::parse).ok_or((
        ErrorCode::InvalidChoice,
        "must be one of: approve, return".into(),
    ))
}

/// `{ ids, decision, note? }`.
pub fn batch(body: Map<String, Value>) -> AppResult<Parsed<BatchDecision>> {
    let (mut i, b) = Input::read::<DecisionInput>(body);
    let fields = BatchDecision {
        ids: i.req(&b.ids, None, &ids).unwrap_or_default(),
        decision: i.req(&b.decision, None, &decision),
        note: i.opt(&b.note, None, &parse::text).flatten(),
    };
    Ok(i.into_parsed(fields))
}
