//! The student's own entries: logging a day or an absence, changing or deleting it until approved.
use super::*;

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
    // Hours are none of a placement's facts (migration 0039): what the placements lists keep stays.
    let mut tx = st.db.write_leaving_placements().await?;
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
    let mut tx = st.db.write_leaving_placements().await?;
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
    let mut tx = st.db.write_leaving_placements().await?;
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
