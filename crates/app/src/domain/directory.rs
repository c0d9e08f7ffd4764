//! The directory's closed vocabularies and its few rules.
use chrono::NaiveDate;

/// A closed set of snake_case words with a human label each.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
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
}
