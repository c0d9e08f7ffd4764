//! Writes committed by other processes: a `practicum` CLI command beside the server, or a
//! second instance sharing the PostgreSQL database. This process's own commits advance
//! [`Db::write_generation`] as they happen; the watch advances it too when the store says
//! someone else committed, so what is kept ([`super::recent::Recent`]) is stale within one
//! poll of another process's write. Of those, the writes that may change a placement's answer
//! are told apart by the store's own count of them (migration 0039, `placement_fact_writes`),
//! which advances [`Db::placement_generation`] too; a count equal to what this process's own
//! last such write left it at is not taken for another's (each write reads it before its
//! commit).
use super::{Db, Pool};
use sqlx::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How often the watch asks the store whether someone else committed: the bound on how late
/// another process's write (a sign-out on another instance included) is seen.
pub const POLL: Duration = Duration::from_millis(250);

/// How lately the watch must have asked the store for its answer to vouch for what is kept
/// ([`Confirmed::lately`]): three polls, so a tick delayed by a busy server still counts,
/// and a watch that stopped or fails vouches for nothing within a second.
pub const CONFIRMED_WITHIN: Duration = Duration::from_millis(750);

/// When the watch last asked the store and counted every write it found there
/// ([`Db::watch_other_writers`]): until then, what is kept under the current generations is
/// what the store holds, as far as any process's commit goes. What the placements lists keep
/// is used past its fixed guard (`crate::state::VIEWS_FRESH_FOR`) only while this is recent
/// (`super::recent::Freshness`): the guard is for when no watch runs, or its polls fail.
#[derive(Debug)]
pub struct Confirmed {
    started: Instant,
    /// Milliseconds from `started` to the last confirmation, plus one; 0: never.
    last: AtomicU64,
}

impl Default for Confirmed {
    fn default() -> Self {
        Confirmed {
            started: Instant::now(),
            last: AtomicU64::new(0),
        }
    }
}

impl Confirmed {
    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis())
            .unwrap_or(u64::MAX - 1)
            .saturating_add(1)
    }

    /// Notes that the watch has just asked the store and counted what it found.
    pub(super) fn confirm(&self) {
        self.last.store(self.now(), Ordering::Release);
    }

    /// Whether the watch confirmed within [`CONFIRMED_WITHIN`].
    pub fn lately(&self) -> bool {
        let last = self.last.load(Ordering::Acquire);
        last != 0 && self.now().saturating_sub(last) <= CONFIRMED_WITHIN.as_millis() as u64
    }
}

impl Db {
    /// Starts the watch; it runs until the returned task is aborted. A poll that fails
    /// counts as a change (what is kept is dropped, never trusted unchecked).
    pub fn watch_other_writers(&self) -> tokio::task::JoinHandle<()> {
        let db = self.clone();
        tokio::spawn(async move {
            let mut marker = Marker::new(&db).await;
            let mut last: Option<(String, i64)> = None;
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
                match (&now, &last) {
                    (Some((any, facts)), Some((last_any, last_facts))) => {
                        // The count as this process's own last write left it is no other
                        // process's (this process counted its own at the commit).
                        let others_facts = facts != last_facts && *facts != db.own_fact_writes();
                        if any != last_any || others_facts {
                            db.count_other_write(others_facts);
                        }
                        // Only after counting: a value kept before it may be stale.
                        db.watch_confirmed().confirm();
                    }
                    (Some(_), None) => {}
                    (None, _) => db.count_other_write(true),
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

    /// What changes on any commit, and the store's count of writes to placements' facts.
    async fn read(&mut self, db: &Db) -> Result<(String, i64), sqlx::Error> {
        match (self, db.pool()) {
            (Marker::Sqlite(Some(c)), _) => {
                // One statement, so both come from one read of the store. sqlx resets a kept
                // statement only when it runs again: each poll's run ends the last one's read
                // transaction before it starts its own, where a second statement left after its
                // row could hold one open across polls.
                let (v, facts): (i64, i64) = sqlx::query_as(
                    "SELECT data_version, (SELECT writes FROM placement_fact_writes WHERE id = 1)
                     FROM pragma_data_version",
                )
                .fetch_one(&mut *c)
                .await?;
                Ok((v.to_string(), facts))
            }
            (Marker::Sqlite(None), _) => Err(sqlx::Error::PoolClosed),
            (Marker::Postgres, Pool::Postgres(p)) => {
                // One statement, one snapshot: the count as of the snapshot named.
                sqlx::query_as(
                    "SELECT pg_current_snapshot()::text,
                     (SELECT writes FROM placement_fact_writes WHERE id = 1)",
                )
                .fetch_one(p)
                .await
            }
            (Marker::Postgres, Pool::Sqlite(_)) => Err(sqlx::Error::PoolClosed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_vouches_only_while_recent() {
        let c = Confirmed::default();
        assert!(!c.lately(), "never confirmed");
        c.confirm();
        assert!(c.lately());
        // Confirmed a second after a start two seconds ago: a second old now.
        let old = Confirmed {
            started: Instant::now() - Duration::from_secs(2),
            last: AtomicU64::new(1_001),
        };
        assert!(!old.lately(), "older than CONFIRMED_WITHIN");
    }
}
