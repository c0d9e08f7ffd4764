//! The reminder sweep, run every few minutes: the office's upload digest, students told when
//! a verified document will lapse before a placement ends, and school coordinators told 14
//! days before a start whether their student is cleared or still blocked; supervisors told
//! of time entries waiting 7 days for them. Each reminder is
//! recorded in `notices_sent` in the same transaction as its notification and email, so a
//! sweep that runs twice (or on two instances) sends nothing twice. Also what lapses
//! (`jobs::lapse_reminders`: agreements, accreditations, preceptors' licences) and, last, each
//! person's daily digest of those (`jobs::digest`).
use crate::db::{self, DbResult, Scope, Tx};
use crate::domain::clearance::Clearance;
use crate::domain::notice::{EmailKind, NoticeKind};
use crate::jobs::notices::{self, Notice, Words};
use crate::jobs::{digest, lapse_reminders};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;
use std::time::Instant;

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
    /// Evaluations due or late, one per person told (`jobs::evaluation_reminders`).
    pub evaluations: usize,
    /// Affiliation agreements told at a threshold (90, 60 or 30 days), one per agreement and
    /// threshold (`jobs::lapse_reminders`).
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
    let mut preceptors = lapse_reminders::Preceptors::new();
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
                open && lapse_reminders::licence_may_be_due(&mut tx, &row, &mut preceptors).await?;
            let evaluation = super::evaluation_reminders::may_be_due(&mut tx, &row, today).await?;
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
                if d.licence
                    && lapse_reminders::licence(&mut tx, &d.row, &mut preceptors, now).await?
                {
                    sent.licences += 1;
                }
                if d.evaluation {
                    sent.evaluations +=
                        super::evaluation_reminders::remind_one(&mut tx, &d.row, today, now)
                            .await?;
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
    sent.agreements = lapse_reminders::agreements(&mut tx, today, now).await?;
    sent.accreditations = lapse_reminders::accreditations(&mut tx, today, now).await?;
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
/// most 100 ms): a request waiting for the write lock polls for it (SQLite's busy handler
/// sleeps between tries, up to 100 ms), and would otherwise find the sweep's next write
/// already holding it. PostgreSQL queues waiters in order, so it needs no pause.
async fn let_writers_in(st: &AppState, took: std::time::Duration) {
    if st.db.backend() == "sqlite" {
        tokio::time::sleep(took.min(std::time::Duration::from_millis(100))).await;
    }
}

fn lapse_key(placement_id: &str, code: &str) -> String {
    format!("lapse:{placement_id}:{code}")
}

fn start_key(placement_id: &str) -> String {
    format!("start14:{placement_id}")
}

/// Claims and sends one open placement's lapse and 14-day notices, in the batch's write:
/// (lapse notices, start notices) sent.
#[allow(clippy::too_many_arguments)]
async fn send_due(
    tx: &mut Tx,
    row: &db::placements::PlacementRow,
    student_id: &String,
    clearance: &Clearance,
    today: NaiveDate,
    now: DateTime<Utc>,
    names: &mut HashMap<String, String>,
    students: &mut HashMap<String, String>,
) -> DbResult<(usize, usize)> {
    let mut sent = (0, 0);
    for code in &clearance.expiring {
        if !claim(tx, &lapse_key(&row.id, code), now).await? {
            continue;
        }
        let name = requirement_name(tx, names, code).await?;
        let who = student_name(tx, students, student_id).await?;
        let staff_link = format!("/placements/{}", row.id);
        let ends = crate::domain::period::human_date(row.ends_on);
        notices::deliver(
            tx,
            &Notice {
                kind: NoticeKind::DocumentLapses,
                word_for_student: "document_lapses",
                word_for_staff: "document_lapses",
                students: std::slice::from_ref(student_id),
                school_id: &row.school_id,
                preceptor_staff_id: None,
                link_for_student: "/my-documents",
                link_for_staff: &staff_link,
                to_student: Words {
                    message: format!(
                        "Your {name} lapses before your placement ending {ends} does: upload a renewed one"
                    ),
                    subject: format!("Renew your {name} before your placement ends"),
                    body: format!(
                        "Your {name} will no longer be valid before your placement ends on {ends}. \
                         You cannot continue the placement without it: please upload a renewed \
                         one under My documents in Practicum:"
                    ),
                },
                to_staff: Words {
                    message: format!(
                        "{who}'s {name} lapses before the placement ending {ends} does"
                    ),
                    subject: format!("{who}: the {name} lapses before the placement ends"),
                    body: format!(
                        "{who}'s {name} will no longer be valid before the placement ends on {ends}. \
                         The student has been asked to upload a renewed one:"
                    ),
                },
            },
            now,
        )
        .await?;
        sent.0 += 1;
    }
    let days = (row.starts_on - today).num_days();
    if (0..=NOTICE_DAYS).contains(&days) && claim(tx, &start_key(&row.id), now).await? {
        let student = student_name(tx, students, student_id).await?;
        // Requirements by name ("Basic Life Support"), not code (issue 14 point 5).
        let mut what = Vec::new();
        for code in clearance.missing.iter().chain(clearance.expiring.iter()) {
            what.push(requirement_name(tx, names, code).await?);
        }
        let what = what.join(", ");
        let state = if clearance.is_cleared() {
            "is cleared".to_string()
        } else {
            format!("is not cleared yet: {what} still to do")
        };
        let yours = if clearance.is_cleared() {
            "you are cleared".to_string()
        } else {
            format!("you are not cleared yet: {what} still to do")
        };
        // The day as people write it ("Mon 1 Feb 2027"), not ISO (issue 14 point 5).
        let starts = crate::domain::period::human_date(row.starts_on);
        let message = format!("{student} starts on {starts} and {state}");
        let link = format!("/placements/{}", row.id);
        notices::deliver(
            tx,
            &Notice {
                kind: NoticeKind::StartingSoon,
                word_for_student: "starting_soon",
                word_for_staff: if clearance.is_cleared() {
                    "student_cleared"
                } else {
                    "student_blocked"
                },
                students: std::slice::from_ref(student_id),
                school_id: &row.school_id,
                preceptor_staff_id: None,
                link_for_student: &link,
                link_for_staff: &link,
                to_student: Words {
                    message: format!("Your placement starts on {starts} and {yours}"),
                    subject: format!("Your placement starts in {NOTICE_DAYS} days"),
                    body: format!(
                        "Your placement starts on {starts} and {yours}. Your onboarding is \
                             in Practicum:"
                    ),
                },
                to_staff: Words {
                    message: message.clone(),
                    subject: format!("{student}: {NOTICE_DAYS} days to the start"),
                    body: format!(
                        "{message}. The placement's onboarding is in Practicum under Placements:"
                    ),
                },
            },
            now,
        )
        .await?;
        sent.1 += 1;
    }
    Ok(sent)
}

/// Entries pending for 7 days remind their supervisor once (issue 15 point 4): each entry is
/// claimed under `hours7:<entry id>`, and the placement's preceptor (a clinical) or faculty
/// member (an internship) gets one notification and one e-mail for the entries newly due.
async fn hours_waiting(
    tx: &mut Tx,
    now: DateTime<Utc>,
    students: &mut HashMap<String, String>,
) -> DbResult<usize> {
    use crate::domain::hours::REMIND_AFTER_DAYS;
    let due = db::time_entries::pending_since(tx, now - Duration::days(REMIND_AFTER_DAYS)).await?;
    let mut by_placement: Vec<(String, Vec<db::time_entries::TimeEntryRow>)> = vec![];
    for e in due {
        if !claim(tx, &format!("hours7:{}", e.id), now).await? {
            continue;
        }
        match by_placement.iter_mut().find(|(p, _)| *p == e.placement_id) {
            Some((_, list)) => list.push(e),
            None => by_placement.push((e.placement_id.clone(), vec![e])),
        }
    }
    let mut told = 0;
    for (placement_id, entries) in by_placement {
        let Some(placement) = db::placements::get(tx, &placement_id).await? else {
            continue;
        };
        let supervisor = match (&placement.preceptor_id, &placement.faculty_user_id) {
            (Some(staff), _) => db::users::by_staff(tx, staff).await?,
            (None, Some(user)) => db::users::get(tx, user).await?,
            _ => None,
        };
        let Some(supervisor) = supervisor else {
            continue;
        };
        let who = student_name(tx, students, &entries[0].student_id).await?;
        let n = entries.len();
        let (plural, verb) = if n == 1 {
            ("time entry", "has")
        } else {
            ("time entries", "have")
        };
        let oldest = entries
            .iter()
            .map(|e| e.entry_date)
            .min()
            .map(crate::domain::period::human_date)
            .unwrap_or_default();
        let message = format!(
            "{n} {plural} of {who} (from {oldest}) {verb} waited {REMIND_AFTER_DAYS} days for your approval"
        );
        let link = format!("/placements/{placement_id}/hours");
        db::notifications::notify(
            tx,
            &supervisor.id,
            "hours_to_approve",
            &message,
            Some(&link),
            now,
        )
        .await?;
        let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
        let body = format!(
            "Dear {},\n\n{n} {plural} that {who} logged (the oldest for {oldest}) are waiting for \
             your approval in Practicum. Approve them, or return them with a note:\n\n{}\n\n{}\n",
            supervisor.name,
            letterhead.link(&link),
            letterhead.signature()
        );
        notices::email(
            tx,
            &notices::Email {
                kind: EmailKind::HoursToApprove,
                user_id: Some(&supervisor.id),
                name: &supervisor.name,
                address: &supervisor.email,
                subject: &format!("{who}: hours waiting for your approval"),
                body: &body,
                line: &message,
                link: &link,
            },
            now,
        )
        .await?;
        told += 1;
    }
    Ok(told)
}

/// Each offboarding task not done by its due day is told to the office (admins and
/// coordinators: in the app and by e-mail) once, under `offboarding_overdue:<task>`; the
/// tasks of one placement that fall due together go in one notice.
async fn overdue_offboarding(tx: &mut Tx, st: &AppState, now: DateTime<Utc>) -> DbResult<usize> {
    let filter = db::offboarding::Filter {
        state: Some("overdue".into()),
        ..Default::default()
    };
    let page = db::Page {
        limit: 100_000,
        after: None,
        sort: None,
    };
    let overdue = db::offboarding::list(tx, &filter, st.clock.today(), &page)
        .await?
        .items;
    // Placement -> (student, site and department, the tasks' words, due day).
    let mut by_placement: Vec<(String, String, String, Vec<&'static str>, chrono::NaiveDate)> =
        Vec::new();
    let mut count = 0;
    for t in &overdue {
        if !claim(tx, &format!("offboarding_overdue:{}", t.task.id), now).await? {
            continue;
        }
        count += 1;
        let words = crate::domain::offboarding::TaskKind::parse(&t.task.kind)
            .map_or("Offboarding task", |k| k.words());
        match by_placement.iter_mut().find(|b| b.0 == t.task.placement_id) {
            Some(b) => b.3.push(words),
            None => by_placement.push((
                t.task.placement_id.clone(),
                t.student_name.clone().unwrap_or_else(|| "A student".into()),
                format!("{}, {}", t.department_name, t.site_name),
                vec![words],
                t.task.due_on,
            )),
        }
    }
    if by_placement.is_empty() {
        return Ok(0);
    }
    let office = db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?;
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    for (placement_id, student, place, tasks, due) in by_placement {
        let link = format!("/offboarding?placement_id={placement_id}");
        let due = crate::domain::period::human_date(due);
        let message = format!(
            "Offboarding overdue for {student} ({place}), due {due}: {}",
            tasks.join(", ")
        );
        for (user_id, user_name, email) in &office {
            db::notifications::notify(
                tx,
                user_id,
                "offboarding_overdue",
                &message,
                Some(&link),
                now,
            )
            .await?;
            let body = format!(
                "Dear {user_name},\n\n{message}.\n\nAccess ends when the placement ends: please do it and tick it \
                 in Practicum under Offboarding:\n\n{}\n\n{}\n",
                letterhead.link(&link),
                letterhead.signature()
            );
            notices::email(
                tx,
                &notices::Email {
                    kind: EmailKind::OffboardingOverdue,
                    user_id: Some(user_id),
                    name: user_name,
                    address: email,
                    subject: &format!("Offboarding overdue: {student}"),
                    body: &body,
                    line: &message,
                    link: &link,
                },
                now,
            )
            .await?;
        }
    }
    Ok(count)
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

/// One email per office user with the uploads since their last digest, once the digest
/// interval has passed.
async fn upload_digests(tx: &mut Tx, st: &AppState, now: DateTime<Utc>) -> DbResult<usize> {
    let every = Duration::from_std(st.config.upload_digest).unwrap_or(Duration::hours(1));
    let mut count = 0;
    for (user_id, user_name, email) in
        db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?
    {
        let key = format!("digest:{user_id}");
        let last = db::notices::sent_at(tx, &key).await?;
        if last.is_some_and(|l| now - l < every) {
            continue;
        }
        let since = last.unwrap_or(now - every);
        let uploads = db::documents::uploaded_between(tx, since, now).await?;
        db::notices::record(tx, &key, now).await?;
        if uploads.is_empty() {
            continue;
        }
        // Times as the office reads them, in its time zone.
        let zone = st.clock.time_zone();
        let when = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z");
        let lines: Vec<String> = uploads
            .iter()
            .map(|(student, requirement, at)| format!("- {student}: {requirement} ({})", when(*at)))
            .collect();
        let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
        let body = format!(
            "Dear {user_name},\n\n{} document(s) were uploaded since {} and wait for review:\n\n{}\n\n\
             The review queue is under Clearance in Practicum:\n\n{}\n\n{}\n",
            uploads.len(),
            when(since),
            lines.join("\n"),
            letterhead.link("/documents"),
            letterhead.signature()
        );
        notices::email(
            tx,
            &notices::Email {
                kind: EmailKind::UploadsToReview,
                user_id: Some(&user_id),
                name: &user_name,
                address: &email,
                subject: &format!("{} document(s) to review", uploads.len()),
                body: &body,
                line: &format!("{} document(s) to review", uploads.len()),
                link: "/documents",
            },
            now,
        )
        .await?;
        count += 1;
    }
    Ok(count)
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
