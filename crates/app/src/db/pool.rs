//! How the pool of connections to each store is opened: PostgreSQL's connection options, and
//! SQLite's (journal, memory map, row buffer) with the compile-time flags its build needs
//! (`.cargo/config.toml`). Split from `db` by responsibility.
use super::{Pool, WRITER_WAIT};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};

/// How much of a SQLite store's file each connection reads through a memory map (bytes): the
/// most SQLite maps on Linux by default (`SQLITE_MAX_MMAP_SIZE`, 0x7fff0000), so a
/// consortium's store (about 150 MB with 20,000 students) is mapped whole. It is address
/// space, not memory: the pages are the kernel's page cache, shared by every connection.
/// A disk error while reading a mapped page stops the process (SIGBUS) instead of failing the
/// statement; a store on a failing disk stops either way.
const SQLITE_MMAP_BYTES: u64 = 0x7fff_0000;

/// The pool for `url` (`postgres://` or `postgresql://`, else a SQLite URL), of at most
/// `max_connections`. Errors: an unreadable URL, or a store that cannot be reached or opened.
pub(super) async fn open(url: &str, max_connections: u32) -> anyhow::Result<Pool> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        // No JIT: every statement here is a short OLTP read or write, and a plan whose
        // estimate crosses `jit_above_cost` (a list's facts over a parameterised page) spent
        // milliseconds compiling on each execution, more than it ran. Set per connection, so
        // a hospital's own server settings are left alone.
        let opts = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
        // No ping before each acquire: it is a round trip per query, on every request.
        // A connection the server or a firewall dropped fails its next query once, and
        // connections idle for over a minute are closed rather than trusted.
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false)
            .idle_timeout(Duration::from_secs(60))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        Ok(Pool::Postgres(pool))
    } else {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(WRITER_WAIT)
            // Rows a statement's thread may hand over before it waits for them to be read:
            // above the largest page (500 and one to tell whether there is more), so a
            // page's statement runs through without a switch back to the runtime mid-way.
            .row_buffer_size(512)
            // Pages read through a memory map of the file, not copied in by pread into
            // each connection's own 2 MiB page cache: under new name searches a tenth of
            // the server's time was the kernel copying pages it already held
            // (bench/results/server-scale.md, thirteenth round). Linux's page cache is
            // unified, as SQLite requires of it (https://sqlite.org/mmap.html).
            .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string());
        // A file connection cannot go stale; a ping is a hop to its worker thread.
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        Ok(Pool::Sqlite(pool))
    }
}

#[cfg(test)]
mod tests {
    /// The bundled SQLite is built with the flags `.cargo/config.toml` gives it: a build
    /// without them answers the same but prepares every list statement again on each run
    /// (QPSG) and takes a process-wide lock on each allocation (memory statistics).
    #[tokio::test]
    async fn the_bundled_sqlite_is_built_with_the_projects_flags() {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let options: Vec<(String,)> = sqlx::query_as("PRAGMA compile_options")
            .fetch_all(&mut c)
            .await
            .unwrap();
        let options: Vec<String> = options.into_iter().map(|(o,)| o).collect();
        for flag in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0"] {
            assert!(
                options.iter().any(|o| o == flag),
                "{flag} missing from {options:?}"
            );
        }
        // With it, every connection's page cache sits behind one process-wide mutex.
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "ENABLE_MEMORY_MANAGEMENT in {options:?}"
        );
    }

    /// Each pooled SQLite connection reads its file through a memory map of
    /// [`super::SQLITE_MMAP_BYTES`] (not pread copies into a small page cache).
    #[tokio::test]
    async fn sqlite_connections_read_the_file_through_a_memory_map() {
        let dir = std::env::temp_dir().join(format!("practicum-mmap-{}", crate::db::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("m.db").display());
        let db = crate::db::Db::connect(&url, 2).await.unwrap();
        let mut tx = db.read_latest().await.unwrap();
        let crate::db::Tx::Sqlite(c) = &mut tx else {
            panic!("a SQLite connection")
        };
        let (bytes,): (i64,) = sqlx::query_as("PRAGMA mmap_size")
            .fetch_one(&mut **c)
            .await
            .unwrap();
        assert_eq!(bytes as u64, super::SQLITE_MMAP_BYTES);
        drop(tx);
        drop(db);
        std::fs::remove_dir_all(&dir).ok();
    }
}
