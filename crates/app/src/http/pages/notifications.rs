//! The signed-in user's notifications, newest first.
use super::view::{Cell, Field, Table, human_date};
use super::{ListPage, PageResult, PageUser, filter_select, list_page, list_response};
use crate::db;
use crate::http::extract::Params;
use crate::state::AppState;
use axum::{Router, extract::State, routing::get};

pub fn router() -> Router<AppState> {
    Router::new().route("/notifications", get(list))
}

async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let page = list_page(&params)?;
    let unread = params.bool("unread")?.unwrap_or(false);
    let mut tx = st.db.read().await?;
    let rows = db::notifications::of_user(&mut tx, &user.p.user_id, unread, &page).await?;
    drop(tx);
    let rows = db::paged(rows, &page, |n| &n.id);
    let mut t = Table::new(
        "Your notifications, newest first",
        vec!["Notification", "When", "Status"],
        "No notifications.",
    );
    for n in &rows.items {
        let message = match &n.link {
            Some(href) => Cell::link(n.message.clone(), href.clone()),
            None => Cell::text(n.message.clone()),
        };
        let status = if n.read_at.is_some() {
            Cell::badge("read", "ok")
        } else {
            Cell::badge("unread", "info")
        };
        t.rows.push(vec![
            message,
            Cell::text(human_date(n.created_at.date_naive())),
            status,
        ]);
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
    let page = ListPage {
        chrome: user.chrome("Notifications"),
        intro:
            "What happened that concerns you: documents rejected, documents to review, and more."
                .into(),
        filters: vec![shown],
        table: t,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "notifications",
    ))
}
