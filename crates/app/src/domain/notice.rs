//! Who is told what (issue 12, point 5): the one table of every notice about a student and the
//! people it reaches. Delivery (`jobs::notices`) resolves each audience to sign-ins and
//! addresses; this table is the rule, and each row has its test.

/// What a notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// The office did not accept a student's document (DOMAIN.md: review).
    DocumentRejected,
    /// A verified document lapses before the placement it covers ends.
    DocumentLapses,
    /// A placement starts within 14 days: cleared, or what is missing.
    StartingSoon,
    /// The office decided a request: approved, waitlisted or declined.
    RequestDecided,
    /// A fact an open placement depends on changed (issue 12, point 1).
    PlacementAtRisk,
    /// A student or school sent a document for the office to review.
    DocumentToReview,
}

/// Who hears of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The student: their sign-ins, in the app and by e-mail; a student without a sign-in by
    /// e-mail to the address on their record, so nobody is left untold.
    Student,
    /// The coordinators of the student's school (for a decision: the school that asked).
    School,
    /// The education office: admins and coordinators.
    Office,
}

impl NoticeKind {
    /// The table.
    pub fn audiences(self) -> &'static [Audience] {
        use Audience::*;
        match self {
            NoticeKind::DocumentRejected => &[Student, School],
            NoticeKind::DocumentLapses => &[Student, School],
            NoticeKind::StartingSoon => &[Student, School],
            NoticeKind::RequestDecided => &[Student, School],
            NoticeKind::PlacementAtRisk => &[Student, School, Office],
            NoticeKind::DocumentToReview => &[Office],
        }
    }

    /// Whether the notice is an item of work that is done when its subject is done (the
    /// office's uploads to review are marked read when the document is reviewed).
    pub fn is_work_item(self) -> bool {
        self == NoticeKind::DocumentToReview
    }
}

#[cfg(test)]
mod tests {
    use super::Audience::*;
    use super::*;

    #[test]
    fn every_notice_about_a_student_reaches_the_student_and_their_school() {
        for kind in [
            NoticeKind::DocumentRejected,
            NoticeKind::DocumentLapses,
            NoticeKind::StartingSoon,
            NoticeKind::RequestDecided,
            NoticeKind::PlacementAtRisk,
        ] {
            assert!(kind.audiences().contains(&Student), "{kind:?}");
            assert!(kind.audiences().contains(&School), "{kind:?}");
            assert!(!kind.is_work_item(), "{kind:?}");
        }
    }

    #[test]
    fn risks_reach_the_office_and_uploads_only_the_office() {
        assert_eq!(
            NoticeKind::PlacementAtRisk.audiences(),
            &[Student, School, Office]
        );
        assert_eq!(NoticeKind::DocumentToReview.audiences(), &[Office]);
        assert!(NoticeKind::DocumentToReview.is_work_item());
        assert!(!NoticeKind::DocumentRejected.audiences().contains(&Office));
    }
}
