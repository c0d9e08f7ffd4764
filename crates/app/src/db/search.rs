//! The search column: each searchable table keeps `search`, the folded form
//! (`domain::search::fold`) of the text its list's `q` matches, written with the row. Lists
//! match it with `LIKE` and the folded needle (`db::like`), the same way on both backends.
//!
//! The text comes from one SQL expression per table (`Searchable::source`), read back after
//! each insert or update and when a row has none yet, so writes and the backfill cannot
//! disagree. A migration cannot call Rust: it adds the column empty (NULL), and `backfill`
//! fills every NULL after migrating (`Db::migrate`), idempotently. Should the folding ever
//! change, a migration that sets `search = NULL` has every row written again on next start.
use super::{DbResult, Tx};
use crate::domain::search::fold;
use crate::on_tx;

/// The tables whose lists take `q`, and the text `q` matches in each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Searchable {
    Students,
    Staff,
    Schools,
    Sites,
    Departments,
    Programs,
    Users,
}

impl Searchable {
    pub const ALL: [Searchable; 7] = [
        Searchable::Students,
        Searchable::Staff,
        Searchable::Schools,
        Searchable::Sites,
        Searchable::Departments,
        Searchable::Programs,
        Searchable::Users,
    ];

    pub fn table(self) -> &'static str {
        match self {
            Searchable::Students => "students",
            Searchable::Staff => "staff",
            Searchable::Schools => "schools",
            Searchable::Sites => "sites",
            Searchable::Departments => "departments",
            Searchable::Programs => "programs",
            Searchable::Users => "users",
        }
    }

    /// Portable SQL over the row's own columns.
    fn source(self) -> &'static str {
        match self {
            Searchable::Students => "first_name || ' ' || last_name || ' ' || email",
            Searchable::Staff | Searchable::Users => "name || ' ' || email",
            Searchable::Schools
            | Searchable::Sites
            | Searchable::Departments
            | Searchable::Programs => "name",
        }
    }
}

async fn write(tx: &mut Tx, t: Searchable, id: &str, text: &str) -> DbResult<()> {
    let folded = fold(text);
    if t == Searchable::Students {
        return write_student(tx, id, &folded).await;
    }
    let sql = format!("UPDATE {} SET search = $2 WHERE id = $1", t.table());
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id).bind(&folded)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A student's new folded search text: the column and `search_seq` (migration 0038) in one
/// statement, then the word suffixes replaced ([`replace_student_suffixes`]).
async fn write_student(tx: &mut Tx, id: &str, folded: &str) -> DbResult<()> {
    let sql = format!(
        "UPDATE students SET search = $2, search_seq = {} WHERE id = $1",
        search_seq_now(tx)
    );
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id).bind(folded)
        .execute(c).await.map(|r| r.rows_affected()))?;
    replace_student_suffixes(tx, &[(id, folded)]).await
}

/// A student's folded search text (`domain::search::fold` of [`student_text`]), for a
/// writer that sets the column in its own statement ([`search_seq_now`] beside it) and
/// then adds the word suffixes ([`insert_student_suffixes`]): a new student
/// (`db::students::insert`), a renamed one (`db::students::update`), an import.
pub fn student_search(first_name: &str, last_name: &str, email: &str) -> String {
    fold(&student_text(first_name, last_name, email))
}

/// A student's search text before folding, as the server writes it (CSV imports): the Rust
/// twin of [`Searchable::source`]'s SQL for students, which a row written one at a time is
/// read back with. The two must agree, or an imported student would be found by other
/// needles than one created through the API (test `search::rare_and_common_names_are_found_alike_renamed_and_paged`
/// imports 400 and checks them against a scan of this text).
pub fn student_text(first_name: &str, last_name: &str, email: &str) -> String {
    format!("{first_name} {last_name} {email}")
}

/// A user's search text before folding (CSV imports): the Rust twin of
/// [`Searchable::source`]'s SQL for users, as [`student_text`] is for students.
pub fn user_text(name: &str, email: &str) -> String {
    format!("{name} {email}")
}

/// Replaces these students' word suffixes (given as `(student id, folded search text)`) with
/// those of their new text: their old rows deleted in one statement, the new ones inserted by
/// [`insert_student_suffixes`]. One student ([`write_student`], `db::students::update`) or
/// hundreds (`backfill_students`). The caller sets `search_seq`.
pub async fn replace_student_suffixes(tx: &mut Tx, students: &[(&str, &str)]) -> DbResult<()> {
    let ids: Vec<&str> = students.iter().map(|(id, _)| *id).collect();
    super::batch::execute_in(
        tx,
        "DELETE FROM students_search_suffixes WHERE student_id IN ({ids})",
        &ids,
    )
    .await?;
    insert_student_suffixes(tx, students).await
}

/// Suffix rows a multi-row insert carries at most on SQLite: two parameters each, well under
/// its limit on a statement's parameters (32,766).
const SUFFIX_ROWS_PER_INSERT: usize = 2_000;

/// Adds each student's word suffixes (`domain::search::word_suffixes` of their folded search
/// text, given as `(student id, folded text)`) to `students_search_suffixes`, the ordered
/// index a name search reads (`db::students`, migration 0037). Every write of a student's
/// search text calls it, one student or thousands (`imports::insert_students`); a rewrite
/// replaces the student's old rows ([`replace_student_suffixes`]). The caller sets
/// `search_seq` ([`search_seq_now`] in its own statement, or [`mark_search_written`]).
///
/// PostgreSQL takes the rows as two arrays (`unnest`): one statement of the same text for any
/// number of rows, so its plan is kept, and two parameters to send, not 60 for a student's
/// 30 suffixes (a student's creation is a write, and writes take their turn one at a time:
/// each statement in one is time every other writer waits). SQLite, in process, takes
/// multi-row VALUES.
pub async fn insert_student_suffixes(tx: &mut Tx, students: &[(&str, &str)]) -> DbResult<()> {
    let rows: Vec<(&str, &str)> = students
        .iter()
        .flat_map(|&(id, folded)| {
            crate::domain::search::word_suffixes(folded)
                .into_iter()
                .map(move |suffix| (suffix, id))
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    match tx {
        Tx::Postgres(t) => {
            let (suffixes, ids): (Vec<&str>, Vec<&str>) = rows.into_iter().unzip();
            sqlx::query(
                "INSERT INTO students_search_suffixes (suffix, student_id) \
                 SELECT * FROM unnest($1::text[], $2::text[])",
            )
            .bind(&suffixes)
            .bind(&ids)
            .execute(&mut **t)
            .await?;
        }
        Tx::Sqlite(t) => {
            for chunk in rows.chunks(SUFFIX_ROWS_PER_INSERT) {
                let sql = super::values_sql(
                    "INSERT INTO students_search_suffixes (suffix, student_id) VALUES ",
                    chunk.len(),
                    2,
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for (suffix, id) in chunk {
                    q = q.bind(*suffix).bind(*id);
                }
                q.execute(&mut **t).await?;
            }
        }
    }
    Ok(())
}

/// The SQL value of `search_seq` (migration 0038) for a student's search text written in
/// this transaction: on SQLite one more than the largest so far (writes are one at a time),
/// on PostgreSQL this transaction's id. What lets a name search read the students written
/// since the server's held suffixes were read (`db::students::held_suffixes`). Set in the
/// same statement as the search column where there is one.
pub fn search_seq_now(tx: &Tx) -> &'static str {
    match tx {
        Tx::Sqlite(_) => "(SELECT COALESCE(max(search_seq), 0) + 1 FROM students)",
        Tx::Postgres(_) => "pg_current_xact_id()::text::bigint",
    }
}

/// Sets these students' `search_seq` to this write's ([`search_seq_now`]), for writers whose
/// statement cannot (the import's multi-row insert).
pub async fn mark_search_written(tx: &mut Tx, ids: &[&str]) -> DbResult<()> {
    let sql = format!(
        "UPDATE students SET search_seq = {} WHERE id IN ({{ids}})",
        search_seq_now(tx)
    );
    super::batch::execute_in(tx, &sql, ids).await?;
    Ok(())
}

/// Writes the search column of one row from its current text; the store calls it after every
/// insert and every update of a searchable row, in the same transaction.
pub async fn refresh(tx: &mut Tx, t: Searchable, id: &str) -> DbResult<()> {
    let sql = format!("SELECT {} FROM {} WHERE id = $1", t.source(), t.table());
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(id).fetch_optional(c).await)?;
    if let Some((text,)) = row {
        write(tx, t, id, &text).await?;
    }
    Ok(())
}

/// Fills the search column of every row that has none (rows written before the column
/// existed). Idempotent: a second run finds nothing to do. Returns the rows written.
pub async fn backfill(tx: &mut Tx) -> DbResult<u64> {
    let mut written = 0;
    for t in Searchable::ALL {
        let sql = format!(
            "SELECT id, {} FROM {} WHERE search IS NULL ORDER BY id",
            t.source(),
            t.table()
        );
        let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .fetch_all(c).await)?;
        if t == Searchable::Students {
            written += backfill_students(tx, &rows).await?;
            continue;
        }
        for (id, text) in rows {
            write(tx, t, &id, &text).await?;
            written += 1;
        }
    }
    Ok(written)
}

/// Students backfilled per statement: migration 0037 empties every student's search column,
/// and a consortium's 20,000 written one at a time (three statements each) took 16 s of
/// start-up on PostgreSQL.
const BACKFILL_CHUNK: usize = 500;

/// [`backfill`] for students, [`BACKFILL_CHUNK`] at a time: each chunk's search column in one
/// `UPDATE ... FROM (VALUES ...)`, their word suffixes replaced in multi-row statements
/// ([`replace_student_suffixes`]). `rows` are `(id, text)`.
async fn backfill_students(tx: &mut Tx, rows: &[(String, String)]) -> DbResult<u64> {
    for chunk in rows.chunks(BACKFILL_CHUNK) {
        let folded: Vec<(&str, String)> = chunk
            .iter()
            .map(|(id, text)| (id.as_str(), fold(text)))
            .collect();
        // VALUES names its columns column1, column2 on both stores.
        let head = format!(
            "UPDATE students SET search = v.column2, search_seq = {} FROM (VALUES ",
            search_seq_now(tx)
        );
        let sql =
            super::values_sql(&head, folded.len(), 2) + ") AS v WHERE students.id = v.column1";
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
            for (id, text) in &folded {
                q = q.bind(*id).bind(text);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        let with_text: Vec<(&str, &str)> = folded.iter().map(|(id, f)| (*id, f.as_str())).collect();
        replace_student_suffixes(tx, &with_text).await?;
    }
    Ok(rows.len() as u64)
}
