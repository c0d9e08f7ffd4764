//! Runs the Lagrangian bound alone on a problem file and prints its progress, for tuning:
//! `cargo run --release -p practicum-engine --example bound_file -- problem.json SECONDS [LOWER] [STEPS]`
//! (LOWER: a known plan's objective, which the step rule aims at).
use practicum_engine::{parse_problem, relaxation_trace};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(secs)) = (args.get(1), args.get(2).and_then(|s| s.parse::<f64>().ok()))
    else {
        eprintln!("usage: bound_file PROBLEM.json SECONDS [LOWER] [STEPS]");
        std::process::exit(2);
    };
    let lower = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let steps = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
    let text = std::fs::read_to_string(path).expect("readable problem");
    let problem = parse_problem(&text).expect("valid problem");
    let mut last = 0.0;
    let (bound, ranges) = relaxation_trace(&problem, secs, steps, lower, &mut |k, t, b| {
        if t - last >= 0.5 || k <= 200 && k.is_multiple_of(100) {
            last = t;
            println!("{k:>7} steps {t:>7.2} s  bound {b:.3}");
        }
    });
    println!("final bound {bound:.3}");
    for (lo, hi, b, at) in ranges {
        println!("  worst share {lo:.4}..{hi:.4}: bound {b:.3} (picks {at:.4})");
    }
}
