//! A placement's shifts (issue 15 point 1): the weekly pattern unrolled over the period, and
//! the rules every added, moved or cancelled day passes. Pure: no SQL, no HTTP.
//!
//! - A shift's times are `HH:MM` in the office's time zone. `ends_at` earlier than `starts_at`
//!   is a night shift that ends the next morning; equal times are refused (`invalid_shift`),
//!   and no shift lasts more than 16 hours (`shift_too_long`).
//! - A regular shift lies inside the placement's period (`shift_outside_placement`); a make-up
//!   day lies inside it or within [`MAKE_UP_WINDOW_DAYS`] days after its last day
//!   (`make_up_outside_window`).
//! - Two shifts of one placement that are not cancelled never overlap in time
//!   (`shift_overlaps`, 409).
//! - A day that has passed is not moved, added or cancelled, except by the office, who
//!   corrects records (`shift_in_past`, 409).
use super::period::{Period, human_date};
use super::{ErrorCode, FieldError, Problems};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// How many days after a placement's last day a make-up day may still be scheduled.
pub const MAKE_UP_WINDOW_DAYS: i64 = 28;
/// The longest shift, in minutes.
pub const MAX_SHIFT_MINUTES: i64 = 16 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftKind {
    Regular,
    MakeUp,
}

impl ShiftKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftKind::Regular => "regular",
            ShiftKind::MakeUp => "make_up",
        }
    }

    pub fn parse(s: &str) -> Option<ShiftKind> {
        match s {
            "regular" => Some(ShiftKind::Regular),
            "make_up" => Some(ShiftKind::MakeUp),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ShiftKind::Regular => "regular",
            ShiftKind::MakeUp => "make-up day",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftStatus {
    Scheduled,
    Cancelled,
}

impl ShiftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftStatus::Scheduled => "scheduled",
            ShiftStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<ShiftStatus> {
        match s {
            "scheduled" => Some(ShiftStatus::Scheduled),
            "cancelled" => Some(ShiftStatus::Cancelled),
            _ => None,
        }
    }
}

/// `HH:MM`, 00:00 to 23:59.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    if s.len() != 5 {
        return None;
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// `mon` .. `sun`.
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// A shift's hours: valid by construction (they differ, and last at most 16 hours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftTimes {
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
}

impl ShiftTimes {
    pub fn new(starts_at: NaiveTime, ends_at: NaiveTime) -> Result<ShiftTimes, FieldError> {
        let t = ShiftTimes { starts_at, ends_at };
        if starts_at == ends_at {
            return Err(FieldError::at(
                "ends_at",
                ErrorCode::InvalidShift,
                "a shift ends at another time than it starts",
            ));
        }
        if t.minutes() > MAX_SHIFT_MINUTES {
            return Err(FieldError::at(
                "ends_at",
                ErrorCode::ShiftTooLong,
                format!(
                    "a shift lasts at most {} hours; {}–{} is {} hours {} minutes{}",
                    MAX_SHIFT_MINUTES / 60,
                    t.start_text(),
                    t.end_text(),
                    t.minutes() / 60,
                    t.minutes() % 60,
                    if t.is_overnight() {
                        " (an end before the start runs into the next day)"
                    } else {
                        ""
                    }
                ),
            ));
        }
        Ok(t)
    }

    /// From `HH:MM` text, each problem under its field.
    pub fn parse(starts_at: &str, ends_at: &str) -> Result<ShiftTimes, Problems> {
        let mut p = Problems::default();
        let a = parse_time(starts_at);
        let b = parse_time(ends_at);
        for (field, v) in [("starts_at", a), ("ends_at", b)] {
            if v.is_none() {
                p.add(field, ErrorCode::InvalidTime, "must be a time as HH:MM");
            }
        }
        match (a, b) {
            (Some(a), Some(b)) => ShiftTimes::new(a, b).map_err(|e| Problems(vec![e])),
            _ => Err(p),
        }
    }

    /// How long it lasts, in minutes.
    pub fn minutes(&self) -> i64 {
        let d = (self.ends_at - self.starts_at).num_minutes();
        if d <= 0 { d + 24 * 60 } else { d }
    }

    /// Ends the next day.
    pub fn is_overnight(&self) -> bool {
        self.ends_at <= self.starts_at
    }

    /// Start and end as local date-times when worked on `date`.
    pub fn on(&self, date: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let start = date.and_time(self.starts_at);
        (start, start + Duration::minutes(self.minutes()))
    }

    pub fn start_text(&self) -> String {
        self.starts_at.format("%H:%M").to_string()
    }

    pub fn end_text(&self) -> String {
        self.ends_at.format("%H:%M").to_string()
    }
}

/// One day of a weekly pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyShift {
    pub weekday: Weekday,
    pub times: ShiftTimes,
}

/// The request's weekly pattern unrolled over the period: one shift per matching day, in date
/// order (a weekday given twice gives two shifts that day, unless they overlap, when the later
/// one is left out).
pub fn generate(pattern: &[WeeklyShift], period: Period) -> Vec<(NaiveDate, ShiftTimes)> {
    let mut out: Vec<(NaiveDate, ShiftTimes)> = Vec::new();
    let mut d = period.starts_on;
    while d <= period.ends_on {
        for w in pattern.iter().filter(|w| w.weekday == d.weekday()) {
            if !out.iter().any(|(od, ot)| overlap(d, &w.times, *od, ot)) {
                out.push((d, w.times));
            }
        }
        d += Duration::days(1);
    }
    out
}

/// Whether two worked days overlap in time.
pub fn overlap(a_date: NaiveDate, a: &ShiftTimes, b_date: NaiveDate, b: &ShiftTimes) -> bool {
    let (a0, a1) = a.on(a_date);
    let (b0, b1) = b.on(b_date);
    a0 < b1 && b0 < a1
}

/// A shift as it would be after an add or a change.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    pub kind: ShiftKind,
    pub date: NaiveDate,
    pub times: ShiftTimes,
}

/// What the rules look at besides the candidate.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub period: Period,
    /// The placement's other shifts that are not cancelled (the one being changed left out).
    pub others: &'a [(NaiveDate, ShiftTimes)],
    pub today: NaiveDate,
    /// The office may change days that have passed (to correct the record); nobody else.
    pub may_change_past: bool,
    /// The day the shift had before a move (None when adding).
    pub was_on: Option<NaiveDate>,
}

/// Every rule a new or changed shift breaks, each under its field.
pub fn check(c: &Candidate, ctx: &Context) -> Problems {
    let mut p = Problems::default();
    match c.kind {
        ShiftKind::Regular if !ctx.period.contains(c.date) => p.add(
            "date",
            ErrorCode::ShiftOutsidePlacement,
            format!(
                "{} is outside the placement ({}); a day after it can be a make-up day",
                human_date(c.date),
                ctx.period.human()
            ),
        ),
        ShiftKind::MakeUp => {
            let last = ctx.period.ends_on + Duration::days(MAKE_UP_WINDOW_DAYS);
            if c.date < ctx.period.starts_on || c.date > last {
                p.add(
                    "date",
                    ErrorCode::MakeUpOutsideWindow,
                    format!(
                        "a make-up day falls between {} and {} (the placement, then {} days)",
                        human_date(ctx.period.starts_on),
                        human_date(last),
                        MAKE_UP_WINDOW_DAYS
                    ),
                );
            }
        }
        ShiftKind::Regular => {}
    }
    if !ctx.may_change_past {
        if c.date < ctx.today {
            p.add(
                "date",
                ErrorCode::ShiftInPast,
                format!(
                    "{} has passed; only the office changes days gone by",
                    human_date(c.date)
                ),
            );
        } else if let Some(was) = ctx.was_on.filter(|w| *w < ctx.today) {
            p.add(
                "date",
                ErrorCode::ShiftInPast,
                format!(
                    "the shift on {} has passed; only the office changes days gone by",
                    human_date(was)
                ),
            );
        }
    }
    if let Some((d, t)) = ctx
        .others
        .iter()
        .find(|(d, t)| overlap(c.date, &c.times, *d, t))
    {
        p.add(
            "date",
            ErrorCode::ShiftOverlaps,
            format!(
                "it overlaps the shift on {} from {} to {}",
                human_date(*d),
                t.start_text(),
                t.end_text()
            ),
        );
    }
    p
}

/// Cancelling a day: a reason is required, and (but for the office) the day has not passed.
pub fn check_cancel(
    date: NaiveDate,
    reason: Option<&str>,
    today: NaiveDate,
    may_change_past: bool,
) -> Problems {
    let mut p = Problems::default();
    if reason.is_none_or(|r| r.trim().is_empty()) {
        p.add(
            "reason",
            ErrorCode::ReasonRequired,
            "give a reason to cancel a day (a holiday, a closure, ...)",
        );
    }
    if !may_change_past && date < today {
        p.add(
            "date",
            ErrorCode::ShiftInPast,
            format!(
                "{} has passed; only the office changes days gone by",
                human_date(date)
            ),
        );
    }
    p
}

/// The Monday of `d`'s week.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// The first day of `d`'s month.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The weeks (Monday to Sunday) covering the month of `d`.
pub fn month_grid(d: NaiveDate) -> Vec<[NaiveDate; 7]> {
    let first = month_start(d);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let mut weeks = vec![];
    let mut w = week_start(first);
    while w < next {
        weeks.push(std::array::from_fn(|i| w + Duration::days(i as i64)));
        w += Duration::days(7);
    }
    weeks
}

#[cfg(test)]
mod tests;
