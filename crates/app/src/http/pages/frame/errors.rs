//! The error page, drawn again inside the signed-in person's frame, and the 404s.
use super::Chrome;
use crate::error::AppError;
use crate::http::pages::extract::{PageError, PageUser};
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    message: String,
}

/// Marks an error page so `in_layout` can draw it again inside the signed-in person's frame.
#[derive(Clone, Debug)]
pub struct PageFailure {
    pub title: String,
    pub message: String,
}

/// Error pages (403, 404, 409, 422 ...) keep the layout and the navigation (UI.md): an error
/// page answered to a signed-in person is drawn again with their frame. The error is made
/// where the person may not be known yet (an extractor, a `?`), so this runs after it.
pub async fn in_layout(
    axum::extract::State(st): axum::extract::State<crate::state::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::extract::FromRequestParts;
    let (uri, headers, extensions) = (
        req.uri().clone(),
        req.headers().clone(),
        req.extensions().clone(),
    );
    let res = next.run(req).await;
    let Some(failure) = res.extensions().get::<PageFailure>().cloned() else {
        return res;
    };
    let status = res.status();
    let Ok((mut parts, ())) = axum::http::Request::builder()
        .uri(uri)
        .body(())
        .map(|r| r.into_parts())
    else {
        return res;
    };
    parts.headers = headers;
    parts.extensions = extensions;
    match PageUser::from_request_parts(&mut parts, &st).await {
        Ok(user) => (
            status,
            ErrorPage {
                chrome: user.chrome(failure.title),
                message: failure.message,
            },
        )
            .into_response(),
        Err(_) => res,
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = match self {
            PageError::Redirect(to) => return Redirect::to(&to).into_response(),
            PageError::Api(AppError::Unauthenticated) => {
                return Redirect::to("/login").into_response();
            }
            PageError::Api(e) => e,
        };
        let status = e.http_status();
        let problem = e.problem();
        let message = match &e {
            AppError::Internal(_) | AppError::Rejected(_) | AppError::Refused(_) => problem
                .errors
                .iter()
                .map(|x| x.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
            _ => problem.detail.clone(),
        };
        let failure = PageFailure {
            title: problem.title.clone(),
            message: message.clone(),
        };
        let page = ErrorPage {
            chrome: Chrome::public(problem.title),
            message,
        };
        let mut res = (status, page).into_response();
        res.extensions_mut().insert(failure);
        res
    }
}

/// The 404 every page answers for a record that is missing or out of scope.
pub fn nf() -> PageError {
    AppError::NotFound.into()
}

pub fn not_found_page() -> Response {
    PageError::Api(AppError::NotFound).into_response()
}
