//! The problem and solution formats of ALLOCATION.md. The field names are a contract.
use serde::{Deserialize, Serialize};

pub const PROBLEM_FORMAT: &str = "practicum-allocation/1";
pub const SOLUTION_FORMAT: &str = "practicum-allocation-solution/1";

/// Counts are read as `i64` so that a negative capacity is refused by validation with the
/// offending id named, rather than by serde with only a line and column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub format: String,
    pub weeks: i64,
    pub fairness_weight: f64,
    pub departments: Vec<Department>,
    pub preceptors: Vec<Preceptor>,
    pub requests: Vec<Request>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<Fixed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pins: Vec<Assignment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub capacity: i64,
    pub disciplines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preceptor {
    pub id: String,
    pub department: String,
    pub discipline: String,
    pub max_students: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable_weeks: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Clinical,
    Internship,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub id: String,
    pub school: String,
    pub discipline: String,
    pub kind: Kind,
    pub students: i64,
    pub weeks: i64,
    pub earliest_start: i64,
    pub latest_start: i64,
    #[serde(default)]
    pub together: bool,
    pub options: Vec<RequestOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestOption {
    pub department: String,
    pub weight: f64,
}

/// Load already committed (accepted placements): takes seats and preceptor slots, earns nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixed {
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preceptor: Option<String>,
    pub start: i64,
    pub weeks: i64,
}

/// One placed student.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub request: String,
    pub department: String,
    #[serde(default)]
    pub preceptor: Option<String>,
    pub start: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    pub format: String,
    pub assignments: Vec<Assignment>,
    #[serde(default)]
    pub objective: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub stats: serde_json::Value,
}

/// Everything wrong with a problem or a solution file, each naming the offending id.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .issues.join("; "))]
pub struct ProblemError {
    pub issues: Vec<String>,
}

impl ProblemError {
    fn one(issue: impl Into<String>) -> Self {
        ProblemError {
            issues: vec![issue.into()],
        }
    }
}

/// The longest term the format accepts: ten years of weeks.
pub const MAX_WEEKS: i64 = 520;

pub fn parse_problem(json: &str) -> Result<Problem, ProblemError> {
    let p: Problem = serde_json::from_str(json).map_err(|e| ProblemError::one(e.to_string()))?;
    p.validate()?;
    Ok(p)
}

pub fn parse_solution(json: &str) -> Result<Solution, ProblemError> {
    let s: Solution = serde_json::from_str(json).map_err(|e| ProblemError::one(e.to_string()))?;
    if s.format != SOLUTION_FORMAT {
        return Err(ProblemError::one(format!(
            "format is {:?}, expected {SOLUTION_FORMAT:?}",
            s.format
        )));
    }
    Ok(s)
}

impl Problem {
    /// Checks the rules of the format (ALLOCATION.md, "The problem"); every issue is listed.
    pub fn validate(&self) -> Result<(), ProblemError> {
        use std::collections::{HashMap, HashSet};
        let mut issues: Vec<String> = vec![];
        let mut bad = |s: String| issues.push(s);
        if self.format != PROBLEM_FORMAT {
            bad(format!(
                "format is {:?}, expected {PROBLEM_FORMAT:?}",
                self.format
            ));
        }
        if !(1..=MAX_WEEKS).contains(&self.weeks) {
            bad(format!(
                "weeks is {}, expected 1 to {MAX_WEEKS}",
                self.weeks
            ));
        }
        if !self.fairness_weight.is_finite() || self.fairness_weight < 0.0 {
            bad(format!(
                "fairness_weight is {}, expected a number of at least 0",
                self.fairness_weight
            ));
        }
        let weeks = self.weeks;
        let in_term = |w: i64| (0..weeks).contains(&w);
        let mut departments: HashMap<&str, &Department> = HashMap::new();
        for d in &self.departments {
            if departments.insert(d.id.as_str(), d).is_some() {
                bad(format!("department {}: duplicate id", d.id));
            }
            if d.capacity < 0 {
                bad(format!(
                    "department {}: capacity {} is negative",
                    d.id, d.capacity
                ));
            }
        }
        let mut preceptors: HashMap<&str, &Preceptor> = HashMap::new();
        for p in &self.preceptors {
            if preceptors.insert(p.id.as_str(), p).is_some() {
                bad(format!("preceptor {}: duplicate id", p.id));
            }
            if !departments.contains_key(p.department.as_str()) {
                bad(format!(
                    "preceptor {}: unknown department {}",
                    p.id, p.department
                ));
            }
            if p.max_students < 0 {
                bad(format!(
                    "preceptor {}: max_students {} is negative",
                    p.id, p.max_students
                ));
            }
            for w in &p.unavailable_weeks {
                if !in_term(*w) {
                    bad(format!(
                        "preceptor {}: unavailable week {w} is outside 0..{}",
                        p.id,
                        weeks - 1
                    ));
                }
            }
        }
        let mut requests: HashMap<&str, &Request> = HashMap::new();
        for r in &self.requests {
            let id = &r.id;
            if requests.insert(id.as_str(), r).is_some() {
                bad(format!("request {id}: duplicate id"));
            }
            if r.students < 1 {
                bad(format!(
                    "request {id}: students is {}, expected at least 1",
                    r.students
                ));
            }
            if r.weeks < 1 {
                bad(format!(
                    "request {id}: weeks is {}, expected at least 1",
                    r.weeks
                ));
            }
            if r.earliest_start < 0 {
                bad(format!(
                    "request {id}: earliest_start {} is before week 0",
                    r.earliest_start
                ));
            }
            if r.earliest_start > r.latest_start {
                bad(format!(
                    "request {id}: earliest_start {} is after latest_start {}",
                    r.earliest_start, r.latest_start
                ));
            }
            if r.latest_start + r.weeks > weeks {
                bad(format!(
                    "request {id}: a start in week {} lasting {} weeks ends after the term's {weeks} weeks",
                    r.latest_start, r.weeks
                ));
            }
            let mut seen = HashSet::new();
            for o in &r.options {
                if !departments.contains_key(o.department.as_str()) {
                    bad(format!(
                        "request {id}: unknown department {} in options",
                        o.department
                    ));
                }
                if !seen.insert(o.department.as_str()) {
                    bad(format!(
                        "request {id}: department {} appears twice in options",
                        o.department
                    ));
                }
                if !o.weight.is_finite() || o.weight <= 0.0 {
                    bad(format!(
                        "request {id}: option {} has weight {}, expected a positive number",
                        o.department, o.weight
                    ));
                }
            }
        }
        for (i, f) in self.fixed.iter().enumerate() {
            if !departments.contains_key(f.department.as_str()) {
                bad(format!("fixed #{i}: unknown department {}", f.department));
            }
            if let Some(p) = &f.preceptor {
                match preceptors.get(p.as_str()) {
                    None => bad(format!("fixed #{i}: unknown preceptor {p}")),
                    Some(pr) if pr.department != f.department => bad(format!(
                        "fixed #{i}: preceptor {p} belongs to department {}, not {}",
                        pr.department, f.department
                    )),
                    Some(_) => {}
                }
            }
            if f.weeks < 1 || f.start < 0 || f.start + f.weeks > weeks {
                bad(format!(
                    "fixed #{i}: weeks {}..{} are outside the term's {weeks} weeks",
                    f.start,
                    f.start + f.weeks - 1
                ));
            }
        }
        for (i, a) in self.pins.iter().enumerate() {
            if !requests.contains_key(a.request.as_str()) {
                bad(format!("pin #{i}: unknown request {}", a.request));
            }
            if !departments.contains_key(a.department.as_str()) {
                bad(format!("pin #{i}: unknown department {}", a.department));
            }
            if let Some(p) = &a.preceptor
                && !preceptors.contains_key(p.as_str())
            {
                bad(format!("pin #{i}: unknown preceptor {p}"));
            }
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(ProblemError { issues })
        }
    }
}
