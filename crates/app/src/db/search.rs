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
    let sql = format!("UPDATE {} SET search = $2 WHERE id = $1", t.table());
    on_tx!(tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id).bind(fold(text))
        .execute(c).await.map(|r| r.rows_affected()))?;
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
        for (id, text) in rows {
            write(tx, t, &id, &text).await?;
            written += 1;
        }
    }
    Ok(written)
}
