//! The mail queue: `enqueue` inside the change's transaction; the worker claims due rows and
//! delivers them through the `Mailer` (SMTP, or the outbox). A failed send is tried again
//! after a wait that doubles each time (capped at a day); mail is never dropped.
use crate::{
    clock::Clock,
    db::{self, Db, DbResult, Tx},
    mail::Mailer,
};
use chrono::{DateTime, Utc};
use std::time::Duration;
use tokio::sync::watch;

/// How many rows one pass claims.
const BATCH: i64 = 20;
/// How long a claimed row stays out of other workers' reach while it is being sent.
const LEASE: chrono::Duration = chrono::Duration::minutes(10);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(24 * 60 * 60);

/// Adds a message to the queue, in the caller's transaction: it is sent only if that commits.
pub async fn enqueue(
    tx: &mut Tx,
    to_name: &str,
    to_email: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> DbResult<String> {
    let id = db::new_id();
    db::mail_queue::insert(tx, &id, (to_name, to_email), subject, body, now).await?;
    Ok(id)
}

/// What every e-mail shares, from the office's settings read in the e-mail's own transaction:
/// the public base URL its links start with (never the Host header of the request that caused
/// it) and the organisation's name it is signed with.
#[derive(Clone, Debug)]
pub struct Letterhead {
    base_url: String,
    organisation_name: String,
}

impl Letterhead {
    pub async fn read(tx: &mut Tx) -> DbResult<Letterhead> {
        let s = db::settings::get(tx).await?;
        Ok(Letterhead {
            base_url: s.public_base_url,
            organisation_name: s.organisation_name,
        })
    }

    /// The absolute link to `path`, a path on this site that starts with `/`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The e-mail's last line: the organisation's name.
    pub fn signature(&self) -> &str {
        &self.organisation_name
    }
}

/// The wait after the `attempts`-th failed attempt: `base`, then twice that, and so on.
pub fn backoff(base: Duration, attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 32) as u32 - 1;
    base.checked_mul(2u32.saturating_pow(exp))
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

pub struct Worker {
    pub db: Db,
    pub clock: Clock,
    pub mailer: Mailer,
    pub poll: Duration,
    pub retry_base: Duration,
}

impl Worker {
    /// Runs until `stop` changes or its sender is dropped.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(self.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = stop.changed() => break,
                _ = tick.tick() => {}
            }
            if let Err(e) = self.run_once().await {
                tracing::warn!(error = %e, "mail worker pass failed");
            }
        }
    }

    /// One pass: claims what is due and tries to send each. Returns how many were sent.
    #[tracing::instrument(name = "mail_worker", skip(self))]
    pub async fn run_once(&self) -> DbResult<usize> {
        let now = self.clock.now();
        let mut tx = self.db.read().await?;
        let due = db::mail_queue::any_due(&mut tx, now).await?;
        drop(tx);
        if !due {
            return Ok(0);
        }
        // The queue is no placement's fact: a consortium's reminder mail, sent one commit at a
        // time for many minutes, leaves what the placements lists keep.
        let mut tx = self.db.write_leaving_placements().await?;
        let claimed = db::mail_queue::claim_due(&mut tx, now, now + LEASE, BATCH).await?;
        tx.commit().await?;
        let mut sent = 0;
        for m in claimed {
            let outcome = self
                .mailer
                .send(&m.to_name, &m.to_email, &m.subject, &m.body)
                .await;
            let now = self.clock.now();
            let mut tx = self.db.write_leaving_placements().await?;
            match outcome {
                Ok(()) => {
                    db::mail_queue::mark_sent(&mut tx, &m.id, now).await?;
                    sent += 1;
                }
                Err(e) => {
                    let attempts = m.attempts + 1;
                    let wait = backoff(self.retry_base, attempts);
                    tracing::warn!(mail = %m.id, attempts, error = %e, "sending mail failed; will retry in {wait:?}");
                    let next =
                        now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(1));
                    db::mail_queue::mark_failed(&mut tx, &m.id, &format!("{e:#}"), next).await?;
                }
            }
            tx.commit().await?;
        }
        Ok(sent)
    }
}

/// The running worker; dropping it (or calling `stop`) ends the task.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl WorkerHandle {
    pub fn spawn(worker: Worker) -> WorkerHandle {
        let (stop, rx) = watch::channel(false);
        let task = tokio::spawn(worker.run(rx));
        WorkerHandle { stop, task }
    }

    /// Asks the worker to stop after the send in hand, and waits for it.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_secs(60);
        assert_eq!(backoff(base, 1), Duration::from_secs(60));
        assert_eq!(backoff(base, 2), Duration::from_secs(120));
        assert_eq!(backoff(base, 4), Duration::from_secs(480));
        assert_eq!(backoff(base, 1000), MAX_BACKOFF);
        assert_eq!(backoff(base, 0), Duration::from_secs(60));
    }
}
