//! The discipline catalog DOMAIN.md starts from: (code, name, clinical by default, accreditor).
//! Seeded on migration-time first start; the office refines it later.
pub const DISCIPLINES: &[(&str, &str, bool, &str)] = &[
    ("radiography", "Radiography", true, "JRCERT"),
    ("radiation_therapy", "Radiation therapy", true, "JRCERT"),
    ("mri", "Magnetic resonance imaging", true, "JRCERT"),
    ("medical_dosimetry", "Medical dosimetry", true, "JRCERT"),
    (
        "nuclear_medicine",
        "Nuclear medicine technology",
        true,
        "JRCNMT",
    ),
    (
        "sonography",
        "Diagnostic medical sonography",
        true,
        "CAAHEP/JRC-DMS",
    ),
    (
        "cardiovascular_technology",
        "Cardiovascular technology",
        true,
        "CAAHEP/JRC-CVT",
    ),
    (
        "surgical_technology",
        "Surgical technology",
        true,
        "CAAHEP/ARC-STSA",
    ),
    ("paramedic", "Paramedic", true, "CAAHEP/CoAEMSP"),
    ("perfusion", "Perfusion", true, "CAAHEP"),
    (
        "neurodiagnostic_technology",
        "Neurodiagnostic technology",
        true,
        "CAAHEP",
    ),
    ("polysomnography", "Polysomnography", true, "CAAHEP"),
    (
        "anesthesia_technology",
        "Anesthesia technology",
        true,
        "CAAHEP",
    ),
    ("respiratory_therapy", "Respiratory therapy", true, "CoARC"),
    ("physical_therapy", "Physical therapy (DPT)", true, "CAPTE"),
    (
        "physical_therapist_assistant",
        "Physical therapist assistant",
        true,
        "CAPTE",
    ),
    (
        "occupational_therapy",
        "Occupational therapy (MOT/OTD)",
        true,
        "ACOTE",
    ),
    (
        "occupational_therapy_assistant",
        "Occupational therapy assistant",
        true,
        "ACOTE",
    ),
    (
        "speech_language_pathology",
        "Speech-language pathology (MS)",
        true,
        "CAA-ASHA",
    ),
    ("audiology", "Audiology (AuD)", true, "CAA-ASHA"),
    (
        "pharmacy",
        "Pharmacy (PharmD)",
        true,
        "ACPE (Accreditation Council for Pharmacy Education)",
    ),
    (
        "pharmacy_technician",
        "Pharmacy technician",
        true,
        "ASHP/ACPE",
    ),
    (
        "clinical_pastoral_education",
        "Clinical pastoral education",
        true,
        "ACPE Inc. (Association for Clinical Pastoral Education)",
    ),
    (
        "medical_laboratory_science",
        "Medical laboratory science",
        true,
        "NAACLS",
    ),
    (
        "medical_laboratory_technician",
        "Medical laboratory technician",
        true,
        "NAACLS",
    ),
    ("histotechnology", "Histotechnology", true, "NAACLS"),
    ("phlebotomy", "Phlebotomy", true, "NAACLS"),
    ("dietetics", "Dietetics", true, "ACEND"),
    ("physician_assistant", "Physician assistant", true, "ARC-PA"),
    ("athletic_training", "Athletic training", true, "CAATE"),
    ("genetic_counseling", "Genetic counseling", true, "ACGC"),
    ("social_work", "Social work", true, "CSWE"),
    ("psychology", "Psychology", true, "APA"),
    (
        "health_information_management",
        "Health information management",
        false,
        "CAHIIM",
    ),
    (
        "health_administration",
        "Health administration (MHA)",
        false,
        "CAHME",
    ),
    ("public_health", "Public health (MPH)", false, "CEPH"),
    (
        "information_technology",
        "Information technology",
        false,
        "Regional accreditation",
    ),
    ("finance", "Finance", false, "Regional accreditation"),
    (
        "human_resources",
        "Human resources",
        false,
        "Regional accreditation",
    ),
    (
        "marketing_communications",
        "Marketing and communications",
        false,
        "Regional accreditation",
    ),
    (
        "quality_patient_safety",
        "Quality and patient safety",
        false,
        "Regional accreditation",
    ),
];

/// A discipline's name from the catalog, for messages that only have its code; a code the
/// catalog does not know reads as words ("occupational_therapy" → "Occupational therapy").
pub fn discipline_name(code: &str) -> String {
    DISCIPLINES
        .iter()
        .find(|d| d.0 == code)
        .map(|d| d.1.to_string())
        .unwrap_or_else(|| {
            let words = code.replace('_', " ");
            let mut c = words.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => words,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for (code, ..) in DISCIPLINES {
            assert!(seen.insert(code), "duplicate {code}");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
        }
    }

    #[test]
    fn the_two_acpes_are_different_bodies() {
        let acc = |c: &str| DISCIPLINES.iter().find(|d| d.0 == c).unwrap().3;
        assert_ne!(acc("pharmacy"), acc("clinical_pastoral_education"));
    }
}
