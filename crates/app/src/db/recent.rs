//! Values derived from the store and kept while they are still what the store would give:
//! while no write has committed since they were read ([`super::Db::write_generation`]: this
//! process's commits at once, other processes' within a quarter of a second through the
//! server's watch, `super::watch`), and for at most a fixed time besides, a guard for when no
//! watch runs: past it, what the placements lists keep answers only while the watch vouches
//! for it ([`Freshness`]). Used for what every request or every page reads again and again
//! with nothing changed in between: the session row (`sessions::find`), a placement's
//! derived view (`service::placements::list_views`) and a request's live eligibility.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a value kept by generation may answer: for at most a fixed time whatever the watch
/// says, or, for what is vouched for by the watch ([`Freshness::or_while_confirmed`]), past
/// it while the watch has lately asked the store and counted every write it found
/// ([`super::watch::Confirmed`]). The fixed time is a guard for when no watch runs (a CLI
/// command) or its polls fail; a running watch already drops a value within a quarter
/// second of any write another process commits, so past the guard it is the store's own
/// answer, a quarter second old, that keeps the value, not the hope that nothing changed.
#[derive(Debug, Clone)]
pub struct Freshness {
    at_most: Duration,
    or_while: Option<Arc<super::watch::Confirmed>>,
}

impl Freshness {
    /// Used for at most `at_most` after it was kept, or longer while `confirmed` is recent.
    pub fn or_while_confirmed(at_most: Duration, confirmed: Arc<super::watch::Confirmed>) -> Self {
        Freshness {
            at_most,
            or_while: Some(confirmed),
        }
    }

    /// Whether a value kept at `kept_at` may answer now.
    pub fn allows(&self, kept_at: Instant) -> bool {
        kept_at.elapsed() < self.at_most || self.or_while.as_ref().is_some_and(|c| c.lately())
    }
}

/// Used for at most this long after it was kept, whatever the watch says.
impl From<Duration> for Freshness {
    fn from(at_most: Duration) -> Self {
        Freshness {
            at_most,
            or_while: None,
        }
    }
}

/// Kept values by key, all of one write generation: a value put under a newer generation
/// empties the rest, so what a write made stale is freed, not only skipped.
#[derive(Debug)]
pub struct Recent<K, V> {
    inner: Mutex<Inner<K, V>>,
    freshness: Freshness,
    max_entries: usize,
}

#[derive(Debug)]
struct Inner<K, V> {
    generation: u64,
    entries: HashMap<K, (V, Instant)>,
}

impl<K: Eq + Hash + Clone, V: Clone> Recent<K, V> {
    /// Values kept for at most `fresh_for` ([`Freshness`]), at most `max_entries` of them: when
    /// full, about an eighth (in the map's own order, which is as good as random) make room
    /// for the next, so a list walked page after page past the bound keeps most of what it
    /// derived instead of starting over (issue 18: a 40,000-placement walk against 5,000 kept).
    pub fn new(fresh_for: impl Into<Freshness>, max_entries: usize) -> Self {
        Recent {
            inner: Mutex::new(Inner {
                generation: 0,
                entries: HashMap::new(),
            }),
            freshness: fresh_for.into(),
            max_entries,
        }
    }

    // A poisoned lock only means a panic elsewhere mid-insert; the map is still a map.
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<K, V>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value kept for `key`, if it was read at `generation` (the store's write generation
    /// now) and is fresh.
    pub fn get(&self, key: &K, generation: u64) -> Option<V> {
        let inner = self.lock();
        if inner.generation != generation {
            return None;
        }
        inner
            .entries
            .get(key)
            .filter(|(_, at)| self.freshness.allows(*at))
            .map(|(v, _)| v.clone())
    }

    /// Keeps `value`, derived from what the store held at `generation`: the write generation
    /// read *before* the store was, so a write committing meanwhile makes it never used. A
    /// value older than what is kept is dropped.
    pub fn put(&self, key: K, value: V, generation: u64) {
        Self::keep(&mut self.lock(), key, value, generation, self.max_entries);
    }

    fn keep(inner: &mut Inner<K, V>, key: K, value: V, generation: u64, max_entries: usize) {
        if generation < inner.generation {
            return;
        }
        if generation > inner.generation {
            inner.generation = generation;
            inner.entries.clear();
        }
        if inner.entries.len() >= max_entries.max(1) && !inner.entries.contains_key(&key) {
            free_an_eighth(&mut inner.entries, max_entries, 1);
        }
        inner.entries.insert(key, (value, Instant::now()));
    }

    /// The value kept for `key` if it was read at `generation` and is fresh; otherwise
    /// `make()`, kept under `generation` (unless something newer is kept) and answered. One
    /// lock for both, so callers that miss at once share the one value they make: with a
    /// `OnceCell` as the value, the first derives and the rest wait for it (single flight).
    pub fn get_or_put_with(&self, key: K, generation: u64, make: impl FnOnce() -> V) -> V {
        let mut inner = self.lock();
        if inner.generation == generation
            && let Some((v, at)) = inner.entries.get(&key)
            && self.freshness.allows(*at)
        {
            return v.clone();
        }
        let value = make();
        Self::keep(&mut inner, key, value.clone(), generation, self.max_entries);
        value
    }

    /// How many values are kept (for tests).
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Frees about an eighth of `max_entries` entries of a full `map`, and at least `at_least`,
/// in the map's own order (as good as random): a bound on memory that keeps most of what is
/// kept ([`Recent`], `row_answers::RowAnswers`).
pub fn free_an_eighth<K: Eq + Hash + Clone, V>(
    map: &mut HashMap<K, V>,
    max_entries: usize,
    at_least: usize,
) {
    let freed: Vec<K> = map
        .keys()
        .take((max_entries / 8).max(at_least))
        .cloned()
        .collect();
    for k in freed {
        map.remove(&k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(max: usize) -> Recent<String, u32> {
        Recent::new(Duration::from_secs(60), max)
    }

    #[test]
    fn a_value_answers_only_at_the_generation_it_was_read_at() {
        let c = cache(10);
        assert_eq!(c.get(&"a".into(), 0), None);
        c.put("a".into(), 1, 4);
        assert_eq!(c.get(&"a".into(), 4), Some(1));
        assert_eq!(c.get(&"a".into(), 5), None, "a write committed since");
        assert_eq!(c.get(&"b".into(), 4), None);
    }

    #[test]
    fn a_newer_generation_frees_the_older_and_an_older_value_is_dropped() {
        let c = cache(10);
        c.put("a".into(), 1, 4);
        c.put("b".into(), 2, 5);
        assert_eq!(c.len(), 1);
        assert_eq!(c.get(&"b".into(), 5), Some(2));
        // Read before the write of generation 5 committed: it may hold the older state.
        c.put("c".into(), 3, 4);
        assert_eq!(c.get(&"c".into(), 5), None);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn a_full_cache_frees_an_eighth_for_the_newest() {
        let c = cache(16);
        for i in 0..16u32 {
            c.put(format!("k{i}"), i, 1);
        }
        c.put("k0".into(), 9, 1);
        assert_eq!(c.len(), 16, "replacing a kept key is not growth");
        c.put("new".into(), 99, 1);
        assert_eq!(
            c.len(),
            16 - 2 + 1,
            "two (an eighth) freed, the newest kept"
        );
        assert_eq!(c.get(&"new".into(), 1), Some(99));
        let still: usize = (0..16)
            .filter(|i| c.get(&format!("k{i}"), 1).is_some())
            .count();
        assert_eq!(still, 14, "the rest is still kept");
        // A bound below eight still frees one.
        let small = cache(3);
        for k in ["a", "b", "c", "d"] {
            small.put(k.into(), 0, 1);
        }
        assert_eq!(small.len(), 3);
        assert_eq!(small.get(&"d".into(), 1), Some(0));
    }

    #[test]
    fn a_value_is_not_used_past_its_freshness() {
        let c: Recent<String, u32> = Recent::new(Duration::ZERO, 10);
        c.put("a".into(), 1, 0);
        assert_eq!(c.get(&"a".into(), 0), None);
    }

    #[test]
    fn a_value_past_its_guard_answers_while_the_watch_confirms() {
        let confirmed = Arc::new(super::super::watch::Confirmed::default());
        let c: Recent<String, u32> = Recent::new(
            Freshness::or_while_confirmed(Duration::ZERO, confirmed.clone()),
            10,
        );
        c.put("a".into(), 1, 0);
        assert_eq!(c.get(&"a".into(), 0), None, "no watch has confirmed");
        confirmed.confirm();
        assert_eq!(c.get(&"a".into(), 0), Some(1));
        assert_eq!(c.get(&"a".into(), 1), None, "a write committed since");
        assert_eq!(c.get_or_put_with("b".into(), 1, || 2), 2);
        assert_eq!(c.get_or_put_with("b".into(), 1, || 3), 2);
    }

    #[test]
    fn callers_that_miss_together_share_the_value_the_first_made() {
        let c = cache(10);
        let first = c.get_or_put_with("a".into(), 2, || 1);
        let second = c.get_or_put_with("a".into(), 2, || 2);
        assert_eq!((first, second), (1, 1));
        // A write committed: the next caller makes anew and the old value is gone.
        assert_eq!(c.get_or_put_with("a".into(), 3, || 3), 3);
        assert_eq!(c.get(&"a".into(), 3), Some(3));
        // A caller that read before that write gets its own value, never kept.
        assert_eq!(c.get_or_put_with("b".into(), 2, || 4), 4);
        assert_eq!(c.get(&"b".into(), 3), None);
        assert_eq!(c.len(), 1);
    }
}
