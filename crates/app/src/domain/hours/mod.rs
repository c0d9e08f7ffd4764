//! Attendance and hours (issue 15 point 4): the rules of a time entry, pure. A student logs a
//! day of a placement — hours worked (given, or derived from clock-in and clock-out), with the
//! activity — or an absence with its reason and, optionally, the day it will be made up. The
//! placement's supervisor approves or returns each entry; an approved entry is locked.
//!
//! The rules, each with its code:
//! - the placement is `active` (begun and not completed or cancelled): `placement_not_active`;
//! - the day is not after today: `date_in_future`;
//! - the day lies in the placement's period: `date_outside_placement` — except a worked day
//!   that one of the placement's absences names as its make-up day, which may also lie in the
//!   **make-up window**: the [`MAKE_UP_DAYS`] days after the placement's last day;
//! - an absence's make-up day is after the absence and no later than the end of the make-up
//!   window: `make_up_outside_window`;
//! - hours are more than 0 and at most 24: `hours_out_of_range`; clock-out is after clock-in
//!   on the same day: `clock_out_before_clock_in` (a night that crosses midnight is logged as
//!   hours); hours and a clock together: `hours_and_clock`;
//! - at most one entry per placement per day: `entry_exists`;
//! - an approved entry is locked — no edit, no delete, no second decision: `entry_locked`.
use super::ErrorCode;
use super::placement::Stored;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// How many days after a placement's last day a make-up day may fall.
pub const MAKE_UP_DAYS: i64 = 14;

/// How long an entry may wait for its supervisor before they are reminded (once).
pub const REMIND_AFTER_DAYS: i64 = 7;

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Worked,
    Absence,
}

impl EntryKind {
    pub fn parse(s: &str) -> Option<EntryKind> {
        match s {
            "worked" => Some(EntryKind::Worked),
            "absence" => Some(EntryKind::Absence),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Worked => "worked",
            EntryKind::Absence => "absence",
        }
    }
}

/// Where an entry stands with its supervisor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryStatus {
    Pending,
    Approved,
    Returned,
}

impl EntryStatus {
    pub fn parse(s: &str) -> Option<EntryStatus> {
        match s {
            "pending" => Some(EntryStatus::Pending),
            "approved" => Some(EntryStatus::Approved),
            "returned" => Some(EntryStatus::Returned),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Pending => "pending",
            EntryStatus::Approved => "approved",
            EntryStatus::Returned => "returned",
        }
    }

    /// The student may still change or delete it: not once approved.
    pub fn is_open(self) -> bool {
        self != EntryStatus::Approved
    }
}

/// A supervisor's decision on an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Return,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "approve" => Some(Decision::Approve),
            "return" => Some(Decision::Return),
            _ => None,
        }
    }

    pub fn outcome(self) -> EntryStatus {
        match self {
            Decision::Approve => EntryStatus::Approved,
            Decision::Return => EntryStatus::Returned,
        }
    }
}

/// A time of day as people write it, `HH:MM` (24-hour).
pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    if s.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// Hours as typed (`7.5`) in whole minutes, if more than 0 and at most 24.
pub fn minutes_of_hours(hours: f64) -> Result<i64, ErrorCode> {
    if !hours.is_finite() || hours <= 0.0 || hours > 24.0 {
        return Err(ErrorCode::HoursOutOfRange);
    }
    let minutes = (hours * 60.0).round() as i64;
    if minutes < 1 {
        return Err(ErrorCode::HoursOutOfRange);
    }
    Ok(minutes)
}

/// The minutes from clock-in to clock-out on one day; clock-out must be later.
pub fn minutes_between(clock_in: NaiveTime, clock_out: NaiveTime) -> Result<i64, ErrorCode> {
    let m = (clock_out - clock_in).num_minutes();
    if m <= 0 {
        Err(ErrorCode::ClockOutBeforeClockIn)
    } else {
        Ok(m)
    }
}

/// Minutes as hours for people and the API: 450 → 7.5 (two decimals at most).
pub fn hours_of(minutes: i64) -> f64 {
    (minutes as f64 / 60.0 * 100.0).round() / 100.0
}

/// "7.5" / "8" / "0.25": hours written for a page or a CSV.
pub fn hours_text(minutes: i64) -> String {
    let h = hours_of(minutes);
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        let s = format!("{h:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// The placement as the rules need it.
#[derive(Clone, Copy, Debug)]
pub struct PlacementWindow {
    pub status: Stored,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl PlacementWindow {
    /// The last day a make-up day may fall on.
    pub fn make_up_until(&self) -> NaiveDate {
        self.ends_on + Duration::days(MAKE_UP_DAYS)
    }
}

/// One entry as it would be stored, for the rules over several fields.
#[derive(Clone, Debug)]
pub struct EntryFacts {
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub make_up_on: Option<NaiveDate>,
}

/// The rules over the entry and its placement (the fields' own forms are checked where they
/// are read): every failure, with the field it concerns. `make_up_days` are the make-up days
/// the placement's other absences name.
pub fn check_entry(
    entry: &EntryFacts,
    placement: &PlacementWindow,
    today: NaiveDate,
    make_up_days: &[NaiveDate],
) -> Vec<(&'static str, ErrorCode, String)> {
    let mut out = vec![];
    if placement.status != Stored::Active {
        out.push((
            "placement",
            ErrorCode::PlacementNotActive,
            match placement.status {
                Stored::Completed => "the placement is completed; its hours can no longer change",
                Stored::Cancelled => "the placement is cancelled",
                _ => "the placement has not started yet: hours are logged once it is active",
            }
            .to_string(),
        ));
    }
    if entry.date > today {
        out.push((
            "date",
            ErrorCode::DateInFuture,
            format!(
                "{} is in the future: log a day once it has happened",
                super::period::human_date(entry.date)
            ),
        ));
    }
    let in_period = entry.date >= placement.starts_on && entry.date <= placement.ends_on;
    let a_make_up_day = entry.kind == EntryKind::Worked
        && make_up_days.contains(&entry.date)
        && entry.date > placement.ends_on
        && entry.date <= placement.make_up_until();
    if !in_period && !a_make_up_day {
        out.push((
            "date",
            ErrorCode::DateOutsidePlacement,
            format!(
                "{} is not a day of this placement ({} to {})",
                super::period::human_date(entry.date),
                super::period::human_date(placement.starts_on),
                super::period::human_date(placement.ends_on)
            ),
        ));
    }
    if let Some(m) = entry.make_up_on
        && (m <= entry.date || m > placement.make_up_until())
    {
        out.push((
            "make_up_on",
            ErrorCode::MakeUpOutsideWindow,
            format!(
                "a make-up day falls after the absence and no later than {}",
                super::period::human_date(placement.make_up_until())
            ),
        ));
    }
    out
}

/// Whether the student may still change or delete an entry: 409 `entry_locked` once approved.
pub fn may_change(status: EntryStatus) -> Result<(), ErrorCode> {
    if status.is_open() {
        Ok(())
    } else {
        Err(ErrorCode::EntryLocked)
    }
}

/// A decision on an entry: the new status, or why not. Returning needs a note to the student.
pub fn decide(
    status: EntryStatus,
    decision: Decision,
    has_note: bool,
) -> Result<EntryStatus, ErrorCode> {
    may_change(status)?;
    if decision == Decision::Return && !has_note {
        return Err(ErrorCode::ReasonRequired);
    }
    Ok(decision.outcome())
}

/// The hours a placement requires, in minutes: the request's hours per week over the
/// placement's weeks (its days, both ends included, over 7), to the minute.
pub fn required_minutes(hours_per_week: i64, starts_on: NaiveDate, ends_on: NaiveDate) -> i64 {
    let days = (ends_on - starts_on).num_days() + 1;
    if days <= 0 || hours_per_week <= 0 {
        return 0;
    }
    (hours_per_week * 60 * days + 3) / 7
}

/// Approved, pending and returned hours against what is required.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub required_minutes: i64,
    pub approved_minutes: i64,
    pub pending_minutes: i64,
    pub returned_minutes: i64,
    pub absences: i64,
    pub entries: i64,
}

impl Totals {
    /// Sums `(status, kind, minutes)` of every entry.
    pub fn of(required_minutes: i64, entries: &[(EntryStatus, EntryKind, i64)]) -> Totals {
        let mut t = Totals {
            required_minutes,
            ..Default::default()
        };
        for (status, kind, minutes) in entries {
            t.entries += 1;
            if *kind == EntryKind::Absence {
                t.absences += 1;
            }
            match status {
                EntryStatus::Approved => t.approved_minutes += minutes,
                EntryStatus::Pending => t.pending_minutes += minutes,
                EntryStatus::Returned => t.returned_minutes += minutes,
            }
        }
        t
    }

    /// Approved hours as a whole percentage of the required ones (0–100; 0 when none are).
    pub fn percent_approved(&self) -> i64 {
        if self.required_minutes <= 0 {
            return 0;
        }
        (self.approved_minutes * 100 / self.required_minutes).clamp(0, 100)
    }
}

/// Whether an entry pending since `submitted_at` is due its reminder to the supervisor.
pub fn reminder_due(submitted_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - submitted_at >= Duration::days(REMIND_AFTER_DAYS)
}

#[cfg(test)]
mod tests;
