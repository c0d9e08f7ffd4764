//! Every student's word suffixes (`domain::search::word_suffixes`) held in the server's
//! memory, sorted, as of one value of `students.search_seq` (migration 0038): a name search
//! finds the students whose names hold its needle here, without asking the store, and asks
//! the store only for the page among them and the students written since
//! (`super::name_index::tags_with_held`), each checked against its text there.
//!
//! Why: on PostgreSQL the range read of `students_search_suffixes` (a plpgsql function, its
//! JSON, the lookups) cost about 0.2 ms of the database's CPU a search, and a search for
//! someone there answered 11-12% of the hello-world ceiling (bench/results/server-scale.md,
//! thirteenth and fourteenth rounds). The held suffixes are about 12 bytes each plus the
//! texts: about 10 MiB for a consortium's 20,000 students (627,476 suffixes, 0.98 MB of
//! text in the seeded store).
//!
//! While nothing has been written since the read (the store's write generation has not moved:
//! this server's commits, and another process's as its watch sees them, `db::watch`), what is
//! held is what the store holds, and a page of the office's or a school's search is answered
//! from memory alone, with each student's row tag and schools held too
//! ([`Snapshot::exact_page`]): no statement, no connection. A write anywhere ends that until
//! the next read (ten seconds on, [`STALE_AFTER`]).
//!
//! Otherwise, on PostgreSQL, what is held is never trusted alone: a student written after it
//! was read (created, renamed) has a `search_seq` at or above [`Snapshot::since`], and the
//! search's statement reads those too; every student the memory names is checked against
//! their search text in the same statement, so one renamed away is not answered. A new read
//! replaces what is held when enough students were written since
//! ([`HeldSuffixes::after_search`]). SQLite reads its range of `students_search_suffixes` in
//! the server's own process, with no planning and no round trip, as fast as that statement
//! (11.2-12.8k against 11.0-13.1k searches/s, `bench/search_load.sh`; run 34, 12.4k against
//! 11.0k), so on SQLite memory serves only the pages it answers alone.
use crate::db::{DbResult, Page, Paged, Pool, Scope};
use snapshot::HeldRow;
pub(super) use snapshot::Snapshot;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

mod snapshot;
#[cfg(test)]
mod tests;

/// Students written since the held suffixes were read, counted by a search's statement, at
/// which a new read is started: each costs the search an id lookup and a text check.
const STALE_STUDENTS: i64 = 64;

/// How long what is held serves while fewer than [`STALE_STUDENTS`] were written since, and
/// at least one was, before a new read: the written students are then read by every search.
const STALE_AFTER: Duration = Duration::from_secs(10);

/// The least time between two reads' starts: a store that keeps students written faster than
/// a read (or a PostgreSQL transaction left open, which keeps `since` from moving) costs at
/// most one read a second.
const READ_AT_MOST_EVERY: Duration = Duration::from_secs(1);

/// Most students written since what is held that a search reads from the store
/// (`super::name_index::tags_with_held`); past it the search asks the word-suffix index
/// instead, as it did before anything was held.
pub(super) const WRITTEN_SINCE_MAX: i64 = 1_000;

/// The held suffixes and how they are replaced. One per [`crate::db::Db`].
pub struct HeldSuffixes {
    pool: Pool,
    /// The store's write generation (`Db::write_generation`), shared with the `Db`: what is
    /// held answers a page alone while it has not moved since the read ([`Snapshot::exact_page`]).
    writes: Arc<AtomicU64>,
    /// Pages answered from memory alone, counted for the tests and the debug log.
    exact_pages: AtomicU64,
    held: RwLock<Option<Arc<Snapshot>>>,
    reading: AtomicBool,
    last_read: Mutex<Option<Instant>>,
    /// Off: nothing is held or read, and every name search asks the store's index.
    holding: AtomicBool,
}

impl std::fmt::Debug for HeldSuffixes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = self.snapshot();
        f.debug_struct("HeldSuffixes")
            .field("students", &held.as_ref().map(|s| s.ids.len()))
            .field("since", &held.as_ref().map(|s| s.since))
            .finish()
    }
}

impl HeldSuffixes {
    /// Nothing held yet; the first name search starts the first read. `writes` is the
    /// store's write generation (`Db::write_generation`'s counter).
    pub fn new(pool: Pool, writes: Arc<AtomicU64>) -> Self {
        HeldSuffixes {
            pool,
            writes,
            exact_pages: AtomicU64::new(0),
            held: RwLock::new(None),
            reading: AtomicBool::new(false),
            last_read: Mutex::new(None),
            holding: AtomicBool::new(true),
        }
    }

    /// Turns holding on or off (on at first). Off drops what is held, and name searches ask
    /// the store's word-suffix index, as before anything was held: what the integration tests
    /// use to check that path, which serves a search whenever nothing is held.
    pub fn set_holding(&self, on: bool) {
        self.holding.store(on, Ordering::Release);
        if !on {
            *self.held.write().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// What is held now, if anything. A poisoned lock only means a panic elsewhere while
    /// replacing an `Arc`; the value is still whole.
    pub(super) fn snapshot(&self) -> Option<Arc<Snapshot>> {
        if !self.holding.load(Ordering::Acquire) {
            return None;
        }
        self.held.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Pages answered from memory alone since the server started ([`Snapshot::exact_page`]).
    pub fn exact_pages(&self) -> u64 {
        self.exact_pages.load(Ordering::Relaxed)
    }

    /// A page of a name search answered from what is held alone, when it can be
    /// ([`Snapshot::exact_page`]): nothing written since it was read, by this server or, as
    /// far as its watch has seen, another (`db::watch`).
    pub(super) fn exact_page(
        &self,
        scope: &Scope,
        f: &super::Filter,
        page: &Page,
        needle: &str,
    ) -> Option<Paged<(String, Option<i64>)>> {
        let snapshot = self.snapshot()?;
        if snapshot.generation != self.writes.load(Ordering::Acquire) {
            return None;
        }
        let answered = snapshot.exact_page(scope, f, page, needle)?;
        self.exact_pages.fetch_add(1, Ordering::Relaxed);
        Some(answered)
    }

    /// Called after a search read `written_since` students written since `snapshot` (`None`:
    /// nothing was held): starts a new read in the background when what is held is missing or
    /// stale ([`STALE_STUDENTS`], [`STALE_AFTER`]; or, for [`Snapshot::exact_page`], anything
    /// written since it was read, [`STALE_AFTER`] on), unless one runs or one started within
    /// [`READ_AT_MOST_EVERY`].
    pub(super) fn after_search(self: &Arc<Self>, snapshot: Option<&Snapshot>, written_since: i64) {
        let stale = match snapshot {
            None => true,
            Some(s) => {
                let moved = s.generation != self.writes.load(Ordering::Acquire);
                written_since >= STALE_STUDENTS
                    || ((written_since > 0 || moved) && s.taken.elapsed() >= STALE_AFTER)
            }
        };
        if !stale || !self.holding.load(Ordering::Acquire) {
            return;
        }
        {
            let mut last = self.last_read.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|at| at.elapsed() < READ_AT_MOST_EVERY) {
                return;
            }
            if self.reading.swap(true, Ordering::AcqRel) {
                return;
            }
            *last = Some(Instant::now());
        }
        let this = Arc::clone(self);
        tokio::spawn(async move {
            this.until_writes_settle().await;
            if let Err(e) = this.read_now().await {
                tracing::warn!(error = %e, "could not read the students' names into memory; searches ask the store");
            }
            this.reading.store(false, Ordering::Release);
        });
    }

    /// Waits, a few watch polls at most, until the store's write generation stays put for two
    /// of them. The server's watch counts this server's own commits once more when it next
    /// polls (`db::watch` cannot tell them from another process's), so a read made just after
    /// a write (a sign-in, say) would hold a generation that moves a moment later, and answer
    /// nothing alone until the next read ([`STALE_AFTER`] on). Only how soon memory answers
    /// alone depends on this, never what it answers.
    async fn until_writes_settle(&self) {
        let settled = crate::db::watch::POLL * 2 + Duration::from_millis(50);
        for _ in 0..4 {
            let before = self.writes.load(Ordering::Acquire);
            tokio::time::sleep(settled).await;
            if self.writes.load(Ordering::Acquire) == before {
                return;
            }
        }
    }

    /// Reads every student's search text, row tag and schools and replaces what is held. The
    /// write generation is read first, then (PostgreSQL) the start value: a write the texts
    /// then miss has moved the one and has a `search_seq` at or above the other.
    pub async fn read_now(&self) -> DbResult<()> {
        if !self.holding.load(Ordering::Acquire) {
            return Ok(());
        }
        let generation = self.writes.load(Ordering::Acquire);
        let (since, rows): (Option<i64>, Vec<HeldRow>) = match &self.pool {
            Pool::Postgres(p) => {
                // The oldest transaction still running: every one before it has ended, and
                // the texts read next show what it wrote.
                let (since,): (i64,) =
                    sqlx::query_as("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
                        .fetch_one(p)
                        .await?;
                (
                    Some(since),
                    sqlx::query_as(sqlx::AssertSqlSafe(rows_sql("string_agg")))
                        .fetch_all(p)
                        .await?,
                )
            }
            // SQLite writes one at a time and its search reads the suffix range in process:
            // it holds for pages answered from memory alone, and its other searches read the
            // range (no `since`).
            Pool::Sqlite(p) => (
                None,
                sqlx::query_as(sqlx::AssertSqlSafe(rows_sql("group_concat")))
                    .fetch_all(p)
                    .await?,
            ),
        };
        // Sorting a consortium's 600,000 suffixes takes a core for a tenth of a second or
        // more: off the threads that answer requests.
        let built = tokio::task::spawn_blocking(move || Snapshot::build(since, generation, rows))
            .await
            .map_err(|e| crate::db::DbError::Other(sqlx::Error::Protocol(e.to_string())))?;
        tracing::debug!(
            students = built.ids.len(),
            suffixes = built.suffixes.len(),
            since = built.since,
            "students' names read into memory"
        );
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(built));
        Ok(())
    }
}

/// Every student's [`HeldRow`], in no order, in one statement (one snapshot of the store);
/// `aggregate` is the store's string aggregate (`string_agg`, `group_concat`).
fn rows_sql(aggregate: &str) -> String {
    format!(
        "SELECT s.id, s.search, s.row_tag,
                (SELECT {aggregate}(e.school_id, ' ') FROM enrollments e WHERE e.student_id = s.id)
         FROM students s WHERE s.search IS NOT NULL"
    )
}
