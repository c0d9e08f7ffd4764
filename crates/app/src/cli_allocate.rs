//! `practicum allocate` and `practicum check`: the term allocator on files (ALLOCATION.md).
//! The solution goes to stdout and progress to stderr, so the output can be redirected.
use clap::Args;
use practicum_engine::{Limits, Progress, check, parse_problem, parse_solution, solve};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct AllocateArgs {
    /// The problem (`practicum-allocation/1` JSON); `-` reads stdin.
    problem: PathBuf,
    /// Stop after this many seconds (fractional) with the best found.
    #[arg(long, env = "PRACTICUM_TIME_LIMIT")]
    time_limit: Option<f64>,
    /// The same seed and --max-iterations give the same answer.
    #[arg(long, env = "PRACTICUM_SEED", default_value_t = 1)]
    seed: u64,
    /// Stop after this much search work rather than time (deterministic).
    #[arg(long, env = "PRACTICUM_MAX_ITERATIONS")]
    max_iterations: Option<u64>,
    /// Worker threads; 0 = one per core.
    #[arg(long, env = "PRACTICUM_THREADS", default_value_t = 0)]
    threads: usize,
}

#[derive(Args)]
pub struct CheckArgs {
    /// The problem (`practicum-allocation/1` JSON).
    problem: PathBuf,
    /// The solution (`practicum-allocation-solution/1` JSON); `-` reads stdin.
    solution: PathBuf,
}

fn read(path: &PathBuf) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Exit 0 with the solution on stdout; 2 for an unreadable or invalid problem.
pub fn allocate(a: AllocateArgs) -> ExitCode {
    let problem = match read(&a.problem)
        .and_then(|s| parse_problem(&s).map_err(|e| format!("{}: {e}", a.problem.display())))
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("practicum allocate: {e}");
            return ExitCode::from(2);
        }
    };
    let time_limit = match a.time_limit {
        Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
        Some(t) => {
            eprintln!(
                "practicum allocate: --time-limit must be a positive number of seconds, not {t}"
            );
            return ExitCode::from(2);
        }
        None => None,
    };
    let limits = Limits {
        time_limit,
        max_iterations: a.max_iterations,
        seed: a.seed,
        threads: a.threads,
        cancel: None,
    };
    let mut report = |p: &Progress| {
        eprintln!(
            "best {:.1}  bound {:.1}  gap {:.2}%  {:.2} s  ({} iterations)",
            p.objective,
            p.bound,
            p.gap * 100.0,
            p.elapsed.as_secs_f64(),
            p.iterations
        );
    };
    let solution = solve(&problem, &limits, &mut report);
    match serde_json::to_string_pretty(&solution) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("practicum allocate: {e}");
            ExitCode::from(2)
        }
    }
}

/// Exit 0 and print the objective for a feasible solution; 1 listing every broken rule; 2 for
/// input that cannot be read.
pub fn check_files(a: CheckArgs) -> ExitCode {
    let problem = match read(&a.problem)
        .and_then(|s| parse_problem(&s).map_err(|e| format!("{}: {e}", a.problem.display())))
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("practicum check: {e}");
            return ExitCode::from(2);
        }
    };
    let solution = match read(&a.solution)
        .and_then(|s| parse_solution(&s).map_err(|e| format!("{}: {e}", a.solution.display())))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("practicum check: {e}");
            return ExitCode::from(2);
        }
    };
    match check(&problem, &solution) {
        Ok(objective) => {
            println!(
                "feasible, objective {objective:.4} ({} assignments)",
                solution.assignments.len()
            );
            if (objective - solution.objective).abs() > 1e-6 {
                eprintln!(
                    "note: the solution claims objective {:.4}; the recomputed one is {objective:.4}",
                    solution.objective
                );
            }
            ExitCode::SUCCESS
        }
        Err(violations) => {
            println!("infeasible: {} violation(s)", violations.len());
            for v in violations {
                println!("  {v}");
            }
            ExitCode::from(1)
        }
    }
}
