//! The statement of a page of students (`super::list`'s rules): which students a scope
//! reads, the school, program and status filters, and how a name search finds its students
//! ([`SearchBy`]). Split from `db::students` by responsibility (ARCHITECTURE.md rule 10).
use super::Filter;
use super::name_index::indexed_matches;
use crate::db::{DbResult, Page, Scope, Tx, like};

/// The list page's sortable columns (key, SQL expression).
const SORT_KEYS: &[(&str, &str)] = &[
    ("name", "LOWER(s.last_name || ' ' || s.first_name)"),
    ("email", "LOWER(s.email)"),
    (
        "school",
        "(SELECT LOWER(x.name) FROM schools x WHERE x.id = s.school_id)",
    ),
    (
        "program",
        "(SELECT LOWER(x.name) FROM programs x WHERE x.id = s.program_id)",
    ),
    ("enrollment", "s.enrollment_status"),
    ("graduation", "s.expected_graduation"),
];

/// Binds a [`ListStatement`]'s parameters, `$1` to `$13` in its order, to the query `$q`.
/// Defined first, and the module declared with `#[macro_use]` before `name_index`, which
/// binds them too (a macro is seen below its text).
macro_rules! bind_page {
    ($q:expr, $st:expr, $f:expr, $page:expr) => {
        $q.bind($page.after())
            .bind(&$f.school_id)
            .bind($st.school)
            .bind($st.only)
            .bind(&$f.program_id)
            .bind(&$f.status)
            .bind(&$st.search)
            .bind($page.fetch_limit())
            .bind($st.staff)
            .bind($st.dept)
            .bind($st.faculty)
            .bind(&$st.search_to)
            .bind(&$st.recheck)
    };
}

/// The statement of a page of students ([`super::list`]'s rules) selecting `columns` of `students s`,
/// and what it binds besides the page: `$1` the cursor, `$2` the school filter, `$3`
/// [`ListStatement::school`], `$4` `only`, `$5` the program filter, `$6` the status filter,
/// `$7` `search`, `$8` the limit, `$9` `staff`, `$10` `dept`, `$11` `faculty`, `$12`
/// `search_to`, `$13` `recheck`.
pub(super) struct ListStatement<'a> {
    pub(super) sql: String,
    pub(super) school: Option<&'a str>,
    pub(super) only: Option<&'a str>,
    pub(super) staff: Option<&'a str>,
    pub(super) dept: Option<&'a str>,
    pub(super) faculty: Option<&'a str>,
    pub(super) search: Option<String>,
    /// The end of a word-suffix range whose start is `search` ([`SearchBy::Range`]), or the
    /// held suffixes' `since` ([`SearchBy::Held`]).
    pub(super) search_to: Option<String>,
    /// The LIKE pattern each student a [`SearchBy::Held`] search names is checked against.
    pub(super) recheck: Option<String>,
}

/// How a [`ListStatement`] finds the students a name search (`q`) matches.
pub(super) enum SearchBy {
    /// Ask an index first (`name_index::indexed_matches`), then read the page by id, or by
    /// LIKE when no index can say.
    Index,
    /// A range of the word suffixes (from, to), read inside the page's own statement
    /// (`name_index::page_in_range` names it `m`).
    Range((String, String)),
    /// The LIKE alone: the name is known to be common.
    Like,
    /// The students the suffixes held in memory name (`ids`, a JSON array) and those written
    /// since they were read (`students.search_seq` at or above `since`, which
    /// `name_index::page_with_held` reads as `d`), each checked against the LIKE pattern.
    Held { ids: String, since: i64 },
}

impl<'a> ListStatement<'a> {
    /// `None` when the page is empty whatever the store holds (no scope, or a name search
    /// the index says matches nobody).
    pub(super) async fn new(
        tx: &mut Tx,
        scope: &'a Scope,
        f: &Filter,
        page: &Page,
        columns: &str,
        search_by: SearchBy,
    ) -> DbResult<Option<ListStatement<'a>>> {
        let (school, only, staff, dept, faculty) = match scope {
            Scope::All => (None, None, None, None, None),
            Scope::School(s) => (Some(s.as_str()), None, None, None, None),
            Scope::Student(id) => (None, Some(id.as_str()), None, None, None),
            Scope::Staff(id) => (None, None, Some(id.as_str()), None, None),
            Scope::Department(id) => (None, None, None, Some(id.as_str()), None),
            Scope::Faculty(id) => (None, None, None, None, Some(id.as_str())),
            Scope::Nothing => return Ok(None),
        };
        // A school's or program's students are found from its enrollments (enrollments_school,
        // enrollments_program), not by walking every student in id order and asking each: for
        // a small school of a consortium that walk read most of the 20,000 to fill a page. Each
        // form names every parameter, so one bind list serves them all.
        let current = if f.school_id.is_some() {
            "s.id IN (SELECT e.student_id FROM enrollments e WHERE e.school_id = $2 AND e.ended_at IS NULL
                  AND ($5 IS NULL OR e.program_id = $5) AND ($6 IS NULL OR e.status = $6))"
        } else if f.program_id.is_some() {
            "$2 IS NULL AND s.id IN (SELECT e.student_id FROM enrollments e WHERE e.program_id = $5
                  AND e.ended_at IS NULL AND ($6 IS NULL OR e.status = $6))"
        } else if f.status.is_some() {
            "$2 IS NULL AND $5 IS NULL AND EXISTS (SELECT 1 FROM enrollments e
                  WHERE e.student_id = s.id AND e.ended_at IS NULL AND e.status = $6)"
        } else {
            "$2 IS NULL AND $5 IS NULL AND $6 IS NULL"
        };
        // A school reads the students enrolled there, now or before.
        let school_scope = if school.is_some() {
            "s.id IN (SELECT e.student_id FROM enrollments e WHERE e.school_id = $3)"
        } else {
            "$3 IS NULL"
        };
        // Only a search names the search column: `$7 IS NULL OR s.search LIKE $7` in one plan
        // would keep PostgreSQL's cached plan from the trigram index (migration 0029). `$7` is
        // the LIKE pattern, the ids of the students an index found (`indexed_matches`), or the
        // start of a word-suffix range whose end is `$12`. `$13` is named only by a search of
        // held suffixes.
        let mut recheck = None;
        let (search, search_param, search_to) = match (like(&f.q), search_by) {
            (None, _) => ("$7 IS NULL AND $12 IS NULL", None, None),
            (Some(pattern), SearchBy::Held { ids, since }) => {
                recheck = Some(pattern);
                // PostgreSQL only (`held_suffixes`). `= ANY (ARRAY(...))` is an index condition
                // on the primary key, so the named students are looked up by id. As `IN (SELECT
                // ...)` the kept generic plan walked every student in id order instead, guessing
                // the LIKE rare enough to fill the page soon (48 ms a search, psql `EXPLAIN
                // ANALYZE EXECUTE`). `|| ''` keeps the trigram index (migration 0029) from
                // reading the pattern.
                (
                    "s.id = ANY (ARRAY(SELECT json_array_elements_text($7::json) UNION ALL SELECT id FROM d))
                     AND (s.search || '') LIKE $13 ESCAPE '\\'",
                    Some(ids),
                    Some(since.to_string()),
                )
            }
            (Some(_), SearchBy::Range((from, to))) => (
                match tx {
                    Tx::Sqlite(_) => "s.id IN (SELECT student_id FROM m)",
                    Tx::Postgres(_) => "s.id IN (SELECT json_array_elements_text(m.ids::json))",
                },
                Some(from),
                Some(to),
            ),
            (Some(pattern), SearchBy::Like) => (
                "s.search LIKE $7 ESCAPE '\\' AND $12 IS NULL",
                Some(pattern),
                None,
            ),
            (Some(pattern), SearchBy::Index) => match indexed_matches(tx, &pattern).await? {
                Some(ids) if ids == "[]" => return Ok(None),
                Some(ids) => (
                    match tx {
                        Tx::Sqlite(_) => {
                            "s.id IN (SELECT value FROM json_each($7)) AND $12 IS NULL"
                        }
                        Tx::Postgres(_) => {
                            "s.id IN (SELECT json_array_elements_text($7::json)) AND $12 IS NULL"
                        }
                    },
                    Some(ids),
                    None,
                ),
                None => (
                    "s.search LIKE $7 ESCAPE '\\' AND $12 IS NULL",
                    Some(pattern),
                    None,
                ),
            },
        };
        // A preceptor, department manager or faculty member reads the students placed with
        // them. Each form leaves out the conditions that do not apply (`$9 IS NULL`, not
        // `($9 IS NULL OR EXISTS (...))`), as `current` does: PostgreSQL costs a generic plan
        // with every subquery it might run, so a statement holding all three was planned anew
        // at every call (0.1 ms, more than the page of ids took to read); without them it
        // keeps the one plan (bench/results/server-scale.md, twelfth round).
        let placed_with = match scope {
            Scope::Staff(_) => "$10 IS NULL AND $11 IS NULL AND EXISTS (SELECT 1 FROM placements p
                  WHERE p.student_id = s.id AND p.status <> 'cancelled' AND (p.preceptor_id = $9 OR p.site_mentor_id = $9))",
            Scope::Department(_) => "$9 IS NULL AND $11 IS NULL AND EXISTS (SELECT 1 FROM placements p
                  WHERE p.student_id = s.id AND p.status <> 'cancelled' AND p.department_id = $10)",
            Scope::Faculty(_) => "$9 IS NULL AND $10 IS NULL AND EXISTS (SELECT 1 FROM placements p
                  WHERE p.student_id = s.id AND p.status <> 'cancelled' AND p.faculty_user_id = $11)",
            _ => "$9 IS NULL AND $10 IS NULL AND $11 IS NULL",
        };
        let sql = format!(
            "SELECT {columns} FROM students s WHERE id > $1
             AND {current}
             AND {school_scope}
             AND ($4 IS NULL OR id = $4)
             AND {search}
             AND {}
             AND {placed_with}
             {}",
            if recheck.is_some() {
                "true"
            } else {
                "$13 IS NULL"
            },
            page.order_by(SORT_KEYS, 8)
        );
        Ok(Some(ListStatement {
            sql,
            school,
            only,
            staff,
            dept,
            faculty,
            search: search_param,
            search_to,
            recheck,
        }))
    }
}
