//! Offboarding (issue 16 point 6): when a placement ends, what was provisioned for it ends too.
//!
//! HIPAA's access control asks for termination procedures: "procedures for terminating access
//! to electronic protected health information when the employment of, or other arrangement
//! with, a workforce member ends" (45 CFR 164.308(a)(3)(ii)(C)); a student on placement is a
//! member of the hospital's workforce for that time. So the placement's end — completed or
//! cancelled — creates one task per thing that was provisioned for it (the office's
//! provisioning ticks, requirements of the `provisioning` category recorded per placement),
//! each due on the placement's last day, or on the day it was cancelled, and ticked by a named
//! person. A task not done by the end of its due day is overdue: it shows on the office's home
//! and is reminded once.
use chrono::NaiveDate;

/// What must end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// Collect the badge (and with it, physical access).
    CollectBadge,
    /// Disable the network (directory) account.
    DisableNetworkAccount,
    /// Disable the EHR account.
    DisableEhrAccount,
    /// Take back the parking permit.
    RevokeParking,
}

impl TaskKind {
    pub const ALL: [TaskKind; 4] = [
        TaskKind::CollectBadge,
        TaskKind::DisableNetworkAccount,
        TaskKind::DisableEhrAccount,
        TaskKind::RevokeParking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::CollectBadge => "collect_badge",
            TaskKind::DisableNetworkAccount => "disable_network_account",
            TaskKind::DisableEhrAccount => "disable_ehr_account",
            TaskKind::RevokeParking => "revoke_parking",
        }
    }

    pub fn parse(s: &str) -> Option<TaskKind> {
        TaskKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The task in the office's words.
    pub fn words(self) -> &'static str {
        match self {
            TaskKind::CollectBadge => "Collect the badge",
            TaskKind::DisableNetworkAccount => "Disable the network account",
            TaskKind::DisableEhrAccount => "Disable the EHR account",
            TaskKind::RevokeParking => "Take back the parking permit",
        }
    }
}

/// The tasks for what was provisioned, by the provisioning requirement's code (the catalog's
/// `badge`, `network_account` — "Network and EHR account", one step that opens both — and
/// `parking`). A provisioning code the office added later and that this list does not know
/// creates nothing (the office sees it in the placement's checklist); each kind once.
pub fn tasks_for(provisioned: &[&str]) -> Vec<TaskKind> {
    let mut out = Vec::new();
    for code in provisioned {
        let kinds: &[TaskKind] = match *code {
            "badge" => &[TaskKind::CollectBadge],
            "network_account" => &[TaskKind::DisableNetworkAccount, TaskKind::DisableEhrAccount],
            "ehr_account" => &[TaskKind::DisableEhrAccount],
            "parking" => &[TaskKind::RevokeParking],
            _ => &[],
        };
        for k in kinds {
            if !out.contains(k) {
                out.push(*k);
            }
        }
    }
    out
}

/// The placement ended as: completed (due on its last day, or today if it completes early) or
/// cancelled (due on the day of the cancellation).
pub fn due_on(cancelled: bool, ends_on: NaiveDate, today: NaiveDate) -> NaiveDate {
    if cancelled { today } else { ends_on.min(today) }
}

/// A task's state on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    Open,
    Overdue,
    Done,
}

impl TaskState {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Open => "open",
            TaskState::Overdue => "overdue",
            TaskState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<TaskState> {
        [TaskState::Open, TaskState::Overdue, TaskState::Done]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Done once ticked; overdue from the day after its due day; open before.
pub fn state(done: bool, due_on: NaiveDate, today: NaiveDate) -> TaskState {
    if done {
        TaskState::Done
    } else if today > due_on {
        TaskState::Overdue
    } else {
        TaskState::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn what_was_provisioned_is_what_ends() {
        assert_eq!(
            tasks_for(&["badge", "network_account"]),
            [
                TaskKind::CollectBadge,
                TaskKind::DisableNetworkAccount,
                TaskKind::DisableEhrAccount
            ]
        );
        assert_eq!(
            tasks_for(&["parking", "parking"]),
            [TaskKind::RevokeParking]
        );
        assert!(tasks_for(&["orientation"]).is_empty());
        assert!(tasks_for(&[]).is_empty());
        for k in TaskKind::ALL {
            assert_eq!(TaskKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn due_on_the_last_day_or_the_cancellation_day() {
        let ends = d("2027-03-31");
        assert_eq!(due_on(false, ends, d("2027-04-02")), ends);
        assert_eq!(due_on(false, ends, d("2027-03-20")), d("2027-03-20"));
        assert_eq!(due_on(true, ends, d("2027-02-10")), d("2027-02-10"));
    }

    #[test]
    fn overdue_the_day_after_it_was_due() {
        let due = d("2027-03-31");
        assert_eq!(state(false, due, due), TaskState::Open);
        assert_eq!(state(false, due, d("2027-04-01")), TaskState::Overdue);
        assert_eq!(state(true, due, d("2027-04-01")), TaskState::Done);
    }
}
