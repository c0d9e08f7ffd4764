//! Clearance (DOMAIN.md rule 4) is derived on every read, never typed in.
use super::requirements::{AppliesTo, PlacementFacts, Validity, last_flu_day, touches_flu_season};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Clearance {
    /// cleared, pending or blocked
    pub status: String,
    /// Requirement codes not yet verified.
    pub missing: Vec<String>,
    /// Requirement codes that lapse before the placement ends.
    pub expiring: Vec<String>,
}

impl Clearance {
    pub fn is_cleared(&self) -> bool {
        self.status == "cleared"
    }
}

/// The clearance of a placement whose student is not named yet: nothing can be checked.
/// A placement's clearance from what the store read of it (`db::clearance::facts`): derived
/// when its student is named, pending (nothing to check yet) for a seat not yet named.
pub fn of_placement(
    read: Option<(PlacementFacts, Vec<Rule>, Vec<Evidence>)>,
    today: NaiveDate,
) -> Clearance {
    match read {
        Some((facts, rules, evidence)) => derive(&rules, &evidence, &facts, today),
        None => without_requirements(),
    }
}

pub fn without_requirements() -> Clearance {
    Clearance {
        status: "pending".into(),
        missing: vec![],
        expiring: vec![],
    }
}

/// A requirement rule, as clearance needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: String,
    pub validity: Validity,
    pub applies_to: AppliesTo,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocStatus {
    Submitted,
    Verified,
    Rejected,
}

impl DocStatus {
    pub fn parse(s: &str) -> Option<DocStatus> {
        match s {
            "submitted" => Some(DocStatus::Submitted),
            "verified" => Some(DocStatus::Verified),
            "rejected" => Some(DocStatus::Rejected),
            _ => None,
        }
    }
}

/// A student's evidence for a requirement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub requirement_code: String,
    pub status: DocStatus,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// For per-placement requirements: the placement it was done for.
    pub placement_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemState {
    Verified,
    Submitted,
    Missing,
    Rejected,
    Expired,
    ExpiresDuringPlacement,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Verified => "verified",
            ItemState::Submitted => "submitted",
            ItemState::Missing => "missing",
            ItemState::Rejected => "rejected",
            ItemState::Expired => "expired",
            ItemState::ExpiresDuringPlacement => "expires_during_placement",
        }
    }
}

/// One line of a placement's checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    pub state: ItemState,
    /// The last day the best verified evidence is valid (`None`: it does not lapse, or none).
    pub lapses_on: Option<NaiveDate>,
}

fn counts_for(rule: &Rule, e: &Evidence, p: &PlacementFacts) -> bool {
    if e.requirement_code != rule.code {
        return false;
    }
    match rule.validity {
        Validity::PerPlacement => e.placement_id.as_deref() == Some(p.id.as_str()),
        Validity::WithinDaysBeforeStart(n) => {
            let earliest = p
                .starts_on
                .checked_sub_days(chrono::Days::new(n as u64))
                .unwrap_or(p.starts_on);
            (earliest..=p.starts_on).contains(&e.completed_on)
        }
        _ => true,
    }
}

/// The state of one requirement for one placement, from all the student's evidence.
pub fn item(rule: &Rule, evidence: &[Evidence], p: &PlacementFacts, today: NaiveDate) -> Item {
    let relevant: Vec<&Evidence> = evidence.iter().filter(|e| counts_for(rule, e, p)).collect();
    let verified: Vec<Option<NaiveDate>> = relevant
        .iter()
        .filter(|e| e.status == DocStatus::Verified)
        .map(|e| rule.validity.valid_until(e.completed_on, e.expires_on))
        .collect();
    // The verified evidence that lasts longest; `None` (never lapses) beats any date.
    let best = verified.iter().copied().max_by(|a, b| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, _) => std::cmp::Ordering::Greater,
        (_, None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    });
    // A flu shot matters only to the end of the season; everything else to the last day.
    let need_through = match rule.validity {
        Validity::FluSeason => last_flu_day(p).unwrap_or(p.ends_on),
        _ => p.ends_on,
    };
    let state = match best {
        Some(None) => ItemState::Verified,
        Some(Some(until)) if until >= need_through => ItemState::Verified,
        Some(Some(until)) if until < today => ItemState::Expired,
        Some(Some(_)) => ItemState::ExpiresDuringPlacement,
        None if relevant.iter().any(|e| e.status == DocStatus::Submitted) => ItemState::Submitted,
        None if relevant.iter().any(|e| e.status == DocStatus::Rejected) => ItemState::Rejected,
        None => ItemState::Missing,
    };
    Item {
        code: rule.code.clone(),
        state,
        lapses_on: best.flatten(),
    }
}

/// Whether a rule applies to the placement at all.
pub fn applies(rule: &Rule, p: &PlacementFacts) -> bool {
    rule.applies_to.applies(p) && (rule.validity != Validity::FluSeason || touches_flu_season(p))
}

/// Every applicable requirement's state for a placement.
pub fn checklist(
    rules: &[Rule],
    evidence: &[Evidence],
    p: &PlacementFacts,
    today: NaiveDate,
) -> Vec<Item> {
    rules
        .iter()
        .filter(|r| applies(r, p))
        .map(|r| item(r, evidence, p, today))
        .collect()
}

/// Clearance for a placement: `cleared` when every applicable requirement is verified and valid
/// through the last day; `blocked` when any is rejected, expired or lapses during the
/// placement; `pending` otherwise.
pub fn derive(
    rules: &[Rule],
    evidence: &[Evidence],
    p: &PlacementFacts,
    today: NaiveDate,
) -> Clearance {
    let items = checklist(rules, evidence, p, today);
    from_items(&items)
}

pub fn from_items(items: &[Item]) -> Clearance {
    use ItemState::*;
    let blocked = items
        .iter()
        .any(|i| matches!(i.state, Rejected | Expired | ExpiresDuringPlacement));
    let pending = items.iter().any(|i| matches!(i.state, Missing | Submitted));
    let status = if blocked {
        "blocked"
    } else if pending {
        "pending"
    } else {
        "cleared"
    };
    Clearance {
        status: status.into(),
        missing: items
            .iter()
            .filter(|i| matches!(i.state, Missing | Submitted | Rejected | Expired))
            .map(|i| i.code.clone())
            .collect(),
        expiring: items
            .iter()
            .filter(|i| i.state == ExpiresDuringPlacement)
            .map(|i| i.code.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests;
