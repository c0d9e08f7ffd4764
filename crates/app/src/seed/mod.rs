//! Demo data: a realistic hospital system to sign in to and click through.
//!
//! Three hospitals of "Bayview Health", ~45 departments across every care setting, 13 New
//! England schools with their affiliation agreements and programs, ~220 students, 80 staff
//! (52 preceptors) and one sign-in per role. Then two years of past terms (`history`: requests
//! decided, placements completed with their hours and final evaluations), so every report has
//! something to show. Then the placement work: last term's completed
//! placements, ~26 requests for next term in every state (the office's queue, waitlisted,
//! declined, withdrawn, approved into placements for every role's demo sign-in, one gone
//! ineligible since submission), with Bayview's Diagnostic Imaging over-asked, and the
//! public's inquiries. Requests and placements pass the API's own checks (`parse_request`,
//! eligibility, `check_and_insert`). Everything is deterministic (a fixed-seed LCG picks names
//! and statuses) and every date is relative to the clock's today, so the demo reads the same
//! whenever it is loaded. Written in one transaction, so it is all or nothing.
use crate::db::{
    self, Scope, Tx,
    agreements::Agreement,
    audit::Actor,
    departments::Department,
    inquiries::Inquiry,
    new_id,
    placements::PlacementRow,
    programs::Program,
    requests::{Course, FacultySupervisor, PlacementRequest, Preference, Shift},
    schools::School,
    sites::Site,
    staff::{Leave, Staff},
    students::Student,
    users::User,
};
use crate::domain::{capacity::first_full_day, eligibility::Stage, period::Period};
use crate::error::{AppError, AppResult};
use crate::service::Parsed;
use crate::service::placements::{self, NewPlacement};
use crate::service::requests::{self, RequestFields};
use crate::state::AppState;
use anyhow::{Context, anyhow};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

mod data;
mod directory;
mod history;
mod inquiries;
mod placement_work;

use data::*;
pub use directory::seed_demo;
use history::*;
use inquiries::*;
use placement_work::*;

pub const DEMO_PASSWORD: &str = "practicum-demo";
pub const DEMO_USERS: &[(&str, &str)] = &[
    ("admin", "admin@demo.practicum.test"),
    ("coordinator", "coordinator@demo.practicum.test"),
    ("school_coordinator", "school@demo.practicum.test"),
    ("student", "student@demo.practicum.test"),
    ("preceptor", "preceptor@demo.practicum.test"),
    ("faculty", "faculty@demo.practicum.test"),
    ("department_manager", "manager@demo.practicum.test"),
];

/// The demo is already in the database: nothing was written.
#[derive(Debug)]
pub struct AlreadySeeded(pub String);

impl std::fmt::Display for AlreadySeeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the demo hospital system is already in this database ({}); nothing was added",
            self.0
        )
    }
}

impl std::error::Error for AlreadySeeded {}

/// A fixed-seed linear congruential generator (Knuth's MMIX constants): the same demo every time.
pub(super) struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Draws names nobody else in the demo has, and mail addresses to go with them.
pub(super) struct People {
    pub(super) rng: Lcg,
    pub(super) names: HashSet<(usize, usize)>,
    pub(super) emails: HashSet<String>,
}

impl People {
    fn name(&mut self) -> (&'static str, &'static str) {
        loop {
            let f = self.rng.below(FIRST_NAMES.len());
            let l = self.rng.below(LAST_NAMES.len());
            if self.names.insert((f, l)) {
                return (FIRST_NAMES[f], LAST_NAMES[l]);
            }
        }
    }

    fn email(&mut self, first: &str, last: &str, domain: &str) -> String {
        let clean = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        };
        let base = format!("{}.{}", clean(first), clean(last));
        let mut n = 1;
        loop {
            let local = if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            };
            let email = format!("{local}@{domain}");
            if self.emails.insert(email.clone()) {
                return email;
            }
            n += 1;
        }
    }
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| anyhow!("no such date {y}-{m}-{d}"))
}

/// The last day of the month `months` after today's month.
pub(super) fn end_of_month_after(today: NaiveDate, months: i32) -> anyhow::Result<NaiveDate> {
    let m0 = today.month0() as i32 + months;
    let (y, m) = (
        today.year() + m0.div_euclid(12),
        m0.rem_euclid(12) as u32 + 1,
    );
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Ok(ymd(ny, nm, 1)? - Duration::days(1))
}

/// Commencement days (20 May and 18 December) strictly after `today`, the `k`-th of them.
pub(super) fn commencement_after(today: NaiveDate, k: usize) -> anyhow::Result<NaiveDate> {
    let mut dates = Vec::new();
    for y in today.year()..=today.year() + 5 {
        dates.push(ymd(y, 5, 20)?);
        dates.push(ymd(y, 12, 18)?);
    }
    dates
        .into_iter()
        .filter(|d| *d > today)
        .nth(k)
        .ok_or_else(|| anyhow!("commencement {k} after {today}"))
}

/// The last commencement day on or before `today`.
pub(super) fn commencement_before(today: NaiveDate) -> anyhow::Result<NaiveDate> {
    let y = today.year();
    [ymd(y, 12, 18)?, ymd(y, 5, 20)?, ymd(y - 1, 12, 18)?]
        .into_iter()
        .find(|d| *d <= today)
        .ok_or_else(|| anyhow!("commencement before {today}"))
}

/// How many commencements away a student in a program of this level may be.
pub(super) fn terms_ahead(level: &str) -> usize {
    match level {
        "certificate" => 2,
        "associate" => 4,
        "masters" => 4,
        _ => 6,
    }
}

pub(super) fn credential_of(discipline: &str) -> (&'static str, &'static str) {
    CREDENTIALS
        .iter()
        .find(|c| c.0 == discipline)
        .map_or(("", ""), |c| (c.1, c.2))
}

/// Which (department, discipline) each preceptor works in: first one preceptor for every
/// clinical discipline (where it is first hosted), then the rest spread over the departments
/// and disciplines that have the fewest so far.
pub(super) fn preceptor_slots(clinical: &HashSet<&str>) -> Vec<(usize, &'static str)> {
    let pairs: Vec<(usize, &'static str)> = DEPARTMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.2 != "office")
        .flat_map(|(i, d)| d.4.iter().map(move |c| (i, *c)))
        .filter(|(_, c)| clinical.contains(c))
        .collect();
    let mut chosen: Vec<(usize, &'static str)> = Vec::new();
    for (code, ..) in crate::domain::catalog::DISCIPLINES {
        if let Some(p) = pairs.iter().find(|p| p.1 == *code)
            && chosen.len() < PRECEPTORS
        {
            chosen.push(*p);
        }
    }
    while chosen.len() < PRECEPTORS {
        let count = |f: &dyn Fn(&(usize, &str)) -> bool| chosen.iter().filter(|c| f(c)).count();
        let next = pairs
            .iter()
            .filter(|p| !chosen.contains(p))
            .min_by_key(|p| (count(&|c| c.0 == p.0), count(&|c| c.1 == p.1)))
            .copied();
        match next {
            Some(p) => chosen.push(p),
            None => break,
        }
    }
    chosen
}

/// Loads the demo hospital system, in one transaction. Refuses with [`AlreadySeeded`] when
/// the demo's first site or one of its sign-ins is already there.
/// What the placement work is written against.
pub(super) struct Work<'a> {
    pub(super) today: NaiveDate,
    pub(super) now: DateTime<Utc>,
    pub(super) site_ids: &'a [String],
    pub(super) dept_ids: &'a [String],
    pub(super) programs: &'a [(Program, Vec<Student>)],
    pub(super) staff: &'a [Staff],
    pub(super) demo_student: &'a str,
    pub(super) office: &'a User,
    pub(super) school_coordinator: &'a User,
    pub(super) faculty: &'a User,
}

impl Work<'_> {
    /// The same time of day as now, on `day`.
    fn on(&self, day: NaiveDate) -> DateTime<Utc> {
        self.now - (self.today - day)
    }
}

pub(super) fn actor_of(u: &User, at: DateTime<Utc>) -> Actor {
    Actor {
        user_id: Some(u.id.clone()),
        label: format!("{} <{}>", u.name, u.email),
        ip: None,
        at,
    }
}

/// An API answer as an error that says what failed.
pub(super) fn api<T>(r: AppResult<T>, what: &str) -> anyhow::Result<T> {
    r.map_err(|e| anyhow!("{what}: {e:?}"))
}

/// Requests and placements through the API's own checks: each request is parsed and checked
/// by `parse_request` as of the day it was submitted, and each approval is re-checked for
/// eligibility and placed by `check_and_insert`, capacity included. Answers how many requests
/// and placements were written.
pub(super) async fn audit<T: serde::Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    record_type: &str,
    id: &str,
    after: &T,
) -> anyhow::Result<()> {
    db::audit::record(
        tx,
        actor,
        "create",
        record_type,
        id,
        None::<&()>,
        Some(after),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::DISCIPLINES;
    use crate::domain::directory::{DegreeLevel, Setting};

    fn known(code: &str) -> bool {
        DISCIPLINES.iter().any(|d| d.0 == code)
    }

    fn clinical() -> HashSet<&'static str> {
        DISCIPLINES.iter().filter(|d| d.2).map(|d| d.0).collect()
    }

    #[test]
    fn tables_use_the_vocabularies() {
        for d in DEPARTMENTS {
            assert!(Setting::parse(d.2).is_some(), "{}", d.1);
            assert!((2..=8).contains(&d.3), "{}", d.1);
            assert!(d.4.iter().all(|c| known(c)), "{}", d.1);
        }
        for s in SCHOOLS {
            assert!(s.7.iter().all(|c| known(c)), "{}", s.0);
        }
        for p in PROGRAMS {
            assert!(known(p.2), "{}", p.1);
            assert!(DegreeLevel::parse(p.3).is_some(), "{}", p.1);
        }
        for (code, ..) in DISCIPLINES {
            assert!(CREDENTIALS.iter().any(|c| c.0 == *code), "{code}");
            assert!(
                DEPARTMENTS.iter().any(|d| d.4.contains(code)),
                "{code} hosted"
            );
            assert!(PROGRAMS.iter().any(|p| p.2 == *code), "{code} taught");
        }
        for setting in Setting::ALL {
            let word = setting.as_str();
            assert!(DEPARTMENTS.iter().any(|d| d.2 == word), "{word}");
        }
    }

    #[test]
    fn preceptors_cover_every_clinical_discipline_where_it_is_hosted() {
        let slots = preceptor_slots(&clinical());
        assert_eq!(slots.len(), PRECEPTORS);
        for (dept, code) in &slots {
            assert!(DEPARTMENTS[*dept].4.contains(code));
        }
        for code in clinical() {
            assert!(slots.iter().any(|s| s.1 == code), "{code}");
        }
        assert_eq!(slots[0].1, "radiography");
    }

    #[test]
    fn demo_requests_name_programs_and_departments_that_host_them() {
        for a in ASKS {
            let programs: Vec<_> = PROGRAMS.iter().filter(|p| p.1 == a.program).collect();
            assert_eq!(programs.len(), 1, "{}", a.program);
            assert!((1..=3).contains(&a.prefs.len()), "{}", a.program);
            for (site, name) in a.prefs {
                let d = DEPARTMENTS
                    .iter()
                    .find(|d| d.0 == *site && d.1 == *name)
                    .expect("a department");
                assert!(d.4.contains(&programs[0].2), "{name} hosts {}", a.program);
            }
            assert!(a.named as i64 + a.slots > 0, "{}", a.program);
            assert!((6..=12).contains(&a.weeks), "{}", a.program);
            if a.outcome != Outcome::Completed {
                assert!((3..=8).contains(&a.start), "{}", a.program);
            }
        }
        let confirmed = ASKS
            .iter()
            .filter(|a| a.outcome == Outcome::Approved { confirmed: true })
            .count();
        assert_eq!(confirmed, 1);
        assert_eq!(ASKS.iter().filter(|a| a.demo_student).count(), 1);
        assert!(ASKS.iter().any(|a| a.outcome == Outcome::Lapsing));
    }

    #[test]
    fn dates() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        let today = NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
        assert_eq!(end_of_month_after(today, 1).ok(), d("2027-02-28"));
        assert_eq!(end_of_month_after(today, 11).ok(), d("2027-12-31"));
        assert_eq!(commencement_after(today, 0).ok(), d("2027-05-20"));
        assert_eq!(commencement_before(today).ok(), d("2026-12-18"));
    }
}
