//! Sites: the hospital's campuses, each with its departments.
use super::departments::department_table;
use crate::db::{self, Scope};
use crate::domain::policy::{Action, Resource};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table};
use crate::http::pages::{
    Form, ListPage, PageId, PageResult, PageUser, RecordPage, Section, filter_text, list_page,
    list_response, nf,
};
use crate::http::{extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Site, Action::Read)?;
    let page = list_page(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::sites::list(&mut tx, &page, &params.get("q")).await?;
    let mut table = Table::new("Sites", vec!["Site", "Departments"], "No sites match.");
    super::super::sortable(&mut table, &user, &params, &[(0, "name")]);
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
                sort: None,
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

fn site_form(title: impl Into<String>, action: String, s: Option<&db::sites::Site>) -> FormSpec {
    let cancel = action.clone();
    FormSpec::new(
        title,
        action,
        cancel,
        vec![
            Field::new("name", "Name", "text")
                .required()
                .value(s.map(|s| s.name.clone()).unwrap_or_default()),
            Field::new("address", "Address", "text")
                .hint("As on a letter: street, town, postcode.")
                .value(s.and_then(|s| s.address.clone()).unwrap_or_default()),
            Field::new("arrival_notes", "On arrival", "textarea")
                .hint("Parking, badge pick-up, whom to ask for: shown on each placement at this site and in the welcome letter.")
                .value(s.and_then(|s| s.arrival_notes.clone()).unwrap_or_default()),
        ],
    )
}

pub async fn new(user: PageUser) -> PageResult {
    user.p.authorize(Resource::Site, Action::Write)?;
    form_flow::show_new(&user, site_form("New site", "/sites".into(), None))
}

pub async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let input = input::sites::site(form.to_map(&[], &[]), true);
    submit(
        &user,
        &form,
        Done::Created,
        service::sites::create_site(&st, &user.p, input),
        |s| format!("/sites/{}", s.id),
        async { Ok(site_form("New site", "/sites".into(), None)) },
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Site, Action::Read)?;
    let mut tx = st.db.read().await?;
    let s = db::sites::get(&mut tx, &id).await?.ok_or_else(nf)?;
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
            sort: None,
        },
    )
    .await?
    .items;
    let table = department_table(&depts, &[(s.id.clone(), s.name.clone())]);
    Ok(RecordPage {
        chrome: user.chrome(s.name.clone()),
        facts: vec![
            (
                "Address",
                Cell::text(s.address.clone().unwrap_or_else(|| "not recorded".into())),
            ),
            (
                "On arrival",
                Cell::text(
                    s.arrival_notes
                        .clone()
                        .unwrap_or_else(|| "not recorded".into()),
                ),
            ),
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

pub async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Site, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::sites::get(&mut tx, &id).await?.ok_or_else(nf)?;
    form_flow::show(
        &user,
        site_form(format!("Edit {}", s.name), format!("/sites/{id}"), Some(&s)),
    )
}

pub async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let input = input::sites::site(form.to_map(&[], &[]), false);
    submit(
        &user,
        &form,
        Done::Saved,
        service::sites::update_site(&st, &user.p, &id, input),
        |_| format!("/sites/{id}"),
        async { Ok(site_form("Edit site", format!("/sites/{id}"), None)) },
    )
    .await
}
