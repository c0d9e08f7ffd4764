//! Capacity at a glance: a department's week-by-week seats and preceptor loads, and where a
//! term's demand exceeds supply across the sites.
use super::view::{Cell, Field, Table, human_date};
use super::{ListPage, PageError, PageId, PageResult, PageUser, filter_select, list_response};
use crate::db::{self, Scope};
use crate::domain::ErrorCode;
use crate::domain::{
    capacity::daily_load,
    period::Period,
    policy::{Action, Resource},
};
use crate::http::{auth::ensure, error::AppError, extract::Params};
use crate::state::AppState;
use axum::{Router, extract::State, routing::get};
use chrono::{Datelike, NaiveDate};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capacity", get(term))
        .route("/departments/{id}/capacity", get(department))
}

pub const WEEK_LABELS: [&str; 52] = [
    "Week 1", "Week 2", "Week 3", "Week 4", "Week 5", "Week 6", "Week 7", "Week 8", "Week 9",
    "Week 10", "Week 11", "Week 12", "Week 13", "Week 14", "Week 15", "Week 16", "Week 17",
    "Week 18", "Week 19", "Week 20", "Week 21", "Week 22", "Week 23", "Week 24", "Week 25",
    "Week 26", "Week 27", "Week 28", "Week 29", "Week 30", "Week 31", "Week 32", "Week 33",
    "Week 34", "Week 35", "Week 36", "Week 37", "Week 38", "Week 39", "Week 40", "Week 41",
    "Week 42", "Week 43", "Week 44", "Week 45", "Week 46", "Week 47", "Week 48", "Week 49",
    "Week 50", "Week 51", "Week 52",
];

/// The Monday on or before `d`: weeks start on Monday.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64)
}

fn date_param(params: &Params, key: &str) -> Result<Option<NaiveDate>, PageError> {
    match params.get(key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            AppError::invalid(key, ErrorCode::InvalidDate, "must be a date (YYYY-MM-DD)").into()
        }),
    }
}

/// The most students at once on any day of each week.
fn weekly_peaks(held: &[Period], first_monday: NaiveDate, weeks: i64) -> Vec<i64> {
    let daily = daily_load(held, first_monday, weeks * 7);
    daily
        .chunks(7)
        .map(|w| w.iter().copied().max().unwrap_or(0))
        .collect()
}

fn load_cell(used: i64, cap: i64) -> Cell {
    let text = format!("{used}/{cap}");
    match used {
        u if u >= cap && cap > 0 => Cell::badge(format!("{text} full"), "bad"),
        u if u > 0 => Cell::badge(text, "warn"),
        _ => Cell::badge(text, "ok"),
    }
}

async fn department(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    let scope = user.p.authorize(Resource::Department, Action::Read)?;
    let from = monday_of(date_param(&params, "from")?.unwrap_or_else(|| st.clock.today()));
    let weeks = params
        .get("weeks")
        .and_then(|w| w.parse::<i64>().ok())
        .filter(|w| (1..=52).contains(w))
        .unwrap_or(12);
    let to = from + chrono::Duration::days(weeks * 7 - 1);
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.is_all() || scope.department() == Some(d.id.as_str()))?;
    let held: Vec<Period> = db::placements::held_in_department(&mut tx, &id, from, to)
        .await?
        .into_iter()
        .filter_map(|(a, b)| Period::new(a, b))
        .collect();
    let staff = db::staff::list(
        &mut tx,
        &Scope::All,
        &db::staff::Filter {
            department_id: Some(id.clone()),
            is_preceptor: Some(true),
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
    let mut rows = vec![];
    let peaks = weekly_peaks(&held, from, weeks);
    let mut dept_row = vec![Cell::text("Seats (students at once)")];
    dept_row.extend(peaks.iter().map(|u| load_cell(*u, d.capacity)));
    rows.push(dept_row);
    for s in &staff {
        let held: Vec<Period> = db::placements::held_by_preceptor(&mut tx, &s.id, from, to)
            .await?
            .into_iter()
            .filter_map(|(a, b)| Period::new(a, b))
            .collect();
        let leave: Vec<Period> = s
            .leave
            .iter()
            .filter_map(|l| Period::new(l.starts_on, l.ends_on))
            .collect();
        let mut row = vec![Cell::text(format!("{} (preceptor)", s.name))];
        for (w, used) in weekly_peaks(&held, from, weeks).into_iter().enumerate() {
            let week = Period::new(
                from + chrono::Duration::weeks(w as i64),
                from + chrono::Duration::days(w as i64 * 7 + 6),
            );
            let on_leave = week.is_some_and(|wk| leave.iter().any(|l| l.overlaps(&wk)));
            row.push(if on_leave {
                Cell::badge("leave", "info")
            } else {
                load_cell(used, s.max_students)
            });
        }
        rows.push(row);
    }
    drop(tx);
    let mut table = Table::new(format!("{} — week by week", d.name), vec!["Load"], "");
    table
        .headers
        .extend(WEEK_LABELS.iter().take(weeks as usize).copied());
    // The weeks' dates travel in the first row: header labels are static words.
    let mut week_row = vec![Cell::text("Week of")];
    week_row.extend((0..weeks).map(|w| Cell::date(Some(from + chrono::Duration::weeks(w)))));
    table.rows.push(week_row);
    table.rows.extend(rows);
    let page = ListPage {
        chrome: user.chrome(format!("Capacity — {}", d.name)),
        intro: format!(
            "Students at once, at the busiest day of each week, from {}. Every placement not cancelled or completed holds its seat, proposed ones included.",
            human_date(from)
        ),
        filters: vec![
            Field::new("from", "From", "date").value(from.to_string()),
            Field::new("weeks", "Weeks", "number").value(weeks.to_string()),
        ],
        table,
        actions: vec![(format!("/departments/{id}"), "The department".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(&user, &params, page, None, "capacity"))
}

/// Seat-weeks a period covers within the term.
fn seat_weeks(p: Period, term: Period) -> f64 {
    let a = p.starts_on.max(term.starts_on);
    let b = p.ends_on.min(term.ends_on);
    if b < a {
        0.0
    } else {
        ((b - a).num_days() + 1) as f64 / 7.0
    }
}

async fn term(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Department, Action::Read)?;
    if !scope.is_all() {
        return Err(AppError::Forbidden.into());
    }
    let today = st.clock.today();
    let from = date_param(&params, "from")?.unwrap_or(today);
    let to = date_param(&params, "to")?.unwrap_or(from + chrono::Duration::weeks(16));
    let term = Period::new(from, to).ok_or_else(|| {
        AppError::invalid(
            "to",
            ErrorCode::InvalidPeriod,
            "the term ends before it starts",
        )
    })?;
    let site_id = params.id("site_id")?;
    let mut tx = st.db.read().await?;
    let sites = db::sites::all(&mut tx).await?;
    let depts = db::departments::list(
        &mut tx,
        &Scope::All,
        &db::departments::Filter {
            site_id: site_id.clone(),
            ..Default::default()
        },
        &db::Page {
            limit: 5000,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    let open = db::requests::list(
        &mut tx,
        &Scope::All,
        &db::requests::Filter {
            open: true,
            from: Some(from),
            to: Some(to),
            ..Default::default()
        },
        &db::Page {
            limit: 100_000,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    let mut lines = vec![];
    for d in &depts {
        let held: f64 = db::placements::held_in_department(&mut tx, &d.id, from, to)
            .await?
            .into_iter()
            .filter_map(|(a, b)| Period::new(a, b))
            .map(|p| seat_weeks(p, term))
            .sum();
        let asked: f64 = open
            .iter()
            .filter(|r| {
                r.preferences
                    .iter()
                    .any(|p| p.department_id.as_deref() == Some(d.id.as_str()))
            })
            .filter_map(|r| {
                Period::new(r.starts_on, r.ends_on).map(|p| seat_weeks(p, term) * r.places() as f64)
            })
            .sum();
        // An empty f64 sum is -0.0; adding 0.0 keeps "-0.0" off the page.
        let (held, asked) = (held + 0.0, asked + 0.0);
        let supply = d.capacity as f64 * term.days() as f64 / 7.0;
        lines.push((d, supply, held, asked));
    }
    drop(tx);
    lines.sort_by(|a, b| {
        let ratio = |l: &(&db::departments::Department, f64, f64, f64)| (l.2 + l.3) / l.1.max(0.1);
        ratio(b)
            .partial_cmp(&ratio(a))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut table = Table::new(
        "Seat-weeks in the term: supply, already held, and asked for by open requests",
        vec![
            "Department",
            "Site",
            "Supply",
            "Held",
            "Asked",
            "Demand vs supply",
        ],
        "No departments.",
    );
    for (d, supply, held, asked) in lines {
        let site = sites
            .iter()
            .find(|s| s.id == d.site_id)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let ratio = (held + asked) / supply.max(0.1);
        let verdict = if ratio > 1.0 {
            Cell {
                csv: format!("{ratio:.2}"),
                ..Cell::badge(format!("over-asked {:.0}%", ratio * 100.0), "bad")
            }
        } else {
            Cell {
                csv: format!("{ratio:.2}"),
                ..Cell::badge(
                    format!("{:.0}% used", ratio * 100.0),
                    if ratio > 0.8 { "warn" } else { "ok" },
                )
            }
        };
        table.rows.push(vec![
            Cell::link(
                &d.name,
                format!("/departments/{}/capacity?from={from}", d.id),
            ),
            Cell::text(site),
            Cell::text(format!("{supply:.1}")),
            Cell::text(format!("{held:.1}")),
            Cell::text(format!("{asked:.1}")),
            verdict,
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Capacity for a term"),
        intro: format!(
            "From {} to {}: where open requests ask for more than the departments can give. A seat-week is one student for one week.",
            human_date(from),
            human_date(to)
        ),
        filters: vec![
            Field::new("from", "Term starts", "date").value(from.to_string()),
            Field::new("to", "Term ends", "date").value(to.to_string()),
            filter_select(
                "site_id",
                "Site",
                sites
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect(),
                &params,
            ),
        ],
        table,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(&user, &params, page, None, "capacity"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(monday_of(d("2027-01-04")), d("2027-01-04"));
        assert_eq!(monday_of(d("2027-01-10")), d("2027-01-04"));
    }

    #[test]
    fn peaks_per_week() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let held = [
            Period::new(d("2027-01-06"), d("2027-01-12")).unwrap(),
            Period::new(d("2027-01-07"), d("2027-01-07")).unwrap(),
        ];
        assert_eq!(weekly_peaks(&held, d("2027-01-04"), 3), vec![2, 1, 0]);
    }
}
