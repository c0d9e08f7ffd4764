//! What one read of the students holds ([`Snapshot`]): every student's word suffixes, sorted,
//! with each student's id, row tag and schools, and the lookups on them. Split from
//! `held_suffixes` (which reads it and decides when to read again) by responsibility.
use super::super::common_name::within_limits;
use crate::db::{Page, Paged, Scope};
use std::time::Instant;

/// A student as held: id, folded search text, row tag (`students.row_tag`, migration 0033)
/// and the schools of their enrollments, current and ended, separated by spaces.
pub(super) type HeldRow = (String, String, Option<i64>, Option<String>);

/// Every student's word suffixes as of one read, sorted by suffix.
pub(in crate::db::students) struct Snapshot {
    /// The `students.search_seq` at or above which a student's text may be newer than here
    /// (PostgreSQL; `None` on SQLite, whose searches then read the store's suffix range).
    pub(in crate::db::students) since: Option<i64>,
    /// The store's write generation before the read: while it has not moved, what is held is
    /// what the store holds, and answers a page alone ([`Snapshot::exact_page`]).
    pub(super) generation: u64,
    pub(super) taken: Instant,
    /// Every student's folded search text, one after another.
    texts: String,
    pub(super) ids: Vec<Box<str>>,
    tags: Vec<Option<i64>>,
    /// The schools each student is or was enrolled at (a school reads what was theirs).
    schools: Vec<Box<[Box<str>]>>,
    /// Sorted by the suffix they name.
    pub(super) suffixes: Vec<HeldSuffix>,
}

/// One word suffix: `texts[start..end]`, of student `ids[student]`.
#[derive(Clone, Copy)]
pub(super) struct HeldSuffix {
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
    pub(super) fn build(since: Option<i64>, generation: u64, rows: Vec<HeldRow>) -> Snapshot {
        let mut texts = String::with_capacity(rows.iter().map(|(_, t, _, _)| t.len()).sum());
        let mut ids = Vec::with_capacity(rows.len());
        let mut tags = Vec::with_capacity(rows.len());
        let mut schools = Vec::with_capacity(rows.len());
        let mut suffixes = Vec::new();
        for (id, text, tag, of_schools) in rows {
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
            tags.push(tag);
            schools.push(
                of_schools
                    .unwrap_or_default()
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(Box::from)
                    .collect(),
            );
        }
        suffixes.sort_unstable_by(|a, b| a.of(&texts).cmp(b.of(&texts)));
        Snapshot {
            since,
            generation,
            taken: Instant::now(),
            texts,
            ids,
            tags,
            schools,
            suffixes,
        }
    }

    /// A page of a name search as `super::list_tags` answers it (ids and row tags, in id
    /// order from the cursor on), from what is held alone; the caller has checked that
    /// nothing was written since ([`HeldSuffixes::exact_page`]). Only what memory can answer
    /// exactly: the office's or a school's scope (a school reads the students enrolled there,
    /// now or before: `ListStatement`'s rule), no school, program or status filter, creation
    /// order, and `needle`, the search's needle of three or more letters and digits
    /// (`name_index::inline_range` of `f.q`), not a common name (`common_name`). A student
    /// one of whose word suffixes begins with the needle holds it in their text: what the
    /// store's `LIKE '%needle%'` finds when the needle is the whole pattern. `None`: ask the
    /// store.
    pub(super) fn exact_page(
        &self,
        scope: &Scope,
        f: &super::super::Filter,
        page: &Page,
        needle: &str,
    ) -> Option<Paged<(String, Option<i64>)>> {
        if f.school_id.is_some() || f.program_id.is_some() || f.status.is_some() {
            return None;
        }
        // Memory orders ids byte by byte; the store by its collation. The two agree on the
        // ids the server makes (lowercase UUIDs) and so on the cursors it hands out, not on
        // any text a client might send as a cursor.
        let cursor_is_an_id = page
            .after()
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-');
        if page.sort.is_some() || !cursor_is_an_id {
            return None;
        }
        let school = match scope {
            Scope::All => None,
            Scope::School(s) => Some(s.as_str()),
            _ => return None,
        };
        // The LIKE pattern's text between its `%`s: a needle of letters and digits carries
        // no wildcard or escape, so the pattern matches exactly the texts that contain it.
        let pattern = crate::db::like(&f.q)?;
        let inner = pattern.strip_prefix('%')?.strip_suffix('%')?;
        if inner != needle || inner.contains(['%', '_', '\\']) {
            return None;
        }
        let mut rows: Vec<(&str, Option<i64>)> = self
            .students_of(needle)?
            .into_iter()
            .filter(|&i| school.is_none_or(|s| self.schools[i as usize].iter().any(|x| &**x == s)))
            .map(|i| (&*self.ids[i as usize], self.tags[i as usize]))
            .filter(|(id, _)| *id > page.after())
            .collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        rows.truncate(page.fetch_limit().max(0) as usize);
        let rows = rows
            .into_iter()
            .map(|(id, tag)| (id.to_string(), tag))
            .collect();
        Some(crate::db::paged(rows, page, |(id, _)| id))
    }

    fn text(&self, s: &HeldSuffix) -> &str {
        s.of(&self.texts)
    }

    /// The ids, as a JSON array, of the students holding a suffix that begins with `needle`
    /// (folded letters and digits, `domain::search::suffix_range`'s needle), in no order; or
    /// `None` when the name is common by `common_name::within_limits`, counted as the store's
    /// range read counts (at most one suffix past its limit).
    pub(in crate::db::students) fn students_matching(&self, needle: &str) -> Option<String> {
        let students = self.students_of(needle)?;
        let ids: Vec<&str> = students.iter().map(|&i| &*self.ids[i as usize]).collect();
        serde_json::to_string(&ids).ok()
    }

    /// [`Snapshot::students_matching`] as the students' places in what is held, once each.
    fn students_of(&self, needle: &str) -> Option<Vec<u32>> {
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
        Some(students)
    }
}
