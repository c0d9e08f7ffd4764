//! Attendance and hours pages (issue 15 point 4): a placement's hours (totals with a progress
//! bar, the entries, the student's "Log hours" form, the supervisor's approve and return), and
//! "Hours" / "Hours to approve" across placements for every role. Same services as the API.
use super::view::{Cell, Field, Table, human_date, word_options};
use super::{
    Chrome, Form, FormPage, PageError, PageId, PageResult, PageUser, Summary, form_failed, see,
    wants_csv,
};
use crate::db::{self, Scope, placements::PlacementRow, time_entries::TimeEntryRow};
use crate::domain::{
    Role,
    hours::{self, EntryStatus},
    policy::{Action, Resource},
};
use crate::error::AppError;
use crate::http::{extract::Params, input};
use crate::service::time_entries::{self as service, PlacementHours};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hours", get(overview))
        .route("/hours/decide", post(decide))
        .route("/placements/{id}/hours", get(placement_hours).post(log))
        .route(
            "/placements/{id}/hours/{entry_id}/delete",
            post(delete_entry),
        )
        .route(
            "/placements/{id}/hours/{entry_id}/edit",
            get(edit_form).post(edit),
        )
}

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

fn entry_view(e: &TimeEntryRow, student: String, selectable: bool, deletable: bool) -> EntryView {
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

fn log_fields(today: chrono::NaiveDate) -> Vec<Field> {
    vec![
        Field::new("date", "Day", "date")
            .required()
            .value(today.to_string()),
        Field::new("kind", "What", "select")
            .required()
            .options(word_options(&[
                ("worked", "Worked"),
                ("absence", "Absence"),
            ]))
            .value("worked"),
        Field::new("hours", "Hours", "text")
            .hint("For example 7.5; or leave empty and give the clock-in and clock-out times"),
        Field::new("clock_in", "Clock in", "time"),
        Field::new("clock_out", "Clock out", "time"),
        Field::new("activity", "Activity", "text").hint("What you did (for a worked day)"),
        Field::new("notes", "Notes", "textarea"),
        Field::new("absence_reason", "Reason for the absence", "text").hint("For an absence only"),
        Field::new("make_up_on", "Make-up day", "date").hint(format!(
            "For an absence: the day you will make it up (up to {} days after the placement ends)",
            hours::MAKE_UP_DAYS
        )),
    ]
}

/// Whether the caller approves this placement's entries (the office, its preceptor, its
/// faculty member), as the service decides it.
fn approves(user: &PageUser, row: &PlacementRow) -> bool {
    match user.p.authorize(Resource::HoursApproval, Action::Write) {
        Ok(Scope::All) => true,
        Ok(Scope::Staff(s)) => row.preceptor_id.as_deref() == Some(s.as_str()),
        Ok(Scope::Faculty(u)) => row.faculty_user_id.as_deref() == Some(u.as_str()),
        _ => false,
    }
}

async fn student_name(st: &AppState, id: Option<&str>) -> Result<String, PageError> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    let mut tx = st.db.read().await?;
    Ok(db::students::get(&mut tx, id)
        .await?
        .map(|s| s.full_name())
        .unwrap_or_default())
}

/// The placement's hours page, with the log form's problems when a post failed.
async fn render_placement(
    st: &AppState,
    user: &PageUser,
    id: &str,
    failed: Option<(&Form, crate::domain::Problems)>,
) -> PageResult {
    let (row, entries) = service::entries_of(st, &user.p, id).await?;
    let totals = service::totals(st, &user.p, id).await?;
    let is_student = user.p.role == Role::Student;
    let decides = approves(user, &row);
    let name = student_name(st, row.student_id.as_deref()).await?;
    let views: Vec<EntryView> = entries
        .iter()
        .map(|e| {
            let open = EntryStatus::parse(&e.status).is_some_and(EntryStatus::is_open);
            entry_view(e, name.clone(), decides && open, is_student && open)
        })
        .collect();
    let log = (is_student && row.status == "active").then(|| {
        let mut fields = log_fields(st.clock.today());
        if let Some((form, _)) = &failed {
            for f in &mut fields {
                f.value = form.get(&f.name).unwrap_or("").to_string();
            }
        }
        LogForm {
            action: format!("/placements/{id}/hours"),
            fields,
        }
    });
    let mut summary = vec![];
    let mut log = log;
    if let (Some((_, problems)), Some(form)) = (&failed, log.as_mut()) {
        for e in &problems.0 {
            let field = e.field.as_deref().unwrap_or("");
            let target = form.fields.iter_mut().find(|f| f.name == field);
            let (anchor, label) = match target {
                Some(f) => {
                    if f.error.is_empty() {
                        f.error = e.message.clone();
                    }
                    (f.id(), f.label.clone())
                }
                None => (String::new(), String::new()),
            };
            let message = if label.is_empty() {
                e.message.clone()
            } else {
                format!("{label}: {}", e.message)
            };
            summary.push((anchor, message));
        }
    }
    let intro = format!(
        "{} — {} to {}.",
        if name.is_empty() {
            "Placement".to_string()
        } else {
            name.clone()
        },
        human_date(row.starts_on),
        human_date(row.ends_on)
    );
    let title = if is_student { "My hours" } else { "Hours" };
    Ok(HoursPage {
        chrome: user.chrome(title),
        intro,
        summary,
        actions: vec![(format!("/placements/{id}"), "The placement".into())],
        totals: Some((&totals).into()),
        log,
        caption: "Entries".into(),
        empty: "No hours logged yet.".into(),
        entries: views,
        show_student: false,
        show_delete: is_student,
        decide: decides.then(|| DecideForm {
            action: "/hours/decide".into(),
            back: format!("/placements/{id}/hours"),
        }),
        csv_href: format!("/placements/{id}/hours?format=csv"),
        placements: None,
        placements_csv: String::new(),
        placements_filters: vec![],
    }
    .into_response())
}

async fn placement_hours(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    if wants_csv(&params) {
        let (_, entries) = service::entries_of(&st, &user.p, &id).await?;
        return Ok(crate::http::download_csv(
            &format!("hours-{id}.csv"),
            entries_table(&entries, "Entries").csv(),
        ));
    }
    render_placement(&st, &user, &id, None).await
}

/// The student's "Log hours" form: saved and back to the list, or shown again with every
/// problem beside its field.
async fn log(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let parsed = input::time_entries::entry(form.to_map(&[], &[]), true);
    match service::log_entry(&st, &user.p, &id, parsed).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/hours"), "saved")),
        Err(AppError::Rejected(p)) => {
            let status =
                StatusCode::from_u16(p.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let page = render_placement(&st, &user, &id, Some((&form, p))).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn delete_entry(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, entry_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (id, entry_id) = entry_ids(&id, &entry_id)?;
    service::delete_entry(&st, &user.p, &id, &entry_id).await?;
    Ok(see(&format!("/placements/{id}/hours"), "saved"))
}

/// Where a decision form may send the person back to: their hours page, or a placement's.
fn back_to(back: Option<&str>) -> String {
    let ok = back.filter(|b| {
        *b == "/hours"
            || b.strip_prefix("/placements/")
                .and_then(|r| r.strip_suffix("/hours"))
                .and_then(crate::http::extract::parse_id)
                .is_some()
    });
    ok.unwrap_or("/hours").to_string()
}

/// Approve or return the ticked entries, with the note: all or none.
async fn decide(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    user.p.authorize(Resource::HoursApproval, Action::Write)?;
    let back = back_to(form.get("back"));
    let mut map = form.to_map(&["ids"], &[]);
    map.remove("back");
    let parsed = input::time_entries::batch(map)?;
    service::decide_entries(&st, &user.p, parsed).await?;
    Ok(see(&back, "saved"))
}

/// "Hours" for every role: the placements in scope with their totals (and a CSV of them); for
/// a preceptor, faculty member and the office, the entries waiting for their approval with
/// boxes to approve or return many at once.
async fn overview(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::TimeEntry, Action::Read)?;
    let placement_scope = user.p.authorize(Resource::Placement, Action::Read)?;
    // `overdue=yes` (the office's dashboard): only the placements with hours waiting for
    // approval longer than the reminder's week, read by their ids.
    let overdue = params.bool("overdue")?.unwrap_or(false);
    let mut tx = st.db.read().await?;
    let rows = if overdue {
        let before = crate::service::dashboard::hours_overdue_before(&st);
        let mut rows = vec![];
        for id in db::dashboard::placement_ids_with_hours_overdue(&mut tx, before).await? {
            if let Some(r) = db::placements::get(&mut tx, &id).await?
                && crate::service::placements::visible(&placement_scope, &r)
            {
                rows.push(r);
            }
        }
        rows
    } else {
        db::placements::list(
            &mut tx,
            &placement_scope,
            &db::placements::Filter::default(),
            &db::Page {
                limit: 500,
                after: None,
                sort: None,
            },
        )
        .await?
        .items
    };
    let rows: Vec<PlacementRow> = rows
        .into_iter()
        .filter(|r| matches!(r.status.as_str(), "active" | "completed") && r.student_id.is_some())
        .collect();
    let mut names: Vec<(String, String)> = vec![];
    let mut table = Table::new(
        if overdue {
            "Placements with hours waiting over a week for approval"
        } else {
            "Placements and their hours"
        },
        vec![
            "Student",
            "Period",
            "Status",
            "Approved hours",
            "Required hours",
            "Approved",
            "Waiting",
            "Returned",
        ],
        "No active or completed placements.",
    );
    for r in &rows {
        let h = service::hours_of(&mut tx, r).await?;
        let name = match &r.student_id {
            Some(sid) => match names.iter().find(|(i, _)| i == sid) {
                Some((_, n)) => n.clone(),
                None => {
                    let n = db::students::get(&mut tx, sid)
                        .await?
                        .map(|s| s.full_name())
                        .unwrap_or_default();
                    names.push((sid.clone(), n.clone()));
                    n
                }
            },
            None => String::new(),
        };
        let t = &h.totals;
        let percent = t.percent_approved();
        table.rows.push(vec![
            Cell::link(name, format!("/placements/{}/hours", r.id)),
            Cell {
                text: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
                csv: format!("{}/{}", r.starts_on, r.ends_on),
                ..Default::default()
            },
            Cell::text(&r.status),
            Cell::text(hours::hours_text(t.approved_minutes)),
            Cell::text(hours::hours_text(t.required_minutes)),
            Cell {
                text: format!("{percent}%"),
                csv: percent.to_string(),
                bar: Some(percent),
                ..Default::default()
            },
            Cell::text(hours::hours_text(t.pending_minutes)),
            Cell::text(hours::hours_text(t.returned_minutes)),
        ]);
    }
    if wants_csv(&params) {
        return Ok(super::csv_response("hours", &table));
    }
    let decides = user
        .p
        .authorize(Resource::HoursApproval, Action::Write)
        .is_ok();
    let mut entries = vec![];
    if decides {
        let waiting = db::time_entries::list(
            &mut tx,
            &match &scope {
                Scope::Staff(s) => db::time_entries::Filter {
                    preceptor_id: Some(s.clone()),
                    status: Some("pending".into()),
                    ..Default::default()
                },
                Scope::Faculty(u) => db::time_entries::Filter {
                    faculty_user_id: Some(u.clone()),
                    status: Some("pending".into()),
                    ..Default::default()
                },
                _ => db::time_entries::Filter {
                    status: Some("pending".into()),
                    ..Default::default()
                },
            },
            &db::Page {
                limit: 500,
                after: None,
                sort: None,
            },
        )
        .await?
        .items;
        for e in &waiting {
            let name = match names.iter().find(|(i, _)| *i == e.student_id) {
                Some((_, n)) => n.clone(),
                None => db::students::get(&mut tx, &e.student_id)
                    .await?
                    .map(|s| s.full_name())
                    .unwrap_or_default(),
            };
            entries.push(entry_view(e, name, true, false));
        }
    }
    drop(tx);
    let (title, intro) = match user.p.role {
        Role::Preceptor | Role::Faculty => (
            "Hours to approve",
            "The entries your students logged and wait for you. Tick them and approve, or return them with a note to put right.",
        ),
        Role::Student => (
            "My hours",
            "Your placements' hours against what each requires. Open one to log a day.",
        ),
        Role::Admin | Role::Coordinator => (
            "Hours",
            "Every placement's hours against what it requires, and the entries still waiting for approval.",
        ),
        _ => (
            "Hours",
            "The hours of the placements you see, against what each requires (read only).",
        ),
    };
    Ok(HoursPage {
        chrome: user.chrome(title),
        intro: intro.into(),
        summary: vec![],
        actions: vec![],
        totals: None,
        log: None,
        caption: if decides {
            "Waiting for approval".into()
        } else {
            String::new()
        },
        empty: "Nothing waits for approval.".into(),
        show_student: true,
        show_delete: false,
        decide: (decides && !entries.is_empty()).then(|| DecideForm {
            action: "/hours/decide".into(),
            back: "/hours".into(),
        }),
        entries,
        csv_href: String::new(),
        placements: Some(table),
        // The CSV of exactly what is shown: the filter kept.
        placements_csv: if overdue {
            "/hours?overdue=yes&format=csv".into()
        } else {
            "/hours?format=csv".into()
        },
        placements_filters: vec![super::filter_select(
            "overdue",
            "Show",
            vec![(
                "yes".into(),
                "Only those with hours waiting over a week".into(),
            )],
            &params,
        )],
    }
    .into_response())
}

/// The two ids of an entry's page; anything else is a 404.
fn entry_ids(id: &str, entry_id: &str) -> Result<(String, String), PageError> {
    match (
        crate::http::extract::parse_id(id),
        crate::http::extract::parse_id(entry_id),
    ) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(AppError::NotFound.into()),
    }
}

/// The student's form to change an entry not approved yet, filled with it.
async fn edit_page(
    st: &AppState,
    user: &PageUser,
    id: &str,
    entry_id: &str,
) -> Result<FormPage, PageError> {
    if user.p.role != Role::Student {
        return Err(AppError::Forbidden.into());
    }
    let (_, entries) = service::entries_of(st, &user.p, id).await?;
    let e = entries
        .into_iter()
        .find(|e| e.id == entry_id)
        .ok_or(AppError::NotFound)?;
    if !EntryStatus::parse(&e.status).is_some_and(EntryStatus::is_open) {
        return Err(AppError::conflict(
            crate::domain::ErrorCode::EntryLocked,
            "this entry is approved and locked",
        )
        .into());
    }
    let mut fields = log_fields(st.clock.today());
    let hours_given = e.kind == "worked" && e.clock_in.is_none();
    for f in &mut fields {
        f.value = match f.name.as_str() {
            "date" => e.entry_date.to_string(),
            "kind" => e.kind.clone(),
            "hours" if hours_given => hours::hours_text(e.minutes),
            "clock_in" => e.clock_in.clone().unwrap_or_default(),
            "clock_out" => e.clock_out.clone().unwrap_or_default(),
            "activity" => e.activity.clone().unwrap_or_default(),
            "notes" => e.notes.clone().unwrap_or_default(),
            "absence_reason" => e.absence_reason.clone().unwrap_or_default(),
            "make_up_on" => e.make_up_on.map(|d| d.to_string()).unwrap_or_default(),
            _ => String::new(),
        };
    }
    let intro = match &e.decision_note {
        Some(n) if e.status == "returned" => {
            format!(
                "Returned by your supervisor: \u{201c}{n}\u{201d}. Put it right and save: it waits for approval again."
            )
        }
        _ => "Change the entry; it waits for approval.".to_string(),
    };
    Ok(FormPage {
        chrome: user.chrome(format!("Change the entry of {}", human_date(e.entry_date))),
        intro,
        action: format!("/placements/{id}/hours/{entry_id}/edit"),
        fields,
        summary: vec![],
        submit: "Save",
        cancel: format!("/placements/{id}/hours"),
        multipart: false,
        at_risk: vec![],
    })
}

async fn edit_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, entry_id)): Path<(String, String)>,
) -> PageResult {
    let (id, entry_id) = entry_ids(&id, &entry_id)?;
    Ok(edit_page(&st, &user, &id, &entry_id).await?.into_response())
}

async fn edit(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, entry_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (id, entry_id) = entry_ids(&id, &entry_id)?;
    let page = edit_page(&st, &user, &id, &entry_id).await?;
    let parsed = input::time_entries::entry(form.to_map(&[], &[]), false);
    match service::update_entry(&st, &user.p, &id, &entry_id, parsed).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/hours"), "saved")),
        Err(e) => form_failed(page, &form, e),
    }
}
