//! An internship's project (issue 16 point 4): objectives and milestones proposed by the
//! student, agreed by the faculty member and the site mentor, the final deliverable uploaded by
//! the student and accepted or returned by the faculty member. The rules are in
//! `domain/project.rs`; every write is audited in its own transaction. The deliverable's use
//! cases are in `deliverable.rs`.
mod deliverable;
use super::Principal;
use crate::db::{
    self, Tx,
    placements::PlacementRow,
    projects::{ItemRow, ProjectRow},
};
use crate::domain::{
    ErrorCode,
    policy::{Action, Resource},
    project::{self, MilestoneStatus, Party},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;
pub use deliverable::{deliverable_file, review_deliverable, upload_deliverable};

/// Objective or milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Objective,
    Milestone,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Objective => "objective",
            ItemKind::Milestone => "milestone",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        match s {
            "objective" => Some(ItemKind::Objective),
            "milestone" => Some(ItemKind::Milestone),
            _ => None,
        }
    }
}

/// A new objective (a title) or milestone (a title, a due date, a status: planned unless
/// said).
#[derive(Clone, Debug, Default)]
pub struct NewItem {
    pub kind: Option<ItemKind>,
    pub title: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: Option<MilestoneStatus>,
}

/// A change to one objective or milestone; a field left out keeps its value.
#[derive(Clone, Debug, Default)]
pub struct ItemChange {
    pub title: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: Option<MilestoneStatus>,
}

/// The faculty member's answer to the deliverable: accepted, or returned with a note.
#[derive(Clone, Debug)]
pub struct DeliverableReview {
    pub accept: bool,
    pub note: Option<String>,
}

/// A project as read: the placement, the plan, the agreements and the deliverable.
#[derive(Clone, Debug)]
pub struct Project {
    pub placement: PlacementRow,
    pub row: ProjectRow,
    pub items: Vec<ItemRow>,
    pub has_mentor: bool,
    /// Who the reader is to it.
    pub party: Party,
}

impl Project {
    pub fn agreed(&self) -> bool {
        project::is_agreed(
            self.row.faculty_agreed_at.is_some(),
            self.row.mentor_agreed_at.is_some(),
            self.has_mentor,
        )
    }

    pub fn objectives(&self) -> impl Iterator<Item = &ItemRow> {
        self.items.iter().filter(|i| i.kind == "objective")
    }

    pub fn milestones(&self) -> impl Iterator<Item = &ItemRow> {
        self.items.iter().filter(|i| i.kind == "milestone")
    }
}

/// The placement, if the caller is one of the project's parties (else 404), and an internship
/// (else 409 `not_an_internship`).
async fn load(
    tx: &mut Tx,
    p: &Principal,
    action: Action,
    id: &str,
) -> AppResult<(PlacementRow, Party)> {
    let scope = p.authorize(Resource::Project, action)?;
    let row = db::placements::get(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let party = project::party(&scope, &row.parties()).ok_or(AppError::NotFound)?;
    project::require_internship(&row.kind).map_err(|code| {
        AppError::conflict(
            code,
            "only an internship has a project; this placement is a clinical",
        )
    })?;
    Ok((row, party))
}

pub(super) async fn load_for_write(
    tx: &mut Tx,
    p: &Principal,
    id: &str,
) -> AppResult<(PlacementRow, Party)> {
    db::placements::lock(tx, id).await?;
    let (row, party) = load(tx, p, Action::Write, id).await?;
    if row.status == "cancelled" {
        return Err(AppError::conflict(
            ErrorCode::PlacementClosed,
            "the placement is cancelled; its project no longer changes",
        ));
    }
    Ok((row, party))
}

pub(super) async fn view(tx: &mut Tx, placement: PlacementRow, party: Party) -> AppResult<Project> {
    let row = db::projects::get(tx, &placement.id).await?;
    let items = db::projects::items(tx, &placement.id).await?;
    Ok(Project {
        has_mentor: placement.site_mentor_id.is_some(),
        placement,
        row,
        items,
        party,
    })
}

/// The project of an internship the caller is a party to.
pub async fn get_project(st: &AppState, p: &Principal, placement_id: &str) -> AppResult<Project> {
    let mut tx = st.db.read().await?;
    let (row, party) = load(&mut tx, p, Action::Read, placement_id).await?;
    view(&mut tx, row, party).await
}

/// Whether the caller may see this placement's project (the placement page links it then).
pub fn is_party(p: &Principal, row: &PlacementRow) -> bool {
    row.kind == "internship"
        && p.authorize(Resource::Project, Action::Read)
            .is_ok_and(|scope| project::party(&scope, &row.parties()).is_some())
}

/// A change to the plan after an agreement clears every agreement and says who changed what;
/// answers whether it did.
fn reset_agreements(
    row: &mut ProjectRow,
    p: &Principal,
    what: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    if !row.any_agreement() {
        return false;
    }
    row.faculty_agreed_by = None;
    row.faculty_agreed_by_name = None;
    row.faculty_agreed_at = None;
    row.mentor_agreed_by = None;
    row.mentor_agreed_by_name = None;
    row.mentor_agreed_at = None;
    row.agreement_reset_at = Some(now);
    row.agreement_reset_by_name = Some(p.name.clone());
    row.agreement_reset_reason = Some(format!(
        "{} {what} after it was agreed; the faculty member and the site mentor agree again",
        p.name
    ));
    true
}

pub(super) async fn save_project(
    tx: &mut Tx,
    st: &AppState,
    p: &Principal,
    action: &str,
    before: &ProjectRow,
    after: &mut ProjectRow,
) -> AppResult<()> {
    let now = st.clock.now();
    after.updated_at = Some(now);
    db::projects::save(tx, after).await?;
    db::audit::record(
        tx,
        &p.actor(now),
        action,
        "project",
        &after.placement_id,
        Some(before),
        Some(&*after),
    )
    .await?;
    Ok(())
}

/// Adds an objective or a milestone.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn add_item(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: super::Parsed<NewItem>,
) -> AppResult<ItemRow> {
    let mut tx = st.db.write().await?;
    let (_, party) = load_for_write(&mut tx, p, placement_id).await?;
    if !project::may_edit_plan(party) {
        return Err(AppError::Forbidden);
    }
    let super::Parsed {
        fields: n,
        mut problems,
        ..
    } = input;
    if n.kind == Some(ItemKind::Objective) {
        if n.due_on.is_some() {
            problems.add(
                "due_on",
                ErrorCode::InvalidChoice,
                "an objective has no due date; a milestone does",
            );
        }
        if n.status.is_some() {
            problems.add(
                "status",
                ErrorCode::InvalidChoice,
                "an objective has no status; a milestone does",
            );
        }
    }
    if n.kind == Some(ItemKind::Milestone) && n.due_on.is_none() && !problems.has_field("due_on") {
        problems.add(
            "due_on",
            ErrorCode::Required,
            "a milestone needs a due date",
        );
    }
    problems.into_result()?;
    let (Some(kind), Some(title)) = (n.kind, n.title) else {
        return Err(anyhow::anyhow!("an item without a kind or title passed the checks").into());
    };
    let now = st.clock.now();
    let item = ItemRow {
        id: db::new_id(),
        placement_id: placement_id.to_string(),
        kind: kind.as_str().into(),
        title,
        due_on: n.due_on.filter(|_| kind == ItemKind::Milestone),
        status: (kind == ItemKind::Milestone).then(|| {
            n.status
                .unwrap_or(MilestoneStatus::Planned)
                .as_str()
                .to_string()
        }),
        created_at: now,
        updated_at: now,
    };
    db::projects::insert_item(&mut tx, &item).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "create",
        "project_item",
        &item.id,
        None::<&ItemRow>,
        Some(&item),
    )
    .await?;
    let before = db::projects::get(&mut tx, placement_id).await?;
    let mut after = before.clone();
    if reset_agreements(
        &mut after,
        p,
        &format!("added the {} \"{}\"", kind.as_str(), item.title),
        now,
    ) {
        save_project(&mut tx, st, p, "agreement_reset", &before, &mut after).await?;
    }
    tx.commit().await?;
    Ok(item)
}

/// Changes an objective or a milestone: a new title or due date is a change to the plan (it
/// clears the agreements); a milestone's status is progress (it does not).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id, item_id = %item_id))]
pub async fn change_item(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    item_id: &str,
    input: super::Parsed<ItemChange>,
) -> AppResult<ItemRow> {
    let mut tx = st.db.write().await?;
    let (_, party) = load_for_write(&mut tx, p, placement_id).await?;
    let before_item = db::projects::item(&mut tx, placement_id, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !project::may_edit_plan(party) {
        return Err(AppError::Forbidden);
    }
    let super::Parsed {
        fields: c,
        mut problems,
        ..
    } = input;
    let objective = before_item.kind == "objective";
    if objective && c.due_on.is_some() {
        problems.add(
            "due_on",
            ErrorCode::InvalidChoice,
            "an objective has no due date; a milestone does",
        );
    }
    if objective && c.status.is_some() {
        problems.add(
            "status",
            ErrorCode::InvalidChoice,
            "an objective has no status; a milestone does",
        );
    }
    problems.into_result()?;
    let now = st.clock.now();
    let mut item = before_item.clone();
    let mut changes = Vec::new();
    if let Some(t) = c.title
        && t != item.title
    {
        changes.push(format!("renamed \"{}\" to \"{t}\"", item.title));
        item.title = t;
    }
    if let Some(d) = c.due_on
        && Some(d) != item.due_on
    {
        changes.push(format!(
            "moved \"{}\" to {}",
            item.title,
            crate::domain::period::human_date(d)
        ));
        item.due_on = Some(d);
    }
    if let Some(s) = c.status {
        item.status = Some(s.as_str().into());
    }
    item.updated_at = now;
    db::projects::update_item(&mut tx, &item).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "update",
        "project_item",
        &item.id,
        Some(&before_item),
        Some(&item),
    )
    .await?;
    if !changes.is_empty() {
        let before = db::projects::get(&mut tx, placement_id).await?;
        let mut after = before.clone();
        if reset_agreements(&mut after, p, &changes.join(" and "), now) {
            save_project(&mut tx, st, p, "agreement_reset", &before, &mut after).await?;
        }
    }
    tx.commit().await?;
    Ok(item)
}

/// Removes an objective or a milestone (a change to the plan).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id, item_id = %item_id))]
pub async fn remove_item(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    item_id: &str,
) -> AppResult<()> {
    let mut tx = st.db.write().await?;
    let (_, party) = load_for_write(&mut tx, p, placement_id).await?;
    let item = db::projects::item(&mut tx, placement_id, item_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !project::may_edit_plan(party) {
        return Err(AppError::Forbidden);
    }
    let now = st.clock.now();
    db::projects::delete_item(&mut tx, item_id).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "delete",
        "project_item",
        item_id,
        Some(&item),
        None::<&ItemRow>,
    )
    .await?;
    let before = db::projects::get(&mut tx, placement_id).await?;
    let mut after = before.clone();
    if reset_agreements(
        &mut after,
        p,
        &format!("removed the {} \"{}\"", item.kind, item.title),
        now,
    ) {
        save_project(&mut tx, st, p, "agreement_reset", &before, &mut after).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The faculty member or the site mentor agrees to the plan as it stands (recorded: who,
/// when). Anyone else: 403. An empty plan (no objective) cannot be agreed: 409 `project_empty`.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn agree(st: &AppState, p: &Principal, placement_id: &str) -> AppResult<Project> {
    let mut tx = st.db.write().await?;
    let (placement, party) = load_for_write(&mut tx, p, placement_id).await?;
    if !project::may_agree(party) {
        return Err(AppError::Forbidden);
    }
    let items = db::projects::items(&mut tx, placement_id).await?;
    if !items.iter().any(|i| i.kind == "objective") {
        return Err(AppError::conflict(
            ErrorCode::ProjectEmpty,
            "there is no learning objective to agree to yet",
        ));
    }
    let now = st.clock.now();
    let before = db::projects::get(&mut tx, placement_id).await?;
    let mut after = before.clone();
    match party {
        Party::Faculty => {
            after.faculty_agreed_by = Some(p.user_id.clone());
            after.faculty_agreed_by_name = Some(p.name.clone());
            after.faculty_agreed_at = Some(now);
        }
        _ => {
            after.mentor_agreed_by = Some(p.user_id.clone());
            after.mentor_agreed_by_name = Some(p.name.clone());
            after.mentor_agreed_at = Some(now);
        }
    }
    save_project(&mut tx, st, p, "agree", &before, &mut after).await?;
    let v = view(&mut tx, placement, party).await?;
    tx.commit().await?;
    Ok(v)
}
