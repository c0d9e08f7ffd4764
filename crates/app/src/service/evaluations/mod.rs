//! Evaluations (issue 16 points 2-3): the assigned supervisor (the preceptor of a clinical,
//! the faculty member of an internship) fills the midterm and the final, signs them and so
//! locks them; the student acknowledges them (with a comment, which is not agreeing); a
//! correction is a new version with a reason, the old one kept. The student fills their own
//! evaluation of the site and supervisor, which nobody but its author ever reads one by one
//! (the office sees aggregates: `service::evaluation_templates::site_aggregates`). Here: who
//! the caller is to an evaluation and the loading every use case shares; the lists and reads are
//! in `read`, starting and changing a draft in `draft`, signing, acknowledging and correcting
//! in `signing`, the audit events in `audit`.
use super::principal::ensure;
use super::{Parsed, Principal};
use crate::db::{
    self, Tx,
    evaluations::{EvaluationRow, TemplateRow, VersionRow},
    placements::PlacementRow,
};
use crate::domain::{
    ErrorCode, Role,
    evaluation::{self, Answers, Point, Urgency},
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

mod audit;
mod draft;
mod read;
mod signing;
use audit::audit;
pub use draft::{EvaluationChange, NewEvaluation, start_evaluation, update_evaluation};
pub use read::{Slot, get_evaluation, my_evaluations, placement_evaluations};
pub use signing::{acknowledge, correct, sign};

/// What the caller is to one evaluation of a placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Fills, signs and corrects it: the assigned supervisor, or for the site evaluation the
    /// student.
    Author,
    /// An internship's site mentor: adds a comment to the faculty member's evaluation.
    SiteMentor,
    /// The student it is about: reads it once signed, acknowledges it.
    Subject,
    /// The office and the student's school: read it (the office drafts too).
    Reader,
    /// Nothing (a site evaluation to anyone but its author): 404.
    Stranger,
}

/// Who the caller is to the `point` evaluation of this placement (the caller sees the placement).
pub fn part_of(p: &Principal, row: &PlacementRow, point: Point) -> Part {
    let own_student =
        p.role == Role::Student && p.student_id.is_some() && p.student_id == row.student_id;
    if point.by_student() {
        return if own_student {
            Part::Author
        } else {
            Part::Stranger
        };
    }
    let staff = p.staff_id.as_deref();
    let evaluator = match row.kind.as_str() {
        "internship" => {
            p.role == Role::Faculty && row.faculty_user_id.as_deref() == Some(&p.user_id)
        }
        _ => p.role == Role::Preceptor && staff.is_some() && row.preceptor_id.as_deref() == staff,
    };
    if evaluator {
        Part::Author
    } else if row.kind == "internship"
        && p.role == Role::Preceptor
        && staff.is_some()
        && row.site_mentor_id.as_deref() == staff
    {
        Part::SiteMentor
    } else if own_student {
        Part::Subject
    } else if matches!(
        p.role,
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator
    ) {
        Part::Reader
    } else {
        Part::Stranger
    }
}

/// Whether this part may read the evaluation in its present state.
fn reads(part: Part, role: Role, e: &EvaluationRow) -> bool {
    match part {
        Part::Author | Part::SiteMentor => true,
        Part::Subject => e.is_signed(),
        Part::Reader => e.is_signed() || matches!(role, Role::Admin | Role::Coordinator),
        Part::Stranger => false,
    }
}

async fn placement_in_scope(tx: &mut Tx, p: &Principal, id: &str) -> AppResult<PlacementRow> {
    let scope = p.authorize(Resource::Evaluation, Action::Read)?;
    let row = db::placements::get(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_placement(&row.parties()))?;
    Ok(row)
}

async fn discipline_of(tx: &mut Tx, row: &PlacementRow) -> AppResult<String> {
    Ok(db::programs::get(tx, &row.program_id)
        .await?
        .map(|p| p.discipline)
        .unwrap_or_default())
}

/// An evaluation with what its pages, its API answer and its PDF show.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub row: EvaluationRow,
    pub point: Point,
    pub part: Part,
    pub template: TemplateRow,
    pub placement: PlacementRow,
    pub due_on: NaiveDate,
    pub history: Vec<VersionRow>,
    pub student_name: String,
}

async fn load(tx: &mut Tx, p: &Principal, id: &str) -> AppResult<Evaluation> {
    let row = db::evaluations::get(tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let placement = placement_in_scope(tx, p, &row.placement_id).await?;
    let point = Point::parse(&row.point).ok_or(AppError::NotFound)?;
    let part = part_of(p, &placement, point);
    ensure(reads(part, p.role, &row))?;
    let template = db::evaluations::get_template(tx, &row.template_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("evaluation {} without its template", row.id))?;
    let history = db::evaluations::history(tx, &row.id).await?;
    let student_name = match &placement.student_id {
        Some(s) => db::students::get(tx, s).await?.map(|s| s.full_name()),
        None => None,
    }
    .unwrap_or_default();
    Ok(Evaluation {
        due_on: evaluation::due_on(point, placement.starts_on, placement.ends_on),
        row,
        point,
        part,
        template,
        placement,
        history,
        student_name,
    })
}

fn merged(current: Answers, change: Option<Answers>) -> Answers {
    let mut out = current;
    for (k, v) in change.unwrap_or_default() {
        if v.is_cleared() {
            out.remove(&k);
        } else {
            out.insert(k, v);
        }
    }
    out
}

fn refuse_signed(e: &EvaluationRow) -> AppResult<()> {
    if e.is_signed() {
        return Err(AppError::conflict(
            ErrorCode::EvaluationSigned,
            "a signed evaluation is locked; a change to it is a correction with a reason",
        ));
    }
    Ok(())
}

async fn load_for_write(tx: &mut Tx, p: &Principal, id: &str) -> AppResult<Evaluation> {
    p.authorize(Resource::Evaluation, Action::Write)?;
    db::evaluations::lock(tx, id).await?;
    load(tx, p, id).await
}
