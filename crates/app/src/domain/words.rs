//! The office's words for the codes the records keep (issue 14 point 5: "raw codes are shown
//! as names everywhere"). Pages, e-mails and messages read these; the API keeps the codes.
//! A code this module does not know reads as a sentence ("hepatitis_b" → "Hepatitis b"),
//! never with underscores.

/// `code` as a sentence: underscores as spaces, the first letter capital.
pub fn sentence(code: &str) -> String {
    let words = code.replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => words,
    }
}

/// Who satisfies a requirement (`requirements.satisfied_by`, DOMAIN.md's onboarding catalog).
pub fn satisfier(code: &str) -> String {
    match code {
        "student_upload" => "the student uploads a document".into(),
        "school_attestation" => "the school attests".into(),
        "office_action" => "the education office records it".into(),
        "signed_in_system" => "the student signs it in Practicum".into(),
        other => sentence(other).to_lowercase(),
    }
}

/// A requirement's category (`requirements.category`).
pub fn requirement_category(code: &str) -> String {
    match code {
        "provisioning" => "Badge and system access".into(),
        "background" => "Background check".into(),
        other => sentence(other),
    }
}

/// A checklist item's state (DOMAIN.md's clearance: missing, submitted, verified, rejected,
/// expired, lapsing).
pub fn checklist_state(code: &str) -> String {
    match code {
        "missing" => "To do".into(),
        "submitted" => "Waiting for review".into(),
        "verified" => "Verified".into(),
        "rejected" => "Sent back".into(),
        "expired" => "Expired".into(),
        "expiring" | "lapsing" => "Lapses during the placement".into(),
        other => sentence(other),
    }
}

/// Where a public inquiry was routed (`domain::inquiry::route`).
pub fn inquiry_route(code: &str) -> String {
    match code {
        "placement_request" => "Placement request, through the school".into(),
        "observership" => "Job shadowing (observership)".into(),
        "volunteer" => "Volunteer services".into(),
        other => sentence(other),
    }
}

/// A placement's, request's or evaluation form's kind (`clinical` or `internship`, DOMAIN.md).
pub fn placement_kind(code: &str) -> String {
    match code {
        "clinical" => "Clinical".into(),
        "internship" => "Internship".into(),
        other => sentence(other),
    }
}

/// Where a document's evidence came from when it has no file (`documents.source`): the
/// school's attestation, the student's signature in Practicum, the office's record.
pub fn document_source(code: &str) -> String {
    match code {
        "upload" => "Uploaded".into(),
        "attestation" => "Attested by the school".into(),
        "signature" => "Signed in Practicum".into(),
        "office" => "Recorded by the education office".into(),
        other => sentence(other),
    }
}

/// A kind of record, as in "History of this placement request" (the audit's `record_type`).
pub fn record_type(code: &str) -> String {
    match code {
        "agreement" => "affiliation agreement".into(),
        "staff" => "staff member".into(),
        "user" => "account".into(),
        other => other.replace('_', " "),
    }
}

/// An eligibility rule's code (an `ErrorCode` string such as `agreement_expired`) as the
/// rule's name: "Agreement expired".
pub fn rule(code: &str) -> String {
    sentence(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_word_keeps_an_underscore_or_starts_small_where_it_heads_a_cell() {
        for code in [
            "student_upload",
            "school_attestation",
            "office_action",
            "signed_in_system",
            "something_new",
        ] {
            assert!(!satisfier(code).contains('_'), "{code}");
        }
        for code in ["provisioning", "immunization", "hepatitis_b", "x"] {
            let w = requirement_category(code);
            assert!(!w.contains('_'));
            assert!(w.chars().next().is_some_and(char::is_uppercase), "{w}");
        }
        assert_eq!(
            inquiry_route("observership"),
            "Job shadowing (observership)"
        );
        assert_eq!(record_type("placement_request"), "placement request");
        assert_eq!(checklist_state("submitted"), "Waiting for review");
        assert_eq!(rule("agreement_expired"), "Agreement expired");
        assert_eq!(sentence(""), "");
        for code in ["clinical", "internship", "observer_ship"] {
            let w = placement_kind(code);
            assert!(!w.contains('_') && w.starts_with(char::is_uppercase), "{w}");
        }
        assert_eq!(document_source("new_source"), "New source");
        for code in ["upload", "attestation", "signature", "office"] {
            let w = document_source(code);
            assert!(!w.contains('_') && w.starts_with(char::is_uppercase), "{w}");
            assert_ne!(
                w.to_lowercase(),
                code.replace('_', " "),
                "{code} has its own words"
            );
        }
    }
}
