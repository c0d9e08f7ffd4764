//! The directory's records as the API answers them: sites, departments, schools, agreements,
//! programs, students, staff, users and the discipline catalog.
use crate::db;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Discipline {
    pub code: String,
    pub name: String,
    pub clinical: bool,
    pub accreditor: String,
}

impl From<db::disciplines::Discipline> for Discipline {
    fn from(d: db::disciplines::Discipline) -> Self {
        Discipline {
            code: d.code,
            name: d.name,
            clinical: d.clinical,
            accreditor: d.accreditor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Site {
    pub id: String,
    pub name: String,
    /// Street address (null when not recorded).
    pub address: Option<String>,
    /// Parking, badge pick-up, whom to ask for on the first day (null when not recorded).
    pub arrival_notes: Option<String>,
}

impl From<db::sites::Site> for Site {
    fn from(s: db::sites::Site) -> Self {
        Site {
            id: s.id,
            name: s.name,
            address: s.address,
            arrival_notes: s.arrival_notes,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Department {
    pub id: String,
    pub site_id: String,
    pub name: String,
    pub setting: String,
    pub capacity: i64,
    /// Discipline codes the department hosts.
    pub disciplines: Vec<String>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<super::AffectedPlacement>>,
}

impl From<db::departments::Department> for Department {
    fn from(d: db::departments::Department) -> Self {
        Department {
            affected_placements: super::affected(d.affected_placements.clone()),
            id: d.id,
            site_id: d.site_id,
            name: d.name,
            setting: d.setting,
            capacity: d.capacity,
            disciplines: d.disciplines,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct School {
    pub id: String,
    pub name: String,
    pub city: String,
    pub state: String,
}

impl From<db::schools::School> for School {
    fn from(s: db::schools::School) -> Self {
        School {
            id: s.id,
            name: s.name,
            city: s.city,
            state: s.state,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Agreement {
    pub id: String,
    pub school_id: String,
    /// `draft`, `active` or `terminated`.
    pub status: String,
    pub effective_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// Discipline codes covered; empty = all.
    pub disciplines: Vec<String>,
    pub note: Option<String>,
    /// The signed agreement, if uploaded: download at `/api/v1/agreements/{id}/document`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_size: Option<i64>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<super::AffectedPlacement>>,
}

impl From<db::agreements::Agreement> for Agreement {
    fn from(a: db::agreements::Agreement) -> Self {
        Agreement {
            affected_placements: super::affected(a.affected_placements.clone()),
            id: a.id,
            school_id: a.school_id,
            status: a.status,
            effective_on: a.effective_on,
            expires_on: a.expires_on,
            disciplines: a.disciplines,
            note: a.note,
            document_name: a.document_name,
            document_size: a.document_size,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Program {
    pub id: String,
    pub school_id: String,
    /// A name the school uses, e.g. "BS in Radiologic Sciences".
    pub name: String,
    pub discipline: String,
    /// `certificate`, `associate`, `baccalaureate`, `masters`, `doctoral`.
    pub degree_level: String,
    pub accreditor: String,
    pub accredited_until: Option<NaiveDate>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<super::AffectedPlacement>>,
}

impl From<db::programs::Program> for Program {
    fn from(p: db::programs::Program) -> Self {
        Program {
            affected_placements: super::affected(p.affected_placements.clone()),
            id: p.id,
            school_id: p.school_id,
            name: p.name,
            discipline: p.discipline,
            degree_level: p.degree_level,
            accreditor: p.accreditor,
            accredited_until: p.accredited_until,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Student {
    pub id: String,
    pub school_id: String,
    pub program_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// `enrolled`, `leave`, `graduated`, `withdrawn`.
    pub enrollment_status: String,
    pub expected_graduation: Option<NaiveDate>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<super::AffectedPlacement>>,
    /// Every enrollment, current and ended, oldest first (an extension of API v1: one person
    /// may study in several programs; a transfer ends one and starts another). The fields
    /// above are the primary enrollment's: the oldest current one.
    pub enrollments: Vec<Enrollment>,
}

/// One enrollment of a student.
#[derive(Serialize, ToSchema)]
pub struct Enrollment {
    pub id: String,
    pub school_id: String,
    pub program_id: String,
    /// `enrolled`, `leave`, `graduated`, `withdrawn`.
    pub enrollment_status: String,
    pub expected_graduation: Option<NaiveDate>,
    /// When the student started in it.
    pub started_at: chrono::DateTime<chrono::Utc>,
    /// When it ended; absent while current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why it ended: `transferred`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<String>,
}

impl From<db::enrollments::Enrollment> for Enrollment {
    fn from(e: db::enrollments::Enrollment) -> Self {
        Enrollment {
            id: e.id,
            school_id: e.school_id,
            program_id: e.program_id,
            enrollment_status: e.status,
            expected_graduation: e.expected_graduation,
            started_at: e.started_at,
            ended_at: e.ended_at,
            ended_reason: e.ended_reason,
        }
    }
}

impl From<db::students::Student> for Student {
    fn from(s: db::students::Student) -> Self {
        Student {
            affected_placements: super::affected(s.affected_placements.clone()),
            id: s.id,
            school_id: s.school_id,
            program_id: s.program_id,
            first_name: s.first_name,
            last_name: s.last_name,
            email: s.email,
            enrollment_status: s.enrollment_status,
            expected_graduation: s.expected_graduation,
            enrollments: s.enrollments.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Leave {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl From<db::staff::Leave> for Leave {
    fn from(l: db::staff::Leave) -> Self {
        Leave {
            starts_on: l.starts_on,
            ends_on: l.ends_on,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Staff {
    pub id: String,
    pub name: String,
    pub email: String,
    pub department_id: String,
    pub discipline: Option<String>,
    pub credential: Option<String>,
    pub license_number: Option<String>,
    pub license_expires_on: Option<NaiveDate>,
    pub is_preceptor: bool,
    pub max_students: i64,
    pub leave: Vec<Leave>,
    /// In a write's answer only, when there are any: the open placements depending on this
    /// record that are at risk after the write (API.md "Risks").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affected_placements: Option<Vec<super::AffectedPlacement>>,
}

impl From<db::staff::Staff> for Staff {
    fn from(s: db::staff::Staff) -> Self {
        Staff {
            affected_placements: super::affected(s.affected_placements.clone()),
            id: s.id,
            name: s.name,
            email: s.email,
            department_id: s.department_id,
            discipline: s.discipline,
            credential: s.credential,
            license_number: s.license_number,
            license_expires_on: s.license_expires_on,
            is_preceptor: s.is_preceptor,
            max_students: s.max_students,
            leave: s.leave.into_iter().map(Leave::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub student_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// True while an admin has disabled the account: it cannot sign in and has no sessions;
    /// its records stay.
    pub disabled: bool,
}

impl From<db::users::User> for User {
    fn from(u: db::users::User) -> Self {
        User {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            school_id: u.school_id,
            staff_id: u.staff_id,
            student_id: u.student_id,
            created_at: u.created_at,
            disabled: u.disabled_at.is_some(),
        }
    }
}
