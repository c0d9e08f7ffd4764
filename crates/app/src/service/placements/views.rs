//! A placement as its readers see it: the stored row with its clearance, risks and shown
//! status derived from facts read for many rows at once (`service::facts`), one or a page,
//! the list's page taking the views kept since the last write (`AppState::placement_views`).
use super::super::facts::Facts;
use super::super::placement_filters::Derived;
use crate::db::{self, Tx, placements::PlacementRow, requests::FacultySupervisor};
use crate::domain::{
    clearance::Clearance,
    placement::{self, Stored},
    records::Placement,
};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDate;

/// The clearance of a placement, derived on every read from the rules and the student's
/// evidence. A seat whose student is not named yet has nothing to check: pending.
pub async fn clearance_of(
    tx: &mut Tx,
    row: &PlacementRow,
    today: NaiveDate,
) -> AppResult<Clearance> {
    Ok(Facts::load(tx, std::slice::from_ref(row), &[])
        .await?
        .clearance(row, today))
}

pub async fn view(tx: &mut Tx, row: PlacementRow, today: NaiveDate) -> AppResult<Placement> {
    let facts = Facts::load(tx, std::slice::from_ref(&row), &[]).await?;
    let risks = crate::service::risks::risks_with(tx, &facts, &row).await?;
    view_with(&facts, row, risks, today)
}

/// A page of placements as their readers see them, from facts read for the whole page in
/// about 15 queries ([`Facts::load`]), in the page's order.
pub async fn views(
    tx: &mut Tx,
    rows: Vec<PlacementRow>,
    today: NaiveDate,
) -> AppResult<Vec<Placement>> {
    let facts = Facts::load_stored(tx, &rows).await?;
    let risks = crate::service::risks::risks_of_many(tx, &facts, &rows).await?;
    rows.into_iter()
        .zip(risks)
        .map(|(row, risks)| view_with(&facts, row, risks, today))
        .collect()
}

/// One page of the placements list as its readers see it: the store's page, then each row's
/// view (kept in `st.placement_views`, or derived from facts read once for the rows not
/// kept), then the derived filters (`status=onboarding|cleared`, `clearance`, `starting`,
/// `at_risk`) on those views, so a filtered page may hold fewer than its limit while the
/// cursor goes on.
pub async fn list_views(
    st: &AppState,
    scope: &crate::db::Scope,
    filter: &db::placements::Filter,
    page: &db::Page,
    derived: &Derived,
) -> AppResult<db::Paged<Placement>> {
    let today = st.clock.today();
    // Read before the store is: a view derived from what a write changed meanwhile is kept
    // under the older generation, so it is never used (`Recent::put`).
    let generation = st.db.write_generation();
    // A list's page: no common snapshot needed (Db::read_latest).
    let mut tx = st.db.read_latest().await?;
    let rows = db::placements::list(&mut tx, scope, filter, page).await?;
    let now = st.db.write_generation();
    let mut kept: Vec<Option<Placement>> = rows
        .items
        .iter()
        .map(|r| st.placement_views.get(&(r.id.clone(), today), now))
        .collect();
    let missing: Vec<PlacementRow> = rows
        .items
        .iter()
        .zip(&kept)
        .filter(|(_, v)| v.is_none())
        .map(|(r, _)| r.clone())
        .collect();
    if !missing.is_empty() {
        let mut derived_views = std::collections::HashMap::new();
        for view in views(&mut tx, missing, today).await? {
            st.placement_views
                .put((view.id.clone(), today), view.clone(), generation);
            derived_views.insert(view.id.clone(), view);
        }
        for (row, slot) in rows.items.iter().zip(kept.iter_mut()) {
            if slot.is_none() {
                *slot = derived_views.remove(&row.id);
            }
        }
    }
    let items = rows
        .items
        .iter()
        .zip(kept)
        .filter_map(|(row, view)| view.filter(|v| derived.keeps_view(row, v, today)))
        .collect();
    Ok(db::Paged {
        items,
        next_cursor: rows.next_cursor,
    })
}

fn view_with(
    facts: &Facts,
    row: PlacementRow,
    risks: Vec<crate::domain::risk::Risk>,
    today: NaiveDate,
) -> AppResult<Placement> {
    let clearance = facts.clearance(&row, today);
    let stored = Stored::parse(&row.status)
        .ok_or_else(|| anyhow::anyhow!("unknown placement status {:?}", row.status))?;
    let faculty_supervisor = row
        .faculty_user_id
        .as_deref()
        .and_then(|uid| facts.user(uid))
        .map(|u| FacultySupervisor {
            name: u.name.clone(),
            email: u.email.clone(),
        });
    Ok(Placement {
        risks,
        status: placement::shown_status(stored, clearance.is_cleared()).to_string(),
        clearance,
        faculty_supervisor,
        id: row.id,
        request_id: row.request_id,
        kind: row.kind,
        student_id: row.student_id,
        school_id: row.school_id,
        program_id: row.program_id,
        department_id: row.department_id,
        preceptor_id: row.preceptor_id,
        site_mentor_id: row.site_mentor_id,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        cancel_reason: row.cancel_reason,
    })
}
