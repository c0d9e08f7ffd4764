//! Evaluation pages (issue 16 points 1-3): a placement's evaluations (a section of its page),
//! the evaluator's and the student's list on their home, one evaluation (read, fill, sign,
//! acknowledge, correct, print), and the office's evaluation forms. The forms read into the
//! same inputs as the API (`http/input/evaluations.rs`) and call the same use cases.
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

fn item_fields(form: &EvalForm, answers: &evaluation::Answers) -> Vec<Field> {
    let mut out = Vec::new();
    for section in &form.sections {
        for item in &section.items {
            let name = format!("answers.{}", item.key);
            let label = format!("{} \u{2013} {}", section.title, item.label);
            let current = answers.get(&item.key);
            let value = match current {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(v @ Value::Number(_)) => v.to_string(),
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
fn posted_answers(form: &EvalForm, posted: &Form, clear_empty: bool) -> Map<String, Value> {
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

async fn new_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, point)): Path<(String, String)>,
) -> PageResult {
    let id = parse_id(&id).ok_or(AppError::NotFound)?;
    let point = point_of(&point)?;
    let t = template_for(&st, &user, &id, point).await?;
    Ok(new_page(&user, &id, point, &t).into_response())
}

async fn create(
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

async fn load(st: &AppState, user: &PageUser, id: &str) -> Result<Evaluation, PageError> {
    Ok(evaluations::get_evaluation(st, &user.p, id).await?)
}

async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    let zone = st.clock.time_zone();
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&zone)
            .format("%a %-d %b %Y %H:%M %Z")
            .to_string()
    };
    let r = &ev.row;
    let status = if !r.is_signed() {
        "draft"
    } else if r.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "signed"
    };
    let mut facts = vec![
        ("Student", Cell::text(ev.student_name.clone())),
        (
            "Placement",
            Cell::link(
                format!(
                    "{} to {}",
                    human_date(ev.placement.starts_on),
                    human_date(ev.placement.ends_on)
                ),
                format!("/placements/{}", ev.placement.id),
            ),
        ),
        (
            "Form",
            Cell::text(format!(
                "{} (version {})",
                ev.template.name, ev.template.version
            )),
        ),
        ("Due", Cell::date(Some(ev.due_on))),
        ("Status", status_badge(status)),
        ("Version", Cell::text(r.version.to_string())),
    ];
    if let (Some(n), Some(at)) = (&r.signed_by_name, r.signed_at) {
        facts.push(("Signed by", Cell::text(format!("{n}, {}", when(at)))));
    }
    if let Some(reason) = &r.correction_reason {
        facts.push(("Why it was corrected", Cell::text(reason.clone())));
    }
    if let Some(m) = &r.mentor_comment {
        facts.push(("Site mentor's comment", Cell::text(m.clone())));
    }
    if !ev.point.by_student() {
        facts.push((
            "Acknowledged by the student",
            Cell::text(match r.acknowledged_at {
                Some(at) => format!("{} (acknowledging is not agreeing)", when(at)),
                None => "not yet".into(),
            }),
        ));
    }
    if let Some(c) = &r.student_comment {
        facts.push(("Student's comment", Cell::text(c.clone())));
    }
    let form = ev.template.form();
    let answers = r.answers();
    let mut sections: Vec<Section> = form
        .sections
        .iter()
        .map(|s| {
            let mut t = Table::new(&s.title, vec!["Item", "Answer"], "");
            for i in &s.items {
                t.rows.push(vec![
                    Cell::text(i.label.clone()),
                    Cell::text(evaluation::answer_words(i, answers.get(&i.key))),
                ]);
            }
            Section {
                title: s.title.clone(),
                table: t,
                actions: vec![],
            }
        })
        .collect();
    if !ev.history.is_empty() {
        let mut t = Table::new(
            "Earlier versions, replaced by corrections",
            vec![
                "Version",
                "Signed by",
                "Signed",
                "Acknowledged",
                "Why it was corrected",
            ],
            "",
        );
        for v in &ev.history {
            t.rows.push(vec![
                Cell::text(v.version.to_string()),
                Cell::text(v.signed_by_name.clone().unwrap_or_default()),
                Cell::text(v.signed_at.map(when).unwrap_or_default()),
                Cell::text(v.acknowledged_at.map(when).unwrap_or_default()),
                Cell::text(v.correction_reason.clone().unwrap_or_default()),
            ]);
        }
        sections.push(Section {
            title: "History".into(),
            table: t,
            actions: vec![],
        });
    }
    let mut actions = vec![(format!("/evaluations/{id}/pdf"), "Print (PDF)".to_string())];
    let mut forms = vec![];
    match ev.part {
        Part::Author | Part::SiteMentor if !r.is_signed() => {
            actions.insert(0, (format!("/evaluations/{id}/edit"), "Edit".to_string()));
            if ev.part == Part::Author {
                let mut sign = ActionForm::new(
                    format!("/evaluations/{id}/sign"),
                    if ev.point.by_student() {
                        "Submit"
                    } else {
                        "Sign"
                    },
                );
                sign.confirm = "Signing locks the evaluation: a later change is a correction with a reason. Sign now?".into();
                forms.push(sign);
            }
        }
        Part::Author if !ev.point.by_student() => {
            actions.push((format!("/evaluations/{id}/correct"), "Correct".to_string()));
        }
        Part::Subject if r.acknowledged_at.is_none() => {
            actions.insert(
                0,
                (
                    format!("/evaluations/{id}/acknowledge"),
                    "Acknowledge".to_string(),
                ),
            );
        }
        _ => {}
    }
    Ok(RecordPage {
        chrome: user.chrome(format!("{}: {}", ev.point.label(), ev.student_name)),
        facts,
        actions,
        sections,
        upload: None,
        forms,
    }
    .into_response())
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

async fn edit_form(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    Ok(edit_page(&user, &ev).into_response())
}

async fn edit(
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

async fn sign(
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

async fn ack_form(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    Ok(ack_page(&user, &ev).into_response())
}

async fn ack(
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

async fn correct_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    Ok(correct_page(&user, &ev).into_response())
}

async fn correct(
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

async fn pdf(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let bytes = crate::service::evaluation_pdf::pdf(&st, &user.p, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"evaluation-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn forms_list(State(st): State<AppState>, user: PageUser) -> PageResult {
    let all = templates::list_templates(&st, &user.p, false).await?;
    let mut table = Table::new(
        "Evaluation forms in use: a form already filled on is kept as it was, and a change makes its next version",
        vec!["Form", "Kind", "Discipline", "When", "Version"],
        "No forms.",
    );
    for t in &all {
        table.rows.push(vec![
            Cell::link(t.name.clone(), format!("/evaluation-forms/{}", t.id)),
            Cell::text(t.kind.clone()),
            Cell::text(super::view::discipline_word(t.discipline.as_deref())),
            Cell::text(Point::parse(&t.point).map(|p| p.label()).unwrap_or("")),
            Cell::text(t.version.to_string()),
        ]);
    }
    Ok(RecordPage {
        chrome: user.chrome("Evaluation forms"),
        facts: vec![],
        actions: if user
            .p
            .authorize(
                crate::domain::policy::Resource::EvaluationTemplate,
                crate::domain::policy::Action::Write,
            )
            .is_ok()
        {
            vec![
                ("/evaluation-forms/new".into(), "New form".into()),
                (
                    "/site-evaluations".into(),
                    "Site evaluations (aggregates)".into(),
                ),
            ]
        } else {
            vec![]
        },
        sections: vec![Section {
            title: "Forms".into(),
            table,
            actions: vec![],
        }],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

const SECTIONS_HINT: &str = "The form as JSON: [ { \"title\": \"...\", \"items\": [ { \"key\": \"safety\", \"label\": \"...\", \"type\": \"scale\" | \"competency\" | \"yes_no\" | \"text\", \"required\": true, \"anchors\": [ { \"value\": 1, \"label\": \"unsafe\" }, ... ] } ] } ]. Every problem is listed at once, by its place (sections[0].items[2].anchors).";

fn template_page(user: &PageUser, t: Option<&TemplateRow>) -> FormPage {
    let sections = t
        .map(|t| serde_json::to_string_pretty(&t.form().sections).unwrap_or_default())
        .unwrap_or_default();
    FormPage {
        chrome: user.chrome(match t {
            Some(t) => format!("{} (version {})", t.name, t.version),
            None => "New evaluation form".into(),
        }),
        intro: "Which placements a form applies to: its kind, optionally one discipline (else every discipline of the kind), and when it is filled. A form that was filled on is never changed: saving makes its next version, which new evaluations use.".into(),
        action: match t {
            Some(t) => format!("/evaluation-forms/{}", t.id),
            None => "/evaluation-forms/new".into(),
        },
        fields: vec![
            Field::new("name", "Name", "text").required().value(t.map(|t| t.name.clone()).unwrap_or_default()),
            Field::new("kind", "Kind", "select").required().options(vec![
                ("clinical".into(), "Clinical".into()),
                ("internship".into(), "Internship".into()),
            ]).value(t.map(|t| t.kind.clone()).unwrap_or_default()),
            Field::new("discipline", "Discipline code (empty: every discipline)", "text")
                .value(t.and_then(|t| t.discipline.clone()).unwrap_or_default()),
            Field::new("point", "When", "select").required().options(
                Point::ALL.iter().map(|p| (p.as_str().to_string(), p.label().to_string())).collect(),
            ).value(t.map(|t| t.point.clone()).unwrap_or_default()),
            Field::new("sections", "Sections and items", "textarea").required().hint(SECTIONS_HINT).value(sections),
        ],
        summary: vec![],
        submit: "Save",
        cancel: "/evaluation-forms".into(),
        multipart: false,
        at_risk: vec![],
    }
}

/// The page's fields as the API's body: `sections` parsed from its JSON text (text that is
/// not JSON is sent as it is and refused as not a list).
fn template_body(form: &Form) -> Map<String, Value> {
    let mut body = Map::new();
    for k in ["name", "kind", "point"] {
        if let Some(v) = form.get(k) {
            body.insert(k.into(), Value::String(v.into()));
        }
    }
    let d = form.get("discipline").unwrap_or("").trim();
    body.insert(
        "discipline".into(),
        if d.is_empty() {
            Value::Null
        } else {
            Value::String(d.into())
        },
    );
    let raw = form.get("sections").unwrap_or("");
    body.insert(
        "sections".into(),
        serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.into())),
    );
    body
}

async fn new_template_form(user: PageUser) -> PageResult {
    user.p.authorize(
        crate::domain::policy::Resource::EvaluationTemplate,
        crate::domain::policy::Action::Write,
    )?;
    Ok(template_page(&user, None).into_response())
}

async fn create_template(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    match templates::create_template(
        &st,
        &user.p,
        input::evaluations::template(template_body(&form), true),
    )
    .await
    {
        Ok(t) => Ok(see(&format!("/evaluation-forms/{}", t.id), "saved")),
        Err(e) => form_failed(template_page(&user, None), &form, e),
    }
}

async fn template_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(
        crate::domain::policy::Resource::EvaluationTemplate,
        crate::domain::policy::Action::Write,
    )?;
    let t = templates::get_template(&st, &user.p, &id).await?;
    Ok(template_page(&user, Some(&t)).into_response())
}

async fn update_template(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let t = templates::get_template(&st, &user.p, &id).await?;
    match templates::update_template(
        &st,
        &user.p,
        &id,
        input::evaluations::template(template_body(&form), false),
    )
    .await
    {
        Ok(t) => Ok(see(&format!("/evaluation-forms/{}", t.id), "saved")),
        Err(e) => form_failed(template_page(&user, Some(&t)), &form, e),
    }
}

/// The office's view of the students' site evaluations: per department and per supervisor,
/// only groups of at least 3 responses, never a response or a name.
async fn site_report(State(st): State<AppState>, user: PageUser) -> PageResult {
    let (by_department, by_supervisor) = templates::site_aggregates(&st, &user.p).await?;
    let section = |title: &str, groups: Vec<templates::SiteGroup>| {
        let mut t = Table::new(
            format!(
                "{title}: means of the 1-5 items, and how many said yes; fewer than {} responses are withheld",
                evaluation::MIN_RESPONSES
            ),
            vec!["Who", "Responses", "Figures"],
            "No site evaluation has been submitted yet.",
        );
        for g in groups {
            let figures = if g.aggregate.withheld {
                "withheld: fewer than 3 responses".to_string()
            } else {
                g.aggregate
                    .items
                    .iter()
                    .map(|i| match (i.mean, i.yes) {
                        (Some(m), _) => format!("{}: {m:.2}", i.label),
                        (_, Some(y)) => format!("{}: {y} of {}", i.label, i.answered),
                        _ => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            t.rows.push(vec![
                Cell::text(g.name),
                Cell::text(
                    g.aggregate
                        .responses
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "fewer than 3".into()),
                ),
                Cell::text(figures),
            ]);
        }
        Section {
            title: title.to_string(),
            table: t,
            actions: vec![],
        }
    };
    Ok(RecordPage {
        chrome: user.chrome("Site evaluations"),
        facts: vec![],
        actions: vec![],
        sections: vec![
            section("By department", by_department),
            section("By preceptor or site mentor", by_supervisor),
        ],
        upload: None,
        forms: vec![],
    }
    .into_response())
}
