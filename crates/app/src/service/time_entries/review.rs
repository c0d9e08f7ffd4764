//! The supervisor's (or the office's) review: approving or returning entries, all or none.
use super::*;

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
    // Hours are none of a placement's facts (migration 0039): what the placements lists keep stays.
    let mut tx = st.db.write_leaving_placements().await?;
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
