//! The independent checker: is a solution feasible under the six hard rules of ALLOCATION.md,
//! and what is its objective? Written from the document alone and sharing no code with
//! `solve/`, so a bug in the solver cannot hide behind the same bug here. Plain maps and loops
//! over the raw problem; speed is not the point, obviousness is.
use crate::problem::{Assignment, Kind, Problem, Request, Solution};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One broken rule, with the rule's number in ALLOCATION.md (0 for a missing pin).
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub rule: u8,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rule == 0 {
            write!(f, "pins: {}", self.message)
        } else {
            write!(f, "rule {}: {}", self.rule, self.message)
        }
    }
}

fn v(rule: u8, message: String) -> Violation {
    Violation { rule, message }
}

/// The objective of a set of assignments, trusting nothing but the problem: the chosen
/// options' weights plus `fairness_weight` times the worst-served school's share.
pub fn objective(problem: &Problem, assignments: &[Assignment]) -> f64 {
    let requests: HashMap<&str, &Request> = problem
        .requests
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    let mut weights = 0.0;
    let mut placed: HashMap<&str, i64> = HashMap::new();
    for a in assignments {
        if let Some(r) = requests.get(a.request.as_str()) {
            if let Some(o) = r.options.iter().find(|o| o.department == a.department) {
                weights += o.weight;
            }
            *placed.entry(r.school.as_str()).or_default() += 1;
        }
    }
    let mut asked: HashMap<&str, i64> = HashMap::new();
    for r in &problem.requests {
        *asked.entry(r.school.as_str()).or_default() += r.students;
    }
    let worst = asked
        .iter()
        .map(|(s, n)| {
            if *n == 0 {
                0.0
            } else {
                placed.get(s).copied().unwrap_or(0) as f64 / *n as f64
            }
        })
        .fold(f64::INFINITY, f64::min);
    let fairness = if worst.is_finite() { worst } else { 0.0 };
    weights + problem.fairness_weight * fairness
}

/// `Ok(objective)` when the solution breaks no rule; otherwise every violation found.
pub fn check(problem: &Problem, solution: &Solution) -> Result<f64, Vec<Violation>> {
    let mut out = vec![];
    let requests: HashMap<&str, &Request> = problem
        .requests
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    let capacity: HashMap<&str, (i64, &Vec<String>)> = problem
        .departments
        .iter()
        .map(|d| (d.id.as_str(), (d.capacity, &d.disciplines)))
        .collect();
    let preceptors: HashMap<&str, &crate::problem::Preceptor> = problem
        .preceptors
        .iter()
        .map(|p| (p.id.as_str(), p))
        .collect();
    // Students present per (department, week) and per (preceptor, week), fixed load first.
    let mut in_dept: HashMap<(&str, i64), i64> = HashMap::new();
    let mut with_prec: HashMap<(&str, i64), i64> = HashMap::new();
    for f in &problem.fixed {
        for w in f.start..f.start + f.weeks {
            *in_dept.entry((f.department.as_str(), w)).or_default() += 1;
            if let Some(p) = &f.preceptor {
                *with_prec.entry((p.as_str(), w)).or_default() += 1;
            }
        }
    }
    // What the solution itself adds: fixed load already over capacity (a capacity lowered
    // after placements were accepted) is the records' problem, not the solution's, unless
    // the solution adds students to that week.
    // Which (department or preceptor, week) pairs this solution adds to: only those can be
    // over capacity because of it (a fixed placement alone may exceed a later-lowered capacity).
    let mut added_dept: HashSet<(&str, i64)> = HashSet::new();
    let mut added_prec: HashSet<(&str, i64)> = HashSet::new();
    let mut per_request: HashMap<&str, Vec<&Assignment>> = HashMap::new();
    for a in &solution.assignments {
        let Some(r) = requests.get(a.request.as_str()) else {
            out.push(v(1, format!("request {} does not exist", a.request)));
            continue;
        };
        per_request.entry(r.id.as_str()).or_default().push(a);
        let Some((_, hosted)) = capacity.get(a.department.as_str()) else {
            out.push(v(
                1,
                format!(
                    "request {}: department {} does not exist",
                    r.id, a.department
                ),
            ));
            continue;
        };
        if !r.options.iter().any(|o| o.department == a.department) {
            out.push(v(
                2,
                format!(
                    "request {}: department {} is not one of its options",
                    r.id, a.department
                ),
            ));
        }
        if !hosted.contains(&r.discipline) {
            out.push(v(
                2,
                format!(
                    "request {}: department {} does not host {}",
                    r.id, a.department, r.discipline
                ),
            ));
        }
        if a.start < r.earliest_start || a.start > r.latest_start {
            out.push(v(
                3,
                format!(
                    "request {}: start {} is outside {}..{}",
                    r.id, a.start, r.earliest_start, r.latest_start
                ),
            ));
        }
        if a.start + r.weeks > problem.weeks {
            out.push(v(
                3,
                format!(
                    "request {}: starting in week {} it ends after the term",
                    r.id, a.start
                ),
            ));
        }
        let weeks = a.start..a.start + r.weeks;
        match (r.kind, &a.preceptor) {
            (Kind::Clinical, None) => out.push(v(
                4,
                format!("request {}: a clinical student needs a preceptor", r.id),
            )),
            (Kind::Internship, Some(p)) => out.push(v(
                4,
                format!(
                    "request {}: an intern has no preceptor, but {p} is named",
                    r.id
                ),
            )),
            (Kind::Clinical, Some(p)) => match preceptors.get(p.as_str()) {
                None => out.push(v(
                    1,
                    format!("request {}: preceptor {p} does not exist", r.id),
                )),
                Some(pr) => {
                    if pr.department != a.department {
                        out.push(v(
                            4,
                            format!(
                                "request {}: preceptor {p} works in {}, not {}",
                                r.id, pr.department, a.department
                            ),
                        ));
                    }
                    if pr.discipline != r.discipline {
                        out.push(v(
                            4,
                            format!(
                                "request {}: preceptor {p} is {}, not {}",
                                r.id, pr.discipline, r.discipline
                            ),
                        ));
                    }
                    if let Some(w) = weeks.clone().find(|w| pr.unavailable_weeks.contains(w)) {
                        out.push(v(
                            4,
                            format!("request {}: preceptor {p} is unavailable in week {w}", r.id),
                        ));
                    }
                    for w in weeks.clone() {
                        *with_prec.entry((p.as_str(), w)).or_default() += 1;
                        added_prec.insert((p.as_str(), w));
                    }
                }
            },
            (Kind::Internship, None) => {}
        }
        for w in weeks {
            *in_dept.entry((a.department.as_str(), w)).or_default() += 1;
            added_dept.insert((a.department.as_str(), w));
        }
    }
    let mut dept_over: Vec<_> = in_dept
        .iter()
        .filter(|(k, n)| {
            added_dept.contains(*k) && capacity.get(k.0).is_some_and(|(cap, _)| **n > *cap)
        })
        .collect();
    dept_over.sort();
    for ((d, w), n) in dept_over {
        out.push(v(
            5,
            format!(
                "department {d} has {n} students in week {w}, capacity {}",
                capacity[d].0
            ),
        ));
    }
    let mut prec_over: Vec<_> = with_prec
        .iter()
        .filter(|(k, n)| {
            added_prec.contains(*k) && preceptors.get(k.0).is_some_and(|pr| **n > pr.max_students)
        })
        .collect();
    prec_over.sort();
    for ((p, w), n) in prec_over {
        out.push(v(
            5,
            format!(
                "preceptor {p} has {n} students in week {w}, at most {}",
                preceptors[p].max_students
            ),
        ));
    }
    let mut ids: Vec<&&str> = per_request.keys().collect();
    ids.sort();
    for id in ids {
        let r = requests[*id];
        let got = &per_request[*id];
        if got.len() as i64 > r.students {
            out.push(v(
                1,
                format!(
                    "request {}: {} assignments for {} students",
                    r.id,
                    got.len(),
                    r.students
                ),
            ));
        }
        if r.together {
            if got.len() as i64 != r.students {
                out.push(v(
                    6,
                    format!(
                        "request {}: a cohort of {} has {} placed (all or none)",
                        r.id,
                        r.students,
                        got.len()
                    ),
                ));
            }
            if got
                .iter()
                .any(|a| a.department != got[0].department || a.start != got[0].start)
            {
                out.push(v(
                    6,
                    format!(
                        "request {}: a cohort must share one department and one start",
                        r.id
                    ),
                ));
            }
        }
    }
    // Each pin must appear, as often as it is pinned.
    let mut remaining: Vec<&Assignment> = solution.assignments.iter().collect();
    for (i, pin) in problem.pins.iter().enumerate() {
        match remaining.iter().position(|a| *a == pin) {
            Some(k) => {
                remaining.swap_remove(k);
            }
            None => out.push(v(
                0,
                format!(
                    "pin #{i} (request {} in {} from week {}) is missing",
                    pin.request, pin.department, pin.start
                ),
            )),
        }
    }
    if out.is_empty() {
        Ok(objective(problem, &solution.assignments))
    } else {
        Err(out)
    }
}
