//! Private calendar feeds (issue 15 point 2): each signed-in person's placements and shifts as
//! an iCalendar file (RFC 5545, written with the `icalendar` crate) at a secret URL,
//! `/calendar/{token}.ics`, that needs no session. Only the token's SHA-256 is stored; a new
//! link replaces the old one, which then answers 404.
//!
//! - UIDs are stable: `shift-<id>@<host>` and `placement-<id>@<host>`, the host taken from the
//!   public base URL setting, so a moved shift moves in the subscriber's calendar.
//! - A cancelled shift is left out of the feed, so it disappears on the next refresh.
//! - Times: a shift's HH:MM are the office's time zone (the `time_zone` setting, UTC by
//!   default); the feed writes them in UTC (`...Z`), which every client reads without a
//!   VTIMEZONE block, and names the zone in `X-WR-TIMEZONE` for display. Placements are
//!   all-day events (DATE values), from the first day to the day after the last.
//! - What is in it: the placements and shifts the person's scope sees (a student's own, a
//!   supervisor's students', a department manager's department, a school's students), shifts
//!   from 90 days ago to 400 days ahead. The office (whose scope is every placement) gets the
//!   placements only, not every shift of the hospital.
use super::Principal;
use crate::db::{self, Scope};
use crate::domain::{
    Role,
    policy::{Action, Resource},
    schedule::ShiftTimes,
};
use crate::error::{AppError, AppResult};
use crate::password::{hash_token, random_token};
use crate::state::AppState;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

/// Makes the caller a new feed link, ending the one before; answers its URL (shown once: only
/// its hash is kept).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn new_feed_link(st: &AppState, p: &Principal) -> AppResult<String> {
    let token = random_token()?;
    // A calendar feed is none of a placement's facts (migration 0039).
    let mut tx = st.db.write_leaving_placements().await?;
    let now = st.clock.now();
    let had = db::calendar_feeds::created_at(&mut tx, &p.user_id).await?;
    db::calendar_feeds::replace(&mut tx, &p.user_id, &hash_token(&token), now).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        if had.is_some() {
            "calendar_feed:renew"
        } else {
            "calendar_feed:create"
        },
        "user",
        &p.user_id,
        had.map(|at| serde_json::json!({ "feed_created_at": at }))
            .as_ref(),
        Some(&serde_json::json!({ "feed_created_at": now })),
    )
    .await?;
    let base = db::settings::get(&mut tx).await?.public_base_url;
    tx.commit().await?;
    Ok(format!("{base}/calendar/{token}.ics"))
}

/// When the caller's current feed link was made, if they have one.
pub async fn feed_created_at(st: &AppState, p: &Principal) -> AppResult<Option<DateTime<Utc>>> {
    let mut tx = st.db.read().await?;
    Ok(db::calendar_feeds::created_at(&mut tx, &p.user_id).await?)
}

/// The host part of the public base URL, for UIDs.
fn host_of(base: &str) -> String {
    let rest = base.split_once("://").map(|x| x.1).unwrap_or(base);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    if host.is_empty() {
        "practicum.invalid".into()
    } else {
        host.to_string()
    }
}

/// A local date-time in the office's zone, in UTC (the later of two at a clock change, the
/// hour after a gap).
fn utc_of(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The feed behind a token: 404 for a token that is not current (renewed, never made) or
/// whose owner is disabled.
#[tracing::instrument(skip_all)]
pub async fn feed(st: &AppState, token: &str) -> AppResult<String> {
    let mut tx = st.db.read().await?;
    let owner = db::calendar_feeds::owner(&mut tx, &hash_token(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let role = Role::parse(&owner.role)
        .ok_or_else(|| anyhow::anyhow!("unknown role {:?} in the users table", owner.role))?;
    let who = Principal {
        user_id: owner.user_id,
        email: owner.email,
        name: owner.name,
        role,
        school_id: owner.school_id,
        staff_id: owner.staff_id,
        student_id: owner.student_id,
        department_id: owner.department_id,
        csrf_token: String::new(),
        token_hash: String::new(),
        ip: None,
        mfa_enrolment_due: false,
    };
    let scope = who.authorize(Resource::Schedule, Action::Read)?;
    let settings = db::settings::get(&mut tx).await?;
    let host = host_of(&settings.public_base_url);
    let zone = st.clock.time_zone();
    let today = st.clock.today();
    let from = today - Duration::days(90);
    let to = today + Duration::days(400);

    let mut cal = Calendar::new();
    cal.name(&format!("{} — {}", settings.organisation_name, who.name));
    cal.append_property(("X-WR-TIMEZONE", zone.name()));

    // Placements, as all-day events.
    let filter = db::placements::Filter {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    let page = db::Page {
        limit: 10_000,
        after: None,
        sort: None,
    };
    let placements = db::placements::list(&mut tx, &scope, &filter, &page).await?;
    for p in placements.items.iter().filter(|p| p.status != "cancelled") {
        let dept = db::departments::get(&mut tx, &p.department_id).await?;
        let site = match &dept {
            Some(d) => db::sites::get(&mut tx, &d.site_id).await?.map(|s| s.name),
            None => None,
        };
        let dept_name = dept.map(|d| d.name).unwrap_or_default();
        let student = match &p.student_id {
            Some(s) if !matches!(scope, Scope::Student(_)) => {
                db::students::get(&mut tx, s).await?.map(|s| s.full_name())
            }
            _ => None,
        };
        let summary = match student {
            Some(name) => format!("Placement: {name}, {dept_name}"),
            None => format!("Placement: {dept_name}"),
        };
        let location = [Some(dept_name.clone()), site]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        cal.push(
            Event::new()
                .uid(&format!("placement-{}@{host}", p.id))
                .summary(&summary)
                .location(&location)
                .starts(p.starts_on)
                .ends(p.ends_on + Duration::days(1))
                .status(EventStatus::Confirmed)
                .done(),
        );
    }

    // Shifts, but for the office, whose scope is every shift of the hospital.
    if !scope.is_all() {
        let shifts = db::shifts::list(
            &mut tx,
            &scope,
            &db::shifts::Filter {
                from: Some(from),
                to: Some(to),
                ..Default::default()
            },
        )
        .await?;
        for s in shifts {
            let Ok(times) = ShiftTimes::parse(&s.starts_at, &s.ends_at) else {
                continue;
            };
            let (start, end) = times.on(s.date);
            let summary = match (&scope, &s.student_name) {
                (Scope::Student(_), _) | (_, None) => {
                    format!("Shift: {}", s.department_name)
                }
                (_, Some(name)) => format!("Shift: {name}, {}", s.department_name),
            };
            let mut description = String::new();
            if let Some(sup) = &s.supervisor_name {
                description.push_str(&format!("Supervisor: {sup}"));
                if let Some(e) = &s.supervisor_email {
                    description.push_str(&format!(" <{e}>"));
                }
                description.push('\n');
            }
            if s.kind == "make_up" {
                description.push_str("Make-up day\n");
            }
            cal.push(
                Event::new()
                    .uid(&format!("shift-{}@{host}", s.id))
                    .summary(&summary)
                    .location(&format!("{}, {}", s.department_name, s.site_name))
                    .description(description.trim_end())
                    .starts(utc_of(zone, start))
                    .ends(utc_of(zone, end))
                    .last_modified(s.updated_at)
                    .status(EventStatus::Confirmed)
                    .done(),
            );
        }
    }
    Ok(cal.done().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_take_the_public_host() {
        assert_eq!(
            host_of("https://practicum.example.org"),
            "practicum.example.org"
        );
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1");
        assert_eq!(host_of(""), "practicum.invalid");
    }

    #[test]
    fn local_times_become_utc_in_the_office_zone() {
        let boston: Tz = "America/New_York".parse().expect("zone");
        let local = chrono::NaiveDate::from_ymd_opt(2027, 2, 1)
            .and_then(|d| d.and_hms_opt(7, 0, 0))
            .expect("time");
        assert_eq!(
            utc_of(boston, local).to_rfc3339(),
            "2027-02-01T12:00:00+00:00"
        );
        assert_eq!(
            utc_of(Tz::UTC, local).to_rfc3339(),
            "2027-02-01T07:00:00+00:00"
        );
        // 02:30 on the spring-forward night does not exist: the hour after.
        let gap = chrono::NaiveDate::from_ymd_opt(2027, 3, 14)
            .and_then(|d| d.and_hms_opt(2, 30, 0))
            .expect("time");
        assert_eq!(
            utc_of(boston, gap).to_rfc3339(),
            "2027-03-14T07:30:00+00:00"
        );
    }
}
