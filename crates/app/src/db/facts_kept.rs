//! What the placements lists derive each placement from, read and kept per record while no
//! write has committed ([`super::recent::Recent`]): the facts
//! `service::facts::Facts::load_stored` reads through for a list read on, so that each
//! department's, preceptor's and student's are read once per write generation, not once for
//! every page naming them (issue 18 point 4); and the reads themselves, kept or not.
use super::documents::EvidenceRow;
use super::placements::{DependsOnAny, Held};
use super::recent::Recent;
use super::students::Student;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

/// What the lists' facts keep per record while no write has committed ([`Recent`]): each
/// student's, department's and preceptor's open placements, and each student's record and
/// documents. A list read page after page then reads each once per write generation, not
/// once for every page that names it. Issue 18: a 40,000-placement walk read each page's
/// overlapping placements anew (836,000 rows in all, the largest part of its first pass), and
/// each student's documents and record once per placement (two each).
pub struct FactsKept {
    pub held: Recent<(DependsOnAny, String), Arc<Vec<Held>>>,
    pub evidence: Recent<String, Arc<Vec<EvidenceRow>>>,
    pub students: Recent<String, Arc<Student>>,
}

/// How many students' records, students' documents, and students', departments' and
/// preceptors' open placements [`FactsKept`] holds at most, each: a consortium's 20,000
/// students with room, and its hundreds of departments and thousands of preceptors. A
/// student's record, five documents and two placements are about 1.4 KiB; a department's
/// open placements about 100 bytes each. The seeded consortium (20,000 students, 40,000
/// placements) keeps about 60 MiB when all is kept.
pub const FACTS_KEPT: usize = 24_576;

impl FactsKept {
    /// Facts kept for at most `fresh_for` (the watch's guard, `db::recent::Freshness`).
    pub fn new(fresh_for: impl Into<super::recent::Freshness>) -> Self {
        let fresh_for = fresh_for.into();
        FactsKept {
            // Students', departments' and preceptors' lists share one map.
            held: Recent::new(fresh_for.clone(), 3 * FACTS_KEPT),
            evidence: Recent::new(fresh_for.clone(), FACTS_KEPT),
            students: Recent::new(fresh_for, FACTS_KEPT),
        }
    }
}

/// [`FactsKept`] as of one write generation, read *before* the store is (`Recent::put`'s
/// rule): what `service::facts::Facts::load_stored` reads through.
#[derive(Clone, Copy)]
pub struct KeptFacts<'a> {
    pub kept: &'a FactsKept,
    pub generation: u64,
}

impl<'a> KeptFacts<'a> {
    /// `generation` must be the store's write generation read before the transaction that
    /// will read through this began.
    pub fn at(kept: &'a FactsKept, generation: u64) -> Self {
        KeptFacts { kept, generation }
    }

    /// The write generation the facts are kept under.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// The values `kept` holds for `ids` at `generation`, and the ids it does not.
pub fn split_kept<'i, K: Eq + std::hash::Hash + Clone, V: Clone>(
    kept: &Recent<K, V>,
    generation: u64,
    ids: &[&'i str],
    key: impl Fn(&str) -> K,
) -> (HashMap<String, V>, Vec<&'i str>) {
    let mut out = HashMap::new();
    let mut missing = Vec::new();
    for id in super::distinct(ids) {
        match kept.get(&key(id), generation) {
            Some(v) => {
                out.insert(id.to_string(), v);
            }
            None => missing.push(id),
        }
    }
    (out, missing)
}

/// Keeps what was read for `missing` (an id the store had nothing for keeps `empty`) and
/// adds it to `out`.
pub fn keep_read<K: Eq + std::hash::Hash + Clone, V: Clone>(
    kept: &Recent<K, V>,
    generation: u64,
    missing: &[&str],
    mut read: HashMap<String, V>,
    key: impl Fn(&str) -> K,
    empty: impl Fn() -> Option<V>,
    out: &mut HashMap<String, V>,
) {
    for id in missing {
        let Some(v) = read.remove(*id).or_else(&empty) else {
            continue;
        };
        kept.put(key(id), v.clone(), generation);
        out.insert(id.to_string(), v);
    }
}

/// `rows` grouped by `key` (a row without one is left out), in their order.
pub fn grouped<T>(rows: Vec<T>, key: impl Fn(&T) -> Option<&str>) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for r in rows {
        if let Some(k) = key(&r).map(str::to_string) {
            out.entry(k).or_default().push(r);
        }
    }
    out
}

/// The open placements depending on any of `ids` (one kind of record), over `days` or all
/// of them, grouped by that record (`super::placements::open_held_by_any`).
pub async fn open_grouped(
    tx: &mut super::Tx,
    on: DependsOnAny,
    ids: &[&str],
    days: Option<(NaiveDate, NaiveDate)>,
) -> super::DbResult<HashMap<String, Arc<Vec<Held>>>> {
    let rows = super::placements::open_held_by_any(tx, on, ids, days).await?;
    Ok(grouped(rows, |h| on.of(h))
        .into_iter()
        .map(|(k, v)| (k, Arc::new(v)))
        .collect())
}

/// As [`open_grouped`] over all days, each record's taken from `kept` when it was read at
/// its generation and the rest read in one query and kept.
pub async fn open_kept(
    tx: &mut super::Tx,
    on: DependsOnAny,
    ids: &[&str],
    kept: KeptFacts<'_>,
) -> super::DbResult<HashMap<String, Arc<Vec<Held>>>> {
    let key = |id: &str| (on, id.to_string());
    let (mut out, missing) = split_kept(&kept.kept.held, kept.generation, ids, key);
    let read = open_grouped(tx, on, &missing, None).await?;
    let none = || Some(Arc::default());
    keep_read(
        &kept.kept.held,
        kept.generation,
        &missing,
        read,
        key,
        none,
        &mut out,
    );
    Ok(out)
}

/// These students' records and documents as evidence, each taken from `kept` when it was
/// read at its generation, and the rest read and kept; without `kept`, all read.
pub async fn students_and_evidence(
    tx: &mut super::Tx,
    ids: &[&str],
    kept: Option<KeptFacts<'_>>,
) -> super::DbResult<StudentsAndEvidence> {
    let Some(kept) = kept else {
        return read_students_and_evidence(tx, ids).await;
    };
    let (g, k) = (kept.generation, kept.kept);
    let key = |id: &str| id.to_string();
    let (mut students, missing_students) = split_kept(&k.students, g, ids, key);
    let (mut evidence, missing_evidence) = split_kept(&k.evidence, g, ids, key);
    let read_students = students_by_id(tx, &missing_students).await?;
    // A student with no documents keeps an empty list; one not found keeps nothing.
    keep_read(
        &k.students,
        g,
        &missing_students,
        read_students,
        key,
        || None,
        &mut students,
    );
    let read_evidence = evidence_by_student(tx, &missing_evidence).await?;
    let none = || Some(Arc::default());
    keep_read(
        &k.evidence,
        g,
        &missing_evidence,
        read_evidence,
        key,
        none,
        &mut evidence,
    );
    Ok((students, evidence))
}

/// Students by id, and their documents as evidence by student id.
pub type StudentsAndEvidence = (
    HashMap<String, Arc<Student>>,
    HashMap<String, Arc<Vec<EvidenceRow>>>,
);

pub async fn read_students_and_evidence(
    tx: &mut super::Tx,
    ids: &[&str],
) -> super::DbResult<StudentsAndEvidence> {
    let students = students_by_id(tx, ids).await?;
    Ok((students, evidence_by_student(tx, ids).await?))
}

pub async fn students_by_id(
    tx: &mut super::Tx,
    ids: &[&str],
) -> super::DbResult<HashMap<String, Arc<Student>>> {
    Ok(super::students::get_many(tx, ids)
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), Arc::new(s)))
        .collect())
}

pub async fn evidence_by_student(
    tx: &mut super::Tx,
    ids: &[&str],
) -> super::DbResult<HashMap<String, Arc<Vec<EvidenceRow>>>> {
    let rows = super::documents::evidence_of_students(tx, ids).await?;
    Ok(grouped(rows, |d| Some(&d.student_id))
        .into_iter()
        .map(|(k, v)| (k, Arc::new(v)))
        .collect())
}
