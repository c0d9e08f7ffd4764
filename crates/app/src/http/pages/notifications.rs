//! The signed-in user's notifications, newest first, each with a "mark as read" button.
use super::view::{Cell, Field, Table, human_date};
use super::{
    Chrome, Form, PageId, PageResult, PageUser, csv_response, filter_select, link_with, list_page,
    see, wants_csv,
};
use crate::db;
use crate::http::extract::Params;
use crate::service::notifications;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::IntoResponse,
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read-all", post(read_all))
        .route("/notifications/{id}/read", post(read))
}

pub struct Row {
    pub id: String,
    pub message: String,
    pub href: String,
    pub when: String,
    pub read: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub chrome: Chrome,
    pub shown: Field,
    pub rows: Vec<Row>,
    pub unread: i64,
    pub csv_href: String,
    pub next_href: String,
}

async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let page = list_page(&params)?;
    let unread = params.bool("unread")?.unwrap_or(false);
    let mut tx = st.db.read().await?;
    let rows = db::notifications::of_user(&mut tx, &user.p.user_id, unread, &page).await?;
    drop(tx);
    let rows = db::paged(rows, &page, |n| &n.id);
    let rows_view: Vec<Row> = rows
        .items
        .iter()
        .map(|n| Row {
            id: n.id.clone(),
            message: n.message.clone(),
            href: n.link.clone().unwrap_or_default(),
            when: human_date(st.clock.date_of(n.created_at)),
            read: n.read_at.is_some(),
        })
        .collect();
    if wants_csv(&params) {
        let mut t = Table::new("Notifications", vec!["Notification", "When", "Status"], "");
        for r in &rows_view {
            t.rows.push(vec![
                Cell::text(&r.message),
                Cell::text(&r.when),
                Cell::text(if r.read { "read" } else { "unread" }),
            ]);
        }
        return Ok(csv_response("notifications", &t));
    }
    let shown: Field = filter_select(
        "unread",
        "Show",
        vec![
            ("false".into(), "All".into()),
            ("true".into(), "Unread only".into()),
        ],
        &params,
    );
    Ok(NotificationsPage {
        chrome: user.chrome("Notifications"),
        shown,
        rows: rows_view,
        unread: user.unread,
        csv_href: link_with(&user.path, &params, "format", "csv"),
        next_href: rows
            .next_cursor
            .map(|c| link_with(&user.path, &params, "cursor", &c))
            .unwrap_or_default(),
    }
    .into_response())
}

async fn read(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    notifications::mark_read(&st, &user.p, &id).await?;
    Ok(see("/notifications", "saved"))
}

async fn read_all(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    notifications::mark_all_read(&st, &user.p).await?;
    Ok(see("/notifications", "saved"))
}
