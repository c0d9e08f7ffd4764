//! Probes for the operations team (issue 13 point 7), outside the API and without sign-in.
//! `GET /healthz`: the process answers — 200 `ok` (text/plain), whatever the database does.
//! `GET /readyz`: the database answers and every migration this build carries is applied —
//! 200 `ready`, else 503 with the reason in words (text/plain; never a stack or a URL).
use crate::state::AppState;
use axum::{extract::State, http::StatusCode};

pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok\n")
}

pub async fn readyz(State(st): State<AppState>) -> (StatusCode, String) {
    match st.db.readiness().await {
        Ok(()) => (StatusCode::OK, "ready\n".into()),
        Err(why) => {
            tracing::warn!(reason = %why, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {why}\n"),
            )
        }
    }
}
