//! A planning run's allocator, off the request path: the solver works on a blocking thread
//! while this task writes its progress to the run every half second (so any page or instance
//! can show it) and passes on the office's "stop" by setting the solver's cancel flag.
use crate::db;
use crate::domain::planning::{ProgressPoint, RunProgress, record};
use crate::state::AppState;
use practicum_engine::{Limits, Problem, Progress, solve};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TICK: Duration = Duration::from_millis(500);

pub fn spawn(st: AppState, run_id: String, problem: Problem, mut limits: Limits) {
    let cancel = Arc::new(AtomicBool::new(false));
    limits.cancel = Some(cancel.clone());
    let latest: Arc<Mutex<Option<Progress>>> = Arc::default();
    let sink = latest.clone();
    tokio::spawn(async move {
        let mut work = tokio::task::spawn_blocking(move || {
            let mut report = |p: &Progress| {
                *sink.lock().unwrap_or_else(|e| e.into_inner()) = Some(p.clone());
            };
            solve(&problem, &limits, &mut report)
        });
        let mut written: Option<Progress> = None;
        let mut history: Vec<ProgressPoint> = Vec::new();
        let outcome = loop {
            tokio::select! {
                done = &mut work => break done,
                _ = tokio::time::sleep(TICK) => {}
            }
            let now = latest.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Err(e) = tick(&st, &run_id, &now, &mut written, &mut history, &cancel).await {
                tracing::warn!(run = %run_id, error = %e, "planning progress not saved");
            }
        };
        let at = st.clock.now();
        let last = latest.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let (status, solution, progress, error) = match outcome {
            Ok(solution) => {
                let bound = solution.bound.unwrap_or(solution.objective);
                let elapsed_seconds = last.as_ref().map_or(0.0, |p| p.elapsed.as_secs_f64());
                record(
                    &mut history,
                    ProgressPoint {
                        elapsed_seconds,
                        objective: solution.objective,
                        bound,
                    },
                );
                let progress = RunProgress {
                    objective: solution.objective,
                    bound,
                    gap: gap(solution.objective, bound),
                    elapsed_seconds,
                    iterations: last.as_ref().map_or(0, |p| p.iterations),
                    history,
                };
                let status = if cancel.load(Ordering::Relaxed) {
                    "cancelled"
                } else {
                    "done"
                };
                (
                    status,
                    serde_json::to_string(&solution).ok(),
                    serde_json::to_string(&progress).ok(),
                    None,
                )
            }
            Err(e) => {
                tracing::error!(run = %run_id, error = %e, "the allocator failed");
                let message = "the allocator stopped with an internal error".to_string();
                ("failed", None, None, Some(message))
            }
        };
        let result = async {
            let mut tx = st.db.write().await?;
            if let Some(progress) = &progress {
                db::planning::set_progress(&mut tx, &run_id, progress).await?;
            }
            db::planning::finish(
                &mut tx,
                &run_id,
                status,
                solution.as_deref(),
                error.as_deref(),
                at,
            )
            .await?;
            tx.commit().await?;
            Ok::<_, db::DbError>(())
        };
        if let Err(e) = result.await {
            tracing::error!(run = %run_id, error = %e, "planning result not saved");
        }
    });
}

fn gap(objective: f64, bound: f64) -> f64 {
    if bound > 0.0 {
        ((bound - objective) / bound).max(0.0)
    } else {
        0.0
    }
}

async fn tick(
    st: &AppState,
    run_id: &str,
    now: &Option<Progress>,
    written: &mut Option<Progress>,
    history: &mut Vec<ProgressPoint>,
    cancel: &AtomicBool,
) -> Result<(), db::DbError> {
    if let Some(p) = now.as_ref().filter(|p| written.as_ref() != Some(*p)) {
        record(
            history,
            ProgressPoint {
                elapsed_seconds: p.elapsed.as_secs_f64(),
                objective: p.objective,
                bound: p.bound,
            },
        );
        let view = RunProgress {
            objective: p.objective,
            bound: p.bound,
            gap: p.gap,
            elapsed_seconds: p.elapsed.as_secs_f64(),
            iterations: p.iterations,
            history: history.clone(),
        };
        if let Ok(json) = serde_json::to_string(&view) {
            let mut tx = st.db.write().await?;
            db::planning::set_progress(&mut tx, run_id, &json).await?;
            tx.commit().await?;
        }
        *written = Some(p.clone());
    }
    // A read, not the run's (large) problem: the write lock only when there is progress.
    let mut tx = st.db.read().await?;
    if db::planning::cancel_requested(&mut tx, run_id).await? {
        cancel.store(true, Ordering::Relaxed);
    }
    Ok(())
}
