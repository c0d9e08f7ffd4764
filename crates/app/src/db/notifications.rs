//! Each user's in-app notifications, newest first.
use super::{DbResult, Page, Tx};
use crate::on_tx;
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Notification {
    pub id: String,
    pub user_id: String,
    /// What happened: `document_rejected`, `document_uploaded`, ...
    pub kind: String,
    pub message: String,
    /// Where to look, a path on this site.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

const COLS: &str = "id, user_id, kind, message, link, created_at, read_at";

/// Adds a notification for `user_id`, inside the caller's transaction.
pub async fn notify(
    tx: &mut Tx,
    user_id: &str,
    kind: &str,
    message: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> DbResult<String> {
    let id = super::new_id();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, message, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id).bind(user_id).bind(kind).bind(message).bind(link).bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(id)
}

/// A user's notifications, newest first; the cursor is the last id of the page.
pub async fn of_user(
    tx: &mut Tx,
    user_id: &str,
    unread_only: bool,
    page: &Page,
) -> DbResult<Vec<Notification>> {
    let sql = format!(
        "SELECT {COLS} FROM notifications
         WHERE user_id = $1 AND ($2 = '' OR id < $2) AND ($3 = FALSE OR read_at IS NULL)
         ORDER BY id DESC LIMIT $4"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(user_id).bind(page.after()).bind(unread_only).bind(page.fetch_limit())
        .fetch_all(c).await)?,
    )
}

pub async fn unread_count(tx: &mut Tx, user_id: &str) -> DbResult<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id).fetch_one(c).await)?;
    Ok(n)
}

/// Marks the user's own notification read (once; reading again keeps the first time).
/// `None` when there is no such notification of this user.
pub async fn mark_read(
    tx: &mut Tx,
    user_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> DbResult<Option<Notification>> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL")
        .bind(id).bind(user_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    let sql = format!("SELECT {COLS} FROM notifications WHERE id = $1 AND user_id = $2");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id).bind(user_id).fetch_optional(c).await)?,
    )
}

/// Marks every unread notification of the user read; returns how many.
pub async fn mark_all_read(tx: &mut Tx, user_id: &str, now: DateTime<Utc>) -> DbResult<u64> {
    Ok(on_tx!(tx, c => sqlx::query(
        "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?)
}

/// The ids of the users of these roles (the office: admin and coordinator).
pub async fn users_with_roles(
    tx: &mut Tx,
    roles: &[&str],
) -> DbResult<Vec<(String, String, String)>> {
    let mut out = vec![];
    for role in roles {
        let rows: Vec<(String, String, String)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, name, email FROM users WHERE role = $1 ORDER BY id")
            .bind(*role).fetch_all(c).await)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The sign-ins of a student: (user id, name, email).
pub async fn users_of_student(
    tx: &mut Tx,
    student_id: &str,
) -> DbResult<Vec<(String, String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, email FROM users WHERE student_id = $1 ORDER BY id")
        .bind(student_id).fetch_all(c).await)?)
}

/// The school coordinators of a school: (user id, name, email).
pub async fn users_of_school(
    tx: &mut Tx,
    school_id: &str,
) -> DbResult<Vec<(String, String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, email FROM users WHERE school_id = $1 AND role = 'school_coordinator' ORDER BY id")
        .bind(school_id).fetch_all(c).await)?)
}
