//! Sign-in throttling as leaky buckets, and how a session's device is described. Pure: the
//! store keeps the buckets, `service::sign_in` applies these rules.
//!
//! Sources: NIST SP 800-63B §5.2.2 (rate limiting: no more than 100 consecutive failures per
//! account, prefer delays that grow over hard lock-outs), OWASP ASVS 5.0 V6.3.1 (brute force
//! and credential stuffing controls that do not let an attacker lock out real users).
use chrono::{DateTime, Duration, Utc};

/// How a key is throttled: `max_failures` failures are free, then each further failure makes
/// the key wait `base_delay`, doubling (capped at [`MAX_DELAY`]). One failure leaks away per
/// `decay` (a leaky bucket), so an old mistake stops counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_failures: i64,
    pub base_delay: Duration,
    pub decay: Duration,
}

/// The longest wait one failure can impose.
pub const MAX_DELAY: Duration = Duration::minutes(15);

/// One key's bucket: `failures` as of `updated_at`, and the instant it may try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    pub failures: i64,
    pub updated_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl Bucket {
    /// An empty bucket at `now`.
    pub fn empty(now: DateTime<Utc>) -> Self {
        Bucket {
            failures: 0,
            updated_at: now,
            locked_until: None,
        }
    }

    /// The bucket as it stands at `now`: one failure leaked per whole `decay` since
    /// `updated_at` (the remainder carries over, so leaking never loses or gains time).
    pub fn at(self, now: DateTime<Utc>, decay: Duration) -> Self {
        let elapsed = now - self.updated_at;
        if decay <= Duration::zero() || elapsed <= Duration::zero() || self.failures == 0 {
            return Bucket {
                updated_at: if self.failures == 0 {
                    now
                } else {
                    self.updated_at
                },
                ..self
            };
        }
        let steps = elapsed.num_milliseconds() / decay.num_milliseconds().max(1);
        if steps >= self.failures {
            return Bucket {
                failures: 0,
                updated_at: now,
                locked_until: self.locked_until,
            };
        }
        Bucket {
            failures: self.failures - steps,
            updated_at: self.updated_at + decay * steps as i32,
            locked_until: self.locked_until,
        }
    }

    /// Whole seconds, rounded up, until the key may try again; `None` when it may now.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<u64> {
        let until = self.locked_until.filter(|u| *u > now)?;
        Some(((until - now).num_milliseconds() as u64).div_ceil(1000))
    }

    /// The bucket after one more failure at `now` (decayed first): past the free failures the
    /// key waits `base_delay · 2^(failures − max_failures)`, at most [`MAX_DELAY`].
    pub fn fail(self, now: DateTime<Utc>, limits: &Limits) -> Self {
        let b = self.at(now, limits.decay);
        let failures = b.failures + 1;
        let over = failures - limits.max_failures;
        let locked_until = if over >= 0 {
            let base = limits.base_delay.num_milliseconds().max(0);
            let ms = base
                .saturating_mul(1i64 << over.min(20))
                .min(MAX_DELAY.num_milliseconds());
            Some(now + Duration::milliseconds(ms))
        } else {
            b.locked_until
        };
        Bucket {
            failures,
            updated_at: b.updated_at,
            locked_until,
        }
    }

    /// Whether the bucket holds nothing any more at `now`: no failure left, no wait pending.
    pub fn is_spent(&self, now: DateTime<Utc>, decay: Duration) -> bool {
        self.at(now, decay).failures == 0 && self.wait(now).is_none()
    }
}

/// "Firefox on Windows", "Safari on iPhone", "curl", or "Unknown device": what a person
/// recognises in their list of sessions, from a `User-Agent` header (at most 512 bytes read).
pub fn describe_device(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent.map(|u| &u[..floor_char_boundary(u, 512)]) else {
        return "Unknown device".into();
    };
    let has = |s: &str| ua.contains(s);
    let browser = if has("Edg/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("Firefox/") {
        Some("Firefox")
    } else if has("Chrome/") || has("Chromium/") || has("CriOS/") {
        Some("Chrome")
    } else if has("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if has("iPhone") {
        Some("iPhone")
    } else if has("iPad") {
        Some("iPad")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("Mac OS X") || has("Macintosh") {
        Some("macOS")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) => {
            // A script or tool: its product token ("curl/8.5.0" -> "curl"), if printable.
            let product = ua.split(['/', ' ']).next().unwrap_or_default();
            if !product.is_empty()
                && product.len() <= 40
                && product
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            {
                product.to_string()
            } else {
                "Unknown device".into()
            }
        }
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    if s.len() <= max {
        return s.len();
    }
    (0..=max)
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0).single().unwrap()
    }

    fn limits() -> Limits {
        Limits {
            max_failures: 3,
            base_delay: Duration::seconds(30),
            decay: Duration::minutes(10),
        }
    }

    #[test]
    fn failures_past_the_free_ones_wait_doubling() {
        let mut b = Bucket::empty(t0());
        for _ in 0..2 {
            b = b.fail(t0(), &limits());
            assert_eq!(b.wait(t0()), None);
        }
        b = b.fail(t0(), &limits());
        assert_eq!(b.wait(t0()), Some(30));
        b = b.fail(t0(), &limits());
        assert_eq!(b.wait(t0()), Some(60));
        for _ in 0..30 {
            b = b.fail(t0(), &limits());
        }
        assert_eq!(b.wait(t0()), Some(15 * 60), "capped");
    }

    #[test]
    fn failures_leak_away_one_per_decay() {
        let mut b = Bucket::empty(t0());
        for _ in 0..3 {
            b = b.fail(t0(), &limits());
        }
        let later = t0() + Duration::minutes(25);
        let d = b.at(later, limits().decay);
        assert_eq!(d.failures, 1);
        // The 5 minutes past the second leak still count towards the next one.
        assert_eq!(d.updated_at, t0() + Duration::minutes(20));
        assert_eq!(
            d.at(t0() + Duration::minutes(30), limits().decay).failures,
            0
        );
        assert!(b.is_spent(t0() + Duration::minutes(30), limits().decay));
        assert!(!b.is_spent(later, limits().decay));
        // After decay, one failure is free again.
        assert_eq!(d.fail(later, &limits()).wait(later), None);
    }

    #[test]
    fn devices_are_described_in_words() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Firefox on Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
                "Edge on macOS",
            ),
            ("curl/8.5.0", "curl"),
            ("<script>", "Unknown device"),
        ];
        for (ua, words) in cases {
            assert_eq!(describe_device(Some(ua)), words, "{ua}");
        }
        assert_eq!(describe_device(None), "Unknown device");
        assert_eq!(describe_device(Some(&"é".repeat(600))), "Unknown device");
    }
}
