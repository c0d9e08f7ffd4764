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
    /// An active affiliation agreement expires in 90, 60 or 30 days (issue 17 point 4,
    /// `domain::lapse::agreement_threshold`).
    AgreementExpiring,
    /// A program's accreditation (`programs.accredited_until`) ends within 90 days.
    AccreditationEnding,
    /// A preceptor's licence (`staff.license_expires_on`) ends before a placement they
    /// supervise ends.
    LicenceEndsFirst,
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
    /// The preceptor the notice is about, if they have a sign-in (in the app and by e-mail);
    /// one without a sign-in is not written to (the office is told and acts).
    Preceptor,
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
            NoticeKind::AgreementExpiring => &[Office, School],
            NoticeKind::AccreditationEnding => &[Office, School],
            NoticeKind::LicenceEndsFirst => &[Office, Preceptor],
        }
    }

    /// Whether the notice is an item of work that is done when its subject is done (the
    /// office's uploads to review are marked read when the document is reviewed).
    pub fn is_work_item(self) -> bool {
        self == NoticeKind::DocumentToReview
    }

    /// The e-mail kind a person may turn off for this notice.
    pub fn email_kind(self) -> EmailKind {
        match self {
            NoticeKind::DocumentRejected => EmailKind::DocumentRejected,
            NoticeKind::DocumentLapses => EmailKind::DocumentLapses,
            NoticeKind::StartingSoon => EmailKind::StartingSoon,
            NoticeKind::RequestDecided => EmailKind::RequestDecided,
            NoticeKind::PlacementAtRisk => EmailKind::PlacementAtRisk,
            NoticeKind::DocumentToReview => EmailKind::DocumentToReview,
            NoticeKind::AgreementExpiring => EmailKind::AgreementExpiring,
            NoticeKind::AccreditationEnding => EmailKind::AccreditationEnding,
            NoticeKind::LicenceEndsFirst => EmailKind::LicenceEndsFirst,
        }
    }
}

/// The kinds of notice e-mail a person may turn off, each by itself (issue 17 point 4); the
/// in-app notification is kept whatever they choose. E-mails about the account itself
/// (invitations, password links, a changed password) are not among them: they always go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EmailKind {
    AgreementExpiring,
    AccreditationEnding,
    LicenceEndsFirst,
    DocumentLapses,
    StartingSoon,
    RequestDecided,
    PlacementAtRisk,
    DocumentRejected,
    DocumentToReview,
    UploadsToReview,
    HoursToApprove,
    OffboardingOverdue,
    EvaluationDue,
}

impl EmailKind {
    /// Every kind, in the order the settings page lists them.
    pub const ALL: [EmailKind; 13] = [
        EmailKind::AgreementExpiring,
        EmailKind::AccreditationEnding,
        EmailKind::LicenceEndsFirst,
        EmailKind::DocumentLapses,
        EmailKind::StartingSoon,
        EmailKind::RequestDecided,
        EmailKind::PlacementAtRisk,
        EmailKind::DocumentRejected,
        EmailKind::DocumentToReview,
        EmailKind::UploadsToReview,
        EmailKind::HoursToApprove,
        EmailKind::OffboardingOverdue,
        EmailKind::EvaluationDue,
    ];

    /// The stable word the API and the store use, e.g. `agreement_expiring`.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::AgreementExpiring => "agreement_expiring",
            EmailKind::AccreditationEnding => "accreditation_ending",
            EmailKind::LicenceEndsFirst => "licence_ends_first",
            EmailKind::DocumentLapses => "document_lapses",
            EmailKind::StartingSoon => "starting_soon",
            EmailKind::RequestDecided => "request_decided",
            EmailKind::PlacementAtRisk => "placement_at_risk",
            EmailKind::DocumentRejected => "document_rejected",
            EmailKind::DocumentToReview => "document_to_review",
            EmailKind::UploadsToReview => "uploads_to_review",
            EmailKind::HoursToApprove => "hours_to_approve",
            EmailKind::OffboardingOverdue => "offboarding_overdue",
            EmailKind::EvaluationDue => "evaluation_due",
        }
    }

    pub fn parse(word: &str) -> Option<EmailKind> {
        EmailKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// The kind in words, as the settings page shows it.
    pub fn words(self) -> &'static str {
        match self {
            EmailKind::AgreementExpiring => {
                "Affiliation agreements expiring (90, 60 and 30 days before)"
            }
            EmailKind::AccreditationEnding => "Program accreditations ending within 90 days",
            EmailKind::LicenceEndsFirst => {
                "Preceptor licences ending before a placement they supervise ends"
            }
            EmailKind::DocumentLapses => "Student documents lapsing before a placement ends",
            EmailKind::StartingSoon => "Placements starting in 14 days, cleared or not",
            EmailKind::RequestDecided => "Decisions on placement requests",
            EmailKind::PlacementAtRisk => "Placements at risk after a change",
            EmailKind::DocumentRejected => "Documents not accepted by the office",
            EmailKind::DocumentToReview => "Documents sent for the office to review",
            EmailKind::UploadsToReview => "The office's digest of uploads to review",
            EmailKind::HoursToApprove => "Hours waiting 7 days for approval",
            EmailKind::OffboardingOverdue => "Offboarding tasks overdue",
            EmailKind::EvaluationDue => "Evaluations due or late",
        }
    }

    /// Whether this kind's e-mails are gathered into the person's daily digest (one e-mail a
    /// day listing each item with its link) instead of one e-mail per item: the lapse
    /// reminders, which come weeks ahead, are; notices that ask for action within days (a
    /// decision, a rejected document, a start in 14 days, ...) go at once.
    pub fn by_daily_digest(self) -> bool {
        matches!(
            self,
            EmailKind::AgreementExpiring
                | EmailKind::AccreditationEnding
                | EmailKind::LicenceEndsFirst
        )
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

    #[test]
    fn an_expiring_agreement_reaches_the_office_and_the_school() {
        assert_eq!(NoticeKind::AgreementExpiring.audiences(), &[Office, School]);
        assert!(!NoticeKind::AgreementExpiring.is_work_item());
    }

    #[test]
    fn an_ending_accreditation_reaches_the_office_and_the_school() {
        assert_eq!(
            NoticeKind::AccreditationEnding.audiences(),
            &[Office, School]
        );
    }

    #[test]
    fn a_licence_ending_first_reaches_the_office_and_the_preceptor() {
        assert_eq!(
            NoticeKind::LicenceEndsFirst.audiences(),
            &[Office, Preceptor]
        );
        assert!(!NoticeKind::LicenceEndsFirst.audiences().contains(&Student));
    }

    #[test]
    fn email_kinds_have_words_and_round_trip() {
        for k in EmailKind::ALL {
            assert_eq!(EmailKind::parse(k.as_str()), Some(k));
            assert!(!k.words().is_empty());
        }
        assert_eq!(EmailKind::parse("password_reset"), None);
        assert!(EmailKind::AgreementExpiring.by_daily_digest());
        assert!(EmailKind::LicenceEndsFirst.by_daily_digest());
        assert!(!EmailKind::RequestDecided.by_daily_digest());
    }
}
