//! The office's onboarding rules: what each placement requires, who satisfies it, how long
//! evidence stays valid, and where it applies. A change applies on the next read (clearance
//! is derived, never stored).
use super::view::{Cell, Field, Table, word_options};
use super::{
    Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, discipline_options,
    form_failed, list_response, see,
};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::domain::requirements::{CATEGORIES, SATISFIERS, Validity};
use crate::http::{error::AppError, extract::Params, input};
use crate::service::onboarding::requirements;
use crate::state::AppState;
use axum::{Router, extract::State, response::IntoResponse, routing::get};
use serde_json::{Map, Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/requirements", get(list).post(create))
        .route("/requirements/new", get(new))
        .route("/requirements/{id}", get(edit).post(update))
}

const VALIDITY_KINDS: &[(&str, &str)] = &[
    ("once", "Once: valid for good"),
    ("days", "A number of days from completion"),
    ("months", "A number of months from completion"),
    ("years", "A number of years from completion"),
    ("until_expiry", "Until the expiry date on the evidence"),
    ("flu_season", "The influenza season (to 31 March)"),
    ("per_placement", "Done for each placement"),
    (
        "within_days_before_start",
        "Completed within N days before the start",
    ),
];
const APPLIES: &[&str] = &[
    "kinds",
    "disciplines",
    "sites",
    "departments",
    "exempt_disciplines",
    "exempt_departments",
];

fn validity_text(v: &Validity) -> String {
    match v {
        Validity::Once => "once".into(),
        Validity::Days(n) => format!("{n} days"),
        Validity::Months(n) => format!("{n} months"),
        Validity::Years(n) => format!("{n} years"),
        Validity::UntilExpiry => "until the evidence expires".into(),
        Validity::FluSeason => "the influenza season".into(),
        Validity::PerPlacement => "per placement".into(),
        Validity::WithinDaysBeforeStart(n) => format!("within {n} days before the start"),
    }
}

fn validity_parts(v: &Validity) -> (String, String) {
    let json = serde_json::to_value(v).unwrap_or_default();
    (
        json["kind"].as_str().unwrap_or("once").to_string(),
        json.get("value").map(|n| n.to_string()).unwrap_or_default(),
    )
}

async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let all = db::requirements::all(&mut tx).await?;
    drop(tx);
    let mut table = Table::new(
        "Onboarding requirements",
        vec![
            "Requirement",
            "Code",
            "Category",
            "Satisfied by",
            "Valid",
            "Applies to",
            "Active",
        ],
        "No requirements.",
    );
    for r in &all {
        let a = &r.applies_to;
        let mut scope = vec![];
        for (label, list) in [
            ("kinds", &a.kinds),
            ("disciplines", &a.disciplines),
            ("sites", &a.sites),
            ("departments", &a.departments),
        ] {
            if !list.is_empty() {
                scope.push(format!("{label}: {}", list.len()));
            }
        }
        if !a.exempt_disciplines.is_empty() || !a.exempt_departments.is_empty() {
            scope.push(format!(
                "exemptions: {}",
                a.exempt_disciplines.len() + a.exempt_departments.len()
            ));
        }
        table.rows.push(vec![
            Cell::link(r.name.clone(), format!("/requirements/{}", r.id)),
            Cell::text(r.code.clone()),
            Cell::text(crate::domain::words::requirement_category(&r.category)),
            if r.satisfied_by == "signed_in_system" {
                Cell::link(
                    "signed in the system: its text",
                    format!("/agreement-texts/{}", r.code),
                )
            } else {
                Cell::text(crate::domain::words::sentence(
                    &crate::domain::words::satisfier(&r.satisfied_by),
                ))
            },
            Cell::text(validity_text(&r.validity)),
            Cell::text(if scope.is_empty() {
                "every placement".to_string()
            } else {
                scope.join("; ")
            }),
            if r.active {
                Cell::badge("active", "ok")
            } else {
                Cell::badge("retired", "warn")
            },
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Requirements"),
        intro: "What a student must have before starting. Changes apply to every open placement at once: clearance is worked out on every read.".into(),
        filters: vec![],
        table,
        actions: vec![("/requirements/new".into(), "New requirement".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(&user, &params, page, None, "requirements"))
}

async fn form_page(
    st: &AppState,
    user: &PageUser,
    title: &str,
    action: String,
    r: Option<&crate::db::requirements::Requirement>,
) -> Result<FormPage, PageError> {
    let mut tx = st.db.read().await?;
    let sites: Vec<(String, String)> = db::sites::all(&mut tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let departments = db::departments::all_names(&mut tx).await?;
    drop(tx);
    let disciplines = discipline_options(st).await?;
    let (kind, value) = r.map(|r| validity_parts(&r.validity)).unwrap_or_default();
    let a = r.map(|r| r.applies_to.clone()).unwrap_or_default();
    let words = |list: &[&'static str], word: fn(&str) -> String| -> Vec<(String, String)> {
        list.iter().map(|w| (w.to_string(), word(w))).collect()
    };
    use crate::domain::words as w;
    let satisfier = |c: &str| w::sentence(&w::satisfier(c));
    let mut fields = vec![
        Field::new("name", "Name", "text")
            .required()
            .value(r.map(|r| r.name.clone()).unwrap_or_default()),
    ];
    if r.is_none() {
        fields.push(Field::new("code", "Code", "text").required().hint(
            "Lower-case letters, digits and _; evidence refers to it, so it cannot change later.",
        ));
    }
    fields.extend([
        Field::new("category", "Category", "select")
            .required()
            .options(words(CATEGORIES, w::requirement_category))
            .value(r.map(|r| r.category.clone()).unwrap_or_default()),
        Field::new("satisfied_by", "Satisfied by", "select")
            .required()
            .options(
                SATISFIERS
                    .iter()
                    .map(|c| (c.to_string(), satisfier(c)))
                    .collect(),
            )
            .value(r.map(|r| r.satisfied_by.clone()).unwrap_or_default()),
        Field::new("validity_kind", "Valid", "select")
            .required()
            .options(word_options(VALIDITY_KINDS))
            .value(kind),
        Field::new("validity_value", "Number (days, months or years)", "number")
            .hint("Only for the kinds that count days, months or years.")
            .value(value),
        Field::new("kinds", "Only for these kinds", "checkboxes")
            .hint("None ticked: every kind.")
            .options(words(
                &["clinical", "internship", "observership"],
                w::sentence,
            ))
            .values(a.kinds.clone()),
        Field::new("disciplines", "Only for these disciplines", "checkboxes")
            .hint("None ticked: every discipline.")
            .options(disciplines.clone())
            .values(a.disciplines.clone()),
        Field::new("sites", "Only at these sites", "checkboxes")
            .options(sites)
            .values(a.sites.clone()),
        Field::new("departments", "Only in these departments", "checkboxes")
            .options(departments.clone())
            .values(a.departments.clone()),
        Field::new("exempt_disciplines", "Disciplines exempt", "checkboxes")
            .options(disciplines)
            .values(a.exempt_disciplines.clone()),
        Field::new("exempt_departments", "Departments exempt", "checkboxes")
            .options(departments)
            .values(a.exempt_departments.clone()),
        Field::new(
            "active",
            "Active (retired requirements apply to nobody)",
            "checkbox",
        )
        .value(if r.is_none_or(|r| r.active) {
            "true"
        } else {
            "false"
        }),
    ]);
    Ok(FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields,
        summary: vec![],
        submit: "Save",
        cancel: "/requirements".into(),
        multipart: false,
        at_risk: vec![],
    })
}

/// The form as the API's JSON: `validity` and `applies_to` are objects there.
fn to_body(form: &Form) -> Map<String, Value> {
    let mut map = form.to_map(APPLIES, &["active"]);
    let kind = map
        .remove("validity_kind")
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let value = map.remove("validity_value");
    let counted = ["days", "months", "years", "within_days_before_start"].contains(&kind.as_str());
    // A missing or unreadable number is left for the API to refuse with its own message.
    let validity = match (counted, value) {
        (true, Some(Value::String(n))) => match n.trim().parse::<u32>() {
            Ok(n) => json!({ "kind": kind, "value": n }),
            Err(_) => json!({ "kind": kind, "value": n }),
        },
        _ => json!({ "kind": kind }),
    };
    map.insert("validity".into(), validity);
    let mut applies = Map::new();
    for key in APPLIES {
        if let Some(v) = map.remove(*key) {
            applies.insert(key.to_string(), v);
        }
    }
    map.insert("applies_to".into(), Value::Object(applies));
    map
}

async fn new(State(st): State<AppState>, user: PageUser) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    Ok(
        form_page(&st, &user, "New requirement", "/requirements".into(), None)
            .await?
            .into_response(),
    )
}

async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let input = input::onboarding::requirement(to_body(&form), true);
    match requirements::create_requirement(&st, &user.p, input).await {
        Ok(_) => Ok(see("/requirements", "created")),
        Err(e) => form_failed(
            form_page(&st, &user, "New requirement", "/requirements".into(), None).await?,
            &form,
            e,
        ),
    }
}

async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Requirement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let r = db::requirements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    Ok(form_page(
        &st,
        &user,
        &format!("Edit {}", r.name),
        format!("/requirements/{id}"),
        Some(&r),
    )
    .await?
    .into_response())
}

async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let mut tx = st.db.read().await?;
    let current = db::requirements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let input = input::onboarding::requirement(to_body(&form), false);
    match requirements::update_requirement(&st, &user.p, &id, input).await {
        Ok(_) => Ok(see("/requirements", "saved")),
        Err(e) => form_failed(
            form_page(
                &st,
                &user,
                &format!("Edit {}", current.name),
                format!("/requirements/{id}"),
                Some(&current),
            )
            .await?,
            &form,
            e,
        ),
    }
}
