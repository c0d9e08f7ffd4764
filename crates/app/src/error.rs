//! The one error type of the use cases (`service/`) and the edges that parse into them. It says
//! what went wrong in domain words; `http/error.rs` turns it into an RFC 9457 problem, in one
//! place, with the HTTP status each [`ErrorCode`] carries.
use crate::db::DbError;
use crate::domain::{ErrorCode, FieldError, Problems};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not what any endpoint takes (not JSON, not an object): 400 `invalid_json`.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Every failed field and rule at once. The HTTP status follows from the codes
    /// ([`Problems::status`]): 409 when every one is a clash with the current state, else 422.
    #[error("rejected")]
    Rejected(Problems),
    /// A move the record's current facts forbid (a placement whose eligibility no longer
    /// holds, a student placed elsewhere on the same days): 409 with every failed code, even
    /// the codes that answer 422 when the input breaks them.
    #[error("refused by the current state")]
    Refused(Problems),
    #[error("not signed in")]
    Unauthenticated,
    /// The role may never take this action (DOMAIN.md policy): 403.
    #[error("not allowed for this role")]
    Forbidden,
    /// No such record, or one outside the caller's scope: 404.
    #[error("not found")]
    NotFound,
    /// The record is there but its stored file is not (the data directory lost it): 404
    /// `file_missing`, and the office home lists it as damaged.
    #[error("the stored file is missing")]
    FileMissing,
    #[error("payload too large")]
    PayloadTooLarge,
    /// An edit page's change that would put these open placements at risk, not kept until
    /// the person confirms it ([`crate::service::Parsed::preview_risks`]); 409 if it ever
    /// reached the API.
    #[error("unconfirmed: the change puts placements at risk")]
    Unconfirmed(Vec<crate::domain::risk::RiskPreview>),
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    /// The server is at its limit (requests in flight, password hashes running, or no
    /// writer's turn within `db::WRITER_WAIT`): 503 `server_busy` with `Retry-After`; nothing
    /// was done.
    #[error("server busy")]
    Busy { retry_after_secs: u64 },
    /// A fault of ours; its cause is logged with the request's id and never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// One failed rule about one field.
    pub fn invalid(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Rejected(Problems(vec![FieldError::at(field, code, message)]))
    }

    /// One failed rule about the record as a whole (a clash with its current state).
    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Rejected(Problems(vec![FieldError::new(code, None, message)]))
    }

    /// The code this error answers with when it is not a list of problems.
    pub fn code(&self) -> Option<ErrorCode> {
        Some(match self {
            AppError::BadRequest(_) => ErrorCode::InvalidJson,
            AppError::Rejected(_) | AppError::Refused(_) => return None,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::NotFound => ErrorCode::NotFound,
            AppError::FileMissing => ErrorCode::FileMissing,
            AppError::Unconfirmed(_) => ErrorCode::Conflict,
            AppError::PayloadTooLarge => ErrorCode::BodyTooLarge,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyAttempts,
            AppError::Busy { .. } => ErrorCode::ServerBusy,
            AppError::Internal(_) => ErrorCode::InternalError,
        })
    }

    /// Every problem this error stands for, each with its code and words for people (the
    /// `errors` of the RFC 9457 answer). A fault of ours says only that it happened.
    pub fn errors(&self) -> Vec<FieldError> {
        let one = |code: ErrorCode, message: &str| vec![FieldError::new(code, None, message)];
        match self {
            AppError::Rejected(p) | AppError::Refused(p) => p.0.clone(),
            AppError::BadRequest(m) => one(ErrorCode::InvalidJson, m),
            AppError::Unauthenticated => one(
                ErrorCode::Unauthenticated,
                "not signed in, or the session has ended",
            ),
            AppError::Forbidden => one(ErrorCode::Forbidden, "your role may not take this action"),
            AppError::NotFound => one(ErrorCode::NotFound, "there is no such record"),
            AppError::FileMissing => one(
                ErrorCode::FileMissing,
                "the record is there but its stored file is missing; ask the office to restore \
                 it from a backup or to have it uploaded again",
            ),
            AppError::Unconfirmed(_) => one(
                ErrorCode::Conflict,
                "the change puts open placements at risk; confirm it to keep it",
            ),
            AppError::PayloadTooLarge => one(
                ErrorCode::BodyTooLarge,
                "the request body is larger than allowed",
            ),
            AppError::TooManyRequests { .. } => one(
                ErrorCode::TooManyAttempts,
                "too many failed attempts; wait and try again",
            ),
            AppError::Busy { .. } => one(
                ErrorCode::ServerBusy,
                "the server is busy; wait a moment and try again",
            ),
            AppError::Internal(_) => {
                one(ErrorCode::InternalError, "something went wrong on our side")
            }
        }
    }

    /// The HTTP status, from the code (`ErrorCode::status`).
    pub fn status(&self) -> u16 {
        match (self, self.code()) {
            (AppError::Rejected(p), _) => p.status(),
            (AppError::Refused(_), _) => 409,
            (_, Some(code)) => code.status(),
            (_, None) => 500,
        }
    }
}

impl From<Problems> for AppError {
    fn from(p: Problems) -> Self {
        AppError::Rejected(p)
    }
}

impl AppError {
    /// A stored file that could not be read: [`AppError::FileMissing`] when it is not there,
    /// else an internal error.
    pub fn from_file_read(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::NotFound {
            AppError::FileMissing
        } else {
            AppError::Internal(e.into())
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unique(msg) => {
                let field = ["email", "name"].into_iter().find(|f| msg.contains(f));
                let message = match field {
                    Some(f) => format!("another record already has this {f}"),
                    None => "a record like this already exists".to_string(),
                };
                AppError::Rejected(Problems(vec![FieldError::new(
                    ErrorCode::Conflict,
                    field,
                    message,
                )]))
            }
            DbError::ForeignKey(_) => AppError::invalid(
                "id",
                ErrorCode::UnknownReference,
                "refers to a record that does not exist",
            ),
            DbError::Busy => AppError::Busy {
                retry_after_secs: 1,
            },
            DbError::Other(e) => AppError::Internal(e.into()),
        }
    }
}
