//! The versions of each agreement's text a student signs in the system (migration 0018).
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AgreementText {
    pub requirement_code: String,
    /// 1, 2, 3, … for this requirement.
    pub version: i64,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// The user who wrote this version; none for the text the product ships.
    pub created_by: Option<String>,
}

const COLS: &str = "requirement_code, version, body, created_at, created_by";

/// The newest version, if any.
pub async fn current(tx: &mut Tx, code: &str) -> DbResult<Option<AgreementText>> {
    let sql = format!(
        "SELECT {COLS} FROM agreement_texts WHERE requirement_code = $1 ORDER BY version DESC LIMIT 1"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(code).fetch_optional(c).await)?,
    )
}

/// One version.
pub async fn get(tx: &mut Tx, code: &str, version: i64) -> DbResult<Option<AgreementText>> {
    let sql =
        format!("SELECT {COLS} FROM agreement_texts WHERE requirement_code = $1 AND version = $2");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(code).bind(version).fetch_optional(c).await)?,
    )
}

/// Keeps `body` as the next version (in a write transaction, which serialises writers).
pub async fn insert(
    tx: &mut Tx,
    code: &str,
    body: &str,
    now: DateTime<Utc>,
    by: &str,
) -> DbResult<AgreementText> {
    let next = current(tx, code).await?.map(|t| t.version + 1).unwrap_or(1);
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO agreement_texts (requirement_code, version, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(code).bind(next).bind(body).bind(now).bind(by).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(AgreementText {
        requirement_code: code.to_string(),
        version: next,
        body: body.to_string(),
        created_at: now,
        created_by: Some(by.to_string()),
    })
}
