//! Departments: units, clinics and services, with how many students each takes at once.
use super::{settings, site_options};
use crate::db::{self, Scope};
use crate::domain::{
    directory::Setting,
    policy::{Action, Resource},
};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table};
use crate::http::pages::{
    Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, Section,
    discipline_options, filter_select, filter_text, list_page, list_response, nf,
};
use crate::http::{auth::ensure, extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

pub(super) fn department_table(
    depts: &[db::departments::Department],
    sites: &[(String, String)],
) -> Table {
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
            Cell {
                csv: d.disciplines.join(" "),
                ..Cell::text(super::super::view::discipline_names(&d.disciplines))
            },
        ]);
    }
    table
}

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
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
    let mut table = department_table(&rows.items, &sites);
    super::super::sortable(
        &mut table,
        &user,
        &params,
        &[(0, "name"), (1, "site"), (2, "setting"), (3, "capacity")],
    );
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
        table,
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
    title: impl Into<String>,
    action: String,
    d: Option<&db::departments::Department>,
    site_id: Option<String>,
) -> Result<FormSpec, PageError> {
    let cancel = action.clone();
    Ok(FormSpec::new(
        title,
        action,
        cancel,
        vec![
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
                .hint("At least one: the disciplines whose students it takes.")
                .options(discipline_options(st).await?)
                .values(d.map(|d| d.disciplines.clone()).unwrap_or_default()),
        ],
    ))
}

pub async fn new(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Department, Action::Write)?;
    let spec = department_form(
        &st,
        "New department",
        "/departments".into(),
        None,
        params.id("site_id")?,
    )
    .await?;
    form_flow::show_new(&user, spec)
}

pub async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let input = input::departments::department(form.to_map(&["disciplines"], &[]), true);
    submit(
        &user,
        &form,
        Done::Created,
        service::departments::create_department(&st, &user.p, input),
        |d| format!("/departments/{}", d.id),
        department_form(&st, "New department", "/departments".into(), None, None),
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Department, Action::Read)?;
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id).await?.ok_or_else(nf)?;
    ensure(scope.sees_department(&d.id))?;
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
                sort: None,
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
            Cell::text(super::super::view::discipline_word(s.discipline.as_deref())),
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
            (
                "Site",
                // Only the office opens a site's page (no 403 behind a link).
                if scope.is_all() {
                    Cell::link(site, format!("/sites/{}", d.site_id))
                } else {
                    Cell::text(site)
                },
            ),
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
                    super::super::view::discipline_names(&d.disciplines)
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

pub async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Department, Action::Write)?;
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    let title = format!("Edit {}", d.name);
    let spec = department_form(&st, title, format!("/departments/{id}"), Some(&d), None).await?;
    form_flow::show(&user, spec)
}

pub async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let input = input::departments::department(form.to_map(&["disciplines"], &[]), false)
        .previewing_risks(!form.confirmed_risks());
    submit(
        &user,
        &form,
        Done::Saved,
        service::departments::update_department(&st, &user.p, &id, input),
        |_| format!("/departments/{id}"),
        department_form(
            &st,
            "Edit department",
            format!("/departments/{id}"),
            None,
            None,
        ),
    )
    .await
}
