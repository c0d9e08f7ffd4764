//! Reading for many records at once: a page of records reads what it refers to in one query
//! per kind of record, not one per record (issue 18's lists at consortium size).
use super::{DbResult, Tx};
use chrono::NaiveDate;

/// Runs `sql` for many ids: its `IN ({ids})` becomes a test against one bound parameter
/// holding every distinct id (SQLite: `IN` a subquery over a JSON array through `json_each`;
/// PostgreSQL: `= ANY` a `text[]`), so a page of records reads what it refers to in one query
/// instead of one query per record, and the statement's text is the same for any number of
/// ids (the connection's prepared-statement cache keeps it; a placeholder per id made a new
/// statement for every page). No ids: no query, no rows.
///
/// PostgreSQL plans `= ANY($1)` as index lookups of each id; `IN (SELECT unnest($1))` it
/// planned as a hash join, and for a large table read whole: a hundred keys looked up in
/// 25,000 sent notices took 6.9 ms by a sequential scan against 0.14 ms through the index
/// (issue 18 point 4, the placements walk's risks).
pub async fn fetch_in<T>(tx: &mut Tx, sql: &str, ids: &[&str]) -> DbResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    fetch_in_with(tx, sql, ids, &[]).await
}

/// A further parameter of a [`fetch_in_with`] statement, bound as `$2`, `$3`, ... in order.
#[derive(Clone, Copy, Debug)]
pub enum Bind<'a> {
    Date(NaiveDate),
    Text(&'a str),
}

/// [`fetch_in`] with further parameters after the ids (`$1`): `binds[0]` is `$2`, and so on.
pub async fn fetch_in_with<T>(
    tx: &mut Tx,
    sql: &str,
    ids: &[&str],
    binds: &[Bind<'_>],
) -> DbResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let ids = distinct(ids);
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = with_ids(tx, sql);
    Ok(match tx {
        Tx::Sqlite(t) => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(ids_json(&ids));
            for b in binds {
                q = match *b {
                    Bind::Date(d) => q.bind(d),
                    Bind::Text(s) => q.bind(s),
                };
            }
            q.fetch_all(&mut **t).await?
        }
        Tx::Postgres(t) => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&ids);
            for b in binds {
                q = match *b {
                    Bind::Date(d) => q.bind(d),
                    Bind::Text(s) => q.bind(s),
                };
            }
            q.fetch_all(&mut **t).await?
        }
    })
}

/// Runs the write `sql` for many ids, its `IN ({ids})` a test against one bound parameter as in
/// [`fetch_in`]: one statement whatever the number of ids, under either store's limit on a
/// statement's parameters. No ids: no statement. Returns the rows affected.
pub async fn execute_in(tx: &mut Tx, sql: &str, ids: &[&str]) -> DbResult<u64> {
    let ids = distinct(ids);
    if ids.is_empty() {
        return Ok(0);
    }
    let sql = with_ids(tx, sql);
    let q = sqlx::AssertSqlSafe(sql.as_str());
    Ok(match tx {
        Tx::Sqlite(t) => sqlx::query(q)
            .bind(ids_json(&ids))
            .execute(&mut **t)
            .await?
            .rows_affected(),
        Tx::Postgres(t) => sqlx::query(q)
            .bind(&ids)
            .execute(&mut **t)
            .await?
            .rows_affected(),
    })
}

/// `(id, code)` pairs as each id's codes, in the pairs' order: a batch's disciplines per
/// agreement or department.
pub fn codes_by_id(pairs: Vec<(String, String)>) -> std::collections::HashMap<String, Vec<String>> {
    let mut out: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (id, code) in pairs {
        out.entry(id).or_default().push(code);
    }
    out
}

/// The ids once each, sorted.
pub fn distinct<'a>(ids: &[&'a str]) -> Vec<&'a str> {
    let mut ids: Vec<&str> = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `sql` with its `IN ({ids})` as the test against the ids bound as parameter `$1` (see
/// [`fetch_in`]): bind [`ids_json`] on SQLite, the ids themselves on PostgreSQL.
fn with_ids(tx: &Tx, sql: &str) -> String {
    debug_assert!(
        sql.contains("IN ({ids})"),
        "a statement for many ids tests `IN ({{ids}})`: {sql}"
    );
    match tx {
        Tx::Sqlite(_) => sql.replace("IN ({ids})", "IN (SELECT value FROM json_each($1))"),
        Tx::Postgres(_) => sql.replace("IN ({ids})", "= ANY($1::text[])"),
    }
}

/// The ids as the JSON array SQLite's `json_each` reads.
fn ids_json(ids: &[&str]) -> String {
    serde_json::Value::from(ids.iter().map(|s| s.to_string()).collect::<Vec<_>>()).to_string()
}

/// The ids and row tags (`row_tag`, migration 0033) a page's statement `$sql` selects
/// (`SELECT id, row_tag ... ORDER BY ... LIMIT`), in its order, as a
/// `DbResult<Vec<(String, Option<i64>)>>` (a null tag: a row whose answer is never kept,
/// see `db::row_answers::RowAnswers`); `$q => $binds` binds its parameters to the query `$q`.
/// On SQLite the page comes back as one row, the pairs as a JSON array ([`read_tags`]): each
/// row a statement hands back is a message from its connection's thread, and for a page of
/// 51 small rows those messages cost more than the statement. SQLite aggregates a subquery
/// with ORDER BY and LIMIT in its order; the API's pagination and review-queue tests
/// (tests/api/pagination.rs, onboarding.rs) hold it to that. On PostgreSQL the rows come as
/// they are: the same one-row form (`json_agg`) measured no faster there (run 16), and
/// PostgreSQL promises the order of rows, not of an aggregate's input.
#[macro_export]
macro_rules! page_tags {
    ($tx:expr, $sql:expr, $q:ident => $binds:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let sql = format!(
                    "SELECT COALESCE(json_group_array(json_array(id, row_tag)), '[]') FROM ({})",
                    $sql
                );
                let $q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql.as_str()));
                $crate::db::batch::read_tags(&$binds.fetch_one(&mut **t).await?.0)
            }
            $crate::db::Tx::Postgres(t) => {
                let $q = sqlx::query_as::<_, (String, Option<i64>)>(sqlx::AssertSqlSafe($sql));
                Ok::<_, $crate::db::DbError>($binds.fetch_all(&mut **t).await?)
            }
        }
    };
}

/// The `[[id, tag], ...]` array [`page_tags`] reads on SQLite. Errors: anything else, as a
/// decoding failure.
pub fn read_tags(json: &str) -> DbResult<Vec<(String, Option<i64>)>> {
    serde_json::from_str(json).map_err(|e| super::DbError::Other(sqlx::Error::Decode(Box::new(e))))
}
