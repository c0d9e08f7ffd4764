//! Solves a problem file and prints one line: objective, bound, gap, seconds. For quick
//! experiments on the solver without building the server:
//! `cargo run --release -p practicum-engine --example solve_file -- problem.json 10 [threads] [seed] [iterations]`
//! (with ITERATIONS, the run is limited by work, not time, and repeatable: for A/B comparisons
//! on a loaded machine).
use practicum_engine::{Limits, check, parse_problem, solve};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(secs)) = (args.get(1), args.get(2).and_then(|s| s.parse::<f64>().ok()))
    else {
        eprintln!("usage: solve_file PROBLEM.json SECONDS [THREADS] [SEED] [ITERATIONS]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("readable problem");
    let problem = parse_problem(&text).expect("valid problem");
    let iterations: Option<u64> = args.get(5).and_then(|s| s.parse().ok());
    let limits = Limits {
        time_limit: iterations.is_none().then(|| Duration::from_secs_f64(secs)),
        max_iterations: iterations,
        threads: args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0),
        seed: args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1),
        ..Limits::default()
    };
    let s = solve(&problem, &limits, &mut |_| {});
    let checked = check(&problem, &s).expect("feasible");
    // SOLUTION_OUT=path keeps the answer for comparing with the reference solvers'.
    if let Ok(out) = std::env::var("SOLUTION_OUT") {
        let text = serde_json::to_string_pretty(&s).expect("serializable");
        std::fs::write(out, text).expect("writable");
    }
    let bound = s.bound.unwrap_or(f64::NAN);
    println!(
        "objective {checked:.2}  bound {bound:.2}  gap {:.2}%  {}",
        100.0 * (bound - checked) / bound,
        s.stats
    );
}
