//! Filling an evaluation: starting it on the form that applies and changing the draft.
use super::*;

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
    // An evaluation is none of a placement's facts (migration 0039): what the placements lists keep stays.
    let mut tx = st.db.write_leaving_placements().await?;
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

/// Changes a draft: the author its answers, an internship's site mentor their comment.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), evaluation_id = %id))]
pub async fn update_evaluation(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<EvaluationChange>,
) -> AppResult<Evaluation> {
    let mut tx = st.db.write_leaving_placements().await?;
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
