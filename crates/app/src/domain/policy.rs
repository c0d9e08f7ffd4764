//! Who may do what: the one table every handler and page consults. A role that may never take
//! an action gets 403; a role that may take it only on its own records gets `Own`, and records
//! outside that scope answer 404 as if they did not exist.
use super::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource {
    Discipline,
    PlacementOptions,
    Site,
    Department,
    School,
    Agreement,
    Program,
    Student,
    Staff,
    User,
    Audit,
    /// Placement requests: submitted by a school for itself, or by the office.
    Request,
    /// Approve, decline or waitlist a request: the office alone.
    Decision,
    Placement,
    /// Observership and volunteer inquiries (the office's inbox).
    Inquiry,
    Report,
    /// Onboarding rules and the review of evidence: the office.
    Requirement,
    /// Term planning runs (the allocator): the office.
    Planning,
    /// The office's settings (organisation, time zone, contact, public base URL): every
    /// signed-in user reads them, the admin alone changes them (issue 12 point 8).
    Settings,
    /// A placement's shifts (issue 15 point 1): read by everyone who sees the placement;
    /// changed by the office and by the placement's preceptor, site mentor or faculty member.
    Schedule,
    /// Who is on site on a day (issue 15 point 3): the office, and each department manager
    /// for their department.
    OnSite,
    /// A student's time entries (issue 15 point 4): every party of the placement reads them
    /// (the office, the school, the student, the supervisors, the department); only the student
    /// writes their own (the service refuses anyone else, the admin included).
    TimeEntry,
    /// Approving or returning time entries: the placement's preceptor or faculty member, and
    /// the office.
    HoursApproval,
    /// An internship's project (issue 16 point 4): read and changed by its student, faculty
    /// member and site mentor and by the office; every other role reads nothing (404, as if
    /// there were none — `domain::project::party`) and may never change one (403).
    Project,
    /// Offboarding tasks (issue 16 point 6): the office (admin, coordinators), which is also
    /// who acts for IT (there is no IT role).
    Offboarding,
    /// Evaluation forms (issue 16 point 1): every signed-in user reads them, the office keeps
    /// them.
    EvaluationTemplate,
    /// Evaluations (issue 16 points 2-3): the office and the placement's school read the
    /// supervisors' ones; the assigned supervisor fills and signs them; the student
    /// acknowledges theirs and writes their own of the site. Who reads a site evaluation is
    /// narrower still (its author alone), in `service::evaluations`.
    Evaluation,
    /// The texts of the office's letters (issue 17 part 3): the office reads and writes
    /// them; every other role 403. Who reads a letter made from them is
    /// `domain::letters::LetterKind::may_read`.
    LetterTemplate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Never,
    /// Only records linked to the caller: their school, themselves, their department, the
    /// students placed with them.
    Own,
    All,
}

pub fn access(role: Role, resource: Resource, action: Action) -> Access {
    use Access::{All, Never, Own};
    use Action::Read;
    use Resource as R;
    if role == Role::Admin {
        return All;
    }
    match (resource, action, role) {
        (R::Discipline | R::PlacementOptions | R::Settings | R::EvaluationTemplate, Read, _) => All,
        (R::User | R::Settings, _, _) => Never,
        (R::TimeEntry, Action::Write, Role::Coordinator) => Never,
        (R::TimeEntry | R::HoursApproval, _, Role::Coordinator) => All,
        (R::TimeEntry, Read, _) => Own,
        (R::TimeEntry, Action::Write, Role::Student) => Own,
        (R::HoursApproval, Action::Write, Role::Preceptor | Role::Faculty) => Own,
        (_, _, Role::Coordinator) => All,
        (R::Schedule, Read, _) => Own,
        (R::Schedule, _, Role::Preceptor | Role::Faculty) => Own,
        (R::OnSite, Read, Role::DepartmentManager) => Own,
        (R::Project, Read, _) => Own,
        (R::Project, _, Role::Student | Role::Preceptor | Role::Faculty) => Own,
        (R::Evaluation, Read, Role::SchoolCoordinator) => Own,
        (R::Evaluation, _, Role::Student | Role::Preceptor | Role::Faculty) => Own,
        (R::Department, Read, Role::DepartmentManager) => Own,
        (R::School | R::Agreement, Read, Role::SchoolCoordinator) => Own,
        (R::Program | R::Student, _, Role::SchoolCoordinator) => Own,
        (
            R::Student,
            Read,
            Role::Student | Role::Preceptor | Role::Faculty | Role::DepartmentManager,
        ) => Own,
        (R::Request | R::Placement, _, Role::SchoolCoordinator) => Own,
        (
            R::Placement,
            Read,
            Role::Student | Role::Preceptor | Role::Faculty | Role::DepartmentManager,
        ) => Own,
        _ => Never,
    }
}

/// The parts of a student's onboarding, for deciding who may know which (issue 13 point 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnboardingField {
    /// Whether a placement is cleared (`clearance.status`).
    ClearanceStatus,
    /// Which requirements are not met yet (`clearance.missing`, the checklist's items as met
    /// or missing).
    MissingItems,
    /// Which lapse before the placement ends (`clearance.expiring`).
    ExpiringItems,
    /// The checklist's detailed states (submitted, rejected, expired, ...) and `lapses_on`:
    /// they tell what the evidence said.
    ItemDetail,
    /// The documents: requirement, dates, status, who submitted and reviewed, file name.
    Documents,
    /// The office's review notes ("Varicella titer negative ...").
    ReviewNotes,
    /// The stored files.
    Files,
}

impl OnboardingField {
    pub const ALL: [OnboardingField; 7] = [
        OnboardingField::ClearanceStatus,
        OnboardingField::MissingItems,
        OnboardingField::ExpiringItems,
        OnboardingField::ItemDetail,
        OnboardingField::Documents,
        OnboardingField::ReviewNotes,
        OnboardingField::Files,
    ];
}

/// Whether `role` may know `field` of the onboarding of a student it sees (its scope is
/// checked apart, as for every record). Minimum necessary (HIPAA 45 CFR 164.502(b), FERPA):
/// the office, the student and their school know all of it; those who supervise or host the
/// student (preceptor, site mentor, faculty member, department manager) know whether the
/// student is cleared and what is missing or lapsing, never the evidence, its details, the
/// office's notes or the files. A hidden list or file answers 404, as if there were none:
/// that a document exists is itself health information.
pub fn knows(role: Role, field: OnboardingField) -> bool {
    use OnboardingField as F;
    match role {
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator | Role::Student => true,
        Role::Preceptor | Role::Faculty | Role::DepartmentManager => matches!(
            field,
            F::ClearanceStatus | F::MissingItems | F::ExpiringItems
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every role against every onboarding field: supervisors know the status and what is
    /// missing, nothing of the evidence.
    #[test]
    fn supervisors_know_clearance_never_the_evidence() {
        for role in Role::ALL {
            for field in OnboardingField::ALL {
                let supervisor = matches!(
                    role,
                    Role::Preceptor | Role::Faculty | Role::DepartmentManager
                );
                let evidence = matches!(
                    field,
                    OnboardingField::ItemDetail
                        | OnboardingField::Documents
                        | OnboardingField::ReviewNotes
                        | OnboardingField::Files
                );
                assert_eq!(
                    knows(role, field),
                    !(supervisor && evidence),
                    "{role:?} {field:?}"
                );
            }
        }
    }

    #[test]
    fn everyone_reads_the_settings_and_only_the_admin_changes_them() {
        for role in Role::ALL {
            assert_eq!(access(role, Resource::Settings, Action::Read), Access::All);
            let write = if role == Role::Admin {
                Access::All
            } else {
                Access::Never
            };
            assert_eq!(access(role, Resource::Settings, Action::Write), write);
        }
    }

    /// Issue 15: everyone reads the shifts they may see; the office and the supervisors change
    /// them; the office and department managers see who is on site.
    #[test]
    fn schedules_and_who_is_on_site() {
        use Role::*;
        for role in Role::ALL {
            let read = if role.is_office() {
                Access::All
            } else {
                Access::Own
            };
            assert_eq!(
                access(role, Resource::Schedule, Action::Read),
                read,
                "{role:?}"
            );
            let write = match role {
                Admin | Coordinator => Access::All,
                Preceptor | Faculty => Access::Own,
                _ => Access::Never,
            };
            assert_eq!(
                access(role, Resource::Schedule, Action::Write),
                write,
                "{role:?}"
            );
            let on_site = match role {
                Admin | Coordinator => Access::All,
                DepartmentManager => Access::Own,
                _ => Access::Never,
            };
            assert_eq!(
                access(role, Resource::OnSite, Action::Read),
                on_site,
                "{role:?}"
            );
            assert!(access(role, Resource::OnSite, Action::Write) != Access::Own);
        }
    }

    #[test]
    fn admin_may_do_everything() {
        for r in [
            Resource::Site,
            Resource::User,
            Resource::Audit,
            Resource::Student,
        ] {
            assert_eq!(access(Role::Admin, r, Action::Write), Access::All);
        }
    }

    #[test]
    fn coordinator_runs_the_directory_but_not_users() {
        assert_eq!(
            access(Role::Coordinator, Resource::Staff, Action::Write),
            Access::All
        );
        assert_eq!(
            access(Role::Coordinator, Resource::User, Action::Write),
            Access::Never
        );
    }

    #[test]
    fn school_reads_agreements_but_never_writes_them() {
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Agreement, Action::Read),
            Access::Own
        );
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Agreement, Action::Write),
            Access::Never
        );
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Student, Action::Write),
            Access::Own
        );
    }

    #[test]
    fn students_see_only_themselves() {
        assert_eq!(
            access(Role::Student, Resource::Student, Action::Read),
            Access::Own
        );
        assert_eq!(
            access(Role::Student, Resource::Student, Action::Write),
            Access::Never
        );
        assert_eq!(
            access(Role::Student, Resource::Site, Action::Read),
            Access::Never
        );
    }

    #[test]
    fn only_the_office_decides() {
        assert_eq!(
            access(Role::Coordinator, Resource::Decision, Action::Write),
            Access::All
        );
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Decision, Action::Write),
            Access::Never
        );
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Request, Action::Write),
            Access::Own
        );
        assert_eq!(
            access(Role::Preceptor, Resource::Placement, Action::Read),
            Access::Own
        );
        assert_eq!(
            access(Role::Preceptor, Resource::Placement, Action::Write),
            Access::Never
        );
        assert_eq!(
            access(Role::Student, Resource::Report, Action::Read),
            Access::Never
        );
    }

    /// Issue 16: everyone reads the evaluation forms, the office writes them; evaluations are
    /// read by the school and written by students, preceptors and faculty on their own; a
    /// department manager has nothing to do with them.
    #[test]
    fn evaluations_and_their_forms() {
        for role in Role::ALL {
            assert_eq!(
                access(role, Resource::EvaluationTemplate, Action::Read),
                Access::All
            );
            let office = matches!(role, Role::Admin | Role::Coordinator);
            assert_eq!(
                access(role, Resource::EvaluationTemplate, Action::Write) == Access::All,
                office,
                "{role:?}"
            );
        }
        for role in [Role::Student, Role::Preceptor, Role::Faculty] {
            assert_eq!(
                access(role, Resource::Evaluation, Action::Write),
                Access::Own
            );
        }
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Evaluation, Action::Read),
            Access::Own
        );
        assert_eq!(
            access(Role::SchoolCoordinator, Resource::Evaluation, Action::Write),
            Access::Never
        );
        assert_eq!(
            access(Role::DepartmentManager, Resource::Evaluation, Action::Read),
            Access::Never
        );
    }

    /// Issue 17: the letters' texts are the office's alone.
    #[test]
    fn only_the_office_keeps_the_letters_texts() {
        for role in Role::ALL {
            for action in [Action::Read, Action::Write] {
                let expected = if role.is_office() {
                    Access::All
                } else {
                    Access::Never
                };
                assert_eq!(
                    access(role, Resource::LetterTemplate, action),
                    expected,
                    "{role:?}"
                );
            }
        }
    }

    #[test]
    fn everyone_reads_the_catalog() {
        for role in Role::ALL {
            assert_eq!(
                access(role, Resource::Discipline, Action::Read),
                Access::All
            );
        }
    }

    /// Hours: every role reads its own scope's entries (the office all of them); only a
    /// student logs; supervisors and the office approve.
    #[test]
    fn hours_are_read_by_every_party_logged_by_the_student_approved_by_supervisors() {
        for role in Role::ALL {
            let read = access(role, Resource::TimeEntry, Action::Read);
            let office = matches!(role, Role::Admin | Role::Coordinator);
            assert_eq!(
                read,
                if office { Access::All } else { Access::Own },
                "{role:?}"
            );
            let write = access(role, Resource::TimeEntry, Action::Write);
            let expected = match role {
                Role::Student => Access::Own,
                Role::Admin => Access::All,
                _ => Access::Never,
            };
            assert_eq!(write, expected, "{role:?}");
            let approve = access(role, Resource::HoursApproval, Action::Write);
            let expected = match role {
                Role::Preceptor | Role::Faculty => Access::Own,
                Role::Admin | Role::Coordinator => Access::All,
                _ => Access::Never,
            };
            assert_eq!(approve, expected, "{role:?}");
        }
    }

    /// A department manager reads their own department (mutation testing).
    #[test]
    fn a_manager_reads_their_own_department_only() {
        assert_eq!(
            access(Role::DepartmentManager, Resource::Department, Action::Read),
            Access::Own
        );
        assert_eq!(
            access(Role::DepartmentManager, Resource::Department, Action::Write),
            Access::Never
        );
    }
}
