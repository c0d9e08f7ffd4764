//! The placements list's derived filters (issue 14 point 5, issue 17): what is not stored but
//! derived on every read — the shown status (a confirmed placement is `onboarding` until its
//! student is cleared, then `cleared`), the clearance, starting within a window, and at risk.
//! The page and the API apply the same [`Derived`] to each row the store answers.
use crate::db::{Tx, placements::PlacementRow};
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

    /// Whether `row` passes every derived filter on `today`.
    pub async fn keeps(
        &self,
        tx: &mut Tx,
        row: &PlacementRow,
        today: NaiveDate,
    ) -> AppResult<bool> {
        if let Some(days) = self.starting_within {
            let until = today + chrono::Duration::days(days);
            if !(matches!(row.status.as_str(), "proposed" | "confirmed")
                && row.starts_on >= today
                && row.starts_on <= until)
            {
                return Ok(false);
            }
        }
        let wants_clearance = self.clearance.is_some()
            || matches!(self.shown_status.as_deref(), Some("onboarding" | "cleared"));
        if wants_clearance {
            let c = super::placements::clearance_of(tx, row, today).await?;
            if let Some(want) = &self.clearance {
                let ok = match want.as_str() {
                    "not_cleared" => !c.is_cleared(),
                    w => c.status == w,
                };
                if !ok {
                    return Ok(false);
                }
            }
            match self.shown_status.as_deref() {
                Some("onboarding") if row.status != "confirmed" || c.is_cleared() => {
                    return Ok(false);
                }
                Some("cleared") if row.status != "confirmed" || !c.is_cleared() => {
                    return Ok(false);
                }
                _ => {}
            }
        }
        if self.at_risk && super::risks::risks_of(tx, row).await?.is_empty() {
            return Ok(false);
        }
        Ok(true)
    }
}
