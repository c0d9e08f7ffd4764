//! Inquiries from people who are not (or not yet) placed students.
use super::{DbResult, Page, Paged, Tx, paged};
use crate::on_tx;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Inquiry {
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_student: bool,
    /// clinical, internship, observership, volunteer
    pub interest: String,
    pub school: Option<String>,
    pub program: Option<String>,
    pub message: Option<String>,
    /// placement_request, observership, volunteer
    pub route: String,
    /// new, contacted, closed
    pub status: String,
    #[serde(skip)]
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

const COLS: &str = "id, name, email, is_student, interest, school, program, message, route, status, ip, created_at";

pub async fn insert(tx: &mut Tx, i: &Inquiry) -> DbResult<()> {
    let sql = format!(
        "INSERT INTO inquiries ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&i.id).bind(&i.name).bind(&i.email).bind(i.is_student).bind(&i.interest).bind(&i.school).bind(&i.program)
        .bind(&i.message).bind(&i.route).bind(&i.status).bind(&i.ip).bind(i.created_at)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Serializes inquiries from one address on PostgreSQL, so a burst cannot count before any of
/// its rows is written and slip past the hourly limit. SQLite's write transaction
/// (`BEGIN IMMEDIATE`) already excludes other writers.
pub async fn lock_ip(tx: &mut Tx, ip: &str) -> DbResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('inquiry:' || $1))")
            .bind(ip)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

pub async fn count_from_ip_since(tx: &mut Tx, ip: &str, since: DateTime<Utc>) -> DbResult<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM inquiries WHERE ip = $1 AND created_at > $2")
        .bind(ip).bind(since).fetch_one(c).await)?;
    Ok(n)
}

pub async fn list(
    tx: &mut Tx,
    status: &Option<String>,
    route: &Option<String>,
    page: &Page,
) -> DbResult<Paged<Inquiry>> {
    let sql = format!(
        "SELECT {COLS} FROM inquiries WHERE id > $1 AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR route = $3) ORDER BY id LIMIT $4"
    );
    let rows: Vec<Inquiry> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(status).bind(route).bind(page.fetch_limit()).fetch_all(c).await)?;
    Ok(paged(rows, page, |i| &i.id))
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Inquiry>> {
    let sql = format!("SELECT {COLS} FROM inquiries WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

pub async fn set_status(tx: &mut Tx, id: &str, status: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE inquiries SET status = $2 WHERE id = $1").bind(id).bind(status).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
