//! An internship's project (`/api/v1/placements/{id}/project/...`) and the offboarding list's
//! filters, read into the typed inputs of `service::projects` and `service::offboarding`, every
//! field problem at once. The pages' forms use the same readers.
use crate::domain::ErrorCode;
use crate::domain::project::MilestoneStatus;
use crate::http::body::body;
use crate::http::error::AppResult;
use crate::http::extract::{Input, Params, parse};
use crate::service::Parsed;
use crate::service::projects::{DeliverableReview, ItemChange, ItemKind, NewItem};
use serde_json::{Map, Value};

type R<T> = Result<T, (ErrorCode, String)>;

fn kind(v: &Value) -> R<ItemKind> {
    v.as_str().and_then(|s| ItemKind::parse(s.trim())).ok_or((
        ErrorCode::InvalidChoice,
        "must be one of: objective, milestone".into(),
    ))
}

fn status(v: &Value) -> R<MilestoneStatus> {
    v.as_str()
        .and_then(|s| MilestoneStatus::parse(s.trim()))
        .ok_or((
            ErrorCode::InvalidChoice,
            "must be one of: planned, in_progress, done, dropped".into(),
        ))
}

/// A title: text of at most 200 characters.
fn title(v: &Value) -> R<String> {
    let t = parse::text(v)?;
    if t.chars().count() > 200 {
        return Err((ErrorCode::TooLong, "is longer than 200 characters".into()));
    }
    Ok(t)
}

body! {
    pub struct NewItemInput {
        /// objective or milestone
        kind: String,
        /// What is to be learnt or delivered (at most 200 characters).
        title: String,
        /// Milestones only, and required for them: YYYY-MM-DD
        due_on: Option<String>,
        /// Milestones only: planned (the default), in_progress, done, dropped
        status: Option<String>,
    }
}

/// `{ kind, title, due_on?, status? }`.
pub fn new_item(body: Map<String, Value>) -> Parsed<NewItem> {
    let (mut i, b) = Input::read::<NewItemInput>(body);
    let kind = i.req(&b.kind, None, &kind);
    let title = i.req(&b.title, None, &title);
    let due_on = i.opt(&b.due_on, None, &parse::date);
    let status = i.opt(&b.status, None, &status);
    i.into_parsed(NewItem {
        kind,
        title,
        due_on: due_on.flatten(),
        status: status.flatten(),
    })
}

body! {
    pub struct ItemChangeInput {
        /// A new title: a change to the plan, which clears the agreements.
        title: Option<String>,
        /// Milestones: a new due date (a change to the plan, which clears the agreements).
        due_on: Option<String>,
        /// Milestones: planned, in_progress, done, dropped (progress: the agreements stay).
        status: Option<String>,
    }
}

/// Every field optional; one left out keeps its value.
pub fn item_change(body: Map<String, Value>) -> Parsed<ItemChange> {
    let (mut i, b) = Input::read::<ItemChangeInput>(body);
    let title = i.optional(&b.title, &title);
    let due_on = i.optional(&b.due_on, &parse::date);
    let status = i.optional(&b.status, &status);
    i.into_parsed(ItemChange {
        title: title.flatten(),
        due_on: due_on.flatten(),
        status: status.flatten(),
    })
}

body! {
    pub struct DeliverableReviewInput {
        /// accepted or returned
        outcome: String,
        /// What to change: required to return it.
        note: Option<String>,
    }
}

/// `{ outcome: "accepted" | "returned", note? }`.
pub fn deliverable_review(body: Map<String, Value>) -> Parsed<Option<DeliverableReview>> {
    let (mut i, b) = Input::read::<DeliverableReviewInput>(body);
    let outcome = i.req(
        &b.outcome,
        None,
        &parse::word(
            |s| s == "accepted" || s == "returned",
            "accepted, returned".into(),
        ),
    );
    let note = i.opt(&b.note, None, &parse::text);
    let review = outcome.map(|o| DeliverableReview {
        accept: o == "accepted",
        note: note.flatten(),
    });
    i.into_parsed(review)
}

/// The offboarding list's filters: `state` (open, overdue, done), `kind`, `department_id`,
/// `placement_id`, `due_from`, `due_to`.
pub fn offboarding_filter(params: &Params) -> AppResult<crate::db::offboarding::Filter> {
    use crate::domain::offboarding::{TaskKind, TaskState};
    let date = |key: &str| -> AppResult<Option<chrono::NaiveDate>> {
        match params.get(key).filter(|v| !v.trim().is_empty()) {
            None => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| {
                crate::http::error::AppError::invalid(
                    key,
                    ErrorCode::InvalidDate,
                    "must be a date (YYYY-MM-DD)",
                )
            }),
        }
    };
    Ok(crate::db::offboarding::Filter {
        state: params.word(
            "state",
            |s| TaskState::parse(s).is_some(),
            "open, overdue, done",
        )?,
        kind: params.word(
            "kind",
            |s| TaskKind::parse(s).is_some(),
            "collect_badge, disable_network_account, disable_ehr_account, revoke_parking",
        )?,
        department_id: params.id("department_id")?,
        placement_id: params.id("placement_id")?,
        due_from: date("due_from")?,
        due_to: date("due_to")?,
    })
}
