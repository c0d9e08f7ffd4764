//! Each role's home page: what needs doing now.
use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(super) struct HomePage {
    pub(super) chrome: Chrome,
    pub(super) intro: String,
    pub(super) tiles: Vec<(String, String, String)>,
    /// The office's dashboard (empty for other roles).
    pub(super) groups: Vec<super::dashboard::Group>,
    pub(super) sections: Vec<Section>,
}

/// Agreements that end within 90 days, soonest first.
pub(super) async fn expiring_agreements(st: &AppState, scope: &Scope) -> Result<Table, PageError> {
    let today = st.clock.today();
    let mut tx = st.db.read().await?;
    let filter = db::agreements::Filter {
        expiring_by: Some(today + chrono::Duration::days(90)),
        expiring_from: Some(today),
        ..Default::default()
    };
    let mut items = db::agreements::list(
        &mut tx,
        scope,
        &filter,
        &db::Page {
            limit: 500,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    items.sort_by_key(|a| a.expires_on);
    let mut t = Table::new(
        "Agreements expiring within 90 days",
        vec!["School", "Expires", "In"],
        "No agreement expires in the next 90 days.",
    );
    for a in items {
        let school = db::schools::get(&mut tx, &a.school_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let days = expiring_in(AgreementStatus::Active, a.expires_on, today, 90).unwrap_or(0);
        t.rows.push(vec![
            Cell::link(school, format!("/agreements/{}", a.id)),
            Cell::date(Some(a.expires_on)),
            Cell::badge(format!("expiring in {days} days"), "warn"),
        ]);
    }
    Ok(t)
}

pub(super) async fn home(
    State(st): State<AppState>,
    user: Result<PageUser, PageError>,
) -> PageResult {
    let user = match user {
        Ok(u) => u,
        // Signed in, but sent elsewhere first (to enrol a second step: `http::sign_in`).
        Err(PageError::Redirect(to)) => return Ok(Redirect::to(&to).into_response()),
        Err(_) => return Ok(Redirect::to("/login").into_response()),
    };
    let p = &user.p;
    let mut tiles = vec![];
    let mut sections = vec![];
    let mut groups = vec![];
    let intro;
    match p.role {
        Role::Admin | Role::Coordinator => {
            // The dashboard (issue 17): every number counted by the database, each a link to
            // exactly the list it counts (`service::dashboard`).
            let d = crate::service::dashboard::office_dashboard(&st, p).await?;
            intro = "What needs your attention today. Each number opens the list it counts."
                .to_string();
            groups = super::dashboard::groups(&d);
            sections.push(Section {
                title: "Placements at risk".into(),
                table: risk_table(&st, &d.at_risk_rows).await?,
                actions: vec![(d.at_risk.list.page_href(), "All placements at risk".into())],
            });
            let damaged = super::damaged::missing_files_table(&st, p).await?;
            if !damaged.rows.is_empty() {
                tiles.push((
                    "documents with a missing file".into(),
                    damaged.rows.len().to_string(),
                    "/#documents-with-a-missing-file".into(),
                ));
                sections.push(Section {
                    title: "Documents with a missing file".into(),
                    table: damaged,
                    actions: vec![],
                });
            }
            sections.push(Section {
                title: "Agreements to renew".into(),
                table: expiring_agreements(&st, &Scope::All).await?,
                actions: vec![(
                    d.agreements.list.page_href(),
                    "All expiring agreements".into(),
                )],
            });
        }
        Role::SchoolCoordinator => {
            let mut tx = st.db.read().await?;
            let school = match &p.school_id {
                Some(id) => db::schools::get(&mut tx, id)
                    .await?
                    .map(|s| s.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let agreements = match &p.school_id {
                Some(id) => db::agreements::of_school(&mut tx, id).await?,
                None => vec![],
            };
            let scope = p.authorize(Resource::Request, Action::Read)?;
            // The ten newest, read newest first (not the first 500 reversed).
            let requests = db::requests::list(
                &mut tx,
                &scope,
                &db::requests::Filter {
                    newest_first: true,
                    ..Default::default()
                },
                &db::Page {
                    limit: 10,
                    after: None,
                    sort: None,
                },
            )
            .await?
            .items;
            let pscope = p.authorize(Resource::Placement, Action::Read)?;
            let today = st.clock.today();
            let upcoming = db::placements::Filter {
                from: Some(today),
                ..Default::default()
            };
            let placements = db::placements::list(
                &mut tx,
                &pscope,
                &upcoming,
                &db::Page {
                    limit: 50,
                    after: None,
                    sort: None,
                },
            )
            .await?
            .items;
            drop(tx);
            intro = format!(
                "{school}: your requests and the office's decisions, your students' placements, and your agreement."
            );
            let mut rt = Table::new(
                "Your requests, newest first",
                vec!["Submitted", "Period", "Places", "Status", "Reason"],
                "No requests yet.",
            );
            for r in &requests {
                rt.rows.push(vec![
                    Cell::link(
                        super::super::view::human_date(st.clock.date_of(r.created_at)),
                        format!("/requests/{}", r.id),
                    ),
                    Cell::text(format!(
                        "{} – {}",
                        super::super::view::human_date(r.starts_on),
                        super::super::view::human_date(r.ends_on)
                    )),
                    Cell::text(r.places().to_string()),
                    super::super::requests::status_badge(&r.status),
                    Cell::text(r.decision_reason.clone().unwrap_or_default()),
                ]);
            }
            sections.push(Section {
                title: "Requests and decisions".into(),
                table: rt,
                actions: vec![("/requests/new".into(), "New request".into())],
            });
            let pt = super::super::placements::table(
                &st,
                &placements,
                "Your students' current and upcoming placements",
            )
            .await?;
            sections.push(Section {
                title: "Students' placements".into(),
                table: pt,
                actions: vec![("/placements".into(), "All placements".into())],
            });
            let mut t = Table::new(
                "Your agreements",
                vec!["Status", "In force", "Expires"],
                "Your school has no agreement with the hospital yet.",
            );
            for a in agreements {
                let status = match expiring_in(
                    AgreementStatus::parse(&a.status).unwrap_or(AgreementStatus::Draft),
                    a.expires_on,
                    today,
                    90,
                ) {
                    Some(d) => Cell::badge(format!("expiring in {d} days"), "warn"),
                    None => Cell::badge(
                        a.status.clone(),
                        if a.status == "active" { "ok" } else { "info" },
                    ),
                };
                t.rows.push(vec![
                    status.with_href(format!("/agreements/{}", a.id)),
                    Cell::date(Some(a.effective_on)),
                    Cell::date(Some(a.expires_on)),
                ]);
            }
            sections.push(Section {
                title: "Agreement".into(),
                table: t,
                actions: vec![],
            });
        }
        Role::Student | Role::Preceptor | Role::Faculty | Role::DepartmentManager => {
            let (work, today_shifts) = super::work::today(&st, &user).await?;
            tiles.extend(work);
            sections.extend(today_shifts);
            let scope = p.authorize(Resource::Placement, Action::Read)?;
            let today = st.clock.today();
            let (from, to) = if p.role == Role::DepartmentManager {
                let monday = super::super::capacity::monday_of(today);
                (monday, Some(monday + chrono::Duration::days(6)))
            } else {
                (today, None)
            };
            let filter = db::placements::Filter {
                from: Some(from),
                to,
                ..Default::default()
            };
            let mut tx = st.db.read().await?;
            let mut rows = db::placements::list(
                &mut tx,
                &scope,
                &filter,
                &db::Page {
                    limit: 200,
                    after: None,
                    sort: None,
                },
            )
            .await?
            .items;
            drop(tx);
            rows.retain(|r| r.status != "cancelled");
            rows.sort_by_key(|r| r.starts_on);
            let (title, caption) = match p.role {
                Role::Student => {
                    intro = "Your next placement: where, when, who, and your clearance.".into();
                    ("Your placements", "Your current and upcoming placements")
                }
                Role::DepartmentManager => {
                    intro = "This week's students in your department; the capacity grid shows the weeks ahead.".into();
                    if let Some(d) = &p.department_id {
                        let mut tx = st.db.read().await?;
                        let capacity = db::departments::get(&mut tx, d)
                            .await?
                            .map(|d| d.capacity)
                            .unwrap_or(0);
                        drop(tx);
                        let free = (capacity - rows.len() as i64).max(0);
                        tiles.push((
                            format!("seats free this week (of {capacity}); the weeks ahead"),
                            free.to_string(),
                            format!("/departments/{d}/capacity"),
                        ));
                    }
                    ("This week", "Students in your department this week")
                }
                _ => {
                    intro = "Your current and upcoming students.".into();
                    ("Your students", "Students placed with you")
                }
            };
            if p.role == Role::Student
                && let Some(next) = rows.first()
            {
                let mut tx = st.db.read().await?;
                let v = crate::service::placements::view(&mut tx, next.clone(), st.clock.today())
                    .await?;
                let dept = db::departments::get(&mut tx, &next.department_id).await?;
                let site = match &dept {
                    Some(d) => db::sites::get(&mut tx, &d.site_id)
                        .await?
                        .map(|s| s.name)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let who = match &next.preceptor_id {
                    Some(pid) => db::staff::get(&mut tx, pid)
                        .await?
                        .map(|s| s.name)
                        .unwrap_or_default(),
                    None => v
                        .faculty_supervisor
                        .as_ref()
                        .map(|f| f.name.clone())
                        .unwrap_or_default(),
                };
                drop(tx);
                let mut t = Table::new(
                    "Your next placement",
                    vec!["Where", "When", "Who", "Clearance"],
                    "",
                );
                t.rows.push(vec![
                    Cell::link(
                        format!("{} — {}", site, dept.map(|d| d.name).unwrap_or_default()),
                        format!("/placements/{}", next.id),
                    ),
                    Cell::text(format!(
                        "{} – {}",
                        super::super::view::human_date(next.starts_on),
                        super::super::view::human_date(next.ends_on)
                    )),
                    Cell::text(who),
                    checklist_cell(&v.clearance, &next.id),
                ]);
                sections.push(Section {
                    title: "Next".into(),
                    table: t,
                    actions: vec![],
                });
            }
            // Evaluations to fill, sign or acknowledge (issue 16 point 2).
            if matches!(p.role, Role::Student | Role::Preceptor | Role::Faculty) {
                sections.push(super::super::evaluations::home_section(&st, &user).await?);
            }
            let table = super::super::placements::table(&st, &rows, caption).await?;
            sections.push(Section {
                title: title.into(),
                table,
                actions: vec![("/placements".into(), "All".into())],
            });
        }
    }
    Ok(HomePage {
        chrome: user.chrome(format!("Welcome, {}", p.name)),
        intro,
        tiles,
        groups,
        sections,
    }
    .into_response())
}

use crate::db::placements::PlacementRow;
use crate::http::pages::placements::Lookup;
use crate::http::pages::view::{Cell, Table, human_date};

/// The placements at risk (the office's home): who, where, when, and what they no longer meet.
pub async fn risk_table(
    st: &AppState,
    items: &[crate::service::risks::AtRisk],
) -> Result<Table, PageError> {
    let rows: Vec<PlacementRow> = items.iter().map(|i| i.row.clone()).collect();
    let names = Lookup::load(st, &rows).await?;
    let mut t = Table::new(
        "Open placements whose eligibility no longer holds",
        vec!["Student", "Department", "Period", "At risk"],
        "No placement is at risk.",
    );
    for i in items {
        let r = &i.row;
        t.rows.push(vec![
            Cell::link(
                names.student(r.student_id.as_deref()),
                format!("/placements/{}", r.id),
            ),
            Cell::text(names.department(&r.department_id)),
            Cell::text(format!(
                "{} – {}",
                human_date(r.starts_on),
                human_date(r.ends_on)
            )),
            Cell::badge(
                i.risks
                    .iter()
                    .map(|x| x.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                "bad",
            ),
        ]);
    }
    Ok(t)
}

/// The student's checklist as it stands: cleared, or what is still missing, linked to it.
fn checklist_cell(c: &crate::domain::clearance::Clearance, placement_id: &str) -> Cell {
    let href = format!("/placements/{placement_id}/onboarding");
    if c.is_cleared() {
        return Cell::badge("cleared", "ok").with_href(href);
    }
    let words = match (c.missing.len(), c.expiring.len()) {
        (0, 0) => format!("{}: see the checklist", c.status),
        (0, e) => format!("{}: {e} item(s) lapse before the end", c.status),
        (m, _) => format!("{}: {m} item(s) still to do", c.status),
    };
    Cell::badge(words, if c.status == "blocked" { "bad" } else { "warn" }).with_href(href)
}
