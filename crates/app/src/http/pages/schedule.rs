//! "My schedule" (a week and a month view of the shifts one sees; for the office, the
//! calendar filterable by site, department and discipline), the private calendar feed, and
//! "Who is on site" (issue 15 points 1-3).
use super::view::{Cell, Field, Table, human_date};
use super::{
    Chrome, Form, ListPage, PageResult, PageUser, csv_response, filter_select, link_with, wants_csv,
};
use crate::db;
use crate::domain::{
    Role,
    policy::{Action, Resource},
    schedule::{month_grid, month_start, week_start},
};
use crate::http::{api::shifts::date_param, error::AppError, extract::Params};
use crate::service::{calendar, on_site, schedules};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Path, State},
    http::header,
    response::IntoResponse,
    routing::{get, post},
};
use chrono::{Duration, NaiveDate};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/schedule", get(schedule))
        .route("/schedule/feed", post(new_feed))
        .route("/calendar/{file}", get(feed))
        .route("/on-site", get(on_site_page))
}

pub struct DayItem {
    pub text: String,
    pub href: String,
    pub cancelled: bool,
}

pub struct Day {
    pub iso: String,
    pub number: String,
    pub full: String,
    pub in_period: bool,
    pub today: bool,
    pub items: Vec<DayItem>,
}

#[derive(Template, WebTemplate)]
#[template(path = "schedule.html")]
pub struct SchedulePage {
    pub chrome: Chrome,
    pub intro: String,
    pub view: &'static str,
    pub date: String,
    pub heading: String,
    pub prev_href: String,
    pub next_href: String,
    pub today_href: String,
    pub week_href: String,
    pub month_href: String,
    pub weekdays: Vec<(&'static str, &'static str)>,
    pub weeks: Vec<Vec<Day>>,
    pub filters: Vec<Field>,
    pub table: Table,
    /// A link just made (shown once).
    pub feed_url: String,
    /// When the current link was made, in words.
    pub feed_since: String,
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
];

async fn schedule(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    Ok(schedule_page(&st, &user, &params, String::new())
        .await?
        .into_response())
}

async fn schedule_page(
    st: &AppState,
    user: &PageUser,
    params: &Params,
    feed_url: String,
) -> Result<SchedulePage, super::PageError> {
    let office = user.p.role.is_office();
    let today = st.clock.today();
    let date = date_param(params, today)?;
    let view = match params.get("view").as_deref() {
        Some("month") => "month",
        _ => "week",
    };
    let (grid, from, to, heading, prev, next): (Vec<[NaiveDate; 7]>, _, _, _, _, _) =
        if view == "month" {
            let first = month_start(date);
            let grid = month_grid(date);
            let prev = first
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(first);
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
            let from = grid.first().map(|w| w[0]).unwrap_or(first);
            let to = grid.last().map(|w| w[6]).unwrap_or(first);
            (
                grid,
                from,
                to,
                first.format("%B %Y").to_string(),
                prev,
                next,
            )
        } else {
            let monday = week_start(date);
            let week: [NaiveDate; 7] = std::array::from_fn(|i| monday + Duration::days(i as i64));
            (
                vec![week],
                monday,
                monday + Duration::days(6),
                format!("Week of {}", human_date(monday)),
                monday - Duration::days(7),
                monday + Duration::days(7),
            )
        };
    let filter = db::shifts::Filter {
        from: Some(from),
        to: Some(to),
        include_cancelled: true,
        site_id: if office { params.id("site_id")? } else { None },
        department_id: if office {
            params.id("department_id")?
        } else {
            None
        },
        discipline: if office {
            params.get("discipline")
        } else {
            None
        },
        ..Default::default()
    };
    let shifts = schedules::calendar(st, &user.p, filter).await?;
    let student = user.p.role == Role::Student;
    let label = |s: &db::shifts::ListedShift| {
        let who = if student {
            s.department_name.clone()
        } else {
            format!(
                "{}, {}",
                s.student_name.clone().unwrap_or("(to be named)".into()),
                s.department_name
            )
        };
        format!(
            "{}–{} {}{}",
            s.starts_at,
            s.ends_at,
            who,
            if s.status == "cancelled" {
                " (cancelled)"
            } else if s.kind == "make_up" {
                " (make-up)"
            } else {
                ""
            }
        )
    };
    let weeks = grid
        .iter()
        .map(|w| {
            w.iter()
                .map(|d| Day {
                    iso: d.to_string(),
                    number: d.format("%-d").to_string(),
                    full: human_date(*d),
                    in_period: view == "week" || d.month() == date.month(),
                    today: *d == today,
                    items: shifts
                        .iter()
                        .filter(|s| s.date == *d)
                        .map(|s| DayItem {
                            text: label(s),
                            href: format!("/placements/{}#shifts", s.placement_id),
                            cancelled: s.status == "cancelled",
                        })
                        .collect(),
                })
                .collect()
        })
        .collect();
    let mut table = Table::new(
        format!("{heading}: every shift"),
        vec![
            "Day",
            "Hours",
            "Student",
            "Department",
            "Site",
            "Supervisor",
            "Status",
        ],
        "No shifts in this period.",
    );
    for s in &shifts {
        table.rows.push(vec![
            Cell::link(
                human_date(s.date),
                format!("/placements/{}#shifts", s.placement_id),
            ),
            Cell::text(format!("{}–{}", s.starts_at, s.ends_at)),
            Cell::text(s.student_name.clone().unwrap_or("(to be named)".into())),
            Cell::text(&s.department_name),
            Cell::text(&s.site_name),
            Cell::text(s.supervisor_name.clone().unwrap_or_default()),
            match (s.status.as_str(), s.cancel_reason.as_deref()) {
                ("cancelled", r) => Cell::badge(format!("cancelled: {}", r.unwrap_or("")), "bad"),
                _ if s.kind == "make_up" => Cell::badge("make-up day", "info"),
                _ => Cell::badge("scheduled", "ok"),
            },
        ]);
    }
    let mut filters = vec![];
    if office {
        let mut tx = st.db.read().await?;
        let sites = db::sites::all(&mut tx)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let depts = db::departments::all_names(&mut tx).await?;
        drop(tx);
        filters.push(filter_select("site_id", "Site", sites, params));
        filters.push(filter_select("department_id", "Department", depts, params));
        filters.push(filter_select(
            "discipline",
            "Discipline",
            super::discipline_options(st).await?,
            params,
        ));
    }
    let with = |k: &str, v: &str| link_with(&user.path, params, k, v);
    let at = |d: NaiveDate| {
        let p = Params(
            params
                .0
                .iter()
                .filter(|(k, _)| k.as_str() != "date")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        link_with(&user.path, &p, "date", &d.to_string())
    };
    let feed_since = calendar::feed_created_at(st, &user.p)
        .await?
        .map(|t| human_date(st.clock.date_of(t)))
        .unwrap_or_default();
    Ok(SchedulePage {
        chrome: user.chrome(if office { "Calendar" } else { "My schedule" }),
        intro: if office {
            "Every placement's shifts, by week or month; filter by site, department or discipline."
                .into()
        } else {
            "Your shifts by week or month. Times are the hospital's local time.".into()
        },
        view,
        date: date.to_string(),
        heading,
        prev_href: at(prev),
        next_href: at(next),
        today_href: at(today),
        week_href: with("view", "week"),
        month_href: with("view", "month"),
        weekdays: WEEKDAYS.to_vec(),
        weeks,
        filters,
        table,
        feed_url,
        feed_since,
    })
}

use chrono::Datelike;

/// Makes a new calendar link (the old one stops working) and shows it once.
async fn new_feed(
    State(st): State<AppState>,
    user: PageUser,
    params: Params,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let url = calendar::new_feed_link(&st, &user.p).await?;
    let mut page = schedule_page(&st, &user, &params, url).await?;
    page.chrome.banner = "A new calendar link is made; the old one no longer works.".into();
    Ok(page.into_response())
}

/// `GET /calendar/{token}.ics`: no session; the token is the key.
async fn feed(State(st): State<AppState>, Path(file): Path<String>) -> PageResult {
    let Some(token) = file.strip_suffix(".ics") else {
        return Err(AppError::NotFound.into());
    };
    let body = calendar::feed(&st, token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}

/// Who is on site on a day: by site and department, marked when not cleared, the badge is
/// missing or the placement is at risk; printable, and CSV (`?format=csv`).
async fn on_site_page(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::OnSite, Action::Read)?;
    let date = date_param(&params, st.clock.today())?;
    let office = user.p.role.is_office();
    let filter = on_site::OnSiteFilter {
        site_id: params.id("site_id")?,
        department_id: params.id("department_id")?,
    };
    let rows = on_site::on_site(&st, &user.p, date, filter).await?;
    let mut table = Table::new(
        format!("On site on {}", human_date(date)),
        vec![
            "Student",
            "Site",
            "Department",
            "Hours",
            "Supervisor",
            "Clearance",
            "Badge",
            "Risks",
            "Attention",
        ],
        "Nobody has a shift on this day.",
    );
    for r in &rows {
        table.rows.push(vec![
            Cell::link(&r.student_name, format!("/placements/{}", r.placement_id)),
            Cell::text(&r.site_name),
            Cell::text(&r.department_name),
            Cell::text(format!("{}–{}", r.starts_at, r.ends_at)),
            Cell::text(r.supervisor_name.clone().unwrap_or_default()),
            if r.clearance == "cleared" {
                Cell::badge("cleared", "ok")
            } else {
                Cell::badge(format!("not cleared ({})", r.clearance), "bad")
            },
            if r.badge_in_order {
                Cell::badge("in order", "ok")
            } else {
                Cell::badge("missing", "bad")
            },
            if r.risks.is_empty() {
                Cell::text("none")
            } else {
                Cell::badge(format!("at risk: {}", r.risks.join(", ")), "bad")
            },
            if r.needs_attention() {
                Cell::badge("⚠ check before entry", "bad")
            } else {
                Cell::text("in order")
            },
        ]);
    }
    if wants_csv(&params) {
        return Ok(csv_response(&format!("on-site-{date}"), &table));
    }
    let mut filters = vec![Field::new("date", "Day", "date").value(date.to_string())];
    let mut tx = st.db.read().await?;
    if office {
        let sites = db::sites::all(&mut tx)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        filters.push(filter_select("site_id", "Site", sites, &params));
        filters.push(filter_select(
            "department_id",
            "Department",
            db::departments::all_names(&mut tx).await?,
            &params,
        ));
    }
    drop(tx);
    let attention = rows.iter().filter(|r| r.needs_attention()).count();
    let page = ListPage {
        chrome: user.chrome("Who is on site"),
        intro: format!(
            "Students with a shift on {}{}. {} {} attention (not cleared, badge missing or at risk): they are marked \u{201c}check before entry\u{201d}. Print this page for the front desk.",
            human_date(date),
            if office { "" } else { " in your department" },
            attention,
            if attention == 1 { "needs" } else { "need" }
        ),
        filters,
        table,
        actions: vec![],
        csv_href: link_with(&user.path, &params, "format", "csv"),
        next_href: String::new(),
    };
    Ok(page.into_response())
}
