//! Hospital staff: preceptors and mentors, with their licence and leave.
use crate::db::{self, staff::Staff};
use crate::domain::policy::{Action, Resource};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table, human_date};
use crate::http::pages::{
    Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, discipline_options,
    filter_select, filter_text, list_page, list_response, nf,
};
use crate::http::{extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};
use serde_json::{Value, json};

async fn department_names(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(db::departments::all_names(&mut tx).await?)
}

fn licence_cell(s: &Staff, today: chrono::NaiveDate) -> Cell {
    match s.license_expires_on {
        Some(d) if d < today => Cell {
            text: format!("expired {}", human_date(d)),
            csv: d.to_string(),
            badge: Some("bad"),
            bar: None,
            href: None,
        },
        Some(d) if (d - today).num_days() <= 60 => Cell {
            text: format!("expires {}", human_date(d)),
            csv: d.to_string(),
            badge: Some("warn"),
            bar: None,
            href: None,
        },
        d => Cell::date(d),
    }
}

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Staff, Action::Read)?;
    let page = list_page(&params)?;
    let filter = input::staff::filter(&params)?;
    let depts = department_names(&st).await?;
    let mut tx = st.db.read().await?;
    let rows = db::staff::list(&mut tx, &scope, &filter, &page).await?;
    drop(tx);
    let today = st.clock.today();
    let mut table = Table::new(
        "Staff",
        vec![
            "Name",
            "Department",
            "Discipline",
            "Role",
            "Students at once",
            "Licence",
        ],
        "No staff match.",
    );
    super::super::sortable(
        &mut table,
        &user,
        &params,
        &[
            (0, "name"),
            (1, "department"),
            (2, "discipline"),
            (4, "students"),
            (5, "licence"),
        ],
    );
    for s in &rows.items {
        let dept = depts
            .iter()
            .find(|d| d.0 == s.department_id)
            .map(|d| d.1.clone())
            .unwrap_or_default();
        table.rows.push(vec![
            Cell::link(&s.name, format!("/staff/{}", s.id)),
            Cell::text(dept),
            Cell::text(super::super::view::discipline_word(s.discipline.as_deref())),
            if s.is_preceptor {
                Cell::badge("preceptor", "info")
            } else {
                Cell::text("staff")
            },
            Cell::text(s.max_students.to_string()),
            licence_cell(s, today),
        ]);
    }
    let kinds = vec![
        ("true".to_string(), "Preceptors".to_string()),
        ("false".to_string(), "Other staff".to_string()),
    ];
    let page = ListPage {
        chrome: user.chrome("Staff"),
        intro: "Hospital people: preceptors who supervise clinicals, and site mentors for interns."
            .into(),
        filters: vec![
            filter_text("q", "Name or email", &params),
            filter_select("department_id", "Department", depts, &params),
            filter_select(
                "discipline",
                "Discipline",
                discipline_options(&st).await?,
                &params,
            ),
            filter_select("is_preceptor", "Kind", kinds, &params),
        ],
        table,
        actions: vec![
            ("/staff/new".into(), "New staff member".into()),
            ("/imports/staff".into(), "Import staff".into()),
        ],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "staff",
    ))
}

fn leave_text(s: &Staff) -> String {
    s.leave
        .iter()
        .map(|l| format!("{} to {}", l.starts_on, l.ends_on))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn staff_form(
    st: &AppState,
    title: impl Into<String>,
    action: String,
    s: Option<&Staff>,
    dept: Option<String>,
) -> Result<FormSpec, PageError> {
    let opt = |f: fn(&Staff) -> Option<String>| s.and_then(f).unwrap_or_default();
    let cancel = action.clone();
    Ok(FormSpec::new(
        title,
        action,
        cancel,
        vec![
            Field::new("name", "Name", "text")
                .required()
                .value(s.map(|s| s.name.clone()).unwrap_or_default()),
            Field::new("email", "Email", "email")
                .required()
                .value(s.map(|s| s.email.clone()).unwrap_or_default()),
            Field::new("department_id", "Department", "select")
                .required()
                .options(department_names(st).await?)
                .value(
                    s.map(|s| s.department_id.clone())
                        .or(dept)
                        .unwrap_or_default(),
                ),
            Field::new(
                "is_preceptor",
                "Supervises clinical students (preceptor)",
                "checkbox",
            )
            .value(if s.is_some_and(|s| s.is_preceptor) {
                "true"
            } else {
                ""
            }),
            Field::new("discipline", "Discipline", "select")
                .hint("Required for a preceptor.")
                .options(discipline_options(st).await?)
                .value(opt(|s| s.discipline.clone())),
            Field::new("credential", "Credential", "text")
                .hint("For example RT(R), RRT, PT, DPT.")
                .value(opt(|s| s.credential.clone())),
            Field::new("license_number", "Licence number", "text")
                .value(opt(|s| s.license_number.clone())),
            Field::new("license_expires_on", "Licence expires on", "date")
                .value(opt(|s| s.license_expires_on.map(|d| d.to_string()))),
            Field::new("max_students", "Students at once", "number")
                .required()
                .value(
                    s.map(|s| s.max_students.to_string())
                        .unwrap_or_else(|| "1".into()),
                ),
            Field::new("leave", "Leave", "textarea")
                .hint("One period a line: 2027-03-01 to 2027-03-14")
                .value(s.map(leave_text).unwrap_or_default()),
        ],
    ))
}

/// The form's leave lines ("YYYY-MM-DD to YYYY-MM-DD") as the API's list; a line that does not
/// read is passed through so the API reports it.
fn staff_map(form: &Form) -> serde_json::Map<String, Value> {
    let mut map = form.to_map(&[], &["is_preceptor"]);
    let text = form.get("leave").unwrap_or("").to_string();
    let leave: Vec<Value> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(" to ") {
            Some((a, b)) => json!({ "starts_on": a.trim(), "ends_on": b.trim() }),
            None => json!({ "starts_on": l, "ends_on": "" }),
        })
        .collect();
    map.insert("leave".into(), Value::Array(leave));
    map
}

pub async fn new(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Staff, Action::Write)?;
    let dept = params.id("department_id")?;
    let spec = staff_form(&st, "New staff member", "/staff".into(), None, dept).await?;
    form_flow::show_new(&user, spec)
}

pub async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let input = input::staff::staff(staff_map(&form), true);
    submit(
        &user,
        &form,
        Done::Created,
        service::staff::create_staff(&st, &user.p, input),
        |s| format!("/staff/{}", s.id),
        staff_form(&st, "New staff member", "/staff".into(), None, None),
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Staff, Action::Read)?;
    let mut tx = st.db.read().await?;
    let s = db::staff::get(&mut tx, &id).await?.ok_or_else(nf)?;
    let dept = db::departments::get(&mut tx, &s.department_id)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    drop(tx);
    let leave = if s.leave.is_empty() {
        "none".to_string()
    } else {
        s.leave
            .iter()
            .map(|l| format!("{} – {}", human_date(l.starts_on), human_date(l.ends_on)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let (sign_in, forms) = super::invitations::standing_and_forms(
        &st,
        &user,
        &crate::service::invitations::Invitee::Staff(id.clone(), None),
    )
    .await?;
    Ok(RecordPage {
        chrome: user.chrome(s.name.clone()),
        facts: vec![
            ("Email", Cell::text(&s.email)),
            ("Sign-in", sign_in),
            (
                "Department",
                Cell::link(dept, format!("/departments/{}", s.department_id)),
            ),
            (
                "Role",
                if s.is_preceptor {
                    Cell::badge("preceptor", "info")
                } else {
                    Cell::text("staff / site mentor")
                },
            ),
            (
                "Discipline",
                Cell::text(super::super::view::discipline_word(s.discipline.as_deref())),
            ),
            (
                "Credential",
                Cell::text(s.credential.clone().unwrap_or_default()),
            ),
            (
                "Licence number",
                Cell::text(s.license_number.clone().unwrap_or_default()),
            ),
            ("Licence", licence_cell(&s, st.clock.today())),
            ("Students at once", Cell::text(s.max_students.to_string())),
            ("Leave", Cell::text(leave)),
        ],
        actions: vec![
            (format!("/staff/{id}/edit"), "Edit".into()),
            (format!("/history/staff/{id}"), "History".into()),
        ],
        sections: vec![],
        upload: None,
        forms,
    }
    .into_response())
}

pub async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Staff, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::staff::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    let title = format!("Edit {}", s.name);
    let spec = staff_form(&st, title, format!("/staff/{id}"), Some(&s), None).await?;
    form_flow::show(&user, spec)
}

pub async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let input =
        input::staff::staff(staff_map(&form), false).previewing_risks(!form.confirmed_risks());
    submit(
        &user,
        &form,
        Done::Saved,
        service::staff::update_staff(&st, &user.p, &id, input),
        |_| format!("/staff/{id}"),
        staff_form(&st, "Edit staff member", format!("/staff/{id}"), None, None),
    )
    .await
}
