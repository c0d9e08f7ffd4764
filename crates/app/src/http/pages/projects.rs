//! An internship's project page (issue 16 point 4): the objectives and milestones, who agreed
//! and when, the deliverable; the forms to add and change them, to agree, to upload the
//! deliverable and to accept or return it, each shown only to whom may use it. The forms read
//! into the same inputs as the API (`http/input/projects.rs`) and call the same use cases
//! (`service/projects.rs`).
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, FormPage, PageError, PageResult, PageUser, RecordPage, Section, UploadForm,
    constant_time_eq, form_failed, origin_ok, see,
};
use crate::db::projects::ItemRow;
use crate::domain::project::{self, MilestoneStatus};
use crate::http::{error::AppError, extract::parse_id, input, upload};
use crate::service::projects::{self, Project};
use crate::state::AppState;
use axum::{
    Router,
    extract::{Path, State},
    response::IntoResponse,
    routing::{get, post},
};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placements/{id}/project", get(show))
        .route(
            "/placements/{id}/project/items/new",
            get(new_form).post(create),
        )
        .route(
            "/placements/{id}/project/items/{item_id}",
            get(edit_form).post(update),
        )
        .route("/placements/{id}/project/agree", post(agree))
        .route(
            "/placements/{id}/project/deliverable",
            get(download).post(upload_deliverable),
        )
        .route("/placements/{id}/project/deliverable/review", post(review))
}

fn id_of(raw: &str) -> Result<String, PageError> {
    Ok(parse_id(raw).ok_or(AppError::NotFound)?)
}

fn statuses() -> Vec<(String, String)> {
    MilestoneStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.words().to_string()))
        .collect()
}

fn status_words(s: &Option<String>) -> String {
    s.as_deref()
        .and_then(MilestoneStatus::parse)
        .map_or("", |s| s.words())
        .to_string()
}

fn agreement(
    name: &Option<String>,
    at: Option<chrono::DateTime<chrono::Utc>>,
    st: &AppState,
) -> Cell {
    match at {
        Some(at) => Cell::badge(
            format!(
                "agreed by {} on {}",
                name.clone().unwrap_or_default(),
                st.clock.local(at).format("%a %-d %b %Y %H:%M %Z")
            ),
            "ok",
        ),
        None => Cell::badge("not agreed yet", "warn"),
    }
}

/// The project page.
async fn page(st: &AppState, user: &PageUser, pr: Project, upload_error: String) -> RecordPage {
    let id = pr.placement.id.clone();
    let r = &pr.row;
    let mut facts = vec![
        (
            "Internship",
            Cell::link(
                format!(
                    "{} to {}",
                    human_date(pr.placement.starts_on),
                    human_date(pr.placement.ends_on)
                ),
                format!("/placements/{id}"),
            ),
        ),
        (
            "The plan",
            if pr.agreed() {
                Cell::badge("agreed", "ok")
            } else {
                Cell::badge("not agreed yet", "warn")
            },
        ),
        (
            "Faculty member",
            agreement(&r.faculty_agreed_by_name, r.faculty_agreed_at, st),
        ),
    ];
    if pr.has_mentor {
        facts.push((
            "Site mentor",
            agreement(&r.mentor_agreed_by_name, r.mentor_agreed_at, st),
        ));
    }
    if let (Some(at), Some(reason)) = (r.agreement_reset_at, &r.agreement_reset_reason) {
        facts.push((
            "Agreement reset",
            Cell::text(format!(
                "{} ({})",
                reason,
                st.clock.local(at).format("%a %-d %b %Y %H:%M %Z")
            )),
        ));
    }
    match &r.deliverable_status {
        Some(status) => {
            let mut text = format!(
                "{}: {}",
                r.deliverable_name.clone().unwrap_or_default(),
                status
            );
            if let Some(by) = &r.deliverable_reviewed_by_name {
                text.push_str(&format!(" by {by}"));
            }
            if let Some(note) = &r.deliverable_note {
                text.push_str(&format!(" — {note}"));
            }
            facts.push((
                "Deliverable",
                Cell::link(text, format!("/placements/{id}/project/deliverable")),
            ));
        }
        None => facts.push(("Deliverable", Cell::text("not uploaded yet"))),
    }
    let editable = pr.placement.status != "cancelled" && project::may_edit_plan(pr.party);
    let mut objectives = Table::new(
        "Learning objectives",
        vec!["Objective"],
        "No objective yet: the student proposes them.",
    );
    let mut milestones = Table::new(
        "Project milestones",
        vec!["Milestone", "Due", "Status"],
        "No milestone yet.",
    );
    if editable {
        objectives.headers.push("Change");
        milestones.headers.push("Change");
    }
    let change = |i: &ItemRow| {
        Cell::link(
            format!("Change \u{201c}{}\u{201d}", i.title),
            format!("/placements/{id}/project/items/{}", i.id),
        )
    };
    for i in pr.objectives() {
        let mut row = vec![Cell::text(&i.title)];
        if editable {
            row.push(change(i));
        }
        objectives.rows.push(row);
    }
    for i in pr.milestones() {
        let mut row = vec![
            Cell::text(&i.title),
            Cell::date(i.due_on),
            Cell::badge(status_words(&i.status), "info"),
        ];
        if editable {
            row.push(change(i));
        }
        milestones.rows.push(row);
    }
    let mut forms = vec![];
    let open = pr.placement.status != "cancelled";
    if open && project::may_agree(pr.party) {
        forms.push(ActionForm::new(
            format!("/placements/{id}/project/agree"),
            "Agree to the plan",
        ));
    }
    if open
        && project::may_review_deliverable(pr.party)
        && r.deliverable_status.as_deref() == Some("submitted")
    {
        forms.push(
            ActionForm::new(
                format!("/placements/{id}/project/deliverable/review"),
                "Accept the deliverable",
            )
            .with("outcome", "accepted"),
        );
        let back = ActionForm::new(
            format!("/placements/{id}/project/deliverable/review"),
            "Return the deliverable",
        )
        .with("outcome", "returned")
        .irreversible("Return the deliverable to the student with this note?");
        forms.push(back);
    }
    let upload = (open
        && project::may_upload_deliverable(pr.party)
        && r.deliverable_status.as_deref() != Some("accepted"))
    .then(|| UploadForm {
        action: format!("/placements/{id}/project/deliverable"),
        label: "Upload the final deliverable".into(),
        hint: format!(
            "A PDF of at most {}; a new upload replaces one not yet accepted.",
            upload::size_words(st.config.upload_limit)
        ),
        error: upload_error,
    });
    let actions = if editable {
        vec![(
            format!("/placements/{id}/project/items/new"),
            "Add an objective or milestone".to_string(),
        )]
    } else {
        vec![]
    };
    RecordPage {
        chrome: user.chrome("Internship project"),
        facts,
        actions,
        sections: vec![
            Section {
                title: "Learning objectives".into(),
                table: objectives,
                actions: vec![],
            },
            Section {
                title: "Milestones".into(),
                table: milestones,
                actions: vec![],
            },
        ],
        upload,
        forms,
    }
}

async fn show(State(st): State<AppState>, user: PageUser, Path(id): Path<String>) -> PageResult {
    let id = id_of(&id)?;
    let pr = projects::get_project(&st, &user.p, &id).await?;
    Ok(page(&st, &user, pr, String::new()).await.into_response())
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

async fn new_form(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id)?;
    projects::get_project(&st, &user.p, &id).await?;
    Ok(new_page(&user, &id).into_response())
}

async fn create(
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

async fn edit_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, item_id)): Path<(String, String)>,
) -> PageResult {
    let (id, item) = item_of(&st, &user, &id, &item_id).await?;
    Ok(edit_page(&user, &id, &item).into_response())
}

async fn update(
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

async fn agree(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = id_of(&id)?;
    projects::agree(&st, &user.p, &id).await?;
    Ok(see(&format!("/placements/{id}/project"), "saved"))
}

async fn review(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = id_of(&id)?;
    let mut body = serde_json::Map::new();
    if let Some(o) = form.get("outcome") {
        body.insert("outcome".into(), Value::String(o.to_string()));
    }
    if let Some(n) = form.get("reason").filter(|n| !n.trim().is_empty()) {
        body.insert("note".into(), Value::String(n.to_string()));
    }
    projects::review_deliverable(&st, &user.p, &id, input::projects::deliverable_review(body))
        .await?;
    Ok(see(&format!("/placements/{id}/project"), "saved"))
}

async fn download(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id)?;
    let (name, bytes) = projects::deliverable_file(&st, &user.p, &id).await?;
    Ok(upload::pdf_download(&name, bytes))
}

async fn upload_deliverable(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> PageResult {
    let id = id_of(&id)?;
    if !origin_ok(req.headers()) {
        return Err(AppError::Forbidden.into());
    }
    // A refused file shows the page again, answered 422, with why beside the file input.
    let refused = |e: AppError| async {
        let AppError::Rejected(p) = e else {
            return Err(e.into());
        };
        let why =
            p.0.iter()
                .map(|e| format!("File: {}", e.message))
                .collect::<Vec<_>>()
                .join("; ");
        let pr = projects::get_project(&st, &user.p, &id).await?;
        let page = page(&st, &user, pr, why).await;
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let up = match upload::read(req, st.config.upload_limit).await {
        Ok(up) => up,
        Err(e) => return refused(e).await,
    };
    let token_ok = up
        .fields
        .get("csrf_token")
        .is_some_and(|t| constant_time_eq(t, &user.p.csrf_token));
    if !token_ok {
        return Err(AppError::Forbidden.into());
    }
    let (name, bytes) = match upload::require_file(&up) {
        Ok(f) => f,
        Err(e) => return refused(e).await,
    };
    let name = upload::clean_filename(name);
    match projects::upload_deliverable(&st, &user.p, &id, &name, bytes).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/project"), "uploaded")),
        Err(e) => refused(e).await,
    }
}

/// The placement page's link to the project, for its parties.
pub fn project_link(
    user: &PageUser,
    row: &crate::db::placements::PlacementRow,
) -> Option<(String, String)> {
    projects::is_party(&user.p, row).then(|| {
        (
            format!("/placements/{}/project", row.id),
            "Project: objectives, milestones, deliverable".to_string(),
        )
    })
}
