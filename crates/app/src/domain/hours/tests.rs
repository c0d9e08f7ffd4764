//! The hours rules' unit tests.
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap_or_default()
}

fn window(status: Stored) -> PlacementWindow {
    PlacementWindow {
        status,
        starts_on: d("2027-02-01"),
        ends_on: d("2027-03-31"),
    }
}

fn worked(date: &str) -> EntryFacts {
    EntryFacts {
        date: d(date),
        kind: EntryKind::Worked,
        make_up_on: None,
    }
}

fn codes(v: &[(&'static str, ErrorCode, String)]) -> Vec<(&'static str, ErrorCode)> {
    v.iter().map(|(f, c, _)| (*f, *c)).collect()
}

#[test]
fn a_day_of_an_active_placement_up_to_today_is_fine() {
    let w = window(Stored::Active);
    assert!(check_entry(&worked("2027-02-01"), &w, d("2027-02-10"), &[]).is_empty());
    assert!(check_entry(&worked("2027-02-10"), &w, d("2027-02-10"), &[]).is_empty());
}

#[test]
fn the_future_outside_the_period_and_a_placement_not_active_all_at_once() {
    let w = window(Stored::Confirmed);
    let got = check_entry(&worked("2027-04-05"), &w, d("2027-02-10"), &[]);
    assert_eq!(
        codes(&got),
        [
            ("placement", ErrorCode::PlacementNotActive),
            ("date", ErrorCode::DateInFuture),
            ("date", ErrorCode::DateOutsidePlacement),
        ]
    );
    for s in [Stored::Proposed, Stored::Completed, Stored::Cancelled] {
        let got = check_entry(&worked("2027-02-01"), &window(s), d("2027-02-10"), &[]);
        assert_eq!(codes(&got), [("placement", ErrorCode::PlacementNotActive)]);
    }
    let before = check_entry(
        &worked("2027-01-31"),
        &window(Stored::Active),
        d("2027-02-10"),
        &[],
    );
    assert_eq!(codes(&before), [("date", ErrorCode::DateOutsidePlacement)]);
}

#[test]
fn a_make_up_day_may_fall_in_the_window_after_the_last_day() {
    let w = window(Stored::Active);
    let today = d("2027-05-01");
    let day = d("2027-04-09");
    assert!(check_entry(&worked("2027-04-09"), &w, today, &[day]).is_empty());
    // Not a make-up day: outside.
    assert_eq!(
        codes(&check_entry(&worked("2027-04-09"), &w, today, &[])),
        [("date", ErrorCode::DateOutsidePlacement)]
    );
    // Past the window (14 days after 31 March is 14 April).
    let late = d("2027-04-15");
    assert_eq!(
        codes(&check_entry(&worked("2027-04-15"), &w, today, &[late])),
        [("date", ErrorCode::DateOutsidePlacement)]
    );
    assert_eq!(w.make_up_until(), d("2027-04-14"));
    // An absence is never on a make-up day outside the period.
    let absence = EntryFacts {
        kind: EntryKind::Absence,
        ..worked("2027-04-09")
    };
    assert_eq!(
        codes(&check_entry(&absence, &w, today, &[day])),
        [("date", ErrorCode::DateOutsidePlacement)]
    );
}

#[test]
fn an_absence_is_made_up_later_and_within_the_window() {
    let w = window(Stored::Active);
    let today = d("2027-03-10");
    let absence = |m: &str| EntryFacts {
        date: d("2027-03-08"),
        kind: EntryKind::Absence,
        make_up_on: Some(d(m)),
    };
    assert!(check_entry(&absence("2027-03-20"), &w, today, &[]).is_empty());
    assert!(check_entry(&absence("2027-04-14"), &w, today, &[]).is_empty());
    for bad in ["2027-03-08", "2027-03-01", "2027-04-15"] {
        assert_eq!(
            codes(&check_entry(&absence(bad), &w, today, &[])),
            [("make_up_on", ErrorCode::MakeUpOutsideWindow)],
            "{bad}"
        );
    }
}

#[test]
fn hours_are_more_than_nothing_and_at_most_a_day() {
    assert_eq!(minutes_of_hours(7.5), Ok(450));
    assert_eq!(minutes_of_hours(24.0), Ok(1440));
    assert_eq!(minutes_of_hours(0.25), Ok(15));
    for bad in [0.0, -1.0, 24.01, 25.0, f64::NAN, f64::INFINITY, 0.001] {
        assert_eq!(
            minutes_of_hours(bad),
            Err(ErrorCode::HoursOutOfRange),
            "{bad}"
        );
    }
}

#[test]
fn clock_out_comes_after_clock_in() {
    let t = |s: &str| parse_clock(s).unwrap_or_default();
    assert_eq!(minutes_between(t("07:00"), t("15:30")), Ok(510));
    assert_eq!(
        minutes_between(t("15:30"), t("07:00")),
        Err(ErrorCode::ClockOutBeforeClockIn)
    );
    assert_eq!(
        minutes_between(t("07:00"), t("07:00")),
        Err(ErrorCode::ClockOutBeforeClockIn)
    );
    assert_eq!(parse_clock("7:00"), None);
    assert_eq!(parse_clock("24:00"), None);
    assert_eq!(parse_clock("07:60"), None);
    assert!(parse_clock(" 23:59 ").is_some());
}

#[test]
fn hours_read_as_people_write_them() {
    assert_eq!(hours_of(450), 7.5);
    assert_eq!(hours_text(450), "7.5");
    assert_eq!(hours_text(480), "8");
    assert_eq!(hours_text(15), "0.25");
    assert_eq!(hours_text(0), "0");
}

#[test]
fn approved_entries_are_locked_and_a_return_needs_a_note() {
    use EntryStatus::*;
    assert_eq!(may_change(Pending), Ok(()));
    assert_eq!(may_change(Returned), Ok(()));
    assert_eq!(may_change(Approved), Err(ErrorCode::EntryLocked));
    assert_eq!(decide(Pending, Decision::Approve, false), Ok(Approved));
    assert_eq!(decide(Returned, Decision::Approve, true), Ok(Approved));
    assert_eq!(decide(Pending, Decision::Return, true), Ok(Returned));
    assert_eq!(
        decide(Pending, Decision::Return, false),
        Err(ErrorCode::ReasonRequired)
    );
    assert_eq!(
        decide(Approved, Decision::Approve, true),
        Err(ErrorCode::EntryLocked)
    );
    assert_eq!(
        decide(Approved, Decision::Return, true),
        Err(ErrorCode::EntryLocked)
    );
}

#[test]
fn required_hours_are_the_weekly_hours_over_the_weeks() {
    // 8 weeks exactly (56 days) at 32 hours: 256 hours.
    assert_eq!(
        required_minutes(32, d("2027-02-01"), d("2027-03-28")),
        256 * 60
    );
    // 59 days: 32 * 59 / 7 = 269.71 hours, to the minute.
    assert_eq!(
        required_minutes(32, d("2027-02-01"), d("2027-03-31")),
        16183
    );
    assert_eq!(required_minutes(0, d("2027-02-01"), d("2027-03-31")), 0);
    assert_eq!(required_minutes(32, d("2027-03-31"), d("2027-02-01")), 0);
}

#[test]
fn totals_add_up_by_status() {
    use EntryKind::*;
    use EntryStatus::*;
    let t = Totals::of(
        600,
        &[
            (Approved, Worked, 240),
            (Approved, Worked, 60),
            (Pending, Worked, 120),
            (Returned, Worked, 30),
            (Pending, Absence, 0),
        ],
    );
    assert_eq!(t.approved_minutes, 300);
    assert_eq!(t.pending_minutes, 120);
    assert_eq!(t.returned_minutes, 30);
    assert_eq!(t.absences, 1);
    assert_eq!(t.entries, 5);
    assert_eq!(t.percent_approved(), 50);
    assert_eq!(Totals::of(0, &[]).percent_approved(), 0);
    assert_eq!(
        Totals::of(10, &[(Approved, Worked, 20)]).percent_approved(),
        100
    );
}

#[test]
fn a_reminder_is_due_after_seven_days_waiting() {
    let at = DateTime::parse_from_rfc3339("2027-02-01T09:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    assert!(!reminder_due(
        at,
        at + Duration::days(7) - Duration::seconds(1)
    ));
    assert!(reminder_due(at, at + Duration::days(7)));
}

#[test]
fn words_read_back() {
    for k in [EntryKind::Worked, EntryKind::Absence] {
        assert_eq!(EntryKind::parse(k.as_str()), Some(k));
    }
    for s in [
        EntryStatus::Pending,
        EntryStatus::Approved,
        EntryStatus::Returned,
    ] {
        assert_eq!(EntryStatus::parse(s.as_str()), Some(s));
    }
    assert_eq!(Decision::parse("approve"), Some(Decision::Approve));
    assert_eq!(Decision::parse("return"), Some(Decision::Return));
    assert_eq!(Decision::parse("reject"), None);
    assert_eq!(EntryKind::parse("shift"), None);
    assert_eq!(EntryStatus::parse("locked"), None);
}
