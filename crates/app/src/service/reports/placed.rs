//! Students placed, year over year: distinct students with a placement (not cancelled) that
//! overlaps the period, grouped by discipline, degree level, school, department, site or kind
//! (`by`), against the same period one and two years earlier.
use super::{Chart, Column, GroupBy, Report, ReportFilter, ReportName, Total, Value, col};
use crate::db::{self, Tx, reports::PlacementFact};
use crate::domain::directory::DegreeLevel;
use crate::error::AppResult;
use std::collections::{BTreeMap, BTreeSet};

/// The key and the label a placement is grouped under.
pub fn group_of(by: GroupBy, p: &PlacementFact) -> (String, String) {
    match by {
        GroupBy::Discipline => (p.discipline.clone(), p.discipline_name.clone()),
        GroupBy::DegreeLevel => (
            p.degree_level.clone(),
            DegreeLevel::parse(&p.degree_level)
                .map(|d| d.label().to_string())
                .unwrap_or_else(|| p.degree_level.clone()),
        ),
        GroupBy::School => (p.school_id.clone(), p.school_name.clone()),
        GroupBy::Department => (
            p.department_id.clone(),
            format!("{} — {}", p.site_name, p.department_name),
        ),
        GroupBy::Site => (p.site_id.clone(), p.site_name.clone()),
        GroupBy::Kind => (
            p.kind.clone(),
            crate::domain::words::placement_kind(&p.kind),
        ),
    }
}

/// The period's label in a column header: "2027", or "from 2027-02-01".
fn period_label(f: &ReportFilter) -> String {
    match f.year {
        Some(y) => y.to_string(),
        None => format!("{} to {}", f.from, f.to),
    }
}

/// Builds the report. Columns: the group's key and name, then students in the period two
/// years back, one year back and the period itself.
pub async fn report(tx: &mut Tx, f: ReportFilter) -> AppResult<Report> {
    let periods = [f.years_back(2), f.years_back(1), f.clone()];
    let mut groups: BTreeMap<(String, String), [BTreeSet<String>; 3]> = BTreeMap::new();
    let mut totals: [BTreeSet<String>; 3] = Default::default();
    for (i, pf) in periods.iter().enumerate() {
        for p in db::reports::placements(tx, &pf.scope()).await? {
            let Some(student) = &p.student_id else {
                continue;
            };
            totals[i].insert(student.clone());
            groups.entry(group_of(f.by, &p)).or_default()[i].insert(student.clone());
        }
    }
    let mut rows: Vec<(i64, String, Vec<Value>)> = groups
        .into_iter()
        .map(|((key, label), sets)| {
            let now = sets[2].len() as i64;
            (
                now,
                label.clone(),
                vec![
                    Value::Text(key),
                    Value::Text(label),
                    Value::Int(sets[0].len() as i64),
                    Value::Int(sets[1].len() as i64),
                    Value::Int(now),
                ],
            )
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut columns: Vec<Column> = vec![col("key", "Key"), col("name", f.by.label())];
    for (key, pf) in ["two_years_back", "one_year_back", "students"]
        .iter()
        .zip(&periods)
    {
        columns.push(Column {
            key: key.to_string(),
            label: format!("Students {}", period_label(pf)),
        });
    }
    let (list, api_list) = super::placements_list(&f, &[("placed", "true")]);
    Ok(Report {
        name: ReportName::Placed,
        counts: format!(
            "Distinct students with at least one placement, not cancelled, that overlaps {} (a \
             placement that starts before the period or ends after it counts). A student placed \
             twice counts once in the total, and once in each group they were placed in, so \
             the groups can add up to more than the total. Seats not yet named count nobody. \
             The placements list linked below shows the placements; its distinct students are \
             the total.",
            f.period_words()
        ),
        columns,
        rows: rows.into_iter().map(|r| r.2).collect(),
        total: Total {
            label: format!("Distinct students placed in {}", f.period_words()),
            value: totals[2].len() as i64,
            list: Some(list),
            api_list: Some(api_list),
        },
        chart: Chart::Grouped {
            label: vec![1],
            series: vec![2, 3, 4],
        },
        filter: f,
    })
}
