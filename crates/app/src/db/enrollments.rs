//! A student's enrollments: the school and program they study in (DOMAIN.md "Student"). One
//! person may hold several at once; a transfer ends one and starts another (migration 0011).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One enrollment. `ended_at` is set once the student left it (`ended_reason`: `transferred`).
/// Serialized (in the audit trail) as the API shows it inside a student; read back in that
/// shape from the JSON array a students list's statement builds ([`AS_JSON_SQLITE`]), with
/// `student_id` left empty for the reader to fill.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Enrollment {
    pub id: String,
    #[serde(skip)]
    pub student_id: String,
    pub school_id: String,
    pub program_id: String,
    /// `enrolled`, `leave`, `graduated`, `withdrawn`.
    #[serde(rename = "enrollment_status")]
    pub status: String,
    pub expected_graduation: Option<NaiveDate>,
    pub started_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<String>,
}

impl Enrollment {
    /// Not ended by a transfer (whatever its status).
    pub fn is_current(&self) -> bool {
        self.ended_at.is_none()
    }
}

const COLS: &str = "id, student_id, school_id, program_id, status, expected_graduation, started_at, ended_at, ended_reason";

/// Every enrollment of a student, current and ended, oldest first.
pub async fn of_student(tx: &mut Tx, student_id: &str) -> DbResult<Vec<Enrollment>> {
    let sql =
        format!("SELECT {COLS} FROM enrollments WHERE student_id = $1 ORDER BY started_at, id");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(student_id).fetch_all(c).await)?,
    )
}

/// The enrollments of many students at once (a list page's), oldest first per student.
/// A student's enrollments (the student as `s`) as one JSON array in [`Enrollment`]'s
/// serialized shape, in [`of_students`]'s order: one column of a list's page, so the page
/// needs no second statement for them. SQLite's form (3.44's ordered aggregates).
pub const AS_JSON_SQLITE: &str = "(SELECT json_group_array(json_object('id', e.id, 'school_id', e.school_id,
        'program_id', e.program_id, 'enrollment_status', e.status, 'expected_graduation', e.expected_graduation,
        'started_at', e.started_at, 'ended_at', e.ended_at, 'ended_reason', e.ended_reason) ORDER BY e.started_at, e.id)
     FROM enrollments e WHERE e.student_id = s.id)";

/// [`AS_JSON_SQLITE`] in PostgreSQL's form.
pub const AS_JSON_POSTGRES: &str = "(SELECT COALESCE(json_agg(json_build_object('id', e.id, 'school_id', e.school_id,
        'program_id', e.program_id, 'enrollment_status', e.status, 'expected_graduation', e.expected_graduation,
        'started_at', e.started_at, 'ended_at', e.ended_at, 'ended_reason', e.ended_reason) ORDER BY e.started_at, e.id), '[]'::json)::text
     FROM enrollments e WHERE e.student_id = s.id)";

pub async fn of_students(tx: &mut Tx, student_ids: &[&str]) -> DbResult<Vec<Enrollment>> {
    super::fetch_in(
        tx,
        &format!(
            "SELECT {COLS} FROM enrollments WHERE student_id IN ({{ids}}) ORDER BY started_at, id"
        ),
        student_ids,
    )
    .await
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Enrollment>> {
    let sql = format!("SELECT {COLS} FROM enrollments WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// An enrollment of a student who has others: the row, then the student's primary enrollment
/// copied back to their record ([`sync_primary`]).
pub async fn insert(tx: &mut Tx, e: &Enrollment) -> DbResult<()> {
    insert_first(tx, e).await?;
    sync_primary(tx, &e.student_id).await
}

/// A new student's first enrollment, made from the fields just written to the student's row
/// (`db::students::insert`): it is their primary enrollment and the row already says so, so
/// there is nothing to copy back ([`sync_primary`]), the row alone.
pub async fn insert_first(tx: &mut Tx, e: &Enrollment) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO enrollments (id, student_id, school_id, program_id, status, expected_graduation, started_at, ended_at, ended_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(&e.id).bind(&e.student_id).bind(&e.school_id).bind(&e.program_id).bind(&e.status)
        .bind(e.expected_graduation).bind(e.started_at).bind(e.ended_at).bind(&e.ended_reason)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes the fields that may change: program, status, expected graduation, the end.
pub async fn update(tx: &mut Tx, e: &Enrollment) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE enrollments SET program_id = $2, status = $3, expected_graduation = $4, ended_at = $5, ended_reason = $6
         WHERE id = $1")
        .bind(&e.id).bind(&e.program_id).bind(&e.status).bind(e.expected_graduation).bind(e.ended_at)
        .bind(&e.ended_reason).execute(c).await.map(|r| r.rows_affected()))?;
    sync_primary(tx, &e.student_id).await
}

/// Copies the primary enrollment (the oldest current one) into the student's row, which API
/// v1 shows as the student's `school_id`, `program_id`, `enrollment_status` and
/// `expected_graduation`. A student whose every enrollment ended keeps the last copy.
async fn sync_primary(tx: &mut Tx, student_id: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE students SET
           school_id = COALESCE((SELECT e.school_id FROM enrollments e WHERE e.student_id = $1 AND e.ended_at IS NULL ORDER BY e.started_at, e.id LIMIT 1), school_id),
           program_id = COALESCE((SELECT e.program_id FROM enrollments e WHERE e.student_id = $1 AND e.ended_at IS NULL ORDER BY e.started_at, e.id LIMIT 1), program_id),
           enrollment_status = COALESCE((SELECT e.status FROM enrollments e WHERE e.student_id = $1 AND e.ended_at IS NULL ORDER BY e.started_at, e.id LIMIT 1), enrollment_status),
           expected_graduation = CASE WHEN EXISTS (SELECT 1 FROM enrollments e WHERE e.student_id = $1 AND e.ended_at IS NULL)
             THEN (SELECT e.expected_graduation FROM enrollments e WHERE e.student_id = $1 AND e.ended_at IS NULL ORDER BY e.started_at, e.id LIMIT 1)
             ELSE expected_graduation END
         WHERE id = $1")
        .bind(student_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
