//! The office home's "Documents with a missing file": records whose stored file the data
//! directory lost (restore it from a backup, or ask for it again). Opening one answers 404
//! `file_missing`, never a 500.
use super::*;
use crate::http::pages::view::{Cell, Table};

/// The table, and how many rows it has, for the tile.
pub(super) async fn missing_files_table(
    st: &AppState,
    p: &crate::http::auth::Principal,
) -> Result<Table, PageError> {
    let docs = crate::service::onboarding::documents::with_missing_file(st, p).await?;
    let mut t = Table::new(
        "Documents whose stored file is missing from the data directory",
        vec!["Student", "Requirement", "File", "Submitted"],
        "Every document's file is in place.",
    );
    let mut tx = st.db.read().await?;
    let names = crate::http::pages::onboarding::requirement_names(&mut tx).await?;
    for d in docs {
        let student = db::students::get(&mut tx, &d.student_id)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_default();
        t.rows.push(vec![
            Cell::link(student, format!("/students/{}", d.student_id)),
            crate::http::pages::onboarding::requirement_cell(&names, &d.requirement_code),
            Cell::link(
                d.file_name.clone().unwrap_or_else(|| "document".into()),
                format!("/documents/{}", d.id),
            ),
            Cell::date(Some(d.submitted_at.date_naive())),
        ]);
    }
    Ok(t)
}
