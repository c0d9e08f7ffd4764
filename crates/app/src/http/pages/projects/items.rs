//! Adding and changing the plan's objectives and milestones: the two forms and their posts.
use super::id_of;
use crate::db::projects::ItemRow;
use crate::domain::project::MilestoneStatus;
use crate::http::pages::view::Field;
use crate::http::pages::{Form, FormPage, PageError, PageResult, PageUser, form_failed, see};
use crate::http::{error::AppError, input};
use crate::service::projects;
use crate::state::AppState;
use axum::{
    extract::{Path, State},
    response::IntoResponse,
};
use serde_json::Value;

fn statuses() -> Vec<(String, String)> {
    MilestoneStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.words().to_string()))
        .collect()
}

fn new_page(user: &PageUser, id: &str) -> FormPage {
    FormPage {
        chrome: user.chrome("Add an objective or milestone"),
        intro: "An objective says what the student will learn; a milestone is a step of the project with its due date. Changing the plan after it was agreed asks the faculty member and the site mentor to agree again.".into(),
        action: format!("/placements/{id}/project/items/new"),
        fields: vec![
            Field::new("kind", "Kind", "select")
                .required()
                .options(vec![
                    ("objective".into(), "Learning objective".into()),
                    ("milestone".into(), "Milestone".into()),
                ])
                .value("objective"),
            Field::new("title", "Title", "text").required(),
            Field::new("due_on", "Due (milestones)", "date"),
        ],
        summary: vec![],
        submit: "Add",
        cancel: format!("/placements/{id}/project"),
        multipart: false,
        at_risk: vec![],
    }
}

pub(super) async fn new_form(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id)?;
    projects::get_project(&st, &user.p, &id).await?;
    Ok(new_page(&user, &id).into_response())
}

pub(super) async fn create(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = id_of(&id)?;
    let mut body = form.to_map(&[], &[]);
    // The form always sends the date box; an objective's empty one is not a date.
    if body.get("due_on") == Some(&Value::Null) {
        body.remove("due_on");
    }
    match projects::add_item(&st, &user.p, &id, input::projects::new_item(body)).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/project"), "saved")),
        Err(e) => form_failed(new_page(&user, &id), &form, e),
    }
}

fn edit_page(user: &PageUser, id: &str, i: &ItemRow) -> FormPage {
    let mut fields = vec![
        Field::new("title", "Title", "text")
            .required()
            .value(&i.title),
    ];
    if i.kind == "milestone" {
        fields.push(
            Field::new("due_on", "Due", "date")
                .required()
                .value(i.due_on.map(|d| d.to_string()).unwrap_or_default()),
        );
        fields.push(
            Field::new("status", "Status", "select")
                .required()
                .options(statuses())
                .value(i.status.clone().unwrap_or_default()),
        );
    }
    FormPage {
        chrome: user.chrome(format!("Change \u{201c}{}\u{201d}", i.title)),
        intro: "A new title or due date changes the plan: the faculty member and the site mentor agree again. A milestone's status is progress and keeps the agreement.".into(),
        action: format!("/placements/{id}/project/items/{}", i.id),
        fields,
        summary: vec![],
        submit: "Save",
        cancel: format!("/placements/{id}/project"),
        multipart: false,
        at_risk: vec![],
    }
}

async fn item_of(
    st: &AppState,
    user: &PageUser,
    id: &str,
    item_id: &str,
) -> Result<(String, ItemRow), PageError> {
    let id = id_of(id)?;
    let item_id = id_of(item_id)?;
    let pr = projects::get_project(st, &user.p, &id).await?;
    let item = pr
        .items
        .into_iter()
        .find(|i| i.id == item_id)
        .ok_or(AppError::NotFound)?;
    Ok((id, item))
}

pub(super) async fn edit_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, item_id)): Path<(String, String)>,
) -> PageResult {
    let (id, item) = item_of(&st, &user, &id, &item_id).await?;
    Ok(edit_page(&user, &id, &item).into_response())
}

pub(super) async fn update(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, item_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (id, item) = item_of(&st, &user, &id, &item_id).await?;
    // Only what changed goes to the use case: a form sends every field back.
    let mut body = serde_json::Map::new();
    let changed = |k: &str, now: &str| form.get(k).filter(|v| v.trim() != now).map(str::to_string);
    if let Some(v) = changed("title", &item.title) {
        body.insert("title".into(), Value::String(v));
    }
    if item.kind == "milestone" {
        let due = item.due_on.map(|d| d.to_string()).unwrap_or_default();
        if let Some(v) = changed("due_on", &due) {
            body.insert("due_on".into(), Value::String(v));
        }
        if let Some(v) = changed("status", item.status.as_deref().unwrap_or_default()) {
            body.insert("status".into(), Value::String(v));
        }
    }
    if body.is_empty() {
        return Ok(see(&format!("/placements/{id}/project"), "saved"));
    }
    match projects::change_item(
        &st,
        &user.p,
        &id,
        &item.id,
        input::projects::item_change(body),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/placements/{id}/project"), "saved")),
        Err(e) => form_failed(edit_page(&user, &id, &item), &form, e),
    }
}
