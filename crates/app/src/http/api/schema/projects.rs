//! Internship projects and offboarding tasks as the API answers them (issue 16 points 4, 6).
use crate::db::offboarding::{ListedTask, TaskRow};
use crate::db::projects::ItemRow;
use crate::domain::offboarding;
use crate::service::projects::Project as ProjectRecord;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A learning objective or a project milestone.
#[derive(Serialize, ToSchema)]
pub struct ProjectItem {
    pub id: String,
    pub placement_id: String,
    /// objective, milestone
    pub kind: String,
    pub title: String,
    /// Milestones: the day it is due.
    pub due_on: Option<NaiveDate>,
    /// Milestones: planned, in_progress, done, dropped.
    pub status: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<ItemRow> for ProjectItem {
    fn from(i: ItemRow) -> Self {
        ProjectItem {
            id: i.id,
            placement_id: i.placement_id,
            kind: i.kind,
            title: i.title,
            due_on: i.due_on,
            status: i.status,
            updated_at: i.updated_at,
        }
    }
}

/// One party's agreement to the plan.
#[derive(Serialize, ToSchema)]
pub struct PartyAgreement {
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub at: DateTime<Utc>,
}

/// The last time a change to the plan cleared the agreements.
#[derive(Serialize, ToSchema)]
pub struct AgreementReset {
    pub at: DateTime<Utc>,
    pub by: Option<String>,
    /// Who changed what, in words.
    pub reason: Option<String>,
}

/// The final deliverable.
#[derive(Serialize, ToSchema)]
pub struct Deliverable {
    pub file_name: Option<String>,
    pub size: Option<i64>,
    pub uploaded_at: Option<DateTime<Utc>>,
    /// submitted, accepted, returned
    pub status: String,
    /// The faculty member's note (required when returned).
    pub note: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// An internship's project.
#[derive(Serialize, ToSchema)]
pub struct Project {
    pub placement_id: String,
    pub objectives: Vec<ProjectItem>,
    pub milestones: Vec<ProjectItem>,
    pub faculty_agreement: Option<PartyAgreement>,
    /// Null also when the internship has no site mentor (see `needs_site_mentor`).
    pub site_mentor_agreement: Option<PartyAgreement>,
    pub needs_site_mentor: bool,
    /// The faculty member and (if there is one) the site mentor agreed to the plan as it is.
    pub agreed: bool,
    pub agreement_reset: Option<AgreementReset>,
    pub deliverable: Option<Deliverable>,
}

impl From<ProjectRecord> for Project {
    fn from(p: ProjectRecord) -> Self {
        let agreed = p.agreed();
        let item = |i: &ItemRow| ProjectItem::from(i.clone());
        let objectives = p.objectives().map(item).collect();
        let milestones = p.milestones().map(item).collect();
        let r = p.row;
        Project {
            placement_id: r.placement_id,
            objectives,
            milestones,
            faculty_agreement: r.faculty_agreed_at.map(|at| PartyAgreement {
                user_id: r.faculty_agreed_by,
                name: r.faculty_agreed_by_name,
                at,
            }),
            site_mentor_agreement: r.mentor_agreed_at.map(|at| PartyAgreement {
                user_id: r.mentor_agreed_by,
                name: r.mentor_agreed_by_name,
                at,
            }),
            needs_site_mentor: p.has_mentor,
            agreed,
            agreement_reset: r.agreement_reset_at.map(|at| AgreementReset {
                at,
                by: r.agreement_reset_by_name,
                reason: r.agreement_reset_reason,
            }),
            deliverable: r.deliverable_status.map(|status| Deliverable {
                file_name: r.deliverable_name,
                size: r.deliverable_size,
                uploaded_at: r.deliverable_uploaded_at,
                status,
                note: r.deliverable_note,
                reviewed_by: r.deliverable_reviewed_by_name,
                reviewed_at: r.deliverable_reviewed_at,
            }),
        }
    }
}

/// Something provisioned for a placement that must end with it.
#[derive(Serialize, ToSchema)]
pub struct OffboardingTask {
    pub id: String,
    pub placement_id: String,
    /// collect_badge, disable_network_account, disable_ehr_account, revoke_parking
    pub kind: String,
    /// The task in words.
    pub title: String,
    pub due_on: NaiveDate,
    /// open, overdue, done (on today, the office's date)
    pub state: String,
    /// completed or cancelled: how the placement ended.
    pub ended_as: String,
    pub student_name: Option<String>,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub site_name: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
    /// Who ticked it (user id and name).
    pub done_by: Option<String>,
    pub done_by_name: Option<String>,
}

impl OffboardingTask {
    pub fn of(t: TaskRow, today: NaiveDate) -> Self {
        let state = offboarding::state(t.done_at.is_some(), t.due_on, today);
        OffboardingTask {
            title: offboarding::TaskKind::parse(&t.kind)
                .map_or("Offboarding task", |k| k.words())
                .into(),
            id: t.id,
            placement_id: t.placement_id,
            kind: t.kind,
            due_on: t.due_on,
            state: state.as_str().into(),
            ended_as: t.ended_as,
            student_name: None,
            department_id: None,
            department_name: None,
            site_name: None,
            done_at: t.done_at,
            done_by: t.done_by,
            done_by_name: t.done_by_name,
        }
    }

    pub fn listed(t: ListedTask, today: NaiveDate) -> Self {
        OffboardingTask {
            student_name: t.student_name,
            department_id: Some(t.department_id),
            department_name: Some(t.department_name),
            site_name: Some(t.site_name),
            ..OffboardingTask::of(t.task, today)
        }
    }
}
