//! The signed-in user's notifications, newest first, each with a "mark as read" button.
use super::view::{Cell, Field, Table, human_date};
use super::{
    Chrome, Form, PageId, PageResult, PageUser, csv_response, filter_select, link_with, list_page,
    see, wants_csv,
};
use crate::db;
use crate::domain::notice::EmailKind;
use crate::http::extract::Params;
use crate::http::input::email_preferences::from_ticked;
use crate::service::{email_preferences, notifications};
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
        .route("/notifications/settings", get(settings).post(save_settings))
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

#[derive(Template, WebTemplate)]
#[template(path = "notification_settings.html")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub kinds: Field,
    /// The kinds that come in the daily digest, in words.
    pub digest_kinds: Vec<&'static str>,
}

/// E-mail settings (issue 17 point 4): a checkbox per kind of notice e-mail, ticked when it
/// is e-mailed; the notifications here come whatever is chosen.
async fn settings(State(st): State<AppState>, user: PageUser) -> PageResult {
    let prefs = email_preferences::own(&st, &user.p).await?;
    let kinds = Field::new("email", "E-mail me about", "checkboxes")
        .options(
            prefs
                .iter()
                .map(|p| (p.kind.as_str().to_string(), p.kind.words().to_string()))
                .collect(),
        )
        .values(
            prefs
                .iter()
                .filter(|p| p.email)
                .map(|p| p.kind.as_str().to_string())
                .collect(),
        );
    let mut kinds = kinds;
    kinds.hint = "Untick a kind to stop its e-mails. Its notifications still appear here.".into();
    Ok(SettingsPage {
        chrome: user.chrome("E-mail settings"),
        kinds,
        digest_kinds: EmailKind::ALL
            .into_iter()
            .filter(|k| k.by_daily_digest())
            .map(|k| k.words())
            .collect(),
    }
    .into_response())
}

async fn save_settings(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let ticked: Vec<&str> = form
        .0
        .iter()
        .filter(|(k, _)| k == "email")
        .map(|(_, v)| v.as_str())
        .collect();
    email_preferences::set_own(&st, &user.p, from_ticked(&ticked)).await?;
    Ok(see("/notifications/settings", "saved"))
}
