//! Response headers every page and API answer carries.
use crate::state::AppState;
use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
/// The document review page alone embeds our own file (an `<object>` showing the PDF from
/// `/documents/{id}/preview`): the same policy, with objects and frames from this origin.
pub const PREVIEW_PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'self'; frame-src 'self'";
/// Swagger UI sets inline styles on its elements; its page alone allows them.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                        connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// HSTS with `--secure-cookies` (the server is then reached over https): two years, with
/// subdomains (OWASP ASVS 5.0 V3.4.1; RFC 6797). Without it a plain-http server must not send it.
const HSTS: &str = "max-age=63072000; includeSubDomains";

pub async fn security_headers(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let docs = req.uri().path().starts_with("/api/docs");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if st.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    let csp = if docs { DOCS_CSP } else { CSP };
    // A response that set its own policy (a framed preview) keeps it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !h.contains_key(header::X_FRAME_OPTIONS) {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Sheds load past `--max-in-flight` requests handled at once: a request that finds no free
/// slot is answered at once with 503 `server_busy`, `Retry-After: 1`, as an RFC 9457 problem,
/// instead of waiting in an unbounded queue (issue 13 point 9). The slot is held until the
/// handler has produced its answer.
pub async fn shed_load(State(st): State<AppState>, req: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let Ok(_slot) = st.in_flight.clone().try_acquire_owned() else {
        tracing::warn!(
            limit = st.config.max_in_flight,
            "shedding load: too many requests in flight"
        );
        return crate::error::AppError::Busy {
            retry_after_secs: 1,
        }
        .into_response();
    };
    next.run(req).await
}

tokio::task_local! {
    /// The id of the request being answered, for the length of its answer only.
    static REQUEST_ID: String;
}

/// Gives every request an id (UUID v7): its tracing span carries it, the answer says it in
/// `x-request-id`, and a 500 quotes it to the user while the log keeps the cause beside it
/// (ARCHITECTURE.md house rule 3).
pub async fn request_id(req: Request, next: Next) -> Response {
    use tracing::Instrument;
    let id = uuid::Uuid::now_v7().to_string();
    let path = loggable_path(req.uri().path());
    let method = req.method().clone();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        path = %path,
    );
    let mut res = REQUEST_ID
        .scope(id.clone(), next.run(req).instrument(span))
        .await;
    // Refused access is a security event (OWASP ASVS 5.0 V16.3.2): a role's forbidden action,
    // a form without its CSRF token or from another origin. 401 and 404 are too common to be
    // one (every expired session, every mistyped address).
    if res.status() == axum::http::StatusCode::FORBIDDEN {
        tracing::warn!(request_id = %id, method = %method, path = %path, "access refused (403)");
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    res
}

/// The path as logs keep it: a segment that is a secret — an invitation's or a password
/// reset's token, 40 characters or more — is replaced by `[secret]`, so a log line never
/// holds a live link (OWASP ASVS 5.0 V16.2.5). Ids (36-character UUIDs) stay.
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|seg| if seg.len() >= 40 { "[secret]" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// The id of the request being answered, if this runs inside one (`request_id`).
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `f` as if inside the request `id` (for tests of what a request's errors say).
pub async fn with_request_id<F: std::future::Future>(id: String, f: F) -> F::Output {
    REQUEST_ID.scope(id, f).await
}

#[cfg(test)]
mod loggable_path_tests {
    use super::loggable_path;

    #[test]
    fn tokens_are_kept_out_of_the_logs_and_ids_are_not() {
        let token = "q5B0r8qzj3n2m7xk4v1c9w6e0t5y2u8i3o7p1a4s6dQ";
        assert_eq!(
            loggable_path(&format!("/invitations/{token}")),
            "/invitations/[secret]"
        );
        assert_eq!(
            loggable_path(&format!("/api/v1/auth/password-reset/{token}")),
            "/api/v1/auth/password-reset/[secret]"
        );
        let id = "0193a5b2-7c1d-7e4f-9a8b-1c2d3e4f5a6b";
        assert_eq!(
            loggable_path(&format!("/students/{id}/edit")),
            format!("/students/{id}/edit")
        );
    }
}
