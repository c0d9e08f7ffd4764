//! The front door: a school's request form, the office's queue with live eligibility, and
//! the decision form that turns a request into placements.
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage,
    Section, filter_select, form_failed, list_page, list_response, see,
};
use crate::db::{self, Scope, requests::PlacementRequest};
use crate::domain::{
    FieldError, Problems, Role,
    policy::{Action, Resource},
};
use crate::http::{error::AppError, extract::Params, input};
use crate::service::requests;
use crate::state::AppState;
use axum::{
    Router,
    extract::State,
    response::IntoResponse,
    routing::{get, post},
};
use serde_json::{Map, Value, json};

mod decision;
mod form;
pub use decision::enrolled_in;
use decision::*;
use form::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/requests", get(queue).post(create))
        .route("/requests/new", get(new_request))
        .route("/requests/{id}", get(show))
        .route("/requests/{id}/decide", get(decide_form).post(decide))
        .route(
            "/requests/{id}/students",
            get(students_form).post(name_students),
        )
        .route("/requests/{id}/withdraw", post(withdraw))
}

pub fn status_badge(status: &str) -> Cell {
    let style = match status {
        "approved" => "ok",
        "declined" | "withdrawn" => "bad",
        "waitlisted" => "warn",
        _ => "info",
    };
    Cell::badge(status, style)
}

/// Eligibility in words, as a badge with the codes for export.
fn eligibility_cell(e: &Option<Vec<FieldError>>) -> Cell {
    match e {
        None => Cell::text(""),
        Some(v) if v.is_empty() => Cell::badge("eligible", "ok"),
        Some(v) => {
            let codes = v
                .iter()
                .map(|e| e.code.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            Cell {
                csv: codes,
                ..Cell::badge(
                    format!(
                        "ineligible: {}",
                        v.iter()
                            .map(|e| crate::domain::words::rule(e.code.as_str()).to_lowercase())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    "bad",
                )
            }
        }
    }
}

struct Names {
    schools: Vec<(String, String)>,
    programs: Vec<(String, String)>,
    sites: Vec<(String, String)>,
}

async fn names(st: &AppState, school: Option<&str>) -> Result<Names, PageError> {
    let mut tx = st.db.read().await?;
    Ok(Names {
        schools: db::schools::all_names(&mut tx).await?,
        programs: db::programs::names(&mut tx, school).await?,
        sites: db::sites::all(&mut tx)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
    })
}

fn lookup(list: &[(String, String)], id: &str) -> String {
    list.iter()
        .find(|x| x.0 == id)
        .map(|x| x.1.clone())
        .unwrap_or_default()
}

async fn queue(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Request, Action::Read)?;
    let page = list_page(&params)?;
    let mut filter = input::requests::filter(&params)?;
    // Newest first unless the list is sorted the other way.
    let oldest = params.get("sort").as_deref() == Some("oldest");
    filter.newest_first = !oldest;
    // The queue opens on what needs deciding.
    if params.get("status").is_none() && params.get("all").is_none() {
        filter.open = true;
    }
    let n = names(&st, scope.school()).await?;
    let read_at = st.db.write_generation();
    let mut tx = st.db.read().await?;
    let rows = db::requests::list(&mut tx, &scope, &filter, &page).await?;
    let counts = db::requests::counts(&mut tx, &scope).await?;
    let disciplines: Vec<(String, String)> = db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let items = requests::with_eligibility_all(&st, &mut tx, rows.items, read_at).await?;
    drop(tx);
    let mut table = Table::new(
        if oldest {
            "Placement requests, oldest first"
        } else {
            "Placement requests, newest first"
        },
        vec![
            "Submitted",
            "School",
            "Program",
            "Kind",
            "Period",
            "Places",
            "First preference",
            "Status",
            "Eligibility",
        ],
        "No requests match.",
    );
    table.sorts = vec![(
        0,
        super::link_with(
            &user.path,
            &params,
            "sort",
            if oldest { "newest" } else { "oldest" },
        ),
        if oldest { "ascending" } else { "descending" },
    )];
    for r in &items {
        let pref = r
            .preferences
            .first()
            .map(|p| lookup(&n.sites, &p.site_id))
            .unwrap_or_else(|| "any".into());
        table.rows.push(vec![
            Cell {
                text: human_date(st.clock.date_of(r.created_at)),
                csv: r.created_at.to_rfc3339(),
                href: Some(format!("/requests/{}", r.id)),
                badge: None,
                bar: None,
            },
            Cell::text(lookup(&n.schools, &r.school_id)),
            Cell::text(lookup(&n.programs, &r.program_id)),
            Cell {
                csv: r.kind.clone(),
                ..Cell::text(crate::domain::words::placement_kind(&r.kind))
            },
            Cell {
                text: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
                csv: format!("{}/{}", r.starts_on, r.ends_on),
                ..Default::default()
            },
            Cell::text(r.places().to_string()),
            Cell::text(pref),
            status_badge(&r.status),
            eligibility_cell(&r.eligibility),
        ]);
    }
    let statuses: Vec<(String, String)> = [
        "submitted",
        "waitlisted",
        "approved",
        "declined",
        "withdrawn",
    ]
    .iter()
    .map(|s| (s.to_string(), s.to_string()))
    .collect();
    let kinds = vec![
        ("clinical".to_string(), "Clinical".to_string()),
        ("internship".to_string(), "Internship".to_string()),
    ];
    let mut filters = vec![
        filter_select("status", "Status", statuses, &params),
        filter_select("kind", "Kind", kinds, &params),
    ];
    if scope.is_all() {
        filters.push(filter_select(
            "school_id",
            "School",
            n.schools.clone(),
            &params,
        ));
        filters.push(filter_select(
            "discipline",
            "Discipline",
            disciplines,
            &params,
        ));
        filters.push(filter_select(
            "site_id",
            "Preferred site",
            n.sites.clone(),
            &params,
        ));
    }
    filters.push(
        Field::new("from", "Period from", "date").value(params.get("from").unwrap_or_default()),
    );
    filters.push(Field::new("to", "Period to", "date").value(params.get("to").unwrap_or_default()));
    let count_line = counts
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let intro = if scope.is_all() {
        format!(
            "Every open request, newest first (sort by Submitted); eligibility is checked again on each view. {count_line}"
        )
    } else {
        format!("Your school's requests and the office's decisions. {count_line}")
    };
    let page = ListPage {
        chrome: user.chrome("Placement requests"),
        intro,
        filters,
        table,
        actions: vec![
            ("/requests/new".into(), "New request".into()),
            ("/requests?all=1".into(), "All requests".into()),
        ],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "requests",
    ))
}

async fn load(
    st: &AppState,
    user: &PageUser,
    id: &str,
) -> Result<(Scope, PlacementRequest), PageError> {
    let scope = user.p.authorize(Resource::Request, Action::Read)?;
    let mut tx = st.db.read().await?;
    let r = requests::load_visible(&mut tx, &scope, id).await?;
    let r = requests::with_eligibility(&mut tx, r).await?;
    Ok((scope, r))
}

async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let (scope, r) = load(&st, &user, &id).await?;
    let n = names(&st, None).await?;
    let mut tx = st.db.read().await?;
    let mut student_names = Vec::new();
    for s in &r.student_ids {
        if let Some(s) = db::students::get(&mut tx, s).await? {
            student_names.push(s.full_name());
        }
    }
    let placements = db::placements::list(
        &mut tx,
        &scope,
        &db::placements::Filter {
            request_id: Some(id.clone()),
            ..Default::default()
        },
        &db::Page {
            limit: 500,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    let prefs = requests::preferences_of(&mut tx, &r).await?;
    let mut depts = Vec::new();
    for p in &placements {
        let d = db::departments::get(&mut tx, &p.department_id)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        let s = match &p.student_id {
            Some(s) => db::students::get(&mut tx, s)
                .await?
                .map(|s| s.full_name())
                .unwrap_or_default(),
            None => "(to be named)".into(),
        };
        depts.push((s, d));
    }
    drop(tx);
    let mut facts = vec![
        ("Status", status_badge(&r.status)),
        ("School", Cell::text(lookup(&n.schools, &r.school_id))),
        (
            "Program",
            Cell::link(
                lookup(&n.programs, &r.program_id),
                format!("/programs/{}", r.program_id),
            ),
        ),
        (
            "Kind",
            Cell::text(crate::domain::words::placement_kind(&r.kind)),
        ),
        (
            "Period",
            Cell::text(format!(
                "{} – {}",
                human_date(r.starts_on),
                human_date(r.ends_on)
            )),
        ),
        ("Hours per week", Cell::text(r.hours_per_week.to_string())),
        (
            "Students",
            Cell::text(if student_names.is_empty() {
                "none named".into()
            } else {
                student_names.join(", ")
            }),
        ),
        ("Unnamed places", Cell::text(r.slots.to_string())),
        (
            "Preferences",
            Cell::text(if prefs.is_empty() {
                "none given".to_string()
            } else {
                prefs
                    .iter()
                    .map(|p| format!("{}. {}", p.rank, p.words()))
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
        ),
        (
            "Shifts",
            Cell::text(
                r.shifts
                    .iter()
                    .map(|s| format!("{} {}–{}", s.weekday, s.starts_at, s.ends_at))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        (
            "Start may move by",
            Cell::text(format!("{} week(s)", r.start_window_weeks)),
        ),
        (
            "Together",
            Cell::text(if r.together { "yes" } else { "no" }),
        ),
    ];
    if let Some(c) = &r.course {
        facts.push((
            "Course",
            Cell::text(format!("{} {} ({} credits)", c.code, c.title, c.credits)),
        ));
    }
    if let Some(f) = &r.faculty_supervisor {
        facts.push((
            "Faculty supervisor",
            Cell::text(format!("{} <{}>", f.name, f.email)),
        ));
    }
    if let Some(n) = &r.notes {
        facts.push(("Notes", Cell::text(n)));
    }
    if let Some(reason) = &r.decision_reason {
        facts.push(("Reason given", Cell::text(reason)));
    }
    facts.push(("Eligibility today", eligibility_cell(&r.eligibility)));
    let open = matches!(r.status.as_str(), "submitted" | "waitlisted");
    let mut actions = vec![];
    if open && scope.is_all() {
        actions.push((format!("/requests/{id}/decide"), "Decide".to_string()));
    }
    if open {
        actions.push((
            format!("/requests/{id}/students"),
            "Name students".to_string(),
        ));
    }
    if scope.is_all() {
        actions.push((
            format!("/history/placement_request/{id}"),
            "History".to_string(),
        ));
    }
    let mut sections = vec![];
    if let Some(problems) = r.eligibility.as_ref().filter(|e| !e.is_empty()) {
        let mut t = Table::new(
            "Why the request is not eligible",
            vec!["Rule", "What is wrong"],
            "",
        );
        for e in problems {
            t.rows.push(vec![
                Cell::badge(crate::domain::words::rule(e.code.as_str()), "bad"),
                Cell::text(&e.message),
            ]);
        }
        sections.push(Section {
            title: "Eligibility".into(),
            table: t,
            actions: vec![],
        });
    }
    let mut t = Table::new(
        "Placements",
        vec!["Placement", "Student", "Department"],
        "No placements yet.",
    );
    for (p, (s, d)) in placements.iter().zip(depts) {
        t.rows.push(vec![
            Cell::link(
                format!("{} – {}", human_date(p.starts_on), human_date(p.ends_on)),
                format!("/placements/{}", p.id),
            ),
            Cell::text(s),
            Cell::text(d),
        ]);
    }
    sections.push(Section {
        title: "Placements".into(),
        table: t,
        actions: vec![],
    });
    let mut forms = vec![];
    if open {
        forms.push(
            ActionForm::new(format!("/requests/{id}/withdraw"), "Withdraw the request")
                .irreversible("Withdraw this request? The office will stop considering it."),
        );
    }
    Ok(RecordPage {
        chrome: user.chrome("Placement request"),
        facts,
        actions,
        sections,
        upload: None,
        forms,
    }
    .into_response())
}

/// Which roles see the requests pages.
pub fn sees_requests(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator
    )
}
