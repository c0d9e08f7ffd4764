//! Term planning: the records a plan is built from, loaded in bulk, and the planning runs.
use super::{DbResult, Tx};
use crate::domain::period::Period;
use crate::domain::planning::{DepartmentRecord, HeldRecord, PreceptorRecord};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

pub async fn departments(tx: &mut Tx) -> DbResult<Vec<DepartmentRecord>> {
    let rows: Vec<(String, String, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, site_id, capacity FROM departments ORDER BY id").fetch_all(c).await)?;
    let hosted: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT department_id, discipline FROM department_disciplines ORDER BY department_id, discipline").fetch_all(c).await)?;
    let mut by_dept: HashMap<String, Vec<String>> = HashMap::new();
    for (d, code) in hosted {
        by_dept.entry(d).or_default().push(code);
    }
    Ok(rows
        .into_iter()
        .map(|(id, site_id, capacity)| DepartmentRecord {
            disciplines: by_dept.remove(&id).unwrap_or_default(),
            id,
            site_id,
            capacity,
        })
        .collect())
}

/// Preceptors with a discipline; staff who are not preceptors take no clinical students.
pub async fn preceptors(tx: &mut Tx) -> DbResult<Vec<PreceptorRecord>> {
    let rows: Vec<(String, String, String, i64, Option<NaiveDate>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, department_id, discipline, max_students, license_expires_on FROM staff
         WHERE is_preceptor = TRUE AND discipline IS NOT NULL ORDER BY id").fetch_all(c).await)?;
    let leave: Vec<(String, NaiveDate, NaiveDate)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT staff_id, starts_on, ends_on FROM staff_leave ORDER BY staff_id, starts_on").fetch_all(c).await)?;
    let mut by_staff: HashMap<String, Vec<Period>> = HashMap::new();
    for (s, a, b) in leave {
        if let Some(p) = Period::new(a, b) {
            by_staff.entry(s).or_default().push(p);
        }
    }
    Ok(rows
        .into_iter()
        .map(
            |(id, department_id, discipline, max_students, license_expires_on)| PreceptorRecord {
                leave: by_staff.remove(&id).unwrap_or_default(),
                id,
                department_id,
                discipline,
                max_students,
                license_expires_on,
            },
        )
        .collect())
}

/// Placements holding a seat on some day of `[from, to]` (every status but cancelled and
/// completed, proposed ones included — as for manual approval).
pub async fn held(tx: &mut Tx, from: NaiveDate, to: NaiveDate) -> DbResult<Vec<HeldRecord>> {
    let rows: Vec<(String, Option<String>, NaiveDate, NaiveDate)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT department_id, preceptor_id, starts_on, ends_on FROM placements
         WHERE status NOT IN ('cancelled', 'completed') AND ends_on >= $1 AND starts_on <= $2 ORDER BY id")
        .bind(from).bind(to).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(department_id, preceptor_id, a, b)| {
            Some(HeldRecord {
                department_id,
                preceptor_id,
                period: Period::new(a, b)?,
            })
        })
        .collect())
}

/// Program id → discipline code.
pub async fn program_disciplines(tx: &mut Tx) -> DbResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, discipline FROM programs").fetch_all(c).await)?;
    Ok(rows.into_iter().collect())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Run {
    pub id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// running, done, failed, cancelled, interrupted
    pub status: String,
    pub cancel_requested: bool,
    pub seed: i64,
    pub time_limit_ms: i64,
    pub problem_json: String,
    pub context_json: String,
    pub progress_json: Option<String>,
    pub solution_json: Option<String>,
    pub error: Option<String>,
    pub based_on: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
}

const COLS: &str = "id, starts_on, ends_on, status, cancel_requested, seed, time_limit_ms, problem_json, context_json,
    progress_json, solution_json, error, based_on, created_by, created_at, finished_at, accepted_at";

pub async fn insert(tx: &mut Tx, r: &Run) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO planning_runs (id, starts_on, ends_on, status, cancel_requested, seed, time_limit_ms, problem_json,
            context_json, progress_json, solution_json, error, based_on, created_by, created_at, finished_at, accepted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")
        .bind(&r.id).bind(r.starts_on).bind(r.ends_on).bind(&r.status).bind(r.cancel_requested).bind(r.seed)
        .bind(r.time_limit_ms).bind(&r.problem_json).bind(&r.context_json).bind(&r.progress_json)
        .bind(&r.solution_json).bind(&r.error).bind(&r.based_on).bind(&r.created_by).bind(r.created_at)
        .bind(r.finished_at).bind(r.accepted_at)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Run>> {
    let sql = format!("SELECT {COLS} FROM planning_runs WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// The most recent runs first, without their (large) problem and solution.
pub async fn recent(tx: &mut Tx, limit: i64) -> DbResult<Vec<Run>> {
    let sql = "SELECT id, starts_on, ends_on, status, cancel_requested, seed, time_limit_ms, '' AS problem_json, '' AS context_json,
            progress_json, NULL AS solution_json, error, based_on, created_by, created_at, finished_at, accepted_at
         FROM planning_runs ORDER BY created_at DESC, id DESC LIMIT $1";
    Ok(on_tx!(tx, c => sqlx::query_as(sql).bind(limit).fetch_all(c).await)?)
}

pub async fn set_progress(tx: &mut Tx, id: &str, progress_json: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE planning_runs SET progress_json = $2 WHERE id = $1 AND status = 'running'")
        .bind(id).bind(progress_json).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn finish(
    tx: &mut Tx,
    id: &str,
    status: &str,
    solution_json: Option<&str>,
    error: Option<&str>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE planning_runs SET status = $2, solution_json = $3, error = $4, finished_at = $5 WHERE id = $1")
        .bind(id).bind(status).bind(solution_json).bind(error).bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn cancel_requested(tx: &mut Tx, id: &str) -> DbResult<bool> {
    let row: Option<(bool,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT cancel_requested FROM planning_runs WHERE id = $1").bind(id).fetch_optional(c).await)?;
    Ok(row.is_some_and(|r| r.0))
}

pub async fn request_cancel(tx: &mut Tx, id: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE planning_runs SET cancel_requested = TRUE WHERE id = $1")
        .bind(id).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn set_accepted(tx: &mut Tx, id: &str, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE planning_runs SET accepted_at = $2 WHERE id = $1")
        .bind(id).bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Runs left `running` by a server that stopped: nobody is working on them any more.
pub async fn mark_interrupted(tx: &mut Tx, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE planning_runs SET status = 'interrupted', finished_at = $1 WHERE status = 'running'")
        .bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Every open (submitted or waitlisted) request still running on or after `from` and, with
/// `to`, starting by then — all pages of them.
pub async fn open_requests(
    tx: &mut Tx,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> DbResult<Vec<super::requests::PlacementRequest>> {
    let mut out = vec![];
    let mut after = None;
    loop {
        let batch = super::requests::list(
            tx,
            &super::Scope::All,
            &super::requests::Filter {
                open: true,
                from: Some(from),
                to,
                ..Default::default()
            },
            &super::Page {
                limit: 1000,
                after: after.take(),
                sort: None,
            },
        )
        .await?;
        out.extend(batch.items);
        match batch.next_cursor {
            Some(c) => after = Some(c),
            None => return Ok(out),
        }
    }
}
