//! Large imports run in the background with their progress shown live (issue 14 point 1:
//! "progress shown for a large file"). A run's progress lives in the memory of the server
//! that runs it: the import itself is one transaction, which on SQLite holds the only write
//! lock until it commits, so no progress row could be written beside it. Its outcome is the
//! import's (committed or not); a server that stops mid-run loses the run and writes nothing.
//! Behind a load balancer, the progress page needs the same server (sticky sessions) — the
//! import is committed either way and the list shows it.
use super::{ImportKind, ImportReport};
use crate::domain::Problems;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How far an import is, in steps: each row is checked (one step) and written (one step).
#[derive(Clone, Debug, Default)]
pub struct Progress(Option<Arc<Counter>>);

#[derive(Debug, Default)]
pub struct Counter {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Nobody watches (the API and the command line).
    pub fn none() -> Progress {
        Progress(None)
    }

    fn watched() -> Progress {
        Progress(Some(Arc::new(Counter::default())))
    }

    /// A file of `rows` rows: `2 × rows` steps.
    pub fn start(&self, rows: usize) {
        if let Some(c) = &self.0 {
            c.total.store(rows * 2, Ordering::Relaxed);
            c.done.store(0, Ordering::Relaxed);
        }
    }

    pub fn advance(&self, steps: usize) {
        if let Some(c) = &self.0 {
            c.done.fetch_add(steps, Ordering::Relaxed);
        }
    }

    /// Every step done.
    pub fn finish(&self) {
        if let Some(c) = &self.0 {
            c.done
                .store(c.total.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }

    /// `(done, total)` steps.
    pub fn read(&self) -> (usize, usize) {
        self.0.as_ref().map_or((0, 0), |c| {
            let total = c.total.load(Ordering::Relaxed);
            (c.done.load(Ordering::Relaxed).min(total), total)
        })
    }
}

/// Where a run is.
#[derive(Clone, Debug)]
pub enum RunState {
    Running,
    Done(ImportReport),
    /// Refused as a whole (problems in rows and not `valid_only`): nothing written.
    Refused(Problems),
    /// Failed for a reason of the server's, logged with the run's id; nothing written.
    Failed,
}

/// A run as its owner sees it.
#[derive(Clone, Debug)]
pub struct RunView {
    pub kind: ImportKind,
    /// The previewed file's token (removed once the import is committed).
    pub token: String,
    pub done: usize,
    pub total: usize,
    pub state: RunState,
}

struct Run {
    user_id: String,
    kind: ImportKind,
    token: String,
    progress: Progress,
    state: RunState,
    finished: Option<Instant>,
}

/// The runs of this server, by id; finished runs are kept for an hour for their page.
#[derive(Clone, Default)]
pub struct ImportRuns(Arc<Mutex<HashMap<String, Run>>>);

const KEEP_FINISHED: Duration = Duration::from_secs(3600);

impl ImportRuns {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Run>> {
        // A panic while holding the lock leaves plain data behind: go on with it.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a run of `kind` for `user_id`; returns its id and the progress to count in.
    pub fn register(&self, user_id: &str, kind: ImportKind, token: &str) -> (String, Progress) {
        let id = crate::db::new_id();
        let progress = Progress::watched();
        let mut runs = self.lock();
        runs.retain(|_, r| r.finished.is_none_or(|t| t.elapsed() < KEEP_FINISHED));
        runs.insert(
            id.clone(),
            Run {
                user_id: user_id.to_string(),
                kind,
                token: token.to_string(),
                progress: progress.clone(),
                state: RunState::Running,
                finished: None,
            },
        );
        (id, progress)
    }

    /// Records how run `id` ended.
    pub fn finish(&self, id: &str, state: RunState) {
        if let Some(r) = self.lock().get_mut(id) {
            r.state = state;
            r.finished = Some(Instant::now());
        }
    }

    /// The run `id` if `user_id` started it (anyone else: `None`, a 404).
    pub fn view(&self, id: &str, user_id: &str) -> Option<RunView> {
        let runs = self.lock();
        let r = runs.get(id).filter(|r| r.user_id == user_id)?;
        let (done, total) = r.progress.read();
        Some(RunView {
            kind: r.kind,
            token: r.token.clone(),
            done,
            total,
            state: r.state.clone(),
        })
    }
}
