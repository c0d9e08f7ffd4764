//! A transaction (or, for [`super::Db::read_latest`], a plain connection) on the live backend,
//! and its commit, which advances the store's write count ([`super::Db::write_generation`]).
use super::DbResult;
use sqlx::{Postgres, Sqlite};
use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
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
    pub(super) turn: Option<tokio::sync::OwnedSemaphorePermit>,
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
    /// Commits the transaction; a connection without one has nothing to commit. A write
    /// transaction's commit advances its store's write count, after the commit, so a reader
    /// that saw the count before it cannot have read the state before it and keep it.
    pub async fn commit(self) -> DbResult<()> {
        // Advanced even when the commit reports an error: the error may have come after the
        // store committed, and a needless advance only costs a cache a miss.
        let (committed, write) = match self {
            Tx::Sqlite(Conn::Transaction(t, w)) => (t.commit().await, w),
            Tx::Postgres(Conn::Transaction(t, w)) => (t.commit().await, w),
            Tx::Sqlite(Conn::Plain(_)) | Tx::Postgres(Conn::Plain(_)) => (Ok(()), None),
        };
        if let Some(w) = write {
            w.count.fetch_add(1, Ordering::AcqRel);
            // The next writer's turn only now, after the commit and its count.
            drop(w.turn);
        }
        Ok(committed?)
    }
}
