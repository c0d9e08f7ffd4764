//! Every refusal of the problem format names the offending id and field (ALLOCATION.md, "The
//! problem"); the refusals not already covered by `tests/check.rs`.
use practicum_engine::{parse_problem, parse_solution};
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "format": "practicum-allocation/1", "weeks": 6, "fairness_weight": 10.0,
        "departments": [ { "id": "D1", "capacity": 2, "disciplines": ["RAD"] } ],
        "preceptors": [ { "id": "P1", "department": "D1", "discipline": "RAD", "max_students": 1 } ],
        "requests": [
            { "id": "R1", "school": "S1", "discipline": "RAD", "kind": "clinical", "students": 1,
              "weeks": 2, "earliest_start": 0, "latest_start": 2,
              "options": [ { "department": "D1", "weight": 1 } ] }
        ],
        "fixed": [ { "department": "D1", "preceptor": "P1", "start": 0, "weeks": 1 } ],
        "pins": [ { "request": "R1", "department": "D1", "preceptor": "P1", "start": 0 } ]
    })
}

/// Parses `base()` after `edit` and expects a refusal mentioning `expect`.
fn refused(edit: impl Fn(&mut Value), expect: &str) {
    let mut v = base();
    edit(&mut v);
    let e = parse_problem(&v.to_string())
        .expect_err("refused")
        .to_string();
    assert!(e.contains(expect), "{e:?} should mention {expect:?}");
}

#[test]
fn the_base_problem_is_valid() {
    parse_problem(&base().to_string()).expect("valid");
}

#[test]
fn weeks_must_be_1_to_520() {
    refused(|v| v["weeks"] = json!(0), "weeks is 0");
    refused(|v| v["weeks"] = json!(521), "weeks is 521");
}

#[test]
fn fairness_weight_must_be_finite_and_not_negative() {
    refused(
        |v| v["fairness_weight"] = json!(-1.0),
        "fairness_weight is -1",
    );
    // JSON has no infinity; a number too large for f64 is one after parsing.
    let text = base()
        .to_string()
        .replace("\"fairness_weight\":10.0", "\"fairness_weight\":1e400");
    assert!(parse_problem(&text).is_err());
}

#[test]
fn duplicate_preceptor_and_request_ids() {
    refused(
        |v| {
            let p = v["preceptors"][0].clone();
            v["preceptors"].as_array_mut().expect("array").push(p);
        },
        "preceptor P1: duplicate id",
    );
    refused(
        |v| {
            let r = v["requests"][0].clone();
            v["requests"].as_array_mut().expect("array").push(r);
        },
        "request R1: duplicate id",
    );
}

#[test]
fn negative_max_students() {
    refused(
        |v| v["preceptors"][0]["max_students"] = json!(-1),
        "preceptor P1: max_students -1 is negative",
    );
}

#[test]
fn request_counts_and_window() {
    refused(
        |v| v["requests"][0]["students"] = json!(0),
        "request R1: students is 0",
    );
    refused(
        |v| v["requests"][0]["weeks"] = json!(0),
        "request R1: weeks is 0",
    );
    refused(
        |v| v["requests"][0]["earliest_start"] = json!(-1),
        "request R1: earliest_start -1 is before week 0",
    );
}

#[test]
fn option_unknown_department_and_weights() {
    refused(
        |v| v["requests"][0]["options"][0]["department"] = json!("D9"),
        "request R1: unknown department D9",
    );
    refused(
        |v| v["requests"][0]["options"][0]["weight"] = json!(0),
        "request R1: option D1 has weight 0",
    );
}

#[test]
fn kind_must_be_clinical_or_internship() {
    refused(
        |v| v["requests"][0]["kind"] = json!("observer"),
        "unknown variant `observer`",
    );
}

#[test]
fn wrong_types_carry_serde_message() {
    refused(|v| v["weeks"] = json!("six"), "invalid type");
}

#[test]
fn fixed_unknown_department_preceptor_and_weeks() {
    refused(
        |v| v["fixed"][0]["department"] = json!("D9"),
        "fixed #0: unknown department D9",
    );
    refused(
        |v| v["fixed"][0]["preceptor"] = json!("P9"),
        "fixed #0: unknown preceptor P9",
    );
    refused(
        |v| v["fixed"][0]["start"] = json!(6),
        "fixed #0: weeks 6..6 are outside",
    );
}

#[test]
fn pins_naming_unknown_ids() {
    refused(
        |v| v["pins"][0]["request"] = json!("R9"),
        "pin #0: unknown request R9",
    );
    refused(
        |v| v["pins"][0]["department"] = json!("D9"),
        "pin #0: unknown department D9",
    );
    refused(
        |v| v["pins"][0]["preceptor"] = json!("P9"),
        "pin #0: unknown preceptor P9",
    );
}

#[test]
fn several_issues_are_all_listed() {
    let mut v = base();
    v["weeks"] = json!(0);
    v["requests"][0]["students"] = json!(0);
    let e = parse_problem(&v.to_string()).expect_err("refused");
    assert!(e.issues.len() >= 2, "{e:?}");
}

#[test]
fn a_preceptor_of_a_discipline_the_department_lacks_is_allowed() {
    let mut v = base();
    v["preceptors"][0]["discipline"] = json!("PT");
    v["fixed"] = json!([]);
    v["pins"] = json!([]);
    parse_problem(&v.to_string()).expect("allowed: simply never usable");
}

#[test]
fn solution_format_is_checked() {
    let ok = json!({ "format": "practicum-allocation-solution/1", "assignments": [] });
    parse_solution(&ok.to_string()).expect("valid");
    let bad = json!({ "format": "other/1", "assignments": [] });
    assert!(parse_solution(&bad.to_string()).is_err());
    let unknown = json!({ "format": "practicum-allocation-solution/1", "assignments": [], "x": 1 });
    assert!(parse_solution(&unknown.to_string()).is_err());
}
