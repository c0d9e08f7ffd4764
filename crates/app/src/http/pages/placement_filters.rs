//! The placements list's derived filters (issue 14 point 5): starting within a window (7, 14,
//! 30, 60 days) and the clearance state. Clearance is derived, not stored, so a list filtered
//! by either is read whole and filtered here, not page by page.
use super::PageError;
use super::filter_select;
use super::view::Field;
use crate::db::{self, Scope, Tx, placements::PlacementRow};
use crate::http::extract::Params;
use crate::state::AppState;

/// The rows of one page, or every row when a derived filter is set.
pub async fn rows(
    st: &AppState,
    tx: &mut Tx,
    scope: &Scope,
    filter: &db::placements::Filter,
    page: db::Page,
    params: &Params,
) -> Result<db::Paged<PlacementRow>, PageError> {
    // Starting within a window, and the clearance state: read from the rows (clearance is
    // derived), so these lists are answered whole, not page by page.
    let today = st.clock.today();
    let starting: Option<i64> = params
        .word(
            "starting",
            |s| ["7", "14", "30", "60"].contains(&s),
            "7, 14, 30, 60",
        )?
        .and_then(|s| s.parse().ok());
    let clearance = params.word(
        "clearance",
        |s| ["cleared", "pending", "blocked", "not_cleared"].contains(&s),
        "cleared, pending, blocked, not_cleared",
    )?;
    let whole = starting.is_some() || clearance.is_some();
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
    if let Some(days) = starting {
        let until = today + chrono::Duration::days(days);
        rows.items.retain(|r| {
            matches!(r.status.as_str(), "proposed" | "confirmed")
                && r.starts_on >= today
                && r.starts_on <= until
        });
    }
    if let Some(want) = &clearance {
        let mut kept = Vec::new();
        for r in std::mem::take(&mut rows.items) {
            let c = crate::service::placements::clearance_of(tx, &r, today).await?;
            let keep = match want.as_str() {
                "not_cleared" => !c.is_cleared(),
                w => c.status == w,
            };
            if keep {
                kept.push(r);
            }
        }
        rows.items = kept;
    }
    if whole {
        rows.next_cursor = None;
    }
    Ok(rows)
}

/// The filter bar's "Starting within" and "Clearance".
pub fn fields(params: &Params) -> Vec<Field> {
    let mut out = vec![];
    out.push(filter_select(
        "starting",
        "Starting within",
        ["7", "14", "30", "60"]
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
    out
}
