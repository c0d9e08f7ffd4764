//! Sites, departments, and every record's history.
use super::discipline_options;
use super::view::{Cell, Field, Table, word_options};
use super::{
    Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, Section,
    filter_select, filter_text, form_failed, list_page, list_response, see,
};
use crate::db::{self, Scope};
use crate::domain::{
    directory::Setting,
    policy::{Action, Resource},
    scope::department_visible,
};
use crate::http::{auth::ensure, extract::Params, input};
use crate::service::{self, sites};
use crate::state::AppState;
use axum::{
    Router,
    extract::{Path, State},
    response::IntoResponse,
    routing::get,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sites", get(sites).post(create_site))
        .route("/sites/new", get(new_site))
        .route("/sites/{id}", get(site).post(update_site))
        .route("/sites/{id}/edit", get(edit_site))
        .route("/departments", get(departments).post(create_department))
        .route("/departments/new", get(new_department))
        .route("/departments/{id}", get(department).post(update_department))
        .route("/departments/{id}/edit", get(edit_department))
        .route("/history/{kind}/{id}", get(history))
}

fn settings() -> Vec<(String, String)> {
    word_options(
        &Setting::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    )
}

async fn site_options(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(db::sites::all(&mut tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}

// ---- sites

async fn sites(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Site, Action::Read)?;
    let page = list_page(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::sites::list(&mut tx, &page, &params.get("q")).await?;
    let mut table = Table::new("Sites", vec!["Site", "Departments"], "No sites match.");
    for s in &rows.items {
        let n = db::departments::list(
            &mut tx,
            &Scope::All,
            &db::departments::Filter {
                site_id: Some(s.id.clone()),
                ..Default::default()
            },
            &db::Page {
                limit: 500,
                after: None,
            },
        )
        .await?
        .items
        .len();
        table.rows.push(vec![
            Cell::link(&s.name, format!("/sites/{}", s.id)),
            Cell::link(n.to_string(), format!("/departments?site_id={}", s.id)),
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Sites & departments"),
        intro: "The hospitals and campuses of the system. Open one to see its departments.".into(),
        filters: vec![filter_text("q", "Name", &params)],
        table,
        actions: vec![
            ("/sites/new".into(), "New site".into()),
            ("/departments/new".into(), "New department".into()),
        ],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "sites",
    ))
}

fn site_form(
    user: &PageUser,
    title: &str,
    action: String,
    cancel: String,
    s: Option<&db::sites::Site>,
) -> FormPage {
    FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields: vec![
            Field::new("name", "Name", "text")
                .required()
                .value(s.map(|s| s.name.clone()).unwrap_or_default()),
        ],
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    }
}

async fn new_site(user: PageUser) -> PageResult {
    user.p.authorize(Resource::Site, Action::Write)?;
    Ok(site_form(&user, "New site", "/sites".into(), "/sites".into(), None).into_response())
}

async fn create_site(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    match sites::create_site(
        &st,
        &user.p,
        input::sites::site(form.to_map(&[], &[]), true),
    )
    .await
    {
        Ok(s) => Ok(see(&format!("/sites/{}", s.id), "created")),
        Err(e) => form_failed(
            site_form(&user, "New site", "/sites".into(), "/sites".into(), None),
            &form,
            e,
        ),
    }
}

async fn site(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Site, Action::Read)?;
    let mut tx = st.db.read().await?;
    let s = db::sites::get(&mut tx, &id)
        .await?
        .ok_or(crate::http::error::AppError::NotFound)?;
    let filter = db::departments::Filter {
        site_id: Some(id.clone()),
        ..Default::default()
    };
    let depts = db::departments::list(
        &mut tx,
        &Scope::All,
        &filter,
        &db::Page {
            limit: 500,
            after: None,
        },
    )
    .await?
    .items;
    let table = department_table(&depts, &[(s.id.clone(), s.name.clone())]);
    Ok(RecordPage {
        chrome: user.chrome(s.name.clone()),
        facts: vec![
            ("Departments", Cell::text(depts.len().to_string())),
            (
                "Seats (students at once)",
                Cell::text(depts.iter().map(|d| d.capacity).sum::<i64>().to_string()),
            ),
        ],
        actions: vec![
            (format!("/sites/{id}/edit"), "Edit".into()),
            (format!("/history/site/{id}"), "History".into()),
        ],
        sections: vec![Section {
            title: "Departments".into(),
            table,
            actions: vec![(
                format!("/departments/new?site_id={id}"),
                "Add department".into(),
            )],
        }],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn edit_site(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Site, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::sites::get(&mut tx, &id)
        .await?
        .ok_or(crate::http::error::AppError::NotFound)?;
    Ok(site_form(
        &user,
        &format!("Edit {}", s.name),
        format!("/sites/{id}"),
        format!("/sites/{id}"),
        Some(&s),
    )
    .into_response())
}

async fn update_site(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match sites::update_site(
        &st,
        &user.p,
        &id,
        input::sites::site(form.to_map(&[], &[]), false),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/sites/{id}"), "saved")),
        Err(e) => form_failed(
            site_form(
                &user,
                "Edit site",
                format!("/sites/{id}"),
                format!("/sites/{id}"),
                None,
            ),
            &form,
            e,
        ),
    }
}

// ---- departments

fn department_table(depts: &[db::departments::Department], sites: &[(String, String)]) -> Table {
    let mut table = Table::new(
        "Departments",
        vec!["Department", "Site", "Setting", "Capacity", "Disciplines"],
        "No departments match.",
    );
    for d in depts {
        let site = sites
            .iter()
            .find(|s| s.0 == d.site_id)
            .map(|s| s.1.clone())
            .unwrap_or_default();
        let setting = Setting::parse(&d.setting).map(|s| s.label()).unwrap_or("");
        table.rows.push(vec![
            Cell::link(&d.name, format!("/departments/{}", d.id)),
            Cell::text(site),
            Cell {
                csv: d.setting.clone(),
                ..Cell::text(setting)
            },
            Cell::text(d.capacity.to_string()),
            Cell::text(d.disciplines.join(", ")),
        ]);
    }
    table
}

async fn departments(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Department, Action::Read)?;
    let page = list_page(&params)?;
    let filter = db::departments::Filter {
        q: params.get("q"),
        site_id: params.id("site_id")?,
        discipline: params.get("discipline"),
        setting: params.word(
            "setting",
            |s| Setting::parse(s).is_some(),
            &Setting::words(),
        )?,
    };
    let sites = site_options(&st).await?;
    let mut tx = st.db.read().await?;
    let rows = db::departments::list(&mut tx, &scope, &filter, &page).await?;
    drop(tx);
    let page = ListPage {
        chrome: user.chrome("Departments"),
        intro: "Units, clinics and services, with how many students each takes at once.".into(),
        filters: vec![
            filter_text("q", "Name", &params),
            filter_select("site_id", "Site", sites.clone(), &params),
            filter_select("setting", "Setting", settings(), &params),
            filter_select(
                "discipline",
                "Discipline hosted",
                discipline_options(&st).await?,
                &params,
            ),
        ],
        table: department_table(&rows.items, &sites),
        actions: if scope.is_all() {
            vec![("/departments/new".into(), "New department".into())]
        } else {
            vec![]
        },
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "departments",
    ))
}

async fn department_form(
    st: &AppState,
    user: &PageUser,
    title: &str,
    action: String,
    cancel: String,
    d: Option<&db::departments::Department>,
    site_id: Option<String>,
) -> Result<FormPage, PageError> {
    Ok(FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields: vec![
            Field::new("site_id", "Site", "select")
                .required()
                .options(site_options(st).await?)
                .value(d.map(|d| d.site_id.clone()).or(site_id).unwrap_or_default()),
            Field::new("name", "Name", "text")
                .required()
                .value(d.map(|d| d.name.clone()).unwrap_or_default()),
            Field::new("setting", "Care setting", "select")
                .required()
                .options(settings())
                .value(d.map(|d| d.setting.clone()).unwrap_or_default()),
            Field::new("capacity", "Capacity", "number")
                .required()
                .hint("Students at once, all disciplines together.")
                .value(d.map(|d| d.capacity.to_string()).unwrap_or_default()),
            Field::new("disciplines", "Disciplines hosted", "checkboxes")
                .options(discipline_options(st).await?)
                .values(d.map(|d| d.disciplines.clone()).unwrap_or_default()),
        ],
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    })
}

async fn new_department(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Department, Action::Write)?;
    Ok(department_form(
        &st,
        &user,
        "New department",
        "/departments".into(),
        "/departments".into(),
        None,
        params.id("site_id")?,
    )
    .await?
    .into_response())
}

async fn create_department(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    match service::departments::create_department(
        &st,
        &user.p,
        input::departments::department(form.to_map(&["disciplines"], &[]), true),
    )
    .await
    {
        Ok(d) => Ok(see(&format!("/departments/{}", d.id), "created")),
        Err(e) => form_failed(
            department_form(
                &st,
                &user,
                "New department",
                "/departments".into(),
                "/departments".into(),
                None,
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

async fn department(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Department, Action::Read)?;
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id)
        .await?
        .ok_or(crate::http::error::AppError::NotFound)?;
    ensure(department_visible(&scope, &d.id))?;
    let site = db::sites::get(&mut tx, &d.site_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let staff = if scope.is_all() {
        db::staff::list(
            &mut tx,
            &Scope::All,
            &db::staff::Filter {
                department_id: Some(id.clone()),
                ..Default::default()
            },
            &db::Page {
                limit: 500,
                after: None,
            },
        )
        .await?
        .items
    } else {
        vec![]
    };
    drop(tx);
    let mut t = Table::new(
        "Staff in this department",
        vec!["Name", "Discipline", "Preceptor", "Students at once"],
        "No staff recorded in this department.",
    );
    for s in staff {
        t.rows.push(vec![
            Cell::link(&s.name, format!("/staff/{}", s.id)),
            Cell::text(s.discipline.unwrap_or_default()),
            if s.is_preceptor {
                Cell::badge("preceptor", "info")
            } else {
                Cell::text("no")
            },
            Cell::text(s.max_students.to_string()),
        ]);
    }
    let setting = Setting::parse(&d.setting).map(|s| s.label()).unwrap_or("");
    let mut actions = vec![];
    if scope.is_all() {
        actions.push((format!("/departments/{id}/edit"), "Edit".to_string()));
        actions.push((format!("/history/department/{id}"), "History".to_string()));
    }
    Ok(RecordPage {
        chrome: user.chrome(format!("{} — {}", d.name, site)),
        facts: vec![
            ("Site", Cell::link(site, format!("/sites/{}", d.site_id))),
            ("Care setting", Cell::text(setting)),
            (
                "Capacity (students at once)",
                Cell::text(d.capacity.to_string()),
            ),
            (
                "Disciplines hosted",
                Cell::text(if d.disciplines.is_empty() {
                    "none yet".to_string()
                } else {
                    d.disciplines.join(", ")
                }),
            ),
        ],
        actions,
        sections: if scope.is_all() {
            vec![Section {
                title: "Staff".into(),
                table: t,
                actions: vec![(format!("/staff/new?department_id={id}"), "Add staff".into())],
            }]
        } else {
            vec![]
        },
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn edit_department(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Department, Action::Write)?;
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id)
        .await?
        .ok_or(crate::http::error::AppError::NotFound)?;
    drop(tx);
    Ok(department_form(
        &st,
        &user,
        &format!("Edit {}", d.name),
        format!("/departments/{id}"),
        format!("/departments/{id}"),
        Some(&d),
        None,
    )
    .await?
    .into_response())
}

async fn update_department(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::departments::update_department(
        &st,
        &user.p,
        &id,
        input::departments::department(form.to_map(&["disciplines"], &[]), false),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/departments/{id}"), "saved")),
        Err(e) => form_failed(
            department_form(
                &st,
                &user,
                "Edit department",
                format!("/departments/{id}"),
                format!("/departments/{id}"),
                None,
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

// ---- history

/// "name: A → B" for each top-level field that changed.
fn changes(before: &Option<serde_json::Value>, after: &Option<serde_json::Value>) -> String {
    let empty = serde_json::Map::new();
    let b = before
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let a = after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "—".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| {
            if b.is_empty() {
                format!("{k}: {}", show(a.get(k)))
            } else {
                format!("{k}: {} → {}", show(b.get(k)), show(a.get(k)))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn history(
    State(st): State<AppState>,
    user: PageUser,
    Path((kind, raw_id)): Path<(String, String)>,
    params: Params,
) -> PageResult {
    user.p.authorize(Resource::Audit, Action::Read)?;
    let id =
        crate::http::extract::parse_id(&raw_id).ok_or(crate::http::error::AppError::NotFound)?;
    let page = list_page(&params)?;
    let mut tx = st.db.read().await?;
    let events = db::audit::list(&mut tx, &Some(kind.clone()), &Some(id.clone()), &page).await?;
    let mut table = Table::new(
        format!("History of this {kind}"),
        vec!["When", "Who", "Action", "Changes", "From"],
        "No changes recorded.",
    );
    for e in &events.items {
        table.rows.push(vec![
            Cell {
                text: e.at.format("%a %-d %b %Y %H:%M UTC").to_string(),
                csv: e.at.to_rfc3339(),
                ..Default::default()
            },
            Cell::text(&e.actor),
            Cell::badge(&e.action, "info"),
            Cell::text(changes(&e.before, &e.after)),
            Cell::text(e.ip.clone().unwrap_or_default()),
        ]);
    }
    let back = match kind.as_str() {
        "staff" => format!("/staff/{id}"),
        k => format!("/{k}s/{id}"),
    };
    let page = ListPage {
        chrome: user.chrome("History"),
        intro: "Every change to this record: who made it, when, from where, and what changed."
            .into(),
        filters: vec![],
        table,
        actions: vec![(back, "Back to the record".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        events.next_cursor,
        "history",
    ))
}

#[cfg(test)]
mod tests {
    use super::changes;
    use serde_json::json;

    #[test]
    fn lists_only_what_changed() {
        let b = Some(json!({ "name": "A", "city": "X" }));
        let a = Some(json!({ "name": "B", "city": "X" }));
        assert_eq!(changes(&b, &a), "name: A → B");
        assert_eq!(changes(&None, &Some(json!({ "name": "A" }))), "name: A");
    }
}
