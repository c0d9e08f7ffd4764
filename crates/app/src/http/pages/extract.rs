//! What a page handler reads from the request: the signed-in visitor (`PageUser`), a form
//! body after the Origin check (`Form`, whose CSRF token `Form::check` compares), a path id.
use super::super::auth::{Principal, client_ip, cookie, load_session};
use crate::db::DbError;
use crate::domain::Problems;
use crate::error::AppError;
use crate::state::AppState;
use axum::response::Response;
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{HeaderMap, header, request::Parts},
};
use serde_json::{Map, Value};

/// A signed-in page visitor; anyone else is sent to the sign-in page.
pub struct PageUser {
    pub p: Principal,
    pub path: String,
    pub banner: String,
    /// Unread notifications, read once per page so `chrome()` stays sync.
    pub unread: i64,
}

fn banner_for(query: Option<&str>) -> String {
    let done = query
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "done").map(|(_, v)| v));
    match done.as_deref() {
        Some("created") => "Created.".into(),
        Some("saved") => "Your changes are saved.".into(),
        Some("uploaded") => "The document is uploaded.".into(),
        Some("invited") => "The invitation is sent; its link works for 7 days.".into(),
        Some("password") => "Your password is changed; your other sessions are signed out.".into(),
        _ => String::new(),
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let to_login = || PageError::Redirect("/login".into());
        let token = cookie(
            &parts.headers,
            crate::http::auth::session_cookie(&state.config),
        )
        .ok_or_else(to_login)?;
        let p = match load_session(state, &token, client_ip(parts, &state.config)).await {
            Ok(p) => p,
            Err(AppError::Unauthenticated) => return Err(to_login()),
            Err(e) => return Err(e.into()),
        };
        if !crate::http::sign_in::page_open_before_enrolment(parts.uri.path())
            && crate::service::mfa::must_enrol(&p)
        {
            return Err(PageError::Redirect("/profile/mfa".into()));
        }
        let mut tx = state.db.read().await?;
        let unread = crate::db::notifications::unread_count(&mut tx, &p.user_id).await?;
        drop(tx);
        Ok(PageUser {
            p,
            path: parts.uri.path().to_string(),
            banner: banner_for(parts.uri.query()),
            unread,
        })
    }
}

/// A urlencoded form body, after the Origin check. The CSRF token is checked against the
/// session by `Form::check`.
pub struct Form(pub Vec<(String, String)>);

/// Same-origin check: a browser always sends Origin on a form POST; if it names another
/// host, the request came from another site.
pub fn origin_ok(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|h| h.to_str().ok());
    match from {
        None => true,
        Some("null") => false,
        Some(o) => {
            let rest = o.split_once("://").map(|(_, r)| r).unwrap_or(o);
            rest.split('/').next() == Some(host)
        }
    }
}

impl FromRequest<AppState> for Form {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        if !origin_ok(req.headers()) {
            return Err(AppError::Forbidden.into());
        }
        let bytes = axum::body::to_bytes(req.into_body(), state.config.json_body_limit)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::BadRequest("the form is malformed".into()))?;
        Ok(Form(pairs))
    }
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Form {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// 403 unless the form carries this session's CSRF token.
    pub fn check(&self, user: &PageUser) -> Result<(), PageError> {
        match self.get("csrf_token") {
            Some(t) if constant_time_eq(t, &user.p.csrf_token) => Ok(()),
            _ => Err(AppError::Forbidden.into()),
        }
    }

    /// Whether the person confirmed a change that puts open placements at risk (the second
    /// post of an edit form that showed them).
    pub fn confirmed_risks(&self) -> bool {
        self.get(super::form_flow::CONFIRM_RISKS).is_some()
    }

    /// The fields as the JSON object the API parsers read: empty text is `null`, the named
    /// multi-value fields are lists, the named checkboxes are booleans (absent = false).
    pub fn to_map(&self, multi: &[&str], checkboxes: &[&str]) -> Map<String, Value> {
        let mut map = Map::new();
        for m in multi {
            map.insert(m.to_string(), Value::Array(vec![]));
        }
        for c in checkboxes {
            map.insert(c.to_string(), Value::Bool(false));
        }
        for (k, v) in &self.0 {
            if k == "csrf_token"
                || k == crate::http::idempotency::FORM_KEY
                || k == super::form_flow::CONFIRM_RISKS
            {
                continue;
            }
            if multi.contains(&k.as_str()) {
                if let Some(Value::Array(a)) = map.get_mut(k) {
                    a.push(Value::String(v.clone()));
                }
            } else if checkboxes.contains(&k.as_str()) {
                map.insert(k.clone(), Value::Bool(true));
            } else if v.trim().is_empty() {
                map.insert(k.clone(), Value::Null);
            } else {
                map.insert(k.clone(), Value::String(v.clone()));
            }
        }
        map
    }
}

/// A record id from the path; anything else is a 404 page.
pub struct PageId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PageId {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        crate::http::extract::PathId::from_request_parts(parts, state)
            .await
            .map(|p| PageId(p.0))
            .map_err(PageError::Api)
    }
}

pub enum PageError {
    Api(AppError),
    Redirect(String),
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::Api(e)
    }
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        PageError::Api(e.into())
    }
}

impl From<Problems> for PageError {
    fn from(p: Problems) -> Self {
        PageError::Api(AppError::Rejected(p))
    }
}

pub type PageResult<T = Response> = Result<T, PageError>;
