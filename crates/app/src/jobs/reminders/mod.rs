//! The reminder sweep, run every few minutes: the office's upload digest, students told when
//! a verified document will lapse before a placement ends, and school coordinators told 14
//! days before a start whether their student is cleared or still blocked; supervisors told
//! of time entries waiting 7 days for them. Each reminder is
//! recorded in `notices_sent` in the same transaction as its notification and email, so a
//! sweep that runs twice (or on two instances) sends nothing twice. Also what lapses
//! (`lapses`: agreements, accreditations, preceptors' licences) and, last, each
//! person's daily digest of those (`jobs::digest`). Here: the sweep itself and what its parts
//! share; each kind of reminder is in its own module (`clearance`, `evaluations`, `hours`,
//! `lapses`, `offboarding`, `uploads`).
use crate::db::{self, DbResult, Scope, Tx};
use crate::domain::clearance::Clearance;
use crate::domain::notice::{EmailKind, NoticeKind};
use crate::jobs::digest;
use crate::jobs::notices::{self, Notice, Words};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;
use std::time::Instant;

mod clearance;
mod evaluations;
mod hours;
mod lapses;
mod offboarding;
mod uploads;
use clearance::{lapse_key, send_due, start_key};
use hours::hours_waiting;
use offboarding::overdue_offboarding;
use uploads::upload_digests;

/// How many days before a start the school hears whether its student is cleared.
pub const NOTICE_DAYS: i64 = 14;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub digests: usize,
    pub lapses: usize,
    pub start_notices: usize,
    /// Supervisors told that entries have waited 7 days for them (one notice per placement
    /// per sweep, each entry once).
    pub hours_reminders: usize,
    /// Offboarding tasks overdue, each told to the office once.
    pub offboarding: usize,
    /// Evaluations due or late, one per person told (`evaluations`).
    pub evaluations: usize,
    /// Affiliation agreements told at a threshold (90, 60 or 30 days), one per agreement and
    /// threshold (`lapses`).
    pub agreements: usize,
    /// Accreditations ending within 90 days, one per program and end day.
    pub accreditations: usize,
    /// Preceptors' licences ending before a placement they supervise ends, one per placement
    /// and licence day.
    pub licences: usize,
    /// Daily digest e-mails queued, at most one per person a day (`jobs::digest`).
    pub email_digests: usize,
    /// Write transactions the sweep took, and the longest of them (from asking for the write
    /// lock to committing): how long a request could wait behind the sweep (issue 18 part 5).
    pub writes: usize,
    pub longest_write: std::time::Duration,
}

impl Sent {
    fn wrote(&mut self, took: std::time::Duration) {
        self.writes += 1;
        self.longest_write = self.longest_write.max(took);
    }
}

/// Claims `key`; false if it was sent before.
async fn claim(tx: &mut Tx, key: &str, now: DateTime<Utc>) -> DbResult<bool> {
    if db::notices::sent_at(tx, key).await?.is_some() {
        return Ok(false);
    }
    db::notices::record(tx, key, now).await?;
    Ok(true)
}

/// Placements read and derived together, outside any write lock.
pub const BATCH: usize = 500;

/// Placements with something due whose reminders are sent in one write transaction: each
/// sends to a few people (a notification and an e-mail each), so a write stays short.
pub const WRITE_BATCH: usize = 25;

pub async fn run_once(st: &AppState) -> anyhow::Result<Sent> {
    run_in_batches(st, BATCH).await
}

/// What one placement has due, found while reading; sent (each key claimed again) in its
/// batch's write.
struct Due {
    row: db::placements::PlacementRow,
    /// The open placement's clearance, when it has a student and a reminder of its own due.
    clearance: Option<Clearance>,
    /// A licence reminder may be due.
    licence: bool,
    /// An evaluation reminder may be due.
    evaluation: bool,
}

/// The sweep, `batch` placements at a time (issue 18 part 5). Reading the placements, their
/// clearance facts, the preceptors' licences and which keys were sent happens in read
/// transactions that hold no write lock; only the placements with something due take one, a
/// short write per batch, which claims each key again before sending, so a sweep running twice
/// or on two instances still sends each reminder once. A fact read a moment before its batch
/// is written may have changed: the next sweep sees it. The other parts (the upload digest,
/// hours, offboarding, agreements and accreditations, the daily digests) each take their own
/// short write.
pub async fn run_in_batches(st: &AppState, batch: usize) -> anyhow::Result<Sent> {
    let mut sent = Sent::default();
    let now = st.clock.now();
    let today = st.clock.today();
    if !st.config.upload_digest.is_zero() {
        let started = Instant::now();
        let mut tx = st.db.write().await?;
        sent.digests = upload_digests(&mut tx, st, now).await?;
        tx.commit().await?;
        sent.wrote(started.elapsed());
    }
    let mut names: HashMap<String, String> = HashMap::new();
    let mut students: HashMap<String, String> = HashMap::new();
    let mut preceptors = lapses::Preceptors::new();
    let mut after: Option<String> = None;
    loop {
        let mut tx = st.db.read().await?;
        let page = db::placements::list(
            &mut tx,
            &Scope::All,
            &db::placements::Filter::default(),
            &db::Page {
                limit: batch.max(1) as i64,
                after: after.take(),
                sort: None,
            },
        )
        .await?;
        let mut due = Vec::new();
        for row in page.items {
            let open =
                row.ends_on >= today && !matches!(row.status.as_str(), "cancelled" | "completed");
            let licence =
                open && lapses::licence_may_be_due(&mut tx, &row, &mut preceptors).await?;
            let evaluation = evaluations::may_be_due(&mut tx, &row, today).await?;
            let mut clearance = None;
            if open && let Some(student_id) = &row.student_id {
                let facts = db::clearance::facts(&mut tx, &row).await?;
                let c = crate::domain::clearance::of_placement(facts, today);
                let mut keys: Vec<String> = c
                    .expiring
                    .iter()
                    .map(|code| lapse_key(&row.id, code))
                    .collect();
                if (0..=NOTICE_DAYS).contains(&(row.starts_on - today).num_days()) {
                    keys.push(start_key(&row.id));
                }
                let mut unsent = false;
                for key in &keys {
                    if db::notices::sent_at(&mut tx, key).await?.is_none() {
                        unsent = true;
                        break;
                    }
                }
                if unsent {
                    // Names are read here, outside the write: the write finds them cached.
                    student_name(&mut tx, &mut students, student_id).await?;
                    for code in c.expiring.iter().chain(c.missing.iter()) {
                        requirement_name(&mut tx, &mut names, code).await?;
                    }
                    clearance = Some(c);
                }
            }
            if clearance.is_some() || licence || evaluation {
                due.push(Due {
                    row,
                    clearance,
                    licence,
                    evaluation,
                });
            }
        }
        drop(tx);
        for chunk in due.chunks(WRITE_BATCH) {
            let started = Instant::now();
            let mut tx = st.db.write().await?;
            for d in chunk {
                if d.licence && lapses::licence(&mut tx, &d.row, &mut preceptors, now).await? {
                    sent.licences += 1;
                }
                if d.evaluation {
                    sent.evaluations +=
                        evaluations::remind_one(&mut tx, &d.row, today, now).await?;
                }
                if let (Some(clearance), Some(student_id)) = (&d.clearance, &d.row.student_id) {
                    let (l, s) = send_due(
                        &mut tx,
                        &d.row,
                        student_id,
                        clearance,
                        today,
                        now,
                        &mut names,
                        &mut students,
                    )
                    .await?;
                    sent.lapses += l;
                    sent.start_notices += s;
                }
            }
            tx.commit().await?;
            let took = started.elapsed();
            sent.wrote(took);
            let_writers_in(st, took).await;
        }
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    let started = Instant::now();
    let mut tx = st.db.write().await?;
    sent.hours_reminders = hours_waiting(&mut tx, now, &mut students).await?;
    sent.offboarding = overdue_offboarding(&mut tx, st, now).await?;
    sent.agreements = lapses::agreements(&mut tx, today, now).await?;
    sent.accreditations = lapses::accreditations(&mut tx, today, now).await?;
    tx.commit().await?;
    sent.wrote(started.elapsed());
    // Last, so the digest holds what this sweep found; one short write per person.
    let mut tx = st.db.read().await?;
    let waiting = digest::waiting(&mut tx).await?;
    drop(tx);
    for user_id in waiting {
        let started = Instant::now();
        let mut tx = st.db.write().await?;
        if digest::send_one(&mut tx, &user_id, today, now).await? {
            sent.email_digests += 1;
        }
        tx.commit().await?;
        sent.wrote(started.elapsed());
    }
    Ok(sent)
}

/// After one of its writes, the sweep steps aside on SQLite for as long as the write took (at
/// most 100 ms). This process's writers wait for their turn in order (`Db::write`), so they
/// come before the sweep's next write anyway; the pause is for another process's writer (a
/// `practicum` CLI command), which still polls for SQLite's lock through the busy handler
/// (sleeping between tries, up to 100 ms) and would otherwise find the sweep's next write
/// already holding it. PostgreSQL queues waiters in order, so it needs no pause.
async fn let_writers_in(st: &AppState, took: std::time::Duration) {
    if st.db.backend() == "sqlite" {
        tokio::time::sleep(took.min(std::time::Duration::from_millis(100))).await;
    }
}

async fn requirement_name(
    tx: &mut Tx,
    cache: &mut HashMap<String, String>,
    code: &str,
) -> DbResult<String> {
    if let Some(n) = cache.get(code) {
        return Ok(n.clone());
    }
    let name = db::requirements::by_code(tx, code)
        .await?
        .map(|r| r.name)
        .unwrap_or_else(|| code.to_string());
    cache.insert(code.to_string(), name.clone());
    Ok(name)
}

/// A student's full name, or nothing for a student since removed; read once per sweep.
async fn student_name(
    tx: &mut Tx,
    cache: &mut HashMap<String, String>,
    student_id: &str,
) -> DbResult<String> {
    if let Some(name) = cache.get(student_id) {
        return Ok(name.clone());
    }
    let name = db::students::get(tx, student_id)
        .await?
        .map(|s| s.full_name())
        .unwrap_or_default();
    cache.insert(student_id.to_string(), name.clone());
    Ok(name)
}
