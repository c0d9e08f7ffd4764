//! The day's work on each role's home (issue 15 point 5): the student's shift today and the
//! days still to log, the supervisor's students today and the entries waiting for them, the
//! department manager's students on site today. Each count is a link to the list it counts.
use super::*;
use crate::domain::hours::EntryStatus;
use crate::http::pages::view::{Cell, Table};
use crate::service::{schedules, time_entries};

/// A tile: (what it counts, the count, the list it links to).
pub(super) type Tile = (String, String, String);

/// How far back a student's shifts without hours are counted.
const LOG_WINDOW_DAYS: i64 = 30;

/// The tiles and today's shifts for `user`'s role (nothing for the office and schools).
pub(super) async fn today(
    st: &AppState,
    user: &PageUser,
) -> Result<(Vec<Tile>, Option<Section>), PageError> {
    let p = &user.p;
    if !matches!(
        p.role,
        Role::Student | Role::Preceptor | Role::Faculty | Role::DepartmentManager
    ) {
        return Ok((vec![], None));
    }
    let today = st.clock.today();
    let shifts = schedules::calendar(
        st,
        p,
        db::shifts::Filter {
            from: Some(today),
            to: Some(today),
            only_confirmed_placements: true,
            ..Default::default()
        },
    )
    .await?;
    let mut tiles = vec![];
    let mut students: Vec<&str> = shifts
        .iter()
        .filter_map(|s| s.student_id.as_deref())
        .collect();
    students.sort_unstable();
    students.dedup();
    match p.role {
        Role::Student => {
            let (count, label) = match shifts.first() {
                Some(s) => (
                    format!("{}–{}", s.starts_at, s.ends_at),
                    format!("today at {} — {}", s.site_name, s.department_name),
                ),
                None => ("none".to_string(), "shifts today".to_string()),
            };
            tiles.push((label, count, "/schedule".into()));
            let to_log = days_to_log(st, user, today).await?;
            tiles.push((
                format!("shift days in the last {LOG_WINDOW_DAYS} without hours logged"),
                to_log.to_string(),
                "/hours".into(),
            ));
            let waiting = entries(st, user, EntryStatus::Pending, false).await?;
            tiles.push((
                "days logged, waiting for approval".into(),
                waiting.to_string(),
                "/hours".into(),
            ));
            let returned = entries(st, user, EntryStatus::Returned, false).await?;
            if returned > 0 {
                tiles.push((
                    "days sent back to correct".into(),
                    returned.to_string(),
                    "/hours".into(),
                ));
            }
        }
        Role::Preceptor | Role::Faculty => {
            tiles.push((
                "students on shift with you today".into(),
                students.len().to_string(),
                "/schedule".into(),
            ));
            let waiting = entries(st, user, EntryStatus::Pending, true).await?;
            tiles.push((
                "hour entries waiting for you".into(),
                waiting.to_string(),
                "/hours".into(),
            ));
        }
        _ => {
            tiles.push((
                "students on site today".into(),
                students.len().to_string(),
                "/on-site".into(),
            ));
        }
    }
    let mut t = Table::new(
        "Today's shifts",
        vec!["Time", "Student", "Where", "Supervisor"],
        "No shift today.",
    );
    for s in &shifts {
        t.rows.push(vec![
            Cell::link(
                format!("{}–{}", s.starts_at, s.ends_at),
                format!("/placements/{}", s.placement_id),
            ),
            Cell::text(s.student_name.clone().unwrap_or_default()),
            Cell::text(format!("{} — {}", s.site_name, s.department_name)),
            Cell::text(s.supervisor_name.clone().unwrap_or_default()),
        ]);
    }
    let section = Section {
        title: "Today".into(),
        table: t,
        actions: vec![("/schedule".into(), "My schedule".into())],
    };
    Ok((tiles, Some(section)))
}

/// How many of the caller's entries are in `status` (a supervisor's: those they decide),
/// counted by the database, not by reading the list (issue 18 point 4).
async fn entries(
    st: &AppState,
    user: &PageUser,
    status: EntryStatus,
    to_decide: bool,
) -> Result<i64, PageError> {
    Ok(time_entries::count(st, &user.p, Some(status), to_decide).await?)
}

/// The student's past shift days (up to [`LOG_WINDOW_DAYS`] back, today included) with no
/// entry logged for them.
async fn days_to_log(
    st: &AppState,
    user: &PageUser,
    today: chrono::NaiveDate,
) -> Result<usize, PageError> {
    let from = today - chrono::Duration::days(LOG_WINDOW_DAYS);
    let shifts = schedules::calendar(
        st,
        &user.p,
        db::shifts::Filter {
            from: Some(from),
            to: Some(today),
            only_confirmed_placements: true,
            ..Default::default()
        },
    )
    .await?;
    // The days logged in the window only, not every entry the student ever logged.
    let logged: std::collections::HashSet<(String, chrono::NaiveDate)> =
        time_entries::days_logged(st, &user.p, from, today)
            .await?
            .into_iter()
            .collect();
    let mut days: Vec<(String, chrono::NaiveDate)> = shifts
        .into_iter()
        .filter(|s| s.placement_status == "active")
        .map(|s| (s.placement_id, s.date))
        .filter(|k| !logged.contains(k))
        .collect();
    days.dedup();
    Ok(days.len())
}
