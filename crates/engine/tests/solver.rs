//! The solver's own contract on a mid-sized problem (beyond the exhaustive search): fixed
//! load and pins respected and the bound above the answer, cancel honoured, and a seed
//! fixing the answer with two threads.
use practicum_engine::{
    Assignment, Department, Fixed, Kind, Limits, Preceptor, Problem, Request, RequestOption, check,
    solve,
};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Six departments of one discipline, two preceptors each, and three schools asking for
/// more than fits, with a cohort, fixed load and a pin.
fn problem() -> Problem {
    let departments: Vec<Department> = (0..6)
        .map(|d| Department {
            id: format!("D{d}"),
            capacity: 2 + d % 3,
            disciplines: vec!["RAD".into()],
        })
        .collect();
    let preceptors: Vec<Preceptor> = (0..12)
        .map(|p| Preceptor {
            id: format!("P{p}"),
            department: format!("D{}", p / 2),
            discipline: "RAD".into(),
            max_students: 1 + p % 2,
            unavailable_weeks: if p % 5 == 0 { vec![3] } else { vec![] },
        })
        .collect();
    let requests: Vec<Request> = (0..24)
        .map(|r| Request {
            id: format!("R{r}"),
            school: format!("S{}", r % 3),
            discipline: "RAD".into(),
            kind: if r % 4 == 3 {
                Kind::Internship
            } else {
                Kind::Clinical
            },
            students: 1 + r % 3,
            weeks: 3 + r % 4,
            earliest_start: r % 5,
            latest_start: r % 5 + 2,
            together: r % 7 == 0,
            options: (0..3)
                .map(|k| RequestOption {
                    department: format!("D{}", (r + 2 * k) % 6),
                    weight: [3.0, 2.0, 0.5][k as usize],
                })
                .collect(),
        })
        .collect();
    Problem {
        format: "practicum-allocation/1".into(),
        weeks: 12,
        fairness_weight: 100.0,
        departments,
        preceptors,
        requests,
        fixed: vec![Fixed {
            department: "D0".into(),
            preceptor: Some("P1".into()),
            start: 0,
            weeks: 6,
        }],
        pins: vec![Assignment {
            request: "R1".into(),
            department: "D1".into(),
            preceptor: Some("P3".into()),
            start: 1,
        }],
    }
}

fn limits(seed: u64, threads: usize) -> Limits {
    Limits {
        max_iterations: Some(2_000),
        seed,
        threads,
        ..Limits::default()
    }
}

#[test]
fn the_answer_keeps_the_pin_respects_fixed_load_and_stays_under_its_bound() {
    let p = problem();
    for seed in 0..4 {
        let s = solve(&p, &limits(seed, 1), &mut |_| {});
        let objective = check(&p, &s).expect("feasible");
        assert!((objective - s.objective).abs() < 1e-6);
        assert!(s.bound.unwrap() >= objective - 1e-6);
        assert!(s.assignments.contains(&p.pins[0]));
    }
}

#[test]
fn two_threads_give_the_same_answer_for_a_seed() {
    let p = problem();
    let a = solve(&p, &limits(7, 2), &mut |_| {});
    let b = solve(&p, &limits(7, 2), &mut |_| {});
    assert_eq!(a.assignments, b.assignments);
    assert_eq!(a.bound, b.bound);
}

#[test]
fn a_cancelled_run_stops_at_once_with_a_feasible_answer() {
    let p = problem();
    let cancel = Arc::new(AtomicBool::new(true));
    let limits = Limits {
        time_limit: Some(Duration::from_secs(30)),
        cancel: Some(cancel),
        ..Limits::default()
    };
    let started = Instant::now();
    let s = solve(&p, &limits, &mut |_| {});
    assert!(started.elapsed() < Duration::from_secs(5));
    check(&p, &s).expect("feasible");
}
