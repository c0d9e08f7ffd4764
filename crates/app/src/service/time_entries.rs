//! Attendance and hours (issue 15 point 4): the student logs, changes and deletes their own
//! entries while a placement is active; the placement's preceptor or faculty member (or the
//! office) approves or returns them, one or many at once; approved entries are locked. Every
//! party of the placement reads the entries and their totals. The rules are in
//! `domain/hours.rs`.
use super::principal::ensure;
use super::{Parsed, Principal};
use crate::db::{
    self, Page, Paged, Scope, Tx, placements::PlacementRow, time_entries::TimeEntryRow,
};
use crate::domain::{
    ErrorCode, Problems, Role,
    hours::{self, Decision, EntryFacts, EntryKind, EntryStatus, PlacementWindow, Totals},
    placement::Stored,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{NaiveDate, NaiveTime};

/// The fields of an entry as the edge read them. On create an absent field is `None`; on
/// update `None` keeps the stored value, `Some(None)` clears it. A field the edge could not
/// read is `None`, and its problem is in `Parsed::problems`.
#[derive(Clone, Debug, Default)]
pub struct EntryFields {
    pub date: Option<NaiveDate>,
    pub kind: Option<EntryKind>,
    /// Hours given, in minutes (more than 0, at most 24 hours: checked at the edge).
    pub hours: Option<Option<i64>>,
    pub clock_in: Option<Option<NaiveTime>>,
    pub clock_out: Option<Option<NaiveTime>>,
    pub activity: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub absence_reason: Option<Option<String>>,
    pub make_up_on: Option<Option<NaiveDate>>,
}

/// A decision on several entries at once: all or nothing.
#[derive(Clone, Debug, Default)]
pub struct BatchDecision {
    pub ids: Vec<String>,
    pub decision: Option<Decision>,
    pub note: Option<String>,
}

/// A placement's hours: what it requires and where its entries stand.
#[derive(Clone, Debug)]
pub struct PlacementHours {
    pub placement_id: String,
    pub hours_per_week: i64,
    pub totals: Totals,
}

/// An entry as it will be stored, before the rules have passed on it.
#[derive(Clone, Debug)]
struct Draft {
    date: Option<NaiveDate>,
    kind: EntryKind,
    /// Hours given as hours (not derived from a clock).
    minutes: Option<i64>,
    clock_in: Option<NaiveTime>,
    clock_out: Option<NaiveTime>,
    activity: Option<String>,
    notes: Option<String>,
    absence_reason: Option<String>,
    make_up_on: Option<NaiveDate>,
}

impl Draft {
    fn new(f: &EntryFields) -> Draft {
        Draft {
            date: f.date,
            kind: f.kind.unwrap_or(EntryKind::Worked),
            minutes: f.hours.flatten(),
            clock_in: f.clock_in.flatten(),
            clock_out: f.clock_out.flatten(),
            activity: f.activity.clone().flatten(),
            notes: f.notes.clone().flatten(),
            absence_reason: f.absence_reason.clone().flatten(),
            make_up_on: f.make_up_on.flatten(),
        }
    }

    fn of_row(r: &TimeEntryRow) -> Draft {
        let clock_in = r.clock_in.as_deref().and_then(hours::parse_clock);
        let clock_out = r.clock_out.as_deref().and_then(hours::parse_clock);
        let kind = EntryKind::parse(&r.kind).unwrap_or(EntryKind::Worked);
        Draft {
            date: Some(r.entry_date),
            kind,
            minutes: (kind == EntryKind::Worked && clock_in.is_none()).then_some(r.minutes),
            clock_in,
            clock_out,
            activity: r.activity.clone(),
            notes: r.notes.clone(),
            absence_reason: r.absence_reason.clone(),
            make_up_on: r.make_up_on,
        }
    }

    /// The stored entry with the changes: giving hours drops the clock, giving a clock drops
    /// the hours (unless both are given, which the rules refuse).
    fn patched(mut self, f: &EntryFields) -> Draft {
        let clock_given = f.clock_in.is_some() || f.clock_out.is_some();
        if f.hours.is_some() && !clock_given {
            self.clock_in = None;
            self.clock_out = None;
        }
        if clock_given && f.hours.is_none() {
            self.minutes = None;
        }
        if let Some(d) = f.date {
            self.date = Some(d);
        }
        if let Some(k) = f.kind {
            self.kind = k;
        }
        set(&mut self.minutes, &f.hours);
        set(&mut self.clock_in, &f.clock_in);
        set(&mut self.clock_out, &f.clock_out);
        set(&mut self.activity, &f.activity);
        set(&mut self.notes, &f.notes);
        set(&mut self.absence_reason, &f.absence_reason);
        set(&mut self.make_up_on, &f.make_up_on);
        self
    }

    /// The shape rules (what a worked day and an absence each need and refuse); the minutes
    /// the entry counts.
    fn shape(&self, problems: &mut Problems) -> i64 {
        // A field the edge could not read has its problem already; no second one about it.
        let unread: Vec<String> = problems.0.iter().filter_map(|e| e.field.clone()).collect();
        let mut mine = Problems::default();
        let minutes = self.shape_rules(&mut mine);
        for e in mine.0 {
            let about_unread = e.field.as_ref().is_some_and(|f| {
                unread.contains(f)
                    || (f == "hours"
                        && e.code == ErrorCode::Required
                        && ["clock_in", "clock_out"]
                            .iter()
                            .any(|c| unread.iter().any(|u| u == c)))
            });
            if !about_unread {
                problems.push(e);
            }
        }
        minutes
    }

    fn shape_rules(&self, problems: &mut Problems) -> i64 {
        match self.kind {
            EntryKind::Absence => {
                if self.absence_reason.is_none() {
                    problems.add(
                        "absence_reason",
                        ErrorCode::Required,
                        "absence_reason is required for an absence",
                    );
                }
                for (field, given) in [
                    ("hours", self.minutes.is_some()),
                    ("clock_in", self.clock_in.is_some()),
                    ("clock_out", self.clock_out.is_some()),
                ] {
                    if given {
                        problems.add(
                            field,
                            ErrorCode::NotApplicable,
                            format!("{field} is not given for an absence"),
                        );
                    }
                }
                0
            }
            EntryKind::Worked => {
                if self.activity.is_none() {
                    problems.add(
                        "activity",
                        ErrorCode::Required,
                        "activity is required: say what you did",
                    );
                }
                for (field, given) in [
                    ("absence_reason", self.absence_reason.is_some()),
                    ("make_up_on", self.make_up_on.is_some()),
                ] {
                    if given {
                        problems.add(
                            field,
                            ErrorCode::NotApplicable,
                            format!("{field} is given only for an absence"),
                        );
                    }
                }
                let clock = self.clock_in.is_some() || self.clock_out.is_some();
                match (self.minutes, clock) {
                    (Some(_), true) => {
                        problems.add(
                            "hours",
                            ErrorCode::HoursAndClock,
                            "give the hours, or clock_in and clock_out, not both",
                        );
                        0
                    }
                    (Some(m), false) => m,
                    (None, false) => {
                        problems.add(
                            "hours",
                            ErrorCode::Required,
                            "hours is required, or clock_in and clock_out",
                        );
                        0
                    }
                    (None, true) => match (self.clock_in, self.clock_out) {
                        (Some(a), Some(b)) => match hours::minutes_between(a, b) {
                            Ok(m) => m,
                            Err(code) => {
                                problems.add(
                                    "clock_out",
                                    code,
                                    "clock_out must be later than clock_in on the same day \
                                     (log a night across midnight as hours)",
                                );
                                0
                            }
                        },
                        (None, _) => {
                            problems.add(
                                "clock_in",
                                ErrorCode::Required,
                                "clock_in is required with clock_out",
                            );
                            0
                        }
                        (_, None) => {
                            problems.add(
                                "clock_out",
                                ErrorCode::Required,
                                "clock_out is required with clock_in",
                            );
                            0
                        }
                    },
                }
            }
        }
    }
}

/// A patch's field onto its slot: absent keeps, `null` clears, a value sets.
fn set<T: Clone>(slot: &mut Option<T>, v: &Option<Option<T>>) {
    if let Some(v) = v {
        *slot = v.clone();
    }
}

/// `HH:MM` as stored.
fn clock_text(t: Option<NaiveTime>) -> Option<String> {
    t.map(|t| t.format("%H:%M").to_string())
}

fn window(row: &PlacementRow) -> AppResult<PlacementWindow> {
    Ok(PlacementWindow {
        status: Stored::parse(&row.status)
            .ok_or_else(|| anyhow::anyhow!("unknown placement status {:?}", row.status))?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    })
}

/// The placement, if the caller sees it (404 otherwise).
async fn placement_in_scope(tx: &mut Tx, scope: &Scope, id: &str) -> AppResult<PlacementRow> {
    let row = db::placements::get(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_placement(&row.parties()))?;
    Ok(row)
}

/// Only the placement's own student writes its entries: the admin's `All` is refused too.
fn the_student(p: &Principal) -> AppResult<String> {
    let scope = p.authorize(Resource::TimeEntry, Action::Write)?;
    match scope {
        Scope::Student(s) if p.role == Role::Student => Ok(s),
        Scope::Nothing => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// Checks a draft against every rule; the row's time fields when it passes.
async fn check(
    st: &AppState,
    tx: &mut Tx,
    placement: &PlacementRow,
    draft: &Draft,
    mut problems: Problems,
    except: Option<&str>,
) -> AppResult<(NaiveDate, i64)> {
    let minutes = draft.shape(&mut problems);
    let others = db::time_entries::of_placement(tx, &placement.id).await?;
    let make_up_days: Vec<NaiveDate> = others
        .iter()
        .filter(|e| Some(e.id.as_str()) != except)
        .filter_map(|e| e.make_up_on)
        .collect();
    let w = window(placement)?;
    match draft.date {
        Some(date) => {
            let facts = EntryFacts {
                date,
                kind: draft.kind,
                make_up_on: draft.make_up_on,
            };
            for (field, code, message) in
                hours::check_entry(&facts, &w, st.clock.today(), &make_up_days)
            {
                let field = if field == "placement" {
                    None
                } else {
                    Some(field)
                };
                problems.push(crate::domain::FieldError::new(code, field, message));
            }
            if let Some(other) = others
                .iter()
                .find(|e| e.entry_date == date && Some(e.id.as_str()) != except)
            {
                problems.add(
                    "date",
                    ErrorCode::EntryExists,
                    format!(
                        "{} already has an entry ({}): change that one instead",
                        hours_day(date),
                        other.status
                    ),
                );
            }
            problems.into_result()?;
            Ok((date, minutes))
        }
        None => {
            if !problems.has_field("date") {
                problems.add("date", ErrorCode::Required, "date is required");
            }
            if w.status != Stored::Active {
                problems.push(crate::domain::FieldError::new(
                    ErrorCode::PlacementNotActive,
                    None,
                    "the placement is not active: hours are logged while it is",
                ));
            }
            Err(AppError::Rejected(problems))
        }
    }
}

fn hours_day(d: NaiveDate) -> String {
    crate::domain::period::human_date(d)
}

/// A unique-key clash under a race: the same day logged twice at once.
fn clash(e: db::DbError) -> AppError {
    match e {
        db::DbError::Unique(_) => AppError::invalid(
            "date",
            ErrorCode::EntryExists,
            "that day already has an entry: change that one instead",
        ),
        e => e.into(),
    }
}

/// The student logs a day (or an absence) on their placement.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn log_entry(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: Parsed<EntryFields>,
) -> AppResult<TimeEntryRow> {
    let student = the_student(p)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, placement_id).await?;
    let placement =
        placement_in_scope(&mut tx, &Scope::Student(student.clone()), placement_id).await?;
    let draft = Draft::new(&input.fields);
    let (date, minutes) = check(st, &mut tx, &placement, &draft, input.problems, None).await?;
    let now = st.clock.now();
    let row = TimeEntryRow {
        id: db::new_id(),
        placement_id: placement.id.clone(),
        student_id: student,
        entry_date: date,
        kind: draft.kind.as_str().into(),
        minutes,
        clock_in: clock_text(draft.clock_in),
        clock_out: clock_text(draft.clock_out),
        activity: draft.activity,
        notes: draft.notes,
        absence_reason: draft.absence_reason,
        make_up_on: draft.make_up_on,
        status: EntryStatus::Pending.as_str().into(),
        decision_note: None,
        decided_by: None,
        decided_by_name: None,
        decided_at: None,
        submitted_at: now,
        created_at: now,
        updated_at: now,
    };
    db::time_entries::insert(&mut tx, &row)
        .await
        .map_err(clash)?;
    db::audit::record::<(), _>(
        &mut tx,
        &p.actor(now),
        "create",
        "time_entry",
        &row.id,
        None,
        Some(&row),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// The entry of this placement, for its own student, and not yet approved.
async fn own_open_entry(
    tx: &mut Tx,
    student: &str,
    placement_id: &str,
    entry_id: &str,
) -> AppResult<(PlacementRow, TimeEntryRow)> {
    let placement =
        placement_in_scope(tx, &Scope::Student(student.to_string()), placement_id).await?;
    let entry = db::time_entries::get(tx, entry_id)
        .await?
        .filter(|e| e.placement_id == placement.id && e.student_id == student)
        .ok_or(AppError::NotFound)?;
    let status = EntryStatus::parse(&entry.status)
        .ok_or_else(|| anyhow::anyhow!("unknown entry status {:?}", entry.status))?;
    hours::may_change(status).map_err(|code| {
        AppError::conflict(
            code,
            "this entry is approved and locked: ask the supervisor or the office if it is wrong",
        )
    })?;
    Ok((placement, entry))
}

/// The student changes an entry that is not approved yet; a returned entry waits for its
/// supervisor again.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), entry_id = %entry_id))]
pub async fn update_entry(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    entry_id: &str,
    input: Parsed<EntryFields>,
) -> AppResult<TimeEntryRow> {
    let student = the_student(p)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, placement_id).await?;
    let (placement, before) = own_open_entry(&mut tx, &student, placement_id, entry_id).await?;
    let draft = Draft::of_row(&before).patched(&input.fields);
    let (date, minutes) = check(
        st,
        &mut tx,
        &placement,
        &draft,
        input.problems,
        Some(&before.id),
    )
    .await?;
    let now = st.clock.now();
    let after = TimeEntryRow {
        entry_date: date,
        kind: draft.kind.as_str().into(),
        minutes,
        clock_in: clock_text(draft.clock_in),
        clock_out: clock_text(draft.clock_out),
        activity: draft.activity,
        notes: draft.notes,
        absence_reason: draft.absence_reason,
        make_up_on: draft.make_up_on,
        status: EntryStatus::Pending.as_str().into(),
        submitted_at: if before.status == EntryStatus::Pending.as_str() {
            before.submitted_at
        } else {
            now
        },
        updated_at: now,
        ..before.clone()
    };
    db::time_entries::update(&mut tx, &after)
        .await
        .map_err(clash)?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "update",
        "time_entry",
        &after.id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The student deletes an entry that is not approved yet.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), entry_id = %entry_id))]
pub async fn delete_entry(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    entry_id: &str,
) -> AppResult<()> {
    let student = the_student(p)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, placement_id).await?;
    let (placement, before) = own_open_entry(&mut tx, &student, placement_id, entry_id).await?;
    if window(&placement)?.status != Stored::Active {
        return Err(AppError::conflict(
            ErrorCode::PlacementNotActive,
            "the placement is not active: its hours can no longer change",
        ));
    }
    db::time_entries::delete(&mut tx, &before.id).await?;
    db::audit::record::<_, ()>(
        &mut tx,
        &p.actor(st.clock.now()),
        "delete",
        "time_entry",
        &before.id,
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the caller decides on this placement's entries: the office, its preceptor (not a
/// site mentor: they read), its faculty member.
fn approves(p: &Principal, scope: &Scope, placement: &PlacementRow) -> bool {
    match scope {
        Scope::All => true,
        Scope::Staff(s) => {
            p.role == Role::Preceptor && placement.preceptor_id.as_deref() == Some(s)
        }
        Scope::Faculty(u) => placement.faculty_user_id.as_deref() == Some(u),
        _ => false,
    }
}

/// Approves or returns entries, all or none: every entry that cannot be decided is named at
/// once (`ids[i]`), with the problems of the decision itself.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), entries = input.fields.ids.len()))]
pub async fn decide_entries(
    st: &AppState,
    p: &Principal,
    input: Parsed<BatchDecision>,
) -> AppResult<Vec<TimeEntryRow>> {
    let scope = p.authorize(Resource::HoursApproval, Action::Write)?;
    let Parsed {
        fields,
        mut problems,
        ..
    } = input;
    let mut tx = st.db.write().await?;
    let mut found: Vec<(usize, TimeEntryRow)> = vec![];
    let mut seen: Vec<&str> = vec![];
    for (i, id) in fields.ids.iter().enumerate() {
        if seen.contains(&id.as_str()) {
            continue;
        }
        seen.push(id);
        let field = format!("ids[{i}]");
        let entry = match db::time_entries::get(&mut tx, id).await? {
            Some(e) => e,
            None => {
                problems.add(
                    &field,
                    ErrorCode::UnknownTimeEntry,
                    format!("there is no time entry {id} for you to decide"),
                );
                continue;
            }
        };
        db::placements::lock(&mut tx, &entry.placement_id).await?;
        let placement = db::placements::get(&mut tx, &entry.placement_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !approves(p, &scope, &placement) {
            problems.add(
                &field,
                ErrorCode::UnknownTimeEntry,
                format!("there is no time entry {id} for you to decide"),
            );
            continue;
        }
        let status = EntryStatus::parse(&entry.status)
            .ok_or_else(|| anyhow::anyhow!("unknown entry status {:?}", entry.status))?;
        if let Err(code) = hours::may_change(status) {
            problems.add(
                &field,
                code,
                format!(
                    "the entry of {} is already approved and locked",
                    hours_day(entry.entry_date)
                ),
            );
            continue;
        }
        found.push((i, entry));
    }
    if let Some(decision) = fields.decision
        && let Err(code) = hours::decide(EntryStatus::Pending, decision, fields.note.is_some())
    {
        problems.add(
            "note",
            code,
            "give a note to return entries: say what to put right",
        );
    }
    problems.into_result()?;
    let Some(decision) = fields.decision else {
        return Err(AppError::invalid(
            "decision",
            ErrorCode::Required,
            "decision is required",
        ));
    };
    let now = st.clock.now();
    let actor = p.actor(now);
    let mut out = Vec::with_capacity(found.len());
    for (_, before) in found {
        let status = decision.outcome();
        db::time_entries::set_decision(
            &mut tx,
            &before.id,
            status.as_str(),
            fields.note.as_deref(),
            (&p.user_id, &p.name),
            now,
        )
        .await?;
        let after = db::time_entries::get(&mut tx, &before.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let action = match decision {
            Decision::Approve => "approve",
            Decision::Return => "return",
        };
        db::audit::record(
            &mut tx,
            &actor,
            action,
            "time_entry",
            &after.id,
            Some(&before),
            Some(&after),
        )
        .await?;
        out.push(after);
    }
    tx.commit().await?;
    Ok(out)
}

/// Every entry of a placement the caller sees, by day.
pub async fn entries_of(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<(PlacementRow, Vec<TimeEntryRow>)> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut tx = st.db.read().await?;
    let placement = placement_in_scope(&mut tx, &scope, placement_id).await?;
    let entries = db::time_entries::of_placement(&mut tx, placement_id).await?;
    Ok((placement, entries))
}

/// A placement's totals, read in the caller's transaction (scope checked by the caller).
pub async fn hours_of(tx: &mut Tx, placement: &PlacementRow) -> AppResult<PlacementHours> {
    let hours_per_week = db::requests::get(tx, &placement.request_id)
        .await?
        .map(|r| r.hours_per_week)
        .unwrap_or(0);
    let required = hours::required_minutes(hours_per_week, placement.starts_on, placement.ends_on);
    let entries: Vec<(EntryStatus, EntryKind, i64)> =
        db::time_entries::minutes_of(tx, &placement.id)
            .await?
            .into_iter()
            .filter_map(|(s, k, m)| Some((EntryStatus::parse(&s)?, EntryKind::parse(&k)?, m)))
            .collect();
    Ok(PlacementHours {
        placement_id: placement.id.clone(),
        hours_per_week,
        totals: Totals::of(required, &entries),
    })
}

/// The totals of a placement the caller sees.
pub async fn totals(st: &AppState, p: &Principal, placement_id: &str) -> AppResult<PlacementHours> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut tx = st.db.read().await?;
    let placement = placement_in_scope(&mut tx, &scope, placement_id).await?;
    hours_of(&mut tx, &placement).await
}

/// Entries across the placements the caller sees (`status` to filter); for a preceptor or
/// faculty member with `to_decide`, only those of the placements they supervise.
pub async fn list(
    st: &AppState,
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
    page: &Page,
) -> AppResult<Paged<TimeEntryRow>> {
    list_narrowed(
        st,
        p,
        status,
        to_decide,
        db::time_entries::Filter::default(),
        page,
    )
    .await
}

/// [`list`], narrowed further by `narrow`'s period, kind, program and school (the hours
/// report's list); its scope fields are set from the caller's scope, not taken from it.
pub async fn list_narrowed(
    st: &AppState,
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
    narrow: db::time_entries::Filter,
    page: &Page,
) -> AppResult<Paged<TimeEntryRow>> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut f = db::time_entries::Filter {
        status: status.map(|s| s.as_str().to_string()),
        from: narrow.from,
        to: narrow.to,
        kind: narrow.kind,
        program_id: narrow.program_id,
        of_school_id: narrow.of_school_id,
        ..Default::default()
    };
    match scope {
        Scope::All => {}
        Scope::School(s) => f.school_id = Some(s),
        Scope::Student(s) => f.student_id = Some(s),
        Scope::Department(d) => f.department_id = Some(d),
        Scope::Staff(s) if to_decide => f.preceptor_id = Some(s),
        Scope::Staff(s) => f.staff_id = Some(s),
        Scope::Faculty(u) => f.faculty_user_id = Some(u),
        Scope::Nothing => {
            return Ok(Paged {
                items: vec![],
                next_cursor: None,
            });
        }
    }
    let mut tx = st.db.read().await?;
    Ok(db::time_entries::list(&mut tx, &f, page).await?)
}

/// The entries `list` answers (same caller, status and `to_decide`), as a filter; `None` for
/// a caller who sees none.
fn scoped_filter(
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
) -> AppResult<Option<db::time_entries::Filter>> {
    let scope = p.authorize(Resource::TimeEntry, Action::Read)?;
    let mut f = db::time_entries::Filter {
        status: status.map(|s| s.as_str().to_string()),
        ..Default::default()
    };
    match scope {
        Scope::All => {}
        Scope::School(s) => f.school_id = Some(s),
        Scope::Student(s) => f.student_id = Some(s),
        Scope::Department(d) => f.department_id = Some(d),
        Scope::Staff(s) if to_decide => f.preceptor_id = Some(s),
        Scope::Staff(s) => f.staff_id = Some(s),
        Scope::Faculty(u) => f.faculty_user_id = Some(u),
        Scope::Nothing => return Ok(None),
    }
    Ok(Some(f))
}

/// How many entries `list` answers over all its pages, counted by the database (the homes'
/// tiles; issue 18 point 4).
pub async fn count(
    st: &AppState,
    p: &Principal,
    status: Option<EntryStatus>,
    to_decide: bool,
) -> AppResult<i64> {
    let Some(f) = scoped_filter(p, status, to_decide)? else {
        return Ok(0);
    };
    let mut tx = st.db.read().await?;
    Ok(db::time_entries::count(&mut tx, &f).await?)
}

/// The (placement, day) pairs the caller sees an entry for, days `from..=to` only.
pub async fn days_logged(
    st: &AppState,
    p: &Principal,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(String, NaiveDate)>> {
    let Some(f) = scoped_filter(p, None, false)? else {
        return Ok(vec![]);
    };
    let mut tx = st.db.read().await?;
    Ok(db::time_entries::days_logged(&mut tx, &f, from, to).await?)
}
