//! Server-rendered pages. Every form works without JavaScript; every POST carries the
//! session's CSRF token and passes an Origin check; every list exports CSV.
use crate::state::AppState;
use axum::{
    Router,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};

mod extract;
mod frame;
pub use extract::*;
pub use frame::*;

pub mod attestations;
pub mod capacity;
pub mod chart;
pub mod directory;
pub mod evaluations;
pub mod form_flow;
pub mod hours;
pub mod imports;
pub mod letters;
pub mod mfa;
pub mod notifications;
pub mod offboarding;
pub mod onboarding;
pub mod overdue_evaluations;
pub mod people;
pub mod placement_filters;
pub mod placements;
pub mod planning;
pub mod projects;
pub mod public;
pub mod reports;
pub mod requests;
pub mod requirements;
pub mod schedule;
pub mod schools;
pub mod session;
pub mod settings;
pub mod shifts;
pub mod sso;
pub mod view;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .merge(session::router())
        .merge(directory::router())
        .merge(schools::router())
        .merge(people::router())
        .merge(requests::router())
        .merge(placements::router())
        .merge(schedule::router())
        .merge(shifts::router())
        .merge(hours::router())
        .merge(projects::router())
        .merge(offboarding::router())
        .merge(evaluations::router())
        .merge(overdue_evaluations::router())
        .merge(capacity::router())
        .merge(reports::router())
        .merge(planning::router())
        .merge(requirements::router())
        .merge(attestations::router())
        .merge(imports::router())
        .merge(public::router())
        .merge(onboarding::router())
        .merge(notifications::router())
        .merge(mfa::router())
        .merge(sso::router())
        .merge(settings::router())
        .merge(letters::router())
}

async fn css() -> Response {
    static_asset(
        "text/css; charset=utf-8",
        include_str!("../../../static/app.css"),
    )
}

async fn js() -> Response {
    static_asset(
        "text/javascript; charset=utf-8",
        include_str!("../../../static/app.js"),
    )
}

fn static_asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// The discipline catalog as select or checkbox options.
pub async fn discipline_options(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(crate::db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect())
}
