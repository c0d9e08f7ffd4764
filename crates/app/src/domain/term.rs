//! The office's "this term" (issue 17): the academic term today falls in, by the calendar.
//!
//! DOMAIN.md and ALLOCATION.md know a term only as a date range a planning run is given, so
//! the dashboard uses the usual US academic calendar: spring 1 January – 31 May, summer
//! 1 June – 31 August, fall 1 September – 31 December. A placement is "this term's" when its
//! period overlaps the term (it starts on or before the last day and ends on or after the
//! first), the same test the placements list's `from`/`to` filter applies.
use chrono::{Datelike, NaiveDate};

/// One academic term: its name ("Spring 2027") and its first and last days (inclusive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Term {
    /// The term `day` falls in. Every day falls in exactly one term.
    pub fn containing(day: NaiveDate) -> Term {
        let y = day.year();
        let (name, (m1, d1), (m2, d2)) = match day.month() {
            1..=5 => ("Spring", (1, 1), (5, 31)),
            6..=8 => ("Summer", (6, 1), (8, 31)),
            _ => ("Fall", (9, 1), (12, 31)),
        };
        // Every (month, day) above exists in every year, so these never fall back.
        let starts_on = NaiveDate::from_ymd_opt(y, m1, d1).unwrap_or(day);
        let ends_on = NaiveDate::from_ymd_opt(y, m2, d2).unwrap_or(day);
        Term {
            name: format!("{name} {y}"),
            starts_on,
            ends_on,
        }
    }

    /// "Spring 2027 (Fri 1 Jan 2027 to Mon 31 May 2027)".
    pub fn words(&self) -> String {
        format!(
            "{} ({} to {})",
            self.name,
            super::period::human_date(self.starts_on),
            super::period::human_date(self.ends_on)
        )
    }
}

/// "6 days", "1 day", "today": how long something has waited, in words.
pub fn waited_words(days: i64) -> String {
    match days {
        i64::MIN..=0 => "since today".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_day_falls_in_its_calendar_term() {
        let spring = Term::containing(d(2027, 1, 4));
        assert_eq!(spring.name, "Spring 2027");
        assert_eq!(
            (spring.starts_on, spring.ends_on),
            (d(2027, 1, 1), d(2027, 5, 31))
        );
        assert_eq!(Term::containing(d(2027, 5, 31)).name, "Spring 2027");
        assert_eq!(Term::containing(d(2027, 6, 1)).name, "Summer 2027");
        assert_eq!(Term::containing(d(2027, 8, 31)).ends_on, d(2027, 8, 31));
        let fall = Term::containing(d(2026, 11, 30));
        assert_eq!(
            (fall.starts_on, fall.ends_on),
            (d(2026, 9, 1), d(2026, 12, 31))
        );
        assert_eq!(
            spring.words(),
            "Spring 2027 (Fri 1 Jan 2027 to Mon 31 May 2027)"
        );
    }

    #[test]
    fn waiting_reads_in_days() {
        assert_eq!(waited_words(0), "since today");
        assert_eq!(waited_words(1), "1 day");
        assert_eq!(waited_words(6), "6 days");
    }
}
