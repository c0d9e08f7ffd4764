//! The office's texts of its letters (migration 0026): one row per kind once edited; a kind
//! without a row uses the text the product ships (`domain::letters`).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct LetterTemplateRow {
    /// `placement_confirmation`, `welcome` or `agreement_renewal`.
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub updated_at: DateTime<Utc>,
    /// The user who wrote it.
    pub updated_by: Option<String>,
}

const COLS: &str = "kind, subject, body, updated_at, updated_by";

/// The office's text of `kind`, if it has written one.
pub async fn get(tx: &mut Tx, kind: &str) -> DbResult<Option<LetterTemplateRow>> {
    let sql = format!("SELECT {COLS} FROM letter_templates WHERE kind = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(kind).fetch_optional(c).await)?,
    )
}

/// Keeps `row` as the text of its kind, in place of any earlier one.
pub async fn put(tx: &mut Tx, row: &LetterTemplateRow) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO letter_templates (kind, subject, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kind) DO UPDATE SET subject = excluded.subject, body = excluded.body,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by")
        .bind(&row.kind).bind(&row.subject).bind(&row.body).bind(row.updated_at).bind(&row.updated_by)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
