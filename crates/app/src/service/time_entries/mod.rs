//! Attendance and hours (issue 15 point 4): the student logs, changes and deletes their own
//! entries while a placement is active; the placement's preceptor or faculty member (or the
//! office) approves or returns them, one or many at once; approved entries are locked. Every
//! party of the placement reads the entries and their totals. The rules are in
//! `domain/hours.rs`. Here: the inputs and the helpers every part shares; the student's own
//! entries are in `log`, the supervisor's decisions in `review`, the reads in `read`, and an
//! entry's shape rules in `draft`.
use super::principal::ensure;
use super::{Parsed, Principal};
use crate::db::{
    self, Page, Paged, Scope, Tx, placements::PlacementRow, time_entries::TimeEntryRow,
};
use crate::domain::{
    ErrorCode, Problems, Role,
    hours::{self, Decision, EntryFacts, EntryKind, EntryStatus, PlacementWindow, Totals},
    placement::Stored,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{NaiveDate, NaiveTime};

mod draft;
mod log;
mod read;
mod review;
use draft::{Draft, clock_text};
pub use log::{delete_entry, log_entry, update_entry};
pub use read::{count, days_logged, entries_of, hours_of, list, list_narrowed, totals};
pub use review::decide_entries;

/// The fields of an entry as the edge read them. On create an absent field is `None`; on
/// update `None` keeps the stored value, `Some(None)` clears it. A field the edge could not
/// read is `None`, and its problem is in `Parsed::problems`.
#[derive(Clone, Debug, Default)]
pub struct EntryFields {
    pub date: Option<NaiveDate>,
    pub kind: Option<EntryKind>,
    /// Hours given, in minutes (more than 0, at most 24 hours: checked at the edge).
    pub hours: Option<Option<i64>>,
    pub clock_in: Option<Option<NaiveTime>>,
    pub clock_out: Option<Option<NaiveTime>>,
    pub activity: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub absence_reason: Option<Option<String>>,
    pub make_up_on: Option<Option<NaiveDate>>,
}

/// A decision on several entries at once: all or nothing.
#[derive(Clone, Debug, Default)]
pub struct BatchDecision {
    pub ids: Vec<String>,
    pub decision: Option<Decision>,
    pub note: Option<String>,
}

/// A placement's hours: what it requires and where its entries stand.
#[derive(Clone, Debug)]
pub struct PlacementHours {
    pub placement_id: String,
    pub hours_per_week: i64,
    pub totals: Totals,
}

fn window(row: &PlacementRow) -> AppResult<PlacementWindow> {
    Ok(PlacementWindow {
        status: Stored::parse(&row.status)
            .ok_or_else(|| anyhow::anyhow!("unknown placement status {:?}", row.status))?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    })
}

/// The placement, if the caller sees it (404 otherwise).
async fn placement_in_scope(tx: &mut Tx, scope: &Scope, id: &str) -> AppResult<PlacementRow> {
    let row = db::placements::get(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_placement(&row.parties()))?;
    Ok(row)
}

fn hours_day(d: NaiveDate) -> String {
    crate::domain::period::human_date(d)
}
