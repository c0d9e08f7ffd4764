//! What every page answers with: the frame (`Chrome`), the error page, the form page that
//! shows problems beside their fields, record and list pages, and their CSV twins.
use super::extract::{Form, PageError, PageResult, PageUser};
use super::view::{Field, NavItem, Table};
use crate::domain::Problems;
use crate::error::{AppError, AppResult};
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

/// What every page's frame shows: title, who is signed in, the navigation, the CSRF token
/// for the header's sign-out form, and a one-line confirmation after a change.
pub struct Chrome {
    pub title: String,
    pub user_name: String,
    pub role_label: String,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    pub banner: String,
    /// The signed-in user's unread notifications, shown in the top bar.
    pub unread: i64,
    /// The one-time key of a form that creates a record (`form_key`, see
    /// `http/idempotency.rs`); empty on every other page.
    pub form_key: String,
}

impl Chrome {
    pub fn public(title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: String::new(),
            role_label: String::new(),
            nav: vec![],
            csrf: String::new(),
            banner: String::new(),
            unread: 0,
            form_key: String::new(),
        }
    }
}

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

/// Post/redirect/get: back to the record with a confirmation.
pub fn see(path: &str, done: &str) -> Response {
    Redirect::to(&format!("{path}?done={done}")).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub intro: String,
    pub filters: Vec<Field>,
    pub table: Table,
    pub actions: Vec<(String, String)>,
    pub csv_href: String,
    pub next_href: String,
}

/// The error summary's entries: (field id, message).
pub type Summary = Vec<(String, String)>;

#[derive(Template, WebTemplate)]
#[template(path = "form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub intro: String,
    pub action: String,
    pub fields: Vec<Field>,
    pub summary: Summary,
    pub submit: &'static str,
    pub cancel: String,
    pub multipart: bool,
    /// The open placements the posted change would newly put at risk: shown above the form,
    /// which then posts `confirm_risks` to keep the change (issue 12 point 1).
    pub at_risk: Vec<crate::domain::risk::RiskPreview>,
}

impl Chrome {
    /// Gives the page's form a fresh one-time key: posted twice (a second click, Back and
    /// submit again), it creates one record, and the second post goes where the first did.
    pub fn once(mut self) -> AppResult<Chrome> {
        self.form_key = crate::password::random_token()?;
        Ok(self)
    }
}

/// A page whose form carries a one-time key. Browsers may keep it for Back (`no-cache`, not
/// `no-store`), so Back shows the same form with the same key instead of fetching a new one.
pub fn once_page(page: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "private, no-cache")], page).into_response()
}

impl FormPage {
    /// See [`Chrome::once`].
    pub fn once(mut self) -> AppResult<FormPage> {
        self.chrome = self.chrome.once()?;
        Ok(self)
    }

    /// Puts each problem next to its field and in the summary; problems about no field
    /// (or a field the form does not show) go to the summary only.
    pub fn with_problems(mut self, problems: &Problems) -> FormPage {
        place_problems(&mut self.fields, &mut self.summary, problems);
        self
    }

    /// Keeps what was typed when the form comes back with errors.
    pub fn with_values(mut self, form: &Form) -> FormPage {
        // A create form shown again keeps its one-time key: its first post created nothing.
        if let Some(k) = form.get(crate::http::idempotency::FORM_KEY) {
            self.chrome.form_key = k.to_string();
        }
        for f in &mut self.fields {
            if f.kind == "checkboxes" {
                f.values = form
                    .0
                    .iter()
                    .filter(|(k, _)| *k == f.name)
                    .map(|(_, v)| v.clone())
                    .collect();
            } else if f.kind == "checkbox" {
                f.value = if form.get(&f.name).is_some() {
                    "true".into()
                } else {
                    String::new()
                };
            } else if f.kind != "password" {
                f.value = form.get(&f.name).unwrap_or("").to_string();
            }
        }
        self
    }
}

/// Puts each problem next to its field and in the summary; problems about no field (or a
/// field the form does not show) go to the summary only.
pub fn place_problems(fields: &mut [Field], summary: &mut Summary, problems: &Problems) {
    for e in &problems.0 {
        let field = e.field.as_deref().unwrap_or("");
        let target = fields.iter_mut().find(|f| f.name == field);
        let id = match target {
            Some(f) => {
                if f.error.is_empty() {
                    f.error = message_for(&f.label, field, &e.message);
                }
                f.id()
            }
            None => String::new(),
        };
        let label = fields
            .iter()
            .find(|f| f.name == field)
            .map(|f| f.label.clone())
            .unwrap_or_default();
        summary.push((id, message_for(&label, field, &e.message)));
    }
}

/// The API's words with the field's label: "name may not be empty" reads "Name may not be
/// empty" on the page.
fn message_for(label: &str, field: &str, message: &str) -> String {
    match message
        .strip_prefix(field)
        .filter(|rest| !field.is_empty() && rest.starts_with(' '))
    {
        Some(rest) if !label.is_empty() => format!("{label}{rest}"),
        _ if label.is_empty() => capitalise(message),
        _ => format!("{label}: {message}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Renders a failed form again (422) with its problems, or passes other errors on.
pub fn form_failed(page: FormPage, form: &Form, err: AppError) -> PageResult {
    match err {
        AppError::Rejected(p) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page.with_values(form).with_problems(&p),
        )
            .into_response()),
        e => Err(e.into()),
    }
}

pub struct Section {
    pub title: String,
    pub table: Table,
    pub actions: Vec<(String, String)>,
}

impl Section {
    /// The section's anchor on its page, from its title: "Placements at risk" → `placements-at-risk`.
    pub fn anchor(&self) -> String {
        self.title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "record.html")]
pub struct RecordPage {
    pub chrome: Chrome,
    pub facts: Vec<(&'static str, super::view::Cell)>,
    pub actions: Vec<(String, String)>,
    pub sections: Vec<Section>,
    /// A file upload form.
    pub upload: Option<UploadForm>,
    /// Buttons that change the record (POST, with the CSRF token).
    pub forms: Vec<ActionForm>,
}

/// A record page's file upload: where it posts, its heading, the hint (what it takes, up to
/// what size) and, when a file was refused, why.
pub struct UploadForm {
    pub action: String,
    pub label: String,
    pub hint: String,
    pub error: String,
}

/// A one-button form; irreversible ones ask for a reason and confirm.
pub struct ActionForm {
    pub action: String,
    pub label: String,
    /// Extra fields sent as they are (e.g. `to=confirmed`).
    pub hidden: Vec<(String, String)>,
    pub reason: bool,
    pub confirm: String,
}

impl ActionForm {
    pub fn new(action: impl Into<String>, label: impl Into<String>) -> ActionForm {
        ActionForm {
            action: action.into(),
            label: label.into(),
            hidden: vec![],
            reason: false,
            confirm: String::new(),
        }
    }

    pub fn with(mut self, k: &str, v: &str) -> ActionForm {
        self.hidden.push((k.into(), v.into()));
        self
    }

    /// Asks for a reason and a confirmation.
    pub fn irreversible(mut self, confirm: impl Into<String>) -> ActionForm {
        self.reason = true;
        self.confirm = confirm.into();
        self
    }
}

/// `?format=csv` answers the table as a download instead of the page.
pub fn wants_csv(params: &crate::http::extract::Params) -> bool {
    params.get("format").as_deref() == Some("csv")
}

pub fn csv_response(filename: &str, table: &Table) -> Response {
    crate::http::download_csv(&format!("{filename}.csv"), table.csv())
}

/// The current URL with `cursor` (next page) or `format=csv` set, other filters kept.
pub fn link_with(
    path: &str,
    params: &crate::http::extract::Params,
    key: &str,
    value: &str,
) -> String {
    let mut pairs: Vec<(String, String)> = params
        .0
        .iter()
        .filter(|(k, _)| k.as_str() != key && k.as_str() != "cursor" && k.as_str() != "done")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    pairs.sort();
    pairs.push((key.to_string(), value.to_string()));
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// The list page's page size and column sort (`?sort=<key>&dir=desc`), or everything for a
/// CSV export, in the same order.
pub fn list_page(params: &crate::http::extract::Params) -> Result<crate::db::Page, PageError> {
    let sort = params
        .get("sort")
        .filter(|k| !k.is_empty() && k.len() <= 40)
        .map(|key| crate::db::Sort {
            key,
            descending: params.get("dir").as_deref() == Some("desc"),
        });
    if wants_csv(params) {
        Ok(crate::db::Page {
            limit: 100_000,
            after: None,
            sort,
        })
    } else {
        Ok(crate::db::Page {
            sort,
            ..params.page()?
        })
    }
}

/// Makes `columns` (index in the table, sort key) headers that sort the list: a click sorts
/// by the column ascending, a second click descending; the current one carries `aria-sort`.
/// `default` is the key and direction the list has when no sort is asked for.
pub fn sortable(
    table: &mut Table,
    user: &PageUser,
    params: &crate::http::extract::Params,
    columns: &[(usize, &str)],
) {
    let current = params.get("sort");
    let descending = params.get("dir").as_deref() == Some("desc");
    table.sorts = columns
        .iter()
        .map(|(i, key)| {
            let on = current.as_deref() == Some(*key);
            let mut pairs: Vec<(String, String)> = params
                .0
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "sort" | "dir" | "cursor" | "done"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            pairs.sort();
            pairs.push(("sort".into(), key.to_string()));
            if on && !descending {
                pairs.push(("dir".into(), "desc".into()));
            }
            let href = format!(
                "{}?{}",
                user.path,
                serde_urlencoded::to_string(pairs).unwrap_or_default()
            );
            let state = match (on, descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            (*i, href, state)
        })
        .collect();
}

/// Answers a list as its page or, with `?format=csv`, as a download of the same rows.
pub fn list_response(
    user: &PageUser,
    params: &crate::http::extract::Params,
    mut page: ListPage,
    next: Option<String>,
    csv_name: &str,
) -> Response {
    if wants_csv(params) {
        return csv_response(csv_name, &page.table);
    }
    page.csv_href = link_with(&user.path, params, "format", "csv");
    page.next_href = next
        .map(|c| link_with(&user.path, params, "cursor", &c))
        .unwrap_or_default();
    page.into_response()
}

pub fn filter_text(
    name: &'static str,
    label: &'static str,
    params: &crate::http::extract::Params,
) -> Field {
    Field::new(name, label, "search").value(params.get(name).unwrap_or_default())
}

pub fn filter_select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    params: &crate::http::extract::Params,
) -> Field {
    Field::new(name, label, "select")
        .options(options)
        .value(params.get(name).unwrap_or_default())
}

impl PageUser {
    pub fn chrome(&self, title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            user_name: self.p.name.clone(),
            role_label: self.p.role.label().to_string(),
            nav: super::view::nav_for(
                self.p.role,
                self.p.department_id.as_deref(),
                self.p.student_id.as_deref(),
                &self.path,
            ),
            csrf: self.p.csrf_token.clone(),
            banner: self.banner.clone(),
            unread: self.unread,
            form_key: String::new(),
        }
    }
}
