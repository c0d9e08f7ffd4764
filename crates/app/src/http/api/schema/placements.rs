//! Placement requests and placements as the API answers them (API.md "Placements").
use crate::domain::{clearance, records, risk};
use crate::http::error::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Preference {
    pub site_id: String,
    pub department_id: Option<String>,
}

impl From<records::Preference> for Preference {
    fn from(p: records::Preference) -> Self {
        Preference {
            site_id: p.site_id,
            department_id: p.department_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Shift {
    /// mon, tue, wed, thu, fri, sat, sun
    pub weekday: String,
    /// HH:MM
    pub starts_at: String,
    pub ends_at: String,
}

impl From<records::Shift> for Shift {
    fn from(s: records::Shift) -> Self {
        Shift {
            weekday: s.weekday,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Course {
    pub code: String,
    pub title: String,
    pub credits: i64,
}

impl From<records::Course> for Course {
    fn from(c: records::Course) -> Self {
        Course {
            code: c.code,
            title: c.title,
            credits: c.credits,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FacultySupervisor {
    pub name: String,
    pub email: String,
}

impl From<records::FacultySupervisor> for FacultySupervisor {
    fn from(f: records::FacultySupervisor) -> Self {
        FacultySupervisor {
            name: f.name,
            email: f.email,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PlacementRequest {
    pub id: String,
    /// clinical or internship
    pub kind: String,
    pub school_id: String,
    pub program_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours_per_week: i64,
    pub student_ids: Vec<String>,
    /// Places for students not named yet, on top of `student_ids`.
    pub slots: i64,
    pub preferences: Vec<Preference>,
    pub shifts: Vec<Shift>,
    pub start_window_weeks: i64,
    pub together: bool,
    pub notes: Option<String>,
    pub course: Option<Course>,
    pub faculty_supervisor: Option<FacultySupervisor>,
    /// submitted, approved, waitlisted, declined, withdrawn
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// For open requests: the eligibility rules it fails today (empty = eligible). Checked
    /// on every read, so an agreement that lapsed since submission shows here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<Vec<FieldError>>,
    /// With a decision: the placements it created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placements: Option<Vec<Placement>>,
}

impl From<records::PlacementRequest> for PlacementRequest {
    fn from(r: records::PlacementRequest) -> Self {
        PlacementRequest {
            id: r.id,
            kind: r.kind,
            school_id: r.school_id,
            program_id: r.program_id,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            hours_per_week: r.hours_per_week,
            student_ids: r.student_ids,
            slots: r.slots,
            preferences: r.preferences.into_iter().map(Preference::from).collect(),
            shifts: r.shifts.into_iter().map(Shift::from).collect(),
            start_window_weeks: r.start_window_weeks,
            together: r.together,
            notes: r.notes,
            course: r.course.map(Course::from),
            faculty_supervisor: r.faculty_supervisor.map(FacultySupervisor::from),
            status: r.status,
            decision_reason: r.decision_reason,
            decided_at: r.decided_at,
            created_at: r.created_at,
            eligibility: r
                .eligibility
                .map(|e| e.into_iter().map(FieldError::from).collect()),
            placements: r
                .placements
                .map(|p| p.into_iter().map(Placement::from).collect()),
        }
    }
}

/// A placement as every reader sees it: the stored row with its clearance and its shown
/// status derived on read (API.md "Placements").
#[derive(Serialize, ToSchema)]
pub struct Placement {
    pub id: String,
    pub request_id: String,
    pub kind: String,
    /// Null for a seat reserved for a student the school has not named yet.
    pub student_id: Option<String>,
    pub school_id: String,
    pub program_id: String,
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub site_mentor_id: Option<String>,
    pub faculty_supervisor: Option<FacultySupervisor>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// proposed, confirmed, onboarding, cleared, active, completed, cancelled
    pub status: String,
    pub clearance: Clearance,
    pub cancel_reason: Option<String>,
    /// What the placement no longer meets, re-checked on every read (API.md "Risks"); empty
    /// when none, and always empty once it is completed or cancelled.
    pub risks: Vec<Risk>,
}

/// One thing an open placement no longer meets (API.md "Risks").
#[derive(Serialize, ToSchema)]
pub struct Risk {
    /// An eligibility or decision code: `agreement_not_active`, `student_not_enrolled`,
    /// `preceptor_license_expired`, `department_at_capacity`, `student_double_booked`, ...
    pub code: String,
    pub detail: String,
    /// When the write that caused it was recorded (and the office and the school were told);
    /// null for a risk no recorded write caused.
    pub since: Option<DateTime<Utc>>,
}

impl From<risk::Risk> for Risk {
    fn from(r: risk::Risk) -> Self {
        Risk {
            code: r.code.as_str().to_string(),
            detail: r.detail,
            since: r.since,
        }
    }
}

/// An open placement a write puts (or leaves) at risk, in that write's answer.
#[derive(Serialize, ToSchema)]
pub struct AffectedPlacement {
    pub id: String,
    pub risks: Vec<Risk>,
}

impl From<risk::AffectedPlacement> for AffectedPlacement {
    fn from(a: risk::AffectedPlacement) -> Self {
        AffectedPlacement {
            id: a.id,
            risks: a.risks.into_iter().map(Risk::from).collect(),
        }
    }
}

/// `affected_placements` of a write's answer.
pub fn affected(list: Option<Vec<risk::AffectedPlacement>>) -> Option<Vec<AffectedPlacement>> {
    list.map(|l| l.into_iter().map(AffectedPlacement::from).collect())
}

impl From<records::Placement> for Placement {
    fn from(p: records::Placement) -> Self {
        Placement {
            id: p.id,
            request_id: p.request_id,
            kind: p.kind,
            student_id: p.student_id,
            school_id: p.school_id,
            program_id: p.program_id,
            department_id: p.department_id,
            preceptor_id: p.preceptor_id,
            site_mentor_id: p.site_mentor_id,
            faculty_supervisor: p.faculty_supervisor.map(FacultySupervisor::from),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            status: p.status,
            clearance: p.clearance.into(),
            cancel_reason: p.cancel_reason,
            risks: p.risks.into_iter().map(Risk::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Clearance {
    /// cleared, pending or blocked
    pub status: String,
    /// Requirement codes not yet verified.
    pub missing: Vec<String>,
    /// Requirement codes that lapse before the placement ends.
    pub expiring: Vec<String>,
}

impl From<clearance::Clearance> for Clearance {
    fn from(c: clearance::Clearance) -> Self {
        Clearance {
            status: c.status,
            missing: c.missing,
            expiring: c.expiring,
        }
    }
}
