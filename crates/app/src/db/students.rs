#[macro_use]
mod list_statement;
mod common_name;
mod held_suffixes;
mod name_index;

use list_statement::{ListStatement, SearchBy};

pub use held_suffixes::HeldSuffixes;

use super::enrollments::{self, Enrollment};
use super::search;
use super::{DbResult, Page, Paged, Scope, Tx, paged};
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
    /// Every enrollment, current and ended, oldest first; the fields above copy the primary
    /// one (the oldest current). Read with the student by `get` and `list`.
    #[sqlx(skip)]
    pub enrollments: Vec<Enrollment>,
}

impl Student {
    /// The schools the student is or was enrolled at (a school reads what was theirs).
    pub fn schools(&self) -> Vec<&str> {
        self.enrollments
            .iter()
            .map(|e| e.school_id.as_str())
            .collect()
    }

    /// What eligibility reads of the student: their current enrollments.
    pub fn facts(self) -> crate::domain::eligibility::StudentFacts {
        crate::domain::eligibility::StudentFacts {
            name: self.full_name(),
            id: self.id,
            enrollments: self
                .enrollments
                .into_iter()
                .filter(Enrollment::is_current)
                .map(|e| crate::domain::eligibility::EnrollmentFacts {
                    school_id: e.school_id,
                    program_id: e.program_id,
                    status: e.status,
                })
                .collect(),
        }
    }

    /// The schools the student is enrolled at now (a school manages its current students).
    pub fn current_schools(&self) -> Vec<&str> {
        self.enrollments
            .iter()
            .filter(|e| e.is_current())
            .map(|e| e.school_id.as_str())
            .collect()
    }

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
/// placement not cancelled); a school its students, current and transferred away. The
/// `school_id`, `program_id` and `status` filters match a current enrollment.
pub async fn list(tx: &mut Tx, scope: &Scope, f: &Filter, page: &Page) -> DbResult<Paged<Student>> {
    let columns = format!("{COLS}, {} AS enrollments_json", enrollments_json(tx));
    let Some(st) = ListStatement::new(tx, scope, f, page, &columns, SearchBy::Index).await? else {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    };
    let listed: Vec<ListedStudent> = on_tx!(tx, c => bind_page!(sqlx::query_as(sqlx::AssertSqlSafe(st.sql.as_str())), st, f, page)
        .fetch_all(c).await)?;
    let rows = read_listed(tx, listed).await?;
    Ok(paged(
        rows.into_iter().map(|(s, _)| s).collect(),
        page,
        |s| &s.id,
    ))
}

/// [`list`]'s page as each student's id and row tag (`students.row_tag`, migration 0033:
/// replaced whenever the student's row or enrollments change), in the page's order: what a
/// list answers from the students' kept answers, reading the rest with [`tagged`].
///
/// A name search of three or more letters and digits asks the suffixes the server holds in
/// memory (`held`) first, then the store's word-suffix index inside the page's statement.
pub async fn list_tags(
    conn: &mut super::LazyRead<'_>,
    held: &std::sync::Arc<HeldSuffixes>,
    scope: &Scope,
    f: &Filter,
    page: &Page,
) -> DbResult<Paged<(String, Option<i64>)>> {
    let range = name_index::inline_range(&f.q);
    // Nothing written since the held suffixes were read: memory alone answers the page, with
    // no connection taken (`HeldSuffixes::exact_page`).
    if let Some((needle, _)) = &range
        && let Some(answered) = held.exact_page(scope, f, page, needle)
    {
        return Ok(answered);
    }
    let tx = conn.get().await?;
    let mut search_by = SearchBy::Index;
    if let Some(range) = range {
        match name_index::tags_with_held(tx, held, scope, f, page, &range.0).await? {
            name_index::Held::Page(answered) => return Ok(answered),
            // A common name: walk in the list's order.
            name_index::Held::Common => search_by = SearchBy::Like,
            name_index::Held::Unknown => {
                match name_index::tags_in_range(tx, scope, f, page, range).await? {
                    Some(answered) => return Ok(answered),
                    // A common name: the range's first students are not the page.
                    None => search_by = SearchBy::Like,
                }
            }
        }
    }
    let Some(st) = ListStatement::new(tx, scope, f, page, "id, row_tag", search_by).await? else {
        return Ok(Paged {
            items: vec![],
            next_cursor: None,
        });
    };
    let rows = crate::page_tags!(tx, st.sql.as_str(), q => bind_page!(q, st, f, page))?;
    Ok(paged(rows, page, |(id, _)| id))
}

/// The students with these ids, each with their enrollments and row tag (see
/// [`list_tags`]), in no order; an id with no student is left out.
pub async fn tagged(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<(Student, i64)>> {
    let sql = format!(
        "SELECT {COLS}, row_tag, {} AS enrollments_json FROM students s WHERE id IN ({{ids}})",
        enrollments_json(tx)
    );
    let listed: Vec<ListedStudent> = super::fetch_in(tx, &sql, ids).await?;
    read_listed(tx, listed).await
}

/// The subquery of a student's (`s`) enrollments as one JSON array, in this store's dialect.
fn enrollments_json(tx: &Tx) -> &'static str {
    match tx {
        Tx::Sqlite(_) => enrollments::AS_JSON_SQLITE,
        Tx::Postgres(_) => enrollments::AS_JSON_POSTGRES,
    }
}

/// Each listed row as its student (with their enrollments) and row tag (0 where the statement
/// did not read it).
async fn read_listed(tx: &mut Tx, listed: Vec<ListedStudent>) -> DbResult<Vec<(Student, i64)>> {
    let mut rows = Vec::with_capacity(listed.len());
    let mut unread = false;
    for ListedStudent {
        mut student,
        row_tag,
        enrollments_json,
    } in listed
    {
        match serde_json::from_str::<Vec<Enrollment>>(&enrollments_json) {
            Ok(list) => {
                student.enrollments = list
                    .into_iter()
                    .map(|e| Enrollment {
                        student_id: student.id.clone(),
                        ..e
                    })
                    .collect();
            }
            Err(e) => {
                // A value the JSON form cannot carry (a timestamp written by hand in another
                // format): read the page's enrollments as their own rows instead.
                tracing::warn!(error = %e, student = %student.id, "enrollments read again as rows");
                unread = true;
            }
        }
        rows.push((student, row_tag));
    }
    if unread {
        let ids: Vec<&str> = rows.iter().map(|(s, _)| s.id.as_str()).collect();
        let mut by_student = enrollments_by_student(tx, &ids).await?;
        for (s, _) in rows.iter_mut() {
            s.enrollments = by_student.remove(&s.id).unwrap_or_default();
        }
    }
    Ok(rows)
}

/// A row of a list's page: the student, their row tag when the statement reads it, and their
/// enrollments as one JSON array ([`enrollments::AS_JSON_SQLITE`]).
#[derive(sqlx::FromRow)]
struct ListedStudent {
    #[sqlx(flatten)]
    student: Student,
    #[sqlx(default)]
    row_tag: i64,
    enrollments_json: String,
}

pub async fn placed_with(tx: &mut Tx, scope: &Scope, student_id: &str) -> DbResult<bool> {
    Ok(placement_with(tx, scope, student_id).await?.is_some())
}

/// The first placement (not cancelled) of the student placed with this scope's person or
/// department: why they may read the student (the disclosure log's reason).
pub async fn placement_with(
    tx: &mut Tx,
    scope: &Scope,
    student_id: &str,
) -> DbResult<Option<String>> {
    let (staff, dept, faculty) = match scope {
        Scope::Staff(id) => (Some(id.as_str()), None, None),
        Scope::Department(id) => (None, Some(id.as_str()), None),
        Scope::Faculty(id) => (None, None, Some(id.as_str())),
        _ => return Ok(None),
    };
    let found: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.id FROM placements p WHERE p.student_id = $1 AND p.status <> 'cancelled'
         AND ($2 IS NULL OR p.preceptor_id = $2 OR p.site_mentor_id = $2) AND ($3 IS NULL OR p.department_id = $3)
         AND ($4 IS NULL OR p.faculty_user_id = $4) ORDER BY p.starts_on, p.id LIMIT 1")
        .bind(student_id).bind(staff).bind(dept).bind(faculty).fetch_optional(c).await)?;
    Ok(found.map(|(id,)| id))
}

pub async fn get(tx: &mut Tx, id: &str) -> DbResult<Option<Student>> {
    let sql = format!("SELECT {COLS} FROM students WHERE id = $1");
    let found: Option<Student> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(c).await)?;
    let Some(mut s) = found else { return Ok(None) };
    s.enrollments = enrollments::of_student(tx, id).await?;
    Ok(Some(s))
}

/// The students with these ids (with their enrollments), in two queries (`super::fetch_in`):
/// the bulk import reads every student a file matches at once, not one by one.
pub async fn get_many(tx: &mut Tx, ids: &[&str]) -> DbResult<Vec<Student>> {
    let mut rows: Vec<Student> = super::fetch_in(
        tx,
        &format!("SELECT {COLS} FROM students WHERE id IN ({{ids}})"),
        ids,
    )
    .await?;
    with_enrollments(tx, &mut rows).await?;
    Ok(rows)
}

/// Fills each student's enrollments with one query.
async fn with_enrollments(tx: &mut Tx, rows: &mut [Student]) -> DbResult<()> {
    let ids: Vec<&str> = rows.iter().map(|s| s.id.as_str()).collect();
    let mut by_student = enrollments_by_student(tx, &ids).await?;
    for s in rows.iter_mut() {
        s.enrollments = by_student.remove(&s.id).unwrap_or_default();
    }
    Ok(())
}

/// These students' enrollments, by student, oldest first, in one query.
async fn enrollments_by_student(
    tx: &mut Tx,
    ids: &[&str],
) -> DbResult<std::collections::HashMap<String, Vec<Enrollment>>> {
    let mut by_student: std::collections::HashMap<String, Vec<Enrollment>> =
        std::collections::HashMap::new();
    for e in enrollments::of_students(tx, ids).await? {
        by_student.entry(e.student_id.clone()).or_default().push(e);
    }
    Ok(by_student)
}

/// A new student with their first enrollment (from the student's fields), started `at`;
/// answers the student as stored, with that enrollment, as [`get`] would read it back
/// (`at` kept to the microsecond, PostgreSQL's precision). The search column and
/// `search_seq` go in the insert itself and the word suffixes after it (`db::search`): a
/// student's creation is a write, and writers take their turn one at a time, so each
/// statement spared is time no other writer waits (issue 18's creates).
pub async fn insert(
    tx: &mut Tx,
    s: &Student,
    at: chrono::DateTime<chrono::Utc>,
) -> DbResult<Student> {
    use chrono::SubsecRound;
    let folded = search::student_search(&s.first_name, &s.last_name, &s.email);
    let sql = format!(
        "INSERT INTO students (id, school_id, program_id, first_name, last_name, email, enrollment_status, expected_graduation, search, search_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, {})",
        search::search_seq_now(tx)
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&s.id).bind(&s.school_id).bind(&s.program_id).bind(&s.first_name).bind(&s.last_name)
        .bind(&s.email).bind(&s.enrollment_status).bind(s.expected_graduation).bind(&folded)
        .execute(c).await.map(|r| r.rows_affected()))?;
    search::insert_student_suffixes(tx, &[(s.id.as_str(), folded.as_str())]).await?;
    let first = Enrollment {
        id: super::new_id(),
        student_id: s.id.clone(),
        school_id: s.school_id.clone(),
        program_id: s.program_id.clone(),
        status: s.enrollment_status.clone(),
        expected_graduation: s.expected_graduation,
        started_at: at.trunc_subsecs(6),
        ended_at: None,
        ended_reason: None,
    };
    enrollments::insert_first(tx, &first).await?;
    Ok(Student {
        affected_placements: None,
        enrollments: vec![first],
        ..s.clone()
    })
}

/// Writes the person's fields (names, email) with their search text in one statement, then
/// the word suffixes; the enrollment fields go through `db::enrollments`.
pub async fn update(tx: &mut Tx, s: &Student) -> DbResult<()> {
    let folded = search::student_search(&s.first_name, &s.last_name, &s.email);
    let sql = format!(
        "UPDATE students SET first_name = $2, last_name = $3, email = $4, search = $5, search_seq = {} WHERE id = $1",
        search::search_seq_now(tx)
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&s.id).bind(&s.first_name).bind(&s.last_name)
        .bind(&s.email).bind(&folded).execute(c).await.map(|r| r.rows_affected()))?;
    search::replace_student_suffixes(tx, &[(s.id.as_str(), folded.as_str())]).await
}

/// A student's name for a message: their full name, or "student" and the id when there is no
/// such student (a message must still say who it was about).
pub async fn name_for_message(tx: &mut Tx, id: &str) -> DbResult<String> {
    Ok(get(tx, id)
        .await?
        .map(|s| s.full_name())
        .unwrap_or_else(|| format!("student {id}")))
}
