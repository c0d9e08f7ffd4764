//! Internship projects (migration 0022): the project row (agreements, deliverable) and its
//! objectives and milestones.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, Default, sqlx::FromRow, serde::Serialize)]
pub struct ProjectRow {
    pub placement_id: String,
    pub faculty_agreed_by: Option<String>,
    pub faculty_agreed_by_name: Option<String>,
    pub faculty_agreed_at: Option<DateTime<Utc>>,
    pub mentor_agreed_by: Option<String>,
    pub mentor_agreed_by_name: Option<String>,
    pub mentor_agreed_at: Option<DateTime<Utc>>,
    pub agreement_reset_at: Option<DateTime<Utc>>,
    pub agreement_reset_by_name: Option<String>,
    pub agreement_reset_reason: Option<String>,
    pub deliverable_name: Option<String>,
    pub deliverable_sha256: Option<String>,
    pub deliverable_size: Option<i64>,
    pub deliverable_uploaded_at: Option<DateTime<Utc>>,
    pub deliverable_status: Option<String>,
    pub deliverable_note: Option<String>,
    pub deliverable_reviewed_by_name: Option<String>,
    pub deliverable_reviewed_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl ProjectRow {
    pub fn any_agreement(&self) -> bool {
        self.faculty_agreed_at.is_some() || self.mentor_agreed_at.is_some()
    }
}

const COLS: &str = "placement_id, faculty_agreed_by, faculty_agreed_by_name, faculty_agreed_at, mentor_agreed_by,
    mentor_agreed_by_name, mentor_agreed_at, agreement_reset_at, agreement_reset_by_name, agreement_reset_reason,
    deliverable_name, deliverable_sha256, deliverable_size, deliverable_uploaded_at, deliverable_status,
    deliverable_note, deliverable_reviewed_by_name, deliverable_reviewed_at, updated_at";

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct ItemRow {
    pub id: String,
    pub placement_id: String,
    /// objective or milestone
    pub kind: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    /// Milestones: planned, in_progress, done, dropped.
    pub status: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const ITEM_COLS: &str = "id, placement_id, kind, title, due_on, status, created_at, updated_at";

/// The project of the placement; an internship without one yet reads as an empty project.
pub async fn get(tx: &mut Tx, placement_id: &str) -> DbResult<ProjectRow> {
    let sql = format!("SELECT {COLS} FROM projects WHERE placement_id = $1");
    let row: Option<ProjectRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(placement_id).fetch_optional(c).await)?;
    Ok(row.unwrap_or_else(|| ProjectRow {
        placement_id: placement_id.to_string(),
        ..Default::default()
    }))
}

/// Writes the whole project row (inserted the first time).
pub async fn save(tx: &mut Tx, p: &ProjectRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO projects (placement_id, faculty_agreed_by, faculty_agreed_by_name, faculty_agreed_at, mentor_agreed_by,
            mentor_agreed_by_name, mentor_agreed_at, agreement_reset_at, agreement_reset_by_name, agreement_reset_reason,
            deliverable_name, deliverable_sha256, deliverable_size, deliverable_uploaded_at, deliverable_status,
            deliverable_note, deliverable_reviewed_by_name, deliverable_reviewed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         ON CONFLICT (placement_id) DO UPDATE SET faculty_agreed_by = $2, faculty_agreed_by_name = $3,
            faculty_agreed_at = $4, mentor_agreed_by = $5, mentor_agreed_by_name = $6, mentor_agreed_at = $7,
            agreement_reset_at = $8, agreement_reset_by_name = $9, agreement_reset_reason = $10,
            deliverable_name = $11, deliverable_sha256 = $12, deliverable_size = $13, deliverable_uploaded_at = $14,
            deliverable_status = $15, deliverable_note = $16, deliverable_reviewed_by_name = $17,
            deliverable_reviewed_at = $18, updated_at = $19")
        .bind(&p.placement_id).bind(&p.faculty_agreed_by).bind(&p.faculty_agreed_by_name).bind(p.faculty_agreed_at)
        .bind(&p.mentor_agreed_by).bind(&p.mentor_agreed_by_name).bind(p.mentor_agreed_at)
        .bind(p.agreement_reset_at).bind(&p.agreement_reset_by_name).bind(&p.agreement_reset_reason)
        .bind(&p.deliverable_name).bind(&p.deliverable_sha256).bind(p.deliverable_size).bind(p.deliverable_uploaded_at)
        .bind(&p.deliverable_status).bind(&p.deliverable_note).bind(&p.deliverable_reviewed_by_name)
        .bind(p.deliverable_reviewed_at).bind(p.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn items(tx: &mut Tx, placement_id: &str) -> DbResult<Vec<ItemRow>> {
    let sql = format!(
        "SELECT {ITEM_COLS} FROM project_items WHERE placement_id = $1 ORDER BY kind DESC, created_at, id"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(placement_id).fetch_all(c).await)?,
    )
}

pub async fn item(tx: &mut Tx, placement_id: &str, id: &str) -> DbResult<Option<ItemRow>> {
    let sql = format!("SELECT {ITEM_COLS} FROM project_items WHERE id = $1 AND placement_id = $2");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).bind(placement_id).fetch_optional(c).await)?,
    )
}

pub async fn insert_item(tx: &mut Tx, i: &ItemRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO project_items (id, placement_id, kind, title, due_on, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&i.id).bind(&i.placement_id).bind(&i.kind).bind(&i.title).bind(i.due_on).bind(&i.status)
        .bind(i.created_at).bind(i.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update_item(tx: &mut Tx, i: &ItemRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE project_items SET title = $2, due_on = $3, status = $4, updated_at = $5 WHERE id = $1")
        .bind(&i.id).bind(&i.title).bind(i.due_on).bind(&i.status).bind(i.updated_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_item(tx: &mut Tx, id: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM project_items WHERE id = $1")
        .bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
