//! Capacity use per department per week: how many placements (not cancelled, named or not)
//! overlap each week (Monday to Sunday) of the period in each department, against the
//! department's capacity.
use super::{Chart, Report, ReportFilter, ReportName, Total, Value, col};
use crate::db::{self, Tx};
use crate::error::AppResult;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;

/// The Monday of the week of `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// The Mondays of the weeks that overlap `from..=to`.
pub fn weeks(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = vec![];
    let mut w = monday_of(from);
    while w <= to {
        out.push(w);
        w = w + Days::new(7);
    }
    out
}

/// Builds the report: one row per department and week (departments by site and name, weeks
/// in order), with seats held, capacity and use in percent (empty when the capacity is 0).
pub async fn report(tx: &mut Tx, f: ReportFilter) -> AppResult<Report> {
    let scope = f.scope();
    let departments = db::reports::departments(tx, &scope).await?;
    let placements = db::reports::placements(tx, &scope).await?;
    let weeks = weeks(f.from, f.to);
    let mut held: BTreeMap<(&str, NaiveDate), i64> = BTreeMap::new();
    for p in &placements {
        let first = monday_of(p.starts_on.max(f.from));
        let last = p.ends_on.min(f.to);
        let mut w = first;
        while w <= last {
            *held.entry((p.department_id.as_str(), w)).or_default() += 1;
            w = w + Days::new(7);
        }
    }
    let mut rows = vec![];
    for d in &departments {
        for w in &weeks {
            let n = held.get(&(d.id.as_str(), *w)).copied().unwrap_or(0);
            let use_ =
                (d.capacity > 0).then(|| super::round2(n as f64 * 100.0 / d.capacity as f64));
            rows.push(vec![
                Value::Text(d.id.clone()),
                Value::Text(format!("{} — {}", d.site_name, d.name)),
                Value::Date(*w),
                Value::Int(n),
                Value::Int(d.capacity),
                Value::Num(use_),
            ]);
        }
    }
    let (list, api_list) = super::placements_list(&f, &[("placed", "true")]);
    Ok(Report {
        name: ReportName::Capacity,
        counts: format!(
            "Placements, not cancelled, named or not yet, that overlap {}: a placement holds one \
             seat in every week (Monday to Sunday) it overlaps, even for a day. Use is seats \
             held over the department's capacity today. The total counts each placement once; \
             it is the number of placements in the list linked below.",
            f.period_words()
        ),
        columns: vec![
            col("department_id", "Department id"),
            col("department", "Department"),
            col("week", "Week of"),
            col("held", "Seats held"),
            col("capacity", "Capacity"),
            col("use_percent", "Use (%)"),
        ],
        rows,
        total: Total {
            label: format!("Placements holding a seat in {}", f.period_words()),
            value: placements.len() as i64,
            list: Some(list),
            api_list: Some(api_list),
        },
        chart: Chart::Heat {
            row: 1,
            column: 2,
            held: 3,
            capacity: 4,
        },
        filter: f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_mondays_and_cover_the_period() {
        let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
        // Friday 1 January 2027 is in the week of Monday 28 December 2026.
        let w = weeks(d(1, 1), d(1, 11));
        assert_eq!(
            w,
            vec![
                NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(),
                d(1, 4),
                d(1, 11)
            ]
        );
    }
}
