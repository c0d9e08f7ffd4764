pub mod api;
pub mod auth;
pub mod body;
pub mod document_file;
pub mod error;
pub mod extract;
pub mod input;
pub mod middleware;
pub mod pages;
pub mod report_csv;
pub mod upload;

/// A JSON file to download (`Content-Disposition: attachment`).
pub fn download_json(name: &str, json: String) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        json,
    )
        .into_response()
}
