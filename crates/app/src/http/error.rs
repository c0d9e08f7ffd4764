//! The one place errors become HTTP: RFC 9457 problem documents with stable codes.
use crate::db::DbError;
use crate::domain::{FieldError, Problems};
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid input")]
    Invalid(Problems),
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict(Problems),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub errors: Vec<FieldError>,
}

impl ApiError {
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid(Problems(vec![FieldError::at(field, code, message)]))
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        ApiError::Conflict(Problems(vec![FieldError::new(code, None, message)]))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document; a 500 is logged here with a fresh request id, and only the id
    /// reaches the caller.
    pub fn problem(&self) -> Problem {
        let one = |code: &str, message: &str| vec![FieldError::new(code, None, message)];
        let (slug, title, detail, errors) = match self {
            ApiError::BadRequest(m) => (
                "bad-request",
                "Bad request",
                m.clone(),
                one("invalid_json", m),
            ),
            ApiError::Invalid(p) => (
                "validation",
                "Your request has problems",
                format!("{} problem(s) with the request; see errors.", p.0.len()),
                p.0.clone(),
            ),
            ApiError::Unauthenticated => (
                "unauthenticated",
                "Sign in first",
                "Send a valid session token (Authorization: Bearer ...).".into(),
                one("unauthenticated", "not signed in, or the session has ended"),
            ),
            ApiError::Forbidden => (
                "forbidden",
                "Not allowed",
                "Your role may not take this action.".into(),
                one("forbidden", "your role may not take this action"),
            ),
            ApiError::NotFound => (
                "not-found",
                "Not found",
                "There is no such record.".into(),
                one("not_found", "there is no such record"),
            ),
            ApiError::Conflict(p) => (
                "conflict",
                "Conflicts with the current state",
                p.0.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                p.0.clone(),
            ),
            ApiError::PayloadTooLarge => (
                "too-large",
                "Request too large",
                "The request body is larger than allowed.".into(),
                one("body_too_large", "the request body is larger than allowed"),
            ),
            ApiError::TooManyRequests { retry_after_secs } => (
                "too-many-requests",
                "Too many attempts",
                format!("Try again in {retry_after_secs} seconds."),
                one(
                    "too_many_attempts",
                    "too many failed attempts; wait and try again",
                ),
            ),
            ApiError::Internal(e) => {
                let request_id = uuid::Uuid::now_v7();
                tracing::error!(%request_id, error = ?e, "internal error");
                (
                    "internal",
                    "Something went wrong on our side",
                    format!("Quote request id {request_id} to your administrator."),
                    one("internal_error", &format!("request id {request_id}")),
                )
            }
        };
        Problem {
            kind: format!("/api/problems/{slug}"),
            title: title.into(),
            status: self.status().as_u16(),
            detail,
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let ApiError::TooManyRequests { retry_after_secs } = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        res
    }
}

impl From<Problems> for ApiError {
    fn from(p: Problems) -> Self {
        ApiError::Invalid(p)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unique(msg) => {
                let field = ["email", "name"].into_iter().find(|f| msg.contains(f));
                let message = match field {
                    Some(f) => format!("another record already has this {f}"),
                    None => "a record like this already exists".to_string(),
                };
                ApiError::Conflict(Problems(vec![FieldError::new("conflict", field, message)]))
            }
            DbError::ForeignKey(_) => ApiError::invalid(
                "id",
                "unknown_reference",
                "refers to a record that does not exist",
            ),
            DbError::Other(e) => ApiError::Internal(e.into()),
        }
    }
}
