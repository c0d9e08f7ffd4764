//! "Who has seen this record": a student's disclosure log as a page (and CSV for the office),
//! and the download of all their data (issue 13 point 6).
use super::super::view::{Cell, Table};
use super::super::{
    PageId, PageResult, PageUser, RecordPage, Section, csv_response, link_with, wants_csv,
};
use crate::http::extract::Params;
use crate::service::{disclosures, export};
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

fn what_words(what: &str) -> &'static str {
    match what {
        "record" => "Student record",
        "documents" => "List of documents",
        "checklist" => "Onboarding checklist",
        "document" => "A document and its review",
        "file" => "A document's file",
        "export" => "All data (export)",
        "evaluation" => "An evaluation",
        _ => "Record",
    }
}

pub async fn page(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    let log = disclosures::of_student(&st, &user.p, &id).await?;
    let mut table = Table::new(
        "Who has seen this record",
        vec!["When", "Who", "Role", "What", "Why"],
        "Nobody other than the student has read this record.",
    );
    for d in &log {
        table.rows.push(vec![
            Cell::text(
                st.clock
                    .local(d.at)
                    .format("%a %-d %b %Y, %H:%M %Z")
                    .to_string(),
            ),
            Cell::text(&d.viewer_name),
            Cell::text(
                crate::domain::Role::parse(&d.viewer_role)
                    .map(|r| r.label().to_string())
                    .unwrap_or_else(|| crate::domain::words::sentence(&d.viewer_role)),
            ),
            Cell::text(what_words(&d.what)),
            match &d.placement_id {
                Some(pid) => Cell::link(&d.reason, format!("/placements/{pid}")),
                None => Cell::text(&d.reason),
            },
        ]);
    }
    if wants_csv(&params) {
        return Ok(csv_response("disclosures", &table));
    }
    let path = format!("/students/{id}/disclosures");
    Ok(RecordPage {
        chrome: user.chrome("Who has seen this record"),
        facts: vec![(
            "Recorded",
            Cell::text(
                "Every time someone other than the student opens the record, its documents, \
                 checklist or files (FERPA 34 CFR 99.32).",
            ),
        )],
        actions: vec![
            (
                link_with(&path, &params, "format", "csv"),
                "Download CSV".to_string(),
            ),
            (
                format!("/students/{id}/export"),
                "Download all data (ZIP)".to_string(),
            ),
        ],
        sections: vec![Section {
            title: "Reads".into(),
            table,
            actions: vec![],
        }],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

pub async fn archive(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let (name, bytes) = export::student_archive(&st, &user.p, &id).await?;
    Ok(crate::http::api::disclosures::zip_response(&name, bytes))
}
