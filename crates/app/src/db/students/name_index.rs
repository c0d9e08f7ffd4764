//! Which students a name search matches, asked of an index before the page's statement
//! (`super::list`, `super::list_tags`): the word suffixes on both stores (migration 0037), the
//! FTS5 trigram index on SQLite (migration 0030); or the word suffixes read inside the page's
//! own statement ([`inline_range`], [`page_in_range`]: the API's pages of ids and row tags).
//! Split from `db::students` by responsibility.
use super::common_name::{INDEXED_MATCHES_MAX, INDEXED_SUFFIXES_MAX, within_limits};
use super::held_suffixes::{HeldSuffixes, WRITTEN_SINCE_MAX};
use super::{Filter, ListStatement, SearchBy};
use crate::db::{DbResult, Page, Paged, Scope, Tx, paged};
use std::sync::Arc;

/// The word-suffix range `(from, to)` of the name search `q` when the page's own statement is
/// to read it ([`page_in_range`]): `q` is three or more letters and digits once folded.
/// `None` for any other `q`.
///
/// Why one statement: on SQLite each statement is a round trip to the connection's worker
/// thread, and with two (the range, then the page by its ids) a third of the server's time
/// under new searches for someone there went to task switches; on PostgreSQL each is a round
/// trip to the server (bench/results/server-scale.md, twelfth and thirteenth rounds).
pub(super) fn inline_range(q: &Option<String>) -> Option<(String, String)> {
    suffix_range_of(&crate::db::like(q)?)
}

/// The word-suffix range of a [`crate::db::like`] pattern's needle
/// (`domain::search::suffix_range`), or `None` when the needle is not three or more letters
/// and digits. `like` escaped `\\`, `%` and `_`; a needle holding none of them is the folded
/// `q` itself, and one holding any is not letters and digits.
fn suffix_range_of(pattern: &str) -> Option<(String, String)> {
    let needle = pattern.trim_matches('%');
    if needle.contains('\\') {
        return None;
    }
    crate::domain::search::suffix_range(needle)
}

/// The statement answering a page of students' ids and row tags (`page_sql`, a
/// `super::ListStatement` built with `SearchBy::Range`, which reads the range as `m`), with
/// whether the range is a common name's, whose page is wrong here (the range was cut short)
/// and must be read again by the walk. The range's start is `$7` and its end `$12`.
/// - SQLite: one row, the page as `[[id, tag], ...]` (`batch::read_tags`), then how many
///   suffixes and students the range read (at most [`INDEXED_SUFFIXES_MAX`] + 1 suffixes),
///   which [`within_limits`] judges.
/// - PostgreSQL: rows `(common, id, tag)`, in the page's order; one row `(common, NULL, NULL)`
///   when the page is empty. `m.ids` is `practicum_students_by_suffix`'s answer (NULL for a
///   common name), and the page is a LATERAL subquery naming it, so it runs as the inner side
///   of a nested loop over one row and keeps its order. `m` is MATERIALIZED: as a plain
///   subquery the planner pulled it up and called the function twice, once for the page and
///   once for `m.ids IS NULL` (psql `EXPLAIN ANALYZE EXECUTE`; 1.6-2.0k searches/s against
///   3.8-4.7k with two statements).
fn page_in_range(tx: &Tx, page_sql: &str) -> String {
    match tx {
        Tx::Sqlite(_) => format!(
            "WITH m AS MATERIALIZED (SELECT student_id FROM students_search_suffixes
                  WHERE suffix >= $7 AND suffix < $12 ORDER BY suffix LIMIT {})
             SELECT (SELECT COALESCE(json_group_array(json_array(id, row_tag)), '[]') FROM ({page_sql})),
                    (SELECT count(*) FROM m), (SELECT count(DISTINCT student_id) FROM m)",
            INDEXED_SUFFIXES_MAX + 1
        ),
        Tx::Postgres(_) => format!(
            "WITH m AS MATERIALIZED (SELECT practicum_students_by_suffix($7, $12) AS ids)
             SELECT m.ids IS NULL, p.id, p.row_tag FROM m LEFT JOIN LATERAL ({page_sql}) p ON true"
        ),
    }
}

/// [`super::list_tags`]'s page for a name search whose word-suffix range ([`inline_range`])
/// is read inside the page's statement ([`page_in_range`]): `Some` the page, `None` when the
/// name is common (more than [`within_limits`] allows), whose page must be walked instead.
pub(super) async fn tags_in_range(
    tx: &mut Tx,
    scope: &Scope,
    f: &Filter,
    page: &Page,
    range: (String, String),
) -> DbResult<Option<Paged<(String, Option<i64>)>>> {
    let Some(st) =
        ListStatement::new(tx, scope, f, page, "id, row_tag", SearchBy::Range(range)).await?
    else {
        return Ok(Some(Paged {
            items: vec![],
            next_cursor: None,
        }));
    };
    let sql = page_in_range(tx, &st.sql);
    let rows = match &mut *tx {
        Tx::Sqlite(c) => {
            let (tags, suffixes, students): (String, i64, i64) = bind_page!(
                sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
                st,
                f,
                page
            )
            .fetch_one(&mut **c)
            .await?;
            within_limits(suffixes, students)
                .then(|| crate::db::batch::read_tags(&tags))
                .transpose()?
        }
        Tx::Postgres(c) => {
            let rows: Vec<(bool, Option<String>, Option<i64>)> = bind_page!(
                sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
                st,
                f,
                page
            )
            .fetch_all(&mut **c)
            .await?;
            (!rows.iter().any(|(common, _, _)| *common)).then(|| {
                rows.into_iter()
                    .filter_map(|(_, id, tag)| id.map(|id| (id, tag)))
                    .collect()
            })
        }
    };
    Ok(rows.map(|rows| paged(rows, page, |(id, _)| id)))
}

/// What a name search learnt from the suffixes held in memory ([`tags_with_held`]).
pub(super) enum Held {
    /// The page.
    Page(Paged<(String, Option<i64>)>),
    /// The name is common: walk the students in the list's order.
    Common,
    /// Nothing is held yet, or too many students were written since: ask the store's index.
    Unknown,
}

/// [`super::list_tags`]'s page for a name search whose needle (`needle`, from
/// [`inline_range`]) the suffixes held in memory (`super::held_suffixes`) can answer: the
/// students they name, and the students written since they were read (at most
/// [`WRITTEN_SINCE_MAX`]), each checked against their search text, in one statement
/// ([`page_with_held`]). Starts a new read of the held suffixes when they are stale.
pub(super) async fn tags_with_held(
    tx: &mut Tx,
    held: &Arc<HeldSuffixes>,
    scope: &Scope,
    f: &Filter,
    page: &Page,
    needle: &str,
) -> DbResult<Held> {
    let Some(snapshot) = held.snapshot() else {
        held.after_search(None, 0);
        return Ok(Held::Unknown);
    };
    // SQLite holds for pages answered from memory alone (`HeldSuffixes::exact_page`); its
    // other searches read the store's suffix range in process.
    let Some(since) = snapshot.since else {
        held.after_search(Some(&snapshot), 0);
        return Ok(Held::Unknown);
    };
    let Some(ids) = snapshot.students_matching(needle) else {
        return Ok(Held::Common);
    };
    let search_by = SearchBy::Held { ids, since };
    let Some(st) = ListStatement::new(tx, scope, f, page, "id, row_tag", search_by).await? else {
        return Ok(Held::Page(Paged {
            items: vec![],
            next_cursor: None,
        }));
    };
    // Only PostgreSQL holds suffixes (`super::held_suffixes`); SQLite's snapshot is never set.
    let Tx::Postgres(c) = &mut *tx else {
        return Ok(Held::Unknown);
    };
    let sql = page_with_held(&st.sql);
    let rows: Vec<(i64, Option<String>, Option<i64>)> = bind_page!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())),
        st,
        f,
        page
    )
    .fetch_all(&mut **c)
    .await?;
    let written_since = rows.first().map_or(0, |(n, _, _)| *n);
    let rows: Vec<(String, Option<i64>)> = rows
        .into_iter()
        .filter_map(|(_, id, tag)| id.map(|id| (id, tag)))
        .collect();
    held.after_search(Some(&snapshot), written_since);
    if written_since > WRITTEN_SINCE_MAX {
        return Ok(Held::Unknown);
    }
    Ok(Held::Page(paged(rows, page, |(id, _)| id)))
}

/// The statement answering a page of students' ids and row tags (`page_sql`, a
/// `super::ListStatement` built with `SearchBy::Held`, which reads the students written since
/// as `d`), with how many were written since (at most [`WRITTEN_SINCE_MAX`] + 1: past it the
/// page may miss some). `$12` is the held suffixes' `since`; `d` is read in `search_seq` order
/// (migration 0038's index) with a literal limit, so that a kept generic plan reads the index
/// from `since` on, not the table. `(SELECT $12)` hides the value from PostgreSQL's planner:
/// knowing it, each custom plan guessed `d` empty and cheaper than the generic plan's guess,
/// so the plan cache planned every search anew (0.15 ms of planning a search, psql
/// `EXPLAIN ANALYZE EXECUTE`; 4.2-4.8k searches/s against 6.4-6.6k for the store's index).
///
/// Its rows are `(count, id, tag)`, in the page's order; one row `(count, NULL, NULL)` when the
/// page is empty (the page is a LATERAL subquery, as in [`page_in_range`]). PostgreSQL only.
fn page_with_held(page_sql: &str) -> String {
    format!(
        "WITH d AS MATERIALIZED (SELECT id FROM students WHERE search_seq >= (SELECT CAST($12 AS BIGINT))
              ORDER BY search_seq LIMIT {})
         SELECT (SELECT count(*) FROM d), p.id, p.row_tag
         FROM (SELECT 1) o LEFT JOIN LATERAL ({page_sql}) p ON true",
        WRITTEN_SINCE_MAX + 1
    )
}

/// The ids (as a JSON array) of every student whose search text matches `pattern` (a [`crate::db::like`]
/// pattern), when an index can say and they are at most [`INDEXED_MATCHES_MAX`]:
/// - a needle of three or more letters and digits is one range of the ordered word suffixes
///   (`domain::search::suffix_range`, `students_search_suffixes`), on both stores (on
///   PostgreSQL through `practicum_students_by_suffix`, whose limits are these too), unless
///   over [`INDEXED_SUFFIXES_MAX`] suffixes lie in it;
/// - on SQLite, any other needle of three or more characters is asked of the FTS5 trigram
///   index, unless it holds an escaped `%`, `_` or `\\` (FTS5 reads neither through it).
///
/// `None` otherwise (a shorter needle, a common name, or on PostgreSQL a needle with a space,
/// a dash or an `@`, which its trigram index serves inside the page's own LIKE).
pub(super) async fn indexed_matches(tx: &mut Tx, pattern: &str) -> DbResult<Option<String>> {
    // `like` escaped `\\`, `%` and `_`; a needle holding none of them is the folded `q` itself.
    let needle = pattern.trim_matches('%');
    let escaped = needle.contains('\\');
    // One row however many match (their count and ids as a JSON array): a row per match
    // would cost more in the driver than the index costs to read. A common name's ids are not
    // used, so the page's statement does not join them either.
    let (count, ids): (i64, String) = match (suffix_range_of(pattern), &mut *tx) {
        (Some((from, to)), Tx::Sqlite(c)) => {
            // Read in suffix order, so only the range is read (as on PostgreSQL, migration
            // 0037, where `SELECT DISTINCT ... LIMIT` let a plan walk every student instead).
            let (suffixes, students, ids): (i64, i64, String) = sqlx::query_as(
                "SELECT count(*), count(DISTINCT student_id), json_group_array(DISTINCT student_id) FROM (
                     SELECT student_id FROM students_search_suffixes
                     WHERE suffix >= $1 AND suffix < $2 ORDER BY suffix LIMIT $3)",
            )
            .bind(from)
            .bind(to)
            .bind(INDEXED_SUFFIXES_MAX + 1)
            .fetch_one(&mut **c)
            .await?;
            return Ok(within_limits(suffixes, students).then_some(ids));
        }
        (Some((from, to)), Tx::Postgres(c)) => {
            // The function (migration 0037) keeps its statement's plan; NULL for a common name.
            let ids: (Option<String>,) =
                sqlx::query_as("SELECT practicum_students_by_suffix($1, $2)")
                    .bind(from)
                    .bind(to)
                    .fetch_one(&mut **c)
                    .await?;
            return Ok(ids.0);
        }
        (_, Tx::Sqlite(c)) if !escaped && needle.chars().count() >= 3 => {
            sqlx::query_as(
                "SELECT count(*), COALESCE(json_group_array(student_id), '[]') FROM (
                     SELECT k.student_id FROM students_search f
                     JOIN students_search_keys k ON k.k = f.rowid
                     WHERE f.search LIKE $1 LIMIT $2)",
            )
            .bind(pattern)
            .bind(INDEXED_MATCHES_MAX + 1)
            .fetch_one(&mut **c)
            .await?
        }
        _ => return Ok(None),
    };
    Ok((count <= INDEXED_MATCHES_MAX).then_some(ids))
}
