//! Measures the clearance derivation for one student with 30 documents and 5 placements
//! against the seeded catalog of rules: `cargo run --release --example clearance_cost`.
use chrono::NaiveDate;
use practicum::domain::{
    clearance::{self, DocStatus, Evidence, Rule},
    requirements::{AppliesTo, PlacementFacts, catalog},
};
use std::time::Instant;

fn main() {
    let rules: Vec<Rule> = catalog()
        .into_iter()
        .map(|e| Rule {
            code: e.code.into(),
            validity: e.validity,
            applies_to: AppliesTo {
                kinds: e.kinds.iter().map(|k| k.to_string()).collect(),
                ..Default::default()
            },
        })
        .collect();
    let base = NaiveDate::from_ymd_opt(2027, 1, 4).expect("date");
    let placements: Vec<PlacementFacts> = (0..5)
        .map(|i| PlacementFacts {
            id: format!("p{i}"),
            kind: "clinical".into(),
            discipline: "radiography".into(),
            site_id: "s1".into(),
            department_id: format!("d{i}"),
            starts_on: base + chrono::Duration::weeks(4 + 10 * i),
            ends_on: base + chrono::Duration::weeks(12 + 10 * i),
        })
        .collect();
    let evidence: Vec<Evidence> = (0..30)
        .map(|i| Evidence {
            requirement_code: rules[i % rules.len()].code.clone(),
            status: if i % 7 == 0 {
                DocStatus::Submitted
            } else {
                DocStatus::Verified
            },
            completed_on: base - chrono::Duration::days(20 + i as i64 * 11),
            expires_on: Some(base + chrono::Duration::days(300 + i as i64 * 17)),
            placement_id: Some(format!("p{}", i % 5)),
        })
        .collect();
    let rounds = 20_000;
    let start = Instant::now();
    let mut cleared = 0;
    for _ in 0..rounds {
        for p in &placements {
            if clearance::derive(&rules, &evidence, p, base).is_cleared() {
                cleared += 1;
            }
        }
    }
    let per_student = start.elapsed() / rounds;
    println!(
        "rules: {}, documents: {}, placements: {}; derive all 5 placements: {:.1} µs per student (over {rounds} rounds; {cleared} cleared)",
        rules.len(),
        evidence.len(),
        placements.len(),
        per_student.as_secs_f64() * 1e6
    );
}
