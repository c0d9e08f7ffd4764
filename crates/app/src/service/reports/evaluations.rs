//! Evaluation scores per department and per preceptor: the mean of the scale answers of the
//! supervisors' signed midterm and final evaluations, shown only for groups of at least
//! [`MIN_RESPONSES`] evaluations (DOMAIN.md: no figure that could single a student out).
use super::{Chart, Report, ReportFilter, ReportName, Total, Value, col};
use crate::db::{self, Tx};
use crate::domain::evaluation::{MIN_RESPONSES, score};
use crate::error::AppResult;
use std::collections::BTreeMap;

/// Builds the report: one row per department, then one per preceptor (by name), with the
/// evaluations counted and the mean score (1 to 5) — or neither, withheld, under 3.
pub async fn report(tx: &mut Tx, f: ReportFilter) -> AppResult<Report> {
    let evals = db::reports::evaluations(tx, &f.scope()).await?;
    let mut departments: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    let mut preceptors: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    let mut counted = 0i64;
    for e in &evals {
        let Some(score) = score(&e.answers()) else {
            continue;
        };
        counted += 1;
        departments
            .entry((e.department_name.clone(), e.department_id.clone()))
            .or_default()
            .push(score);
        if let Some(id) = &e.preceptor_id {
            preceptors
                .entry((e.preceptor_name.clone().unwrap_or_default(), id.clone()))
                .or_default()
                .push(score);
        }
    }
    let mut rows = vec![];
    for (group, map) in [("department", departments), ("preceptor", preceptors)] {
        for ((name, id), scores) in map {
            let shown = scores.len() >= MIN_RESPONSES;
            rows.push(vec![
                Value::Text(group.into()),
                Value::Text(id),
                Value::Text(name),
                if shown {
                    Value::Int(scores.len() as i64)
                } else {
                    Value::Text(format!("fewer than {MIN_RESPONSES}"))
                },
                Value::Num(
                    shown.then(|| super::round2(scores.iter().sum::<f64>() / scores.len() as f64)),
                ),
            ]);
        }
    }
    Ok(Report {
        name: ReportName::Evaluations,
        counts: format!(
            "Signed midterm and final evaluations by supervisors, of placements in the filters \
             that overlap {}. An evaluation's score is the mean of its scale answers (1 unsafe to \
             5 independent); a group's score is the mean of its evaluations' scores. A group of \
             fewer than {MIN_RESPONSES} evaluations shows neither its count nor its score. Each \
             evaluation counts once under its department and once under its preceptor (a \
             placement with a site mentor only has no preceptor row). The total counts the \
             evaluations with a score.",
            f.period_words()
        ),
        columns: vec![
            col("group", "Grouped by"),
            col("id", "Id"),
            col("name", "Department or preceptor"),
            col("evaluations", "Evaluations"),
            col("mean_score", "Mean score (1–5)"),
        ],
        rows,
        total: Total {
            label: format!("Signed evaluations scored in {}", f.period_words()),
            value: counted,
            list: None,
            api_list: None,
        },
        chart: Chart::Bars {
            label: vec![0, 2],
            value: 4,
        },
        filter: f,
    })
}
