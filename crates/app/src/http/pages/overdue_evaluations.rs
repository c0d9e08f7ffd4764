//! The office's evaluations overdue (issue 17): the list the dashboard's "evaluations
//! overdue" opens, `/evaluations?overdue=yes` — the supervisors' midterm and final
//! evaluations whose due day has passed unsigned (`service::dashboard::overdue_evaluations`),
//! the longest overdue first, with its CSV.
use super::placements::Lookup;
use super::view::{Cell, Table, human_date};
use super::{ListPage, PageResult, PageUser, filter_select, list_response};
use crate::db::placements::PlacementRow;
use crate::http::extract::Params;
use crate::service::dashboard::overdue_evaluations;
use crate::state::AppState;
use axum::{Router, extract::State, routing::get};

pub fn router() -> Router<AppState> {
    Router::new().route("/evaluations", get(list))
}

async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    // The only view so far: what is overdue (`overdue=yes`, also the default).
    params.word("overdue", |s| s == "yes", "yes")?;
    let items = overdue_evaluations(&st, &user.p).await?;
    let rows: Vec<PlacementRow> = items.iter().map(|i| i.placement.clone()).collect();
    let names = Lookup::load(&st, &rows).await?;
    let today = st.clock.today();
    let mut table = Table::new(
        "Evaluations overdue, the longest overdue first",
        vec![
            "Student",
            "Evaluation",
            "Due",
            "Overdue by",
            "Supervisor",
            "Department",
        ],
        "No evaluation is overdue.",
    );
    for i in &items {
        let r = &i.placement;
        let days = (today - i.due_on).num_days();
        table.rows.push(vec![
            Cell::link(
                names.student(r.student_id.as_deref()),
                format!("/placements/{}", r.id),
            ),
            Cell::text(i.point.label()),
            Cell {
                text: human_date(i.due_on),
                csv: i.due_on.to_string(),
                ..Default::default()
            },
            Cell::badge(
                if days == 1 {
                    "1 day".to_string()
                } else {
                    format!("{days} days")
                },
                "bad",
            ),
            Cell::text(names.staff_member(r.preceptor_id.as_deref())),
            Cell::text(names.department(&r.department_id)),
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Evaluations overdue"),
        intro: "Supervisors' midterm and final evaluations whose due day has passed and that are not signed yet. The midterm is due at the placement's middle day, the final on its last day.".into(),
        filters: vec![filter_select(
            "overdue",
            "Show",
            vec![("yes".into(), "Overdue".into())],
            &params,
        )],
        table,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        None,
        "evaluations-overdue",
    ))
}
