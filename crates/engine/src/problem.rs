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
