//! Measures the reminder sweep at consortium size (issue 18 part 5): runs
//! `jobs::reminders::run_once` on a seeded store (`examples/bench_seed.rs`) while a probe takes
//! a write transaction every 5 ms (what a request that writes does: `Db::write`, one upsert,
//! commit) and records how long each probe waited. It prints the sweep's own longest write
//! transaction (`Sent::longest_write`: from asking for the write lock to committing) and the
//! longest probe: how long a request waited behind the sweep.
//!
//! `cargo run --release --example bench_sweep -- DATABASE_URL [DAY]` — DAY (`2027-01-04`) is the
//! sweep's today (default: the system clock's).
use practicum::{clock::Clock, config::Config, db::Db, state::AppState};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: bench_sweep DATABASE_URL [DAY]"))?;
    let clock = match args.next() {
        Some(day) => Clock::for_tests(&format!("{day}T09:00:00Z")).map_err(anyhow::Error::msg)?,
        None => Clock::system(),
    };
    let dir = std::env::temp_dir().join(format!("bench-sweep-{}", std::process::id()));
    let mut config = Config::new(dir.clone());
    config.database = Some(url.clone());
    let st = AppState::new(Db::connect(&url, 4).await?, config, clock);
    // The probe alone first: what a write waits on this machine with no sweep running.
    {
        let stop = Arc::new(AtomicBool::new(false));
        let probe = {
            let (db, stop) = (st.db.clone(), stop.clone());
            tokio::spawn(async move { probe(db, stop).await })
        };
        tokio::time::sleep(Duration::from_secs(5)).await;
        stop.store(true, Ordering::Relaxed);
        let (n, longest, p99) = probe.await??;
        println!(
            "{{\"sweep\": \"none (5 s)\", \"probes\": {n}, \"longest_probe_wait_ms\": {:.1}, \"p99_probe_ms\": {:.1}}}",
            longest.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    for round in ["first", "second"] {
        let stop = Arc::new(AtomicBool::new(false));
        let probe = {
            let (db, stop) = (st.db.clone(), stop.clone());
            tokio::spawn(async move { probe(db, stop).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Instant::now();
        let sent = practicum::jobs::reminders::run_once(&st).await?;
        let took = started.elapsed();
        tokio::time::sleep(Duration::from_millis(50)).await;
        stop.store(true, Ordering::Relaxed);
        let (n, longest, p99) = probe.await??;
        println!(
            "{{\"sweep\": \"{round}\", \"seconds\": {:.2}, \"writes\": {}, \"longest_write_ms\": {:.1}, \
             \"probes\": {n}, \"longest_probe_wait_ms\": {:.1}, \"p99_probe_ms\": {:.1}, \
             \"sent\": \"lapses {} start {} licences {} agreements {} accreditations {} evaluations {} hours {} offboarding {} digests {}\"}}",
            took.as_secs_f64(),
            sent.writes,
            sent.longest_write.as_secs_f64() * 1e3,
            longest.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            sent.lapses,
            sent.start_notices,
            sent.licences,
            sent.agreements,
            sent.accreditations,
            sent.evaluations,
            sent.hours_reminders,
            sent.offboarding,
            sent.email_digests,
        );
    }
    st.db.close().await;
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}

/// Write transactions every 5 ms until stopped: (count, longest, p99).
async fn probe(db: Db, stop: Arc<AtomicBool>) -> anyhow::Result<(usize, Duration, Duration)> {
    let mut waits = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        // A probe that gave up (SQLite's busy timeout) counts with the time it waited.
        let _ = write_once(&db).await;
        waits.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    waits.sort();
    let longest = waits.last().copied().unwrap_or_default();
    let p99 = waits
        .get((waits.len() * 99 / 100).min(waits.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default();
    Ok((waits.len(), longest, p99))
}

async fn write_once(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.write().await?;
    practicum::db::notices::record(&mut tx, "bench-probe", chrono::Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}
