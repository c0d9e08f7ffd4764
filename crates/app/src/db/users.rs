use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Tx, like, paged};
use crate::on_tx;
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student_id: Option<String>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Set while an admin has disabled the account: no sign-in, no session. Serialized (in
    /// the audit trail) as the API shows it: `disabled: bool` (the event has its own time).
    #[serde(rename = "disabled", serialize_with = "is_set")]
    pub disabled_at: Option<DateTime<Utc>>,
}

fn is_set<S: serde::Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(at.is_some())
}

const COLS: &str = "id, email, name, role, school_id, staff_id, student_id, password_hash, created_at, disabled_at";

/// The list page's sortable columns (key, SQL expression).
const SORT_KEYS: &[(&str, &str)] = &[
    ("name", "LOWER(name)"),
    ("email", "LOWER(email)"),
    ("role", "role"),
    ("created", "created_at"),
];

pub async fn list(
    tx: &mut Tx,
    q: &Option<String>,
    role: &Option<String>,
    page: &Page,
) -> DbResult<Paged<User>> {
    let sql = format!(
        "SELECT {COLS} FROM users WHERE id > $1 AND ($2 IS NULL OR search LIKE $2 ESCAPE '\\')
         AND ($3 IS NULL OR role = $3) {}",
        page.order_by(SORT_KEYS, 4)
    );
    let rows: Vec<User> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(like(q)).bind(role).bind(page.fetch_limit()).fetch_all(c).await)?;
    Ok(paged(rows, page, |u| &u.id))
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<User>> {
    let sql = format!("SELECT {COLS} FROM users WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

/// The users with these ids (those that exist), in one query.
pub async fn get_many(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<User>> {
    super::fetch_in(
        tx,
        &format!("SELECT {COLS} FROM users WHERE id IN ({{ids}})"),
        ids,
    )
    .await
}

pub async fn by_email(tx: &mut Tx, email: &str) -> DbResult<Option<User>> {
    let sql = format!("SELECT {COLS} FROM users WHERE email = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(email).fetch_optional(c).await)?,
    )
}

pub async fn insert(tx: &mut Tx, u: &User) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO users (id, email, name, role, school_id, staff_id, student_id, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(&u.id).bind(&u.email).bind(&u.name).bind(&u.role).bind(&u.school_id).bind(&u.staff_id)
        .bind(&u.student_id).bind(&u.password_hash).bind(u.created_at).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Users, &u.id).await?;
    Ok(())
}

/// Disables the account (`Some(at)`) or enables it again (`None`). Answers whether the user
/// exists.
pub async fn set_disabled(tx: &mut Tx, id: &str, at: Option<DateTime<Utc>>) -> DbResult<bool> {
    let n = on_tx!(tx, c => sqlx::query("UPDATE users SET disabled_at = $2 WHERE id = $1")
        .bind(id).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

pub async fn count(tx: &mut Tx) -> DbResult<i64> {
    let (n,): (i64,) =
        on_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(c).await)?;
    Ok(n)
}

/// The account linked to a student record, if any (the oldest, should there be more).
pub async fn by_student(tx: &mut Tx, student_id: &str) -> DbResult<Option<User>> {
    let sql = format!("SELECT {COLS} FROM users WHERE student_id = $1 ORDER BY created_at LIMIT 1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(student_id).fetch_optional(c).await)?,
    )
}

/// The account linked to a staff record, if any (the oldest, should there be more).
pub async fn by_staff(tx: &mut Tx, staff_id: &str) -> DbResult<Option<User>> {
    let sql = format!("SELECT {COLS} FROM users WHERE staff_id = $1 ORDER BY created_at LIMIT 1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(staff_id).fetch_optional(c).await)?,
    )
}

/// The names of a school's coordinators (users of role `school_coordinator` linked to it,
/// not disabled), by name.
pub async fn school_coordinators(tx: &mut Tx, school_id: &str) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT name FROM users WHERE role = 'school_coordinator' AND school_id = $1 AND disabled_at IS NULL ORDER BY name")
        .bind(school_id).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
