//! Offboarding (issue 16 point 6): the tasks created when a placement ends, listed for the
//! office (which acts for IT), each ticked by a named person with the time. The rule and its
//! HIPAA reference are in `domain/offboarding.rs`.
use super::Principal;
use crate::db::{
    self, Page, Paged, Tx,
    audit::Actor,
    offboarding::{Filter, ListedTask, TaskRow},
    placements::PlacementRow,
};
use crate::domain::{
    ErrorCode, offboarding,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

/// Creates the placement's offboarding tasks as it ends (`cancelled` or completed), in the
/// caller's transaction — the one that moves the placement — each with its audit event.
/// What was provisioned for this placement decides which (`offboarding::tasks_for`); a task
/// that exists already is left alone. Answers the tasks created.
pub async fn open_tasks(
    tx: &mut Tx,
    actor: &Actor,
    placement: &PlacementRow,
    cancelled: bool,
    today: NaiveDate,
) -> AppResult<Vec<TaskRow>> {
    let provisioned = db::offboarding::provisioned(tx, &placement.id).await?;
    let codes: Vec<&str> = provisioned.iter().map(String::as_str).collect();
    let existing = db::offboarding::of_placement(tx, &placement.id).await?;
    let due_on = offboarding::due_on(cancelled, placement.ends_on, today);
    let mut out = Vec::new();
    for kind in offboarding::tasks_for(&codes) {
        if existing.iter().any(|t| t.kind == kind.as_str()) {
            continue;
        }
        let t = TaskRow {
            id: db::new_id(),
            placement_id: placement.id.clone(),
            kind: kind.as_str().into(),
            due_on,
            ended_as: if cancelled { "cancelled" } else { "completed" }.into(),
            created_at: actor.at,
            done_at: None,
            done_by: None,
            done_by_name: None,
        };
        db::offboarding::insert(tx, &t).await?;
        db::audit::record(
            tx,
            actor,
            "create",
            "offboarding_task",
            &t.id,
            None::<&TaskRow>,
            Some(&t),
        )
        .await?;
        out.push(t);
    }
    Ok(out)
}

/// The tasks the office filters by: state on today, kind, department, placement, due days.
pub async fn list_tasks(
    st: &AppState,
    p: &Principal,
    filter: &Filter,
    page: &Page,
) -> AppResult<Paged<ListedTask>> {
    p.authorize(Resource::Offboarding, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(db::offboarding::list(&mut tx, filter, st.clock.today(), page).await?)
}

/// How many tasks are overdue today (the office's home).
pub async fn overdue_count(st: &AppState, p: &Principal) -> AppResult<i64> {
    p.authorize(Resource::Offboarding, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(db::offboarding::overdue_count(&mut tx, st.clock.today()).await?)
}

/// Ticks a task done, by the signed-in person (their name kept with the time); done twice
/// answers 409 `task_already_done`, naming who did it.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), task_id = %id))]
pub async fn mark_done(st: &AppState, p: &Principal, id: &str) -> AppResult<TaskRow> {
    p.authorize(Resource::Offboarding, Action::Write)?;
    let mut tx = st.db.write().await?;
    let before = db::offboarding::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = st.clock.now();
    if !db::offboarding::mark_done(&mut tx, id, &p.user_id, &p.name, now).await? {
        return Err(AppError::conflict(
            ErrorCode::TaskAlreadyDone,
            format!(
                "{} ticked this task already",
                before.done_by_name.as_deref().unwrap_or("someone")
            ),
        ));
    }
    let after = db::offboarding::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "done",
        "offboarding_task",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
