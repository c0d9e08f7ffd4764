//! The store's errors: what a failed statement means to its caller (a broken rule, a busy
//! store, anything else), read from the backend's own codes.

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unique constraint violated: {0}")]
    Unique(String),
    #[error("referenced record does not exist: {0}")]
    ForeignKey(String),
    /// No turn to write within [`super::WRITER_WAIT`] (`Db::write`), or the store gave way to
    /// another writer (another process's lock held past the wait, a PostgreSQL deadlock or
    /// serialization failure): nothing was done, and asking again later may succeed.
    #[error("the store is busy with other writes")]
    Busy,
    #[error(transparent)]
    Other(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(d) = &e {
            let msg = d.message().to_string();
            match d.kind() {
                sqlx::error::ErrorKind::UniqueViolation => return DbError::Unique(msg),
                sqlx::error::ErrorKind::ForeignKeyViolation => return DbError::ForeignKey(msg),
                _ => {}
            }
            let sqlite = d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            if gave_way(d.code().as_deref(), sqlite) {
                return DbError::Busy;
            }
        }
        DbError::Other(e)
    }
}

/// Whether a store's error `code` (from SQLite when `sqlite`, else PostgreSQL) says the
/// statement gave way to another writer and did nothing, so that asking again later may
/// succeed ([`DbError::Busy`], answered 503 `server_busy` with `Retry-After`, not 500):
/// SQLite's `SQLITE_BUSY` and `SQLITE_LOCKED` and their extended codes (primary code 5 or 6,
/// <https://sqlite.org/rescode.html>), met when another process (a CLI command, an import)
/// holds the write lock longer than [`super::WRITER_WAIT`]; PostgreSQL's `40001` serialization
/// failure, `40P01` deadlock and `55P03` lock not available (Appendix A of its manual), after
/// which it has rolled the transaction back. The number rule is SQLite's alone: PostgreSQL
/// codes such as `22021` or `42501` are digits too, and are not a busy store.
fn gave_way(code: Option<&str>, sqlite: bool) -> bool {
    match (code, sqlite) {
        (Some(c), true) => c
            .parse::<i64>()
            .is_ok_and(|n| n > 0 && matches!(n & 0xff, 5 | 6)),
        (Some(c), false) => matches!(c, "40001" | "40P01" | "55P03"),
        (None, _) => false,
    }
}

pub type DbResult<T> = Result<T, DbError>;

#[cfg(test)]
mod tests {
    /// A write that meets another process's write lock for longer than its wait is a busy
    /// store (503 `server_busy`, ask again), not an internal error; nothing was written.
    #[tokio::test]
    async fn a_lock_held_by_another_process_is_a_busy_store() {
        use sqlx::{ConnectOptions, Connection, sqlite::SqliteConnectOptions};
        use std::str::FromStr;
        let dir = std::env::temp_dir().join(format!("practicum-busy-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/busy.db", dir.display());
        let opts = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let mut holder = opts.connect().await.unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut holder)
            .await
            .unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut holder)
            .await
            .unwrap();
        // Another connection that does not wait for the lock (a server waits WRITER_WAIT).
        let mut other = opts
            .clone()
            .busy_timeout(std::time::Duration::ZERO)
            .connect()
            .await
            .unwrap();
        let err = sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut other)
            .await
            .expect_err("the lock is held");
        assert!(matches!(super::DbError::from(err), super::DbError::Busy));
        let err = sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut other)
            .await
            .expect_err("the lock is held");
        assert!(matches!(super::DbError::from(err), super::DbError::Busy));
        holder.close().await.unwrap();
        other.close().await.unwrap();
        std::fs::remove_dir_all(&dir).ok();
        // Other failures stay what they are; PostgreSQL's gave-way codes are busy.
        for (code, sqlite) in [
            ("1", true),
            ("19", true),
            ("23505", false),
            ("22021", false),
        ] {
            assert!(!super::gave_way(Some(code), sqlite), "{code}");
        }
        // PostgreSQL codes that happen to be digits with a low byte of 5 or 6.
        for code in ["22021", "22022", "42501"] {
            assert!(!super::gave_way(Some(code), false), "{code}");
        }
        assert!(!super::gave_way(None, true) && !super::gave_way(None, false));
        for code in ["5", "6", "261", "517", "262"] {
            assert!(super::gave_way(Some(code), true), "{code}");
        }
        for code in ["40001", "40P01", "55P03"] {
            assert!(super::gave_way(Some(code), false), "{code}");
        }
    }
}
