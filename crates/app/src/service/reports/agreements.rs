//! Agreements by school with their expiry: every affiliation agreement in force on some day
//! of the period, with the days it has left.
use super::{Chart, Report, ReportFilter, ReportName, Total, Value, col};
use crate::db::{self, Tx};
use crate::error::AppResult;
use chrono::NaiveDate;

/// Builds the report: one row per agreement (by school name, then expiry), with its status,
/// effective and expiry days, and days left from today (negative once expired).
pub async fn report(tx: &mut Tx, f: ReportFilter, today: NaiveDate) -> AppResult<Report> {
    let list = db::reports::agreements(tx, &f.scope()).await?;
    let total = list.len() as i64;
    let rows = list
        .into_iter()
        .map(|a| {
            vec![
                Value::Text(a.id),
                Value::Text(a.school_id),
                Value::Text(a.school_name),
                Value::Text(a.status),
                Value::Date(a.effective_on),
                Value::Date(a.expires_on),
                Value::Int((a.expires_on - today).num_days()),
            ]
        })
        .collect();
    let mut q = vec![];
    if let Some(s) = &f.school_id {
        q.push(("school_id", s.clone()));
    }
    let qs = super::query_string(&q);
    Ok(Report {
        name: ReportName::Agreements,
        counts: format!(
            "Affiliation agreements, whatever their status, in force on at least one day of {} \
             (effective on or before its last day and expiring on or after its first), of the \
             school and covering the discipline when given (site, department, degree level and \
             kind do not apply to an agreement). Days left count from today. The total counts \
             the agreements; the agreements list linked below shows every agreement of the \
             school, so it holds those outside the period too.",
            f.period_words()
        ),
        columns: vec![
            col("agreement_id", "Agreement id"),
            col("school_id", "School id"),
            col("school", "School"),
            col("status", "Status"),
            col("effective_on", "Effective"),
            col("expires_on", "Expires"),
            col("days_left", "Days left"),
        ],
        rows,
        total: Total {
            label: format!("Agreements in force in {}", f.period_words()),
            value: total,
            list: Some(format!("/agreements?{qs}")),
            api_list: Some(format!("/api/v1/agreements?{qs}")),
        },
        chart: Chart::Bars {
            label: vec![2, 5],
            value: 6,
        },
        filter: f,
    })
}
