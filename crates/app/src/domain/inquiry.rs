//! DOMAIN.md rule 2: a person who is not a student is routed, never silently refused.

/// What a person asks for on the public form.
pub const INTERESTS: [&str; 4] = ["clinical", "internship", "observership", "volunteer"];

/// Where an inquiry goes: students to their school coordinator (who submits through the
/// office); everyone else to observership or volunteering. Returns the route and what happens
/// next, in words.
pub fn route(is_student: bool, interest: &str) -> (&'static str, &'static str) {
    match (is_student, interest) {
        (true, "clinical" | "internship") => (
            "placement_request",
            "Clinical rotations and internships are requested by your school's clinical coordinator, through the education office. \
             Ask your coordinator to submit a request for you; we have noted your interest.",
        ),
        (false, "clinical" | "internship") => (
            "observership",
            "Clinical rotations and internships are open only to students enrolled in an accredited program at a school with an \
             agreement with the hospital. You can shadow a professional instead: the education office will contact you about job shadowing.",
        ),
        (_, "volunteer") => (
            "volunteer",
            "Thank you for offering your time. The volunteer office will contact you.",
        ),
        _ => (
            "observership",
            "The education office will contact you about job shadowing (observership).",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn non_students_are_routed_never_refused() {
        assert_eq!(route(true, "clinical").0, "placement_request");
        assert_eq!(route(true, "internship").0, "placement_request");
        assert_eq!(route(false, "clinical").0, "observership");
        assert_eq!(route(false, "internship").0, "observership");
        assert_eq!(route(false, "volunteer").0, "volunteer");
        assert_eq!(route(true, "observership").0, "observership");
    }

    /// A non-student asking for a clinical or an internship is routed to job shadowing.
    #[test]
    fn a_non_student_asking_for_clinicals_is_offered_shadowing() {
        assert_eq!(route(false, "clinical").0, "observership");
        assert_eq!(route(false, "internship").0, "observership");
        assert_eq!(route(true, "clinical").0, "placement_request");
    }
}
