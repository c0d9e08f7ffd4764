//! argon2id password hashes (PHC strings), the gate that bounds how many run at once, and the
//! rules a new password must meet.
//!
//! Each argon2id hash (the crate's defaults: m = 19 MiB, t = 2, p = 1, OWASP's minimum) holds
//! 19 MiB while it runs, so the number running at once is what bounds the server's memory under
//! a burst of sign-ins (issue 13 point 9): [`HashGate`] lets at most one per core run, on the
//! blocking pool, and turns away a caller that cannot start within a few seconds with 503
//! `server_busy` and `Retry-After`.
use crate::domain::ErrorCode;
use crate::error::{AppError, AppResult};
use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use std::{sync::Arc, time::Duration};
use tokio::sync::Semaphore;

/// Bounds the password hashes running at once (a semaphore, one permit per hash) and runs them
/// on its own `concurrent` threads, held in `AppState` (no globals). Cloning shares both.
///
/// Why its own threads and not tokio's blocking pool: the allocator keeps each thread's freed
/// 19 MiB for reuse, and the blocking pool hands hashes to ever new threads under a burst, so
/// the memory kept grew with the burst (a 200-attempt burst left 370 MiB resident with two
/// hashes at a time). With a fixed set of threads what is kept is bounded by their number
/// (bench/results/signin-load.md).
#[derive(Clone)]
pub struct HashGate {
    permits: Arc<Semaphore>,
    /// How long a caller waits for a permit before it is answered 503.
    wait: Duration,
    /// The hashing threads' queue; they end when the last clone of the gate is dropped.
    jobs: std::sync::mpsc::SyncSender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

impl std::fmt::Debug for HashGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashGate")
            .field("free", &self.permits.available_permits())
            .field("wait", &self.wait)
            .finish()
    }
}

impl HashGate {
    /// `concurrent` hashes at most (at least 1), on as many threads, callers waiting up to
    /// `wait` for one.
    pub fn new(concurrent: usize, wait: Duration) -> Self {
        let concurrent = concurrent.max(1);
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(concurrent);
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..concurrent {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking the next job.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "a password hashing thread could not start");
            }
        }
        HashGate {
            permits: Arc::new(Semaphore::new(concurrent)),
            wait,
            jobs,
        }
    }

    /// Runs `work` on a hashing thread once a permit is free. The permit goes with the work,
    /// so a caller that gives up (a closed connection) does not free it before the hash ends.
    /// Errors: [`AppError::Busy`] when no permit came within the wait.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy {
                retry_after_secs: self.wait.as_secs().clamp(1, 60),
            })?
            .map_err(|e| anyhow::anyhow!("the hashing gate closed: {e}"))?;
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let out = work();
            drop(permit);
            let _ = answer.send(out);
        });
        // Never full: a job is queued only with a permit, and there are as many places as
        // permits.
        self.jobs
            .try_send(job)
            .map_err(|e| anyhow::anyhow!("the hashing threads are gone: {e}"))?;
        Ok(answered
            .await
            .map_err(|e| anyhow::anyhow!("a password hash failed to run: {e}"))?)
    }

    /// The PHC string of a fresh argon2id hash of `password` (random salt).
    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.run(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
        })
        .await?
        .map_err(AppError::from)
    }

    /// Verifies against `stored`, or against a fixed dummy hash when there is no user, so an
    /// unknown email costs the same time as a wrong password. `Ok(false)` for no user.
    pub async fn verify(&self, password: String, stored: Option<String>) -> AppResult<bool> {
        const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Yh0Nl3Q2aWvcQ7QfQ0x5eQv3cQm7m1C4xHc7s4eH7k";
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.to_string());
        let ok = self
            .run(move || {
                PasswordHash::new(&stored).is_ok_and(|h| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &h)
                        .is_ok()
                })
            })
            .await?;
        Ok(ok && known)
    }
}

/// The 30,000 most common passwords of the "10 million passwords" breach compilation (the
/// `passwords` list zxcvbn ships, MIT licence), lower case, sorted, one a line.
const COMMON: &str = include_str!("common_passwords.txt");

/// Whether `password` is a common or breached one (NIST SP 800-63B §5.1.1.2: compare new
/// passwords against breach corpuses, dictionary words and repetitive strings): the password
/// itself, ignoring case, or what is left once digits and symbols at its ends are taken off
/// ("Password2024!" is "password").
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let listed = |s: &str| COMMON.lines().any(|l| l == s);
    listed(&lower) || (core.chars().count() >= 4 && listed(core))
}

/// Words of this place that anyone guessing here tries first (OWASP ASVS 5.0 V6.1.2, V6.2.11:
/// the product's, the trade's and the roles' names), refused as a whole password, with or
/// without digits and symbols at its ends ("Practicum2026!", "hospital#1"). The list is also
/// in README.md ("Passwords").
pub const CONTEXT_WORDS: [&str; 16] = [
    "practicum",
    "placement",
    "placements",
    "clinical",
    "clinicals",
    "internship",
    "preceptor",
    "hospital",
    "student",
    "students",
    "coordinator",
    "faculty",
    "admin",
    "administrator",
    "education",
    "onboarding",
];

fn is_context_word(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    CONTEXT_WORDS.contains(&core)
}

/// Whether the password is one short run repeated ("aaaaaaaaaa", "abcabcabcabc").
fn is_repetitive(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    (1..=3).any(|unit| {
        chars.len() > unit
            && chars.len().is_multiple_of(unit)
            && chars.chunks(unit).all(|c| c == &chars[..unit])
    })
}

/// A new password: at least 10 characters and at most 1,000 bytes, not one short run repeated
/// (`weak_password`), and not a common or breached password (`password_breached`). NIST SP
/// 800-63B favours length and a blocklist over composition rules. Errors: the code and words
/// for the person.
pub fn check_strength(password: &str) -> Result<(), (ErrorCode, &'static str)> {
    if password.chars().count() < 10 {
        Err((ErrorCode::WeakPassword, "must be at least 10 characters"))
    } else if password.len() > 1000 {
        Err((ErrorCode::WeakPassword, "is too long"))
    } else if is_repetitive(password) {
        Err((
            ErrorCode::WeakPassword,
            "repeats the same few characters; choose a longer phrase of unrelated words",
        ))
    } else if is_context_word(password) {
        Err((
            ErrorCode::PasswordBreached,
            "is a word of this hospital's placements (like \"practicum\" or \"preceptor\") \
             with a few digits or symbols, so it is guessed first; choose a few unrelated words",
        ))
    } else if is_common(password) {
        Err((
            ErrorCode::PasswordBreached,
            "is one of the passwords most often used or found in data breaches, so it is \
             guessed first; choose another, for example a few unrelated words",
        ))
    } else {
        Ok(())
    }
}

/// A session or invitation token as stored: only its SHA-256, so a copy of the database
/// signs no one in.
pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh secret token: 32 random bytes, URL-safe. Errors (`internal_error`, its cause
/// logged) when the operating system's random source fails: a request then fails, not the
/// process.
pub fn random_token() -> crate::error::AppResult<String> {
    use anyhow::Context;
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the operating system's random source failed")?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_breached_passwords_are_refused() {
        for pw in [
            "password123",
            "qwertyuiop",
            "1234567890",
            "Password2024!",
            "!!Monkey123456",
            "ILOVEYOU12345",
        ] {
            assert_eq!(
                check_strength(pw).map_err(|e| e.0),
                Err(ErrorCode::PasswordBreached),
                "{pw}"
            );
        }
        for pw in [
            "Practicum2026!",
            "hospital#1234",
            "PRECEPTOR-2027",
            "1Onboarding1",
        ] {
            assert_eq!(
                check_strength(pw).map_err(|e| e.0),
                Err(ErrorCode::PasswordBreached),
                "{pw}"
            );
        }
        for pw in ["aaaaaaaaaaaa", "abcabcabcabc", "xyxyxyxyxyxy"] {
            assert_eq!(
                check_strength(pw).map_err(|e| e.0),
                Err(ErrorCode::WeakPassword),
                "{pw}"
            );
        }
        for pw in [
            "practicum-demo",
            "a-long-enough-password",
            "correct staple orbit lantern",
            "Tr0ub4dor&3-horse",
        ] {
            assert_eq!(check_strength(pw), Ok(()), "{pw}");
        }
        assert_eq!(
            check_strength("short").map_err(|e| e.0),
            Err(ErrorCode::WeakPassword)
        );
    }

    #[test]
    fn the_list_is_sorted_lower_case_and_complete() {
        let lines: Vec<&str> = COMMON.lines().collect();
        assert_eq!(lines.len(), 30_000);
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
        assert!(lines.iter().all(|l| l.to_lowercase() == *l));
    }

    #[tokio::test]
    async fn the_gate_turns_away_a_caller_that_cannot_start_in_time() {
        let gate = HashGate::new(1, Duration::from_millis(50));
        let held = gate.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(
            gate.hash("x".repeat(12)).await,
            Err(AppError::Busy {
                retry_after_secs: 1
            })
        ));
        drop(held);
        let h = gate.hash("a-long-enough-password".into()).await.unwrap();
        assert!(
            gate.verify("a-long-enough-password".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!gate.verify("another".into(), Some(h)).await.unwrap());
        assert!(!gate.verify("another".into(), None).await.unwrap());
    }
}
