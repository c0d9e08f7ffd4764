//! The placement lifecycle (API.md): proposed → confirmed → onboarding → cleared → active →
//! completed, or cancelled. `onboarding` and `cleared` are never stored: a confirmed
//! placement reads one or the other from its clearance, on every read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    Proposed,
    Confirmed,
    Active,
    Completed,
    Cancelled,
}

impl Stored {
    pub fn parse(s: &str) -> Option<Stored> {
        Some(match s {
            "proposed" => Stored::Proposed,
            "confirmed" => Stored::Confirmed,
            "active" => Stored::Active,
            "completed" => Stored::Completed,
            "cancelled" => Stored::Cancelled,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stored::Proposed => "proposed",
            Stored::Confirmed => "confirmed",
            Stored::Active => "active",
            Stored::Completed => "completed",
            Stored::Cancelled => "cancelled",
        }
    }

    /// Holds its seat and its preceptor's slot.
    pub fn holds_capacity(self) -> bool {
        !matches!(self, Stored::Completed | Stored::Cancelled)
    }
}

/// What a reader sees.
pub fn shown_status(stored: Stored, cleared: bool) -> &'static str {
    match stored {
        Stored::Confirmed if cleared => "cleared",
        Stored::Confirmed => "onboarding",
        s => s.as_str(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Confirmed,
    Active,
    Completed,
    Cancelled,
}

impl Target {
    pub fn parse(s: &str) -> Option<Target> {
        Some(match s {
            "confirmed" => Target::Confirmed,
            "active" => Target::Active,
            "completed" => Target::Completed,
            "cancelled" => Target::Cancelled,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mover {
    Office,
    School,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The role may never make this move (403).
    Forbidden,
    InvalidTransition,
    NotCleared,
    ReasonRequired,
}

impl Refusal {
    pub fn code(self) -> super::ErrorCode {
        use super::ErrorCode;
        match self {
            Refusal::Forbidden => ErrorCode::Forbidden,
            Refusal::InvalidTransition => ErrorCode::InvalidTransition,
            Refusal::NotCleared => ErrorCode::NotCleared,
            Refusal::ReasonRequired => ErrorCode::ReasonRequired,
        }
    }
}

/// `active` means started: a placement may be active from its first day on (the clock's today).
pub fn has_started(starts_on: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    today >= starts_on
}

/// The one transition function: the new stored status, or why not.
pub fn transition(
    from: Stored,
    to: Target,
    who: Mover,
    cleared: bool,
    has_reason: bool,
) -> Result<Stored, Refusal> {
    use Stored as S;
    let school_may = matches!(to, Target::Confirmed | Target::Cancelled);
    if who == Mover::School && !school_may {
        return Err(Refusal::Forbidden);
    }
    match (from, to) {
        (S::Proposed, Target::Confirmed) => Ok(S::Confirmed),
        (S::Proposed | S::Confirmed, Target::Active) => {
            if cleared {
                Ok(S::Active)
            } else {
                Err(Refusal::NotCleared)
            }
        }
        (S::Active, Target::Completed) => Ok(S::Completed),
        (S::Proposed | S::Confirmed | S::Active, Target::Cancelled) => {
            if has_reason {
                Ok(S::Cancelled)
            } else {
                Err(Refusal::ReasonRequired)
            }
        }
        _ => Err(Refusal::InvalidTransition),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Stored; 5] = [
        Stored::Proposed,
        Stored::Confirmed,
        Stored::Active,
        Stored::Completed,
        Stored::Cancelled,
    ];
    const TARGETS: [Target; 4] = [
        Target::Confirmed,
        Target::Active,
        Target::Completed,
        Target::Cancelled,
    ];

    #[test]
    fn the_happy_path() {
        let s = transition(
            Stored::Proposed,
            Target::Confirmed,
            Mover::School,
            false,
            false,
        )
        .unwrap();
        assert_eq!(shown_status(s, false), "onboarding");
        assert_eq!(shown_status(s, true), "cleared");
        let s = transition(s, Target::Active, Mover::Office, true, false).unwrap();
        assert_eq!(
            transition(s, Target::Completed, Mover::Office, true, false),
            Ok(Stored::Completed)
        );
    }

    #[test]
    fn activation_needs_clearance_and_implies_confirmation() {
        assert_eq!(
            transition(
                Stored::Confirmed,
                Target::Active,
                Mover::Office,
                false,
                false
            ),
            Err(Refusal::NotCleared)
        );
        assert_eq!(
            transition(Stored::Proposed, Target::Active, Mover::Office, true, false),
            Ok(Stored::Active)
        );
    }

    #[test]
    fn cancel_needs_a_reason_and_not_after_completion() {
        assert_eq!(
            transition(
                Stored::Active,
                Target::Cancelled,
                Mover::Office,
                true,
                false
            ),
            Err(Refusal::ReasonRequired)
        );
        assert_eq!(
            transition(Stored::Active, Target::Cancelled, Mover::School, true, true),
            Ok(Stored::Cancelled)
        );
        assert_eq!(
            transition(
                Stored::Completed,
                Target::Cancelled,
                Mover::Office,
                true,
                true
            ),
            Err(Refusal::InvalidTransition)
        );
        assert_eq!(
            transition(
                Stored::Cancelled,
                Target::Cancelled,
                Mover::Office,
                true,
                true
            ),
            Err(Refusal::InvalidTransition)
        );
    }

    #[test]
    fn started_from_the_first_day_on() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap_or_default();
        assert!(!has_started(d("2027-03-01"), d("2027-02-28")));
        assert!(has_started(d("2027-03-01"), d("2027-03-01")));
        assert!(has_started(d("2027-03-01"), d("2027-03-02")));
    }

    #[test]
    fn the_school_only_confirms_or_cancels() {
        for from in ALL {
            assert_eq!(
                transition(from, Target::Active, Mover::School, true, true),
                Err(Refusal::Forbidden)
            );
            assert_eq!(
                transition(from, Target::Completed, Mover::School, true, true),
                Err(Refusal::Forbidden)
            );
        }
    }

    #[test]
    fn terminal_states_stay_terminal() {
        for to in TARGETS {
            assert!(transition(Stored::Completed, to, Mover::Office, true, true).is_err());
            assert!(transition(Stored::Cancelled, to, Mover::Office, true, true).is_err());
        }
    }

    #[test]
    fn every_other_move_is_invalid() {
        let legal = [
            (Stored::Proposed, Target::Confirmed),
            (Stored::Proposed, Target::Active),
            (Stored::Confirmed, Target::Active),
            (Stored::Active, Target::Completed),
            (Stored::Proposed, Target::Cancelled),
            (Stored::Confirmed, Target::Cancelled),
            (Stored::Active, Target::Cancelled),
        ];
        for from in ALL {
            for to in TARGETS {
                let r = transition(from, to, Mover::Office, true, true);
                assert_eq!(r.is_ok(), legal.contains(&(from, to)), "{from:?} -> {to:?}");
            }
        }
    }

    /// Every stored state and every target reads back from its word; only open placements hold
    /// their seat (mutation testing).
    #[test]
    fn states_in_words_and_which_hold_a_seat() {
        let all = [
            Stored::Proposed,
            Stored::Confirmed,
            Stored::Active,
            Stored::Completed,
            Stored::Cancelled,
        ];
        let words: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            words,
            ["proposed", "confirmed", "active", "completed", "cancelled"]
        );
        for s in all {
            assert_eq!(Stored::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stored::parse("open"), None);
        let holding: Vec<Stored> = all.into_iter().filter(|s| s.holds_capacity()).collect();
        assert_eq!(
            holding,
            [Stored::Proposed, Stored::Confirmed, Stored::Active]
        );
        assert_eq!(Target::parse("confirmed"), Some(Target::Confirmed));
        assert_eq!(Target::parse("active"), Some(Target::Active));
        assert_eq!(Target::parse("completed"), Some(Target::Completed));
        assert_eq!(Target::parse("cancelled"), Some(Target::Cancelled));
        assert_eq!(Target::parse("proposed"), None);
    }
}
