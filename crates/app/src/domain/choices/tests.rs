use super::*;
use chrono::NaiveDate;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, day).unwrap_or_default()
}

fn period() -> Period {
    Period {
        starts_on: d(3, 1),
        ends_on: d(3, 26),
    }
}

fn dept(id: &str, capacity: i64, held: usize) -> DepartmentFacts {
    DepartmentFacts {
        id: id.into(),
        name: format!("Dept {id}"),
        capacity,
        disciplines: vec!["radiography".into()],
        held: vec![period(); held],
    }
}

fn preceptor(id: &str, dept: &str) -> PreceptorFacts {
    PreceptorFacts {
        id: id.into(),
        name: format!("Preceptor {id}"),
        is_preceptor: true,
        discipline: Some("radiography".into()),
        department_id: dept.into(),
        license_expires_on: None,
        leave: vec![],
        max_students: 1,
        held: vec![],
    }
}

fn offer(
    depts: &[(DepartmentFacts, &str)],
    prefs: &[(String, Option<String>)],
    people: &[PreceptorFacts],
) -> (Vec<DepartmentChoice>, Vec<PreceptorChoice>) {
    let ranked: Vec<Ranked> = depts
        .iter()
        .map(|(f, site)| Ranked {
            facts: f,
            site_id: site,
        })
        .collect();
    let choices = department_choices(&ranked, prefs, period());
    let facts: Vec<DepartmentFacts> = depts.iter().map(|x| x.0.clone()).collect();
    let p = preceptor_choices(people, &facts, &choices, "radiography", period());
    (choices, p)
}

#[test]
fn departments_come_in_preference_order_with_their_free_seats() {
    let depts = [
        (dept("a", 4, 1), "s1"),
        (dept("b", 2, 2), "s2"),
        (dept("c", 3, 0), "s2"),
    ];
    let prefs = [
        ("s2".to_string(), Some("b".to_string())),
        ("s2".to_string(), None),
    ];
    let (choices, _) = offer(&depts, &prefs, &[]);
    let got: Vec<(&str, i64, Option<usize>)> = choices
        .iter()
        .map(|c| (c.id.as_str(), c.free, c.preference))
        .collect();
    // b is named first; c is at the second preference's site; a is not preferred.
    assert_eq!(
        got,
        vec![("b", 0, Some(1)), ("c", 3, Some(2)), ("a", 3, None)]
    );
}

#[test]
fn preceptors_who_pass_come_first_and_the_others_say_why() {
    let depts = [(dept("a", 4, 0), "s1"), (dept("full", 1, 1), "s1")];
    let on_leave = PreceptorFacts {
        leave: vec![Period {
            starts_on: d(3, 8),
            ends_on: d(3, 12),
        }],
        ..preceptor("leave", "a")
    };
    let lapsing = PreceptorFacts {
        license_expires_on: Some(d(3, 20)),
        ..preceptor("lapsing", "a")
    };
    let busy = PreceptorFacts {
        held: vec![period()],
        ..preceptor("busy", "a")
    };
    let people = [
        on_leave,
        lapsing,
        busy,
        preceptor("in-full-dept", "full"),
        preceptor("good", "a"),
    ];
    let (_, p) = offer(&depts, &[], &people);
    assert_eq!(p[0].id, "good");
    assert!(p[0].passes());
    assert_eq!(p.iter().filter(|c| c.passes()).count(), 1);
    let why = |id: &str| {
        p.iter()
            .find(|c| c.id == id)
            .map(|c| c.problems.iter().map(|x| x.0).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(why("leave"), vec![ErrorCode::PreceptorOnLeave]);
    assert_eq!(why("lapsing"), vec![ErrorCode::PreceptorLicenseExpired]);
    assert_eq!(why("busy"), vec![ErrorCode::PreceptorAtCapacity]);
    assert_eq!(why("in-full-dept"), vec![ErrorCode::DepartmentAtCapacity]);
    assert_eq!(
        p.iter().find(|c| c.id == "leave").map(|c| c.leave.len()),
        Some(1)
    );
}

#[test]
fn suggestions_fill_each_place_without_overfilling_anyone() {
    let depts = [(dept("a", 2, 0), "s1"), (dept("b", 5, 0), "s1")];
    let two = PreceptorFacts {
        max_students: 2,
        ..preceptor("two", "a")
    };
    let (choices, p) = offer(&depts, &[], &[two, preceptor("one", "b")]);
    let s = suggest(4, true, &choices, &p);
    assert_eq!(
        s,
        vec![
            // b has more free seats, so its preceptor comes first.
            (Some("b".into()), Some("one".into())),
            (Some("a".into()), Some("two".into())),
            (Some("a".into()), Some("two".into())),
            // Nobody left: a department with a seat, and no preceptor.
            (Some("b".into()), None),
        ]
    );
    let internship = suggest(1, false, &choices, &p);
    assert_eq!(internship, vec![(Some("b".into()), None)]);
}
