//! The checker refuses a solution that breaks each rule of ALLOCATION.md, and recomputes the
//! objective of one that breaks none; the parser names what is wrong with a problem.
use practicum_engine::{Assignment, Problem, Solution, check, parse_problem};
use serde_json::json;

fn problem() -> Problem {
    parse_problem(
        &json!({
            "format": "practicum-allocation/1", "weeks": 6, "fairness_weight": 100.0,
            "departments": [
                { "id": "D1", "capacity": 2, "disciplines": ["RAD"] },
                { "id": "D2", "capacity": 1, "disciplines": ["RAD", "PT"] },
                { "id": "D3", "capacity": 3, "disciplines": ["PT"] }
            ],
            "preceptors": [
                { "id": "P1", "department": "D1", "discipline": "RAD", "max_students": 1, "unavailable_weeks": [5] },
                { "id": "P2", "department": "D1", "discipline": "RAD", "max_students": 1 },
                { "id": "P3", "department": "D2", "discipline": "PT", "max_students": 2 }
            ],
            "requests": [
                { "id": "R1", "school": "S1", "discipline": "RAD", "kind": "clinical", "students": 2, "weeks": 2,
                  "earliest_start": 0, "latest_start": 2, "together": false,
                  "options": [ { "department": "D1", "weight": 3 }, { "department": "D2", "weight": 0.5 } ] },
                { "id": "R2", "school": "S2", "discipline": "PT", "kind": "internship", "students": 1, "weeks": 3,
                  "earliest_start": 1, "latest_start": 3,
                  "options": [ { "department": "D3", "weight": 2 } ] },
                { "id": "R3", "school": "S2", "discipline": "RAD", "kind": "clinical", "students": 2, "weeks": 2,
                  "earliest_start": 0, "latest_start": 4, "together": true,
                  "options": [ { "department": "D1", "weight": 1 } ] }
            ],
            "fixed": [ { "department": "D1", "preceptor": "P2", "start": 4, "weeks": 2 } ]
        })
        .to_string(),
    )
    .expect("valid")
}

fn a(request: &str, department: &str, preceptor: Option<&str>, start: i64) -> Assignment {
    Assignment {
        request: request.into(),
        department: department.into(),
        preceptor: preceptor.map(str::to_string),
        start,
    }
}

fn solution(assignments: Vec<Assignment>) -> Solution {
    Solution {
        format: "practicum-allocation-solution/1".into(),
        assignments,
        objective: 0.0,
        bound: None,
        stats: serde_json::Value::Null,
    }
}

fn good() -> Vec<Assignment> {
    vec![
        a("R1", "D1", Some("P1"), 0),
        a("R1", "D1", Some("P2"), 0),
        a("R2", "D3", None, 1),
        a("R3", "D1", Some("P1"), 2),
        a("R3", "D1", Some("P2"), 2),
    ]
}

fn rules(p: &Problem, assignments: Vec<Assignment>) -> Vec<u8> {
    let mut r: Vec<u8> = check(p, &solution(assignments))
        .expect_err("infeasible")
        .into_iter()
        .map(|v| v.rule)
        .collect();
    r.dedup();
    r
}

#[test]
fn a_feasible_solution_gets_its_objective_recomputed() {
    let p = problem();
    // 3+3 + 2 + 1+1, and both schools fully served.
    assert_eq!(check(&p, &solution(good())), Ok(110.0));
    assert_eq!(check(&p, &solution(vec![])), Ok(0.0));
    // S1 gets 1 of 2, S2 gets 1 of 3: the worst share is 1/3.
    let some = vec![a("R1", "D1", Some("P1"), 0), a("R2", "D3", None, 2)];
    let got = check(&p, &solution(some)).expect("feasible");
    assert!((got - (3.0 + 2.0 + 100.0 / 3.0)).abs() < 1e-9, "{got}");
}

#[test]
fn rule_1_unknown_ids_and_too_many_students() {
    let p = problem();
    assert_eq!(rules(&p, vec![a("R9", "D1", Some("P1"), 0)]), vec![1]);
    assert_eq!(rules(&p, vec![a("R1", "D9", Some("P1"), 0)]), vec![1]);
    assert_eq!(rules(&p, vec![a("R1", "D1", Some("P9"), 0)]), vec![1]);
    let mut three = vec![a("R1", "D1", Some("P1"), 0), a("R1", "D1", Some("P2"), 0)];
    three.push(a("R1", "D1", Some("P1"), 2));
    assert_eq!(rules(&p, three), vec![1]);
}

#[test]
fn rule_2_department_not_an_option_or_not_hosting() {
    let p = problem();
    assert_eq!(rules(&p, vec![a("R2", "D1", None, 1)]), vec![2]);
    // D2 is an option of R1 and hosts RAD, but P3 there is PT (rule 4).
    assert_eq!(rules(&p, vec![a("R1", "D2", Some("P3"), 0)]), vec![4]);
}

#[test]
fn rule_3_start_outside_the_window_or_the_term() {
    let p = problem();
    assert_eq!(rules(&p, vec![a("R1", "D1", Some("P1"), 3)]), vec![3]);
    assert_eq!(rules(&p, vec![a("R2", "D3", None, 0)]), vec![3]);
    assert_eq!(rules(&p, vec![a("R2", "D3", None, 4)]), vec![3]);
}

/// A start inside the window that would end after the term is still refused.
#[test]
fn rule_3_a_start_in_the_window_may_not_run_past_the_term() {
    let mut p = problem();
    p.requests[1].latest_start = 5;
    assert!(check(&p, &solution(vec![a("R2", "D3", None, 3)])).is_ok());
    assert_eq!(rules(&p, vec![a("R2", "D3", None, 4)]), vec![3]);
}

/// A violation names its rule, or the pins.
#[test]
fn violations_say_which_rule() {
    let pin = practicum_engine::Violation {
        rule: 0,
        message: "R1 is not kept".into(),
    };
    assert_eq!(pin.to_string(), "pins: R1 is not kept");
    let rule = practicum_engine::Violation {
        rule: 3,
        message: "too late".into(),
    };
    assert_eq!(rule.to_string(), "rule 3: too late");
}

#[test]
fn rule_4_preceptors() {
    let p = problem();
    // A clinical student without a preceptor; an intern with one.
    assert_eq!(rules(&p, vec![a("R1", "D1", None, 0)]), vec![4]);
    assert_eq!(rules(&p, vec![a("R2", "D3", Some("P3"), 1)]), vec![4]);
    // A preceptor of another department; one on leave in a week the placement occupies.
    assert_eq!(
        rules(
            &p,
            vec![a("R3", "D1", Some("P3"), 0), a("R3", "D1", Some("P1"), 0)]
        ),
        vec![4]
    );
    let mut leave = problem();
    leave.requests[0].latest_start = 4;
    assert_eq!(rules(&leave, vec![a("R1", "D1", Some("P1"), 4)]), vec![4]);
}

#[test]
fn rule_5_capacity_of_departments_and_preceptors_with_fixed_load() {
    let p = problem();
    // P1 twice in the same weeks.
    assert_eq!(
        rules(
            &p,
            vec![a("R1", "D1", Some("P1"), 0), a("R1", "D1", Some("P1"), 1)]
        ),
        vec![5]
    );
    // P2 carries fixed load in weeks 4-5.
    let mut late = problem();
    late.requests[0].latest_start = 4;
    assert_eq!(rules(&late, vec![a("R1", "D1", Some("P2"), 4)]), vec![5]);
    // D1 holds 2: three students in week 2 (the fixed one is in weeks 4-5 only).
    let mut cap = problem();
    cap.departments[0].capacity = 1;
    assert_eq!(
        rules(
            &cap,
            vec![a("R1", "D1", Some("P1"), 0), a("R1", "D1", Some("P2"), 0)]
        ),
        vec![5]
    );
}

#[test]
fn rule_6_cohorts_all_or_none_together() {
    let p = problem();
    assert_eq!(rules(&p, vec![a("R3", "D1", Some("P1"), 0)]), vec![6]);
    assert_eq!(
        rules(
            &p,
            vec![a("R3", "D1", Some("P1"), 0), a("R3", "D1", Some("P2"), 2)]
        ),
        vec![6]
    );
}

#[test]
fn pins_must_be_kept() {
    let mut p = problem();
    p.pins = vec![a("R2", "D3", None, 2)];
    let v = check(&p, &solution(vec![a("R2", "D3", None, 1)])).expect_err("pin missing");
    assert_eq!(v[0].rule, 0);
    assert!(check(&p, &solution(vec![a("R2", "D3", None, 2)])).is_ok());
}

#[test]
fn bad_problems_are_refused_naming_the_id() {
    let base = serde_json::to_value(problem()).expect("json");
    let refuse = |edit: &dyn Fn(&mut serde_json::Value), expect: &str| {
        let mut v = base.clone();
        edit(&mut v);
        let e = parse_problem(&v.to_string())
            .expect_err("refused")
            .to_string();
        assert!(e.contains(expect), "{e:?} should mention {expect:?}");
    };
    refuse(
        &|v| v["departments"][1]["id"] = json!("D1"),
        "department D1: duplicate id",
    );
    refuse(
        &|v| v["preceptors"][0]["department"] = json!("D7"),
        "preceptor P1: unknown department D7",
    );
    refuse(
        &|v| v["requests"][0]["options"][0]["weight"] = json!(-1),
        "request R1: option D1 has weight -1",
    );
    refuse(
        &|v| v["requests"][1]["latest_start"] = json!(5),
        "request R2: a start in week 5",
    );
    refuse(
        &|v| v["requests"][1]["earliest_start"] = json!(4),
        "request R2: earliest_start 4 is after latest_start 3",
    );
    refuse(
        &|v| v["departments"][2]["capacity"] = json!(-3),
        "department D3: capacity -3 is negative",
    );
    refuse(
        &|v| v["requests"][0]["options"][1]["department"] = json!("D1"),
        "department D1 appears twice",
    );
    refuse(
        &|v| v["requests"][0]["colour"] = json!("red"),
        "unknown field `colour`",
    );
    refuse(
        &|v| v["preceptors"][0]["unavailable_weeks"] = json!([9]),
        "preceptor P1: unavailable week 9",
    );
    refuse(
        &|v| v["fixed"][0]["preceptor"] = json!("P3"),
        "preceptor P3 belongs to department D2",
    );
    refuse(&|v| v["format"] = json!("other/1"), "format");
}
