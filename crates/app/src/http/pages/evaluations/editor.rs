//! The office's evaluation forms: the list, and a form created or edited (a new version).
use super::*;

pub(super) async fn forms_list(State(st): State<AppState>, user: PageUser) -> PageResult {
    let all = templates::list_templates(&st, &user.p, false).await?;
    let mut table = Table::new(
        "Evaluation forms in use: a form already filled on is kept as it was, and a change makes its next version",
        vec!["Form", "Kind", "Discipline", "When", "Version"],
        "No forms.",
    );
    for t in &all {
        table.rows.push(vec![
            Cell::link(t.name.clone(), format!("/evaluation-forms/{}", t.id)),
            Cell::text(crate::domain::words::placement_kind(&t.kind)),
            Cell::text(crate::http::pages::view::discipline_word(
                t.discipline.as_deref(),
            )),
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

pub(super) async fn new_template_form(user: PageUser) -> PageResult {
    user.p.authorize(
        crate::domain::policy::Resource::EvaluationTemplate,
        crate::domain::policy::Action::Write,
    )?;
    Ok(template_page(&user, None).into_response())
}

pub(super) async fn create_template(
    State(st): State<AppState>,
    user: PageUser,
    form: Form,
) -> PageResult {
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

pub(super) async fn template_form(
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

pub(super) async fn update_template(
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
