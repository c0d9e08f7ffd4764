//! Requirements that hold students up: for the placements of the period still onboarding
//! (proposed or confirmed) that are not cleared, which requirements are missing or rejected, per school, most first.
use super::turnaround::{evidence_by_student, facts_of, rules};
use super::{Chart, Report, ReportFilter, ReportName, Total, Value, col};
use crate::db::{self, Tx};
use crate::domain::clearance::{self, ItemState};
use crate::error::AppResult;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Builds the report: one row per school and requirement with at least one placement missing
/// or rejected on it (by school name, then most placements first).
pub async fn report(tx: &mut Tx, f: ReportFilter, today: NaiveDate) -> AppResult<Report> {
    let scope = f.scope();
    let placements = db::reports::placements(tx, &scope).await?;
    let named = rules(tx).await?;
    let names: BTreeMap<String, String> = named
        .iter()
        .map(|(r, n)| (r.code.clone(), n.clone()))
        .collect();
    let rules: Vec<_> = named.into_iter().map(|r| r.0).collect();
    let evidence = evidence_by_student(db::reports::documents(tx, &scope).await?);
    // (school name, school id, requirement code) -> (missing, rejected)
    let mut counts: BTreeMap<(String, String, String), (i64, i64)> = BTreeMap::new();
    let mut held: BTreeSet<&str> = BTreeSet::new();
    for p in &placements {
        let Some(student) = &p.student_id else {
            continue;
        };
        // Only a placement still onboarding can be held up: one running or completed went
        // ahead (the office decided), and its old gaps would drown this term's.
        if !matches!(p.status.as_str(), "proposed" | "confirmed") {
            continue;
        }
        let ev = evidence
            .get(student)
            .map_or(&[][..], |v| v.evidence.as_slice());
        for item in clearance::checklist(&rules, ev, &facts_of(p), today) {
            let c = counts
                .entry((
                    p.school_name.clone(),
                    p.school_id.clone(),
                    item.code.clone(),
                ))
                .or_default();
            match item.state {
                ItemState::Missing => c.0 += 1,
                ItemState::Rejected => c.1 += 1,
                _ => continue,
            }
            held.insert(&p.id);
        }
    }
    let mut rows: Vec<_> = counts.into_iter().filter(|(_, (m, r))| m + r > 0).collect();
    rows.sort_by(|a, b| {
        (a.0.0.as_str(), -(a.1.0 + a.1.1), a.0.2.as_str()).cmp(&(
            b.0.0.as_str(),
            -(b.1.0 + b.1.1),
            b.0.2.as_str(),
        ))
    });
    let rows = rows
        .into_iter()
        .map(|((school, school_id, code), (missing, rejected))| {
            vec![
                Value::Text(school_id),
                Value::Text(school),
                Value::Text(code.clone()),
                Value::Text(names.get(&code).cloned().unwrap_or(code)),
                Value::Int(missing),
                Value::Int(rejected),
                Value::Int(missing + rejected),
            ]
        })
        .collect();
    let (list, api_list) =
        super::placements_list(&f, &[("placed", "true"), ("clearance", "not_cleared")]);
    Ok(Report {
        name: ReportName::Holdups,
        counts: format!(
            "Placements still onboarding (proposed or confirmed, not yet running or completed), \
             with a named student, that overlap {}, checked against \
             every active requirement that applies to them as of today. A placement counts \
             once under each requirement it is missing (nothing submitted) or has rejected \
             (and nothing newer submitted or verified). The total counts each such placement \
             once; the list linked below shows every placement not cleared, which also holds \
             those only waiting on a review or with a document expiring, so it can be longer.",
            f.period_words()
        ),
        columns: vec![
            col("school_id", "School id"),
            col("school", "School"),
            col("requirement_code", "Requirement code"),
            col("requirement", "Requirement"),
            col("missing", "Missing"),
            col("rejected", "Rejected"),
            col("placements", "Placements held up"),
        ],
        rows,
        total: Total {
            label: format!("Placements held up in {}", f.period_words()),
            value: held.len() as i64,
            list: Some(list),
            api_list: Some(api_list),
        },
        chart: Chart::Grouped {
            label: vec![1, 3],
            series: vec![4, 5],
        },
        filter: f,
    })
}
