//! The placements list's derived filters on the page (issue 14 point 5, issue 17): the shown
//! status (`onboarding`, `cleared`), starting within a window (7, 14, 30, 60 days), the
//! clearance state and at risk (`service::placement_filters::Derived`). They are derived, not
//! stored, so a list filtered by any is read whole and filtered here, not page by page.
use super::PageError;
use super::filter_select;
use super::view::Field;
use crate::db::{self, Scope, Tx, placements::PlacementRow};
use crate::http::extract::Params;
use crate::service::placement_filters::STARTING_DAYS;
use crate::state::AppState;

/// The rows of one page, or every row when a derived filter is set; `held` was read before
/// `tx` began (`AppState::kept_facts`).
pub async fn rows(
    st: &AppState,
    tx: &mut Tx,
    held: crate::db::facts_kept::KeptFacts<'_>,
    scope: &Scope,
    filter: &db::placements::Filter,
    page: db::Page,
    params: &Params,
) -> Result<db::Paged<PlacementRow>, PageError> {
    let today = st.clock.today();
    let derived = crate::http::input::placements::derived(params)?;
    let whole = derived.is_set();
    let page = if whole {
        db::Page {
            limit: 5000,
            after: None,
            sort: page.sort,
        }
    } else {
        page
    };
    let mut rows = db::placements::list(tx, scope, filter, &page).await?;
    if whole {
        rows.items = derived
            .keep(tx, held, std::mem::take(&mut rows.items), today)
            .await?;
        rows.next_cursor = None;
    }
    Ok(rows)
}

/// The filter bar's "Starting within", "Clearance" and "At risk".
pub fn fields(params: &Params) -> Vec<Field> {
    let mut out = vec![];
    out.push(filter_select(
        "starting",
        "Starting within",
        STARTING_DAYS
            .iter()
            .map(|d| (d.to_string(), format!("{d} days")))
            .collect(),
        params,
    ));
    out.push(filter_select(
        "clearance",
        "Clearance",
        vec![
            ("not_cleared".into(), "Not cleared".into()),
            ("pending".into(), "Pending".into()),
            ("blocked".into(), "Blocked".into()),
            ("cleared".into(), "Cleared".into()),
        ],
        params,
    ));
    out.push(filter_select(
        "at_risk",
        "At risk",
        vec![("yes".into(), "At risk only".into())],
        params,
    ));
    out
}
