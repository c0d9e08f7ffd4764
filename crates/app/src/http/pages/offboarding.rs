//! Offboarding for the office (issue 16 point 6): the list of what must end now that
//! placements have ended — badges to collect, network and EHR accounts to disable, parking to
//! take back — filterable by state, kind and department, as CSV too; each task's page ticks it
//! done under the signed-in person's name. The same use cases as the API
//! (`service/offboarding.rs`).
use super::view::{Cell, Table, human_date};
use super::{
    ActionForm, Form, ListPage, PageResult, PageUser, RecordPage, filter_select, list_page,
    list_response, see,
};
use crate::db;
use crate::domain::offboarding::{TaskKind, TaskState, state};
use crate::domain::policy::{Action, Resource};
use crate::http::{error::AppError, extract::Params, extract::parse_id, input};
use crate::service::offboarding;
use crate::state::AppState;
use axum::{
    Router,
    extract::{Path, State},
    response::IntoResponse,
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offboarding", get(list))
        .route("/offboarding/{id}", get(show))
        .route("/offboarding/{id}/done", post(done))
}

fn state_badge(s: TaskState) -> Cell {
    match s {
        TaskState::Done => Cell::badge("done", "ok"),
        TaskState::Overdue => Cell::badge("overdue", "bad"),
        TaskState::Open => Cell::badge("open", "warn"),
    }
}

async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Offboarding, Action::Read)?;
    let filter = input::projects::offboarding_filter(&params)?;
    let page = list_page(&params)?;
    let rows = offboarding::list_tasks(&st, &user.p, &filter, &page).await?;
    let today = st.clock.today();
    let mut table = Table::new(
        "Offboarding tasks",
        vec!["Task", "Student", "Where", "Due", "State", "Done by"],
        "Nothing to offboard matches.",
    );
    for t in &rows.items {
        let s = state(t.task.done_at.is_some(), t.task.due_on, today);
        let done_by = match (&t.task.done_by_name, t.task.done_at) {
            (Some(n), Some(at)) => format!(
                "{n}, {}",
                st.clock.local(at).format("%a %-d %b %Y %H:%M %Z")
            ),
            _ => String::new(),
        };
        table.rows.push(vec![
            Cell::link(
                TaskKind::parse(&t.task.kind).map_or("Offboarding task", |k| k.words()),
                format!("/offboarding/{}", t.task.id),
            ),
            Cell::link(
                t.student_name.clone().unwrap_or_default(),
                format!("/placements/{}", t.task.placement_id),
            ),
            Cell::text(format!("{}, {}", t.department_name, t.site_name)),
            Cell::date(Some(t.task.due_on)),
            state_badge(s),
            Cell::text(done_by),
        ]);
    }
    let mut tx = st.db.read().await?;
    let depts = db::departments::list(
        &mut tx,
        &db::Scope::All,
        &Default::default(),
        &db::Page {
            limit: 500,
            after: None,
            sort: None,
        },
    )
    .await?
    .items
    .into_iter()
    .map(|d| (d.id, d.name))
    .collect();
    drop(tx);
    let filters = vec![
        filter_select(
            "state",
            "State",
            vec![
                ("open".into(), "Open".into()),
                ("overdue".into(), "Overdue".into()),
                ("done".into(), "Done".into()),
            ],
            &params,
        ),
        filter_select(
            "kind",
            "Task",
            TaskKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), k.words().to_string()))
                .collect(),
            &params,
        ),
        filter_select("department_id", "Department", depts, &params),
    ];
    let page = ListPage {
        chrome: user.chrome("Offboarding"),
        intro: "What was provisioned for a placement ends with it: due on its last day, or the day it was cancelled. Tick each task when it is done; your name and the time are kept.".into(),
        filters,
        table,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "offboarding",
    ))
}

async fn show(State(st): State<AppState>, user: PageUser, Path(id): Path<String>) -> PageResult {
    user.p.authorize(Resource::Offboarding, Action::Read)?;
    let id = parse_id(&id).ok_or(AppError::NotFound)?;
    let filter = db::offboarding::Filter::default();
    let mut tx = st.db.read().await?;
    let task = db::offboarding::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let listed = offboarding::list_tasks(
        &st,
        &user.p,
        &db::offboarding::Filter {
            placement_id: Some(task.placement_id.clone()),
            ..filter
        },
        &db::Page {
            limit: 500,
            after: None,
            sort: None,
        },
    )
    .await?
    .items
    .into_iter()
    .find(|t| t.task.id == id)
    .ok_or(AppError::NotFound)?;
    let today = st.clock.today();
    let s = state(task.done_at.is_some(), task.due_on, today);
    let title = TaskKind::parse(&task.kind).map_or("Offboarding task", |k| k.words());
    let mut facts = vec![
        (
            "Student",
            Cell::link(
                listed.student_name.clone().unwrap_or_default(),
                format!("/placements/{}", task.placement_id),
            ),
        ),
        (
            "Where",
            Cell::text(format!("{}, {}", listed.department_name, listed.site_name)),
        ),
        (
            "The placement",
            Cell::text(format!("{} on {}", task.ended_as, human_date(task.due_on))),
        ),
        ("Due", Cell::date(Some(task.due_on))),
        ("State", state_badge(s)),
    ];
    if let (Some(n), Some(at)) = (&task.done_by_name, task.done_at) {
        facts.push((
            "Done by",
            Cell::text(format!(
                "{n}, {}",
                st.clock.local(at).format("%a %-d %b %Y %H:%M %Z")
            )),
        ));
    }
    let forms = if task.done_at.is_none() {
        vec![ActionForm::new(
            format!("/offboarding/{id}/done"),
            "Mark done",
        )]
    } else {
        vec![]
    };
    Ok(RecordPage {
        chrome: user.chrome(title),
        facts,
        actions: vec![("/offboarding".into(), "All offboarding tasks".into())],
        sections: vec![],
        upload: None,
        forms,
    }
    .into_response())
}

async fn done(
    State(st): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = parse_id(&id).ok_or(AppError::NotFound)?;
    offboarding::mark_done(&st, &user.p, &id).await?;
    Ok(see(&format!("/offboarding/{id}"), "saved"))
}
