//! The placements list's derived filters (issue 14 point 5, issue 17): what is not stored but
//! derived on every read — the shown status (a confirmed placement is `onboarding` until its
//! student is cleared, then `cleared`), the clearance, starting within a window, and at risk.
//! The page and the API apply the same [`Derived`] to each row the store answers, from facts
//! read for many rows at once (`service::facts`).
use super::facts::Facts;
use super::risks::FACTS_BATCH;
use crate::db::facts_kept::KeptFacts;
use crate::db::{Tx, placements::PlacementRow};
use crate::domain::{clearance::Clearance, records::Placement};
use crate::error::AppResult;
use chrono::NaiveDate;

/// The windows `starting` accepts, in days.
pub const STARTING_DAYS: [&str; 4] = ["7", "14", "30", "60"];

/// The clearance states `clearance` accepts (`not_cleared`: pending or blocked).
pub const CLEARANCE_WORDS: [&str; 4] = ["cleared", "pending", "blocked", "not_cleared"];

/// The derived filters of one list request; all `None`/`false` keeps every row.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    /// `onboarding` or `cleared`: confirmed, and not cleared or cleared.
    pub shown_status: Option<String>,
    /// Proposed or confirmed, starting between today and this many days on (inclusive).
    pub starting_within: Option<i64>,
    /// cleared, pending, blocked, or not_cleared.
    pub clearance: Option<String>,
    /// Only those with risks now (`service::risks::risks_of`: open placements only).
    pub at_risk: bool,
}

impl Derived {
    /// Whether any derived filter is set (then a list is read whole and filtered).
    pub fn is_set(&self) -> bool {
        self.shown_status.is_some()
            || self.starting_within.is_some()
            || self.clearance.is_some()
            || self.at_risk
    }

    /// The stored status the shown status stands for (`onboarding`, `cleared`: confirmed).
    pub fn stored_status(shown: &str) -> &str {
        match shown {
            "onboarding" | "cleared" => "confirmed",
            s => s,
        }
    }

    /// Whether `row` starts within the window asked for (no window: yes).
    fn starts_in_window(&self, row: &PlacementRow, today: NaiveDate) -> bool {
        let Some(days) = self.starting_within else {
            return true;
        };
        let until = today + chrono::Duration::days(days);
        matches!(row.status.as_str(), "proposed" | "confirmed")
            && row.starts_on >= today
            && row.starts_on <= until
    }

    /// Whether `row` passes every derived filter on `today`, from facts read for its page
    /// ([`Facts::load`]): no query of its own.
    pub fn keeps_with(&self, facts: &Facts, row: &PlacementRow, today: NaiveDate) -> bool {
        self.keeps(
            row,
            today,
            || facts.clearance(row, today),
            || super::risks::has_risks(facts, row),
        )
    }

    /// Whether `row` passes every derived filter on `today`, from its view as derived for it
    /// (its clearance and risks): what a kept view (`placements::list_views`) is filtered on.
    pub fn keeps_view(&self, row: &PlacementRow, view: &Placement, today: NaiveDate) -> bool {
        self.keeps(
            row,
            today,
            || view.clearance.clone(),
            || !view.risks.is_empty(),
        )
    }

    /// The filters, given how to derive the row's clearance and whether it has risks (each
    /// asked only when a filter needs it).
    fn keeps(
        &self,
        row: &PlacementRow,
        today: NaiveDate,
        clearance: impl FnOnce() -> Clearance,
        has_risks: impl FnOnce() -> bool,
    ) -> bool {
        if !self.starts_in_window(row, today) {
            return false;
        }
        let wants_clearance = self.clearance.is_some()
            || matches!(self.shown_status.as_deref(), Some("onboarding" | "cleared"));
        if wants_clearance {
            let c = clearance();
            if let Some(want) = &self.clearance {
                let ok = match want.as_str() {
                    "not_cleared" => !c.is_cleared(),
                    w => c.status == w,
                };
                if !ok {
                    return false;
                }
            }
            match self.shown_status.as_deref() {
                Some("onboarding") if row.status != "confirmed" || c.is_cleared() => return false,
                Some("cleared") if row.status != "confirmed" || !c.is_cleared() => return false,
                _ => {}
            }
        }
        !self.at_risk || has_risks()
    }

    /// The rows that pass every derived filter on `today`, in their order; their facts are
    /// read [`FACTS_BATCH`] rows at a time, and only when a filter needs them.
    pub async fn keep(
        &self,
        tx: &mut Tx,
        held: KeptFacts<'_>,
        rows: Vec<PlacementRow>,
        today: NaiveDate,
    ) -> AppResult<Vec<PlacementRow>> {
        let rows: Vec<PlacementRow> = rows
            .into_iter()
            .filter(|r| self.starts_in_window(r, today))
            .collect();
        if self.clearance.is_none() && self.shown_status.is_none() && !self.at_risk {
            return Ok(rows);
        }
        let mut kept = Vec::new();
        for batch in rows.chunks(FACTS_BATCH) {
            let facts = Facts::load_stored(tx, batch, Some(held)).await?;
            kept.extend(
                batch
                    .iter()
                    .filter(|r| self.keeps_with(&facts, r, today))
                    .cloned(),
            );
        }
        Ok(kept)
    }
}
