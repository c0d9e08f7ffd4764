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
//! PostgreSQL only. SQLite reads its range of `students_search_suffixes` in the server's own
//! process, with no planning and no round trip, and answered as many searches for someone
//! there as the held suffixes did or more (11.2-12.8k against 11.0-13.1k searches/s,
//! `bench/search_load.sh`; run 34, 12.4k against 11.0k): on SQLite nothing is held.
//!
//! What is held is never trusted alone: a student written after it was read (created,
//! renamed) has a `search_seq` at or above [`Snapshot::since`], and the search's statement
//! reads those too; every student the memory names is checked against their search text in
//! the same statement, so one renamed away is not answered. A new read replaces what is held
//! when enough students were written since ([`HeldSuffixes::after_search`]).
use super::common_name::within_limits;
use crate::db::{DbResult, Pool};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

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
    /// Nothing held yet; on PostgreSQL the first name search starts the first read.
    pub fn new(pool: Pool) -> Self {
        let postgres = matches!(pool, Pool::Postgres(_));
        HeldSuffixes {
            pool,
            held: RwLock::new(None),
            reading: AtomicBool::new(false),
            last_read: Mutex::new(None),
            holding: AtomicBool::new(postgres),
        }
    }

    /// Turns holding on or off (on at first on PostgreSQL; SQLite never holds). Off drops
    /// what is held, and name searches ask the store's word-suffix index, as before anything
    /// was held: what the integration tests use to check that path, which serves a search
    /// whenever nothing is held.
    pub fn set_holding(&self, on: bool) {
        let on = on && matches!(self.pool, Pool::Postgres(_));
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

    /// Called after a search read `written_since` students written since `snapshot` (`None`:
    /// nothing was held): starts a new read in the background when what is held is missing or
    /// stale ([`STALE_STUDENTS`], [`STALE_AFTER`]), unless one runs or one started within
    /// [`READ_AT_MOST_EVERY`].
    pub(super) fn after_search(self: &Arc<Self>, snapshot: Option<&Snapshot>, written_since: i64) {
        let stale = match snapshot {
            None => true,
            Some(s) => {
                written_since >= STALE_STUDENTS
                    || (written_since > 0 && s.taken.elapsed() >= STALE_AFTER)
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
            if let Err(e) = this.read_now().await {
                tracing::warn!(error = %e, "could not read the students' names into memory; searches ask the store");
            }
            this.reading.store(false, Ordering::Release);
        });
    }

    /// Reads every student's search text and replaces what is held. The start value is read
    /// first: a write the texts then miss has a `search_seq` at or above it.
    pub async fn read_now(&self) -> DbResult<()> {
        if !self.holding.load(Ordering::Acquire) {
            return Ok(());
        }
        let Pool::Postgres(p) = &self.pool else {
            return Ok(());
        };
        // The oldest transaction still running: every one before it has ended, and the texts
        // read next show what it wrote.
        let (since,): (i64,) =
            sqlx::query_as("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
                .fetch_one(p)
                .await?;
        let rows: Vec<(String, String)> = sqlx::query_as(TEXTS).fetch_all(p).await?;
        // Sorting a consortium's 600,000 suffixes takes a core for a tenth of a second or
        // more: off the threads that answer requests.
        let built = tokio::task::spawn_blocking(move || Snapshot::build(since, rows))
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

/// Every student's id and folded search text, in no order.
const TEXTS: &str = "SELECT id, search FROM students WHERE search IS NOT NULL";

/// Every student's word suffixes as of one read, sorted by suffix.
pub(super) struct Snapshot {
    /// The `students.search_seq` at or above which a student's text may be newer than here.
    pub since: i64,
    taken: Instant,
    /// Every student's folded search text, one after another.
    texts: String,
    ids: Vec<Box<str>>,
    /// Sorted by the suffix they name.
    suffixes: Vec<HeldSuffix>,
}

/// One word suffix: `texts[start..end]`, of student `ids[student]`.
#[derive(Clone, Copy)]
struct HeldSuffix {
    start: u32,
    end: u32,
    student: u32,
}

impl HeldSuffix {
    /// The suffix itself, in the held `texts`.
    fn of<'t>(&self, texts: &'t str) -> &'t str {
        &texts[self.start as usize..self.end as usize]
    }
}

impl Snapshot {
    /// Holds each `(id, folded search text)`'s word suffixes, `since` as read before them.
    /// A store past what 32-bit offsets address (4 GiB of text) holds only what fits.
    pub(super) fn build(since: i64, rows: Vec<(String, String)>) -> Snapshot {
        let mut texts = String::with_capacity(rows.iter().map(|(_, t)| t.len()).sum());
        let mut ids = Vec::with_capacity(rows.len());
        let mut suffixes = Vec::new();
        for (id, text) in rows {
            let base = texts.len();
            let (Ok(student), Ok(_)) = (u32::try_from(ids.len()), u32::try_from(base + text.len()))
            else {
                break;
            };
            for suffix in crate::domain::search::word_suffixes(&text) {
                // A suffix is a slice of `text`: its offset is where it starts in it.
                let start = base + (suffix.as_ptr() as usize - text.as_ptr() as usize);
                suffixes.push(HeldSuffix {
                    start: start as u32,
                    end: (start + suffix.len()) as u32,
                    student,
                });
            }
            texts.push_str(&text);
            ids.push(id.into_boxed_str());
        }
        suffixes.sort_unstable_by(|a, b| a.of(&texts).cmp(b.of(&texts)));
        Snapshot {
            since,
            taken: Instant::now(),
            texts,
            ids,
            suffixes,
        }
    }

    fn text(&self, s: &HeldSuffix) -> &str {
        s.of(&self.texts)
    }

    /// The ids, as a JSON array, of the students holding a suffix that begins with `needle`
    /// (folded letters and digits, `domain::search::suffix_range`'s needle), in no order; or
    /// `None` when the name is common by `common_name::within_limits`, counted as the store's
    /// range read counts (at most one suffix past its limit).
    pub(super) fn students_matching(&self, needle: &str) -> Option<String> {
        let first = self.suffixes.partition_point(|s| self.text(s) < needle);
        let mut students: Vec<u32> = Vec::new();
        let mut read = 0i64;
        for s in &self.suffixes[first..] {
            if !self.text(s).starts_with(needle) {
                break;
            }
            read += 1;
            students.push(s.student);
            if !within_limits(read, 0) {
                return None;
            }
        }
        students.sort_unstable();
        students.dedup();
        if !within_limits(read, students.len() as i64) {
            return None;
        }
        let ids: Vec<&str> = students.iter().map(|&i| &*self.ids[i as usize]).collect();
        serde_json::to_string(&ids).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::search::{fold, word_suffixes};

    /// What the store's range read answers for `needle`: the students one of whose word
    /// suffixes begins with it, or `None` past the limits.
    fn by_scan(rows: &[(String, String)], needle: &str) -> Option<Vec<String>> {
        let mut suffixes = 0;
        let mut ids = Vec::new();
        for (id, text) in rows {
            let n = word_suffixes(text)
                .into_iter()
                .filter(|s| s.starts_with(needle))
                .count();
            suffixes += n;
            if n > 0 {
                ids.push(id.clone());
            }
        }
        within_limits(suffixes as i64, ids.len() as i64).then(|| {
            ids.sort();
            ids
        })
    }

    fn held(rows: &[(String, String)], needle: &str) -> Option<Vec<String>> {
        let snapshot = Snapshot::build(7, rows.to_vec());
        snapshot.students_matching(needle).map(|json| {
            let mut ids: Vec<String> = serde_json::from_str(&json).unwrap();
            ids.sort();
            ids
        })
    }

    fn row(id: &str, text: &str) -> (String, String) {
        (id.to_string(), fold(text))
    }

    #[test]
    fn finds_a_needle_inside_any_word_as_the_stores_range_does() {
        let rows = vec![
            row("a", "Ana Müller amuller@school.edu"),
            row("b", "Jürgen Mullerova jm@school.edu"),
            row("c", "Zoë O'Brien zob@x.org"),
            row("d", "Ana Ana ana@ana.edu"),
        ];
        for needle in ["mul", "ller", "ana", "edu", "brien", "zoe", "xyz", "müller"] {
            let needle = fold(needle);
            assert_eq!(held(&rows, &needle), by_scan(&rows, &needle), "{needle}");
        }
        assert_eq!(held(&rows, "ller"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(held(&rows, "anaa"), Some(vec![]));
    }

    #[test]
    fn a_name_past_the_limits_is_common() {
        // 501 students named alike: past INDEXED_MATCHES_MAX.
        let rows: Vec<(String, String)> = (0..501)
            .map(|n| row(&format!("s{n:03}"), &format!("Kim Tanaka{n} t{n}@x.org")))
            .collect();
        assert_eq!(held(&rows, "tanaka"), None);
        assert_eq!(by_scan(&rows, "tanaka"), None);
        assert_eq!(held(&rows[..500], "tanaka").map(|v| v.len()), Some(500));
    }

    proptest::proptest! {
        /// Any needle of three or more letters finds what a scan of every student's word
        /// suffixes finds (the store's range read).
        #[test]
        fn matches_a_scan(
            texts in proptest::collection::vec("[a-dé ]{0,12}", 0..40),
            needle in "[a-dé]{3,5}",
        ) {
            let rows: Vec<(String, String)> = texts
                .iter()
                .enumerate()
                .map(|(n, t)| row(&format!("s{n}"), t))
                .collect();
            proptest::prop_assert_eq!(held(&rows, &needle), by_scan(&rows, &needle));
        }
    }
}
