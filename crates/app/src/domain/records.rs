//! The records of a placement's life as every reader sees them: the request a school makes
//! and the placements it becomes. A placement request: what a school asks for (DOMAIN.md "Records", API.md "Placements"),
//! and its status as the lifecycle of a request reads it.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    pub site_id: String,
    pub department_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    /// mon, tue, wed, thu, fri, sat, sun
    pub weekday: String,
    /// HH:MM
    pub starts_at: String,
    pub ends_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub code: String,
    pub title: String,
    pub credits: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacultySupervisor {
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, Serialize)]
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
    pub eligibility: Option<Vec<super::FieldError>>,
    /// With a decision: the placements it created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placements: Option<Vec<Placement>>,
}

impl PlacementRequest {
    /// Named students plus unnamed slots.
    pub fn places(&self) -> i64 {
        self.student_ids.len() as i64 + self.slots
    }
}

/// A placement as every reader sees it: the stored row with its clearance and its shown
/// status derived on read (API.md "Placements").
#[derive(Clone, Debug, serde::Serialize)]
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
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    /// proposed, confirmed, onboarding, cleared, active, completed, cancelled
    pub status: String,
    pub clearance: super::clearance::Clearance,
    pub cancel_reason: Option<String>,
    /// What the placement no longer meets, re-checked on every read (DOMAIN.md rule 1 for
    /// the whole life of a placement); empty when none, and always empty once it is
    /// completed or cancelled.
    pub risks: Vec<super::risk::Risk>,
}

/// A request's status (API.md): `submitted` until the office decides; a decision is taken only
/// on a `submitted` or `waitlisted` request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    Submitted,
    Approved,
    Waitlisted,
    Declined,
    Withdrawn,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [
        RequestStatus::Submitted,
        RequestStatus::Approved,
        RequestStatus::Waitlisted,
        RequestStatus::Declined,
        RequestStatus::Withdrawn,
    ];

    pub fn parse(s: &str) -> Option<RequestStatus> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Submitted => "submitted",
            RequestStatus::Approved => "approved",
            RequestStatus::Waitlisted => "waitlisted",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    /// Still waiting for a decision: it may be decided, withdrawn, or have students named.
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::Submitted | RequestStatus::Waitlisted)
    }

    /// The words for a filter's error message.
    pub fn words() -> String {
        Self::ALL.map(|s| s.as_str()).join(", ")
    }
}

impl PlacementRequest {
    /// The stored status as the enum; an unknown word reads as closed (`Withdrawn` is never
    /// open), which no store write can produce.
    pub fn status(&self) -> RequestStatus {
        RequestStatus::parse(&self.status).unwrap_or(RequestStatus::Withdrawn)
    }

    /// Submitted or waitlisted.
    pub fn is_open(&self) -> bool {
        self.status().is_open()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_submitted_and_waitlisted_are_open_and_every_word_reads_back() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        let open: Vec<_> = RequestStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(
            open,
            vec![RequestStatus::Submitted, RequestStatus::Waitlisted]
        );
        assert_eq!(RequestStatus::parse("pending"), None);
    }

    /// A request's places are its named students plus its unnamed slots.
    #[test]
    fn places_are_named_students_plus_slots() {
        let r = request_with_places(vec!["a".into(), "b".into()], 3);
        assert_eq!(r.places(), 5);
    }

    /// A request is open while submitted or waitlisted, read from its stored word; the filter's
    /// message lists every word.
    #[test]
    fn a_request_is_open_by_its_stored_status() {
        let with = |status: &str| PlacementRequest {
            status: status.into(),
            ..request_with_places(vec![], 0)
        };
        assert!(with("submitted").is_open());
        assert!(with("waitlisted").is_open());
        assert!(!with("approved").is_open());
        assert!(!with("nonsense").is_open());
        assert_eq!(
            RequestStatus::words(),
            "submitted, approved, waitlisted, declined, withdrawn"
        );
        assert_eq!(request_with_places(vec![], 2).places(), 2);
        assert_eq!(request_with_places(vec!["a".into()], 0).places(), 1);
    }

    fn request_with_places(student_ids: Vec<String>, slots: i64) -> PlacementRequest {
        let at = chrono::DateTime::<Utc>::default();
        PlacementRequest {
            id: "r".into(),
            kind: "clinical".into(),
            school_id: "s".into(),
            program_id: "p".into(),
            starts_on: at.date_naive(),
            ends_on: at.date_naive(),
            hours_per_week: 32,
            student_ids,
            slots,
            preferences: vec![],
            shifts: vec![],
            start_window_weeks: 0,
            together: false,
            notes: None,
            course: None,
            faculty_supervisor: None,
            status: "submitted".into(),
            decision_reason: None,
            decided_at: None,
            created_at: at,
            eligibility: None,
            placements: None,
        }
    }
}
