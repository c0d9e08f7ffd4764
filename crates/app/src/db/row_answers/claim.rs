//! Reading a page's missing rows once however many callers miss them together: a caller
//! claims the rows no one else is reading, reads and keeps them, releases them, and only then
//! waits for the rows others were reading ([`RowsPage::claim_missing`],
//! [`RowsPage::answered_by_others`]).
use super::{RowAnswers, RowsPage};

/// Closes when the caller reading some rows has kept them, or has given up.
pub(super) type Reading = tokio::sync::watch::Receiver<()>;

impl RowAnswers {
    pub(super) fn reading_lock(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (i64, Reading)>> {
        // A panic while holding it leaves only whole entries behind.
        self.reading.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<'a> RowsPage<'a> {
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
