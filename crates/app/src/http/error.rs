//! The one place errors become HTTP: RFC 9457 problem documents with stable codes. The code's
//! status comes from `ErrorCode::status` (`domain/error_code.rs`); nothing here decides one.
use crate::domain::{self, ErrorCode};
pub use crate::error::{AppError, AppResult};
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub errors: Vec<FieldError>,
}

/// One failed rule: a stable `code` (API.md), the field it concerns, and words for people.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldError {
    #[schema(value_type = String)]
    pub code: ErrorCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    /// An imported file's line (1 is the header row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// An imported file's column, by its header as the file wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl From<domain::FieldError> for FieldError {
    fn from(e: domain::FieldError) -> Self {
        FieldError {
            code: e.code,
            field: e.field,
            message: e.message,
            line: e.line,
            column: e.column,
        }
    }
}

impl AppError {
    pub fn http_status(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The problem document; a 500 is logged here with the request's id (its span's, from
    /// `middleware::request_id`), and only the id reaches the caller.
    pub fn problem(&self) -> Problem {
        let one =
            |code: ErrorCode, message: &str| vec![domain::FieldError::new(code, None, message)];
        let (slug, title, detail, errors) = match self {
            AppError::BadRequest(m) => (
                "/api/problems/bad-request",
                "Bad request",
                m.clone(),
                self.errors(),
            ),
            AppError::Refused(p) => (
                "/api/problems/conflict",
                "Conflicts with the current state",
                p.0.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                p.0.clone(),
            ),
            AppError::Rejected(p) if p.status() == 409 => (
                "/api/problems/conflict",
                "Conflicts with the current state",
                p.0.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                p.0.clone(),
            ),
            AppError::Rejected(p) if p.status() == 403 => (
                "/api/problems/forbidden",
                "Not allowed",
                p.0.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                p.0.clone(),
            ),
            AppError::Rejected(p) => (
                "/api/problems/validation",
                "Your request has problems",
                format!("{} problem(s) with the request; see errors.", p.0.len()),
                p.0.clone(),
            ),
            AppError::Unauthenticated => (
                "/api/problems/unauthenticated",
                "Sign in first",
                "Send a valid session token (Authorization: Bearer ...).".into(),
                self.errors(),
            ),
            AppError::Forbidden => (
                "/api/problems/forbidden",
                "Not allowed",
                "Your role may not take this action.".into(),
                self.errors(),
            ),
            AppError::Unconfirmed(_) => (
                "/api/problems/conflict",
                "Conflicts with the current state",
                "The change puts open placements at risk; confirm it to keep it.".into(),
                self.errors(),
            ),
            AppError::NotFound => (
                "/api/problems/not-found",
                "Not found",
                "There is no such record.".into(),
                self.errors(),
            ),
            AppError::FileMissing => (
                "/api/problems/file-missing",
                "The file is missing",
                "The record exists but its stored file is missing from the server.".into(),
                self.errors(),
            ),
            AppError::PayloadTooLarge => (
                "/api/problems/too-large",
                "Request too large",
                "The request body is larger than allowed.".into(),
                self.errors(),
            ),
            AppError::TooManyRequests { retry_after_secs } => (
                "/api/problems/too-many-requests",
                "Too many attempts",
                format!("Try again in {retry_after_secs} seconds."),
                self.errors(),
            ),
            AppError::Busy { retry_after_secs } => (
                "/api/problems/server-busy",
                "Server busy",
                format!("Nothing was done. Try again in {retry_after_secs} seconds."),
                self.errors(),
            ),
            AppError::Internal(e) => {
                let request_id = super::middleware::current_request_id()
                    .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
                tracing::error!(%request_id, error = ?e, "internal error");
                (
                    "/api/problems/internal",
                    "Something went wrong on our side",
                    format!("Quote request id {request_id} to your administrator."),
                    one(
                        ErrorCode::InternalError,
                        &format!("request id {request_id}"),
                    ),
                )
            }
        };
        Problem {
            kind: slug.to_string(),
            title: title.into(),
            status: self.status(),
            detail,
            errors: errors.into_iter().map(FieldError::from).collect(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.http_status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let AppError::TooManyRequests { retry_after_secs }
        | AppError::Busy { retry_after_secs } = self
        {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_500_quotes_the_request_id_and_hides_the_cause() {
        let id = "0193a4c2-0000-7000-8000-000000000001".to_string();
        let problem = super::super::middleware::with_request_id(id.clone(), async {
            AppError::Internal(anyhow::anyhow!("disk full at /var/secret")).problem()
        })
        .await;
        assert_eq!(problem.status, 500);
        assert!(problem.detail.contains(&id), "{}", problem.detail);
        let text = serde_json::to_string(&problem).unwrap_or_default();
        assert!(!text.contains("disk full"), "{text}");
        assert_eq!(problem.errors[0].code, ErrorCode::InternalError);
    }

    #[test]
    fn every_problem_type_is_a_path_under_api_problems() {
        let errors = [
            AppError::BadRequest("x".into()),
            AppError::Rejected(crate::domain::Problems::default()),
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::PayloadTooLarge,
            AppError::TooManyRequests {
                retry_after_secs: 1,
            },
            AppError::Busy {
                retry_after_secs: 1,
            },
            AppError::conflict(ErrorCode::InvalidTransition, "no"),
        ];
        for e in errors {
            let kind = e.problem().kind;
            assert!(kind.starts_with("/api/problems/"), "{kind}");
        }
        assert_eq!(
            AppError::BadRequest("x".into()).problem().kind,
            "/api/problems/bad-request"
        );
    }

    #[test]
    fn the_status_follows_the_codes() {
        assert_eq!(AppError::NotFound.problem().status, 404);
        assert_eq!(
            AppError::conflict(ErrorCode::InvalidTransition, "no")
                .problem()
                .status,
            409
        );
        assert_eq!(
            AppError::invalid("name", ErrorCode::Required, "no")
                .problem()
                .status,
            422
        );
    }
}
