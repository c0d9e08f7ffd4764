//! Filling an evaluation: the form of items, starting it, saving the draft and signing it.
use super::*;

pub(super) fn item_fields(form: &EvalForm, answers: &evaluation::Answers) -> Vec<Field> {
    let mut out = Vec::new();
    for section in &form.sections {
        for item in &section.items {
            let name = format!("answers.{}", item.key);
            let label = format!("{} \u{2013} {}", section.title, item.label);
            let current = answers.get(&item.key);
            let value = match current {
                Some(evaluation::Answer::Text(s)) => s.clone(),
                Some(evaluation::Answer::YesNo(b)) => b.to_string(),
                Some(evaluation::Answer::Whole(n)) => n.to_string(),
                _ => String::new(),
            };
            let mut options = vec![(String::new(), "(not answered)".to_string())];
            let field = match item.item_type {
                ItemType::Scale => {
                    options.extend(item.anchors.iter().map(|a| {
                        (
                            a.value.to_string(),
                            format!("{} \u{2013} {}", a.value, a.label),
                        )
                    }));
                    Field::new(name, label, "select").options(options)
                }
                ItemType::Competency => {
                    options.extend(
                        COMPETENCY
                            .iter()
                            .map(|(w, l)| ((*w).to_string(), (*l).to_string())),
                    );
                    Field::new(name, label, "select").options(options)
                }
                ItemType::YesNo => {
                    options.extend([
                        ("true".to_string(), "Yes".to_string()),
                        ("false".to_string(), "No".to_string()),
                    ]);
                    Field::new(name, label, "select").options(options)
                }
                ItemType::Text => Field::new(name, label, "textarea"),
            };
            let field = field.value(value);
            out.push(if item.required {
                field.hint("Needed to sign")
            } else {
                field
            });
        }
    }
    out
}

/// The answers a page posted: every item of the form, an empty one as null (clear it) when
/// `clear_empty`, else left out.
pub(super) fn posted_answers(
    form: &EvalForm,
    posted: &Form,
    clear_empty: bool,
) -> Map<String, Value> {
    let mut answers = Map::new();
    for item in form.items() {
        match posted.get(&format!("answers.{}", item.key)) {
            Some(v) if !v.trim().is_empty() => {
                answers.insert(item.key.clone(), Value::String(v.to_string()));
            }
            _ if clear_empty => {
                answers.insert(item.key.clone(), Value::Null);
            }
            _ => {}
        }
    }
    answers
}

async fn template_for(
    st: &AppState,
    user: &PageUser,
    placement_id: &str,
    point: Point,
) -> Result<TemplateRow, PageError> {
    let slots = evaluations::placement_evaluations(st, &user.p, placement_id).await?;
    let slot = slots
        .iter()
        .find(|s| s.point == point && s.part == Part::Author)
        .ok_or(AppError::NotFound)?;
    let id = slot.template_id.clone().ok_or(AppError::NotFound)?;
    Ok(templates::get_template(st, &user.p, &id).await?)
}

fn new_page(user: &PageUser, placement_id: &str, point: Point, t: &TemplateRow) -> FormPage {
    FormPage {
        chrome: user.chrome(format!("{}: start", point.label())),
        intro: format!(
            "{} (version {}). Save a draft now and finish it later; signing needs every item marked \u{201c}Needed to sign\u{201d}.",
            t.name, t.version
        ),
        action: format!("/placements/{placement_id}/evaluations/{}", point.as_str()),
        fields: item_fields(&t.form(), &Default::default()),
        summary: vec![],
        submit: "Save draft",
        cancel: format!("/placements/{placement_id}#evaluations"),
        multipart: false,
        at_risk: vec![],
    }
}

fn point_of(raw: &str) -> Result<Point, PageError> {
    Ok(Point::parse(raw).ok_or(AppError::NotFound)?)
}

pub(super) async fn new_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, point)): Path<(String, String)>,
) -> PageResult {
    let id = parse_id(&id).ok_or(AppError::NotFound)?;
    let point = point_of(&point)?;
    let t = template_for(&st, &user, &id, point).await?;
    Ok(new_page(&user, &id, point, &t).into_response())
}

pub(super) async fn create(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, point)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = parse_id(&id).ok_or(AppError::NotFound)?;
    let point = point_of(&point)?;
    let t = template_for(&st, &user, &id, point).await?;
    let mut body = Map::new();
    body.insert("point".into(), Value::String(point.as_str().into()));
    body.insert(
        "answers".into(),
        Value::Object(posted_answers(&t.form(), &form, false)),
    );
    match evaluations::start_evaluation(&st, &user.p, &id, input::evaluations::new_evaluation(body))
        .await
    {
        Ok(e) => Ok(see(&format!("/evaluations/{}", e.row.id), "saved")),
        Err(e) => form_failed(new_page(&user, &id, point, &t), &form, e),
    }
}

fn edit_page(user: &PageUser, ev: &Evaluation) -> FormPage {
    let id = &ev.row.id;
    let fields = if ev.part == Part::SiteMentor {
        vec![
            Field::new("mentor_comment", "Your comment as site mentor", "textarea")
                .value(ev.row.mentor_comment.clone().unwrap_or_default()),
        ]
    } else {
        item_fields(&ev.template.form(), &ev.row.answers())
    };
    FormPage {
        chrome: user.chrome(format!("{}: {}", ev.point.label(), ev.student_name)),
        intro: "Save the draft as often as you like; sign it from its page once every item marked \u{201c}Needed to sign\u{201d} is answered.".into(),
        action: format!("/evaluations/{id}/edit"),
        fields,
        summary: vec![],
        submit: "Save draft",
        cancel: format!("/evaluations/{id}"),
        multipart: false,
        at_risk: vec![],
    }
}

pub(super) async fn edit_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    Ok(edit_page(&user, &ev).into_response())
}

pub(super) async fn edit(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let ev = load(&st, &user, &id).await?;
    let mut body = Map::new();
    if ev.part == Part::SiteMentor {
        let c = form.get("mentor_comment").unwrap_or("").trim();
        body.insert(
            "mentor_comment".into(),
            if c.is_empty() {
                Value::Null
            } else {
                Value::String(c.into())
            },
        );
    } else {
        body.insert(
            "answers".into(),
            Value::Object(posted_answers(&ev.template.form(), &form, true)),
        );
    }
    match evaluations::update_evaluation(
        &st,
        &user.p,
        &id,
        input::evaluations::evaluation_change(body),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/evaluations/{id}"), "saved")),
        Err(e) => form_failed(edit_page(&user, &ev), &form, e),
    }
}

pub(super) async fn sign(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match evaluations::sign(&st, &user.p, &id).await {
        Ok(_) => Ok(see(&format!("/evaluations/{id}"), "signed")),
        // Answers missing: back to the draft, each named at its item.
        Err(AppError::Rejected(p)) => {
            let ev = load(&st, &user, &id).await?;
            Ok((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&user, &ev).with_problems(&p),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
