//! Sites, departments, and every record's history.
use super::PageError;
use super::view::word_options;
use crate::db;
use crate::domain::directory::Setting;
use crate::state::AppState;
use axum::{Router, routing::get};

mod departments;
mod history;
mod sites;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sites", get(sites::list).post(sites::create))
        .route("/sites/new", get(sites::new))
        .route("/sites/{id}", get(sites::show).post(sites::update))
        .route("/sites/{id}/edit", get(sites::edit))
        .route(
            "/departments",
            get(departments::list).post(departments::create),
        )
        .route("/departments/new", get(departments::new))
        .route(
            "/departments/{id}",
            get(departments::show).post(departments::update),
        )
        .route("/departments/{id}/edit", get(departments::edit))
        .route("/history/{kind}/{id}", get(history::history))
}

fn settings() -> Vec<(String, String)> {
    word_options(
        &Setting::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    )
}

async fn site_options(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(db::sites::all(&mut tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect())
}
