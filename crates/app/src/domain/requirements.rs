//! Onboarding requirements as data (DOMAIN.md's table): what each is, who may satisfy it, how
//! long evidence stays valid, and which placements it applies to. Pure: the office edits the
//! rules; these functions read them.
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long evidence stays valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Validity {
    /// Once done, always valid (MMR titer).
    Once,
    Days(u32),
    Months(u32),
    Years(u32),
    /// To the expiry date on the evidence (BLS card, insurance certificate).
    UntilExpiry,
    /// To 31 March after an autumn dose; only placements touching October–March need it.
    FluSeason,
    /// Done for each placement (confidentiality agreement, orientation, badge).
    PerPlacement,
    /// Completed within N days before the placement starts (TB at some sites).
    WithinDaysBeforeStart(u32),
}

impl Validity {
    /// The last day evidence completed on `completed_on` (expiring on `expires_on`) is valid,
    /// or `None` for never lapsing. Per-placement and within-days validity are judged against
    /// the placement in `covers`.
    pub fn valid_until(
        self,
        completed_on: NaiveDate,
        expires_on: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let minus_day = |d: Option<NaiveDate>| d.and_then(|d| d.pred_opt());
        match self {
            Validity::Once | Validity::PerPlacement => None,
            Validity::Days(n) => completed_on
                .checked_add_days(chrono::Days::new(n as u64))
                .and_then(|d| d.pred_opt()),
            Validity::Months(n) => minus_day(completed_on.checked_add_months(Months::new(n))),
            Validity::Years(n) => {
                minus_day(completed_on.checked_add_months(Months::new(n.saturating_mul(12))))
            }
            // Without an expiry date the evidence cannot show it is valid: treat as lapsed.
            Validity::UntilExpiry => {
                Some(expires_on.unwrap_or(completed_on.pred_opt().unwrap_or(completed_on)))
            }
            Validity::FluSeason => {
                let y = if completed_on.month() >= 4 {
                    completed_on.year() + 1
                } else {
                    completed_on.year()
                };
                NaiveDate::from_ymd_opt(y, 3, 31)
            }
            Validity::WithinDaysBeforeStart(_) => None,
        }
    }

    pub fn needs_expiry_date(self) -> bool {
        self == Validity::UntilExpiry
    }
}

/// Which placements a requirement applies to. Empty lists mean "all"; exemptions win.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliesTo {
    /// clinical, internship, observership
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub disciplines: Vec<String>,
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub exempt_disciplines: Vec<String>,
    #[serde(default)]
    pub exempt_departments: Vec<String>,
}

/// The facts about a placement that decide which requirements apply and for how long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementFacts {
    pub id: String,
    pub kind: String,
    pub discipline: String,
    pub site_id: String,
    pub department_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

fn allows(list: &[String], value: &str) -> bool {
    list.is_empty() || list.iter().any(|x| x == value)
}

impl AppliesTo {
    pub fn applies(&self, p: &PlacementFacts) -> bool {
        allows(&self.kinds, &p.kind)
            && allows(&self.disciplines, &p.discipline)
            && allows(&self.sites, &p.site_id)
            && allows(&self.departments, &p.department_id)
            && !self.exempt_disciplines.contains(&p.discipline)
            && !self.exempt_departments.contains(&p.department_id)
    }
}

/// The last day of the placement inside a flu season (1 October – 31 March), or `None` when the
/// placement lies wholly in April–September and needs no flu shot.
pub fn last_flu_day(p: &PlacementFacts) -> Option<NaiveDate> {
    let in_season = |d: NaiveDate| !(4..=9).contains(&d.month());
    if in_season(p.ends_on) {
        return Some(p.ends_on);
    }
    let march_31 = NaiveDate::from_ymd_opt(p.ends_on.year(), 3, 31)?;
    (march_31 >= p.starts_on).then_some(march_31)
}

pub fn touches_flu_season(p: &PlacementFacts) -> bool {
    last_flu_day(p).is_some()
}

/// One requirement the catalog starts from.
pub struct CatalogEntry {
    pub code: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub satisfied_by: &'static str,
    pub validity: Validity,
    /// The placement kinds it applies to; empty = all.
    pub kinds: &'static [&'static str],
}

pub const CATEGORIES: &[&str] = &[
    "immunization",
    "test",
    "certification",
    "background",
    "training",
    "attestation",
    "provisioning",
];
/// Who may satisfy a requirement.
pub const SATISFIERS: &[&str] = &[
    "student_upload",
    "school_attestation",
    "office_action",
    "signed_in_system",
];

/// The catalog DOMAIN.md starts from: (code, name, category, satisfied by, validity, kinds).
/// Clinical students carry the whole list; non-clinical interns skip the clinical
/// immunizations and the drug screen; observers carry TB, MMR, varicella, flu and HIPAA.
pub fn catalog() -> Vec<CatalogEntry> {
    const CLINICAL: &[&str] = &["clinical"];
    const OBSERVING: &[&str] = &["clinical", "observership"];
    const PLACED: &[&str] = &["clinical", "internship"];
    const EVERYONE: &[&str] = &[];
    let entries = vec![
        (
            "mmr",
            "MMR (2 doses or positive titer)",
            "immunization",
            "student_upload",
            Validity::Once,
            OBSERVING,
        ),
        (
            "varicella",
            "Varicella (2 doses or positive titer)",
            "immunization",
            "student_upload",
            Validity::Once,
            OBSERVING,
        ),
        (
            "hepatitis_b",
            "Hepatitis B (3 doses and titer, or declination)",
            "immunization",
            "student_upload",
            Validity::Once,
            CLINICAL,
        ),
        (
            "tdap",
            "Tdap",
            "immunization",
            "student_upload",
            Validity::Years(10),
            CLINICAL,
        ),
        (
            "tuberculosis",
            "Tuberculosis screening (2-step PPD or IGRA)",
            "test",
            "student_upload",
            Validity::Years(1),
            OBSERVING,
        ),
        (
            "influenza",
            "Influenza (this season)",
            "immunization",
            "student_upload",
            Validity::FluSeason,
            OBSERVING,
        ),
        (
            "covid19",
            "COVID-19 (per site policy)",
            "immunization",
            "student_upload",
            Validity::Once,
            CLINICAL,
        ),
        (
            "background_check",
            "Criminal background check (CORI/SORI)",
            "background",
            "school_attestation",
            Validity::Years(1),
            PLACED,
        ),
        (
            "drug_screen",
            "Drug screen (10-panel)",
            "test",
            "student_upload",
            Validity::Years(1),
            CLINICAL,
        ),
        (
            "bls",
            "BLS / CPR card",
            "certification",
            "student_upload",
            Validity::UntilExpiry,
            CLINICAL,
        ),
        (
            "liability_insurance",
            "Professional liability insurance",
            "certification",
            "school_attestation",
            Validity::UntilExpiry,
            PLACED,
        ),
        (
            "hipaa_safety",
            "HIPAA and safety modules",
            "training",
            "student_upload",
            Validity::Years(1),
            EVERYONE,
        ),
        (
            "confidentiality",
            "Confidentiality agreement",
            "attestation",
            "signed_in_system",
            Validity::PerPlacement,
            PLACED,
        ),
        (
            "orientation",
            "Orientation",
            "training",
            "office_action",
            Validity::PerPlacement,
            PLACED,
        ),
        (
            "ehr_training",
            "EHR training",
            "training",
            "office_action",
            Validity::PerPlacement,
            PLACED,
        ),
        (
            "badge",
            "Badge",
            "provisioning",
            "office_action",
            Validity::PerPlacement,
            PLACED,
        ),
        (
            "network_account",
            "Network and EHR account",
            "provisioning",
            "office_action",
            Validity::PerPlacement,
            PLACED,
        ),
        (
            "parking",
            "Parking",
            "provisioning",
            "office_action",
            Validity::PerPlacement,
            PLACED,
        ),
    ];
    entries
        .into_iter()
        .map(
            |(code, name, category, satisfied_by, validity, kinds)| CatalogEntry {
                code,
                name,
                category,
                satisfied_by,
                validity,
                kinds,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn validity_periods() {
        assert_eq!(Validity::Once.valid_until(d("2020-05-01"), None), None);
        assert_eq!(
            Validity::Years(1).valid_until(d("2026-03-15"), None),
            Some(d("2027-03-14"))
        );
        assert_eq!(
            Validity::Years(10).valid_until(d("2020-02-29"), None),
            Some(d("2030-02-27"))
        );
        assert_eq!(
            Validity::Months(6).valid_until(d("2026-08-31"), None),
            Some(d("2027-02-27"))
        );
        assert_eq!(
            Validity::Days(90).valid_until(d("2027-01-01"), None),
            Some(d("2027-03-31"))
        );
        assert_eq!(
            Validity::UntilExpiry.valid_until(d("2025-06-01"), Some(d("2027-06-30"))),
            Some(d("2027-06-30"))
        );
        assert_eq!(
            Validity::UntilExpiry.valid_until(d("2025-06-01"), None),
            Some(d("2025-05-31")),
            "no expiry date: not valid"
        );
    }

    #[test]
    fn flu_season_runs_to_31_march_after_an_autumn_dose() {
        assert_eq!(
            Validity::FluSeason.valid_until(d("2026-10-05"), None),
            Some(d("2027-03-31"))
        );
        assert_eq!(
            Validity::FluSeason.valid_until(d("2027-01-20"), None),
            Some(d("2027-03-31"))
        );
        assert_eq!(
            Validity::FluSeason.valid_until(d("2027-09-20"), None),
            Some(d("2028-03-31"))
        );
    }

    fn placement(kind: &str, from: &str, to: &str) -> PlacementFacts {
        PlacementFacts {
            id: "p".into(),
            kind: kind.into(),
            discipline: "radiography".into(),
            site_id: "s1".into(),
            department_id: "d1".into(),
            starts_on: d(from),
            ends_on: d(to),
        }
    }

    #[test]
    fn applicability_by_kind_discipline_site_department_and_exemptions() {
        let p = placement("clinical", "2027-02-01", "2027-04-30");
        assert!(AppliesTo::default().applies(&p));
        assert!(
            AppliesTo {
                kinds: vec!["clinical".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            !AppliesTo {
                kinds: vec!["observership".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            !AppliesTo {
                disciplines: vec!["pharmacy".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            AppliesTo {
                sites: vec!["s1".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            !AppliesTo {
                sites: vec!["s2".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            !AppliesTo {
                departments: vec!["d2".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            !AppliesTo {
                exempt_disciplines: vec!["radiography".into()],
                ..Default::default()
            }
            .applies(&p)
        );
        assert!(
            !AppliesTo {
                exempt_departments: vec!["d1".into()],
                ..Default::default()
            }
            .applies(&p)
        );
    }

    #[test]
    fn flu_season_touch() {
        assert!(!touches_flu_season(&placement(
            "clinical",
            "2027-05-01",
            "2027-08-31"
        )));
        assert!(touches_flu_season(&placement(
            "clinical",
            "2027-08-15",
            "2027-10-02"
        )));
        assert!(touches_flu_season(&placement(
            "clinical",
            "2027-02-01",
            "2027-04-30"
        )));
        assert!(!touches_flu_season(&placement(
            "clinical",
            "2027-04-01",
            "2027-09-30"
        )));
    }

    /// Only "until expiry" evidence asks for an expiry date; the catalog DOMAIN.md starts from
    /// is not empty and every code in it is unique.
    #[test]
    fn expiry_dates_and_the_starting_catalog() {
        assert!(Validity::UntilExpiry.needs_expiry_date());
        assert!(!Validity::FluSeason.needs_expiry_date());
        assert!(!Validity::Once.needs_expiry_date());
        let codes: Vec<&str> = catalog().iter().map(|e| e.code).collect();
        assert!(
            codes.contains(&"bls") && codes.contains(&"influenza"),
            "{codes:?}"
        );
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
