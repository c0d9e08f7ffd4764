//! Shifts, calendar feeds and who is on site as the API answers them (issue 15).
use crate::db::shifts::ShiftRow;
use crate::service::on_site::OnSite as OnSiteRecord;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// One day of a placement.
#[derive(Serialize, ToSchema)]
pub struct PlacementShift {
    pub id: String,
    pub placement_id: String,
    pub date: NaiveDate,
    /// HH:MM in the office's time zone
    pub starts_at: String,
    /// HH:MM; earlier than starts_at: the next day
    pub ends_at: String,
    pub department_id: String,
    /// The preceptor or site mentor (staff id).
    pub supervisor_id: Option<String>,
    /// The faculty member of an internship (user id).
    pub faculty_user_id: Option<String>,
    /// regular, make_up
    pub kind: String,
    /// scheduled, cancelled
    pub status: String,
    pub cancel_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<ShiftRow> for PlacementShift {
    fn from(s: ShiftRow) -> Self {
        PlacementShift {
            id: s.id,
            placement_id: s.placement_id,
            date: s.date,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            department_id: s.department_id,
            supervisor_id: s.supervisor_staff_id,
            faculty_user_id: s.supervisor_user_id,
            kind: s.kind,
            status: s.status,
            cancel_reason: s.cancel_reason,
            updated_at: s.updated_at,
        }
    }
}

/// A new private calendar feed link; the old one stops working.
#[derive(Serialize, ToSchema)]
pub struct CalendarFeed {
    /// The secret URL to subscribe to (shown once: only its hash is kept).
    pub url: String,
}

/// One student on site on the day asked for.
#[derive(Serialize, ToSchema)]
pub struct OnSite {
    pub shift_id: String,
    pub placement_id: String,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    /// regular, make_up
    pub kind: String,
    pub site_id: String,
    pub site_name: String,
    pub department_id: String,
    pub department_name: String,
    pub student_id: Option<String>,
    pub student_name: String,
    pub supervisor_name: Option<String>,
    /// cleared, pending or blocked
    pub clearance: String,
    /// Requirement codes not verified yet.
    pub missing: Vec<String>,
    pub badge_in_order: bool,
    /// Risk codes, as `placement.risks[].code`.
    pub risks: Vec<String>,
    /// Not cleared, badge missing or at risk.
    pub needs_attention: bool,
}

impl From<OnSiteRecord> for OnSite {
    fn from(o: OnSiteRecord) -> Self {
        OnSite {
            needs_attention: o.needs_attention(),
            shift_id: o.shift_id,
            placement_id: o.placement_id,
            date: o.date,
            starts_at: o.starts_at,
            ends_at: o.ends_at,
            kind: o.kind,
            site_id: o.site_id,
            site_name: o.site_name,
            department_id: o.department_id,
            department_name: o.department_name,
            student_id: o.student_id,
            student_name: o.student_name,
            supervisor_name: o.supervisor_name,
            clearance: o.clearance,
            missing: o.missing,
            badge_in_order: o.badge_in_order,
            risks: o.risks,
        }
    }
}

/// `GET /api/v1/on-site`: the day and who is on site.
#[derive(Serialize, ToSchema)]
pub struct OnSiteDay {
    pub date: NaiveDate,
    pub items: Vec<OnSite>,
}
