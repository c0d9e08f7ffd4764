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

fn pin_fits(a: &Assignment, requests: &[Request]) -> bool {
    requests.iter().any(|r| {
        r.id == a.request
            && r.options.iter().any(|o| o.department == a.department)
            && (r.earliest_start..=r.latest_start).contains(&a.start)
    })
}

/// One accepted assignment, back in dates: the request's weekday pattern moved by whole weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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

/// Why a request got fewer places than it asked for, in the coordinator's words.
pub fn why_unplaced(problem: &Problem, solution: &Solution, request_id: &str) -> String {
    let Some(q) = problem.requests.iter().find(|r| r.id == request_id) else {
        return "it was not part of the plan".into();
    };
    let option_ids: HashSet<&str> = q.options.iter().map(|o| o.department.as_str()).collect();
    if q.kind == Kind::Clinical
        && !problem.preceptors.iter().any(|p| {
            option_ids.contains(p.department.as_str())
                && p.discipline == q.discipline
                && p.max_students > 0
        })
    {
        return format!(
            "no preceptor of {} in the departments asked for",
            q.discipline
        );
    }
    let load = department_load(problem, solution);
    let taught = preceptor_load(problem, solution);
    let need = if q.together { q.students } else { 1 };
    let seat_free =
        |dept: &str, cap: i64, w: i64| cap - load.get(&(dept, w)).copied().unwrap_or(0) >= need;
    let mut seats = false;
    let mut fits = false;
    for o in &q.options {
        let cap = problem
            .departments
            .iter()
            .find(|d| d.id == o.department)
            .map_or(0, |d| d.capacity);
        for s in q.earliest_start..=q.latest_start {
            if !(s..s + q.weeks).all(|w| seat_free(&o.department, cap, w)) {
                continue;
            }
            seats = true;
            let teachers = problem
                .preceptors
                .iter()
                .filter(|p| p.department == o.department && p.discipline == q.discipline)
                .filter(|p| {
                    (s..s + q.weeks).all(|w| {
                        !p.unavailable_weeks.contains(&w)
                            && taught.get(&(p.id.as_str(), w)).copied().unwrap_or(0)
                                < p.max_students
                    })
                })
                .count() as i64;
            if q.kind == Kind::Internship || teachers >= need {
                fits = true;
            }
        }
    }
    match (seats, fits) {
        (_, true) => "there is room for it, but the plan gives the room to requests that score more (a higher choice, or a school served less)".into(),
        (true, false) => format!(
            "the {} preceptors of those departments are fully booked or on leave in its window",
            q.discipline
        ),
        (false, _) if q.together => {
            "the departments asked for have no room for the whole group in its window".into()
        }
        (false, _) => "the departments asked for are full in its window".into(),
    }
}

/// Students per (preceptor, week): fixed load plus the solution.
fn preceptor_load<'a>(
    problem: &'a Problem,
    solution: &'a Solution,
) -> HashMap<(&'a str, i64), i64> {
    load_by(
        problem,
        solution,
        |f| f.preceptor.as_deref(),
        |a| a.preceptor.as_deref(),
    )
}

/// Students present per (department, week): fixed load plus the solution.
pub fn department_load<'a>(
    problem: &'a Problem,
    solution: &'a Solution,
) -> HashMap<(&'a str, i64), i64> {
    load_by(
        problem,
        solution,
        |f| Some(f.department.as_str()),
        |a| Some(a.department.as_str()),
    )
}

/// Students per (row, week), where the row of a fixed load or an assignment is what `of_fixed`
/// or `of_assignment` says (none: not counted).
fn load_by<'a>(
    problem: &'a Problem,
    solution: &'a Solution,
    of_fixed: impl Fn(&'a Fixed) -> Option<&'a str>,
    of_assignment: impl Fn(&'a Assignment) -> Option<&'a str>,
) -> HashMap<(&'a str, i64), i64> {
    let mut load: HashMap<(&str, i64), i64> = HashMap::new();
    for f in &problem.fixed {
        if let Some(row) = of_fixed(f) {
            for w in f.start..f.start + f.weeks {
                *load.entry((row, w)).or_default() += 1;
            }
        }
    }
    let length: HashMap<&str, i64> = problem
        .requests
        .iter()
        .map(|r| (r.id.as_str(), r.weeks))
        .collect();
    for a in &solution.assignments {
        if let Some(row) = of_assignment(a) {
            let w = length.get(a.request.as_str()).copied().unwrap_or(0);
            for week in a.start..a.start + w {
                *load.entry((row, week)).or_default() += 1;
            }
        }
    }
    load
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dept(id: &str, site: &str, cap: i64, disc: &[&str]) -> DepartmentRecord {
        DepartmentRecord {
            id: id.into(),
            site_id: site.into(),
            capacity: cap,
            disciplines: disc.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn request(id: &str, prefs: &[(&str, Option<&str>)]) -> RequestRecord {
        RequestRecord {
            id: id.into(),
            school_id: "S1".into(),
            discipline: "RAD".into(),
            kind: "clinical".into(),
            places: 2,
            // Wednesday to the Friday two weeks later: touches three calendar weeks.
            period: Period::new(d("2027-01-13"), d("2027-01-29")).unwrap(),
            start_window_weeks: 2,
            together: false,
            preferences: prefs
                .iter()
                .map(|(s, d)| (s.to_string(), d.map(str::to_string)))
                .collect(),
        }
    }

    fn term() -> Term {
        // Starts on a Thursday: week 0 is Monday 4 January.
        Term {
            starts_on: d("2027-01-07"),
            ends_on: d("2027-04-30"),
        }
    }

    fn build(reqs: &[RequestRecord], depts: &[DepartmentRecord]) -> (Problem, Vec<LeftOut>) {
        build_problem(&Records {
            term: term(),
            departments: depts,
            preceptors: &[],
            held: &[],
            requests: reqs,
            pins: &[],
            exclusions: &[],
        })
    }

    #[test]
    fn weeks_are_counted_from_the_monday_on_or_before_the_first_day() {
        let t = term();
        assert_eq!(t.week0(), d("2027-01-04"));
        assert_eq!(t.week_of(d("2027-01-10")), 0);
        assert_eq!(t.week_of(d("2027-01-11")), 1);
        assert_eq!(t.week_of(d("2027-01-03")), -1);
        assert_eq!(t.weeks(), 17);
    }

    #[test]
    fn a_request_becomes_weeks_window_and_ranked_options() {
        let depts = [
            dept("D1", "A", 2, &["RAD"]),
            dept("D2", "A", 2, &["RAD"]),
            dept("D3", "B", 2, &["RAD"]),
            dept("D4", "B", 2, &["RAD", "RT"]),
            dept("D5", "C", 2, &["RAD"]),
            dept("D6", "B", 2, &["PT"]),
        ];
        let (p, left) = build(&[request("R1", &[("A", Some("D2")), ("B", None)])], &depts);
        assert!(left.is_empty());
        let r = &p.requests[0];
        assert_eq!((r.weeks, r.earliest_start, r.latest_start), (3, 1, 3));
        assert_eq!(r.students, 2);
        let opts: Vec<(&str, f64)> = r
            .options
            .iter()
            .map(|o| (o.department.as_str(), o.weight))
            .collect();
        // D2 first choice; site B expands to D3 and D4 at 2; D1 is another RAD department at
        // a preferred site; D5 is at a site not asked for; D6 does not host RAD.
        assert_eq!(
            opts,
            vec![("D2", 3.0), ("D3", 2.0), ("D4", 2.0), ("D1", 0.5)]
        );
    }

    #[test]
    fn requests_that_cannot_fit_the_term_are_left_out_with_a_reason() {
        let depts = [dept("D1", "A", 2, &["RAD"])];
        let mut early = request("R1", &[("A", None)]);
        early.period = Period::new(d("2026-12-28"), d("2027-01-20")).unwrap();
        let mut late = request("R2", &[("A", None)]);
        late.period = Period::new(d("2027-04-19"), d("2027-05-14")).unwrap();
        let mut elsewhere = request("R3", &[("A", None)]);
        elsewhere.discipline = "PT".into();
        let (p, left) = build(&[early, late, elsewhere], &depts);
        assert!(p.requests.is_empty());
        let reasons: Vec<&str> = left.iter().map(|l| l.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec![
                "it starts outside the term",
                "it runs past the end of the term",
                "no department at the sites asked for hosts PT"
            ]
        );
    }

    #[test]
    fn the_window_is_clipped_to_the_term() {
        let depts = [dept("D1", "A", 2, &["RAD"])];
        let mut q = request("R1", &[("A", None)]);
        // Weeks 14-15 of a 17-week term, window 4: the latest start is week 15.
        q.period = Period::new(d("2027-04-12"), d("2027-04-23")).unwrap();
        q.start_window_weeks = 4;
        let (p, _) = build(&[q], &depts);
        assert_eq!(
            (p.requests[0].earliest_start, p.requests[0].latest_start),
            (14, 15)
        );
    }

    #[test]
    fn leave_licences_and_held_placements_become_weeks() {
        let depts = [dept("D1", "A", 2, &["RAD"])];
        let preceptors = [PreceptorRecord {
            id: "P1".into(),
            department_id: "D1".into(),
            discipline: "RAD".into(),
            max_students: 1,
            leave: vec![Period::new(d("2027-01-15"), d("2027-01-19")).unwrap()],
            license_expires_on: Some(d("2027-04-20")),
        }];
        let held = [
            HeldRecord {
                department_id: "D1".into(),
                preceptor_id: Some("P1".into()),
                period: Period::new(d("2026-12-01"), d("2027-01-12")).unwrap(),
            },
            HeldRecord {
                department_id: "D1".into(),
                preceptor_id: Some("gone".into()),
                period: Period::new(d("2027-03-01"), d("2027-03-05")).unwrap(),
            },
            HeldRecord {
                department_id: "D1".into(),
                preceptor_id: None,
                period: Period::new(d("2027-06-01"), d("2027-06-05")).unwrap(),
            },
        ];
        let (p, _) = build_problem(&Records {
            term: term(),
            departments: &depts,
            preceptors: &preceptors,
            held: &held,
            requests: &[],
            pins: &[],
            exclusions: &[],
        });
        // Leave Fri 15 to Tue 19 January touches weeks 1 and 2; the licence lapses on
        // Tuesday of week 15, so weeks 15 and 16 are out too.
        assert_eq!(p.preceptors[0].unavailable_weeks, vec![1, 2, 15, 16]);
        assert_eq!(
            p.fixed,
            vec![
                Fixed {
                    department: "D1".into(),
                    preceptor: Some("P1".into()),
                    start: 0,
                    weeks: 2
                },
                Fixed {
                    department: "D1".into(),
                    preceptor: None,
                    start: 8,
                    weeks: 1
                },
            ]
        );
    }

    #[test]
    fn exclusions_remove_options_and_stale_pins_are_dropped() {
        let depts = [dept("D1", "A", 2, &["RAD"]), dept("D2", "A", 2, &["RAD"])];
        let pins = [
            Assignment {
                request: "R1".into(),
                department: "D2".into(),
                preceptor: None,
                start: 1,
            },
            Assignment {
                request: "R1".into(),
                department: "D1".into(),
                preceptor: None,
                start: 1,
            },
            Assignment {
                request: "gone".into(),
                department: "D2".into(),
                preceptor: None,
                start: 1,
            },
        ];
        let (p, _) = build_problem(&Records {
            term: term(),
            departments: &depts,
            preceptors: &[],
            held: &[],
            requests: &[request("R1", &[("A", Some("D1"))])],
            pins: &pins,
            exclusions: &[Exclusion {
                request: "R1".into(),
                department: "D1".into(),
            }],
        });
        assert_eq!(p.requests[0].options.len(), 1);
        assert_eq!(p.requests[0].options[0].department, "D2");
        assert_eq!(p.pins, vec![pins[0].clone()]);
    }

    #[test]
    fn an_assignment_keeps_the_weekday_pattern() {
        let q = request("R1", &[]);
        let a = Assignment {
            request: "R1".into(),
            department: "D1".into(),
            preceptor: Some("P1".into()),
            start: 3,
        };
        let x = dated(q.period, term(), &a, false);
        assert_eq!((x.starts_on, x.ends_on), (d("2027-01-27"), d("2027-02-12")));
    }
}
