use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}

pub fn not_found_page() -> axum::response::Response {
    crate::startup::status_page(
        axum::http::StatusCode::NOT_FOUND,
        "<!doctype html><title>Not found — Practicum</title><h1>Not found</h1>".into(),
    )
}
