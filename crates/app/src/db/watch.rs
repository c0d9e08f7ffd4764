//! Writes committed by other processes: a `practicum` CLI command beside the server, or a
//! second instance sharing the PostgreSQL database. This process's own commits advance
//! [`Db::write_generation`] as they happen; the watch advances it too when the store says
//! someone else committed, so what is kept ([`super::recent::Recent`]) is stale within one
//! poll of another process's write.
use super::{Db, Pool};
use sqlx::Connection;
use std::time::Duration;

/// How often the watch asks the store whether someone else committed: the bound on how late
/// another process's write (a sign-out on another instance included) is seen.
pub const POLL: Duration = Duration::from_millis(250);

impl Db {
    /// Starts the watch; it runs until the returned task is aborted. A poll that fails
    /// counts as a change (what is kept is dropped, never trusted unchecked).
    pub fn watch_other_writers(&self) -> tokio::task::JoinHandle<()> {
        let db = self.clone();
        tokio::spawn(async move {
            let mut marker = Marker::new(&db).await;
            let mut last: Option<String> = None;
            let mut tick = tokio::time::interval(POLL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let now = match marker.read(&db).await {
                    Ok(now) => Some(now),
                    Err(e) => {
                        tracing::warn!(error = %e, "could not ask the store for other writers; nothing kept is trusted");
                        marker = Marker::new(&db).await;
                        None
                    }
                };
                if now.is_none() || (last.is_some() && now != last) {
                    db.count_other_write();
                }
                last = now;
            }
        })
    }
}

/// What changes when anyone commits a write.
enum Marker {
    /// SQLite's `PRAGMA data_version`, which changes when another connection (of this
    /// process's pool or of another process) has committed since this connection last asked.
    /// It is per connection, so the watch keeps one of its own, outside the pool.
    Sqlite(Option<sqlx::SqliteConnection>),
    /// PostgreSQL's current snapshot (`xmin:xmax:in-progress ids`), which changes when a
    /// transaction that wrote (one with an id) ends, in any database of the server.
    Postgres,
}

impl Marker {
    async fn new(db: &Db) -> Marker {
        match db.pool() {
            Pool::Sqlite(p) => {
                let options = p.connect_options();
                Marker::Sqlite(sqlx::SqliteConnection::connect_with(&options).await.ok())
            }
            Pool::Postgres(_) => Marker::Postgres,
        }
    }

    async fn read(&mut self, db: &Db) -> Result<String, sqlx::Error> {
        match (self, db.pool()) {
            (Marker::Sqlite(Some(c)), _) => {
                let v: i64 = sqlx::query_scalar("PRAGMA data_version")
                    .fetch_one(&mut *c)
                    .await?;
                Ok(v.to_string())
            }
            (Marker::Sqlite(None), _) => Err(sqlx::Error::PoolClosed),
            (Marker::Postgres, Pool::Postgres(p)) => {
                sqlx::query_scalar("SELECT pg_current_snapshot()::text")
                    .fetch_one(p)
                    .await
            }
            (Marker::Postgres, Pool::Sqlite(_)) => Err(sqlx::Error::PoolClosed),
        }
    }
}
