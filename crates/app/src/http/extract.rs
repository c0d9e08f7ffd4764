//! The edge: request bodies, path ids and query strings become checked values here.
use super::body::{Body, Field};
use super::error::AppError;
use crate::db::Page;
use crate::domain::ErrorCode;
use crate::domain::{Email, FieldError, Problems};
use crate::state::AppState;
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A JSON object body, read only when the handler asks — after authorization, so a role that
/// may never act gets 403 whatever it sent. Not JSON → 400, over the limit → 413.
pub struct JsonBody(Request);

impl FromRequest<AppState> for JsonBody {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, AppError> {
        Ok(JsonBody(req))
    }
}

impl JsonBody {
    pub async fn read(self, state: &AppState) -> Result<Map<String, Value>, AppError> {
        let req = self.0;
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                let ct = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                ct == "application/json" || ct.ends_with("+json")
            });
        if !is_json {
            return Err(AppError::BadRequest(
                "the body must be JSON (Content-Type: application/json)".into(),
            ));
        }
        let bytes = axum::body::to_bytes(req.into_body(), state.config.json_body_limit)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(AppError::BadRequest(
                "the body must be a JSON object".into(),
            )),
            Err(e) => Err(AppError::BadRequest(format!(
                "the body is not valid JSON: {e}"
            ))),
        }
    }
}

impl JsonBody {
    /// Like `read`, but an empty body (no JSON at all) is an empty object: for actions whose
    /// fields are all optional.
    pub async fn read_or_empty(self, state: &AppState) -> Result<Map<String, Value>, AppError> {
        let empty = self
            .0
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            == Some("0")
            || (self.0.headers().get(header::CONTENT_TYPE).is_none()
                && self.0.headers().get(header::CONTENT_LENGTH).is_none());
        if empty {
            Ok(Map::new())
        } else {
            self.read(state).await
        }
    }
}

/// A JSON object body read at once, for endpoints open to everyone (sign-in).
pub struct JsonObject(pub Map<String, Value>);

impl FromRequest<AppState> for JsonObject {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        JsonBody(req).read(state).await.map(JsonObject)
    }
}

/// A record id from the path. Anything that is not a UUID cannot name a record: 404.
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::NotFound)?;
        parse_id(&raw).map(PathId).ok_or(AppError::NotFound)
    }
}

pub fn parse_id(raw: &str) -> Option<String> {
    uuid::Uuid::parse_str(raw).ok().map(|u| u.to_string())
}

/// The query string as loose text; lists read their filters from it.
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let q = parts.uri.query().unwrap_or("");
        let map: Vec<(String, String)> = serde_urlencoded::from_str(q)
            .map_err(|_| AppError::BadRequest("the query string is malformed".into()))?;
        // No value with a NUL can name or match anything, and PostgreSQL refuses it in text.
        if map
            .iter()
            .any(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(AppError::BadRequest(
                "the query string may not contain NUL characters".into(),
            ));
        }
        Ok(Params(map.into_iter().collect()))
    }
}

impl Params {
    /// A non-empty filter value.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// `?limit=` (default 50, 1..=500) and `?cursor=`.
    pub fn page(&self) -> Result<Page, AppError> {
        let limit = match self.get("limit") {
            None => 50,
            Some(l) => match l.parse::<i64>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => {
                    return Err(AppError::invalid(
                        "limit",
                        ErrorCode::InvalidLimit,
                        "limit must be a whole number from 1 to 500",
                    ));
                }
            },
        };
        Ok(Page {
            limit,
            after: self.get("cursor"),
            sort: None,
        })
    }

    pub fn id(&self, key: &str) -> Result<Option<String>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => parse_id(&v)
                .map(Some)
                .ok_or_else(|| AppError::invalid(key, ErrorCode::InvalidId, "is not a valid id")),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, AppError> {
        match self.get(key).as_deref() {
            None => Ok(None),
            Some("true" | "1" | "yes") => Ok(Some(true)),
            Some("false" | "0" | "no") => Ok(Some(false)),
            Some(_) => Err(AppError::invalid(
                key,
                ErrorCode::InvalidBoolean,
                "must be true or false",
            )),
        }
    }

    pub fn word(
        &self,
        key: &str,
        parse: impl Fn(&str) -> bool,
        words: &str,
    ) -> Result<Option<String>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) if parse(&v) => Ok(Some(v)),
            Some(_) => Err(AppError::invalid(
                key,
                ErrorCode::InvalidChoice,
                format!("must be one of: {words}"),
            )),
        }
    }
}

/// Reads a body (`body::Body`) field by field, collecting every problem. On create
/// (`current` is `None`) a missing required field is an error; on update a missing field keeps
/// the current value, so POST and PATCH share one parser.
pub struct Input {
    pub problems: Problems,
}

type Parse<'a, T> = &'a dyn Fn(&Value) -> Result<T, (ErrorCode, String)>;

impl Input {
    /// The body read from `map`, every field that is not one of its own an `unknown_field`.
    pub fn read<B: Body>(map: Map<String, Value>) -> (Input, B) {
        let mut problems = Problems::default();
        let mut unknown: Vec<&String> = map
            .keys()
            .filter(|k| !B::FIELDS.contains(&k.as_str()))
            .collect();
        unknown.sort();
        for k in unknown {
            problems.add(
                k,
                ErrorCode::UnknownField,
                format!("{k} is not a field of this record"),
            );
        }
        (Input { problems }, B::take(map))
    }

    /// A required value: present → parsed; absent → `current`, or `required` on create.
    pub fn req<D, T: Clone>(
        &mut self,
        f: &Field<D>,
        current: Option<&T>,
        parse: Parse<T>,
    ) -> Option<T> {
        let key = f.key();
        match f.raw() {
            None => {
                if current.is_none() {
                    self.problems
                        .add(key, ErrorCode::Required, format!("{key} is required"));
                }
                current.cloned()
            }
            Some(Value::Null) => {
                self.problems
                    .add(key, ErrorCode::Required, format!("{key} may not be empty"));
                None
            }
            Some(v) => match parse(v) {
                Ok(t) => Some(t),
                Err((code, msg)) => {
                    self.problems.push(FieldError::at(key, code, msg));
                    None
                }
            },
        }
    }

    /// An optional value: null or absent-on-create → `None`. The outer `Option` is `None` only
    /// when the value failed to parse.
    pub fn opt<D, T: Clone>(
        &mut self,
        f: &Field<D>,
        current: Option<&Option<T>>,
        parse: Parse<T>,
    ) -> Option<Option<T>> {
        match f.raw() {
            None => Some(current.cloned().flatten()),
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(v) => match parse(v) {
                Ok(t) => Some(Some(t)),
                Err((code, msg)) => {
                    self.problems.push(FieldError::at(f.key(), code, msg));
                    None
                }
            },
        }
    }

    pub fn finish(self) -> Result<(), AppError> {
        self.problems.into_result().map_err(AppError::Rejected)
    }

    /// A field of a create-or-update input: on create (`creating`) an absent field is
    /// `required`; on update it is `None`, and the use case keeps the current value.
    pub fn field<D, T: Clone>(
        &mut self,
        f: &Field<D>,
        creating: bool,
        parse: Parse<T>,
    ) -> Option<T> {
        if !creating && !f.is_present() {
            return None;
        }
        self.req(f, None, parse)
    }

    /// An optional field of a create-or-update input: `None` when absent (keep) or unreadable,
    /// `Some(None)` to clear it, `Some(Some(v))` to set it.
    pub fn optional<D, T: Clone>(&mut self, f: &Field<D>, parse: Parse<T>) -> Option<Option<T>> {
        if !f.is_present() {
            return None;
        }
        self.opt(f, None, parse)
    }

    /// The typed input with every problem found while reading it.
    pub fn into_parsed<T>(self, fields: T) -> crate::service::Parsed<T> {
        crate::service::Parsed::new(fields, self.problems)
    }
}

/// Field parsers. Each says what was wrong in words and with a stable code.
pub mod parse {
    use super::*;

    type R<T> = Result<T, (ErrorCode, String)>;

    /// Control characters other than tab and line breaks (NUL above all, which PostgreSQL
    /// cannot store in text).
    fn has_control(s: &str) -> bool {
        s.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    }

    pub fn text(v: &Value) -> R<String> {
        match v {
            Value::String(s) if s.trim().is_empty() => {
                Err((ErrorCode::Required, "may not be empty".into()))
            }
            Value::String(s) if has_control(s) => Err((
                ErrorCode::InvalidCharacters,
                "may not contain control characters".into(),
            )),
            Value::String(s) if s.chars().count() > 500 => {
                Err((ErrorCode::TooLong, "is longer than 500 characters".into()))
            }
            Value::String(s) => Ok(s.trim().to_string()),
            _ => Err((ErrorCode::InvalidType, "must be text".into())),
        }
    }

    pub fn email(v: &Value) -> R<String> {
        let s = text(v).map_err(|_| {
            (
                ErrorCode::InvalidEmail,
                "must be an email address".to_string(),
            )
        })?;
        Email::parse(&s)
            .map(|e| e.to_string())
            .map_err(|m| (ErrorCode::InvalidEmail, format!("{s:?} {m}")))
    }

    pub fn date(v: &Value) -> R<NaiveDate> {
        match v {
            Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                (
                    ErrorCode::InvalidDate,
                    format!("{s:?} is not a date (YYYY-MM-DD)"),
                )
            }),
            _ => Err((ErrorCode::InvalidDate, "must be a date (YYYY-MM-DD)".into())),
        }
    }

    fn integer(v: &Value) -> Option<i64> {
        match v {
            Value::Number(n) => n.as_i64(),
            // Form posts arrive as text.
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn positive(v: &Value) -> R<i64> {
        match integer(v) {
            Some(n) if (1..=100_000).contains(&n) => Ok(n),
            Some(_) => Err((
                ErrorCode::MustBePositive,
                "must be a whole number of at least 1".into(),
            )),
            None => Err((ErrorCode::InvalidNumber, "must be a whole number".into())),
        }
    }

    pub fn non_negative(v: &Value) -> R<i64> {
        match integer(v) {
            Some(n) if (0..=100_000).contains(&n) => Ok(n),
            Some(_) => Err((
                ErrorCode::MustBePositive,
                "must be a whole number, 0 or more".into(),
            )),
            None => Err((ErrorCode::InvalidNumber, "must be a whole number".into())),
        }
    }

    pub fn boolean(v: &Value) -> R<bool> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s == "true" || s == "on" => Ok(true),
            Value::String(s) if s == "false" || s == "off" => Ok(false),
            _ => Err((ErrorCode::InvalidBoolean, "must be true or false".into())),
        }
    }

    pub fn id(v: &Value) -> R<String> {
        match v {
            Value::String(s) => {
                parse_id(s.trim()).ok_or((ErrorCode::InvalidId, format!("{s:?} is not a valid id")))
            }
            _ => Err((ErrorCode::InvalidId, "must be an id (a UUID string)".into())),
        }
    }

    pub fn codes(v: &Value) -> R<Vec<String>> {
        match v {
            Value::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    match i {
                        Value::String(s) if !s.trim().is_empty() && !has_control(s) => {
                            let s = s.trim().to_string();
                            if !out.contains(&s) {
                                out.push(s);
                            }
                        }
                        _ => {
                            return Err((ErrorCode::InvalidType, "must be a list of codes".into()));
                        }
                    }
                }
                Ok(out)
            }
            _ => Err((ErrorCode::InvalidType, "must be a list of codes".into())),
        }
    }

    /// One of a closed set of words.
    pub fn word<'a>(
        parse: impl Fn(&str) -> bool + 'a,
        words: String,
    ) -> impl Fn(&Value) -> R<String> + 'a {
        move |v| match v {
            Value::String(s) if parse(s.trim()) => Ok(s.trim().to_string()),
            _ => Err((ErrorCode::InvalidChoice, format!("must be one of: {words}"))),
        }
    }
}
