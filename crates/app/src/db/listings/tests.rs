//! Tests of kept listings (`db::listings`).
use super::*;
use crate::db::{DbResult, Sort, paged};

fn rows(n: usize) -> Rows {
    (0..n)
        .map(|i| (format!("id{i:05}"), Some(i as i64)))
        .collect()
}

/// The store's own page of `all` (what `list_tags` answers): a keyset or offset page.
fn store_page(all: &Rows, page: &Page) -> Paged<(String, Option<i64>)> {
    let from: Vec<_> = match (&page.sort, page.after.as_deref()) {
        (None, Some(a)) => all
            .iter()
            .filter(|(id, _)| id.as_str() > a)
            .cloned()
            .collect(),
        _ => all.iter().skip(page.offset() as usize).cloned().collect(),
    };
    let fetched = from.into_iter().take(page.fetch_limit() as usize).collect();
    paged(fetched, page, |(id, _)| id)
}

fn key() -> ListingKey {
    ListingKey::new(
        "students",
        &"All",
        &"Filter",
        &Page::first(50),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("day"),
    )
}

/// Every page of a kept listing is the store's page: keyset and sorted, any size, the
/// last page and past it.
#[test]
fn a_kept_listings_pages_are_the_stores() {
    let all = rows(103);
    for sort in [
        None,
        Some(Sort {
            key: "name".into(),
            descending: false,
        }),
    ] {
        for limit in [1, 7, 50, 102, 103, 104, 500] {
            let mut page = Page {
                limit,
                after: None,
                sort: sort.clone(),
            };
            for _ in 0..200 {
                let want = store_page(&all, &page);
                let got = page_of(&all, &page).expect("page");
                assert_eq!(got.items, want.items, "{page:?}");
                assert_eq!(got.next_cursor, want.next_cursor, "{page:?}");
                match want.next_cursor {
                    Some(c) => page.after = Some(c),
                    None => break,
                }
            }
        }
    }
}

/// A cursor the listing does not hold is not answered from it; a descending listing
/// finds its cursor.
#[test]
fn an_unknown_cursor_reads_the_store() {
    let all = rows(10);
    let page = Page {
        limit: 3,
        after: Some("id00003x".into()),
        sort: None,
    };
    assert!(page_of(&all, &page).is_none());
    let mut desc = all.clone();
    desc.reverse();
    let page = Page {
        limit: 3,
        after: Some("id00007".into()),
        sort: None,
    };
    let got = page_of(&desc, &page).expect("found");
    assert_eq!(got.items[0].0, "id00006");
}

fn read_counting(
    all: &Rows,
    reads: &mut Vec<i64>,
    page: &Page,
) -> DbResult<Paged<(String, Option<i64>)>> {
    reads.push(page.limit);
    Ok(store_page(all, page))
}

/// The listing is read whole only after it was paged, then answers pages without the
/// store until a write; a write starts the count over, and the next whole read waits
/// its turn.
#[test]
fn a_paged_listing_is_read_whole_once_then_kept_until_a_write() {
    let all = rows(500);
    let listings = Listings::new();
    let mut reads = Vec::new();
    let mut page = Page::first(50);
    for _ in 0..8 {
        let got = crate::listing_page!(listings, key(), 1, &page, p => read_counting(&all, &mut reads, p))
            .expect("page");
        assert_eq!(got.items, store_page(&all, &page).items);
        page.after = got.next_cursor;
    }
    // Three pages read, the fourth read the listing whole, then nothing.
    assert_eq!(reads, vec![50, 50, 50, MAX_ROWS]);
    // A write: pages are read from the store again.
    reads.clear();
    for _ in 0..6 {
        crate::listing_page!(listings, key(), 2, &page, p => read_counting(&all, &mut reads, p))
            .expect("page");
    }
    assert!(
        reads.iter().filter(|l| **l == MAX_ROWS).count() <= 1,
        "{reads:?}"
    );
    assert!(reads.len() >= 4);
}

/// After a write, a listing whose last whole read took long is read whole again only when
/// its spacing has passed, unless the listing kept before the write answered enough pages
/// to pay for that read (a walk faster than the writes).
#[test]
fn a_listing_that_paid_for_itself_is_read_again_at_once() {
    for (served, read_again) in [(20_000, true), (5, false)] {
        let listings = Listings::new();
        let page = Page::first(50);
        let _ = listings.lookup(&key(), 1, &page);
        {
            let mut inner = listings.lock();
            let l = inner.listings.get_mut(&key()).expect("tracked");
            // A whole read of 1 s, just now, which then answered `served` pages.
            l.last_read = Some((Instant::now(), Duration::from_secs(1)));
            l.kept = Some((Arc::new(rows(10)), Instant::now()));
            l.served = served;
        }
        let found: Vec<bool> = (0..PAGES_BEFORE_WHOLE)
            .map(|_| matches!(listings.lookup(&key(), 2, &page), Found::ReadWhole(_)))
            .collect();
        let mut want = vec![false; PAGES_BEFORE_WHOLE as usize - 1];
        want.push(read_again);
        assert_eq!(found, want, "{served} pages served");
    }
}

/// A listing longer than the bound is not kept: every page reads the store.
#[test]
fn a_listing_too_long_is_read_page_by_page() {
    let all = rows(10);
    let listings = Listings::new();
    let long = |p: &Page| {
        let mut got = store_page(&all, p);
        if p.limit == MAX_ROWS {
            got.next_cursor = Some("id00009".into());
        }
        got
    };
    let mut reads = 0;
    for _ in 0..10 {
        let read: DbResult<_> = crate::listing_page!(listings, key(), 1, &Page::first(3), p => {
            reads += 1;
            Ok(long(p))
        });
        read.expect("page");
    }
    // The whole read once (and its own page after it), then a page each.
    assert_eq!(reads, 11);
}

/// A whole read given up (its request failed or went away) lets the listing be read whole
/// again, and still spaces that read from its own start.
#[test]
fn a_whole_read_given_up_still_spaces_the_next() {
    let listings = Listings::new();
    let page = Page::first(50);
    let mut found = None;
    for _ in 0..PAGES_BEFORE_WHOLE {
        if let Found::ReadWhole(r) = listings.lookup(&key(), 1, &page) {
            found = Some(r);
        }
    }
    drop(found.expect("read whole on the fourth page"));
    let inner = listings.lock();
    let l = inner.listings.get(&key()).expect("tracked");
    assert!(!l.reading);
    assert!(l.last_read.is_some());
}

/// A listing read whole again after its freshness ran out replaces what was kept: the rows
/// counted against the bound are the listing's, not twice.
#[test]
fn a_listing_read_again_is_counted_once() {
    let all = rows(40);
    let listings = Listings::new();
    let mut reads = Vec::new();
    let page = Page::first(5);
    for _ in 0..PAGES_BEFORE_WHOLE {
        crate::listing_page!(listings, key(), 1, &page, p => read_counting(&all, &mut reads, p))
            .expect("page");
    }
    assert_eq!(listings.lock().kept_rows, 40);
    {
        let mut inner = listings.lock();
        let l = inner.listings.get_mut(&key()).expect("tracked");
        let (rows, _) = l.kept.take().expect("kept");
        let long_ago = Instant::now()
            .checked_sub(FRESH_FOR + Duration::from_secs(1))
            .expect("an instant long ago");
        l.kept = Some((rows, long_ago));
        l.last_read = Some((long_ago, Duration::from_millis(1)));
        l.pages_read = PAGES_BEFORE_WHOLE;
    }
    crate::listing_page!(listings, key(), 1, &page, p => read_counting(&all, &mut reads, p))
        .expect("page");
    assert_eq!(
        reads.iter().filter(|l| **l == MAX_ROWS).count(),
        2,
        "{reads:?}"
    );
    assert_eq!(listings.lock().kept_rows, 40);
}
