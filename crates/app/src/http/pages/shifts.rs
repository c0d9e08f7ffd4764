//! A placement's shifts on its page (where, when, who, what to bring on day one) and the forms
//! to add a make-up day, move a day or cancel it, for those who may (issue 15 point 1). The
//! forms read into the same inputs as the API (`http/input/shifts.rs`) and call the same use
//! cases (`service/schedules.rs`).
use super::view::{Cell, Field, Table, human_date};
use super::{Form, FormPage, PageError, PageResult, PageUser, Section, form_failed, see};
use crate::db::{self, placements::PlacementRow, shifts::ShiftRow};
use crate::domain::{Role, clearance::Clearance};
use crate::http::{error::AppError, extract::parse_id, input};
use crate::service::schedules;
use crate::state::AppState;
use axum::{
    Router,
    extract::{Path, State},
    response::IntoResponse,
    routing::get,
};
use serde_json::Value;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placements/{id}/shifts/new", get(new_form).post(create))
        .route(
            "/placements/{id}/shifts/{shift_id}",
            get(edit_form).post(update),
        )
}

/// What the placement page adds: where, who, what to bring (facts), and its shifts (a
/// section), with the link to add a day for those who may.
pub async fn placement_parts(
    st: &AppState,
    user: &PageUser,
    row: &PlacementRow,
    clearance: &Clearance,
) -> Result<(Vec<(&'static str, Cell)>, Section), PageError> {
    let mut tx = st.db.read().await?;
    let mut facts = vec![];
    let mut arrival = None;
    if let Some(d) = db::departments::get(&mut tx, &row.department_id).await?
        && let Some(site) = db::sites::get(&mut tx, &d.site_id).await?
    {
        facts.push(("Where", Cell::text(format!("{}, {}", d.name, site.name))));
        facts.push((
            "Address",
            Cell::text(site.address.clone().unwrap_or_else(|| {
                "not recorded for this site yet (the office adds it on the site's page)".into()
            })),
        ));
        arrival = site.arrival_notes.clone();
    }
    for (label, id) in [
        ("Preceptor contact", &row.preceptor_id),
        ("Site mentor contact", &row.site_mentor_id),
    ] {
        if let Some(id) = id
            && let Some(s) = db::staff::get(&mut tx, id).await?
        {
            facts.push((
                label,
                Cell::link(
                    format!("{} <{}>", s.name, s.email),
                    format!("mailto:{}", s.email),
                ),
            ));
        }
    }
    if row.student_id.is_some() && user.p.role == Role::Student {
        let names = db::requirements::all(&mut tx).await?;
        let name_of = |code: &str| {
            names
                .iter()
                .find(|r| r.code == code)
                .map(|r| r.name.clone())
                .unwrap_or_else(|| code.to_string())
        };
        let mut bring = "Photo ID and your school ID; the time of your first shift and your supervisor's name (on this page).".to_string();
        if let Some(a) = &arrival {
            bring.push_str(&format!(" On arrival: {a}"));
        }
        if !clearance.missing.is_empty() {
            let mut first: Vec<String> = clearance
                .missing
                .iter()
                .take(3)
                .map(|c| name_of(c))
                .collect();
            if clearance.missing.len() > 3 {
                first.push(format!("{} more", clearance.missing.len() - 3));
            }
            bring.push_str(&format!(
                " Your onboarding checklist still misses {} item{} ({}): the office must have verified them before your first day.",
                clearance.missing.len(),
                if clearance.missing.len() == 1 { "" } else { "s" },
                first.join(", ")
            ));
        }
        facts.push((
            "Bring on day one",
            Cell::text(format!(
                "{bring} (Derived from your onboarding checklist, which the office sets under Requirements.)"
            )),
        ));
    }
    let shifts = db::shifts::of_placement(&mut tx, &row.id).await?;
    drop(tx);
    let editable = schedules::may_edit(&user.p, row)
        && !matches!(row.status.as_str(), "cancelled" | "completed");
    let mut table = Table::new(
        "Shifts: the days and hours of this placement",
        vec!["Day", "Hours", "Kind", "Status"],
        "No shifts are scheduled: the request gave no weekly pattern. Those who may can add days.",
    );
    if editable {
        table.headers.push("Change");
    }
    for s in &shifts {
        let mut cells = vec![
            Cell::date(Some(s.date)),
            Cell::text(format!("{}–{}", s.starts_at, s.ends_at)),
            Cell::text(if s.kind == "make_up" {
                "make-up day"
            } else {
                "regular"
            }),
            if s.is_cancelled() {
                Cell::badge(
                    format!("cancelled: {}", s.cancel_reason.clone().unwrap_or_default()),
                    "bad",
                )
            } else {
                Cell::badge("scheduled", "ok")
            },
        ];
        if editable {
            cells.push(Cell::link(
                format!("Change {}", human_date(s.date)),
                format!("/placements/{}/shifts/{}", row.id, s.id),
            ));
        }
        table.rows.push(cells);
    }
    let actions = if editable {
        vec![(
            format!("/placements/{}/shifts/new", row.id),
            "Add a make-up day".to_string(),
        )]
    } else {
        vec![]
    };
    Ok((
        facts,
        Section {
            title: "Shifts".into(),
            table,
            actions,
        },
    ))
}

async fn load(st: &AppState, user: &PageUser, id: &str) -> Result<PlacementRow, PageError> {
    let id = parse_id(id).ok_or(AppError::NotFound)?;
    let scope = user.p.authorize(
        crate::domain::policy::Resource::Schedule,
        crate::domain::policy::Action::Write,
    )?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::service::ensure(scope.sees_placement(&row.parties()))?;
    Ok(row)
}

fn new_page(user: &PageUser, row: &PlacementRow) -> FormPage {
    FormPage {
        chrome: user.chrome("Add a make-up day"),
        intro: format!(
            "A make-up day falls inside the placement ({} to {}) or up to 28 days after it; a regular day inside it. Times are the hospital's local time; an end before the start runs into the next day.",
            human_date(row.starts_on),
            human_date(row.ends_on)
        ),
        action: format!("/placements/{}/shifts/new", row.id),
        fields: vec![
            Field::new("date", "Day", "date").required(),
            Field::new("starts_at", "Starts at", "time")
                .required()
                .value("07:00"),
            Field::new("ends_at", "Ends at", "time")
                .required()
                .value("15:30"),
            Field::new("kind", "Kind", "select")
                .required()
                .options(vec![
                    ("make_up".into(), "Make-up day".into()),
                    ("regular".into(), "Regular day".into()),
                ])
                .value("make_up"),
        ],
        summary: vec![],
        submit: "Add the day",
        cancel: format!("/placements/{}#shifts", row.id),
        multipart: false,
        at_risk: vec![],
    }
}

async fn new_form(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let row = load(&st, &user, &id).await?;
    Ok(new_page(&user, &row).into_response())
}

async fn create(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let row = load(&st, &user, &id).await?;
    let body = form.to_map(&[], &[]);
    match schedules::add_shift(&st, &user.p, &row.id, input::shifts::new_shift(body)).await {
        Ok(_) => Ok(see(&format!("/placements/{}", row.id), "saved")),
        Err(e) => form_failed(new_page(&user, &row), &form, e),
    }
}

fn edit_page(user: &PageUser, row: &PlacementRow, s: &ShiftRow) -> FormPage {
    FormPage {
        chrome: user.chrome(format!("Change the shift of {}", human_date(s.date))),
        intro: "Move the day or change its hours; or cancel it (a holiday, a closure) with a reason. A cancelled day can be put back.".into(),
        action: format!("/placements/{}/shifts/{}", row.id, s.id),
        fields: vec![
            Field::new("date", "Day", "date").required().value(s.date.to_string()),
            Field::new("starts_at", "Starts at", "time").required().value(&s.starts_at),
            Field::new("ends_at", "Ends at", "time").required().value(&s.ends_at),
            Field::new("status", "Status", "select").required().options(vec![
                ("scheduled".into(), "Scheduled".into()),
                ("cancelled".into(), "Cancelled".into()),
            ]).value(&s.status),
            Field::new("reason", "Reason to cancel", "textarea")
                .hint("Required to cancel: a holiday, a closure, ...")
                .value(s.cancel_reason.clone().unwrap_or_default()),
        ],
        summary: vec![],
        submit: "Save",
        cancel: format!("/placements/{}#shifts", row.id),
        multipart: false,
        at_risk: vec![],
    }
}

async fn load_shift(
    st: &AppState,
    user: &PageUser,
    id: &str,
    shift_id: &str,
) -> Result<(PlacementRow, ShiftRow), PageError> {
    let row = load(st, user, id).await?;
    let sid = parse_id(shift_id).ok_or(AppError::NotFound)?;
    let mut tx = st.db.read().await?;
    let s = db::shifts::get(&mut tx, &row.id, &sid)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((row, s))
}

async fn edit_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, shift_id)): Path<(String, String)>,
) -> PageResult {
    let (row, s) = load_shift(&st, &user, &id, &shift_id).await?;
    Ok(edit_page(&user, &row, &s).into_response())
}

async fn update(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, shift_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (row, s) = load_shift(&st, &user, &id, &shift_id).await?;
    // Only what changed goes to the use case: a form sends every field back.
    let mut body = serde_json::Map::new();
    let changed = |k: &str, now: &str| form.get(k).filter(|v| v.trim() != now).map(str::to_string);
    if let Some(v) = changed("date", &s.date.to_string()) {
        body.insert("date".into(), Value::String(v));
    }
    if let Some(v) = changed("starts_at", &s.starts_at) {
        body.insert("starts_at".into(), Value::String(v));
    }
    if let Some(v) = changed("ends_at", &s.ends_at) {
        body.insert("ends_at".into(), Value::String(v));
    }
    if let Some(v) = changed("status", &s.status) {
        body.insert("status".into(), Value::String(v));
        if let Some(r) = form.get("reason").filter(|r| !r.trim().is_empty()) {
            body.insert("reason".into(), Value::String(r.to_string()));
        }
    }
    if body.is_empty() {
        return Ok(see(&format!("/placements/{}", row.id), "saved"));
    }
    match schedules::change_shift(
        &st,
        &user.p,
        &row.id,
        &s.id,
        input::shifts::shift_change(body),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/placements/{}", row.id), "saved")),
        Err(e) => form_failed(edit_page(&user, &row, &s), &form, e),
    }
}
