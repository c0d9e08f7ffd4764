//! Attendance and hours pages (issue 15 point 4): a placement's hours (totals with a progress
//! bar, the entries, the student's "Log hours" form, the supervisor's approve and return), and
//! "Hours" / "Hours to approve" across placements for every role.
use super::view::{Cell, Table, human_date};
use crate::db::time_entries::TimeEntryRow;
use crate::domain::hours;

/// The entries as a table: on the page (`with_student` adds the student's name column first
/// when the caller passes names) and in the CSV, where dates are ISO.
pub fn entries_table(entries: &[TimeEntryRow], caption: &str, _with_student: bool) -> Table {
    let mut t = Table::new(
        caption,
        vec![
            "date",
            "kind",
            "hours",
            "clock_in",
            "clock_out",
            "activity",
            "notes",
            "absence_reason",
            "make_up_on",
            "status",
            "decision_note",
            "decided_by",
            "decided_at",
        ],
        "No hours logged yet.",
    );
    for e in entries {
        t.rows.push(vec![
            Cell::date(Some(e.entry_date)),
            Cell::text(&e.kind),
            Cell::text(hours::hours_text(e.minutes)),
            Cell::text(e.clock_in.clone().unwrap_or_default()),
            Cell::text(e.clock_out.clone().unwrap_or_default()),
            Cell::text(e.activity.clone().unwrap_or_default()),
            Cell::text(e.notes.clone().unwrap_or_default()),
            Cell::text(e.absence_reason.clone().unwrap_or_default()),
            Cell::date(e.make_up_on),
            Cell::text(&e.status),
            Cell::text(e.decision_note.clone().unwrap_or_default()),
            Cell::text(e.decided_by_name.clone().unwrap_or_default()),
            Cell::text(e.decided_at.map(|t| t.to_rfc3339()).unwrap_or_default()),
        ]);
    }
    let _ = human_date;
    t
}
