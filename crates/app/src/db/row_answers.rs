//! What each record's JSON answer was, kept by the record's id and row tag (`row_tag`,
//! migration 0033): a page of students, documents or placement requests answers each row from
//! here and reads in full only the rows not answered before or whose tag changed (issue 18
//! point 4). Beside the store's row tags rather than in the HTTP layer, so the state that holds it
//! (`state::AppState`) does not depend on the HTTP layer.
use super::Paged;
use axum::body::Bytes;
use serde::Serialize;

/// Each record's JSON object as a list answers it, kept by the record's id and row tag: a
/// value the store replaces whenever anything the answer shows changes (`students.row_tag`,
/// migration 0033). An answer kept for an id and tag is what deriving it again would give,
/// whoever asks and whatever was written since, so unlike a whole list's kept answer (the HTTP layer's `kept`) it
/// needs no write generation: a page not answered before (a school's tool walking every page, a search)
/// reads only its rows' ids and tags and derives only the rows this server has not answered
/// yet, or whose tag changed.
///
/// Only for records whose answer is the same for every reader allowed to list them (no field
/// depends on the asker or on the day). A row listed without a tag (`None`: an open placement
/// request, whose live eligibility depends on other records) is read every time and never
/// kept.
pub struct RowAnswers {
    rows: std::sync::Mutex<std::collections::HashMap<String, Kept>>,
    /// The rows a caller is reading now ([`RowsPage::claim_missing`]), by id: the tag it reads
    /// them for and a receiver that closes once it has kept them, so that callers missing the
    /// same rows at once (a list opened by many after a write, a tool's clients walking the
    /// same pages) wait for one reading instead of each deriving them.
    reading: std::sync::Mutex<std::collections::HashMap<String, (i64, Reading)>>,
    max_entries: usize,
    /// How long a kept answer may answer at most (`None`: as long as its tag is the row's).
    fresh_for: Option<std::time::Duration>,
}

/// A record's answer as kept: its tag, its JSON and when it was kept.
type Kept = (i64, Bytes, std::time::Instant);

/// Closes when the caller reading some rows has kept them, or has given up.
type Reading = tokio::sync::watch::Receiver<()>;

impl RowAnswers {
    /// Holds at most `max_entries` records' answers; when full, about an eighth of them (in
    /// the map's own order, which is as good as random) make room for the next.
    pub fn new(max_entries: usize) -> Self {
        RowAnswers {
            rows: std::sync::Mutex::new(std::collections::HashMap::new()),
            reading: std::sync::Mutex::new(std::collections::HashMap::new()),
            max_entries: max_entries.max(1),
            fresh_for: None,
        }
    }

    /// As [`RowAnswers::new`], each answer used for at most `fresh_for`: for answers whose tag
    /// is the store's write generation rather than the row's own (a placement's,
    /// `service::placements::answer_tag`), the same bound every value kept by generation
    /// follows (`db::recent`), whatever the watch says.
    pub fn fresh_for(max_entries: usize, fresh_for: std::time::Duration) -> Self {
        RowAnswers {
            fresh_for: Some(fresh_for),
            ..RowAnswers::new(max_entries)
        }
    }

    /// Whether `kept` answers for `tag` now.
    fn answers_for(&self, kept: &Kept, tag: i64) -> bool {
        kept.0 == tag && self.fresh_for.is_none_or(|f| kept.2.elapsed() < f)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, Kept>> {
        // A panic while holding it leaves only whole entries behind.
        self.rows.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A page of `listed` (each row's id and tag, in the page's order) with what is kept for
    /// each; [`RowsPage::missing`] names the rest.
    pub fn page(&self, listed: Paged<(String, Option<i64>)>) -> RowsPage<'_> {
        let kept = {
            let rows = self.lock();
            listed
                .items
                .iter()
                .map(|(id, tag)| {
                    let tag = (*tag)?;
                    rows.get(id)
                        .filter(|kept| self.answers_for(kept, tag))
                        .map(|(_, json, _)| json.clone())
                })
                .collect()
        };
        RowsPage {
            answers: self,
            listed: listed.items,
            kept,
            next_cursor: listed.next_cursor,
        }
    }

    fn reading_lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (i64, Reading)>> {
        // A panic while holding it leaves only whole entries behind.
        self.reading.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn keep(&self, fresh: Vec<(String, i64, Bytes)>) {
        let mut rows = self.lock();
        if rows.len() + fresh.len() > self.max_entries {
            let drop: Vec<String> = rows
                .keys()
                .take((self.max_entries / 8).max(fresh.len()))
                .cloned()
                .collect();
            for id in drop {
                rows.remove(&id);
            }
        }
        for (id, tag, json) in fresh {
            rows.insert(id, (tag, json, std::time::Instant::now()));
        }
    }

    /// How many records' answers are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A list's page being answered from [`RowAnswers`]: its rows' ids and tags, the answers
/// kept for them, and its next cursor.
pub struct RowsPage<'a> {
    answers: &'a RowAnswers,
    listed: Vec<(String, Option<i64>)>,
    kept: Vec<Option<Bytes>>,
    next_cursor: Option<String>,
}

impl<'a> RowsPage<'a> {
    /// The ids of the page's rows with no kept answer for their tag, in the page's order.
    pub fn missing(&self) -> Vec<&str> {
        self.listed
            .iter()
            .zip(&self.kept)
            .filter(|(_, kept)| kept.is_none())
            .map(|((id, _), _)| id.as_str())
            .collect()
    }

    /// Fills each row listed without a tag from `kept` (an answer kept elsewhere, under rules
    /// of its own: an open request's, while no write has committed since it was derived).
    pub fn fill_untagged(&mut self, kept: impl Fn(&str) -> Option<Bytes>) {
        for ((id, tag), slot) in self.listed.iter().zip(self.kept.iter_mut()) {
            if tag.is_none() && slot.is_none() {
                *slot = kept(id);
            }
        }
    }

    /// The page's JSON (`{"items": [...], "next_cursor": ...}`, as the API's lists answer it),
    /// with `read`: each missing row's record and the tag it was read with (`None`: never
    /// kept), read after the tags were listed. A record read with a newer tag answers as read
    /// (never older than the listing) and is kept under the tag it was read with; a row
    /// deleted since it was listed is left out of the page. Errors: a record that cannot be written as JSON (never for
    /// the types answered).
    pub fn into_json<T: Serialize>(
        self,
        read: impl IntoIterator<Item = (String, Option<i64>, T)>,
    ) -> anyhow::Result<Bytes> {
        self.into_json_keeping(read, |_, _| {})
    }

    /// [`RowsPage::into_json`], handing each row read without a tag, as JSON, to
    /// `keep_untagged` (to keep it under rules of its own, [`RowsPage::fill_untagged`]).
    pub fn into_json_keeping<T: Serialize>(
        mut self,
        read: impl IntoIterator<Item = (String, Option<i64>, T)>,
        keep_untagged: impl FnMut(&str, &Bytes),
    ) -> anyhow::Result<Bytes> {
        self.fill(read, keep_untagged)?;
        self.into_body()
    }

    /// Answers the missing rows of the page with `read`'s records (each with the tag it was
    /// read with, as [`RowsPage::into_json`] takes them), keeping the tagged ones at once and
    /// handing the untagged ones to `keep_untagged`. Errors: a record that cannot be written
    /// as JSON.
    pub fn fill<T: Serialize>(
        &mut self,
        read: impl IntoIterator<Item = (String, Option<i64>, T)>,
        mut keep_untagged: impl FnMut(&str, &Bytes),
    ) -> anyhow::Result<()> {
        let mut fresh = Vec::new();
        let mut by_id = std::collections::HashMap::new();
        for (id, tag, record) in read {
            let json = Bytes::from(serde_json::to_vec(&record)?);
            by_id.insert(id.clone(), json.clone());
            match tag {
                Some(tag) => fresh.push((id, tag, json)),
                None => keep_untagged(&id, &json),
            }
        }
        for ((id, _), slot) in self.listed.iter().zip(self.kept.iter_mut()) {
            if slot.is_none() {
                *slot = by_id.get(id).cloned();
            }
        }
        self.answers.keep(fresh);
        Ok(())
    }

    /// Of the page's missing rows, claims for this caller those it must read: the untagged
    /// ones, and the tagged ones no other caller is reading now for the same tag. The rest are
    /// being read by others, and [`RowsPage::answered_by_others`] waits for them. The caller
    /// reads [`Claim::ids`], hands them to [`RowsPage::fill`], then calls
    /// [`RowsPage::answered_by_others`] with the claim, which releases it before waiting, so
    /// two callers never wait on each other: callers missing the same rows at once (a list
    /// opened by many after a write, a tool's clients walking the same pages) derive them once.
    pub fn claim_missing(&self) -> Claim<'a> {
        let (done, own) = tokio::sync::watch::channel(());
        let mut claim = Claim {
            answers: self.answers,
            ids: Vec::new(),
            waits: Vec::new(),
            own,
            _done: done,
        };
        let mut reading = self.answers.reading_lock();
        for ((id, tag), slot) in self.listed.iter().zip(&self.kept) {
            if slot.is_some() {
                continue;
            }
            let Some(tag) = tag else {
                claim.ids.push(id.clone());
                continue;
            };
            match reading.get(id) {
                Some((their_tag, theirs)) if their_tag == tag => {
                    if !claim.waits.iter().any(|w| w.same_channel(theirs)) {
                        claim.waits.push(theirs.clone());
                    }
                }
                Some(_) => claim.ids.push(id.clone()),
                None => {
                    reading.insert(id.clone(), (*tag, claim.own.clone()));
                    claim.ids.push(id.clone());
                }
            }
        }
        claim
    }

    /// Releases `claim` (the rows it read are kept by now: [`RowsPage::fill`]), waits for the
    /// other callers reading rows of this page, and answers those rows from what they kept.
    /// Returns the ids of the rows still missing that others were reading (they failed, or
    /// read a newer tag): the caller reads them itself and [`RowsPage::fill`]s them.
    pub async fn answered_by_others(&mut self, claim: Claim<'a>) -> Vec<String> {
        let Claim { ids, waits, .. } = &claim;
        let mine: std::collections::HashSet<String> = ids.iter().cloned().collect();
        let mut waits = waits.clone();
        drop(claim);
        if waits.is_empty() {
            return Vec::new();
        }
        for reading in &mut waits {
            // Closed (never sent on) once the reader has kept its rows or given up.
            let _ = reading.changed().await;
        }
        let rows = self.answers.lock();
        let mut still = Vec::new();
        for ((id, tag), slot) in self.listed.iter().zip(self.kept.iter_mut()) {
            if slot.is_some() || mine.contains(id) {
                continue;
            }
            *slot = tag.and_then(|tag| {
                rows.get(id)
                    .filter(|kept| self.answers.answers_for(kept, tag))
                    .map(|(_, json, _)| json.clone())
            });
            if slot.is_none() {
                still.push(id.clone());
            }
        }
        still
    }

    /// The page's JSON from its answered rows; a row still unanswered (deleted since it was
    /// listed) is left out.
    fn into_body(self) -> anyhow::Result<Bytes> {
        let mut body = Vec::with_capacity(
            64 + self
                .kept
                .iter()
                .flatten()
                .map(|j| j.len() + 1)
                .sum::<usize>(),
        );
        body.extend_from_slice(b"{\"items\":[");
        let mut first = true;
        for json in self.kept.iter().flatten() {
            if !first {
                body.push(b',');
            }
            first = false;
            body.extend_from_slice(json);
        }
        body.extend_from_slice(b"],\"next_cursor\":");
        serde_json::to_writer(&mut body, &self.next_cursor)?;
        body.push(b'}');
        Ok(Bytes::from(body))
    }
}

/// The rows one caller reads ([`RowsPage::claim_missing`]): released when dropped (read and
/// kept, failed, or cancelled), which closes the receivers others wait on.
pub struct Claim<'a> {
    answers: &'a RowAnswers,
    /// Every row this caller reads, claimed in [`RowAnswers::reading`] or not.
    ids: Vec<String>,
    /// Others' readings of the page's other missing rows, one receiver each.
    waits: Vec<Reading>,
    /// The receiver the claimed rows are registered with, to find them again.
    own: Reading,
    _done: tokio::sync::watch::Sender<()>,
}

impl Claim<'_> {
    /// The ids of the rows this caller reads, in the page's order.
    pub fn ids(&self) -> Vec<&str> {
        self.ids.iter().map(String::as_str).collect()
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut reading = self.answers.reading_lock();
        for id in &self.ids {
            if reading
                .get(id)
                .is_some_and(|(_, r)| r.same_channel(&self.own))
            {
                reading.remove(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
}
