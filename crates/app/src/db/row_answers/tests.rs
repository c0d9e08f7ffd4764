use super::*;

#[derive(Serialize, Clone)]
struct Row {
    id: String,
    name: String,
}

fn row(id: &str, name: &str) -> (String, Option<i64>, Row) {
    (
        id.to_string(),
        Some(0),
        Row {
            id: id.to_string(),
            name: name.to_string(),
        },
    )
}

fn listed(rows: &[(&str, i64)], next: Option<&str>) -> Paged<(String, Option<i64>)> {
    Paged {
        items: rows
            .iter()
            .map(|(id, tag)| (id.to_string(), (*tag >= 0).then_some(*tag)))
            .collect(),
        next_cursor: next.map(str::to_string),
    }
}

/// The shape of the API's lists (their `List` type, whose own test in the HTTP layer holds a
/// page of rows to it): declared here so the store's tests need nothing from above.
#[derive(Serialize)]
struct List<T> {
    items: Vec<T>,
    next_cursor: Option<String>,
}

fn as_list(rows: Vec<Row>, next: Option<&str>) -> Vec<u8> {
    serde_json::to_vec(&List {
        items: rows,
        next_cursor: next.map(str::to_string),
    })
    .expect("json")
}

#[test]
fn a_page_reads_as_the_list_it_stands_for_kept_or_not() {
    let answers = RowAnswers::new(100);
    // Nothing kept: every row is read, in the page's order.
    let page = answers.page(listed(&[("b", 1), ("a", 1)], Some("a")));
    assert_eq!(page.missing(), vec!["b", "a"]);
    let first = page
        .into_json([row("a", "Ann"), row("b", "Bo")].map(|(id, _, r)| (id, Some(1), r)))
        .expect("page");
    let want = as_list(vec![row("b", "Bo").2, row("a", "Ann").2], Some("a"));
    assert_eq!(first.as_ref(), want.as_slice());
    // Kept: nothing read, the same answer; a last page's cursor is null.
    let page = answers.page(listed(&[("b", 1), ("a", 1)], None));
    assert!(page.missing().is_empty());
    let again = page
        .into_json(Vec::<(String, Option<i64>, Row)>::new())
        .expect("page");
    assert_eq!(
        again.as_ref(),
        as_list(vec![row("b", "Bo").2, row("a", "Ann").2], None).as_slice()
    );
    // An empty page.
    let empty = answers
        .page(listed(&[], None))
        .into_json(Vec::<(String, Option<i64>, Row)>::new())
        .expect("page");
    assert_eq!(empty.as_ref(), as_list(vec![], None).as_slice());
}

#[test]
fn a_row_whose_tag_changed_is_read_again_and_a_row_gone_is_left_out() {
    let answers = RowAnswers::new(100);
    answers
        .page(listed(&[("a", 1), ("b", 1)], None))
        .into_json([row("a", "Ann"), row("b", "Bo")].map(|(id, _, r)| (id, Some(1), r)))
        .expect("page");
    // b's tag changed: its kept answer is not used, and what is read replaces it.
    let page = answers.page(listed(&[("a", 1), ("b", 2), ("c", 7)], None));
    assert_eq!(page.missing(), vec!["b", "c"]);
    // c was deleted after it was listed: left out.
    let body = page
        .into_json([("b".to_string(), Some(2), row("b", "Bea").2)])
        .expect("page");
    assert_eq!(
        body.as_ref(),
        as_list(vec![row("a", "Ann").2, row("b", "Bea").2], None).as_slice()
    );
    // Read with a newer tag than listed: answered as read, kept under the tag read.
    let page = answers.page(listed(&[("a", 3)], None));
    let body = page
        .into_json([("a".to_string(), Some(4), row("a", "Anne").2)])
        .expect("page");
    assert_eq!(
        body.as_ref(),
        as_list(vec![row("a", "Anne").2], None).as_slice()
    );
    assert_eq!(
        answers.page(listed(&[("a", 4)], None)).missing(),
        Vec::<&str>::new()
    );
    assert_eq!(answers.page(listed(&[("a", 3)], None)).missing(), vec!["a"]);
    assert_eq!(answers.page(listed(&[("b", 1)], None)).missing(), vec!["b"]);
}

#[test]
fn what_is_kept_stays_within_its_bound() {
    let answers = RowAnswers::new(16);
    for n in 0..100 {
        let id = format!("r{n}");
        answers
            .page(listed(&[(&id, 1)], None))
            .into_json([(id.clone(), Some(1), row(&id, "x").2)])
            .expect("page");
        assert!(answers.len() <= 16, "{} kept", answers.len());
    }
    // The newest is always kept.
    assert!(
        answers
            .page(listed(&[("r99", 1)], None))
            .missing()
            .is_empty()
    );
    assert!(!answers.is_empty());
}

#[test]
fn a_row_without_a_tag_is_read_every_time_and_never_kept() {
    // A tag of -1 in `listed` stands for none (an open request).
    let answers = RowAnswers::new(100);
    for name in ["Ann", "Anne"] {
        let page = answers.page(listed(&[("a", -1)], None));
        assert_eq!(page.missing(), vec!["a"]);
        let body = page
            .into_json([("a".to_string(), None, row("a", name).2)])
            .expect("page");
        assert_eq!(
            body.as_ref(),
            as_list(vec![row("a", name).2], None).as_slice()
        );
    }
    assert!(answers.is_empty());
}

#[test]
fn a_row_without_a_tag_may_be_filled_from_elsewhere() {
    let answers = RowAnswers::new(100);
    let elsewhere = std::sync::Mutex::new(std::collections::HashMap::<String, Bytes>::new());
    let page = answers.page(listed(&[("a", -1), ("b", 1)], None));
    let body = page
        .into_json_keeping(
            [
                ("a".to_string(), None, row("a", "Ann").2),
                ("b".to_string(), Some(1), row("b", "Bo").2),
            ],
            |id, json| {
                elsewhere
                    .lock()
                    .expect("lock")
                    .insert(id.to_string(), json.clone());
            },
        )
        .expect("page");
    let want = as_list(vec![row("a", "Ann").2, row("b", "Bo").2], None);
    assert_eq!(body.as_ref(), want.as_slice());
    assert_eq!(
        elsewhere.lock().expect("lock").len(),
        1,
        "only the untagged row"
    );
    // The next page: b from its tag, a from elsewhere; nothing left to read.
    let mut page = answers.page(listed(&[("a", -1), ("b", 1)], None));
    assert_eq!(page.missing(), vec!["a"]);
    page.fill_untagged(|id| elsewhere.lock().expect("lock").get(id).cloned());
    assert!(page.missing().is_empty());
    let again = page
        .into_json(Vec::<(String, Option<i64>, Row)>::new())
        .expect("page");
    assert_eq!(again.as_ref(), want.as_slice());
}

/// Two callers missing the same rows at once: the second waits for the first's reading
/// instead of reading them again, and answers them from what the first kept; a row the
/// first did not keep (gone since, or read at another tag) the second reads itself.
#[tokio::test]
async fn callers_missing_the_same_rows_read_them_once() {
    // Shared with a spawned task, as a server's state is.
    let answers: &'static RowAnswers = Box::leak(Box::new(RowAnswers::new(100)));
    let mut first = answers.page(listed(&[("a", 1), ("b", 1), ("c", 1)], None));
    let mut second = answers.page(listed(&[("b", 1), ("c", 1), ("d", 1)], None));
    let first_claim = first.claim_missing();
    assert_eq!(first_claim.ids(), vec!["a", "b", "c"]);
    let second_claim = second.claim_missing();
    assert_eq!(second_claim.ids(), vec!["d"], "b and c are being read");
    // Read at the tag they were listed with.
    let at1 = |(id, _, r): (String, Option<i64>, Row)| (id, Some(1), r);
    second
        .fill(vec![at1(row("d", "Di"))], |_, _| {})
        .expect("fill");
    let waiting = tokio::spawn(async move {
        let mut second = second;
        let still = second.answered_by_others(second_claim).await;
        (
            still,
            second.into_json(Vec::<(String, Option<i64>, Row)>::new()),
        )
    });
    // The first keeps a and b; c is gone since it was listed.
    first
        .fill(vec![at1(row("a", "Ann")), at1(row("b", "Bo"))], |_, _| {})
        .expect("fill");
    assert!(!waiting.is_finished(), "waits while the first reads");
    assert!(first.answered_by_others(first_claim).await.is_empty());
    let (still, body) = waiting.await.expect("joined");
    assert_eq!(
        still,
        vec!["c"],
        "c was not kept: the second reads it itself"
    );
    let body = body.expect("page");
    assert_eq!(
        body.as_ref(),
        as_list(vec![row("b", "Bo").2, row("d", "Di").2], None).as_slice(),
    );
    assert!(answers.reading_lock().is_empty(), "every claim released");
}

/// A claim dropped without keeping anything (its reader failed or was cancelled) releases
/// its waiters, who then read the rows themselves; a row being read at another tag is
/// not waited for.
#[tokio::test]
async fn a_claim_given_up_releases_its_waiters() {
    let answers = RowAnswers::new(100);
    let first = answers.page(listed(&[("a", 1), ("b", 2)], None));
    let claim = first.claim_missing();
    let mut second = answers.page(listed(&[("a", 1), ("b", 3)], None));
    let second_claim = second.claim_missing();
    assert_eq!(second_claim.ids(), vec!["b"], "b is read at another tag");
    drop(claim);
    assert_eq!(second.answered_by_others(second_claim).await, vec!["a"]);
    assert!(answers.reading_lock().is_empty());
    let _ = first;
}

/// Answers kept for a bounded time are not used past it, whatever their tag.
#[test]
fn an_answer_kept_for_a_bounded_time_is_read_again_after_it() {
    let answers = RowAnswers::fresh_for(10, std::time::Duration::ZERO);
    let page = answers.page(listed(&[("a", 0)], None));
    page.into_json(vec![row("a", "Ann")]).expect("page");
    assert_eq!(answers.len(), 1);
    let page = answers.page(listed(&[("a", 0)], None));
    assert_eq!(page.missing(), vec!["a"], "kept, but no longer fresh");
    let lasting = RowAnswers::fresh_for(10, std::time::Duration::from_secs(60));
    lasting
        .page(listed(&[("a", 0)], None))
        .into_json(vec![row("a", "Ann")])
        .expect("page");
    assert!(lasting.page(listed(&[("a", 0)], None)).missing().is_empty());
}

#[test]
fn a_page_made_before_others_kept_its_rows_takes_them_when_filled_again() {
    let answers = RowAnswers::new(100);
    // Two callers make the same page while nothing is kept; the first derives and keeps it.
    let first = answers.page(listed(&[("a", 1), ("b", 1), ("c", -1)], None));
    let mut second = answers.page(listed(&[("a", 1), ("b", 2), ("c", -1)], None));
    assert_eq!(second.missing(), vec!["a", "b", "c"]);
    first
        .into_json(
            [row("a", "Ann"), row("b", "Bo"), row("c", "Cy")].map(|(id, _, r)| {
                let tag = (id != "c").then_some(1);
                (id, tag, r)
            }),
        )
        .expect("page");
    // The second takes what the first kept at the tags it listed: not "b", listed at a newer
    // tag, and not "c", listed without one (kept, if at all, under rules of its own).
    second.fill_kept();
    assert_eq!(second.missing(), vec!["b", "c"]);
}
