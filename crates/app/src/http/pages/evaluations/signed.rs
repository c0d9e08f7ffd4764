//! After signing: the student's acknowledgement and the author's correction.
use super::*;

fn ack_page(user: &PageUser, ev: &Evaluation) -> FormPage {
    let id = &ev.row.id;
    FormPage {
        chrome: user.chrome(format!("Acknowledge your {}", ev.point.label().to_lowercase())),
        intro: "Acknowledging says you have read the evaluation; it does not say you agree with it. You may add a comment, which stays with it.".into(),
        action: format!("/evaluations/{id}/acknowledge"),
        fields: vec![Field::new("comment", "Your comment (optional)", "textarea")],
        summary: vec![],
        submit: "Acknowledge",
        cancel: format!("/evaluations/{id}"),
        multipart: false,
        at_risk: vec![],
    }
}

pub(super) async fn ack_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    Ok(ack_page(&user, &ev).into_response())
}

pub(super) async fn ack(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let ev = load(&st, &user, &id).await?;
    let body = form.to_map(&[], &[]);
    match evaluations::acknowledge(&st, &user.p, &id, input::evaluations::acknowledgement(body))
        .await
    {
        Ok(_) => Ok(see(&format!("/evaluations/{id}"), "acknowledged")),
        Err(e) => form_failed(ack_page(&user, &ev), &form, e),
    }
}

fn correct_page(user: &PageUser, ev: &Evaluation) -> FormPage {
    let id = &ev.row.id;
    let mut fields = vec![Field::new("reason", "Why it is corrected", "textarea").required()];
    fields.extend(item_fields(&ev.template.form(), &ev.row.answers()));
    FormPage {
        chrome: user.chrome(format!("Correct the {}", ev.point.label().to_lowercase())),
        intro: "A correction is a new version, signed by you now, with the reason; the signed version stays in the history and the student acknowledges the new one.".into(),
        action: format!("/evaluations/{id}/correct"),
        fields,
        summary: vec![],
        submit: "Sign the correction",
        cancel: format!("/evaluations/{id}"),
        multipart: false,
        at_risk: vec![],
    }
}

pub(super) async fn correct_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    Ok(correct_page(&user, &ev).into_response())
}

pub(super) async fn correct(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let ev = load(&st, &user, &id).await?;
    let mut body = Map::new();
    if let Some(r) = form.get("reason").filter(|r| !r.trim().is_empty()) {
        body.insert("reason".into(), Value::String(r.into()));
    }
    body.insert(
        "answers".into(),
        Value::Object(posted_answers(&ev.template.form(), &form, true)),
    );
    match evaluations::correct(&st, &user.p, &id, input::evaluations::correction(body)).await {
        Ok(_) => Ok(see(&format!("/evaluations/{id}"), "saved")),
        Err(e) => form_failed(correct_page(&user, &ev), &form, e),
    }
}
