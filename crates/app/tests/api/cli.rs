//! `practicum allocate` and `practicum check` as a user runs them: exit codes and messages.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PROBLEM: &str = r#"{
  "format": "practicum-allocation/1", "weeks": 4, "fairness_weight": 10.0,
  "departments": [ { "id": "D1", "capacity": 1, "disciplines": ["RAD"] } ],
  "preceptors": [ { "id": "P1", "department": "D1", "discipline": "RAD", "max_students": 1 } ],
  "requests": [
    { "id": "R1", "school": "S1", "discipline": "RAD", "kind": "clinical", "students": 1,
      "weeks": 2, "earliest_start": 0, "latest_start": 2,
      "options": [ { "department": "D1", "weight": 3 } ] },
    { "id": "R2", "school": "S2", "discipline": "RAD", "kind": "internship", "students": 1,
      "weeks": 2, "earliest_start": 0, "latest_start": 2,
      "options": [ { "department": "D1", "weight": 1 } ] }
  ]
}"#;

/// A fresh directory per test, so parallel tests never share files.
fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("practicum-cli-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn run(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_practicum"))
        .args(args)
        .output()
        .expect("run practicum")
}

#[test]
fn allocate_then_check_is_feasible() {
    let d = dir();
    let problem = d.join("problem.json");
    std::fs::write(&problem, PROBLEM).expect("write");
    let out = run(&[
        Path::new("allocate"),
        &problem,
        Path::new("--max-iterations"),
        Path::new("200"),
        Path::new("--seed"),
        Path::new("1"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let solution = d.join("solution.json");
    std::fs::write(&solution, &out.stdout).expect("write");
    let out = run(&[Path::new("check"), &problem, &solution]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains("feasible, objective"), "{stdout}");
}

#[test]
fn a_broken_solution_exits_1_naming_the_rule() {
    let d = dir();
    let problem = d.join("problem.json");
    std::fs::write(&problem, PROBLEM).expect("write");
    // Both in D1 (capacity 1) at once: rule 5.
    let solution = d.join("solution.json");
    std::fs::write(
        &solution,
        r#"{ "format": "practicum-allocation-solution/1", "assignments": [
            { "request": "R1", "department": "D1", "preceptor": "P1", "start": 0 },
            { "request": "R2", "department": "D1", "start": 1 } ] }"#,
    )
    .expect("write");
    let out = run(&[Path::new("check"), &problem, &solution]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(stdout.contains("rule 5"), "{stdout}");
}

#[test]
fn a_problem_with_a_duplicate_id_exits_2_naming_it() {
    let d = dir();
    let problem = d.join("problem.json");
    std::fs::write(
        &problem,
        PROBLEM.replace("\"id\": \"R2\"", "\"id\": \"R1\""),
    )
    .expect("write");
    let out = run(&[Path::new("allocate"), &problem]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(stderr.contains("request R1: duplicate id"), "{stderr}");
}
