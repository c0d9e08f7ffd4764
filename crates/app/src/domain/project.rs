//! An internship's project (issue 16 point 4): learning objectives and milestones proposed by
//! the student, agreed by the faculty member and the site mentor (each agreement kept: who,
//! when), the final deliverable accepted or returned by the faculty member. Only an internship
//! has one (a clinical answers 409 `not_an_internship`). Changing the plan — an objective or a
//! milestone added, renamed, re-dated or removed — after anyone agreed clears every agreement,
//! and the project says who changed what; a milestone's status (progress) is not the plan and
//! keeps the agreements.
use super::ErrorCode;
use super::scope::{PlacementParties, Scope};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MilestoneStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl MilestoneStatus {
    pub const ALL: [MilestoneStatus; 4] = [
        MilestoneStatus::Planned,
        MilestoneStatus::InProgress,
        MilestoneStatus::Done,
        MilestoneStatus::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "planned",
            MilestoneStatus::InProgress => "in_progress",
            MilestoneStatus::Done => "done",
            MilestoneStatus::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<MilestoneStatus> {
        MilestoneStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn words(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "Planned",
            MilestoneStatus::InProgress => "In progress",
            MilestoneStatus::Done => "Done",
            MilestoneStatus::Dropped => "Dropped",
        }
    }
}

/// Who the caller is to this internship's project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    Office,
    Student,
    Faculty,
    SiteMentor,
}

/// The project's parties are the student, the faculty member, the site mentor and the office;
/// anyone else (the school, the department, a preceptor of another placement) is nobody to it
/// and gets 404.
pub fn party(scope: &Scope, p: &PlacementParties) -> Option<Party> {
    match scope {
        Scope::All => Some(Party::Office),
        Scope::Student(s) if p.student_id == Some(s.as_str()) => Some(Party::Student),
        Scope::Faculty(u) if p.faculty_user_id == Some(u.as_str()) => Some(Party::Faculty),
        Scope::Staff(s) if p.site_mentor_id == Some(s.as_str()) => Some(Party::SiteMentor),
        _ => None,
    }
}

/// Only an internship has a project.
pub fn require_internship(kind: &str) -> Result<(), ErrorCode> {
    if kind == "internship" {
        Ok(())
    } else {
        Err(ErrorCode::NotAnInternship)
    }
}

/// Who may agree: the faculty member and the site mentor, each for themself.
pub fn may_agree(party: Party) -> bool {
    matches!(party, Party::Faculty | Party::SiteMentor)
}

/// Who may change the plan (objectives, milestones): the student who proposes it, the two
/// who agree to it (an edit by them clears the agreements too), and the office.
pub fn may_edit_plan(_party: Party) -> bool {
    true
}

/// Only the faculty member accepts or returns the deliverable; only the student uploads it.
pub fn may_review_deliverable(party: Party) -> bool {
    party == Party::Faculty
}

pub fn may_upload_deliverable(party: Party) -> bool {
    party == Party::Student
}

/// The plan is agreed when the faculty member has agreed and the site mentor too (an
/// internship without a site mentor needs only the faculty member).
pub fn is_agreed(faculty_agreed: bool, mentor_agreed: bool, has_mentor: bool) -> bool {
    faculty_agreed && (mentor_agreed || !has_mentor)
}

/// The deliverable's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliverableStatus {
    Submitted,
    Accepted,
    Returned,
}

impl DeliverableStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliverableStatus::Submitted => "submitted",
            DeliverableStatus::Accepted => "accepted",
            DeliverableStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<DeliverableStatus> {
        [
            DeliverableStatus::Submitted,
            DeliverableStatus::Accepted,
            DeliverableStatus::Returned,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A new upload replaces a submitted or returned deliverable; an accepted one is final.
pub fn may_replace(current: Option<DeliverableStatus>) -> Result<(), ErrorCode> {
    match current {
        Some(DeliverableStatus::Accepted) => Err(ErrorCode::DeliverableAccepted),
        _ => Ok(()),
    }
}

/// Accepting or returning needs a submitted deliverable.
pub fn may_review(current: Option<DeliverableStatus>) -> Result<(), ErrorCode> {
    match current {
        Some(DeliverableStatus::Submitted) => Ok(()),
        Some(DeliverableStatus::Accepted) => Err(ErrorCode::DeliverableAccepted),
        _ => Err(ErrorCode::DeliverableNotSubmitted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties() -> PlacementParties<'static> {
        PlacementParties {
            school_id: "school",
            student_id: Some("student"),
            department_id: "dept",
            preceptor_id: None,
            site_mentor_id: Some("mentor"),
            faculty_user_id: Some("fac"),
        }
    }

    #[test]
    fn the_three_of_them_and_the_office_nobody_else() {
        let p = parties();
        assert_eq!(party(&Scope::All, &p), Some(Party::Office));
        assert_eq!(
            party(&Scope::Student("student".into()), &p),
            Some(Party::Student)
        );
        assert_eq!(
            party(&Scope::Faculty("fac".into()), &p),
            Some(Party::Faculty)
        );
        assert_eq!(
            party(&Scope::Staff("mentor".into()), &p),
            Some(Party::SiteMentor)
        );
        for nobody in [
            Scope::School("school".into()),
            Scope::Department("dept".into()),
            Scope::Staff("other".into()),
            Scope::Student("other".into()),
            Scope::Faculty("other".into()),
            Scope::Nothing,
        ] {
            assert_eq!(party(&nobody, &p), None, "{nobody:?}");
        }
    }

    #[test]
    fn agreed_by_both_or_the_faculty_alone_without_a_mentor() {
        assert!(is_agreed(true, true, true));
        assert!(!is_agreed(true, false, true));
        assert!(!is_agreed(false, true, true));
        assert!(is_agreed(true, false, false));
        assert!(may_agree(Party::Faculty) && may_agree(Party::SiteMentor));
        assert!(!may_agree(Party::Student) && !may_agree(Party::Office));
    }

    #[test]
    fn deliverable_moves() {
        assert_eq!(
            require_internship("clinical"),
            Err(ErrorCode::NotAnInternship)
        );
        assert!(require_internship("internship").is_ok());
        assert!(may_replace(None).is_ok());
        assert!(may_replace(Some(DeliverableStatus::Returned)).is_ok());
        assert_eq!(
            may_replace(Some(DeliverableStatus::Accepted)),
            Err(ErrorCode::DeliverableAccepted)
        );
        assert!(may_review(Some(DeliverableStatus::Submitted)).is_ok());
        assert_eq!(may_review(None), Err(ErrorCode::DeliverableNotSubmitted));
        assert_eq!(
            may_review(Some(DeliverableStatus::Returned)),
            Err(ErrorCode::DeliverableNotSubmitted)
        );
        for s in MilestoneStatus::ALL {
            assert_eq!(MilestoneStatus::parse(s.as_str()), Some(s));
        }
    }
}
