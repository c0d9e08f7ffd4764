//! An internship's project page (issue 16 point 4): the objectives and milestones, who agreed
//! and when, the deliverable; the forms to add and change them, to agree, to upload the
//! deliverable and to accept or return it, each shown only to whom may use it. The forms read
//! into the same inputs as the API (`http/input/projects.rs`) and call the same use cases
//! (`service/projects.rs`).
//!
//! This module holds the routes; `show` renders the project page, `items` adds and changes
//! objectives and milestones, `deliverable` takes the agreement and the deliverable.
mod deliverable;
mod items;
mod show;

pub use show::project_link;

use super::PageError;
use crate::http::{error::AppError, extract::parse_id};
use crate::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};
use deliverable::{agree, download, review, upload_deliverable};
use items::{create, edit_form, new_form, update};
use show::show;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placements/{id}/project", get(show))
        .route(
            "/placements/{id}/project/items/new",
            get(new_form).post(create),
        )
        .route(
            "/placements/{id}/project/items/{item_id}",
            get(edit_form).post(update),
        )
        .route("/placements/{id}/project/agree", post(agree))
        .route(
            "/placements/{id}/project/deliverable",
            get(download).post(upload_deliverable),
        )
        .route("/placements/{id}/project/deliverable/review", post(review))
}

fn id_of(raw: &str) -> Result<String, PageError> {
    Ok(parse_id(raw).ok_or(AppError::NotFound)?)
}
