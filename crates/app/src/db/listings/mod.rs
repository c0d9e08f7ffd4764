//! Whole listings kept: a list's every row, as ids and row tags in the list's order, read in
//! one statement and kept while no write has committed since (the store's write generation,
//! the rule every kept value follows: [`super::recent`]), so that a list read page after page
//! answers each page's ids from memory instead of from a statement per page.
//!
//! A listing is read whole only once it has been paged: after [`PAGES_BEFORE_WHOLE`] pages of
//! the same listing were read from the store under one write generation (a coordinator or a
//! school's tool reading on, not a dashboard reading its first page after each write). A whole
//! read is spaced from the last one of the same listing by [`SPACING`] times what that read
//! took, so that under a stream of writes, which make each listing stale as it is read,
//! reading whole listings costs at most about a tenth of the time, unless the last listing
//! kept answered more pages than reading it cost (a walk faster than the writes: see
//! [`PAGE_READ`]). A listing of more than
//! [`MAX_ROWS`] rows is not kept, and at most [`MAX_KEPT_ROWS`] rows are kept in all.
//!
//! Measured (issue 18 point 4, bench/results/server-scale.md "Ninth round"): each page of a
//! walk through 20,000 students was one statement on the store, about 100 µs of PostgreSQL's
//! time; answered from the kept listing it is none.
use super::{Page, Paged, recent};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A listing's rows: each row's id and row tag (`None` where the list's rows have none), in
/// the list's order.
pub type Rows = Vec<(String, Option<i64>)>;

/// Pages read from the store under one write generation before the listing is read whole.
pub const PAGES_BEFORE_WHOLE: u32 = 4;
/// A whole read starts no sooner after the last one of the same listing than this many times
/// what the last one took, unless the last one paid for itself ([`PAGE_READ`]).
pub const SPACING: u32 = 10;
/// About what reading one page's ids from the store costs (a list statement: about 100 µs of
/// the store's and the server's time, bench/results/server-scale.md "Ninth round"). A kept
/// listing that answered more pages than its whole read took in these has paid for itself:
/// the list is being walked faster than the store is written, and after the next write it is
/// read whole again at once, not spaced.
pub const PAGE_READ: Duration = Duration::from_micros(100);
/// Most rows a kept listing holds (a consortium's 100,000 documents with room to spare); a
/// listing with more is answered page by page from the store.
pub const MAX_ROWS: i64 = 150_000;
/// Most rows kept across every listing: about 90 bytes each, so at most about 40 MiB.
pub const MAX_KEPT_ROWS: usize = 450_000;
/// Most listings tracked (kept or counted) at once.
const MAX_LISTINGS: usize = 256;
/// How long a kept listing may answer at most, whatever the watch (`super::watch`) says.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// Which listing: the list (`"students"`), what bounds it (the reader's scope and the list's
/// filters, as their `Debug` text: every field of both, so two keys are equal only when the
/// statements are), its sort, and the office day (a list's rows may depend on the day).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListingKey {
    pub list: &'static str,
    pub bounds: String,
    pub sort: Option<(String, bool)>,
    pub day: chrono::NaiveDate,
}

impl ListingKey {
    /// The key of `list` read within `scope` through `filter`, sorted as `page` asks.
    pub fn new(
        list: &'static str,
        scope: &impl std::fmt::Debug,
        filter: &impl std::fmt::Debug,
        page: &Page,
        day: chrono::NaiveDate,
    ) -> ListingKey {
        ListingKey {
            list,
            bounds: format!("{scope:?} {filter:?}"),
            sort: page.sort.as_ref().map(|s| (s.key.clone(), s.descending)),
            day,
        }
    }
}

/// The listings kept and how often each was paged, all of one write generation.
#[derive(Debug)]
pub struct Listings {
    inner: Mutex<Inner>,
    /// How long a kept listing may answer ([`FRESH_FOR`] unless vouched for by the watch).
    freshness: recent::Freshness,
}

impl Default for Listings {
    fn default() -> Self {
        Listings {
            inner: Mutex::default(),
            freshness: FRESH_FOR.into(),
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    generation: u64,
    listings: HashMap<ListingKey, Listing>,
    kept_rows: usize,
}

#[derive(Debug, Default)]
struct Listing {
    /// Pages read from the store under the current generation.
    pages_read: u32,
    /// A whole read is under way.
    reading: bool,
    /// When the last whole read started and how long it took (kept across generations).
    last_read: Option<(Instant, Duration)>,
    /// Pages answered from the listing kept under the current generation.
    served: u32,
    /// The listing kept under the last generation answered more pages than its read cost
    /// ([`PAGE_READ`]).
    paid: bool,
    /// More than [`MAX_ROWS`] rows when last read whole.
    too_long: bool,
    kept: Option<(Arc<Rows>, Instant)>,
}

/// What [`Listings::lookup`] found (see [`crate::listing_page`], which acts on it).
pub enum Found<'a> {
    /// The page, from the kept listing.
    Page(Paged<(String, Option<i64>)>),
    /// Read the page from the store.
    ReadPage,
    /// Read the listing whole ([`Reading::whole`]; this caller alone), and keep it
    /// ([`Reading::keep`]).
    ReadWhole(Reading<'a>),
}

/// `$page` (`&Page`) of the listing `$key` ([`ListingKey`]) as the store function would answer
/// it (`DbResult<Paged>` of ids and tags, with its next cursor), reading from the store only
/// what [`Listings`] does not keep: `$read` reads a page of the listing, the one `$p` names
/// (the list's own `list_tags` or `list_ids`). `$generation` is the store's write generation
/// read before anything of this answer was. Errors: `$read`'s. A macro, not a function taking
/// a closure: the closure would borrow the caller's connection for each call.
#[macro_export]
macro_rules! listing_page {
    ($listings:expr, $key:expr, $generation:expr, $page:expr, $p:ident => $read:expr) => {{
        let page: &$crate::db::Page = $page;
        match $listings.lookup(&$key, $generation, page) {
            $crate::db::listings::Found::Page(found) => Ok(found),
            $crate::db::listings::Found::ReadPage => {
                let $p = page;
                $read
            }
            $crate::db::listings::Found::ReadWhole(reading) => {
                let whole = reading.whole(page);
                let read = {
                    let $p = &whole;
                    $read
                };
                match read {
                    Err(e) => Err(e),
                    Ok(rows) => match reading.keep(rows, page) {
                        Some(found) => Ok(found),
                        None => {
                            let $p = page;
                            $read
                        }
                    },
                }
            }
        }
    }};
}

impl Listings {
    /// Nothing kept; a listing answers for at most [`FRESH_FOR`] after its read.
    pub fn new() -> Listings {
        Listings::default()
    }

    /// As [`Listings::new`], a listing answering past [`FRESH_FOR`] while the watch has lately
    /// confirmed that nothing it is keyed on was written (`recent::Freshness`).
    pub fn confirmed_by(confirmed: Arc<super::watch::Confirmed>) -> Listings {
        Listings {
            freshness: recent::Freshness::or_while_confirmed(FRESH_FOR, confirmed),
            ..Listings::default()
        }
    }

    // A poisoned lock only means a panic elsewhere mid-update; the map is still a map.
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What is kept for `page` of the listing `key` at `generation` (the store's write
    /// generation now), and what to read otherwise; counts the page as read when it is not
    /// kept. See [`crate::listing_page`].
    pub fn lookup(&self, key: &ListingKey, generation: u64, page: &Page) -> Found<'_> {
        let mut inner = self.lock();
        if generation < inner.generation {
            return Found::ReadPage;
        }
        if generation > inner.generation {
            inner.start_generation(generation);
        }
        if !inner.listings.contains_key(key) {
            if inner.listings.len() >= MAX_LISTINGS {
                inner.forget_some();
            }
            inner.listings.insert(key.clone(), Listing::default());
        }
        let Some(listing) = inner.listings.get_mut(key) else {
            return Found::ReadPage;
        };
        if let Some((rows, at)) = &listing.kept
            && self.freshness.allows(*at)
        {
            return match page_of(rows, page) {
                Some(p) => {
                    listing.served = listing.served.saturating_add(1);
                    Found::Page(p)
                }
                // A cursor the listing does not hold (a row deleted since, a cursor made up).
                None => Found::ReadPage,
            };
        }
        listing.pages_read = listing.pages_read.saturating_add(1);
        let spaced = listing.paid
            || listing
                .last_read
                .is_none_or(|(started, took)| started.elapsed() >= took.saturating_mul(SPACING));
        if listing.pages_read >= PAGES_BEFORE_WHOLE
            && !listing.reading
            && !listing.too_long
            && spaced
        {
            listing.reading = true;
            Found::ReadWhole(Reading {
                listings: self,
                key: key.clone(),
                generation,
                started: Instant::now(),
                done: false,
            })
        } else {
            Found::ReadPage
        }
    }
}

impl Inner {
    /// Forgets what an older generation kept; what spaces the reads is kept.
    fn start_generation(&mut self, generation: u64) {
        self.generation = generation;
        self.kept_rows = 0;
        for listing in self.listings.values_mut() {
            listing.paid = listing.kept.is_some()
                && listing
                    .last_read
                    .is_some_and(|(_, took)| PAGE_READ.saturating_mul(listing.served) >= took);
            listing.served = 0;
            listing.pages_read = 0;
            listing.reading = false;
            listing.kept = None;
        }
    }

    /// Makes room for one more listing: forgets about an eighth of them.
    fn forget_some(&mut self) {
        recent::free_an_eighth(&mut self.listings, MAX_LISTINGS, 1);
        self.kept_rows = self
            .listings
            .values()
            .filter_map(|l| l.kept.as_ref().map(|(rows, _)| rows.len()))
            .sum();
    }
}

/// A whole read under way: on drop without [`Reading::keep`] (the read failed or its caller
/// went away), the listing may be read whole again.
pub struct Reading<'a> {
    listings: &'a Listings,
    key: ListingKey,
    generation: u64,
    started: Instant,
    done: bool,
}

impl Reading<'_> {
    /// The page that reads the whole listing sorted as `page` is.
    pub fn whole(&self, page: &Page) -> Page {
        Page {
            limit: MAX_ROWS,
            after: None,
            sort: page.sort.clone(),
        }
    }

    /// Keeps `rows`, the whole listing read from the store ([`Reading::whole`]), if no write
    /// has committed since and it is not too long; answers `page` of it when it is whole and
    /// holds the page's cursor (`None`: read `page` from the store).
    pub fn keep(
        mut self,
        rows: Paged<(String, Option<i64>)>,
        page: &Page,
    ) -> Option<Paged<(String, Option<i64>)>> {
        let listing = self.keep_rows(rows)?;
        page_of(&listing, page)
    }

    fn keep_rows(&mut self, rows: Paged<(String, Option<i64>)>) -> Option<Arc<Rows>> {
        self.done = true;
        let took = self.started.elapsed();
        let mut inner = self.listings.lock();
        let current = inner.generation == self.generation;
        let too_long = rows.next_cursor.is_some();
        let listing = Arc::new(rows.items);
        let Inner {
            listings,
            kept_rows,
            ..
        } = &mut *inner;
        let Some(l) = listings.get_mut(&self.key) else {
            return (!too_long).then_some(listing);
        };
        // Spaces the next read whatever happened since this one began.
        l.last_read = Some((self.started, took));
        if current {
            l.reading = false;
            l.too_long = too_long;
            // A listing kept before (past its freshness) is replaced, not added to.
            let replaced = l.kept.take().map_or(0, |(rows, _)| rows.len());
            *kept_rows = kept_rows.saturating_sub(replaced);
            if !too_long {
                l.kept = Some((listing.clone(), Instant::now()));
                *kept_rows += listing.len();
                if *kept_rows > MAX_KEPT_ROWS {
                    // Over the bound: keep this one, forget the others.
                    for (k, l) in listings.iter_mut() {
                        if *k != self.key {
                            l.kept = None;
                        }
                    }
                    *kept_rows = listing.len();
                }
            }
        }
        (!too_long).then_some(listing)
    }
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut inner = self.listings.lock();
            let current = inner.generation == self.generation;
            if let Some(l) = inner.listings.get_mut(&self.key) {
                // A read that failed or was given up still spaces the next one: otherwise a
                // client dropping its requests could start whole reads back to back.
                l.last_read = Some((self.started, self.started.elapsed()));
                if current {
                    l.reading = false;
                }
            }
        }
    }
}

/// `page` of the whole listing `rows`, as the store's keyset or offset page would be
/// (`super::paged`): after the cursor's row, or from a sorted page's offset. `None` when the
/// cursor names no row of the listing.
fn page_of(rows: &[(String, Option<i64>)], page: &Page) -> Option<Paged<(String, Option<i64>)>> {
    let limit = page.limit.max(0) as usize;
    let start = match (&page.sort, page.after.as_deref()) {
        (_, None) => 0,
        (Some(_), Some(_)) => page.offset() as usize,
        (None, Some(cursor)) => position(rows, cursor)? + 1,
    }
    .min(rows.len());
    let end = start.saturating_add(limit).min(rows.len());
    let items = rows[start..end].to_vec();
    let more = rows.len() > end;
    let next_cursor = if !more {
        None
    } else if page.sort.is_some() {
        Some(format!("o:{}", page.offset() + page.limit))
    } else {
        items.last().map(|(id, _)| id.clone())
    };
    Some(Paged { items, next_cursor })
}

/// Where `id` is in `rows`, which the store ordered by id, ascending or descending (a keyset
/// list's order). Found by bisection on the ids' bytes; a store whose collation orders them
/// otherwise only makes it not found, never found elsewhere (an id is unique).
fn position(rows: &[(String, Option<i64>)], id: &str) -> Option<usize> {
    rows.binary_search_by(|(r, _)| r.as_str().cmp(id))
        .or_else(|_| rows.binary_search_by(|(r, _)| id.cmp(r.as_str())))
        .ok()
}

#[cfg(test)]
mod tests;
