//! A transaction (or, for [`super::Db::read_latest`], a plain connection) on the live backend;
//! a write transaction's beginning, in turn ([`Db::write`], [`Db::write_leaving_placements`]),
//! and its commit, which advances the store's write count ([`super::Db::write_generation`]).
use super::{Db, DbError, DbResult, Pool, WRITER_WAIT, audit};
use sqlx::{Postgres, Sqlite};
use std::sync::{
    Arc,
    atomic::{AtomicI64, AtomicU64, Ordering},
};

/// The live backend's connection ([`Conn`]) that store functions run their statements on.
pub enum Tx {
    Sqlite(Conn<Sqlite>),
    Postgres(Conn<Postgres>),
}

/// A pooled connection inside a transaction, or (for [`Db::read_latest`]) without one; either
/// way the backend's connection, which store functions run their statements on. A write
/// transaction carries its store's write count, which its commit advances
/// ([`Db::write_generation`]).
pub enum Conn<DB: sqlx::Database> {
    Transaction(sqlx::Transaction<'static, DB>, Option<Write>),
    Plain(sqlx::pool::PoolConnection<DB>),
}

/// What a write transaction ([`super::Db::write`]) carries: its store's write count, which
/// its commit advances, and on SQLite its turn as the store's one writer, given back after
/// the commit, or when the transaction is dropped. A dropped transaction's rollback is only
/// queued on its connection's thread (sqlx), so the next writer may find SQLite's lock still
/// held for that moment and wait in the busy handler: a millisecond, not a turn out of order.
pub struct Write {
    pub(super) count: Arc<AtomicU64>,
    /// The count of writes that may change a placement's answer, which the commit advances
    /// too, and where it leaves the store's count of them as its transaction saw it last;
    /// `None` for [`super::Db::write_leaving_placements`].
    pub(super) placements: Option<(Arc<AtomicU64>, Arc<AtomicI64>)>,
    pub(super) turn: Option<tokio::sync::OwnedSemaphorePermit>,
    /// Debug builds, [`super::Db::write_leaving_placements`]: the store's count of writes to
    /// placements' facts (`placement_fact_writes`) when the transaction began, which its
    /// commit checks it left as it was.
    pub(super) fact_writes_at_begin: Option<i64>,
}

/// The store's count of writes to what placements' answers are derived from or listed by
/// (migration 0039: kept by triggers on those tables), as of `c`'s transaction.
pub(super) async fn fact_writes(tx: &mut Tx) -> DbResult<i64> {
    const SQL: &str = "SELECT writes FROM placement_fact_writes WHERE id = 1";
    Ok(crate::on_tx!(tx, c => sqlx::query_scalar(SQL).fetch_one(c).await)?)
}

impl<DB: sqlx::Database> std::ops::Deref for Conn<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        match self {
            Conn::Transaction(t, _) => t,
            Conn::Plain(c) => c,
        }
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for Conn<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        match self {
            Conn::Transaction(t, _) => t,
            Conn::Plain(c) => c,
        }
    }
}

impl Tx {
    /// The write this transaction carries, if it is one.
    fn write_mut(&mut self) -> Option<&mut Write> {
        match self {
            Tx::Sqlite(Conn::Transaction(_, w)) => w.as_mut(),
            Tx::Postgres(Conn::Transaction(_, w)) => w.as_mut(),
            Tx::Sqlite(Conn::Plain(_)) | Tx::Postgres(Conn::Plain(_)) => None,
        }
    }

    /// Notes the store's count of writes to placements' facts, for [`Tx::commit`]'s check
    /// (debug builds, `Db::write_leaving_placements`).
    pub(super) async fn note_fact_writes(&mut self) -> DbResult<()> {
        let at = fact_writes(self).await?;
        if let Some(w) = self.write_mut() {
            w.fact_writes_at_begin = Some(at);
        }
        Ok(())
    }

    /// Commits the transaction; a connection without one has nothing to commit. A write
    /// transaction's commit advances its store's write count, after the commit, so a reader
    /// that saw the count before it cannot have read the state before it and keep it.
    pub async fn commit(self) -> DbResult<()> {
        let mut this = self;
        if let Some(at_begin) = this.write_mut().and_then(|w| w.fact_writes_at_begin) {
            let now = fact_writes(&mut this).await?;
            debug_assert_eq!(
                now, at_begin,
                "a write begun with Db::write_leaving_placements wrote what a placement's answer is derived from (migration 0039): begin it with Db::write"
            );
        }
        // The store's count of writes to placements' facts as this transaction leaves it (its
        // own writes and any committed before it): told to the watch after the commit, so it
        // does not take this process's own writes for another's.
        let left_facts_at = match this.write_mut().map(|w| w.placements.is_some()) {
            Some(true) => Some(fact_writes(&mut this).await?),
            _ => None,
        };
        // Advanced even when the commit reports an error: the error may have come after the
        // store committed, and a needless advance only costs a cache a miss.
        let (committed, write) = match this {
            Tx::Sqlite(Conn::Transaction(t, w)) => (t.commit().await, w),
            Tx::Postgres(Conn::Transaction(t, w)) => (t.commit().await, w),
            Tx::Sqlite(Conn::Plain(_)) | Tx::Postgres(Conn::Plain(_)) => (Ok(()), None),
        };
        if let Some(w) = write {
            if let Some((count, store_count)) = &w.placements {
                count.fetch_add(1, Ordering::AcqRel);
                if let (Ok(()), Some(at)) = (&committed, left_facts_at) {
                    store_count.store(at, Ordering::Release);
                }
            }
            w.count.fetch_add(1, Ordering::AcqRel);
            // The next writer's turn only now, after the commit and its count.
            drop(w.turn);
        }
        Ok(committed?)
    }
}

impl Db {
    /// A transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so a check-then-write cannot interleave with another writer.
    /// On PostgreSQL it takes the audit chain's lock up front (`audit::lock_chain`): appends
    /// to the chain must be serialised, and a lock taken only at the append — after the
    /// transaction has locked rows (an UPDATE, a `FOR UPDATE` capacity guard) — would let two
    /// writers wait on each other in a cycle (a deadlock, answered as a 500). Taken first, it
    /// is the first lock of every writer, as SQLite's write lock is. Its commit counts for
    /// both [`Db::write_generation`] and [`Db::placement_generation`].
    pub async fn write(&self) -> DbResult<Tx> {
        self.begin_write(true).await
    }

    /// [`Db::write`] for a transaction that writes none of what a placement's answer is
    /// derived from or listed by (migration 0039 names those tables: a session, a mail sent,
    /// the audit trail, a new student): its commit leaves what the placements lists kept
    /// ([`Db::placement_generation`]). Were it to write one of them after all, the store's
    /// count would still tell the watch (within [`watch::POLL`]); in debug builds (the tests)
    /// its commit panics instead, so a wrong use is found, not served stale.
    pub async fn write_leaving_placements(&self) -> DbResult<Tx> {
        self.begin_write(false).await
    }

    async fn begin_write(&self, placements: bool) -> DbResult<Tx> {
        let write = |turn| Write {
            count: self.writes.clone(),
            placements: placements
                .then(|| (self.placement_writes.clone(), self.own_fact_writes.clone())),
            turn,
            fact_writes_at_begin: None,
        };
        let mut tx = match &self.pool {
            Pool::Sqlite(p) => {
                let turn = self.writer_turn().await?;
                Tx::Sqlite(Conn::Transaction(
                    p.begin_with("BEGIN IMMEDIATE").await?,
                    Some(write(turn)),
                ))
            }
            Pool::Postgres(p) => {
                let mut tx = Tx::Postgres(Conn::Transaction(p.begin().await?, Some(write(None))));
                audit::lock_chain(&mut tx).await?;
                tx
            }
        };
        if cfg!(debug_assertions) && !placements {
            tx.note_fact_writes().await?;
        }
        Ok(tx)
    }

    /// On SQLite, this process's writers take their turn in the order they asked, before
    /// `BEGIN IMMEDIATE`: SQLite's own wait for its write lock (the busy handler) sleeps
    /// longer the longer a writer has waited, so under many writers a newcomer took the lock
    /// ahead of one waiting since long before: 50 clients creating students waited 38 ms at
    /// the median and 980 ms at the 99th percentile (bench/results/server-scale.md, sixth
    /// round). Another process's writer (a CLI command) still meets the busy handler. A turn
    /// not given within [`WRITER_WAIT`] is [`DbError::Busy`], as SQLite's own wait was.
    async fn writer_turn(&self) -> DbResult<Option<tokio::sync::OwnedSemaphorePermit>> {
        let Some(writer) = &self.writer else {
            return Ok(None);
        };
        match tokio::time::timeout(WRITER_WAIT, writer.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Ok(Some(turn)),
            // Never closed; and a turn not given in time is a busy store.
            Ok(Err(_)) | Err(_) => Err(DbError::Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    /// The writer's turn ([`crate::db::Db::write`]) is given back however its transaction ends
    /// (a commit, a drop, a drop after a failed statement): a turn kept would stop every later
    /// write of the process. While one writer holds it, the next waits. (That the turns go in
    /// order is a matter of latency under load: bench/server.sh measures it.) A migrated
    /// store: a commit reads the count of writes to placements' facts (migration 0039).
    #[tokio::test]
    async fn the_writers_turn_is_given_back_however_the_transaction_ends() {
        use std::time::Duration;
        let dir = std::env::temp_dir().join(format!("practicum-turn-{}", crate::db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let db = crate::db::Db::connect(&url, 2).await.unwrap();
        db.migrate().await.unwrap();
        let next = || async {
            tokio::time::timeout(Duration::from_secs(5), db.write())
                .await
                .expect("the turn was not given back")
                .unwrap()
        };
        next().await.commit().await.unwrap();
        drop(next().await);
        let mut failed = next().await;
        let r = crate::on_tx!(&mut failed, c => sqlx::query("SELECT * FROM no_such_table").execute(c).await.map(|_| ()));
        assert!(r.is_err());
        drop(failed);
        let held = next().await;
        assert!(
            tokio::time::timeout(Duration::from_millis(200), db.write())
                .await
                .is_err(),
            "a second writer began while the first held the turn"
        );
        drop(held);
        next().await.commit().await.unwrap();
        drop(db);
        std::fs::remove_dir_all(&dir).ok();
    }
}
