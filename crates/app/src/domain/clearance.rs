//! Clearance (DOMAIN.md rule 4) is derived on every read, never typed in.
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

/// Onboarding requirements are not tracked yet (they arrive with the onboarding issue), so
/// nothing has been checked and no placement may read as cleared: the status is `pending`
/// with an empty requirement list. This is stated, not faked: starting a placement is refused
/// with `not_cleared` until requirements exist and are verified.
pub fn without_requirements() -> Clearance {
    Clearance {
        status: "pending".into(),
        missing: vec![],
        expiring: vec![],
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nothing_checked_is_never_cleared() {
        assert!(!super::without_requirements().is_cleared());
    }
}
