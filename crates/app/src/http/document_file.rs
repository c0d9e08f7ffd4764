//! A stored document's file as an HTTP answer, for the API and the review page alike.
use crate::error::AppResult;
use crate::service::{Principal, onboarding::documents};
use crate::state::AppState;
use axum::{
    http::header,
    response::{IntoResponse, Response},
};

/// The stored file: an attachment, or `inline` for the review page's preview — then framed
/// by our own pages only and allowed to run nothing.
pub async fn file_response(
    st: &AppState,
    p: &Principal,
    id: &str,
    inline: bool,
) -> AppResult<Response> {
    let (d, bytes) = documents::document_file(st, p, id).await?;
    let name = d
        .file_name
        .clone()
        .unwrap_or_else(|| "document".into())
        .replace(|c: char| !c.is_ascii() || c == '"', "_");
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                d.file_mime
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "{}; filename=\"{name}\"",
                    if inline { "inline" } else { "attachment" }
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response();
    if inline {
        // The security middleware keeps these instead of its page defaults.
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
            ),
        );
        h.insert(
            header::X_FRAME_OPTIONS,
            header::HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    Ok(res)
}
