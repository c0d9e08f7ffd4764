//! A student is in one place at a time (API.md "One place at a time"): a placement may not
//! overlap another open placement of the same student, on any day. Pure: the caller reads the
//! student's other open placements.
use super::ErrorCode;
use super::period::Period;

/// Another open placement of the same student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub placement_id: String,
    pub period: Period,
}

/// The days two periods share, if any.
pub fn overlap(a: Period, b: Period) -> Option<Period> {
    Period::new(a.starts_on.max(b.starts_on), a.ends_on.min(b.ends_on))
}

/// Each other placement `period` overlaps, with the days they share, in the order given.
pub fn clashes(period: Period, others: &[Booking]) -> Vec<(String, Period)> {
    others
        .iter()
        .filter_map(|b| overlap(period, b.period).map(|o| (b.placement_id.clone(), o)))
        .collect()
}

/// One `student_double_booked` per clash, naming the student (`student` is their name) and
/// the shared days.
pub fn double_bookings(
    student: &str,
    period: Period,
    others: &[Booking],
) -> Vec<(ErrorCode, String)> {
    clashes(period, others)
        .into_iter()
        .map(|(other, o)| {
            let other_days = others
                .iter()
                .find(|b| b.placement_id == other)
                .map(|b| b.period.human())
                .unwrap_or_default();
            (
                ErrorCode::StudentDoubleBooked,
                format!(
                    "{student} is already placed from {} (another placement, {other_days})",
                    o.human()
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn p(a: &str, b: &str) -> Period {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        Period::new(d(a), d(b)).unwrap_or(Period {
            starts_on: d(a),
            ends_on: d(a),
        })
    }

    fn booked(id: &str, a: &str, b: &str) -> Booking {
        Booking {
            placement_id: id.into(),
            period: p(a, b),
        }
    }

    #[test]
    fn the_issue_example_overlaps_in_march() {
        let feb_mar = [booked("A", "2027-02-01", "2027-03-26")];
        let clash = clashes(p("2027-03-01", "2027-04-23"), &feb_mar);
        assert_eq!(clash, vec![("A".into(), p("2027-03-01", "2027-03-26"))]);
        let codes = double_bookings("s1", p("2027-03-01", "2027-04-23"), &feb_mar);
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].0, ErrorCode::StudentDoubleBooked);
        assert!(
            codes[0]
                .1
                .contains("s1 is already placed from Mon 1 Mar 2027 to Fri 26 Mar 2027"),
            "{}",
            codes[0].1
        );
        assert!(
            codes[0].1.contains("Mon 1 Feb 2027 to Fri 26 Mar 2027"),
            "{}",
            codes[0].1
        );
    }

    #[test]
    fn sharing_only_the_first_or_the_last_day_is_a_clash() {
        let other = [booked("A", "2027-02-01", "2027-02-28")];
        assert_eq!(
            clashes(p("2027-02-28", "2027-03-31"), &other),
            vec![("A".into(), p("2027-02-28", "2027-02-28"))]
        );
        assert_eq!(
            clashes(p("2027-01-01", "2027-02-01"), &other),
            vec![("A".into(), p("2027-02-01", "2027-02-01"))]
        );
    }

    #[test]
    fn containment_either_way_is_a_clash() {
        let other = [booked("A", "2027-02-01", "2027-05-31")];
        assert_eq!(
            clashes(p("2027-03-01", "2027-03-05"), &other),
            vec![("A".into(), p("2027-03-01", "2027-03-05"))]
        );
        let inner = [booked("B", "2027-03-01", "2027-03-05")];
        assert_eq!(
            clashes(p("2027-02-01", "2027-05-31"), &inner),
            vec![("B".into(), p("2027-03-01", "2027-03-05"))]
        );
    }

    #[test]
    fn back_to_back_is_not_a_clash_and_every_clash_is_listed() {
        let others = [
            booked("A", "2027-01-04", "2027-01-31"),
            booked("B", "2027-03-01", "2027-03-31"),
            booked("C", "2027-02-15", "2027-02-20"),
        ];
        let clash = clashes(p("2027-02-01", "2027-02-28"), &others);
        assert_eq!(clash, vec![("C".into(), p("2027-02-15", "2027-02-20"))]);
        let all = clashes(p("2027-01-31", "2027-03-01"), &others);
        assert_eq!(
            all.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["A", "B", "C"]
        );
    }
}
