//! After the draft: signing it, the student's acknowledgement, and a correction as a new version.
use super::*;

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
