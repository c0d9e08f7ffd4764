//! `Idempotency-Key` on the API's POSTs and the hidden `form_key` of the pages' create forms:
//! the first request with a key runs and its answer is kept; a repeat by the same caller within
//! 24 hours answers that again, marked `Idempotent-Replayed: true`, and creates nothing. The
//! rules (who owns a key, how long, waiting for a concurrent first) are
//! `service::idempotency`'s; this layer reads the key and the caller, and keeps and replays
//! HTTP answers.
use super::auth::{cookie, load_session, session_cookie};
use super::error::AppError;
use super::middleware::{current_request_id, with_request_id};
use super::pages::origin_ok;
use crate::domain::ErrorCode;
use crate::service::idempotency::{self as keys, Answer, Claimed, KeyedPost};
use crate::state::AppState;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tracing::Instrument;

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";
/// The hidden field of a page's create form that carries its one-time key.
pub const FORM_KEY: &str = "form_key";
/// The longest answer kept for a replay; a longer one lets its key go.
const MAX_KEPT_ANSWER: usize = 1024 * 1024;

/// A key the API accepts: 1 to 255 visible ASCII characters (a UUID is the usual choice).
fn check_key(key: &str) -> Result<(), AppError> {
    let field = "Idempotency-Key";
    if key.is_empty() {
        return Err(AppError::invalid(
            field,
            ErrorCode::Required,
            "the key is empty",
        ));
    }
    if key.len() > 255 {
        return Err(AppError::invalid(
            field,
            ErrorCode::TooLong,
            "the key is longer than 255 characters",
        ));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::invalid(
            field,
            ErrorCode::InvalidCharacters,
            "the key may hold visible ASCII characters only",
        ));
    }
    Ok(())
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Who is asking, as the key's owner: the session's user, `""` without a session, `None` when
/// the request carries a session that is not valid (the handler answers that as it always does).
async fn owner(st: &AppState, parts: &Parts, api: bool) -> Result<Option<String>, AppError> {
    let token = if api {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim().to_string())
    } else {
        cookie(&parts.headers, session_cookie(&st.config))
    };
    let Some(token) = token else {
        return Ok(Some(String::new()));
    };
    match load_session(st, &token, None).await {
        Ok(p) => Ok(Some(p.user_id)),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// POSTs whose answers hold secrets — session tokens (sign-in, an accepted invitation, a reset
/// password), a TOTP secret, recovery codes — or that change a password are never kept for a
/// replay (nor is an `Idempotency-Key` offered on them).
fn never_kept(path: &str) -> bool {
    path.starts_with("/api/v1/auth/")
        || path.starts_with("/api/v1/me/mfa")
        || path == "/api/v1/me/password"
        || (path.starts_with("/api/v1/invitations/") && path.ends_with("/accept"))
}

/// The layer on every route; it acts on POSTs that carry a key and passes the rest through.
pub async fn idempotency(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let api = path.starts_with("/api/");
    if api && never_kept(&path) {
        return next.run(req).await;
    }
    let header_key = req
        .headers()
        .get(IDEMPOTENCY_KEY)
        .map(|v| v.to_str().map(str::to_string));
    let key = match (api, header_key) {
        (true, None) => return next.run(req).await,
        (true, Some(Err(_))) => {
            return AppError::invalid(
                "Idempotency-Key",
                ErrorCode::InvalidCharacters,
                "the key may hold visible ASCII characters only",
            )
            .into_response();
        }
        (true, Some(Ok(k))) => match check_key(&k) {
            Ok(()) => Some(k),
            Err(e) => return e.into_response(),
        },
        // A page: the key is a field of its urlencoded form, read below.
        (false, _) if is_form(req.headers()) && origin_ok(req.headers()) => None,
        (false, _) => return next.run(req).await,
    };
    let limit = if is_multipart(req.headers()) {
        st.config.upload_limit + 64 * 1024
    } else {
        st.config.json_body_limit
    };
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    let key = match key {
        Some(k) => k,
        None => {
            let form_key = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
                .ok()
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FORM_KEY))
                .map(|(_, v)| v)
                .filter(|k| check_key(k).is_ok());
            match form_key {
                Some(k) => k,
                None => {
                    return next
                        .run(Request::from_parts(parts, Body::from(bytes)))
                        .await;
                }
            }
        }
    };
    let principal = match owner(&st, &parts, api).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
        }
        Err(e) => return e.into_response(),
    };
    let method_path = format!("POST {path}");
    let body_hash = {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(&bytes))
    };
    let post = KeyedPost {
        principal: &principal,
        key: &key,
        method_path: &method_path,
        body_hash: &body_hash,
        same_body_required: api,
    };
    match keys::claim(&st, &post).await {
        Ok(Claimed::Replay(row)) => replay(row),
        Ok(Claimed::Run) => {
            // The request and the keeping of its answer run on their own task, so a caller who
            // goes away (a browser's second click cancels its first) cannot leave the key
            // claimed by nobody.
            let req = Request::from_parts(parts, Body::from(bytes));
            let span = tracing::Span::current();
            let request_id = current_request_id();
            let task = async move {
                let run = next.run(req);
                let res = match request_id {
                    Some(id) => with_request_id(id, run).await,
                    None => run.await,
                };
                keep(&st, &principal, &key, res, api).await
            };
            match tokio::spawn(task.instrument(span)).await {
                Ok(res) => res,
                Err(e) => AppError::Internal(anyhow::anyhow!("a keyed request failed: {e}"))
                    .into_response(),
            }
        }
        Err(e) => e.into_response(),
    }
}

/// Keeps a success (and, for a page, a redirect) as the key's answer; lets the key go otherwise.
async fn keep(st: &AppState, principal: &str, key: &str, res: Response, api: bool) -> Response {
    let status = res.status();
    let worth_keeping = status.is_success() || (!api && status.is_redirection());
    if !worth_keeping {
        if let Err(e) = keys::release(st, principal, key).await {
            tracing::error!(error = ?e, "could not release an idempotency key");
        }
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_KEPT_ANSWER).await {
        Ok(b) => b,
        Err(e) => {
            let _ = keys::release(st, principal, key).await;
            return AppError::Internal(anyhow::anyhow!("answer too long to keep: {e}"))
                .into_response();
        }
    };
    let text = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = text(header::CONTENT_TYPE);
    let location = text(header::LOCATION);
    let kept = keys::complete(
        st,
        principal,
        key,
        Answer {
            status: i32::from(status.as_u16()),
            content_type: content_type.as_deref(),
            location: location.as_deref(),
            body: &bytes,
        },
    )
    .await;
    if let Err(e) = kept {
        // The record exists, so the key stays claimed (a repeat waits, then hears 409) until
        // it counts as abandoned; the answer is still right for this caller.
        tracing::error!(error = ?e, "could not keep an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(row: crate::db::idempotency::KeyRow) -> Response {
    let status = row
        .status
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut res = Response::new(Body::from(Bytes::from(row.body.unwrap_or_default())));
    *res.status_mut() = status;
    let h = res.headers_mut();
    let mut set = |name: HeaderName, value: Option<String>| {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            h.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, row.content_type);
    set(header::LOCATION, row.location);
    h.insert(
        HeaderName::from_static(REPLAYED),
        HeaderValue::from_static("true"),
    );
    res
}

/// Adds the optional `Idempotency-Key` header to every POST of the OpenAPI document (sign-in
/// and sign-out take none).
pub fn document(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        RefOr, Required, Type,
        path::{ParameterBuilder, ParameterIn},
        schema::{Object, Schema},
    };
    for (path, item) in openapi.paths.paths.iter_mut() {
        let Some(post) = item.post.as_mut() else {
            continue;
        };
        if never_kept(path) {
            continue;
        }
        let header = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Up to 255 visible ASCII characters (a UUID, say). The same key from the same \
                 caller within 24 hours answers the first successful result again, with \
                 `Idempotent-Replayed: true`, and creates nothing; with another body or path it \
                 answers 422 `idempotency_key_reused`; while the first still runs, a repeat waits \
                 for it (409 `idempotency_key_in_use` if it takes too long). A refused request \
                 does not use up its key.",
            ))
            .schema(Some(RefOr::T(Schema::Object(Object::with_type(
                Type::String,
            )))))
            .build();
        post.parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::T(header));
    }
}
