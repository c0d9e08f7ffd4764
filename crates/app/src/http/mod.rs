pub mod api;
pub mod auth;
pub mod body;
pub mod document_file;
pub mod error;
pub mod extract;
pub mod health;
pub mod idempotency;
pub mod input;
pub mod middleware;
pub mod pages;
pub mod report_csv;
pub mod report_files;
pub mod sign_in;
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

/// The UTF-8 byte-order mark. Excel on Windows reads a CSV without it in the system's code
/// page, so "José" shows as "JosÃ©".
pub const UTF8_BOM: &str = "\u{FEFF}";

/// A CSV file to download (`Content-Disposition: attachment`): the one place every CSV the
/// product serves, pages and API alike, goes out, so each starts with the byte-order mark.
/// `csv` is the table itself (formula-looking cells already defused by `Table::csv`).
pub fn download_csv(name: &str, csv: String) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        format!("{UTF8_BOM}{csv}"),
    )
        .into_response()
}
