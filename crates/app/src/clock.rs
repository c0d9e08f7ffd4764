use chrono::{DateTime, NaiveDate, Utc};
use std::sync::{Arc, Mutex};

/// Time comes from here, never from `Utc::now()` directly, so tests can fix "today".
#[derive(Clone)]
pub enum Clock {
    System,
    Fixed(Arc<Mutex<DateTime<Utc>>>),
    /// The system clock moved by a constant: starts at a chosen instant and then runs, so a
    /// browser test's server lives on a chosen day while its timers, sessions and throttles
    /// keep their real pace. Only a debug build can be started with it ([`Clock::for_tests`]).
    Shifted(chrono::Duration),
}

/// The environment variable a debug build reads to start its clock at an RFC 3339 instant
/// (`2027-03-20T09:00:00Z`); a release build refuses to start when it is set.
pub const TEST_CLOCK_VAR: &str = "PRACTICUM_TEST_CLOCK";

impl Clock {
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock::Fixed(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
            Clock::Shifted(by) => Utc::now() + *by,
        }
    }

    /// The server's clock: the system's, or, in a debug build with [`TEST_CLOCK_VAR`] set, one
    /// that starts at that instant. Errors: the variable is not RFC 3339, or it is set for a
    /// release build (a production server must never run on a chosen date).
    pub fn for_server(setting: Option<&str>) -> Result<Clock, String> {
        let Some(at) = setting else {
            return Ok(Clock::System);
        };
        if !cfg!(debug_assertions) {
            return Err(format!(
                "{TEST_CLOCK_VAR} is for tests: a release build runs on the system clock"
            ));
        }
        Self::for_tests(at)
    }

    /// A clock that starts at `at` (RFC 3339) and then runs.
    pub fn for_tests(at: &str) -> Result<Clock, String> {
        let start = DateTime::parse_from_rfc3339(at)
            .map_err(|e| format!("{TEST_CLOCK_VAR}={at} is not an RFC 3339 instant: {e}"))?;
        Ok(Clock::Shifted(start.with_timezone(&Utc) - Utc::now()))
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Moves a fixed clock; a system or shifted clock ignores it.
    pub fn advance(&self, by: chrono::Duration) {
        if let Clock::Fixed(t) = self {
            let mut t = t.lock().unwrap_or_else(|p| p.into_inner());
            *t += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_starts_at_its_instant_and_runs() {
        let clock = Clock::for_tests("2027-03-20T09:00:00Z").expect("an instant");
        let start = DateTime::parse_from_rfc3339("2027-03-20T09:00:00Z").expect("valid");
        let drift = (clock.now() - start.with_timezone(&Utc)).num_seconds();
        assert!((0..5).contains(&drift), "{drift} s from the chosen start");
        assert_eq!(clock.today().to_string(), "2027-03-20");
    }

    #[test]
    fn no_setting_is_the_system_clock_and_a_bad_one_is_refused() {
        assert!(matches!(Clock::for_server(None), Ok(Clock::System)));
        let err = Clock::for_tests("20 March").err().expect("refused");
        assert!(err.contains(TEST_CLOCK_VAR), "{err}");
    }

    #[test]
    fn only_a_debug_build_starts_on_a_chosen_date() {
        let chosen = Clock::for_server(Some("2027-03-20T09:00:00Z"));
        if cfg!(debug_assertions) {
            assert!(matches!(chosen, Ok(Clock::Shifted(_))));
        } else {
            assert!(chosen.err().expect("refused").contains("release build"));
        }
    }
}
