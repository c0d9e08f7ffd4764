//! The disclosure log (migration 0016): who read a student's record, what, when and why.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One read of a student's record by someone other than the student.
#[derive(Clone, Debug, PartialEq, Serialize, sqlx::FromRow)]
pub struct Disclosure {
    pub id: String,
    pub student_id: String,
    pub viewer_user_id: String,
    /// The reader's name and role when they read it.
    pub viewer_name: String,
    pub viewer_role: String,
    /// What was read: `record`, `documents`, `checklist`, `document`, `file`, `export`.
    pub what: String,
    /// The document read, for `document` and `file`.
    pub record_id: Option<String>,
    /// The placement that gave a supervisor or host access.
    pub placement_id: Option<String>,
    /// Why they could read it, in words: their role, and the placement or school.
    pub reason: String,
    pub at: DateTime<Utc>,
}

const COLS: &str = "id, student_id, viewer_user_id, viewer_name, viewer_role, what, record_id, placement_id, reason, at";

pub async fn insert(tx: &mut Tx, d: &Disclosure) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO disclosures (id, student_id, viewer_user_id, viewer_name, viewer_role, what, record_id, placement_id, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(&d.id).bind(&d.student_id).bind(&d.viewer_user_id).bind(&d.viewer_name).bind(&d.viewer_role)
        .bind(&d.what).bind(&d.record_id).bind(&d.placement_id).bind(&d.reason).bind(d.at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A student's disclosures, newest first, at most `limit`.
pub async fn of_student(tx: &mut Tx, student_id: &str, limit: i64) -> DbResult<Vec<Disclosure>> {
    let sql = format!(
        "SELECT {COLS} FROM disclosures WHERE student_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(student_id).bind(limit).fetch_all(c).await)?,
    )
}
