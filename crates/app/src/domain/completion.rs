//! When a placement may be completed (issue 16 point 5): its required hours approved and its
//! final evaluation signed; otherwise only the office may complete it, and only with a reason
//! (recorded in the audit trail with the move). Every unmet condition is reported at once.
use super::ErrorCode;

/// What completing a placement depends on.
#[derive(Clone, Copy, Debug)]
pub struct CompletionFacts {
    /// Minutes the placement requires (0: none set) and minutes approved.
    pub required_minutes: i64,
    pub approved_minutes: i64,
    /// Whether the final evaluation of the student is signed.
    pub final_signed: bool,
}

/// The unmet conditions, each with its code and words; empty when the placement may be
/// completed. `by_office_with_reason`: the office completes it otherwise, with a reason.
pub fn unmet(facts: CompletionFacts, by_office_with_reason: bool) -> Vec<(ErrorCode, String)> {
    if by_office_with_reason {
        return vec![];
    }
    let mut out = vec![];
    if facts.approved_minutes < facts.required_minutes {
        out.push((
            ErrorCode::HoursNotApproved,
            format!(
                "{} of the {} required hours are approved",
                super::hours::hours_text(facts.approved_minutes),
                super::hours::hours_text(facts.required_minutes)
            ),
        ));
    }
    if !facts.final_signed {
        out.push((
            ErrorCode::FinalEvaluationMissing,
            "the final evaluation is not signed yet".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(required: i64, approved: i64, final_signed: bool) -> CompletionFacts {
        CompletionFacts {
            required_minutes: required,
            approved_minutes: approved,
            final_signed,
        }
    }

    #[test]
    fn hours_and_the_final_evaluation_are_both_needed_and_both_reported() {
        assert!(unmet(facts(600, 600, true), false).is_empty());
        assert!(unmet(facts(0, 0, true), false).is_empty(), "no hours set");
        let both: Vec<ErrorCode> = unmet(facts(600, 570, false), false)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        assert_eq!(
            both,
            [
                ErrorCode::HoursNotApproved,
                ErrorCode::FinalEvaluationMissing
            ]
        );
        assert_eq!(
            unmet(facts(600, 570, true), false)[0].1,
            "9.5 of the 10 required hours are approved"
        );
        assert!(
            unmet(facts(600, 0, false), true).is_empty(),
            "the office, with a reason"
        );
    }
}
