//! A list's answer kept for its asker: the JSON of a page of students, requests, placements or
//! documents, as answered to the same user for the same path and query on the same office day,
//! answered again while no write has committed since (`db::recent::Recent` and the store's
//! write generation, the same rule every kept value follows). Reading the same page again —
//! a coordinator's refresh, a dashboard polling, a school's tool paging back and forth — then
//! costs the session check and a copy, not the page's statements.
//!
//! Callers that miss at once wait for the first one's answer instead of deriving the same
//! page side by side (single flight): after a write, 50 connections reading one list derive
//! it once. An answer is kept only when it is a 200; a failure is the failing caller's own,
//! and the next waiter derives again.
//!
//! Only for reads without side effects: a read that records a disclosure or an audit line
//! (`disclosures::record`) must run every time and is never wrapped.
use crate::http::auth::Principal;
use crate::http::error::{AppError, AppResult};
use crate::state::{AppState, KeptAnswerKey};
use axum::{
    body::Bytes,
    http::{HeaderValue, Uri, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;

/// `derive`'s value as a JSON 200, from what is kept when it was answered to `p` for `uri`
/// today and no write has committed since; otherwise derived (once, however many callers miss
/// together), kept and answered. Errors: `derive`'s own, unchanged.
pub async fn kept_json<T, F>(
    st: &AppState,
    p: &Principal,
    uri: &Uri,
    derive: F,
) -> AppResult<Response>
where
    T: Serialize,
    F: Future<Output = AppResult<T>>,
{
    kept_body(st, p, uri, async {
        let value = derive.await?;
        serde_json::to_vec(&value)
            .map(Bytes::from)
            .map_err(|e| AppError::from(anyhow::anyhow!(e)))
    })
    .await
}

/// [`kept_json`] for an answer `derive` writes as JSON itself (a page of
/// [`crate::db::row_answers::RowAnswers`]).
pub async fn kept_body<F>(st: &AppState, p: &Principal, uri: &Uri, derive: F) -> AppResult<Response>
where
    F: Future<Output = AppResult<Bytes>>,
{
    // Before the store is read, so a write committing meanwhile leaves this answer unused.
    let read_at = st.db.write_generation();
    let key = KeptAnswerKey {
        user_id: p.user_id.clone(),
        path_and_query: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_string(), |pq| pq.as_str().to_string()),
        day: st.clock.today(),
    };
    let cell = st
        .kept_answers
        .get_or_put_with(key, read_at, || Arc::new(tokio::sync::OnceCell::new()));
    let body = cell.get_or_try_init(|| derive).await?.clone();
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use crate::db::Paged;
    use crate::db::row_answers::RowAnswers;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Row {
        id: String,
        n: i64,
    }

    /// A page answered row by row (`db::row_answers`) is byte for byte what serializing the
    /// API's `List` of the same rows gives, kept rows or read ones, cursor or none.
    #[test]
    fn a_page_of_row_answers_is_the_apis_list() {
        let answers = RowAnswers::new(10);
        for next in [Some("b"), None] {
            let page = answers.page(Paged {
                items: vec![("a".to_string(), Some(1)), ("b".to_string(), None)],
                next_cursor: next.map(str::to_string),
            });
            let body = page
                .into_json([
                    (
                        "a".to_string(),
                        Some(1),
                        Row {
                            id: "a".into(),
                            n: 1,
                        },
                    ),
                    (
                        "b".to_string(),
                        None,
                        Row {
                            id: "b".into(),
                            n: 2,
                        },
                    ),
                ])
                .expect("page");
            let want = serde_json::to_vec(&super::super::List {
                items: vec![
                    Row {
                        id: "a".into(),
                        n: 1,
                    },
                    Row {
                        id: "b".into(),
                        n: 2,
                    },
                ],
                next_cursor: next.map(str::to_string),
            })
            .expect("json");
            assert_eq!(body.as_ref(), want.as_slice());
        }
    }
}
