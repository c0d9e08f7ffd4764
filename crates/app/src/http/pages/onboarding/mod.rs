//! Onboarding pages: a student's one checklist and upload form, the office's review queue,
//! each placement's onboarding and provisioning, and who starts soon without being ready.
//!
//! This module holds the routes and the checklist cells the pages share; `documents` is a
//! student's documents page and its upload, `review_queue` the office's review, `placement` a
//! placement's onboarding and its ticks, `signing` the signatures made in the system,
//! `starting_soon` who starts soon without being ready.
use super::view::{Cell, Table};
use crate::service::onboarding::ChecklistItem;
use crate::state::AppState;
use axum::{Router, routing::get};

mod documents;
mod placement;
mod review_queue;
mod signing;
mod starting_soon;
use documents::{my_documents, student_documents, upload};
use placement::{placement_onboarding, tick};
use review_queue::*;
use starting_soon::starting_soon;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my-documents", get(my_documents))
        .route(
            "/students/{id}/documents",
            get(student_documents).post(upload),
        )
        .route("/documents", get(queue))
        .route("/documents/{id}", get(document).post(review))
        .route("/documents/{id}/file", get(file))
        .route("/documents/{id}/preview", get(preview))
        .route("/placements/{id}/onboarding", get(placement_onboarding))
        .route(
            "/placements/{id}/onboarding/{code}",
            get(signing::show).post(tick),
        )
        .route(
            "/agreement-texts/{code}",
            get(signing::edit_text).post(signing::save_text),
        )
        .route("/provisioning", get(starting_soon))
}

fn state_badge(state: &str) -> Cell {
    let style = match state {
        "verified" => "ok",
        "submitted" => "info",
        "missing" => "warn",
        _ => "bad",
    };
    Cell::badge(crate::domain::words::checklist_state(state), style)
}

/// A requirement's cell: its name on the page (names, not codes: UI.md), its code in the CSV,
/// as the checklist's, since the code is what imports and the API name a requirement by.
/// `names` is (code, name) of every requirement; a code none has shows as itself.
pub(in crate::http::pages) fn requirement_cell(names: &[(String, String)], code: &str) -> Cell {
    let name = names
        .iter()
        .find(|(c, _)| c == code)
        .map_or(code, |(_, n)| n.as_str());
    Cell {
        csv: code.to_string(),
        ..Cell::text(name)
    }
}

/// Every requirement's (code, name), for [`requirement_cell`] and the requirement filters.
pub(in crate::http::pages) async fn requirement_names(
    tx: &mut crate::db::Tx,
) -> crate::db::DbResult<Vec<(String, String)>> {
    Ok(crate::db::requirements::all(tx)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect())
}

fn checklist_table(items: &[ChecklistItem]) -> Table {
    let mut t = Table::new(
        "What is needed",
        vec!["Requirement", "State", "Valid until", "How"],
        "Nothing is needed: no open placement.",
    );
    for i in items {
        t.rows.push(vec![
            Cell {
                csv: i.requirement_code.clone(),
                ..Cell::text(&i.name)
            },
            state_badge(&i.state),
            Cell::date(i.lapses_on),
            Cell::text(crate::domain::words::sentence(
                &crate::domain::words::satisfier(&i.satisfied_by),
            )),
        ]);
    }
    t
}
