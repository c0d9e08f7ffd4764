//! The schedule rules' unit tests.
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn t(a: &str, b: &str) -> ShiftTimes {
    ShiftTimes::parse(a, b).expect("times")
}

fn codes(p: &Problems) -> Vec<&'static str> {
    p.0.iter().map(|e| e.code.as_str()).collect()
}

fn period() -> Period {
    Period::new(d("2027-02-01"), d("2027-03-31")).expect("period")
}

#[test]
fn the_pattern_unrolls_over_the_period() {
    let mon_wed = [
        WeeklyShift {
            weekday: Weekday::Mon,
            times: t("07:00", "15:30"),
        },
        WeeklyShift {
            weekday: Weekday::Wed,
            times: t("07:00", "15:30"),
        },
    ];
    let shifts = generate(&mon_wed, period());
    // Nine Mondays (1 Feb .. 29 Mar) and nine Wednesdays (3 Feb .. 31 Mar).
    assert_eq!(shifts.len(), 18);
    assert_eq!(shifts[0].0, d("2027-02-01"));
    assert_eq!(shifts[1].0, d("2027-02-03"));
    assert_eq!(shifts.last().map(|s| s.0), Some(d("2027-03-31")));
    assert!(generate(&[], period()).is_empty());
    // A one-day period that is a Tuesday gets nothing from a Monday/Wednesday pattern.
    let tue = Period::new(d("2027-02-02"), d("2027-02-02")).expect("period");
    assert!(generate(&mon_wed, tue).is_empty());
}

#[test]
fn times_differ_and_last_at_most_sixteen_hours() {
    assert_eq!(t("07:00", "15:30").minutes(), 510);
    let night = t("19:00", "07:00");
    assert!(night.is_overnight());
    assert_eq!(night.minutes(), 720);
    assert_eq!(
        night.on(d("2027-02-01")).1,
        d("2027-02-02").and_hms_opt(7, 0, 0).unwrap()
    );
    let same = ShiftTimes::parse("07:00", "07:00").unwrap_err();
    assert_eq!(codes(&same), ["invalid_shift"]);
    let long = ShiftTimes::parse("06:00", "23:00").unwrap_err();
    assert_eq!(codes(&long), ["shift_too_long"]);
    let bad = ShiftTimes::parse("7:00", "25:00").unwrap_err();
    assert_eq!(codes(&bad), ["invalid_time", "invalid_time"]);
    assert!(parse_time("23:59").is_some() && parse_time("24:00").is_none());
}

fn ctx<'a>(others: &'a [(NaiveDate, ShiftTimes)]) -> Context<'a> {
    Context {
        period: period(),
        others,
        today: d("2027-02-10"),
        may_change_past: false,
        was_on: None,
    }
}

#[test]
fn a_regular_day_lies_in_the_period_and_a_make_up_day_up_to_four_weeks_after() {
    let c = |kind, date: &str| Candidate {
        kind,
        date: d(date),
        times: t("07:00", "15:30"),
    };
    assert!(check(&c(ShiftKind::Regular, "2027-03-31"), &ctx(&[])).is_empty());
    assert_eq!(
        codes(&check(&c(ShiftKind::Regular, "2027-04-01"), &ctx(&[]))),
        ["shift_outside_placement"]
    );
    assert!(check(&c(ShiftKind::MakeUp, "2027-04-28"), &ctx(&[])).is_empty());
    assert_eq!(
        codes(&check(&c(ShiftKind::MakeUp, "2027-04-29"), &ctx(&[]))),
        ["make_up_outside_window"]
    );
}

#[test]
fn shifts_of_one_placement_never_overlap() {
    let others = [(d("2027-02-15"), t("07:00", "15:30"))];
    let at = |date: &str, a: &str, b: &str| Candidate {
        kind: ShiftKind::Regular,
        date: d(date),
        times: t(a, b),
    };
    assert_eq!(
        codes(&check(&at("2027-02-15", "15:00", "19:00"), &ctx(&others))),
        ["shift_overlaps"]
    );
    // Back to back is fine.
    assert!(check(&at("2027-02-15", "15:30", "19:00"), &ctx(&others)).is_empty());
    // A night shift the day before runs into the morning.
    assert_eq!(
        codes(&check(&at("2027-02-14", "23:00", "08:00"), &ctx(&others))),
        ["shift_overlaps"]
    );
}

#[test]
fn days_gone_by_are_the_offices_to_change() {
    let c = Candidate {
        kind: ShiftKind::Regular,
        date: d("2027-02-08"),
        times: t("07:00", "15:30"),
    };
    assert_eq!(codes(&check(&c, &ctx(&[]))), ["shift_in_past"]);
    let office = Context {
        may_change_past: true,
        ..ctx(&[])
    };
    assert!(check(&c, &office).is_empty());
    // Moving a past shift into the future is changing the past too.
    let moved = Candidate {
        date: d("2027-02-20"),
        ..c
    };
    let from_past = Context {
        was_on: Some(d("2027-02-08")),
        ..ctx(&[])
    };
    assert_eq!(codes(&check(&moved, &from_past)), ["shift_in_past"]);
    assert_eq!(
        codes(&check_cancel(d("2027-02-08"), None, d("2027-02-10"), false)),
        ["reason_required", "shift_in_past"]
    );
    assert!(check_cancel(d("2027-02-08"), Some("closure"), d("2027-02-10"), true).is_empty());
}

#[test]
fn calendar_grids_start_on_monday() {
    assert_eq!(week_start(d("2027-02-03")), d("2027-02-01"));
    assert_eq!(week_start(d("2027-02-01")), d("2027-02-01"));
    let feb = month_grid(d("2027-02-17"));
    assert_eq!(feb.len(), 4);
    assert_eq!(feb[0][0], d("2027-02-01"));
    let mar = month_grid(d("2027-03-10"));
    assert_eq!(mar.len(), 5);
    assert_eq!(mar[4][6], d("2027-04-04"));
    assert_eq!(ShiftKind::parse("make_up"), Some(ShiftKind::MakeUp));
    assert_eq!(
        ShiftStatus::parse("cancelled"),
        Some(ShiftStatus::Cancelled)
    );
    assert_eq!(parse_weekday("sun"), Some(Weekday::Sun));
}
