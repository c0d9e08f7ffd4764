use super::search::{self, Searchable};
use super::{DbResult, Page, Paged, Scope, Tx, like, paged};
use crate::on_tx;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Student {
    pub id: String,
    pub school_id: String,
    pub program_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `enrolled`, `leave`, `graduated`, `withdrawn`.
    pub enrollment_status: String,
    pub expected_graduation: Option<NaiveDate>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<crate::domain::risk::AffectedPlacement>>,
}

impl Student {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub school_id: Option<String>,
    pub program_id: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
}

const COLS: &str = "id, school_id, program_id, first_name, last_name, email, enrollment_status, expected_graduation";

/// Preceptors, faculty and department managers see the students placed with them (any
/// placement not cancelled).
pub async fn list(tx: &mut Tx, scope: &Scope, f: &Filter, page: &Page) -> DbResult<Paged<Student>> {
    let (school, only, staff, dept, faculty) = match scope {
        Scope::All => (None, None, None, None, None),
        Scope::School(s) => (Some(s.as_str()), None, None, None, None),
        Scope::Student(id) => (None, Some(id.as_str()), None, None, None),
        Scope::Staff(id) => (None, None, Some(id.as_str()), None, None),
        Scope::Department(id) => (None, None, None, Some(id.as_str()), None),
        Scope::Faculty(id) => (None, None, None, None, Some(id.as_str())),
        Scope::Nothing => {
            return Ok(Paged {
                items: vec![],
                next_cursor: None,
            });
        }
    };
    let sql = format!(
        "SELECT {COLS} FROM students s WHERE id > $1 AND ($2 IS NULL OR school_id = $2) AND ($3 IS NULL OR school_id = $3)
         AND ($4 IS NULL OR id = $4) AND ($5 IS NULL OR program_id = $5) AND ($6 IS NULL OR enrollment_status = $6)
         AND ($7 IS NULL OR s.search LIKE $7 ESCAPE '\\')
         AND ($9 IS NULL OR EXISTS (SELECT 1 FROM placements p WHERE p.student_id = s.id AND p.status <> 'cancelled'
              AND (p.preceptor_id = $9 OR p.site_mentor_id = $9)))
         AND ($10 IS NULL OR EXISTS (SELECT 1 FROM placements p WHERE p.student_id = s.id AND p.status <> 'cancelled' AND p.department_id = $10))
         AND ($11 IS NULL OR EXISTS (SELECT 1 FROM placements p WHERE p.student_id = s.id AND p.status <> 'cancelled' AND p.faculty_user_id = $11))
         ORDER BY id LIMIT $8"
    );
    let rows: Vec<Student> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(page.after()).bind(&f.school_id).bind(school).bind(only).bind(&f.program_id).bind(&f.status)
        .bind(like(&f.q)).bind(page.fetch_limit()).bind(staff).bind(dept).bind(faculty)
        .fetch_all(c).await)?;
    Ok(paged(rows, page, |s| &s.id))
}

/// Whether a student is placed (not cancelled) with this scope's person or department.
pub async fn placed_with(tx: &mut Tx, scope: &Scope, student_id: &str) -> DbResult<bool> {
    let (staff, dept, faculty) = match scope {
        Scope::Staff(id) => (Some(id.as_str()), None, None),
        Scope::Department(id) => (None, Some(id.as_str()), None),
        Scope::Faculty(id) => (None, None, Some(id.as_str())),
        _ => return Ok(false),
    };
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM placements p WHERE p.student_id = $1 AND p.status <> 'cancelled'
         AND ($2 IS NULL OR p.preceptor_id = $2 OR p.site_mentor_id = $2) AND ($3 IS NULL OR p.department_id = $3)
         AND ($4 IS NULL OR p.faculty_user_id = $4)")
        .bind(student_id).bind(staff).bind(dept).bind(faculty).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Student>> {
    let sql = format!("SELECT {COLS} FROM students WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?,
    )
}

pub async fn insert(tx: &mut Tx, s: &Student) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO students (id, school_id, program_id, first_name, last_name, email, enrollment_status, expected_graduation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&s.id).bind(&s.school_id).bind(&s.program_id).bind(&s.first_name).bind(&s.last_name)
        .bind(&s.email).bind(&s.enrollment_status).bind(s.expected_graduation).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Students, &s.id).await?;
    Ok(())
}

pub async fn update(tx: &mut Tx, s: &Student) -> DbResult<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE students SET program_id = $2, first_name = $3, last_name = $4, email = $5, enrollment_status = $6,
         expected_graduation = $7 WHERE id = $1")
        .bind(&s.id).bind(&s.program_id).bind(&s.first_name).bind(&s.last_name)
        .bind(&s.email).bind(&s.enrollment_status).bind(s.expected_graduation).execute(c).await.map(|r| r.rows_affected()))?;
    search::refresh(tx, Searchable::Students, &s.id).await?;
    Ok(())
}
