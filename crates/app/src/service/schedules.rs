//! A placement's shifts (issue 15 point 1): read by everyone who sees the placement; a day
//! added (a make-up day), moved or cancelled by the office and by the placement's preceptor,
//! site mentor or faculty member. The rules are in `domain/schedule.rs`; every change is
//! audited in its own transaction.
use super::principal::ensure;
use super::{Parsed, Principal};
use crate::db::{
    self, Scope, Tx,
    placements::PlacementRow,
    shifts::{ListedShift, ShiftRow},
};
use crate::domain::{
    ErrorCode, Problems,
    period::Period,
    policy::{Action, Resource},
    schedule::{self, Candidate, Context, ShiftKind, ShiftStatus, ShiftTimes},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{NaiveDate, NaiveTime};

/// A day to add: a make-up day unless `kind` says regular. The department and supervisor
/// default to the placement's.
#[derive(Clone, Debug, Default)]
pub struct NewShift {
    pub date: Option<NaiveDate>,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub kind: Option<ShiftKind>,
    pub department_id: Option<String>,
    pub supervisor_id: Option<String>,
}

/// A change to one day: moved (date, times), another department or supervisor, cancelled
/// (with a reason) or put back (`status: scheduled`). A field left out keeps its value.
#[derive(Clone, Debug, Default)]
pub struct ShiftChange {
    pub date: Option<NaiveDate>,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub department_id: Option<String>,
    pub supervisor_id: Option<String>,
    pub status: Option<ShiftStatus>,
    pub reason: Option<String>,
}

async fn placement_in_scope(tx: &mut Tx, scope: &Scope, id: &str) -> AppResult<PlacementRow> {
    let row = db::placements::get(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_placement(&row.parties()))?;
    Ok(row)
}

/// Every shift of a placement the caller sees (cancelled ones too, with their reason).
pub async fn list_shifts(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<Vec<ShiftRow>> {
    let scope = p.authorize(Resource::Schedule, Action::Read)?;
    let mut tx = st.db.read().await?;
    placement_in_scope(&mut tx, &scope, placement_id).await?;
    Ok(db::shifts::of_placement(&mut tx, placement_id).await?)
}

/// The shifts in the caller's scope over some days, for the schedule pages and the office's
/// calendar.
pub async fn calendar(
    st: &AppState,
    p: &Principal,
    filter: db::shifts::Filter,
) -> AppResult<Vec<ListedShift>> {
    let scope = p.authorize(Resource::Schedule, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(db::shifts::list(&mut tx, &scope, &filter).await?)
}

/// Whether the caller may change this placement's shifts (pages show the forms only then).
pub fn may_edit(p: &Principal, row: &PlacementRow) -> bool {
    p.authorize(Resource::Schedule, Action::Write)
        .is_ok_and(|scope| scope.sees_placement(&row.parties()))
}

fn refuse_closed(row: &PlacementRow) -> AppResult<()> {
    if matches!(row.status.as_str(), "cancelled" | "completed") {
        return Err(AppError::conflict(
            ErrorCode::PlacementClosed,
            format!(
                "the placement is {}; its shifts no longer change",
                row.status
            ),
        ));
    }
    Ok(())
}

/// The placement's other shifts that count for overlaps: not cancelled, not `except`.
async fn others(
    tx: &mut Tx,
    placement_id: &str,
    except: Option<&str>,
) -> AppResult<Vec<(NaiveDate, ShiftTimes)>> {
    Ok(db::shifts::of_placement(tx, placement_id)
        .await?
        .into_iter()
        .filter(|s| !s.is_cancelled() && Some(s.id.as_str()) != except)
        .filter_map(|s| Some((s.date, s.times()?)))
        .collect())
}

/// A department and a supervisor named in the input must exist.
async fn check_references(
    tx: &mut Tx,
    problems: &mut Problems,
    department_id: Option<&str>,
    supervisor_id: Option<&str>,
) -> AppResult<()> {
    if let Some(d) = department_id
        && db::departments::get(tx, d).await?.is_none()
    {
        problems.add(
            "department_id",
            ErrorCode::UnknownDepartment,
            "there is no such department",
        );
    }
    if let Some(s) = supervisor_id
        && db::staff::get(tx, s).await?.is_none()
    {
        problems.add(
            "supervisor_id",
            ErrorCode::UnknownStaff,
            "there is no such staff member",
        );
    }
    Ok(())
}

fn times_of(
    problems: &mut Problems,
    starts_at: Option<NaiveTime>,
    ends_at: Option<NaiveTime>,
) -> Option<ShiftTimes> {
    match ShiftTimes::new(starts_at?, ends_at?) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(e);
            None
        }
    }
}

/// Adds a day to a placement: a make-up day (inside the period or up to four weeks after it)
/// or, if `kind` says so, a regular one (inside the period).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn add_shift(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: Parsed<NewShift>,
) -> AppResult<ShiftRow> {
    let scope = p.authorize(Resource::Schedule, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, placement_id).await?;
    let row = placement_in_scope(&mut tx, &scope, placement_id).await?;
    refuse_closed(&row)?;
    let Parsed {
        fields: n,
        mut problems,
        ..
    } = input;
    check_references(
        &mut tx,
        &mut problems,
        n.department_id.as_deref(),
        n.supervisor_id.as_deref(),
    )
    .await?;
    let kind = n.kind.unwrap_or(ShiftKind::MakeUp);
    let times = times_of(&mut problems, n.starts_at, n.ends_at);
    let period = Period::new(row.starts_on, row.ends_on)
        .ok_or_else(|| anyhow::anyhow!("placement {} ends before it starts", row.id))?;
    if let (Some(date), Some(times)) = (n.date, times) {
        let others = others(&mut tx, placement_id, None).await?;
        let ctx = Context {
            period,
            others: &others,
            today: st.clock.today(),
            may_change_past: scope.is_all(),
            was_on: None,
        };
        problems
            .0
            .extend(schedule::check(&Candidate { kind, date, times }, &ctx).0);
    }
    problems.into_result()?;
    let (Some(date), Some(times)) = (n.date, times) else {
        return Err(anyhow::anyhow!("a shift without a date or times passed the checks").into());
    };
    let now = st.clock.now();
    let shift = ShiftRow {
        id: db::new_id(),
        placement_id: placement_id.to_string(),
        date,
        starts_at: times.start_text(),
        ends_at: times.end_text(),
        department_id: n.department_id.unwrap_or(row.department_id.clone()),
        supervisor_staff_id: n
            .supervisor_id
            .or(row.preceptor_id.clone())
            .or(row.site_mentor_id.clone()),
        supervisor_user_id: row.faculty_user_id.clone(),
        kind: kind.as_str().into(),
        status: ShiftStatus::Scheduled.as_str().into(),
        cancel_reason: None,
        created_at: now,
        updated_at: now,
    };
    db::shifts::insert(&mut tx, &shift).await?;
    db::audit::record::<ShiftRow, ShiftRow>(
        &mut tx,
        &p.actor(now),
        "create",
        "shift",
        &shift.id,
        None,
        Some(&shift),
    )
    .await?;
    tx.commit().await?;
    Ok(shift)
}

/// Moves, reassigns, cancels (with a reason) or puts back one day of a placement.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id, shift_id = %shift_id))]
pub async fn change_shift(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    shift_id: &str,
    input: Parsed<ShiftChange>,
) -> AppResult<ShiftRow> {
    let scope = p.authorize(Resource::Schedule, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, placement_id).await?;
    let row = placement_in_scope(&mut tx, &scope, placement_id).await?;
    let before = db::shifts::get(&mut tx, placement_id, shift_id)
        .await?
        .ok_or(AppError::NotFound)?;
    refuse_closed(&row)?;
    let Parsed {
        fields: c,
        mut problems,
        ..
    } = input;
    let today = st.clock.today();
    let office = scope.is_all();
    let moves = c.date.is_some()
        || c.starts_at.is_some()
        || c.ends_at.is_some()
        || c.department_id.is_some()
        || c.supervisor_id.is_some();
    let cancelling = c.status == Some(ShiftStatus::Cancelled);
    let restoring = c.status == Some(ShiftStatus::Scheduled) && before.is_cancelled();
    if before.is_cancelled() && !restoring && (moves || cancelling) {
        return Err(AppError::conflict(
            ErrorCode::ShiftCancelled,
            "this day is cancelled; put it back (status scheduled) before changing it",
        ));
    }
    let mut after = before.clone();
    if cancelling {
        if moves {
            problems.add(
                "status",
                ErrorCode::InvalidChoice,
                "cancel a day on its own, without moving it",
            );
        }
        problems
            .0
            .extend(schedule::check_cancel(before.date, c.reason.as_deref(), today, office).0);
        after.status = ShiftStatus::Cancelled.as_str().into();
        after.cancel_reason = c.reason.clone();
    } else {
        check_references(
            &mut tx,
            &mut problems,
            c.department_id.as_deref(),
            c.supervisor_id.as_deref(),
        )
        .await?;
        let old = before.times();
        let times = times_of(
            &mut problems,
            c.starts_at.or(old.map(|t| t.starts_at)),
            c.ends_at.or(old.map(|t| t.ends_at)),
        );
        let date = c.date.unwrap_or(before.date);
        let kind = ShiftKind::parse(&before.kind).unwrap_or(ShiftKind::Regular);
        let period = Period::new(row.starts_on, row.ends_on)
            .ok_or_else(|| anyhow::anyhow!("placement {} ends before it starts", row.id))?;
        if let Some(times) = times {
            let others = others(&mut tx, placement_id, Some(shift_id)).await?;
            let ctx = Context {
                period,
                others: &others,
                today,
                may_change_past: office,
                was_on: Some(before.date),
            };
            problems
                .0
                .extend(schedule::check(&Candidate { kind, date, times }, &ctx).0);
            after.starts_at = times.start_text();
            after.ends_at = times.end_text();
        }
        after.date = date;
        if let Some(d) = &c.department_id {
            after.department_id = d.clone();
        }
        if let Some(s) = &c.supervisor_id {
            after.supervisor_staff_id = Some(s.clone());
        }
        if restoring {
            after.status = ShiftStatus::Scheduled.as_str().into();
            after.cancel_reason = None;
        }
    }
    problems.into_result()?;
    let now = st.clock.now();
    after.updated_at = now;
    db::shifts::update(&mut tx, &after).await?;
    let action = if cancelling {
        "cancel"
    } else if restoring {
        "restore"
    } else {
        "update"
    };
    db::audit::record(
        &mut tx,
        &p.actor(now),
        action,
        "shift",
        shift_id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
