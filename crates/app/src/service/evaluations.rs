//! Evaluations (issue 16 points 2-3): the assigned supervisor (the preceptor of a clinical,
//! the faculty member of an internship) fills the midterm and the final, signs them and so
//! locks them; the student acknowledges them (with a comment, which is not agreeing); a
//! correction is a new version with a reason, the old one kept. The student fills their own
//! evaluation of the site and supervisor, which nobody but its author ever reads one by one
//! (the office sees aggregates: `service::evaluation_templates::site_aggregates`).
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

/// One evaluation a placement owes (or has), as lists show it.
#[derive(Clone, Debug)]
pub struct Slot {
    pub placement_id: String,
    pub point: Point,
    pub due_on: NaiveDate,
    /// not_started, draft, signed, acknowledged
    pub status: &'static str,
    /// Due or late while unsigned on an owing placement; `None` otherwise.
    pub urgency: Option<Urgency>,
    /// The evaluation's id when the caller may open it.
    pub id: Option<String>,
    pub version: Option<i64>,
    pub part: Part,
    pub student_name: Option<String>,
    pub template_id: Option<String>,
}

fn status_of(e: Option<&EvaluationRow>) -> &'static str {
    match e {
        None => "not_started",
        Some(e) if !e.is_signed() => "draft",
        Some(e) if e.acknowledged_at.is_some() => "acknowledged",
        Some(_) => "signed",
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

async fn slots_of(
    tx: &mut Tx,
    p: &Principal,
    row: &PlacementRow,
    today: NaiveDate,
) -> AppResult<Vec<Slot>> {
    let stored = db::evaluations::of_placement(tx, &row.id).await?;
    let discipline = discipline_of(tx, row).await?;
    let student_name = match &row.student_id {
        Some(s) => db::students::get(tx, s).await?.map(|s| s.full_name()),
        None => None,
    };
    let mut out = Vec::new();
    for point in Point::ALL {
        let part = part_of(p, row, point);
        if part == Part::Stranger {
            continue;
        }
        let e = stored.iter().find(|e| e.point == point.as_str());
        if e.is_none() && !evaluation::owed(&row.status) {
            continue;
        }
        let due_on = evaluation::due_on(point, row.starts_on, row.ends_on);
        let urgency = (evaluation::owed(&row.status) && !e.is_some_and(EvaluationRow::is_signed))
            .then(|| evaluation::urgency(due_on, today));
        let template_id = match e {
            Some(e) => Some(e.template_id.clone()),
            None => db::evaluations::applicable(tx, &row.kind, &discipline, point.as_str())
                .await?
                .map(|t| t.id),
        };
        let visible = e.filter(|e| reads(part, p.role, e));
        out.push(Slot {
            placement_id: row.id.clone(),
            point,
            due_on,
            status: status_of(e),
            urgency,
            id: visible.map(|e| e.id.clone()),
            version: visible.map(|e| e.version),
            part,
            student_name: student_name.clone(),
            template_id,
        });
    }
    Ok(out)
}

/// The evaluations of a placement the caller sees: each point's due day and state (a site
/// evaluation only to its author).
pub async fn placement_evaluations(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<Vec<Slot>> {
    let mut tx = st.db.read().await?;
    let row = placement_in_scope(&mut tx, p, placement_id).await?;
    slots_of(&mut tx, p, &row, st.clock.today()).await
}

/// What the caller has to do: a supervisor's evaluations to fill or sign, a student's own
/// site evaluation and the signed ones to acknowledge (the home pages and `GET /api/v1/evaluations`).
pub async fn my_evaluations(st: &AppState, p: &Principal) -> AppResult<Vec<Slot>> {
    let scope = p.authorize(Resource::Evaluation, Action::Read)?;
    let mut tx = st.db.read().await?;
    let rows = db::placements::list(
        &mut tx,
        &scope,
        &db::placements::Filter::default(),
        &db::Page {
            limit: 100_000,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    let today = st.clock.today();
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| evaluation::owed(&r.status)) {
        for s in slots_of(&mut tx, p, row, today).await? {
            let todo = match s.part {
                Part::Author | Part::SiteMentor => s.status == "not_started" || s.status == "draft",
                Part::Subject => s.status == "signed",
                _ => false,
            };
            if todo {
                out.push(s);
            }
        }
    }
    out.sort_by(|a, b| {
        a.due_on
            .cmp(&b.due_on)
            .then(a.placement_id.cmp(&b.placement_id))
    });
    Ok(out)
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

/// One evaluation for whoever may read it; a read by anyone but the student is recorded in
/// the student's disclosure log (an evaluation is part of their education record).
pub async fn get_evaluation(st: &AppState, p: &Principal, id: &str) -> AppResult<Evaluation> {
    let mut tx = st.db.read().await?;
    let ev = load(&mut tx, p, id).await?;
    drop(tx);
    if let Some(student) = &ev.placement.student_id {
        super::disclosures::record(
            st,
            p,
            student,
            super::disclosures::Read::Evaluation(ev.row.id.clone()),
        )
        .await?;
    }
    Ok(ev)
}

/// A new evaluation: which point, and the first answers (a draft may be partial).
#[derive(Clone, Debug, Default)]
pub struct NewEvaluation {
    pub point: Option<Point>,
    pub answers: Option<Answers>,
    pub mentor_comment: Option<String>,
}

/// A change to a draft: answers (merged over the ones kept; null clears one), the site mentor's
/// comment; for a correction, the reason.
#[derive(Clone, Debug, Default)]
pub struct EvaluationChange {
    pub answers: Option<Answers>,
    pub mentor_comment: Option<Option<String>>,
    pub reason: Option<String>,
}

fn merged(current: Answers, change: Option<Answers>) -> Answers {
    let mut out = current;
    for (k, v) in change.unwrap_or_default() {
        if v.is_null() {
            out.remove(&k);
        } else {
            out.insert(k, v);
        }
    }
    out
}

/// What a site evaluation's audit event keeps: never its answers (they would reach the office
/// through the audit history with the author's name).
#[derive(serde::Serialize)]
struct Sealed<'a> {
    id: &'a str,
    placement_id: &'a str,
    point: &'a str,
    status: &'a str,
}

async fn audit(
    tx: &mut Tx,
    p: &Principal,
    action: &str,
    before: Option<&EvaluationRow>,
    after: &EvaluationRow,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let actor = p.actor(now);
    if after.point == Point::Site.as_str() {
        fn seal(e: &EvaluationRow) -> Sealed<'_> {
            Sealed {
                id: &e.id,
                placement_id: &e.placement_id,
                point: &e.point,
                status: &e.status,
            }
        }
        let b = before.map(seal);
        db::audit::record(
            tx,
            &actor,
            action,
            "evaluation",
            &after.id,
            b.as_ref(),
            Some(&seal(after)),
        )
        .await?;
    } else {
        db::audit::record(
            tx,
            &actor,
            action,
            "evaluation",
            &after.id,
            before,
            Some(after),
        )
        .await?;
    }
    Ok(())
}

/// Starts an evaluation on the form that applies now (the assigned supervisor; the student
/// for the site evaluation). A cancelled or proposed placement owes none: `409 evaluation_not_due`.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn start_evaluation(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    input: Parsed<NewEvaluation>,
) -> AppResult<Evaluation> {
    p.authorize(Resource::Evaluation, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, placement_id).await?;
    let row = placement_in_scope(&mut tx, p, placement_id).await?;
    let Parsed {
        fields: n,
        mut problems,
        ..
    } = input;
    let Some(point) = n.point else {
        problems.into_result()?;
        return Err(anyhow::anyhow!("an evaluation without a point passed the checks").into());
    };
    match part_of(p, &row, point) {
        Part::Author => {}
        Part::Stranger => return Err(AppError::NotFound),
        _ => return Err(AppError::Forbidden),
    }
    if !evaluation::owed(&row.status) {
        return Err(AppError::conflict(
            ErrorCode::EvaluationNotDue,
            format!("the placement is {}: it owes no evaluation", row.status),
        ));
    }
    let discipline = discipline_of(&mut tx, &row).await?;
    let template = db::evaluations::applicable(&mut tx, &row.kind, &discipline, point.as_str())
        .await?
        .ok_or_else(|| {
            AppError::conflict(
                ErrorCode::NoTemplate,
                format!(
                    "no {} form applies to a {} placement",
                    point.as_str(),
                    row.kind
                ),
            )
        })?;
    let form = template.form();
    let answers = evaluation::normalize(&form, n.answers.unwrap_or_default());
    problems
        .0
        .extend(evaluation::check_answers(&form, &answers, false).0);
    if n.mentor_comment.is_some() {
        problems.add(
            "mentor_comment",
            ErrorCode::ReadOnly,
            "only the site mentor writes their comment",
        );
    }
    problems.into_result()?;
    if db::evaluations::of_placement(&mut tx, &row.id)
        .await?
        .iter()
        .any(|e| e.point == point.as_str())
    {
        return Err(AppError::conflict(
            ErrorCode::EvaluationExists,
            format!(
                "the {} evaluation of this placement is already started",
                point.as_str()
            ),
        ));
    }
    let now = st.clock.now();
    let e = EvaluationRow {
        id: db::new_id(),
        placement_id: row.id.clone(),
        point: point.as_str().into(),
        template_id: template.id.clone(),
        version: 1,
        status: "draft".into(),
        answers_json: serde_json::to_string(&answers).map_err(anyhow::Error::from)?,
        mentor_comment: None,
        author_user_id: p.user_id.clone(),
        signed_by_user_id: None,
        signed_by_name: None,
        signed_at: None,
        acknowledged_at: None,
        student_comment: None,
        correction_reason: None,
        created_at: now,
        updated_at: now,
    };
    db::evaluations::insert(&mut tx, &e).await?;
    audit(&mut tx, p, "create", None, &e, now).await?;
    let out = load(&mut tx, p, &e.id).await?;
    tx.commit().await?;
    Ok(out)
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

/// Changes a draft: the author its answers, an internship's site mentor their comment.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), evaluation_id = %id))]
pub async fn update_evaluation(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<EvaluationChange>,
) -> AppResult<Evaluation> {
    let mut tx = st.db.write().await?;
    let ev = load_for_write(&mut tx, p, id).await?;
    if !matches!(ev.part, Part::Author | Part::SiteMentor) {
        return Err(AppError::Forbidden);
    }
    refuse_signed(&ev.row)?;
    let Parsed {
        fields: c,
        mut problems,
        ..
    } = input;
    let form = ev.template.form();
    let mut after = ev.row.clone();
    if c.answers.is_some() && ev.part != Part::Author {
        problems.add(
            "answers",
            ErrorCode::ReadOnly,
            "only the evaluator answers the form",
        );
    }
    if c.mentor_comment.is_some() && ev.part != Part::SiteMentor {
        problems.add(
            "mentor_comment",
            ErrorCode::ReadOnly,
            "only the internship's site mentor writes their comment",
        );
    }
    if c.reason.is_some() {
        problems.add(
            "reason",
            ErrorCode::UnknownField,
            "a reason is for a correction",
        );
    }
    let answers = evaluation::normalize(&form, merged(ev.row.answers(), c.answers));
    problems
        .0
        .extend(evaluation::check_answers(&form, &answers, false).0);
    problems.into_result()?;
    after.answers_json = serde_json::to_string(&answers).map_err(anyhow::Error::from)?;
    if let Some(m) = c.mentor_comment {
        after.mentor_comment = m;
    }
    let now = st.clock.now();
    after.updated_at = now;
    db::evaluations::update(&mut tx, &after).await?;
    audit(&mut tx, p, "update", Some(&ev.row), &after, now).await?;
    let out = load(&mut tx, p, id).await?;
    tx.commit().await?;
    Ok(out)
}

async fn tell_student(
    tx: &mut Tx,
    ev: &Evaluation,
    message: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    if let Some(student) = &ev.placement.student_id {
        let link = format!("/evaluations/{}", ev.row.id);
        for (user_id, _, _) in db::notifications::users_of_student(tx, student).await? {
            db::notifications::notify(tx, &user_id, "evaluation_signed", message, Some(&link), now)
                .await?;
        }
    }
    Ok(())
}

/// Signs (the site evaluation: submits) a complete draft: the author's name and the time,
/// and it is locked.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), evaluation_id = %id))]
pub async fn sign(st: &AppState, p: &Principal, id: &str) -> AppResult<Evaluation> {
    let mut tx = st.db.write().await?;
    let ev = load_for_write(&mut tx, p, id).await?;
    if ev.part != Part::Author {
        return Err(AppError::Forbidden);
    }
    refuse_signed(&ev.row)?;
    let form = ev.template.form();
    evaluation::check_answers(&form, &ev.row.answers(), true).into_result()?;
    let now = st.clock.now();
    let mut after = ev.row.clone();
    after.status = "signed".into();
    after.signed_by_user_id = Some(p.user_id.clone());
    after.signed_by_name = Some(p.name.clone());
    after.signed_at = Some(now);
    after.updated_at = now;
    db::evaluations::update(&mut tx, &after).await?;
    audit(&mut tx, p, "sign", Some(&ev.row), &after, now).await?;
    if !ev.point.by_student() {
        let msg = format!(
            "Your {} is signed: read it and acknowledge it",
            ev.point.label().to_lowercase()
        );
        tell_student(&mut tx, &ev, &msg, now).await?;
    }
    let out = load(&mut tx, p, id).await?;
    tx.commit().await?;
    Ok(out)
}

/// The student acknowledges a signed evaluation about them (read, not agreed), with an
/// optional comment.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), evaluation_id = %id))]
pub async fn acknowledge(
    st: &AppState,
    p: &Principal,
    id: &str,
    comment: Parsed<Option<String>>,
) -> AppResult<Evaluation> {
    let mut tx = st.db.write().await?;
    let ev = load_for_write(&mut tx, p, id).await?;
    if ev.part != Part::Subject {
        return Err(AppError::Forbidden);
    }
    comment.problems.clone().into_result()?;
    if ev.row.acknowledged_at.is_some() {
        return Err(AppError::conflict(
            ErrorCode::AlreadyAcknowledged,
            "this version is already acknowledged",
        ));
    }
    let now = st.clock.now();
    let mut after = ev.row.clone();
    after.acknowledged_at = Some(now);
    after.student_comment = comment.fields;
    after.updated_at = now;
    db::evaluations::update(&mut tx, &after).await?;
    audit(&mut tx, p, "acknowledge", Some(&ev.row), &after, now).await?;
    let out = load(&mut tx, p, id).await?;
    tx.commit().await?;
    Ok(out)
}

/// Corrects a signed evaluation: the version signed before is kept in the history, the new
/// one carries the reason, is signed by the corrector, and waits for the student's
/// acknowledgement again.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), evaluation_id = %id))]
pub async fn correct(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<EvaluationChange>,
) -> AppResult<Evaluation> {
    let mut tx = st.db.write().await?;
    let ev = load_for_write(&mut tx, p, id).await?;
    if ev.part != Part::Author || ev.point.by_student() {
        return Err(AppError::Forbidden);
    }
    if !ev.row.is_signed() {
        return Err(AppError::conflict(
            ErrorCode::EvaluationNotSigned,
            "a draft is changed as it is; only a signed evaluation is corrected",
        ));
    }
    let Parsed {
        fields: c,
        mut problems,
        ..
    } = input;
    if c.reason.is_none() && !problems.has_field("reason") {
        problems.add(
            "reason",
            ErrorCode::ReasonRequired,
            "say why the evaluation is corrected",
        );
    }
    if c.mentor_comment.is_some() {
        problems.add(
            "mentor_comment",
            ErrorCode::ReadOnly,
            "the site mentor's comment is kept",
        );
    }
    let form = ev.template.form();
    let answers = evaluation::normalize(&form, merged(ev.row.answers(), c.answers));
    problems
        .0
        .extend(evaluation::check_answers(&form, &answers, true).0);
    problems.into_result()?;
    let now = st.clock.now();
    db::evaluations::keep_version(&mut tx, &ev.row, now).await?;
    let mut after = ev.row.clone();
    after.version += 1;
    after.answers_json = serde_json::to_string(&answers).map_err(anyhow::Error::from)?;
    after.signed_by_user_id = Some(p.user_id.clone());
    after.signed_by_name = Some(p.name.clone());
    after.signed_at = Some(now);
    after.acknowledged_at = None;
    after.student_comment = None;
    after.correction_reason = c.reason;
    after.updated_at = now;
    db::evaluations::update(&mut tx, &after).await?;
    audit(&mut tx, p, "correct", Some(&ev.row), &after, now).await?;
    let msg = format!(
        "Your {} was corrected (version {}): read it and acknowledge it",
        ev.point.label().to_lowercase(),
        after.version
    );
    tell_student(&mut tx, &ev, &msg, now).await?;
    let out = load(&mut tx, p, id).await?;
    tx.commit().await?;
    Ok(out)
}
