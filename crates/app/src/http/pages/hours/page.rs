//! The hours page's template and its parts: totals, entry rows, the forms; the entries' CSV table.
use super::*;

/// The entries as a table, for the CSV (dates ISO, codes as words the API uses).
pub fn entries_table(entries: &[TimeEntryRow], caption: &str) -> Table {
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
    t
}

/// The totals block: words first, then a `<progress>` labelled by them.
pub struct TotalsView {
    pub approved: String,
    pub required: String,
    pub pending: String,
    pub returned: String,
    pub absences: i64,
    pub percent: i64,
    pub per_week: i64,
}

impl From<&PlacementHours> for TotalsView {
    fn from(h: &PlacementHours) -> Self {
        let t = &h.totals;
        TotalsView {
            approved: hours::hours_text(t.approved_minutes),
            required: hours::hours_text(t.required_minutes),
            pending: hours::hours_text(t.pending_minutes),
            returned: hours::hours_text(t.returned_minutes),
            absences: t.absences,
            percent: t.percent_approved(),
            per_week: h.hours_per_week,
        }
    }
}

pub struct LogForm {
    pub action: String,
    pub fields: Vec<Field>,
}

pub struct DecideForm {
    pub action: String,
    pub back: String,
}

/// One entry as a row of the page.
pub struct EntryView {
    pub id: String,
    pub label: String,
    pub student: String,
    pub href: String,
    pub day: String,
    pub hours: String,
    pub time: String,
    pub activity: String,
    pub notes: String,
    pub status: String,
    pub style: &'static str,
    pub note: String,
    pub selectable: bool,
    pub deletable: bool,
    pub delete_action: String,
    pub edit_href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "hours.html")]
pub struct HoursPage {
    pub chrome: Chrome,
    pub intro: String,
    pub summary: Summary,
    pub actions: Vec<(String, String)>,
    pub totals: Option<TotalsView>,
    pub log: Option<LogForm>,
    pub caption: String,
    pub empty: String,
    pub entries: Vec<EntryView>,
    pub show_student: bool,
    pub show_delete: bool,
    pub decide: Option<DecideForm>,
    pub csv_href: String,
    pub placements: Option<Table>,
    pub placements_csv: String,
    /// The placements table's filter bar (`overdue`).
    pub placements_filters: Vec<Field>,
}

fn status_style(status: &str) -> &'static str {
    match status {
        "approved" => "ok",
        "returned" => "bad",
        _ => "warn",
    }
}

fn status_word(status: &str) -> &'static str {
    match status {
        "approved" => "approved",
        "returned" => "returned",
        _ => "waiting for approval",
    }
}

pub(super) fn entry_view(
    e: &TimeEntryRow,
    student: String,
    selectable: bool,
    deletable: bool,
) -> EntryView {
    let absence = e.kind == "absence";
    let time = match (&e.clock_in, &e.clock_out) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    };
    let activity = if absence {
        let mut s = format!("Absent: {}", e.absence_reason.clone().unwrap_or_default());
        if let Some(m) = e.make_up_on {
            s.push_str(&format!(" (made up on {})", human_date(m)));
        }
        s
    } else {
        e.activity.clone().unwrap_or_default()
    };
    let note = match (&e.decision_note, &e.decided_by_name) {
        (Some(n), Some(by)) => format!("{n} ({by})"),
        (None, Some(by)) => format!("by {by}"),
        (Some(n), None) => n.clone(),
        _ => String::new(),
    };
    let day = human_date(e.entry_date);
    EntryView {
        label: format!("{student} {day}").trim().to_string(),
        href: format!("/placements/{}/hours", e.placement_id),
        delete_action: format!("/placements/{}/hours/{}/delete", e.placement_id, e.id),
        edit_href: format!("/placements/{}/hours/{}/edit", e.placement_id, e.id),
        id: e.id.clone(),
        student,
        day,
        hours: if absence {
            "0".into()
        } else {
            hours::hours_text(e.minutes)
        },
        time,
        activity,
        notes: e.notes.clone().unwrap_or_default(),
        status: status_word(&e.status).into(),
        style: status_style(&e.status),
        note,
        selectable,
        deletable,
    }
}
