//! DOMAIN.md rule 6: a department, and a preceptor, takes only so many students at once.
use super::period::Period;
use chrono::NaiveDate;

/// The first day of `new` on which `held` periods plus the new one exceed `capacity`.
pub fn first_full_day(capacity: i64, held: &[Period], new: Period) -> Option<NaiveDate> {
    // Sweep over the days where the count can change: starts, and the days after ends.
    let mut events: Vec<(NaiveDate, i64)> = Vec::new();
    for p in held.iter().filter(|p| p.overlaps(&new)) {
        events.push((p.starts_on.max(new.starts_on), 1));
        if let Some(after) = p.ends_on.succ_opt() {
            events.push((after, -1));
        }
    }
    events.sort();
    let mut load = 1; // the new placement itself
    if load > capacity {
        return Some(new.starts_on);
    }
    let mut i = 0;
    while i < events.len() {
        let day = events[i].0;
        while i < events.len() && events[i].0 == day {
            load += events[i].1;
            i += 1;
        }
        if day > new.ends_on {
            break;
        }
        if load > capacity {
            return Some(day.max(new.starts_on));
        }
    }
    None
}

/// The most `held` periods on any one day of `period` (0 when none overlaps).
pub fn peak_load(held: &[Period], period: Period) -> i64 {
    let mut events: Vec<(NaiveDate, i64)> = Vec::new();
    for p in held.iter().filter(|p| p.overlaps(&period)) {
        events.push((p.starts_on.max(period.starts_on), 1));
        if let Some(after) = p.ends_on.succ_opt() {
            events.push((after, -1));
        }
    }
    // Ends (-1) sort before starts (+1) on the same day.
    events.sort();
    let (mut load, mut peak) = (0, 0);
    for (_, delta) in events {
        load += delta;
        peak = peak.max(load);
    }
    peak
}

/// Seats still free on every day of `period` (never below 0).
pub fn free_over(capacity: i64, held: &[Period], period: Period) -> i64 {
    (capacity - peak_load(held, period)).max(0)
}

/// Students at once on each day from `from` for `days` days.
pub fn daily_load(held: &[Period], from: NaiveDate, days: i64) -> Vec<i64> {
    (0..days)
        .map(|i| {
            let day = from + chrono::Duration::days(i);
            held.iter().filter(|p| p.contains(day)).count() as i64
        })
        .collect()
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
    fn free_seats_over_a_period_count_its_busiest_day() {
        let held = [p("2027-02-01", "2027-02-28"), p("2027-02-15", "2027-03-15")];
        let whole = p("2027-02-01", "2027-03-31");
        assert_eq!(peak_load(&held, whole), 2);
        assert_eq!(free_over(3, &held, whole), 1);
        assert_eq!(free_over(2, &held, whole), 0);
        assert_eq!(free_over(1, &held, whole), 0);
        // One ends the day before the other starts: never two at once.
        let apart = [p("2027-02-01", "2027-02-14"), p("2027-02-15", "2027-03-15")];
        assert_eq!(peak_load(&apart, whole), 1);
        assert_eq!(free_over(2, &held, p("2027-04-01", "2027-04-30")), 2);
    }

    #[test]
    fn room_until_full() {
        let held = [p("2027-02-01", "2027-02-28"), p("2027-02-15", "2027-03-15")];
        assert_eq!(
            first_full_day(3, &held, p("2027-02-01", "2027-03-31")),
            None
        );
        assert_eq!(
            first_full_day(2, &held, p("2027-02-01", "2027-03-31")),
            Some(d("2027-02-15"))
        );
        assert_eq!(
            first_full_day(2, &held, p("2027-03-01", "2027-03-31")),
            None
        );
        assert_eq!(
            first_full_day(0, &[], p("2027-03-01", "2027-03-31")),
            Some(d("2027-03-01"))
        );
    }

    #[test]
    fn a_period_ending_the_day_before_frees_the_seat() {
        let held = [p("2027-02-01", "2027-02-28")];
        assert_eq!(
            first_full_day(1, &held, p("2027-03-01", "2027-03-31")),
            None
        );
        assert_eq!(
            first_full_day(1, &held, p("2027-02-28", "2027-03-31")),
            Some(d("2027-02-28"))
        );
    }

    proptest! {
        #[test]
        fn sweep_matches_counting_each_day(cap in 0i64..4, held in prop::collection::vec((0i64..60, 0i64..30), 0..6), s in 0i64..60, l in 0i64..30) {
            let base = d("2027-01-01");
            let mk = |a: i64, len: i64| Period::new(base + chrono::Duration::days(a), base + chrono::Duration::days(a + len)).unwrap();
            let held: Vec<Period> = held.iter().map(|(a, len)| mk(*a, *len)).collect();
            let new = mk(s, l);
            let load = daily_load(&held, new.starts_on, new.days());
            let naive = load.iter().position(|n| n + 1 > cap).map(|i| new.starts_on + chrono::Duration::days(i as i64));
            prop_assert_eq!(first_full_day(cap, &held, new), naive);
            prop_assert_eq!(peak_load(&held, new), load.iter().copied().max().unwrap_or(0));
        }
    }

    /// Each placement held adds one to the load (mutation testing: not a product).
    #[test]
    fn one_held_placement_fills_a_capacity_of_one() {
        assert_eq!(
            first_full_day(
                1,
                &[p("2027-02-01", "2027-02-28")],
                p("2027-02-01", "2027-03-31")
            ),
            Some(d("2027-02-01"))
        );
        assert_eq!(
            first_full_day(
                2,
                &[p("2027-02-01", "2027-02-10"), p("2027-02-05", "2027-02-20")],
                p("2027-02-01", "2027-03-31")
            ),
            Some(d("2027-02-05"))
        );
    }
}
