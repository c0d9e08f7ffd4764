//! What the reports read: one row per placement that holds a seat in a period.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

/// A placed student, with the names the report groups by.
#[derive(sqlx::FromRow)]
pub struct PlacedRow {
    pub student_id: String,
    pub kind: String,
    pub discipline: String,
    pub discipline_name: String,
    pub degree_level: String,
    pub school_id: String,
    pub school_name: String,
    pub department_id: String,
    pub department_name: String,
}

/// Every named placement, not cancelled, overlapping `from..=to` (both inclusive).
pub async fn placed_between(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<PlacedRow>> {
    let rows: Vec<PlacedRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.student_id AS student_id, p.kind AS kind, pr.discipline AS discipline, d.name AS discipline_name,
                pr.degree_level AS degree_level, s.id AS school_id, s.name AS school_name,
                dep.id AS department_id, site.name || ' — ' || dep.name AS department_name
         FROM placements p JOIN programs pr ON pr.id = p.program_id JOIN disciplines d ON d.code = pr.discipline
         JOIN schools s ON s.id = p.school_id JOIN departments dep ON dep.id = p.department_id JOIN sites site ON site.id = dep.site_id
         WHERE p.status <> 'cancelled' AND p.student_id IS NOT NULL AND p.starts_on <= $2 AND p.ends_on >= $1")
        .bind(from).bind(to).fetch_all(c).await)?;
    Ok(rows)
}

/// The filters of a report, as the store applies them: placements overlapping `from..=to`
/// (both inclusive) in the site, department, school, discipline, degree level and kind given.
#[derive(Clone, Copy, Debug)]
pub struct Scope<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub site_id: Option<&'a str>,
    pub department_id: Option<&'a str>,
    pub school_id: Option<&'a str>,
    pub discipline: Option<&'a str>,
    pub degree_level: Option<&'a str>,
    pub kind: Option<&'a str>,
}

/// The joins every placement report reads through (`p` placement, `pr` program, `dep`
/// department, `site`, `sch` school, `disc` discipline).
const JOINS: &str = "FROM placements p JOIN programs pr ON pr.id = p.program_id
    JOIN disciplines disc ON disc.code = pr.discipline JOIN schools sch ON sch.id = p.school_id
    JOIN departments dep ON dep.id = p.department_id JOIN sites site ON site.id = dep.site_id";

/// The filters over [`JOINS`]; binds $1..$8 in [`Scope`]'s order. Not cancelled.
const WHERE: &str = "WHERE p.status <> 'cancelled' AND p.starts_on <= $2 AND p.ends_on >= $1
    AND ($3 IS NULL OR site.id = $3) AND ($4 IS NULL OR dep.id = $4) AND ($5 IS NULL OR p.school_id = $5)
    AND ($6 IS NULL OR pr.discipline = $6) AND ($7 IS NULL OR pr.degree_level = $7) AND ($8 IS NULL OR p.kind = $8)";

macro_rules! bind_scope {
    ($q:expr, $s:expr) => {
        $q.bind($s.from)
            .bind($s.to)
            .bind($s.site_id)
            .bind($s.department_id)
            .bind($s.school_id)
            .bind($s.discipline)
            .bind($s.degree_level)
            .bind($s.kind)
    };
}

/// A placement (not cancelled) as the reports group it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct PlacementFact {
    pub id: String,
    pub student_id: Option<String>,
    pub kind: String,
    pub status: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub discipline: String,
    pub discipline_name: String,
    pub degree_level: String,
    pub school_id: String,
    pub school_name: String,
    pub department_id: String,
    pub department_name: String,
    pub site_id: String,
    pub site_name: String,
}

/// Every placement, not cancelled, in the scope, by id.
pub async fn placements(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<PlacementFact>> {
    let sql = format!(
        "SELECT p.id AS id, p.student_id AS student_id, p.kind AS kind, p.status AS status, p.starts_on AS starts_on,
                p.ends_on AS ends_on, p.created_at AS created_at, pr.discipline AS discipline, disc.name AS discipline_name,
                pr.degree_level AS degree_level, sch.id AS school_id, sch.name AS school_name, dep.id AS department_id,
                dep.name AS department_name, site.id AS site_id, site.name AS site_name
         {JOINS} {WHERE} ORDER BY p.id"
    );
    Ok(
        on_tx!(tx, c => bind_scope!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), s).fetch_all(c).await)?,
    )
}

/// A department as the capacity report shows it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct DepartmentCapacity {
    pub id: String,
    pub name: String,
    pub site_name: String,
    pub capacity: i64,
}

/// The departments in the scope's site and department, offering its discipline when one is
/// given, by site and name.
pub async fn departments(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<DepartmentCapacity>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT dep.id AS id, dep.name AS name, site.name AS site_name, CAST(dep.capacity AS BIGINT) AS capacity
         FROM departments dep JOIN sites site ON site.id = dep.site_id
         WHERE ($1 IS NULL OR site.id = $1) AND ($2 IS NULL OR dep.id = $2)
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM department_disciplines dd WHERE dd.department_id = dep.id AND dd.discipline = $3))
         ORDER BY site.name, dep.name")
        .bind(s.site_id).bind(s.department_id).bind(s.discipline).fetch_all(c).await)?)
}

/// A decided request (approved, declined or partly approved).
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct DecidedRequest {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: DateTime<Utc>,
}

/// Every decided request of the scope's school, discipline, degree level and kind (site,
/// department and period are applied by the caller: a request has no department yet, and the
/// period is the decision's day in the office's time zone).
pub async fn decided_requests(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<DecidedRequest>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT r.id AS id, r.created_at AS created_at, r.decided_at AS decided_at
         FROM placement_requests r JOIN programs pr ON pr.id = r.program_id
         WHERE r.decided_at IS NOT NULL AND ($1 IS NULL OR r.school_id = $1) AND ($2 IS NULL OR pr.discipline = $2)
           AND ($3 IS NULL OR pr.degree_level = $3) AND ($4 IS NULL OR r.kind = $4)
         ORDER BY r.id")
        .bind(s.school_id).bind(s.discipline).bind(s.degree_level).bind(s.kind).fetch_all(c).await)?)
}

/// A document of a student placed in the scope, as clearance reads it, with its review time.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct DocumentFact {
    pub student_id: String,
    pub requirement_code: String,
    pub status: String,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub placement_id: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// Every document of every student with a placement in the scope, by student.
pub async fn documents(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<DocumentFact>> {
    let sql = format!(
        "SELECT d.student_id AS student_id, d.requirement_code AS requirement_code, d.status AS status,
                d.completed_on AS completed_on, d.expires_on AS expires_on, d.placement_id AS placement_id,
                d.reviewed_at AS reviewed_at
         FROM documents d WHERE d.student_id IN (SELECT p.student_id {JOINS} {WHERE} AND p.student_id IS NOT NULL)
         ORDER BY d.student_id, d.id"
    );
    Ok(
        on_tx!(tx, c => bind_scope!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), s).fetch_all(c).await)?,
    )
}

/// Minutes and entries of one program in one status.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProgramHours {
    pub program_id: String,
    pub program_name: String,
    pub school_name: String,
    pub discipline_name: String,
    pub status: String,
    pub minutes: i64,
    pub entries: i64,
}

/// Worked time entries dated in the period, of placements in the scope's other filters,
/// summed per program and status.
pub async fn hours(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<ProgramHours>> {
    let sql = String::from(
        "SELECT pr.id AS program_id, pr.name AS program_name, sch.name AS school_name, disc.name AS discipline_name,
                te.status AS status, CAST(SUM(te.minutes) AS BIGINT) AS minutes, CAST(COUNT(*) AS BIGINT) AS entries
         FROM time_entries te JOIN placements p ON p.id = te.placement_id JOIN programs pr ON pr.id = p.program_id
         JOIN disciplines disc ON disc.code = pr.discipline JOIN schools sch ON sch.id = p.school_id
         JOIN departments dep ON dep.id = p.department_id JOIN sites site ON site.id = dep.site_id
         WHERE te.kind = 'worked' AND te.entry_date >= $1 AND te.entry_date <= $2
           AND ($3 IS NULL OR site.id = $3) AND ($4 IS NULL OR dep.id = $4) AND ($5 IS NULL OR p.school_id = $5)
           AND ($6 IS NULL OR pr.discipline = $6) AND ($7 IS NULL OR pr.degree_level = $7) AND ($8 IS NULL OR p.kind = $8)
         GROUP BY pr.id, pr.name, sch.name, disc.name, te.status
         ORDER BY sch.name, pr.name, pr.id, te.status"
    );
    Ok(
        on_tx!(tx, c => bind_scope!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), s).fetch_all(c).await)?,
    )
}

/// A signed supervisor evaluation (midterm or final) of a placement in the scope.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ScoredEvaluation {
    pub answers_json: String,
    pub department_id: String,
    pub department_name: String,
    pub preceptor_id: Option<String>,
    pub preceptor_name: Option<String>,
}

impl ScoredEvaluation {
    pub fn answers(&self) -> crate::domain::evaluation::Answers {
        super::evaluations::stored_answers(&self.answers_json)
    }
}

/// Every signed midterm and final evaluation of the placements in the scope.
pub async fn evaluations(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<ScoredEvaluation>> {
    let sql = format!(
        "SELECT e.answers_json AS answers_json, dep.id AS department_id, site.name || ' — ' || dep.name AS department_name,
                p.preceptor_id AS preceptor_id, st.name AS preceptor_name
         {JOINS} JOIN evaluations e ON e.placement_id = p.id LEFT JOIN staff st ON st.id = p.preceptor_id
         {WHERE} AND e.status = 'signed' AND e.point IN ('midterm', 'final')
         ORDER BY e.id"
    );
    Ok(
        on_tx!(tx, c => bind_scope!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), s).fetch_all(c).await)?,
    )
}

/// An agreement as the report shows it.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AgreementFact {
    pub id: String,
    pub school_id: String,
    pub school_name: String,
    pub status: String,
    pub effective_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Every agreement in force on some day of the period (effective on or before its last day,
/// expiring on or after its first), of the scope's school, covering its discipline when one
/// is given; by school name and expiry.
pub async fn agreements(tx: &mut Tx, s: &Scope<'_>) -> DbResult<Vec<AgreementFact>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT a.id AS id, a.school_id AS school_id, sch.name AS school_name, a.status AS status,
                a.effective_on AS effective_on, a.expires_on AS expires_on
         FROM agreements a JOIN schools sch ON sch.id = a.school_id
         WHERE a.effective_on <= $2 AND a.expires_on >= $1 AND ($3 IS NULL OR a.school_id = $3)
           AND ($4 IS NULL OR EXISTS (SELECT 1 FROM agreement_disciplines ad WHERE ad.agreement_id = a.id AND ad.discipline = $4))
         ORDER BY sch.name, a.expires_on, a.id")
        .bind(s.from).bind(s.to).bind(s.school_id).bind(s.discipline).fetch_all(c).await)?)
}
