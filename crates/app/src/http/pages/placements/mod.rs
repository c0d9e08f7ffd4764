//! Placements for every role (scoped), their lifecycle buttons, and naming a slot's student.
//! Here: the routes, the status badge and loading one placement; the shared table is in
//! `table`, the list in `list`, one placement's page in `show`, its posts in `actions`.
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage,
    filter_select, form_failed, list_page, list_response, see,
};
use crate::db::{self, Scope, placements::PlacementRow};
use crate::domain::ErrorCode;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::ensure, error::AppError, extract::Params, input};
use crate::service::placements;
use crate::state::AppState;
use axum::{
    Router,
    extract::State,
    response::IntoResponse,
    routing::{get, post},
};

mod actions;
mod list;
mod show;
mod table;
use actions::{name_student, student_form, transition};
use list::list;
use show::show;
pub use table::{Lookup, table};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placements", get(list))
        .route("/placements/{id}", get(show))
        .route("/placements/{id}/transition", post(transition))
        .route("/placements/{id}/certificate", get(certificate))
        .route(
            "/placements/{id}/student",
            get(student_form).post(name_student),
        )
}

/// The certificate of a completed placement, as a PDF (`service::certificates`).
async fn certificate(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let c = crate::service::certificates::of_placement(&st, &user.p, &id).await?;
    Ok(crate::http::api::certificates::pdf_response(&c))
}

pub fn badge(status: &str) -> Cell {
    let style = match status {
        "cleared" | "active" | "completed" => "ok",
        "cancelled" => "bad",
        "onboarding" | "proposed" => "warn",
        _ => "info",
    };
    Cell::badge(status, style)
}

async fn load(
    st: &AppState,
    user: &PageUser,
    id: &str,
) -> Result<(Scope, PlacementRow), PageError> {
    let scope = user.p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(crate::service::placements::visible(&scope, &row))?;
    Ok((scope, row))
}
