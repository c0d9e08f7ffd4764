//! Schools, their affiliation agreements (with the signed PDF) and their programs; the school
//! coordinator's own-school page.
use super::form_flow::{self, Done, FormSpec, submit};
use super::view::{Cell, Field, Table};
use super::{
    Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, Section, filter_text,
    list_page, list_response, nf,
};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::ensure, extract::Params, input};
use crate::service;
use crate::state::AppState;
use agreements::{agreement_summary, agreement_table};
use axum::{Router, extract::State, response::IntoResponse, routing::get};
use programs::program_table;

mod agreements;
mod programs;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/schools", get(schools).post(create_school))
        .route("/schools/new", get(new_school))
        .route("/schools/{id}", get(school).post(update_school))
        .route("/schools/{id}/edit", get(edit_school))
        .route(
            "/schools/{id}/agreements",
            axum::routing::post(agreements::create),
        )
        .route("/schools/{id}/agreements/new", get(agreements::new))
        .route(
            "/schools/{id}/programs",
            axum::routing::post(programs::create),
        )
        .route("/schools/{id}/programs/new", get(programs::new))
        .route("/agreements", get(agreements::list))
        .route(
            "/agreements/{id}",
            get(agreements::show).post(agreements::update),
        )
        .route("/agreements/{id}/edit", get(agreements::edit))
        .route(
            "/agreements/{id}/document",
            get(agreements::download_document).post(agreements::upload_document),
        )
        .route("/programs", get(programs::list))
        .route("/programs/{id}", get(programs::show).post(programs::update))
        .route("/programs/{id}/edit", get(programs::edit))
        .route("/my-school", get(my_school))
}

pub(super) async fn school_names(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(db::schools::all_names(&mut tx).await?)
}

/// Adds a "School" column at `at`, one linked name per row (`school_ids` in row order).
pub(super) fn insert_school_column(
    table: &mut Table,
    at: usize,
    school_ids: &[&str],
    names: &[(String, String)],
) {
    table.headers.insert(at, "School");
    for (row, id) in table.rows.iter_mut().zip(school_ids) {
        let name = names
            .iter()
            .find(|n| n.0 == *id)
            .map(|n| n.1.clone())
            .unwrap_or_default();
        row.insert(at, Cell::link(name, format!("/schools/{id}")));
    }
}

// ---- schools

async fn schools(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::School, Action::Read)?;
    let page = list_page(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::schools::list(&mut tx, &scope, &params.get("q"), &page).await?;
    let today = st.clock.today();
    let mut table = Table::new(
        "Schools",
        vec!["School", "City", "State", "Agreement"],
        "No schools match.",
    );
    super::sortable(
        &mut table,
        &user,
        &params,
        &[(0, "name"), (1, "city"), (2, "state")],
    );
    for s in &rows.items {
        let ags = db::agreements::of_school(&mut tx, &s.id).await?;
        table.rows.push(vec![
            Cell::link(&s.name, format!("/schools/{}", s.id)),
            Cell::text(&s.city),
            Cell::text(&s.state),
            agreement_summary(&ags, today),
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Schools & agreements"),
        intro:
            "Academic institutions and the state of their affiliation agreement with the hospital."
                .into(),
        filters: vec![filter_text("q", "Name", &params)],
        table,
        actions: if scope.is_all() {
            vec![("/schools/new".into(), "New school".into())]
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
        "schools",
    ))
}

fn school_form(
    title: impl Into<String>,
    action: String,
    s: Option<&db::schools::School>,
) -> FormSpec {
    let cancel = action.clone();
    let value = |f: fn(&db::schools::School) -> String| s.map(f).unwrap_or_default();
    FormSpec::new(
        title,
        action,
        cancel,
        vec![
            Field::new("name", "Name", "text")
                .required()
                .value(value(|s| s.name.clone())),
            Field::new("city", "City", "text")
                .required()
                .value(value(|s| s.city.clone())),
            Field::new("state", "State", "text")
                .required()
                .value(value(|s| s.state.clone())),
        ],
    )
}

async fn new_school(user: PageUser) -> PageResult {
    user.p.authorize(Resource::School, Action::Write)?;
    form_flow::show_new(&user, school_form("New school", "/schools".into(), None))
}

async fn create_school(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let input = input::schools::school(form.to_map(&[], &[]), true);
    submit(
        &user,
        &form,
        Done::Created,
        service::schools::create_school(&st, &user.p, input),
        |s| format!("/schools/{}", s.id),
        async { Ok(school_form("New school", "/schools".into(), None)) },
    )
    .await
}

/// The school page: its details, agreements and programs. Shared by the office and the
/// school's own coordinator (`/my-school`).
async fn school_page(st: &AppState, user: &PageUser, id: &str) -> PageResult {
    let scope = user.p.authorize(Resource::School, Action::Read)?;
    ensure(scope.sees_school(id))?;
    let mut tx = st.db.read().await?;
    let s = db::schools::get(&mut tx, id).await?.ok_or_else(nf)?;
    let ags = db::agreements::of_school(&mut tx, id).await?;
    let filter = db::programs::Filter {
        school_id: Some(id.to_string()),
        ..Default::default()
    };
    let progs = db::programs::list(
        &mut tx,
        &scope,
        &filter,
        &db::Page {
            limit: 500,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    drop(tx);
    let today = st.clock.today();
    let office = scope.is_all();
    let mut actions = vec![];
    if office {
        actions.push((format!("/schools/{id}/edit"), "Edit".to_string()));
        actions.push((format!("/history/school/{id}"), "History".to_string()));
    }
    actions.push((format!("/students?school_id={id}"), "Students".to_string()));
    let agreement_actions = if office {
        vec![(
            format!("/schools/{id}/agreements/new"),
            "Add agreement".to_string(),
        )]
    } else {
        vec![]
    };
    let program_actions = vec![(
        format!("/schools/{id}/programs/new"),
        "Add program".to_string(),
    )];
    Ok(RecordPage {
        chrome: user.chrome(s.name.clone()),
        facts: vec![
            ("City", Cell::text(&s.city)),
            ("State", Cell::text(&s.state)),
            ("Agreement today", agreement_summary(&ags, today)),
        ],
        actions,
        sections: vec![
            Section {
                title: "Affiliation agreements".into(),
                table: agreement_table(&ags, today),
                actions: agreement_actions,
            },
            Section {
                title: "Programs".into(),
                table: program_table(&progs, today),
                actions: program_actions,
            },
        ],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn school(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    school_page(&st, &user, &id).await
}

async fn my_school(State(st): State<AppState>, user: PageUser) -> PageResult {
    match user.p.school_id.clone() {
        Some(id) => school_page(&st, &user, &id).await,
        None => Err(nf()),
    }
}

async fn edit_school(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::School, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::schools::get(&mut tx, &id).await?.ok_or_else(nf)?;
    let title = format!("Edit {}", s.name);
    form_flow::show(
        &user,
        school_form(title, format!("/schools/{id}"), Some(&s)),
    )
}

async fn update_school(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let input = input::schools::school(form.to_map(&[], &[]), false);
    submit(
        &user,
        &form,
        Done::Saved,
        service::schools::update_school(&st, &user.p, &id, input),
        |_| format!("/schools/{id}"),
        async { Ok(school_form("Edit school", format!("/schools/{id}"), None)) },
    )
    .await
}
