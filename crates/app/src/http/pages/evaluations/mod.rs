//! Evaluation pages (issue 16 points 1-3): a placement's evaluations (a section of its page),
//! the evaluator's and the student's list on their home, one evaluation (read, fill, sign,
//! acknowledge, correct, print), and the office's evaluation forms. The forms read into the
//! same inputs as the API (`http/input/evaluations.rs`) and call the same use cases. Here: the
//! routes and the sections of the placement and home pages; one evaluation's page is in
//! `record`, filling and signing in `filling`, acknowledging and correcting in `signed`, the
//! office's forms in `editor` and the site evaluations' aggregates in `results`.
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, FormPage, PageError, PageId, PageResult, PageUser, RecordPage, Section,
    form_failed, see,
};
use crate::db::evaluations::TemplateRow;
use crate::domain::evaluation::{self, COMPETENCY, Form as EvalForm, ItemType, Point, Urgency};
use crate::http::{error::AppError, extract::parse_id, input};
use crate::service::evaluation_templates as templates;
use crate::service::evaluations::{self, Evaluation, Part, Slot};
use crate::state::AppState;
use axum::{
    Router,
    extract::{Path, State},
    http::header,
    response::IntoResponse,
    routing::{get, post},
};
use serde_json::{Map, Value};

mod editor;
mod filling;
mod record;
mod results;
mod signed;
use editor::{create_template, forms_list, new_template_form, template_form, update_template};
use filling::{create, edit, edit_form, item_fields, new_form, posted_answers, sign};
use record::{pdf, show};
use results::site_report;
use signed::{ack, ack_form, correct, correct_form};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evaluations/{id}", get(show))
        .route("/evaluations/{id}/edit", get(edit_form).post(edit))
        .route("/evaluations/{id}/sign", post(sign))
        .route("/evaluations/{id}/acknowledge", get(ack_form).post(ack))
        .route("/evaluations/{id}/correct", get(correct_form).post(correct))
        .route("/evaluations/{id}/pdf", get(pdf))
        .route(
            "/placements/{id}/evaluations/{point}",
            get(new_form).post(create),
        )
        .route("/evaluation-forms", get(forms_list))
        .route("/site-evaluations", get(site_report))
        .route(
            "/evaluation-forms/new",
            get(new_template_form).post(create_template),
        )
        .route(
            "/evaluation-forms/{id}",
            get(template_form).post(update_template),
        )
}

fn status_badge(status: &str) -> Cell {
    let style = match status {
        "acknowledged" | "signed" => "ok",
        "draft" => "warn",
        _ => "muted",
    };
    Cell::badge(status.replace('_', " "), style)
}

fn urgency_cell(u: Option<Urgency>) -> Cell {
    match u {
        Some(Urgency::Late) => Cell::badge("late", "bad"),
        Some(Urgency::Due) => Cell::badge("due", "warn"),
        _ => Cell::text(""),
    }
}

/// The link a slot offers its viewer: open it, or start it (the author, once owed).
fn slot_link(s: &Slot, label: String) -> Cell {
    match (&s.id, s.part) {
        (Some(id), _) => Cell::link(label, format!("/evaluations/{id}")),
        (None, Part::Author) if s.status == "not_started" => Cell::link(
            format!("Start: {label}"),
            format!(
                "/placements/{}/evaluations/{}",
                s.placement_id,
                s.point.as_str()
            ),
        ),
        _ => Cell::text(label),
    }
}

/// The placement page's "Evaluations" section, for those who may read evaluations.
pub async fn placement_section(
    st: &AppState,
    user: &PageUser,
    placement_id: &str,
) -> Result<Option<Section>, PageError> {
    let slots = match evaluations::placement_evaluations(st, &user.p, placement_id).await {
        Ok(s) => s,
        Err(AppError::Forbidden | AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut table = Table::new(
        "Evaluations: the midterm is due at the placement's midpoint, the final on its last day",
        vec!["Evaluation", "Due", "Status", ""],
        "No evaluation is owed: the placement is not confirmed, or it was cancelled.",
    );
    for s in &slots {
        table.rows.push(vec![
            slot_link(s, s.point.label().to_string()),
            Cell::date(Some(s.due_on)),
            status_badge(s.status),
            urgency_cell(s.urgency),
        ]);
    }
    Ok(Some(Section {
        title: "Evaluations".into(),
        table,
        actions: vec![],
    }))
}

/// The home page's "Evaluations to do" for a preceptor, a faculty member or a student.
pub async fn home_section(st: &AppState, user: &PageUser) -> Result<Section, PageError> {
    let slots = evaluations::my_evaluations(st, &user.p).await?;
    let mut table = Table::new(
        "Evaluations to do: to fill and sign, or to read and acknowledge",
        vec!["Evaluation", "Student", "Due", "Status", ""],
        "Nothing to do.",
    );
    for s in &slots {
        let what = if s.part == Part::Subject {
            format!("Acknowledge: {}", s.point.label())
        } else {
            s.point.label().to_string()
        };
        table.rows.push(vec![
            slot_link(s, what),
            Cell::text(s.student_name.clone().unwrap_or_default()),
            Cell::date(Some(s.due_on)),
            status_badge(s.status),
            urgency_cell(s.urgency),
        ]);
    }
    Ok(Section {
        title: "Evaluations to do".into(),
        table,
        actions: vec![],
    })
}

async fn load(st: &AppState, user: &PageUser, id: &str) -> Result<Evaluation, PageError> {
    Ok(evaluations::get_evaluation(st, &user.p, id).await?)
}
