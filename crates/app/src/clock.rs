use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, Mutex, RwLock};

/// Time comes from here, never from `Utc::now()` directly, so tests can fix "today". The clock
/// also knows the office's time zone (the `time_zone` setting, `GET/PATCH /api/v1/settings`):
/// "today" everywhere (eligibility, starting soon, reminders, activation) is the date there,
/// not UTC's (API.md "Conventions"). Clones share one source and one zone, so a change of the
/// setting reaches every holder of the clock in this process at once.
#[derive(Clone)]
pub struct Clock {
    source: Source,
    zone: Arc<RwLock<Tz>>,
}

/// Where the instant comes from.
#[derive(Clone)]
enum Source {
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
    fn with(source: Source) -> Self {
        Clock {
            source,
            zone: Arc::new(RwLock::new(Tz::UTC)),
        }
    }

    /// The system's clock, in UTC until [`Clock::set_time_zone`] says otherwise.
    pub fn system() -> Self {
        Self::with(Source::System)
    }

    /// A clock that stands still at `at` until [`Clock::advance`] moves it (tests).
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self::with(Source::Fixed(Arc::new(Mutex::new(at))))
    }

    /// The current instant (UTC).
    pub fn now(&self) -> DateTime<Utc> {
        match &self.source {
            Source::System => Utc::now(),
            Source::Fixed(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
            Source::Shifted(by) => Utc::now() + *by,
        }
    }

    /// The server's clock: the system's, or, in a debug build with [`TEST_CLOCK_VAR`] set, one
    /// that starts at that instant. Errors: the variable is not RFC 3339, or it is set for a
    /// release build (a production server must never run on a chosen date).
    pub fn for_server(setting: Option<&str>) -> Result<Clock, String> {
        let Some(at) = setting else {
            return Ok(Clock::system());
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
        Ok(Self::with(Source::Shifted(
            start.with_timezone(&Utc) - Utc::now(),
        )))
    }

    /// The office's time zone (UTC until set from the settings at start-up).
    pub fn time_zone(&self) -> Tz {
        *self.zone.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the office's time zone for every clone of this clock.
    pub fn set_time_zone(&self, zone: Tz) {
        *self.zone.write().unwrap_or_else(|p| p.into_inner()) = zone;
    }

    /// Today's date in the office's time zone.
    pub fn today(&self) -> NaiveDate {
        self.date_of(self.now())
    }

    /// An instant as the office's wall clock reads it (format with `%Z` for the zone's name).
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.time_zone())
    }

    /// The office's date at an instant: what a page shows as the day something happened.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date_naive()
    }

    /// Moves a fixed clock; a system or shifted clock ignores it.
    pub fn advance(&self, by: chrono::Duration) {
        if let Source::Fixed(t) = &self.source {
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
        assert!(matches!(
            Clock::for_server(None).map(|c| c.source),
            Ok(Source::System)
        ));
        let err = Clock::for_tests("20 March").err().expect("refused");
        assert!(err.contains(TEST_CLOCK_VAR), "{err}");
    }

    #[test]
    fn only_a_debug_build_starts_on_a_chosen_date() {
        let chosen = Clock::for_server(Some("2027-03-20T09:00:00Z"));
        if cfg!(debug_assertions) {
            assert!(matches!(chosen.map(|c| c.source), Ok(Source::Shifted(_))));
        } else {
            assert!(chosen.err().expect("refused").contains("release build"));
        }
    }

    /// 03:00 UTC on 1 March is still 28 February in Los Angeles (UTC-8) and already 1 March
    /// in Tokyo; every clone sees a change of zone.
    #[test]
    fn today_is_the_office_date() {
        let at = DateTime::parse_from_rfc3339("2027-03-01T03:00:00Z").expect("valid");
        let clock = Clock::fixed(at.with_timezone(&Utc));
        let other = clock.clone();
        assert_eq!(clock.today().to_string(), "2027-03-01");
        clock.set_time_zone(chrono_tz::America::Los_Angeles);
        assert_eq!(other.today().to_string(), "2027-02-28");
        assert_eq!(other.time_zone(), chrono_tz::America::Los_Angeles);
        other.set_time_zone(chrono_tz::Asia::Tokyo);
        assert_eq!(clock.today().to_string(), "2027-03-01");
        assert_eq!(
            clock
                .date_of(at.with_timezone(&Utc) + chrono::Duration::hours(15))
                .to_string(),
            "2027-03-02"
        );
    }
}
