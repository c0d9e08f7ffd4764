//! The solver: a greedy start, large-neighbourhood search on every core, and a Lagrangian
//! bound so every answer says how far from the best possible it can be. Tiny problems are
//! solved exactly. See `search`, `bound` and `exact` for each part's reasoning.
mod bound;
mod exact;
mod model;
mod rng;
mod search;

use crate::problem::{Assignment, Problem, SOLUTION_FORMAT, Solution};
use model::{Model, NONE, Place};
use search::State;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// Without any limit the solver stops after this long.
const DEFAULT_TIME: Duration = Duration::from_secs(10);
/// Exhaustive search is tried below this many nodes.
const EXACT_BUDGET: u64 = 300_000;
/// Simulated annealing starts willing to lose about half a first choice's weight.
const START_TEMPERATURE: f64 = 2.0;
/// Bound steps when the solver is limited by work (under a time limit it runs until it
/// cannot improve or its share of the time is spent).
const BOUND_STEPS: u64 = 6_000;
/// The bound's worker's search: the reward for each school above the worst share, as a
/// share of the fairness weight per school (`search::State::score`).
const LIFT: f64 = 0.5;
/// The bound shares its prices with the searching workers every this many steps.
const PRICES_EVERY: u64 = 4096;
/// The share of a time limit the bound may take.
const BOUND_SHARE: f64 = 0.75;

fn gap(objective: f64, bound: f64) -> f64 {
    if bound > 1e-12 {
        ((bound - objective) / bound).max(0.0)
    } else {
        0.0
    }
}

struct Shared {
    best: f64,
    bound: f64,
    bound_steps: u64,
    bound_splits: u64,
    bound_seconds: f64,
    /// Every improvement of the best objective: (seconds since the start, objective).
    history: Vec<(f64, f64)>,
    /// The bound's prices once it has finished, for every worker's priced repair.
    prices: Option<Arc<search::Prices>>,
}

/// Solves a validated problem. Every answer is feasible and carries a proven upper bound.
pub fn solve(problem: &Problem, limits: &Limits, progress: &mut dyn FnMut(&Progress)) -> Solution {
    let started = Instant::now();
    let m = Model::new(problem);
    let threads = match limits.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .max(1);
    let deadline = match (limits.time_limit, limits.max_iterations) {
        (Some(t), _) => Some(started + t),
        (None, Some(_)) => None,
        (None, None) => Some(started + DEFAULT_TIME),
    };
    let mut rng = rng::Rng::new(limits.seed);
    let mut pinned = State::empty(&m);
    for (r, pins) in m.pins.iter().enumerate() {
        for pl in pins.iter().take(m.reqs[r].students.max(0) as usize) {
            pinned.add(&m, r, *pl);
        }
        pinned.pinned[r] = pinned.placed[r].len();
    }
    let mut stats = serde_json::Map::new();
    if m.unusable_pins > 0 {
        stats.insert("unusable_pins".into(), m.unusable_pins.into());
    }

    if let Some((placed, objective, nodes)) = exact::solve(&m, &pinned, EXACT_BUDGET) {
        let p = Progress {
            objective,
            bound: objective,
            gap: 0.0,
            elapsed: started.elapsed(),
            iterations: nodes,
        };
        progress(&p);
        stats.insert("method".into(), "exhaustive search (optimal)".into());
        stats.insert(
            "seconds_to_within_1pct".into(),
            started.elapsed().as_secs_f64().into(),
        );
        stats.insert("nodes".into(), nodes.into());
        return finish(&m, &placed, objective, objective, started, stats);
    }

    let mut first = search::construct(&m, &mut rng);
    let users = search::users_of_departments(&m);
    let lifted = search::lift(&m, &users, &mut first, &mut rng, &|| {
        deadline.is_some_and(|d| Instant::now() >= d)
            || limits
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
    });
    stats.insert("lift_levels".into(), lifted.into());
    stats.insert(
        "lift_seconds".into(),
        started.elapsed().as_secs_f64().into(),
    );
    let lower = first.objective(&m);
    let trivial = bound::trivial(&m);
    progress(&Progress {
        objective: lower,
        bound: trivial,
        gap: gap(lower, trivial),
        elapsed: started.elapsed(),
        iterations: 0,
    });
    let shared = Mutex::new(Shared {
        best: lower,
        bound: trivial,
        bound_steps: 0,
        bound_splits: 0,
        bound_seconds: 0.0,
        history: vec![(started.elapsed().as_secs_f64(), lower)],
        prices: None,
    });
    let stop = AtomicBool::new(false);
    let iterations = AtomicU64::new(0);
    let per_worker = limits.max_iterations.map(|n| n.div_ceil(threads as u64));
    let should_stop = |stop: &AtomicBool| {
        stop.load(Ordering::Relaxed)
            || limits
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
            || deadline.is_some_and(|d| Instant::now() >= d)
    };

    let results: Vec<(State, f64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let (m, users, shared, stop, iterations) =
                    (&m, &users, &shared, &stop, &iterations);
                let mut st = first.clone();
                let should_stop = &should_stop;
                scope.spawn(move || {
                    let mut bound_value = f64::INFINITY;
                    if k == 0 {
                        // The bound first: it needs far fewer steps than the search.
                        let mut relax = bound::Bound::new(m);
                        // Under a time limit the bound gets at most part of it, so this
                        // core also searches on large problems.
                        let bound_until = deadline.map(|d| {
                            started + d.saturating_duration_since(started).mul_f64(BOUND_SHARE)
                        });
                        // Limited by work, the bound takes a fixed number of steps; by time,
                        // it stops when nothing is left to improve or its share is spent.
                        let steps = if per_worker.is_some() {
                            BOUND_STEPS
                        } else {
                            u64::MAX
                        };
                        while relax.iterations < steps
                            && !should_stop(stop)
                            && bound_until.is_none_or(|t| Instant::now() < t)
                        {
                            // Polyak's step aims at the best objective known; the search's
                            // finds are used only under a time limit, where the answer may
                            // depend on timing anyway.
                            let target = if per_worker.is_none() {
                                let s = shared.lock().unwrap_or_else(|e| e.into_inner());
                                s.best
                            } else {
                                lower
                            };
                            let more = relax.step(target);
                            // The prices so far, for the other workers' priced repair.
                            let prices = (per_worker.is_none()
                                && relax.iterations.is_multiple_of(PRICES_EVERY))
                            .then(|| relax.prices().map(Arc::new))
                            .flatten();
                            let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
                            s.bound = s.bound.min(relax.bound());
                            if prices.is_some() {
                                s.prices = prices;
                            }
                            drop(s);
                            // Under a time limit a converged bound hands its core to
                            // the search.
                            if !more || per_worker.is_none() && relax.converged() {
                                break;
                            }
                        }
                        bound_value = relax.bound();
                        // The search repairs with the bound's prices most of the time (see
                        // `search::priced`).
                        st.prices = relax.prices().map(Arc::new);
                        let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
                        s.prices.clone_from(&st.prices);
                        s.bound_steps = relax.iterations;
                        s.bound_splits = relax.splits;
                        s.bound_seconds = started.elapsed().as_secs_f64();
                    }
                    let mut rng = rng::Rng::new(limits.seed.wrapping_add(1 + k as u64));
                    // The bound's worker also rewards lifting schools off the worst share
                    // (see `State::score`); the others climb the objective itself.
                    let lift = if k == 0 && threads > 1 { LIFT } else { 0.0 };
                    let mut best = st.clone();
                    let mut best_value = best.objective(m);
                    let mut done = 0u64;
                    let search_started = Instant::now();
                    loop {
                        if per_worker.is_some_and(|n| done >= n) || should_stop(stop) {
                            break;
                        }
                        // How far along: by work when limited by work, else by time.
                        let along = match (per_worker, deadline) {
                            (Some(n), _) => done as f64 / n.max(1) as f64,
                            (None, Some(d)) => {
                                let total =
                                    d.saturating_duration_since(search_started).as_secs_f64()
                                        + search_started.elapsed().as_secs_f64();
                                search_started.elapsed().as_secs_f64() / total.max(1e-9)
                            }
                            (None, None) => 1.0,
                        };
                        let temperature = START_TEMPERATURE * (0.001f64).powf(along.min(1.0));
                        search::step(m, users, &mut st, &mut rng, temperature, lift);
                        done += 1;
                        let v = st.objective(m);
                        if v > best_value + 1e-9 {
                            best_value = v;
                            best = st.clone();
                            let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
                            if v > s.best {
                                s.best = v;
                                s.history.push((started.elapsed().as_secs_f64(), v));
                            }
                            let closed = s.best >= s.bound - 1e-9;
                            drop(s);
                            if closed && per_worker.is_none() {
                                stop.store(true, Ordering::Relaxed);
                            }
                        }
                        if done.is_multiple_of(64) {
                            iterations.fetch_add(64, Ordering::Relaxed);
                            // Under a time limit the others take the newest prices
                            // (limited by work, the answer must not depend on when).
                            if per_worker.is_none() && done.is_multiple_of(1024) {
                                let s = shared.lock().unwrap_or_else(|e| e.into_inner());
                                st.prices.clone_from(&s.prices);
                            }
                        }
                    }
                    iterations.fetch_add(done % 64, Ordering::Relaxed);
                    (best, bound_value)
                })
            })
            .collect();
        // This thread reports progress while the workers search.
        let mut last = (lower, trivial);
        while handles.iter().any(|h| !h.is_finished()) {
            std::thread::sleep(Duration::from_millis(20));
            let (b, u) = {
                let s = shared.lock().unwrap_or_else(|e| e.into_inner());
                (s.best, s.bound)
            };
            if (b, u) != last {
                last = (b, u);
                progress(&Progress {
                    objective: b,
                    bound: u,
                    gap: gap(b, u),
                    elapsed: started.elapsed(),
                    iterations: iterations.load(Ordering::Relaxed),
                });
            }
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    // The best worker wins; ties go to the lowest index, so the answer is deterministic.
    let mut best = &results[0].0;
    let mut best_value = best.objective(&m);
    for (st, _) in &results[1..] {
        let v = st.objective(&m);
        if v > best_value + 1e-9 {
            best = st;
            best_value = v;
        }
    }
    let bound = results
        .iter()
        .map(|(_, b)| *b)
        .fold(trivial, f64::min)
        .max(best_value);
    let total = iterations.load(Ordering::Relaxed);
    progress(&Progress {
        objective: best_value,
        bound,
        gap: gap(best_value, bound),
        elapsed: started.elapsed(),
        iterations: total,
    });
    stats.insert(
        "method".into(),
        "greedy + large-neighbourhood search; Lagrangian bound".into(),
    );
    stats.insert("iterations".into(), total.into());
    stats.insert("threads".into(), threads.into());
    {
        let s = shared.lock().unwrap_or_else(|e| e.into_inner());
        stats.insert("bound_steps".into(), s.bound_steps.into());
        stats.insert("bound_splits".into(), s.bound_splits.into());
        // When the plan first came within 1% of the final objective (the office sees a
        // good plan then; the rest is polish).
        let near = best_value - 0.01 * best_value.abs();
        if let Some(&(t, _)) = s.history.iter().find(|(_, v)| *v >= near - 1e-9) {
            stats.insert("seconds_to_within_1pct".into(), t.into());
        }
        stats.insert("bound_seconds".into(), s.bound_seconds.into());
    }
    finish(&m, &best.placed, best_value, bound, started, stats)
}

/// The Lagrangian bound alone after at most `steps` subgradient steps (for tests: it must
/// never fall below the true optimum).
pub fn relaxation_bound(problem: &Problem, steps: u64) -> f64 {
    relaxation_bound_splitting(problem, steps, 300)
}

/// The same, splitting a range of worst shares after `patience` steps without progress
/// (small in tests, so that they see many splits).
#[doc(hidden)]
pub fn relaxation_bound_splitting(problem: &Problem, steps: u64, patience: u32) -> f64 {
    let m = Model::new(problem);
    let mut relax = bound::Bound::new(&m);
    relax.patience = patience;
    while relax.iterations < steps && relax.step(0.0) {}
    relax.bound()
}

/// The bound alone for `seconds` (or `steps`), aimed at `lower` (a known plan's objective),
/// reporting `(steps, seconds, bound)` every 50 steps: for tuning it on benchmark instances
/// (`examples/bound_file.rs`). Returns the bound and its ranges of worst shares
/// `(lowest, highest, bound, share picked)`.
#[doc(hidden)]
pub fn relaxation_trace(
    problem: &Problem,
    seconds: f64,
    steps: u64,
    lower: f64,
    report: &mut dyn FnMut(u64, f64, f64),
) -> (f64, Vec<(f64, f64, f64, f64)>) {
    let started = Instant::now();
    let m = Model::new(problem);
    let mut relax = bound::Bound::new(&m);
    while relax.iterations < steps && started.elapsed().as_secs_f64() < seconds {
        let more = relax.step(lower);
        if relax.iterations.is_multiple_of(50) || !more {
            report(
                relax.iterations,
                started.elapsed().as_secs_f64(),
                relax.bound(),
            );
        }
        if !more {
            break;
        }
    }
    (relax.bound(), relax.ranges())
}

fn finish(
    m: &Model,
    placed: &[Vec<Place>],
    objective: f64,
    bound: f64,
    started: Instant,
    mut stats: serde_json::Map<String, serde_json::Value>,
) -> Solution {
    let mut assignments = vec![];
    for (r, places) in placed.iter().enumerate() {
        let q = &m.reqs[r];
        for pl in places {
            let o = &q.opts[pl.opt as usize];
            assignments.push(Assignment {
                request: m.req_ids[r].clone(),
                department: m.dept_ids[o.dept as usize].clone(),
                preceptor: (pl.prec != NONE).then(|| m.prec_ids[pl.prec as usize].clone()),
                start: pl.start as i64,
            });
        }
    }
    stats.insert("seconds".into(), started.elapsed().as_secs_f64().into());
    Solution {
        format: SOLUTION_FORMAT.to_string(),
        assignments,
        objective,
        bound: Some(bound),
        stats: serde_json::Value::Object(stats),
    }
}
