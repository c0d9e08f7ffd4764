//! Hours logged and approved per program: worked time entries dated in the period, of
//! placements in the filters, summed per program.
use super::{Chart, Report, ReportFilter, ReportName, Total, Value, col};
use crate::db::{self, Tx};
use crate::error::AppResult;
use std::collections::BTreeMap;

/// Builds the report: one row per program with entries (by school and program name), with
/// hours logged (every status: pending, approved, returned), hours approved, and entries.
pub async fn report(tx: &mut Tx, f: ReportFilter) -> AppResult<Report> {
    let sums = db::reports::hours(tx, &f.scope()).await?;
    // (school, program, program id) -> (discipline, logged minutes, approved minutes, entries)
    type Sums = (String, i64, i64, i64);
    let mut by: BTreeMap<(String, String, String), Sums> = BTreeMap::new();
    let mut entries = 0;
    for s in sums {
        let e = by
            .entry((s.school_name, s.program_name, s.program_id))
            .or_insert((s.discipline_name, 0, 0, 0));
        e.1 += s.minutes;
        if s.status == "approved" {
            e.2 += s.minutes;
        }
        e.3 += s.entries;
        entries += s.entries;
    }
    let hours = |m: i64| Value::Num(Some(super::round2(m as f64 / 60.0)));
    let rows = by
        .into_iter()
        .map(
            |((school, program, id), (discipline, logged, approved, n))| {
                vec![
                    Value::Text(id),
                    Value::Text(school),
                    Value::Text(program),
                    Value::Text(discipline),
                    hours(logged),
                    hours(approved),
                    Value::Int(n),
                ]
            },
        )
        .collect();
    // The time entries list narrows by period, kind, program and school: it reconciles when
    // no other filter is set.
    let mut q = vec![
        ("entry_kind", "worked".to_string()),
        ("from", f.from.to_string()),
        ("to", f.to.to_string()),
    ];
    if let Some(s) = &f.school_id {
        q.push(("school_id", s.clone()));
    }
    let reconciles = f.site_id.is_none()
        && f.department_id.is_none()
        && f.discipline.is_none()
        && f.degree_level.is_none()
        && f.kind.is_none();
    let api_list = reconciles.then(|| format!("/api/v1/time-entries?{}", super::query_string(&q)));
    Ok(Report {
        name: ReportName::Hours,
        counts: format!(
            "Worked time entries dated in {} (absences are not hours), of placements in the \
             filters. Hours logged are every entry whatever its state (waiting, approved or \
             returned); hours approved only the approved ones. The total counts the entries: \
             the time entries list of the API (`/api/v1/time-entries`) filtered by the same \
             period and school shows the same entries.",
            f.period_words()
        ),
        columns: vec![
            col("program_id", "Program id"),
            col("school", "School"),
            col("program", "Program"),
            col("discipline", "Discipline"),
            col("hours_logged", "Hours logged"),
            col("hours_approved", "Hours approved"),
            col("entries", "Entries"),
        ],
        rows,
        total: Total {
            label: format!("Time entries in {}", f.period_words()),
            value: entries,
            list: None,
            api_list,
        },
        chart: Chart::Grouped {
            label: vec![2],
            series: vec![4, 5],
        },
        filter: f,
    })
}
