//! What an import reads once before checking its rows: the people already there (matched by
//! email) and the names its references may use.
use super::{DbResult, Tx};
use crate::on_tx;

/// `(email, id, school_id)` of every student.
pub async fn students(tx: &mut Tx) -> DbResult<Vec<(String, String, String)>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT email, id, school_id FROM students").fetch_all(c).await)?,
    )
}

/// `(email, id)` of every staff member.
pub async fn staff(tx: &mut Tx) -> DbResult<Vec<(String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as("SELECT email, id FROM staff").fetch_all(c).await)?)
}

/// A user as an import matches it by email.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserKey {
    pub email: String,
    pub id: String,
    pub role: String,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
}

pub async fn users(tx: &mut Tx) -> DbResult<Vec<UserKey>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT email, id, role, school_id, staff_id, student_id FROM users").fetch_all(c).await)?)
}

/// `(id, school_id, name)` of every program.
pub async fn programs(tx: &mut Tx) -> DbResult<Vec<(String, String, String)>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as("SELECT id, school_id, name FROM programs").fetch_all(c).await)?,
    )
}

/// `(id, name, site name)` of every department.
pub async fn departments(tx: &mut Tx) -> DbResult<Vec<(String, String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT d.id, d.name, s.name FROM departments d JOIN sites s ON s.id = d.site_id").fetch_all(c).await)?)
}

/// A user's name (the import updates a person's account with their record).
pub async fn rename_user(tx: &mut Tx, id: &str, name: &str) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query("UPDATE users SET name = $2 WHERE id = $1")
        .bind(id).bind(name).execute(c).await.map(|r| r.rows_affected()))?;
    super::search::refresh(tx, super::search::Searchable::Users, id).await?;
    Ok(())
}
