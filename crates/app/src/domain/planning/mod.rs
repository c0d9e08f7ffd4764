//! Term planning: from the office's records to an allocation problem (ALLOCATION.md, "From
//! records to a problem") and from the allocator's solution back to dated placements.
//!
//! Pure: the caller loads the records; nothing here touches the database or the clock.
use super::period::Period;
use chrono::{Datelike, Duration, NaiveDate};
use practicum_engine::{
    Assignment, Department, Fixed, Kind, Preceptor, Problem, Request, RequestOption, Solution,
    problem::PROBLEM_FORMAT,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The objective's weight on the worst-served school (ALLOCATION.md's example value).
pub const FAIRNESS_WEIGHT: f64 = 100.0;
/// First, second and third choice; any other department of the discipline at a preferred site.
pub const RANK_WEIGHTS: [f64; 3] = [3.0, 2.0, 1.0];
pub const OTHER_WEIGHT: f64 = 0.5;
/// A term longer than a year is a typing mistake, not a term.
pub const MAX_TERM_WEEKS: i64 = 52;

/// A date range; week 0 is the Monday on or before its first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

impl Term {
    pub fn week0(&self) -> NaiveDate {
        monday_of(self.starts_on)
    }

    /// Weeks from week 0 through the week of the last day.
    pub fn weeks(&self) -> i64 {
        self.week_of(self.ends_on) + 1
    }

    /// Negative before the term.
    pub fn week_of(&self, d: NaiveDate) -> i64 {
        (monday_of(d) - self.week0()).num_days().div_euclid(7)
    }

    pub fn monday(&self, week: i64) -> NaiveDate {
        self.week0() + Duration::days(7 * week)
    }

    /// Weeks `[first, last]` (clipped to the term) that a period touches, if any.
    fn touched(&self, p: Period) -> Option<(i64, i64)> {
        let first = self.week_of(p.starts_on).max(0);
        let last = self.week_of(p.ends_on).min(self.weeks() - 1);
        (first <= last).then_some((first, last))
    }
}

pub struct DepartmentRecord {
    pub id: String,
    pub site_id: String,
    pub capacity: i64,
    pub disciplines: Vec<String>,
}

pub struct PreceptorRecord {
    pub id: String,
    pub department_id: String,
    pub discipline: String,
    pub max_students: i64,
    pub leave: Vec<Period>,
    pub license_expires_on: Option<NaiveDate>,
}

/// A placement already holding a seat (and maybe a preceptor's slot).
pub struct HeldRecord {
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub period: Period,
}

pub struct RequestRecord {
    pub id: String,
    pub school_id: String,
    pub discipline: String,
    /// clinical or internship
    pub kind: String,
    /// Named students plus slots.
    pub places: i64,
    pub period: Period,
    pub start_window_weeks: i64,
    pub together: bool,
    /// Ranked: (site, department if named).
    pub preferences: Vec<(String, Option<String>)>,
    /// The days its named students are already placed elsewhere (one place at a time): no
    /// start is offered whose period overlaps one of them.
    pub booked: Vec<Period>,
}

/// A request the problem leaves out, and why (shown on the planning page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    pub request_id: String,
    pub reason: String,
}

/// "Do not place this request in that department" — the coordinator removed it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Exclusion {
    pub request: String,
    pub department: String,
}

pub struct Records<'a> {
    pub term: Term,
    pub departments: &'a [DepartmentRecord],
    pub preceptors: &'a [PreceptorRecord],
    pub held: &'a [HeldRecord],
    pub requests: &'a [RequestRecord],
    pub pins: &'a [Assignment],
    pub exclusions: &'a [Exclusion],
}

/// Builds the problem. Requests that cannot be part of it (outside the term, nowhere to go)
/// are returned with the reason instead; pins that no longer fit the problem are dropped.
pub fn build_problem(r: &Records) -> (Problem, Vec<LeftOut>) {
    let term = r.term;
    let weeks = term.weeks();
    let excluded: HashSet<(&str, &str)> = r
        .exclusions
        .iter()
        .map(|e| (e.request.as_str(), e.department.as_str()))
        .collect();
    let departments: Vec<Department> = r
        .departments
        .iter()
        .map(|d| Department {
            id: d.id.clone(),
            capacity: d.capacity.max(0),
            disciplines: d.disciplines.clone(),
        })
        .collect();
    let preceptors: Vec<Preceptor> = r
        .preceptors
        .iter()
        .map(|p| Preceptor {
            id: p.id.clone(),
            department: p.department_id.clone(),
            discipline: p.discipline.clone(),
            max_students: p.max_students.max(0),
            unavailable_weeks: unavailable_weeks(term, p),
        })
        .collect();
    let preceptor_ids: HashSet<&str> = preceptors.iter().map(|p| p.id.as_str()).collect();
    let fixed = r
        .held
        .iter()
        .filter_map(|h| {
            let (first, last) = term.touched(h.period)?;
            Some(Fixed {
                department: h.department_id.clone(),
                preceptor: h
                    .preceptor_id
                    .clone()
                    .filter(|p| preceptor_ids.contains(p.as_str())),
                start: first,
                weeks: last - first + 1,
            })
        })
        .collect();

    let mut requests = vec![];
    let mut left_out = vec![];
    for q in r.requests {
        let leave = |reason: String| LeftOut {
            request_id: q.id.clone(),
            reason,
        };
        let earliest = term.week_of(q.period.starts_on);
        let length = term.week_of(q.period.ends_on) - earliest + 1;
        if earliest < 0 || earliest >= weeks {
            left_out.push(leave("it starts outside the term".into()));
            continue;
        }
        if q.places < 1 {
            left_out.push(leave("it asks for no places".into()));
            continue;
        }
        let latest = (earliest + q.start_window_weeks.max(0)).min(weeks - length);
        if latest < earliest {
            left_out.push(leave("it runs past the end of the term".into()));
            continue;
        }
        let Some((earliest, latest)) = free_starts(q, earliest, latest) else {
            left_out.push(leave(
                "a student it names is already placed on those dates".into(),
            ));
            continue;
        };
        let kind = if q.kind == "internship" {
            Kind::Internship
        } else {
            Kind::Clinical
        };
        let options: Vec<RequestOption> = options_for(q, r.departments)
            .into_iter()
            .filter(|o| !excluded.contains(&(q.id.as_str(), o.department.as_str())))
            .collect();
        if options.is_empty() {
            left_out.push(leave(format!(
                "no department at the sites asked for hosts {}",
                q.discipline
            )));
            continue;
        }
        requests.push(Request {
            id: q.id.clone(),
            school: q.school_id.clone(),
            discipline: q.discipline.clone(),
            kind,
            students: q.places,
            weeks: length,
            earliest_start: earliest,
            latest_start: latest,
            together: q.together,
            options,
        });
    }
    let pins = r
        .pins
        .iter()
        .filter(|a| pin_fits(a, &requests))
        .cloned()
        .collect();
    let problem = Problem {
        format: PROBLEM_FORMAT.to_string(),
        weeks,
        fairness_weight: FAIRNESS_WEIGHT,
        departments,
        preceptors,
        requests,
        fixed,
        pins,
    };
    (problem, left_out)
}

/// Ranked preferences at 3, 2, 1 (a site alone expands to its departments hosting the
/// discipline), then every other department of the discipline at a preferred site at 0.5. A
/// request without preferences may go to any department hosting its discipline, at 0.5.
fn options_for(q: &RequestRecord, departments: &[DepartmentRecord]) -> Vec<RequestOption> {
    let hosts = |d: &&DepartmentRecord| d.disciplines.contains(&q.discipline);
    let mut weights: BTreeMap<&str, f64> = BTreeMap::new();
    let mut order: Vec<&str> = vec![];
    for (rank, (site, dept)) in q.preferences.iter().take(3).enumerate() {
        let w = RANK_WEIGHTS[rank];
        for d in departments
            .iter()
            .filter(hosts)
            .filter(|d| &d.site_id == site && dept.as_ref().is_none_or(|want| *want == d.id))
        {
            if !weights.contains_key(d.id.as_str()) {
                order.push(d.id.as_str());
                weights.insert(d.id.as_str(), w);
            }
        }
    }
    let sites: HashSet<&str> = q.preferences.iter().map(|(s, _)| s.as_str()).collect();
    for d in departments
        .iter()
        .filter(hosts)
        .filter(|d| sites.is_empty() || sites.contains(d.site_id.as_str()))
    {
        if !weights.contains_key(d.id.as_str()) {
            order.push(d.id.as_str());
            weights.insert(d.id.as_str(), OTHER_WEIGHT);
        }
    }
    order
        .into_iter()
        .map(|id| RequestOption {
            department: id.to_string(),
            weight: weights[id],
        })
        .collect()
}

/// Leave touching a week makes the week unavailable; so does a licence that lapses before
/// the week ends (a placement needs a licence valid through its last day).
fn unavailable_weeks(term: Term, p: &PreceptorRecord) -> Vec<i64> {
    let mut weeks: Vec<i64> = vec![];
    for l in &p.leave {
        if let Some((a, b)) = term.touched(*l) {
            weeks.extend(a..=b);
        }
    }
    if let Some(expiry) = p.license_expires_on {
        let sunday_after = |w: i64| term.monday(w) + Duration::days(6);
        weeks.extend((0..term.weeks()).filter(|w| expiry < sunday_after(*w)));
    }
    weeks.sort_unstable();
    weeks.dedup();
    weeks
}

/// The starts (weeks `earliest..=latest`, the asked period moved by whole weeks) on which no
/// named student is placed elsewhere: the first such start and the ones right after it, as
/// the allocator takes one contiguous window. `None` when every start clashes.
fn free_starts(q: &RequestRecord, earliest: i64, latest: i64) -> Option<(i64, i64)> {
    let free = |start: i64| {
        let shift = Duration::days(7 * (start - earliest));
        let moved = Period {
            starts_on: q.period.starts_on + shift,
            ends_on: q.period.ends_on + shift,
        };
        !q.booked.iter().any(|b| b.overlaps(&moved))
    };
    let first = (earliest..=latest).find(|s| free(*s))?;
    let last = (first..=latest).take_while(|s| free(*s)).last()?;
    Some((first, last))
}

fn pin_fits(a: &Assignment, requests: &[Request]) -> bool {
    requests.iter().any(|r| {
        r.id == a.request
            && r.options.iter().any(|o| o.department == a.department)
            && (r.earliest_start..=r.latest_start).contains(&a.start)
    })
}

/// One accepted assignment, back in dates: the request's weekday pattern moved by whole weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatedAssignment {
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub start_week: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub pinned: bool,
}

pub fn dated(asked: Period, term: Term, a: &Assignment, pinned: bool) -> DatedAssignment {
    let shift = Duration::days(7 * (a.start - term.week_of(asked.starts_on)));
    DatedAssignment {
        department_id: a.department.clone(),
        preceptor_id: a.preceptor.clone(),
        start_week: a.start,
        starts_on: asked.starts_on + shift,
        ends_on: asked.ends_on + shift,
        pinned,
    }
}

/// A planning run's progress as the allocator reports it: its best plan's score, the proven
/// bound, their gap, and the work done.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct RunProgress {
    pub objective: f64,
    pub bound: f64,
    /// (bound − objective) / bound
    pub gap: f64,
    pub elapsed_seconds: f64,
    pub iterations: u64,
    /// The readings so far, oldest first, thinned to at most `progress::MAX_POINTS` (runs
    /// saved before this field read as an empty history).
    #[serde(default)]
    pub history: Vec<ProgressPoint>,
}

/// How good a plan is proven to be, in the office's words (issue 18): "at least 97.1% of the
/// best possible plan (proven)" — the plan's score over the allocator's proven bound, rounded
/// down to a tenth so the claim stays true. `None` without a usable bound.
pub fn proven_quality(objective: f64, bound: Option<f64>) -> Option<String> {
    let bound = bound.filter(|b| b.is_finite() && *b > 0.0)?;
    if !objective.is_finite() || objective < 0.0 {
        return None;
    }
    let share = (objective / bound).min(1.0);
    let tenths = (share * 1000.0).floor() / 10.0;
    Some(format!(
        "at least {tenths:.1}% of the best possible plan (proven)"
    ))
}

mod explain;
mod progress;
pub use explain::*;
pub use progress::*;

#[cfg(test)]
mod tests;
