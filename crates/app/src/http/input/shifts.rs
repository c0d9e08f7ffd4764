//! A placement's shifts (`/api/v1/placements/{id}/shifts`), read into the typed inputs of
//! `service::schedules`, every field problem at once. The pages' forms use the same readers.
use crate::domain::ErrorCode;
use crate::domain::schedule::{ShiftKind, ShiftStatus, parse_time};
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::Parsed;
use crate::service::schedules::{NewShift, ShiftChange};
use chrono::NaiveTime;
use serde_json::{Map, Value};

type R<T> = Result<T, (ErrorCode, String)>;

fn time(v: &Value) -> R<NaiveTime> {
    v.as_str()
        .and_then(parse_time)
        .ok_or((ErrorCode::InvalidTime, "must be a time as HH:MM".into()))
}

fn kind(v: &Value) -> R<ShiftKind> {
    v.as_str().and_then(ShiftKind::parse).ok_or((
        ErrorCode::InvalidChoice,
        "must be one of: regular, make_up".into(),
    ))
}

fn status(v: &Value) -> R<ShiftStatus> {
    v.as_str().and_then(ShiftStatus::parse).ok_or((
        ErrorCode::InvalidChoice,
        "must be one of: scheduled, cancelled".into(),
    ))
}

body! {
    pub struct NewShiftInput {
        /// YYYY-MM-DD
        date: String,
        /// HH:MM, the office's time zone
        starts_at: String,
        /// HH:MM; earlier than starts_at runs into the next day
        ends_at: String,
        /// make_up (the default: inside the period or up to 28 days after it) or regular
        kind: Option<String>,
        /// Defaults to the placement's department.
        department_id: Option<String>,
        /// A staff member (preceptor or site mentor); defaults to the placement's.
        supervisor_id: Option<String>,
    }
}

/// `{ date, starts_at, ends_at, kind?, department_id?, supervisor_id? }`.
pub fn new_shift(body: Map<String, Value>) -> Parsed<NewShift> {
    let (mut i, b) = Input::read::<NewShiftInput>(body);
    let date = i.req(&b.date, None, &parse::date);
    let starts_at = i.req(&b.starts_at, None, &time);
    let ends_at = i.req(&b.ends_at, None, &time);
    let kind = i.opt(&b.kind, None, &kind);
    let department_id = i.opt(&b.department_id, None, &parse::id);
    let supervisor_id = i.opt(&b.supervisor_id, None, &parse::id);
    i.into_parsed(NewShift {
        date,
        starts_at,
        ends_at,
        kind: kind.flatten(),
        department_id: department_id.flatten(),
        supervisor_id: supervisor_id.flatten(),
    })
}

body! {
    pub struct ShiftChangeInput {
        /// Move the day: YYYY-MM-DD
        date: Option<String>,
        starts_at: Option<String>,
        ends_at: Option<String>,
        department_id: Option<String>,
        supervisor_id: Option<String>,
        /// cancelled (with a reason) or scheduled (put a cancelled day back)
        status: Option<String>,
        /// Why the day is cancelled (a holiday, a closure): required to cancel.
        reason: Option<String>,
    }
}

/// Every field optional; one left out keeps its value.
pub fn shift_change(body: Map<String, Value>) -> Parsed<ShiftChange> {
    let (mut i, b) = Input::read::<ShiftChangeInput>(body);
    let date = i.opt(&b.date, None, &parse::date);
    let starts_at = i.opt(&b.starts_at, None, &time);
    let ends_at = i.opt(&b.ends_at, None, &time);
    let department_id = i.opt(&b.department_id, None, &parse::id);
    let supervisor_id = i.opt(&b.supervisor_id, None, &parse::id);
    let status = i.opt(&b.status, None, &status);
    let reason = i.opt(&b.reason, None, &parse::text);
    i.into_parsed(ShiftChange {
        date: date.flatten(),
        starts_at: starts_at.flatten(),
        ends_at: ends_at.flatten(),
        department_id: department_id.flatten(),
        supervisor_id: supervisor_id.flatten(),
        status: status.flatten(),
        reason: reason.flatten(),
    })
}
