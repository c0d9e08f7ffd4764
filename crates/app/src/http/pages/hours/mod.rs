//! Attendance and hours pages (issue 15 point 4): a placement's hours (totals with a progress
//! bar, the entries, the student's "Log hours" form, the supervisor's approve and return), and
//! "Hours" / "Hours to approve" across placements for every role. Same services as the API.
//! Here: the routes and what the parts share; the template and its rows are in `page`, one
//! placement's hours in `placement`, the hours across placements and the decisions in
//! `overview`, the form to change an entry in `edit`.
use super::view::{Cell, Field, Table, human_date, word_options};
use super::{
    Chrome, Form, FormPage, PageError, PageId, PageResult, PageUser, Summary, form_failed, see,
    wants_csv,
};
use crate::db::{self, Scope, placements::PlacementRow, time_entries::TimeEntryRow};
use crate::domain::{
    Role,
    hours::{self, EntryStatus},
    policy::{Action, Resource},
};
use crate::error::AppError;
use crate::http::{extract::Params, input};
use crate::service::time_entries::{self as service, PlacementHours};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};

mod edit;
mod overview;
mod page;
mod placement;
use edit::{edit, edit_form};
use overview::{decide, overview};
use page::entry_view;
pub use page::{DecideForm, EntryView, HoursPage, LogForm, TotalsView, entries_table};
use placement::{delete_entry, log, placement_hours};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hours", get(overview))
        .route("/hours/decide", post(decide))
        .route("/placements/{id}/hours", get(placement_hours).post(log))
        .route(
            "/placements/{id}/hours/{entry_id}/delete",
            post(delete_entry),
        )
        .route(
            "/placements/{id}/hours/{entry_id}/edit",
            get(edit_form).post(edit),
        )
}

fn log_fields(today: chrono::NaiveDate) -> Vec<Field> {
    vec![
        Field::new("date", "Day", "date")
            .required()
            .value(today.to_string()),
        Field::new("kind", "What", "select")
            .required()
            .options(word_options(&[
                ("worked", "Worked"),
                ("absence", "Absence"),
            ]))
            .value("worked"),
        Field::new("hours", "Hours", "text")
            .hint("For example 7.5; or leave empty and give the clock-in and clock-out times"),
        Field::new("clock_in", "Clock in", "time"),
        Field::new("clock_out", "Clock out", "time"),
        Field::new("activity", "Activity", "text").hint("What you did (for a worked day)"),
        Field::new("notes", "Notes", "textarea"),
        Field::new("absence_reason", "Reason for the absence", "text").hint("For an absence only"),
        Field::new("make_up_on", "Make-up day", "date").hint(format!(
            "For an absence: the day you will make it up (up to {} days after the placement ends)",
            hours::MAKE_UP_DAYS
        )),
    ]
}

/// The two ids of an entry's page; anything else is a 404.
fn entry_ids(id: &str, entry_id: &str) -> Result<(String, String), PageError> {
    match (
        crate::http::extract::parse_id(id),
        crate::http::extract::parse_id(entry_id),
    ) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(AppError::NotFound.into()),
    }
}
