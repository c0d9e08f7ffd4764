//! The directory's closed vocabularies and its few rules.
use super::{ErrorCode, Problems};
use chrono::NaiveDate;

/// A closed set of snake_case words with a human label each.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $word),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<$name> { Self::ALL.iter().copied().find(|v| v.as_str() == s) }
            /// The allowed words, for error messages.
            pub fn words() -> String { Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ") }
        }
    };
}

word_enum!(Setting {
    Inpatient = "inpatient" / "Inpatient",
    Outpatient = "outpatient" / "Outpatient",
    Emergency = "emergency" / "Emergency",
    Surgical = "surgical" / "Surgical",
    CriticalCare = "critical_care" / "Critical care",
    Imaging = "imaging" / "Imaging",
    Laboratory = "laboratory" / "Laboratory",
    Pharmacy = "pharmacy" / "Pharmacy",
    Rehabilitation = "rehabilitation" / "Rehabilitation",
    HomeCare = "home_care" / "Home care",
    BehavioralHealth = "behavioral_health" / "Behavioral health",
    LongTermCare = "long_term_care" / "Long-term care",
    Office = "office" / "Office",
});

word_enum!(DegreeLevel {
    Certificate = "certificate" / "Certificate",
    Associate = "associate" / "Associate",
    Baccalaureate = "baccalaureate" / "Baccalaureate",
    Masters = "masters" / "Master's",
    Doctoral = "doctoral" / "Doctoral",
});

word_enum!(AgreementStatus {
    Draft = "draft" / "Draft",
    Active = "active" / "Active",
    Terminated = "terminated" / "Terminated",
});

word_enum!(EnrollmentStatus {
    Enrolled = "enrolled" / "Enrolled",
    Leave = "leave" / "On leave",
    Graduated = "graduated" / "Graduated",
    Withdrawn = "withdrawn" / "Withdrawn",
});

/// Days from `today` until an agreement expires, if it is active and expires within `window`
/// days (0 = expires today). Expired or non-active agreements are not "expiring".
pub fn expiring_in(
    status: AgreementStatus,
    expires_on: NaiveDate,
    today: NaiveDate,
    window: i64,
) -> Option<i64> {
    let days = (expires_on - today).num_days();
    (status == AgreementStatus::Active && (0..=window).contains(&days)).then_some(days)
}

/// An agreement must expire on or after the day it takes effect (either day unknown: nothing
/// to check).
pub fn check_agreement_period(
    problems: &mut Problems,
    effective_on: Option<NaiveDate>,
    expires_on: Option<NaiveDate>,
) {
    if let (Some(from), Some(to)) = (effective_on, expires_on)
        && to < from
    {
        problems.add(
            "expires_on",
            ErrorCode::InvalidPeriod,
            "the agreement must expire on or after the day it takes effect",
        );
    }
}

/// A preceptor supervises in one discipline (`discipline` is `Some(None)` when it is known to
/// be empty) and at least one student at once. `None` values could not be read: nothing to say.
pub fn check_preceptor(
    problems: &mut Problems,
    is_preceptor: Option<bool>,
    discipline: Option<Option<&str>>,
    max_students: Option<i64>,
) {
    if is_preceptor != Some(true) {
        return;
    }
    if discipline == Some(None) {
        problems.add(
            "discipline",
            ErrorCode::DisciplineRequired,
            "a preceptor supervises in one discipline: name it",
        );
    }
    if max_students == Some(0) {
        problems.add(
            "max_students",
            ErrorCode::MustBePositive,
            "a preceptor supervises at least 1 student",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn words_round_trip() {
        for s in Setting::ALL {
            assert_eq!(Setting::parse(s.as_str()), Some(*s));
        }
        assert_eq!(DegreeLevel::parse("phd"), None);
    }

    #[test]
    fn expiring_window() {
        let today = d("2027-01-01");
        assert_eq!(
            expiring_in(AgreementStatus::Active, d("2027-03-01"), today, 90),
            Some(59)
        );
        assert_eq!(
            expiring_in(AgreementStatus::Active, d("2027-01-01"), today, 90),
            Some(0)
        );
        assert_eq!(
            expiring_in(AgreementStatus::Active, d("2026-12-31"), today, 90),
            None
        );
        assert_eq!(
            expiring_in(AgreementStatus::Active, d("2027-06-01"), today, 90),
            None
        );
        assert_eq!(
            expiring_in(AgreementStatus::Draft, d("2027-03-01"), today, 90),
            None
        );
    }

    #[test]
    fn an_agreement_ends_on_or_after_it_starts() {
        let mut p = Problems::default();
        check_agreement_period(&mut p, Some(d("2027-01-01")), Some(d("2027-01-01")));
        check_agreement_period(&mut p, None, Some(d("2026-01-01")));
        assert!(p.is_empty());
        check_agreement_period(&mut p, Some(d("2027-01-01")), Some(d("2026-12-31")));
        assert_eq!(p.0[0].code, ErrorCode::InvalidPeriod);
        assert_eq!(p.0[0].field.as_deref(), Some("expires_on"));
    }

    #[test]
    fn a_preceptor_names_a_discipline_and_takes_a_student() {
        let mut p = Problems::default();
        check_preceptor(&mut p, Some(false), Some(None), Some(0));
        check_preceptor(&mut p, Some(true), Some(Some("nursing")), Some(2));
        check_preceptor(&mut p, None, Some(None), Some(0));
        check_preceptor(&mut p, Some(true), None, None);
        assert!(p.is_empty());
        check_preceptor(&mut p, Some(true), Some(None), Some(0));
        let codes: Vec<_> = p.0.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [ErrorCode::DisciplineRequired, ErrorCode::MustBePositive]
        );
    }
}
