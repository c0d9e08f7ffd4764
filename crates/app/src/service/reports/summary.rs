//! The summary report (kept as the `/api/v1/reports/summary` contract): students placed in a year, by discipline, degree level, school,
//! department and kind (API.md "Reports"). Counts distinct students, never placements.
use crate::db::{self, Tx, reports::PlacedRow};
use crate::domain::{ErrorCode, directory::DegreeLevel};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub students: i64,
}

#[derive(Clone, Debug)]
pub struct Summary {
    pub year: i32,
    pub total: i64,
    pub by_discipline: Vec<Bucket>,
    pub by_degree_level: Vec<Bucket>,
    pub by_school: Vec<Bucket>,
    pub by_department: Vec<Bucket>,
    pub by_kind: Vec<Bucket>,
}

/// Distinct students per key, largest first.
fn buckets(rows: &[PlacedRow], key: impl Fn(&PlacedRow) -> (String, String)) -> Vec<Bucket> {
    let mut m: BTreeMap<(String, String), BTreeSet<&str>> = BTreeMap::new();
    for r in rows {
        m.entry(key(r)).or_default().insert(&r.student_id);
    }
    let mut out: Vec<Bucket> = m
        .into_iter()
        .map(|((key, label), s)| Bucket {
            key,
            label,
            students: s.len() as i64,
        })
        .collect();
    out.sort_by(|a, b| b.students.cmp(&a.students).then(a.label.cmp(&b.label)));
    out
}

/// The year's summary. Errors: 422 `invalid_year`.
pub async fn summary(tx: &mut Tx, year: i32) -> AppResult<Summary> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| AppError::invalid("year", ErrorCode::InvalidYear, "not a year"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| AppError::invalid("year", ErrorCode::InvalidYear, "not a year"))?;
    let rows = db::reports::placed_between(tx, from, to).await?;
    let total = rows
        .iter()
        .map(|r| r.student_id.as_str())
        .collect::<BTreeSet<_>>()
        .len() as i64;
    Ok(Summary {
        year,
        total,
        by_discipline: buckets(&rows, |r| (r.discipline.clone(), r.discipline_name.clone())),
        by_degree_level: buckets(&rows, |r| {
            (
                r.degree_level.clone(),
                DegreeLevel::parse(&r.degree_level)
                    .map(|d| d.label().to_string())
                    .unwrap_or_default(),
            )
        }),
        by_school: buckets(&rows, |r| (r.school_id.clone(), r.school_name.clone())),
        by_department: buckets(&rows, |r| {
            (r.department_id.clone(), r.department_name.clone())
        }),
        by_kind: buckets(&rows, |r| {
            (
                r.kind.clone(),
                if r.kind == "clinical" {
                    "Clinical".into()
                } else {
                    "Internship".into()
                },
            )
        }),
    })
}
