//! List pages: filters, column sorting, paging links and the CSV download of the same rows.
use super::Chrome;
use crate::http::pages::extract::{PageError, PageUser};
use crate::http::pages::view::{Field, Table};
use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

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
