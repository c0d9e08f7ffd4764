use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dept(id: &str, site: &str, cap: i64, disc: &[&str]) -> DepartmentRecord {
    DepartmentRecord {
        id: id.into(),
        site_id: site.into(),
        capacity: cap,
        disciplines: disc.iter().map(|s| s.to_string()).collect(),
    }
}

fn request(id: &str, prefs: &[(&str, Option<&str>)]) -> RequestRecord {
    RequestRecord {
        id: id.into(),
        school_id: "S1".into(),
        discipline: "RAD".into(),
        kind: "clinical".into(),
        places: 2,
        // Wednesday to the Friday two weeks later: touches three calendar weeks.
        period: Period::new(d("2027-01-13"), d("2027-01-29")).unwrap(),
        start_window_weeks: 2,
        together: false,
        preferences: prefs
            .iter()
            .map(|(s, d)| (s.to_string(), d.map(str::to_string)))
            .collect(),
        booked: vec![],
    }
}

fn term() -> Term {
    // Starts on a Thursday: week 0 is Monday 4 January.
    Term {
        starts_on: d("2027-01-07"),
        ends_on: d("2027-04-30"),
    }
}

fn build(reqs: &[RequestRecord], depts: &[DepartmentRecord]) -> (Problem, Vec<LeftOut>) {
    build_problem(&Records {
        term: term(),
        departments: depts,
        preceptors: &[],
        held: &[],
        requests: reqs,
        pins: &[],
        exclusions: &[],
    })
}

#[test]
fn weeks_are_counted_from_the_monday_on_or_before_the_first_day() {
    let t = term();
    assert_eq!(t.week0(), d("2027-01-04"));
    assert_eq!(t.week_of(d("2027-01-10")), 0);
    assert_eq!(t.week_of(d("2027-01-11")), 1);
    assert_eq!(t.week_of(d("2027-01-03")), -1);
    assert_eq!(t.weeks(), 17);
}

#[test]
fn a_request_becomes_weeks_window_and_ranked_options() {
    let depts = [
        dept("D1", "A", 2, &["RAD"]),
        dept("D2", "A", 2, &["RAD"]),
        dept("D3", "B", 2, &["RAD"]),
        dept("D4", "B", 2, &["RAD", "RT"]),
        dept("D5", "C", 2, &["RAD"]),
        dept("D6", "B", 2, &["PT"]),
    ];
    let (p, left) = build(&[request("R1", &[("A", Some("D2")), ("B", None)])], &depts);
    assert!(left.is_empty());
    let r = &p.requests[0];
    assert_eq!((r.weeks, r.earliest_start, r.latest_start), (3, 1, 3));
    assert_eq!(r.students, 2);
    let opts: Vec<(&str, f64)> = r
        .options
        .iter()
        .map(|o| (o.department.as_str(), o.weight))
        .collect();
    // D2 first choice; site B expands to D3 and D4 at 2; D1 is another RAD department at
    // a preferred site; D5 is at a site not asked for; D6 does not host RAD.
    assert_eq!(
        opts,
        vec![("D2", 3.0), ("D3", 2.0), ("D4", 2.0), ("D1", 0.5)]
    );
}

#[test]
fn requests_that_cannot_fit_the_term_are_left_out_with_a_reason() {
    let depts = [dept("D1", "A", 2, &["RAD"])];
    let mut early = request("R1", &[("A", None)]);
    early.period = Period::new(d("2026-12-28"), d("2027-01-20")).unwrap();
    let mut late = request("R2", &[("A", None)]);
    late.period = Period::new(d("2027-04-19"), d("2027-05-14")).unwrap();
    let mut elsewhere = request("R3", &[("A", None)]);
    elsewhere.discipline = "PT".into();
    let (p, left) = build(&[early, late, elsewhere], &depts);
    assert!(p.requests.is_empty());
    let reasons: Vec<&str> = left.iter().map(|l| l.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec![
            "it starts outside the term",
            "it runs past the end of the term",
            "no department at the sites asked for hosts PT"
        ]
    );
}

#[test]
fn the_window_is_clipped_to_the_term() {
    let depts = [dept("D1", "A", 2, &["RAD"])];
    let mut q = request("R1", &[("A", None)]);
    // Weeks 14-15 of a 17-week term, window 4: the latest start is week 15.
    q.period = Period::new(d("2027-04-12"), d("2027-04-23")).unwrap();
    q.start_window_weeks = 4;
    let (p, _) = build(&[q], &depts);
    assert_eq!(
        (p.requests[0].earliest_start, p.requests[0].latest_start),
        (14, 15)
    );
}

#[test]
fn leave_licences_and_held_placements_become_weeks() {
    let depts = [dept("D1", "A", 2, &["RAD"])];
    let preceptors = [PreceptorRecord {
        id: "P1".into(),
        department_id: "D1".into(),
        discipline: "RAD".into(),
        max_students: 1,
        leave: vec![Period::new(d("2027-01-15"), d("2027-01-19")).unwrap()],
        license_expires_on: Some(d("2027-04-20")),
    }];
    let held = [
        HeldRecord {
            department_id: "D1".into(),
            preceptor_id: Some("P1".into()),
            period: Period::new(d("2026-12-01"), d("2027-01-12")).unwrap(),
        },
        HeldRecord {
            department_id: "D1".into(),
            preceptor_id: Some("gone".into()),
            period: Period::new(d("2027-03-01"), d("2027-03-05")).unwrap(),
        },
        HeldRecord {
            department_id: "D1".into(),
            preceptor_id: None,
            period: Period::new(d("2027-06-01"), d("2027-06-05")).unwrap(),
        },
    ];
    let (p, _) = build_problem(&Records {
        term: term(),
        departments: &depts,
        preceptors: &preceptors,
        held: &held,
        requests: &[],
        pins: &[],
        exclusions: &[],
    });
    // Leave Fri 15 to Tue 19 January touches weeks 1 and 2; the licence lapses on
    // Tuesday of week 15, so weeks 15 and 16 are out too.
    assert_eq!(p.preceptors[0].unavailable_weeks, vec![1, 2, 15, 16]);
    assert_eq!(
        p.fixed,
        vec![
            Fixed {
                department: "D1".into(),
                preceptor: Some("P1".into()),
                start: 0,
                weeks: 2
            },
            Fixed {
                department: "D1".into(),
                preceptor: None,
                start: 8,
                weeks: 1
            },
        ]
    );
}

#[test]
fn exclusions_remove_options_and_stale_pins_are_dropped() {
    let depts = [dept("D1", "A", 2, &["RAD"]), dept("D2", "A", 2, &["RAD"])];
    let pins = [
        Assignment {
            request: "R1".into(),
            department: "D2".into(),
            preceptor: None,
            start: 1,
        },
        Assignment {
            request: "R1".into(),
            department: "D1".into(),
            preceptor: None,
            start: 1,
        },
        Assignment {
            request: "gone".into(),
            department: "D2".into(),
            preceptor: None,
            start: 1,
        },
    ];
    let (p, _) = build_problem(&Records {
        term: term(),
        departments: &depts,
        preceptors: &[],
        held: &[],
        requests: &[request("R1", &[("A", Some("D1"))])],
        pins: &pins,
        exclusions: &[Exclusion {
            request: "R1".into(),
            department: "D1".into(),
        }],
    });
    assert_eq!(p.requests[0].options.len(), 1);
    assert_eq!(p.requests[0].options[0].department, "D2");
    assert_eq!(p.pins, vec![pins[0].clone()]);
}

#[test]
fn an_assignment_keeps_the_weekday_pattern() {
    let q = request("R1", &[]);
    let a = Assignment {
        request: "R1".into(),
        department: "D1".into(),
        preceptor: Some("P1".into()),
        start: 3,
    };
    let x = dated(q.period, term(), &a, false);
    assert_eq!((x.starts_on, x.ends_on), (d("2027-01-27"), d("2027-02-12")));
}

#[test]
fn proven_quality_rounds_down_and_needs_a_bound() {
    assert_eq!(
        proven_quality(971.96, Some(1000.0)).as_deref(),
        Some("at least 97.1% of the best possible plan (proven)")
    );
    assert_eq!(
        proven_quality(50.0, Some(50.0)).as_deref(),
        Some("at least 100.0% of the best possible plan (proven)")
    );
    assert_eq!(proven_quality(10.0, None), None);
    assert_eq!(proven_quality(10.0, Some(0.0)), None);
    assert_eq!(proven_quality(10.0, Some(f64::INFINITY)), None);
}

#[test]
fn a_student_already_placed_is_offered_only_the_starts_that_do_not_overlap() {
    let depts = [dept("D1", "S", 4, &["RAD"])];
    // Asked: 13–29 January, weeks 1..=3 of the term, with two weeks of window: starts 1, 2, 3.
    let free = request("free", &[]);
    let (p, _) = build(&[free], &depts);
    assert_eq!(
        (p.requests[0].earliest_start, p.requests[0].latest_start),
        (1, 3)
    );

    // Placed elsewhere until Friday 22 January: the first start (13–29) and the second
    // (20 Jan–5 Feb) overlap; only the third (27 Jan–12 Feb) is offered.
    let mut early = request("early", &[]);
    early.booked = vec![Period::new(d("2027-01-04"), d("2027-01-22")).unwrap()];
    let (p, out) = build(&[early], &depts);
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(
        (p.requests[0].earliest_start, p.requests[0].latest_start),
        (3, 3)
    );

    // Placed from 10 February: the third start (to 12 February) overlaps; 1 and 2 stay.
    let mut late = request("late", &[]);
    late.booked = vec![Period::new(d("2027-02-10"), d("2027-03-31")).unwrap()];
    let (p, _) = build(&[late], &depts);
    assert_eq!(
        (p.requests[0].earliest_start, p.requests[0].latest_start),
        (1, 2)
    );

    // Placed over every start: the request is left out, with the reason.
    let mut none = request("none", &[]);
    none.booked = vec![Period::new(d("2027-01-29"), d("2027-01-29")).unwrap()];
    let (p, out) = build(&[none], &depts);
    assert!(p.requests.is_empty());
    assert_eq!(out.len(), 1);
    assert!(
        out[0].reason.contains("already placed"),
        "{}",
        out[0].reason
    );
}

/// The term's edges (mutation testing): a request starting in week 0, one place, and one that
/// fills the term's last weeks exactly are all in; an internship stays an internship.
#[test]
fn requests_at_the_terms_edges_are_in() {
    let depts = [dept("D1", "A", 2, &["RAD", "PT"])];
    let mut first = request("R1", &[("A", None)]);
    first.period = Period::new(d("2027-01-04"), d("2027-01-15")).unwrap();
    first.places = 1;
    let mut last = request("R2", &[("A", None)]);
    // Weeks 14 to 16 of a 17-week term, no window: the only start is week 14.
    last.period = Period::new(d("2027-04-12"), d("2027-04-30")).unwrap();
    last.start_window_weeks = 0;
    let mut internship = request("R3", &[("A", None)]);
    internship.kind = "internship".into();
    let mut none = request("R4", &[("A", None)]);
    none.places = 0;
    let (p, left) = build(&[first, last, internship, none], &depts);
    let got: Vec<(&str, i64, i64, i64, Kind)> = p
        .requests
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.students,
                r.earliest_start,
                r.latest_start,
                r.kind,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("R1", 1, 0, 2, Kind::Clinical),
            ("R2", 2, 14, 14, Kind::Clinical),
            ("R3", 2, 1, 3, Kind::Internship),
        ]
    );
    let reasons: Vec<(&str, &str)> = left
        .iter()
        .map(|l| (l.request_id.as_str(), l.reason.as_str()))
        .collect();
    assert_eq!(reasons, vec![("R4", "it asks for no places")]);
}

/// Leave running past the term is clipped to its last week; a licence lapsing on a Sunday
/// still covers that week.
#[test]
fn leave_past_the_term_is_clipped_and_a_licence_lapsing_on_sunday_covers_its_week() {
    let depts = [dept("D1", "A", 2, &["RAD"])];
    let preceptors = [PreceptorRecord {
        id: "P1".into(),
        department_id: "D1".into(),
        discipline: "RAD".into(),
        max_students: 1,
        leave: vec![Period::new(d("2027-04-26"), d("2027-06-30")).unwrap()],
        // Sunday 18 April, the last day of week 14.
        license_expires_on: Some(d("2027-04-18")),
    }];
    let (p, _) = build_problem(&Records {
        term: term(),
        departments: &depts,
        preceptors: &preceptors,
        held: &[],
        requests: &[],
        pins: &[],
        exclusions: &[],
    });
    assert_eq!(p.preceptors[0].unavailable_weeks, vec![15, 16]);
}

/// A plan that places nobody is still proven to be at least 0%; a negative or unknown score
/// proves nothing.
#[test]
fn proven_quality_of_an_empty_plan_and_of_nonsense() {
    assert_eq!(
        proven_quality(0.0, Some(10.0)).as_deref(),
        Some("at least 0.0% of the best possible plan (proven)")
    );
    assert_eq!(proven_quality(-1.0, Some(10.0)), None);
    assert_eq!(proven_quality(f64::NAN, Some(10.0)), None);
}
