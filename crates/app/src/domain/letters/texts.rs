//! The words `domain::letters` ships: each kind's named fields with their meanings, the
//! text each kind starts with (which the office edits), and example values for the preview.
use super::{LetterKind, NamedField, Values};

const fn f(name: &'static str, meaning: &'static str) -> NamedField {
    NamedField { name, meaning }
}

/// Fields every letter knows.
pub(super) const COMMON: &[NamedField] = &[
    f("organisation", "The organisation's name (Settings)."),
    f("today", "The day the letter is made, in words."),
    f(
        "coordinator_name",
        "The placement coordinator named in the settings.",
    ),
    f("office_email", "The office's e-mail address (Settings)."),
    f("office_phone", "The office's phone number (Settings)."),
];

/// Fields of the two letters about a placement.
pub(super) const PLACEMENT: &[NamedField] = &[
    f("student_name", "The student's full name."),
    f("student_first_name", "The student's first name."),
    f("school_name", "The student's school."),
    f(
        "school_coordinator",
        "The school's placement coordinators, by name.",
    ),
    f("program_name", "The student's program."),
    f(
        "placement_kind",
        "\u{201c}clinical placement\u{201d} or \u{201c}internship\u{201d}.",
    ),
    f("site_name", "The hospital site."),
    f("site_address", "The site's street address."),
    f("department_name", "The department."),
    f("starts_on", "The first day of the placement, in words."),
    f("ends_on", "The last day of the placement, in words."),
    f(
        "first_shift",
        "The first scheduled shift: its day in words and its hours.",
    ),
    f(
        "supervisor_name",
        "The preceptor (or site mentor, or faculty supervisor).",
    ),
    f("supervisor_email", "The supervisor's e-mail address."),
    f(
        "ask_for",
        "Whom the student asks for on arrival: the preceptor or site mentor, at the department.",
    ),
    f(
        "arrival_notes",
        "The site's notes for arrival: parking, badge pick-up (the site's page).",
    ),
    f(
        "open_checklist",
        "The onboarding checklist items still open, one a line, with their state.",
    ),
];

/// Fields of the renewal notice.
pub(super) const AGREEMENT: &[NamedField] = &[
    f("school_name", "The school."),
    f(
        "school_coordinator",
        "The school's placement coordinators, by name.",
    ),
    f(
        "agreement_effective_on",
        "The day the agreement came into force, in words.",
    ),
    f(
        "agreement_expires_on",
        "The agreement's last day, in words.",
    ),
    f(
        "expires_in",
        "How far off that is: \u{201c}in 45 days\u{201d}, \u{201c}today\u{201d}, \u{201c}12 days ago\u{201d}.",
    ),
    f(
        "agreement_disciplines",
        "The disciplines it covers, by name (or \u{201c}every discipline\u{201d}).",
    ),
    f(
        "placements_after_expiry",
        "The school's open placements that run past the expiry, one a line.",
    ),
];

/// The subject and body the product ships for `kind`.
pub(super) fn default_text(kind: LetterKind) -> (&'static str, &'static str) {
    match kind {
        LetterKind::PlacementConfirmation => (
            "Placement confirmed: {student_name} at {site_name} from {starts_on}",
            "Dear {school_coordinator},\n\n\
             We confirm the {placement_kind} of {student_name} ({program_name}) in {department_name} at {site_name}, from {starts_on} to {ends_on}.\n\n\
             Where: {site_name}, {site_address}\n\
             Department: {department_name}\n\
             First shift: {first_shift}\n\
             Supervisor: {supervisor_name} ({supervisor_email})\n\n\
             Before the first day, {student_first_name} must complete what is still open on the onboarding checklist:\n\
             {open_checklist}\n\n\
             The office must have verified every item before the student may start. Please write to us if anything here is not as agreed.\n\n\
             Yours sincerely,\n\
             {coordinator_name}\n\
             Education office, {organisation}",
        ),
        LetterKind::Welcome => (
            "Welcome to {site_name}, {student_first_name}",
            "Dear {student_first_name},\n\n\
             Welcome to {organisation}. Your {placement_kind} in {department_name} at {site_name} runs from {starts_on} to {ends_on}.\n\n\
             Where: {site_name}, {site_address}\n\
             Department: {department_name}\n\
             Your first shift: {first_shift}\n\
             Ask for: {ask_for}\n\
             Your supervisor: {supervisor_name} ({supervisor_email})\n\n\
             Parking and badge pick-up: {arrival_notes}\n\n\
             Still open on your onboarding checklist (the office must have verified each item before your first day):\n\
             {open_checklist}\n\n\
             On your first day bring photo ID and your school ID. Questions before then go to {coordinator_name} at {office_email}.\n\n\
             We look forward to meeting you.\n\
             {coordinator_name}\n\
             Education office, {organisation}",
        ),
        LetterKind::AgreementRenewal => (
            "Your affiliation agreement expires on {agreement_expires_on}",
            "Dear {school_coordinator},\n\n\
             The affiliation agreement between {organisation} and {school_name}, in force since {agreement_effective_on}, expires on {agreement_expires_on} ({expires_in}). It covers {agreement_disciplines}.\n\n\
             No student may be placed with us on a day the agreement does not cover. These placements of your students run past its expiry:\n\
             {placements_after_expiry}\n\n\
             To renew it, please send us the signed renewal before {agreement_expires_on}; we confirm the new dates in writing.\n\n\
             Yours sincerely,\n\
             {coordinator_name}\n\
             Education office, {organisation}",
        ),
    }
}

/// Example values for every field of `kind`, for the preview beside the office's text.
pub fn sample_values(kind: LetterKind) -> Values {
    let mut v = Values::new();
    for field in kind.fields() {
        let value = match field.name {
            "organisation" => "Riverside Health",
            "today" => "Monday 4 January 2027",
            "coordinator_name" => "Jo Coordinator",
            "office_email" => "placements@riverside.example",
            "office_phone" => "555-0100",
            "student_name" => "Ana Lopez",
            "student_first_name" => "Ana",
            "school_name" => "North College",
            "school_coordinator" => "Sam School",
            "program_name" => "AS Radiography",
            "placement_kind" => "clinical placement",
            "site_name" => "General Hospital",
            "site_address" => "1 Hospital Drive, Salem",
            "department_name" => "Radiology",
            "starts_on" => "Monday 1 February 2027",
            "ends_on" => "Wednesday 31 March 2027",
            "first_shift" => "Monday 1 February 2027, 07:00 to 15:30",
            "supervisor_name" => "Pat Preceptor",
            "supervisor_email" => "pat@riverside.example",
            "ask_for" => "Pat Preceptor, at the Radiology front desk",
            "arrival_notes" => {
                "Park in the visitor garage, level 2; pick up your badge at the main lobby's security desk."
            }
            "open_checklist" => {
                "\u{2022} Tuberculosis screening (to do)\n\u{2022} Background check (waiting for review)"
            }
            "agreement_effective_on" => "Friday 1 January 2027",
            "agreement_expires_on" => "Sunday 31 December 2028",
            "expires_in" => "in 90 days",
            "agreement_disciplines" => "every discipline",
            "placements_after_expiry" => {
                "\u{2022} Ana Lopez, Radiology, Monday 1 January 2029 to Wednesday 28 February 2029"
            }
            other => other,
        };
        v.insert(field.name, value.to_string());
    }
    v
}
