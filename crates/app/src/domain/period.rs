//! A period of days, inclusive on both ends.
use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Period {
    /// `None` when it ends before it starts.
    pub fn new(starts_on: NaiveDate, ends_on: NaiveDate) -> Option<Period> {
        (ends_on >= starts_on).then_some(Period { starts_on, ends_on })
    }

    pub fn days(&self) -> i64 {
        (self.ends_on - self.starts_on).num_days() + 1
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        self.starts_on <= other.ends_on && other.starts_on <= self.ends_on
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.starts_on <= d && d <= self.ends_on
    }
}

/// A day as people write it: "Mon 1 Feb 2027". Pages and messages use it; exports keep ISO.
pub fn human_date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

impl Period {
    /// "Mon 1 Mar 2027 to Fri 26 Mar 2027".
    pub fn human(&self) -> String {
        format!(
            "{} to {}",
            human_date(self.starts_on),
            human_date(self.ends_on)
        )
    }
}

/// The first day of `period` not covered by the union of `covers`, if any.
pub fn first_uncovered(period: Period, covers: &[Period]) -> Option<NaiveDate> {
    let mut sorted: Vec<&Period> = covers.iter().filter(|c| c.overlaps(&period)).collect();
    sorted.sort_by_key(|c| c.starts_on);
    let mut next = period.starts_on;
    for c in sorted {
        if c.starts_on > next {
            return Some(next);
        }
        if c.ends_on >= next {
            match c.ends_on.succ_opt() {
                Some(d) => next = d,
                None => return None,
            }
        }
        if next > period.ends_on {
            return None;
        }
    }
    (next <= period.ends_on).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn p(a: &str, b: &str) -> Period {
        Period::new(d(a), d(b)).unwrap()
    }

    #[test]
    fn refuses_backwards() {
        assert!(Period::new(d("2027-02-01"), d("2027-01-31")).is_none());
        assert_eq!(p("2027-01-01", "2027-01-01").days(), 1);
    }

    #[test]
    fn coverage_day_by_day() {
        let period = p("2027-01-01", "2027-03-31");
        assert_eq!(
            first_uncovered(period, &[p("2026-01-01", "2027-12-31")]),
            None
        );
        // Lapses mid-period.
        assert_eq!(
            first_uncovered(period, &[p("2026-01-01", "2027-02-14")]),
            Some(d("2027-02-15"))
        );
        // Two back-to-back agreements cover it together.
        assert_eq!(
            first_uncovered(
                period,
                &[p("2027-02-01", "2027-06-30"), p("2026-01-01", "2027-01-31")]
            ),
            None
        );
        // A one-day gap.
        assert_eq!(
            first_uncovered(
                period,
                &[p("2026-01-01", "2027-01-30"), p("2027-02-01", "2027-06-30")]
            ),
            Some(d("2027-01-31"))
        );
        // Starts late.
        assert_eq!(
            first_uncovered(period, &[p("2027-01-05", "2027-06-30")]),
            Some(d("2027-01-01"))
        );
        assert_eq!(first_uncovered(period, &[]), Some(d("2027-01-01")));
    }

    proptest! {
        /// The sweep agrees with checking every day.
        #[test]
        fn sweep_matches_day_by_day(start in 0i64..60, len in 0i64..60, covers in prop::collection::vec((0i64..120, 0i64..40), 0..5)) {
            let base = d("2027-01-01");
            let period = Period::new(base + chrono::Duration::days(start), base + chrono::Duration::days(start + len)).unwrap();
            let covers: Vec<Period> = covers.iter().map(|(s, l)| Period::new(base + chrono::Duration::days(*s), base + chrono::Duration::days(s + l)).unwrap()).collect();
            let naive = period.starts_on.iter_days().take(period.days() as usize).find(|day| !covers.iter().any(|c| c.contains(*day)));
            prop_assert_eq!(first_uncovered(period, &covers), naive);
        }
    }

    /// Periods sharing one day overlap; periods a day apart do not, in either order.
    #[test]
    fn overlap_at_the_edges() {
        let feb = Period::new(d("2027-02-01"), d("2027-02-28")).unwrap();
        let march = Period::new(d("2027-03-01"), d("2027-03-31")).unwrap();
        let last_of_feb = Period::new(d("2027-02-28"), d("2027-03-10")).unwrap();
        assert!(!feb.overlaps(&march));
        assert!(!march.overlaps(&feb));
        assert!(feb.overlaps(&last_of_feb));
        assert!(last_of_feb.overlaps(&feb));
    }

    /// Coverage ending the day before the last leaves the last day uncovered; coverage of the
    /// last day too leaves nothing (mutation testing).
    #[test]
    fn the_last_day_alone_can_be_uncovered() {
        let feb = Period::new(d("2027-02-01"), d("2027-02-28")).unwrap();
        let to_27 = Period::new(d("2027-01-01"), d("2027-02-27")).unwrap();
        assert_eq!(first_uncovered(feb, &[to_27]), Some(d("2027-02-28")));
        let to_28 = Period::new(d("2027-01-01"), d("2027-02-28")).unwrap();
        assert_eq!(first_uncovered(feb, &[to_28]), None);
    }
}
