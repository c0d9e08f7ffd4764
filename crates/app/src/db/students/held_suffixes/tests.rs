//! What is held against what the store answers: lookups against a scan of every word
//! suffix (the store's range read), and pages answered from memory alone.
use super::super::common_name::within_limits;
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
    let rows = rows
        .iter()
        .map(|(id, text)| (id.clone(), text.clone(), None, None))
        .collect();
    let snapshot = Snapshot::build(Some(7), 0, rows);
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

/// A page answered from memory alone: the students whose text holds the needle, in the
/// scope (a school reads those enrolled there, now or before), in id order from the
/// cursor on; anything memory cannot answer exactly is left to the store (`None`).
#[test]
fn a_page_from_memory_alone_is_the_stores_page() {
    let student = |id: &str, text: &str, tag: i64, schools: &str| {
        (
            id.to_string(),
            fold(text),
            Some(tag),
            Some(schools.to_string()),
        )
    };
    let rows = vec![
        student("a4", "Ana Vantreight a4@x.org", 40, "north"),
        student("a1", "Bo Vantreight b1@x.org", 10, "north south"),
        student("a3", "Cy Vantreight c3@x.org", 30, "south"),
        student("a2", "Di Other d2@x.org", 20, "north"),
        student("a5", "Ed Vantreightson e5@x.org", 50, ""),
    ];
    let snapshot = Snapshot::build(None, 3, rows);
    let filter = |q: &str| super::super::Filter {
        school_id: None,
        program_id: None,
        status: None,
        q: Some(q.to_string()),
    };
    let page = |limit: i64, after: Option<&str>| Page {
        limit,
        after: after.map(str::to_string),
        sort: None,
    };
    // The page for `q` as `list_tags` asks it: the needle is the folded `q`
    // (`name_index::inline_range`'s, for letters and digits).
    let ask = |scope: &Scope, q: &str, page: &Page| {
        snapshot.exact_page(scope, &filter(q), page, &fold(q))
    };
    let ids = |p: Option<Paged<(String, Option<i64>)>>| {
        p.map(|p| (p.items, p.next_cursor))
            .expect("answered from memory")
    };
    let all = |id: &str, tag: i64| (id.to_string(), Some(tag));
    let every = vec![all("a1", 10), all("a3", 30), all("a4", 40), all("a5", 50)];
    assert_eq!(
        ids(ask(&Scope::All, "vantreight", &page(10, None))),
        (every, None)
    );
    assert_eq!(
        ids(ask(&Scope::All, "VANTREIGHT", &page(2, None))),
        (vec![all("a1", 10), all("a3", 30)], Some("a3".to_string()))
    );
    assert_eq!(
        ids(ask(&Scope::All, "vantreight", &page(2, Some("a3")))),
        (vec![all("a4", 40), all("a5", 50)], None)
    );
    let north = Scope::School("north".into());
    assert_eq!(
        ids(ask(&north, "vantreight", &page(10, None))),
        (vec![all("a1", 10), all("a4", 40)], None)
    );
    let west = Scope::School("west".into());
    assert_eq!(ids(ask(&west, "treig", &page(10, None))), (vec![], None));
    // Left to the store: other scopes, filters, a sort, and a needle that is not the
    // search's whole text.
    assert!(ask(&Scope::Staff("x".into()), "vantreight", &page(10, None)).is_none());
    let mut by_school = filter("vantreight");
    by_school.school_id = Some("north".into());
    let first = page(10, None);
    assert!(
        snapshot
            .exact_page(&Scope::All, &by_school, &first, "vantreight")
            .is_none()
    );
    let sorted = Page {
        sort: Some(crate::db::Sort {
            key: "name".into(),
            descending: false,
        }),
        ..page(10, None)
    };
    assert!(ask(&Scope::All, "vantreight", &sorted).is_none());
    assert!(ask(&Scope::All, "vantreight", &page(10, Some("A3"))).is_none());
    for q in ["bo vantreight", "vantreight%"] {
        let answered = snapshot.exact_page(&Scope::All, &filter(q), &first, "vantreight");
        assert!(answered.is_none(), "{q}");
    }
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
