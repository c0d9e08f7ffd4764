//! Which lapse reminder is due (issue 17 point 4): affiliation agreements at 90, 60 and 30
//! days before they expire, a program's accreditation ending within 90 days, and a preceptor's
//! licence ending before a placement they supervise ends. Pure: the sweep
//! (`jobs::reminders`) asks these rules and claims each answer once in `notices_sent`.
use chrono::NaiveDate;

/// Days before an agreement's `expires_on` at which the office and the school are told,
/// largest first.
pub const AGREEMENT_THRESHOLDS: [i64; 3] = [90, 60, 30];

/// Days before `programs.accredited_until` at which the office and the school are told.
pub const ACCREDITATION_DAYS: i64 = 90;

/// The agreement threshold (in days: 90, 60 or 30) due on `today` for an agreement expiring on
/// `expires_on`: the smallest threshold that the days left have reached. `None` before 90
/// days and once expired (`expires_on` before `today`).
///
/// Each threshold is claimed once, so a sweep that first runs at 45 days sends the 60-day
/// reminder only (not the 90-day one it missed as well), and the 30-day one when 30 days are
/// left.
pub fn agreement_threshold(expires_on: NaiveDate, today: NaiveDate) -> Option<i64> {
    let left = (expires_on - today).num_days();
    if left < 0 {
        return None;
    }
    AGREEMENT_THRESHOLDS
        .iter()
        .rev()
        .copied()
        .find(|t| left <= *t)
}

/// Whether an accreditation ending on `until` is due its reminder on `today`: it ends within
/// 90 days (today included) and has not ended yet.
pub fn accreditation_ending(until: NaiveDate, today: NaiveDate) -> bool {
    (0..=ACCREDITATION_DAYS).contains(&(until - today).num_days())
}

/// Whether a preceptor's licence, valid through `licence_expires_on`, ends before the
/// placement they supervise ends (`placement_ends_on`). No expiry on file: no reminder.
pub fn licence_ends_first(
    licence_expires_on: Option<NaiveDate>,
    placement_ends_on: NaiveDate,
) -> bool {
    licence_expires_on.is_some_and(|l| l < placement_ends_on)
}

/// Days from `today` to `day`, in words: "in 45 days", "tomorrow", "today".
pub fn days_left_words(day: NaiveDate, today: NaiveDate) -> String {
    match (day - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n if n < 0 => format!("{} days ago", -n),
        n => format!("in {n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn an_agreement_is_due_at_90_60_and_30_days() {
        let today = d("2027-01-04");
        let at = |days: i64| agreement_threshold(today + chrono::Duration::days(days), today);
        assert_eq!(at(120), None);
        assert_eq!(at(91), None);
        assert_eq!(at(90), Some(90));
        assert_eq!(at(61), Some(90));
        assert_eq!(at(60), Some(60));
        assert_eq!(at(45), Some(60));
        assert_eq!(at(31), Some(60));
        assert_eq!(at(30), Some(30));
        assert_eq!(at(1), Some(30));
        assert_eq!(at(0), Some(30));
        assert_eq!(at(-1), None);
    }

    #[test]
    fn an_accreditation_is_due_within_90_days() {
        let today = d("2027-01-04");
        assert!(!accreditation_ending(d("2027-04-05"), today)); // 91 days
        assert!(accreditation_ending(d("2027-04-04"), today)); // 90 days
        assert!(accreditation_ending(today, today));
        assert!(!accreditation_ending(d("2027-01-03"), today));
    }

    #[test]
    fn a_licence_is_due_when_it_ends_before_the_placement() {
        let ends = d("2027-04-30");
        assert!(licence_ends_first(Some(d("2027-04-29")), ends));
        assert!(!licence_ends_first(Some(ends), ends));
        assert!(!licence_ends_first(Some(d("2028-01-01")), ends));
        assert!(!licence_ends_first(None, ends));
    }

    #[test]
    fn days_left_read_as_words() {
        let today = d("2027-01-04");
        assert_eq!(days_left_words(today, today), "today");
        assert_eq!(days_left_words(d("2027-01-05"), today), "tomorrow");
        assert_eq!(days_left_words(d("2027-02-18"), today), "in 45 days");
    }
}
