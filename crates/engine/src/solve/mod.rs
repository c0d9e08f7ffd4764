//! The solver. Placeholder until the real one lands: it places nobody, which is always
//! feasible, and reports the trivial bound.
use crate::problem::{Problem, SOLUTION_FORMAT, Solution};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// How long the solver may run. With `max_iterations` set the answer depends only on the
/// problem and the seed (tests); with only `time_limit` it returns the best found in time.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub time_limit: Option<Duration>,
    pub max_iterations: Option<u64>,
    pub seed: u64,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// Set by the caller to stop early (the planning page's "stop" button); the best so far
    /// is returned.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// Reported to the caller whenever the best objective or the bound improves.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub objective: f64,
    pub bound: f64,
    /// `(bound - objective) / bound`, 0 when the bound is 0.
    pub gap: f64,
    pub elapsed: Duration,
    pub iterations: u64,
}

/// Solves a validated problem. Every answer is feasible and carries a proven upper bound.
pub fn solve(problem: &Problem, limits: &Limits, progress: &mut dyn FnMut(&Progress)) -> Solution {
    let _ = (problem, limits, &progress);
    Solution {
        format: SOLUTION_FORMAT.to_string(),
        assignments: Vec::new(),
        objective: 0.0,
        bound: None,
        stats: serde_json::Value::Null,
    }
}
