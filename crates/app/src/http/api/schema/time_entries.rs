//! Time entries and a placement's hours as the API answers them (issue 15 point 4).
use crate::db::time_entries::TimeEntryRow;
use crate::domain::hours;
use crate::service::time_entries::PlacementHours;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct TimeEntry {
    pub id: String,
    pub placement_id: String,
    pub student_id: String,
    pub date: NaiveDate,
    /// worked, absence
    pub kind: String,
    /// Hours counted: as given, or from clock-in to clock-out; 0 for an absence.
    pub hours: f64,
    /// HH:MM
    pub clock_in: Option<String>,
    pub clock_out: Option<String>,
    pub activity: Option<String>,
    pub notes: Option<String>,
    pub absence_reason: Option<String>,
    pub make_up_on: Option<NaiveDate>,
    /// pending, approved (locked), returned (to the student, with the note)
    pub status: String,
    pub decision_note: Option<String>,
    /// Who approved or returned it.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// When it last started waiting for its supervisor.
    pub submitted_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TimeEntryRow> for TimeEntry {
    fn from(r: TimeEntryRow) -> Self {
        TimeEntry {
            hours: hours::hours_of(r.minutes),
            id: r.id,
            placement_id: r.placement_id,
            student_id: r.student_id,
            date: r.entry_date,
            kind: r.kind,
            clock_in: r.clock_in,
            clock_out: r.clock_out,
            activity: r.activity,
            notes: r.notes,
            absence_reason: r.absence_reason,
            make_up_on: r.make_up_on,
            status: r.status,
            decision_note: r.decision_note,
            decided_by: r.decided_by_name,
            decided_at: r.decided_at,
            submitted_at: r.submitted_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A placement's hours against what it requires.
#[derive(Serialize, ToSchema)]
pub struct Hours {
    pub placement_id: String,
    /// The request's hours per week.
    pub hours_per_week: i64,
    /// The hours per week over the placement's weeks (its days over 7).
    pub required_hours: f64,
    pub approved_hours: f64,
    pub pending_hours: f64,
    pub returned_hours: f64,
    /// Approved hours as a whole percentage of the required ones (0–100).
    pub percent_approved: i64,
    pub entries: i64,
    pub absences: i64,
}

impl From<PlacementHours> for Hours {
    fn from(h: PlacementHours) -> Self {
        let t = &h.totals;
        Hours {
            required_hours: hours::hours_of(t.required_minutes),
            approved_hours: hours::hours_of(t.approved_minutes),
            pending_hours: hours::hours_of(t.pending_minutes),
            returned_hours: hours::hours_of(t.returned_minutes),
            percent_approved: t.percent_approved(),
            entries: t.entries,
            absences: t.absences,
            placement_id: h.placement_id,
            hours_per_week: h.hours_per_week,
        }
    }
}
