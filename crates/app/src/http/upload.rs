//! Reading one file out of a multipart form, capped, with its other text fields.
use super::error::AppError;
use crate::domain::ErrorCode;
use crate::domain::Problems;
use axum::extract::{FromRequest, Multipart, Request};
use std::collections::HashMap;

pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads every part of a `multipart/form-data` request — called by the handler after it has
/// authorized the caller, so a role that may never upload gets 403 whatever it sent. The `file`
/// part is capped at `limit` bytes (422 `file_too_large`, nothing kept); text parts at 64 KiB.
pub async fn read(req: Request, limit: usize) -> Result<Upload, AppError> {
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|_| AppError::BadRequest("send multipart/form-data with a `file` part".into()))?;
    let mut fields = HashMap::new();
    let mut file = None;
    let bad = |_| AppError::BadRequest("the multipart body is malformed".into());
    while let Some(mut part) = mp.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or("").to_string();
        if name == "file" {
            let filename = part.file_name().unwrap_or("upload").to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = part.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > limit {
                    // Read the rest (up to a bound) and drop it, so the client, still
                    // sending, gets the answer instead of a broken connection.
                    let mut drained = bytes.len() + chunk.len();
                    while drained < drain_limit(limit) {
                        match part.chunk().await {
                            Ok(Some(c)) => drained += c.len(),
                            _ => break,
                        }
                    }
                    return Err(AppError::invalid(
                        "file",
                        ErrorCode::FileTooLarge,
                        format!("the file is larger than {}", size_words(limit)),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((filename, bytes));
        } else {
            let text = part.text().await.map_err(bad)?;
            if text.len() > 64 * 1024 {
                return Err(AppError::invalid(&name, ErrorCode::TooLong, "is too long"));
            }
            fields.insert(name, text);
        }
    }
    Ok(Upload { fields, file })
}

/// How much of a refused body is read and dropped before answering: a client that is still
/// sending when the answer comes sees a broken connection rather than the answer, so a
/// browser shows its own error page instead of the form with the reason. Past this bound the
/// connection is closed anyway (never more than 64 MiB read for nothing).
pub fn drain_limit(limit: usize) -> usize {
    limit.saturating_mul(4).clamp(1024 * 1024, 64 * 1024 * 1024)
}

/// The whole body, at most `cap` bytes; when it is longer, `Err` with its first `cap` bytes
/// (the rest read and dropped up to [`drain_limit`], see there).
pub async fn read_body_capped(
    body: axum::body::Body,
    cap: usize,
) -> Result<axum::body::Bytes, axum::body::Bytes> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(kept.into());
        };
        if let Ok(data) = frame.into_data() {
            if kept.len() < cap {
                let room = cap - kept.len();
                kept.extend_from_slice(&data[..data.len().min(room)]);
            }
            seen += data.len();
            if seen > drain_limit(cap) {
                return Err(kept.into());
            }
        }
    }
    if seen <= cap {
        Ok(kept.into())
    } else {
        Err(kept.into())
    }
}

/// The text fields sent before the file in a multipart body cut short (`prefix`, a refused
/// body's beginning): what the person typed, to show the form again with it.
pub async fn fields_before_file(
    headers: &axum::http::HeaderMap,
    prefix: axum::body::Bytes,
) -> HashMap<String, String> {
    // The fields come before the file and are small: their first 256 KiB is plenty, and stays
    // under the multipart reader's own default limit (2 MB).
    let prefix = prefix.slice(..prefix.len().min(256 * 1024));
    let mut req = Request::new(axum::body::Body::from(prefix));
    *req.headers_mut() = headers.clone();
    req.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    let mut fields = HashMap::new();
    let Ok(mut mp) = Multipart::from_request(req, &()).await else {
        return fields;
    };
    while let Ok(Some(part)) = mp.next_field().await {
        let name = part.name().unwrap_or("").to_string();
        if name == "file" {
            break;
        }
        match part.text().await {
            Ok(t) if t.len() <= 64 * 1024 => {
                fields.insert(name, t);
            }
            _ => break,
        }
    }
    fields
}

/// A size in the words people read on their own computers: "10 MB", "512 KB", "900 bytes"
/// (powers of 1,024, as file managers count).
pub fn size_words(bytes: usize) -> String {
    const K: usize = 1024;
    if bytes >= K * K && bytes.is_multiple_of(K * K) {
        format!("{} MB", bytes / (K * K))
    } else if bytes >= K * K {
        format!("{:.1} MB", bytes as f64 / (K * K) as f64)
    } else if bytes >= K {
        format!("{} KB", bytes / K)
    } else {
        format!("{bytes} bytes")
    }
}

/// Keeps only a safe display name: no path, no control characters, at most 200 characters.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    if clean.trim().is_empty() {
        "document".into()
    } else {
        clean
    }
}

pub fn require_file(upload: &Upload) -> Result<&(String, Vec<u8>), AppError> {
    match &upload.file {
        Some(f) if !f.1.is_empty() => Ok(f),
        _ => {
            let mut p = Problems::default();
            p.add("file", ErrorCode::FileRequired, "choose a file to upload");
            Err(AppError::Rejected(p))
        }
    }
}

/// A stored PDF as a download, under its (cleaned) file name.
pub fn pdf_download(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(|c: char| !c.is_ascii() || c == '"', "_")
    );
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}
