//! What each record's JSON answer was, kept by the record's id and row tag (`row_tag`,
//! migration 0033): a page of students, documents or placement requests answers each row from
//! here and reads in full only the rows not answered before or whose tag changed (issue 18
//! point 4). Beside the store's row tags rather than in the HTTP layer, so the state that holds it
//! (`state::AppState`) does not depend on the HTTP layer.
use super::Paged;
use axum::body::Bytes;
use serde::Serialize;

mod claim;
pub use claim::Claim;
use claim::Reading;

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
    fresh_for: Option<crate::db::recent::Freshness>,
}

/// A record's answer as kept: its tag, its JSON and when it was kept.
type Kept = (i64, Bytes, std::time::Instant);

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
    /// follows (`db::recent::Freshness`).
    pub fn fresh_for(
        max_entries: usize,
        fresh_for: impl Into<crate::db::recent::Freshness>,
    ) -> Self {
        RowAnswers {
            fresh_for: Some(fresh_for.into()),
            ..RowAnswers::new(max_entries)
        }
    }

    /// Whether `kept` answers for `tag` now.
    fn answers_for(&self, kept: &Kept, tag: i64) -> bool {
        kept.0 == tag && self.fresh_for.as_ref().is_none_or(|f| f.allows(kept.2))
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

    fn keep(&self, fresh: Vec<(String, i64, Bytes)>) {
        let mut rows = self.lock();
        if rows.len() + fresh.len() > self.max_entries {
            super::recent::free_an_eighth(&mut rows, self.max_entries, fresh.len());
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

    /// Fills each tagged row still missing from what is kept for it now: what other callers
    /// kept since the page was made (after this caller waited for a connection, say).
    pub fn fill_kept(&mut self) {
        let rows = self.answers.lock();
        for ((id, tag), slot) in self.listed.iter().zip(self.kept.iter_mut()) {
            if let (Some(tag), None) = (tag, &slot) {
                *slot = rows
                    .get(id)
                    .filter(|kept| self.answers.answers_for(kept, *tag))
                    .map(|(_, json, _)| json.clone());
            }
        }
    }

    /// When rows are missing, takes `conn`'s connection (waiting for the pool, if need be)
    /// and then fills what other callers kept while this one waited ([`RowsPage::fill_kept`]):
    /// callers walking the same pages miss the same rows together, and a page that looked
    /// before it waited derived them side by side (issue 18 point 4: the placement requests
    /// walk fell to a quarter). Nothing is taken when no row is missing. Errors: the pool's.
    pub async fn fill_kept_once_connected(
        &mut self,
        conn: &mut super::LazyRead<'_>,
    ) -> super::DbResult<()> {
        if !self.missing().is_empty() {
            conn.get().await?;
            self.fill_kept();
        }
        Ok(())
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

    /// The page's JSON from its answered rows; a row still unanswered (deleted since it was
    /// listed) is left out.
    pub fn into_body(self) -> anyhow::Result<Bytes> {
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

#[cfg(test)]
mod tests;
