//! The store: a pool on one of the two backends ([`Db`], [`Pool`]); each store function is written once with
//! portable SQL (`$1` placeholders work on both) and the `on_tx!` macro runs it on whichever
//! backend is live. Where SQL cannot be portable, a function matches on `Tx` and has one arm
//! per backend, side by side.
use sqlx::{postgres::PgPool, sqlite::SqlitePool};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

pub mod agreement_texts;
pub mod agreements;
pub mod audit;
mod batch;
pub mod calendar_feeds;
pub mod certificates;
pub mod clearance;
pub mod dashboard;
pub mod departments;
pub mod digest;
pub mod disciplines;
pub mod disclosures;
pub mod documents;
pub mod email_preferences;
pub mod enrollments;
mod error;
pub mod evaluations;
pub mod facts_kept;
pub mod idempotency;
pub mod imports;
pub mod inquiries;
pub mod invitations;
pub mod letter_templates;
pub mod listings;
pub mod mail_queue;
pub mod mfa;
pub mod notices;
pub mod notifications;
pub mod offboarding;
mod page;
pub mod placements;
pub mod planning;
mod pool;
pub mod programs;
pub mod projects;
pub mod recent;
pub mod reports;
pub mod requests;
pub mod requirements;
pub mod row_answers;
pub mod schools;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod shifts;
pub mod sites;
pub mod sso;
pub mod staff;
pub mod students;
pub mod time_entries;
mod tx;
pub mod users;
pub mod watch;

pub use crate::domain::scope::Scope;
pub use batch::{Bind, codes_by_id, distinct, fetch_in, fetch_in_with};
pub use error::{DbError, DbResult};
pub use page::{Page, Paged, Sort, paged};
pub use tx::{Conn, Tx, Write};

/// How long a writer waits for its turn ([`Db::write`]) before its request is answered
/// `server_busy`; SQLite's own wait for its lock (`busy_timeout`, for a lock another process
/// holds, or for the moment a dropped transaction's queued rollback has not run yet) is as
/// long, and what it gives up on is a busy store too ([`DbError::Busy`]).
pub const WRITER_WAIT: Duration = Duration::from_secs(10);

/// The store: a pool on one of the two backends, and the count of write transactions this
/// process has committed through it ([`Db::write_generation`]).
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    writes: Arc<AtomicU64>,
    /// The writes among [`Db::writes`] that may change a placement's answer
    /// ([`Db::placement_generation`]).
    placement_writes: Arc<AtomicU64>,
    /// The store's count of writes to placements' facts (`placement_fact_writes`) as this
    /// process's last such write left it: what the watch does not take for another's.
    own_fact_writes: Arc<std::sync::atomic::AtomicI64>,
    /// SQLite's one writer at a time, in turn ([`Db::write`]); `None` on PostgreSQL.
    writer: Option<Arc<tokio::sync::Semaphore>>,
    sessions: Arc<sessions::SessionCache>,
    /// Every student's word suffixes, held for name searches ([`students::HeldSuffixes`]).
    held_suffixes: Arc<students::HeldSuffixes>,
    /// When the watch last asked the store and counted what it found ([`watch::Confirmed`]).
    watch_confirmed: Arc<watch::Confirmed>,
}

/// The live backend's pool.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$c` bound to the live backend's connection, inside the transaction.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        let pool = pool::open(url, max_connections).await?;
        let writer =
            matches!(pool, Pool::Sqlite(_)).then(|| Arc::new(tokio::sync::Semaphore::new(1)));
        let writes = Arc::new(AtomicU64::new(0));
        Ok(Db {
            held_suffixes: Arc::new(students::HeldSuffixes::new(pool.clone(), writes.clone())),
            writes,
            placement_writes: Arc::new(AtomicU64::new(0)),
            own_fact_writes: Arc::new(std::sync::atomic::AtomicI64::new(-1)),
            writer,
            sessions: Arc::new(sessions::SessionCache::new(
                sessions::SESSION_FRESH_FOR,
                sessions::SESSIONS_KEPT,
            )),
            pool,
            watch_confirmed: Arc::default(),
        })
    }

    /// The session rows read lately ([`sessions::find`]).
    pub(crate) fn sessions(&self) -> &sessions::SessionCache {
        &self.sessions
    }

    /// Every student's word suffixes held in memory, which a name search asks first
    /// (`students::list_tags`).
    pub fn held_suffixes(&self) -> &Arc<students::HeldSuffixes> {
        &self.held_suffixes
    }

    /// When the watch ([`Db::watch_other_writers`]) last asked the store and counted every
    /// write it found: never, while no watch runs.
    pub fn watch_confirmed(&self) -> &Arc<watch::Confirmed> {
        &self.watch_confirmed
    }

    /// The live backend's pool, for the few functions whose SQL cannot be portable.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// How many write transactions ([`Db::write`]) this process has committed through this
    /// store. A value read before a read of the store and still current after it proves no
    /// write of this process landed in between: what [`sessions::SessionCache`]
    /// keys its entries on. Writes of another process (a CLI command, a second instance on the
    /// same PostgreSQL) count when the server's watch sees them ([`watch`], within
    /// [`watch::POLL`]).
    pub fn write_generation(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// How many of this process's write transactions that may change what a placement's
    /// answer is derived from or listed by ([`Db::write`], not
    /// [`Db::write_leaving_placements`]) have committed, and other processes' writes to those
    /// records as the store counts them (migration 0039, `placement_fact_writes`; seen by the
    /// watch within [`watch::POLL`]). What is kept for the placements lists (their answers,
    /// listing and facts) is keyed on this, not on [`Db::write_generation`]: a session
    /// touched, a mail sent or a student created leaves it.
    pub fn placement_generation(&self) -> u64 {
        self.placement_writes.load(Ordering::Acquire)
    }

    /// The store's count of writes to placements' facts as this process's last such commit
    /// left it (-1 before the first): the watch takes a count equal to it for no other
    /// process's write.
    fn own_fact_writes(&self) -> i64 {
        self.own_fact_writes.load(Ordering::Acquire)
    }

    /// Counts a write committed by another process (`watch`); `placements`: one that may
    /// change a placement's answer ([`Db::placement_generation`]).
    fn count_other_write(&self, placements: bool) {
        if placements {
            self.placement_writes.fetch_add(1, Ordering::AcqRel);
        }
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// Runs the migrations, then the Rust-side steps they cannot do themselves: filling the
    /// search column of rows written before it existed (`search::backfill`, idempotent) and
    /// chaining audit events written before the chain did (`audit::backfill`, idempotent).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        let mut tx = self.write().await?;
        let written = search::backfill(&mut tx).await?;
        let chained = audit::backfill(&mut tx).await?;
        let shifts = shifts::backfill(&mut tx).await?;
        evaluations::seed_defaults(&mut tx, chrono::Utc::now()).await?;
        tx.commit().await?;
        if shifts > 0 {
            tracing::info!(
                shifts,
                "shifts generated for placements made before shifts existed"
            );
        }
        if written > 0 {
            tracing::info!(rows = written, "search column filled for existing rows");
            // The backfill may have rewritten every student and their word suffixes
            // (migration 0037): without this, autovacuum came round to them during the first
            // minutes of serving, and searches planned before its statistics ran slow (run 31,
            // bench/results/server-scale.md, twelfth round). Outside a transaction, as VACUUM
            // must be.
            if let Pool::Postgres(p) = &self.pool {
                sqlx::query("VACUUM (ANALYZE) students, students_search_suffixes")
                    .execute(p)
                    .await?;
            }
        }
        if chained > 0 {
            tracing::info!(
                events = chained,
                "audit events written before the chain chained"
            );
        }
        Ok(())
    }

    /// `Ok` when the database answers and every migration this build carries is applied
    /// (`GET /readyz`); else why not, in words without internals.
    pub async fn readiness(&self) -> Result<(), String> {
        let applied: Result<Vec<i64>, sqlx::Error> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(p)
                    .await
            }
            Pool::Postgres(p) => {
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(p)
                    .await
            }
        };
        let applied = applied.map_err(|e| {
            tracing::warn!(error = %e, "readiness: the database did not answer");
            "the database does not answer, or has never been migrated".to_string()
        })?;
        let carried = match &self.pool {
            Pool::Sqlite(_) => sqlx::migrate!("./migrations/sqlite"),
            Pool::Postgres(_) => sqlx::migrate!("./migrations/postgres"),
        };
        let missing: Vec<String> = carried
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| m.version.to_string())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("migrations not applied: {}", missing.join(", ")))
        }
    }

    pub fn backend(&self) -> &'static str {
        match &self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// A transaction for reading: every statement sees the same snapshot.
    pub async fn read(&self) -> DbResult<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(Conn::Transaction(p.begin().await?, None)),
            Pool::Postgres(p) => Tx::Postgres(Conn::Transaction(p.begin().await?, None)),
        })
    }

    /// A connection for reading without a transaction: each statement sees what is committed
    /// when it runs. For a list's page, whose few statements need no common snapshot (a row
    /// changed between two of them shows its newer state): it saves the BEGIN and ROLLBACK,
    /// two of a page's five or six round trips to the store. Never for a write.
    pub async fn read_latest(&self) -> DbResult<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(Conn::Plain(p.acquire().await?)),
            Pool::Postgres(p) => Tx::Postgres(Conn::Plain(p.acquire().await?)),
        })
    }

    /// [`Db::read_latest`]'s connection, taken from the pool only when first used: a list's
    /// page whose listing and rows are all kept answers without one (issue 18 point 4: the
    /// pool's acquire and return were most of such a page's cost).
    pub fn read_latest_lazily(&self) -> LazyRead<'_> {
        LazyRead { db: self, tx: None }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// `q` folded (`domain::search::fold`: case, accents, apostrophe and quote forms) as a LIKE
/// pattern over a table's `search` column, or `None` (no filter) when `q` is empty. A `q` of
/// quote marks only folds to nothing and matches only text that folds to nothing. Its `%`, `_`
/// and `\\` are taken literally, so the SQL must say `search LIKE $n ESCAPE '\\'`.
pub fn like(q: &Option<String>) -> Option<String> {
    let q = q.as_deref().map(str::trim).filter(|q| !q.is_empty())?;
    let folded = crate::domain::search::fold(q);
    if folded.is_empty() {
        return Some(String::new());
    }
    let escaped = folded
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Some(format!("%{escaped}%"))
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// `head` followed by `rows` groups of `cols` numbered placeholders: `($1, $2), ($3, $4)` —
/// a multi-row insert, portable to both backends.
pub fn values_sql(head: &str, rows: usize, cols: usize) -> String {
    let mut sql = String::from(head);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", r * cols + c + 1));
        }
        sql.push(')');
    }
    sql
}

/// A connection for reading without a transaction ([`Db::read_latest`]), acquired at its first
/// use ([`Db::read_latest_lazily`]). Dropping it returns the connection, if one was taken.
pub struct LazyRead<'a> {
    db: &'a Db,
    tx: Option<Tx>,
}

impl LazyRead<'_> {
    /// The connection, taken from the pool now if not yet. Errors: the pool's.
    pub async fn get(&mut self) -> DbResult<&mut Tx> {
        let tx = match self.tx.take() {
            Some(tx) => tx,
            None => self.db.read_latest().await?,
        };
        Ok(self.tx.insert(tx))
    }

    /// The connection itself, taken from the pool now if not yet. Errors: the pool's.
    pub async fn into_tx(mut self) -> DbResult<Tx> {
        match self.tx.take() {
            Some(tx) => Ok(tx),
            None => self.db.read_latest().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn the_needle_is_folded_then_escaped() {
        let l = |q: &str| like(&Some(q.to_string()));
        assert_eq!(l("O\u{2019}Brien"), Some("%obrien%".into()));
        assert_eq!(l("  José  Müller "), Some("%jose muller%".into()));
        assert_eq!(l("100%_\\"), Some("%100\\%\\_\\\\%".into()));
        assert_eq!(l("’"), Some(String::new()), "quotes only: matches no name");
        assert_eq!(l("   "), None);
        assert_eq!(like(&None), None);
    }
}
