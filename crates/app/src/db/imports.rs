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
    pub name: String,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
}

pub async fn users(tx: &mut Tx) -> DbResult<Vec<UserKey>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT email, id, role, name, school_id, staff_id, student_id FROM users").fetch_all(c).await)?)
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

/// New students, each with their first enrollment (started `at`) and search text, in
/// multi-row inserts: what `students::insert` writes for one, for thousands.
pub async fn insert_students(
    tx: &mut Tx,
    students: &[&super::students::Student],
    at: chrono::DateTime<chrono::Utc>,
) -> DbResult<()> {
    use crate::domain::search::fold;
    for chunk in students.chunks(400) {
        let folded: Vec<String> = chunk
            .iter()
            .map(|s| {
                fold(&super::search::student_text(
                    &s.first_name,
                    &s.last_name,
                    &s.email,
                ))
            })
            .collect();
        let sql = super::values_sql(
            "INSERT INTO students (id, school_id, program_id, first_name, last_name, email, enrollment_status, expected_graduation, search) VALUES ",
            chunk.len(),
            9,
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (s, folded) in chunk.iter().zip(&folded) {
                q = q.bind(&s.id).bind(&s.school_id).bind(&s.program_id).bind(&s.first_name)
                    .bind(&s.last_name).bind(&s.email).bind(&s.enrollment_status).bind(s.expected_graduation)
                    .bind(folded);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        let with_text: Vec<(&str, &str)> = chunk
            .iter()
            .zip(&folded)
            .map(|(s, f)| (s.id.as_str(), f.as_str()))
            .collect();
        super::search::insert_student_suffixes(tx, &with_text).await?;
        let ids: Vec<&str> = chunk.iter().map(|s| s.id.as_str()).collect();
        super::search::mark_search_written(tx, &ids).await?;
        let sql = super::values_sql(
            "INSERT INTO enrollments (id, student_id, school_id, program_id, status, expected_graduation, started_at) VALUES ",
            chunk.len(),
            7,
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for s in chunk {
                q = q.bind(super::new_id()).bind(&s.id).bind(&s.school_id).bind(&s.program_id)
                    .bind(&s.enrollment_status).bind(s.expected_graduation).bind(at);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// New users with their search text, in multi-row inserts.
pub async fn insert_users(tx: &mut Tx, users: &[&super::users::User]) -> DbResult<()> {
    use crate::domain::search::fold;
    for chunk in users.chunks(400) {
        let sql = super::values_sql(
            "INSERT INTO users (id, email, name, role, school_id, staff_id, student_id, password_hash, created_at, search) VALUES ",
            chunk.len(),
            10,
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for u in chunk {
                q = q.bind(&u.id).bind(&u.email).bind(&u.name).bind(&u.role).bind(&u.school_id)
                    .bind(&u.staff_id).bind(&u.student_id).bind(&u.password_hash).bind(u.created_at)
                    .bind(fold(&super::search::user_text(&u.name, &u.email)));
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}
