//! The office's other answers: notifications, the audit trail, inquiries and the summary report.
use crate::db;
use crate::service::{notifications, reports};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Notification {
    pub id: String,
    pub user_id: String,
    /// What happened: `document_rejected`, `document_uploaded`, ...
    pub kind: String,
    pub message: String,
    /// Where to look, a path on this site.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<db::notifications::Notification> for Notification {
    fn from(n: db::notifications::Notification) -> Self {
        Notification {
            id: n.id,
            user_id: n.user_id,
            kind: n.kind,
            message: n.message,
            link: n.link,
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MarkedRead {
    /// How many notifications were unread and are now read.
    pub marked: u64,
}

impl From<notifications::MarkedRead> for MarkedRead {
    fn from(m: notifications::MarkedRead) -> Self {
        MarkedRead { marked: m.marked }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl From<db::audit::AuditEvent> for AuditEvent {
    fn from(e: db::audit::AuditEvent) -> Self {
        AuditEvent {
            id: e.id,
            at: e.at,
            actor_id: e.actor_id,
            actor: e.actor,
            action: e.action,
            record_type: e.record_type,
            record_id: e.record_id,
            before: e.before,
            after: e.after,
            ip: e.ip,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Inquiry {
    pub id: String,
    pub name: String,
    pub email: String,
    pub is_student: bool,
    /// clinical, internship, observership, volunteer
    pub interest: String,
    pub school: Option<String>,
    pub program: Option<String>,
    pub message: Option<String>,
    /// placement_request, observership, volunteer
    pub route: String,
    /// new, contacted, closed
    pub status: String,
    pub created_at: DateTime<Utc>,
}

impl From<db::inquiries::Inquiry> for Inquiry {
    fn from(i: db::inquiries::Inquiry) -> Self {
        Inquiry {
            id: i.id,
            name: i.name,
            email: i.email,
            is_student: i.is_student,
            interest: i.interest,
            school: i.school,
            program: i.program,
            message: i.message,
            route: i.route,
            status: i.status,
            created_at: i.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub students: i64,
}

impl From<reports::Bucket> for Bucket {
    fn from(b: reports::Bucket) -> Self {
        Bucket {
            key: b.key,
            label: b.label,
            students: b.students,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Summary {
    pub year: i32,
    pub total: i64,
    pub by_discipline: Vec<Bucket>,
    pub by_degree_level: Vec<Bucket>,
    pub by_school: Vec<Bucket>,
    pub by_department: Vec<Bucket>,
    pub by_kind: Vec<Bucket>,
}

impl From<reports::Summary> for Summary {
    fn from(s: reports::Summary) -> Self {
        let buckets = |v: Vec<reports::Bucket>| v.into_iter().map(Bucket::from).collect();
        Summary {
            year: s.year,
            total: s.total,
            by_discipline: buckets(s.by_discipline),
            by_degree_level: buckets(s.by_degree_level),
            by_school: buckets(s.by_school),
            by_department: buckets(s.by_department),
            by_kind: buckets(s.by_kind),
        }
    }
}
