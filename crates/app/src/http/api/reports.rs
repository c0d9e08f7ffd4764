//! The summary report: students placed in a year, by discipline, degree level, school,
//! department and kind (API.md "Reports").
use crate::db::Tx;
use crate::domain::ErrorCode;
use crate::domain::{
    directory::DegreeLevel,
    policy::{Action, Resource},
};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::Params,
};
use crate::on_tx;
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub students: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Summary {
    pub year: i32,
    pub total: i64,
    pub by_discipline: Vec<Bucket>,
    pub by_degree_level: Vec<Bucket>,
    pub by_school: Vec<Bucket>,
    pub by_department: Vec<Bucket>,
    pub by_kind: Vec<Bucket>,
}

#[derive(sqlx::FromRow)]
struct Row {
    student_id: String,
    kind: String,
    discipline: String,
    discipline_name: String,
    degree_level: String,
    school_id: String,
    school_name: String,
    department_id: String,
    department_name: String,
}

/// Distinct students per key, largest first.
fn buckets(rows: &[Row], key: impl Fn(&Row) -> (String, String)) -> Vec<Bucket> {
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

pub async fn summary(tx: &mut Tx, year: i32) -> AppResult<Summary> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| AppError::invalid("year", ErrorCode::InvalidYear, "not a year"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| AppError::invalid("year", ErrorCode::InvalidYear, "not a year"))?;
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.student_id AS student_id, p.kind AS kind, pr.discipline AS discipline, d.name AS discipline_name,
                pr.degree_level AS degree_level, s.id AS school_id, s.name AS school_name,
                dep.id AS department_id, site.name || ' — ' || dep.name AS department_name
         FROM placements p JOIN programs pr ON pr.id = p.program_id JOIN disciplines d ON d.code = pr.discipline
         JOIN schools s ON s.id = p.school_id JOIN departments dep ON dep.id = p.department_id JOIN sites site ON site.id = dep.site_id
         WHERE p.status <> 'cancelled' AND p.student_id IS NOT NULL AND p.starts_on <= $2 AND p.ends_on >= $1")
        .bind(from).bind(to).fetch_all(c).await).map_err(crate::db::DbError::from)?;
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

pub fn year_param(params: &Params, default: i32) -> AppResult<i32> {
    match params.get("year") {
        None => Ok(default),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| {
                AppError::invalid("year", ErrorCode::InvalidYear, "a year from 2000 to 2100")
            }),
    }
}

pub fn to_csv(s: &Summary) -> String {
    let mut t = crate::http::pages::view::Table::new(
        "summary",
        vec!["dimension", "key", "label", "students"],
        "",
    );
    let dims = [
        ("discipline", &s.by_discipline),
        ("degree_level", &s.by_degree_level),
        ("school", &s.by_school),
        ("department", &s.by_department),
        ("kind", &s.by_kind),
    ];
    use crate::http::pages::view::Cell;
    t.rows.push(vec![
        Cell::text("total"),
        Cell::text(""),
        Cell::text("All students"),
        Cell::text(s.total.to_string()),
    ]);
    for (dim, list) in dims {
        for b in list.iter() {
            t.rows.push(vec![
                Cell::text(dim),
                Cell::text(&b.key),
                Cell::text(&b.label),
                Cell::text(b.students.to_string()),
            ]);
        }
    }
    t.csv()
}

#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", security(("bearer" = [])),
    params(("year" = Option<i32>, Query, description = "default: this year")),
    responses((status = 200, body = Summary), (status = 403, body = crate::http::error::Problem)))]
pub async fn get_summary(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<Summary>> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = year_param(&params, chrono::Datelike::year(&st.clock.today()))?;
    let mut tx = st.db.read().await?;
    Ok(Json(summary(&mut tx, year).await?))
}

#[utoipa::path(get, path = "/api/v1/reports/summary.csv", tag = "reports", security(("bearer" = [])),
    params(("year" = Option<i32>, Query)),
    responses((status = 200, content_type = "text/csv", description = "columns dimension,key,label,students")))]
pub async fn get_summary_csv(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Response> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = year_param(&params, chrono::Datelike::year(&st.clock.today()))?;
    let mut tx = st.db.read().await?;
    let s = summary(&mut tx, year).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"summary-{year}.csv\""),
            ),
        ],
        to_csv(&s),
    )
        .into_response())
}
