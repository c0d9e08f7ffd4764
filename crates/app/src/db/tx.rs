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
    Transaction(sqlx::Transaction<'static, DB>, Option<Arc<AtomicU64>>),
    Plain(sqlx::pool::PoolConnection<DB>),
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
        let (committed, writes) = match self {
            Tx::Sqlite(Conn::Transaction(t, w)) => (t.commit().await, w),
            Tx::Postgres(Conn::Transaction(t, w)) => (t.commit().await, w),
            Tx::Sqlite(Conn::Plain(_)) | Tx::Postgres(Conn::Plain(_)) => (Ok(()), None),
        };
        if let Some(w) = writes {
            w.fetch_add(1, Ordering::AcqRel);
        }
        Ok(committed?)
    }
}
