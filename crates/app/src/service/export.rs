//! A student's data, all of it, as one ZIP (issue 13 point 6; FERPA 34 CFR 99.10, the right
//! to inspect one's education records; HIPAA 45 CFR 164.524, the right of access).
use super::{Principal, disclosures, ensure};
use crate::db::{self, Page};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::files;
use crate::state::AppState;
use serde::Serialize;
use std::io::Write;

/// What the archive says about itself (`README.txt`).
const README: &str = "Everything Practicum holds about you, as of the date in export.json.

student.json       your record and your enrollments (current and past)
placements.json    your placements (rotations and internships), with their dates and state
checklist.json     your onboarding requirements and their state, over your open placements
documents.json     the evidence you or your school submitted, and the office's review of it
files/             the files of those documents, named <document id>-<file name>
disclosures.json   who other than you has read your record, what, when and why
hours.json         the hours and absences you logged, and your supervisors' decisions
evaluations.json   your signed evaluations (with earlier versions) and your own site evaluations

Dates are ISO 8601; times are UTC.
";

#[derive(Serialize)]
struct About<'a> {
    exported_at: chrono::DateTime<chrono::Utc>,
    exported_by: &'a str,
    student_id: &'a str,
}

/// The archive for the student (the student themself, or the office): `(file name, bytes)`.
/// Recorded in the disclosure log when the office takes it. Errors: 403 (other roles), 404
/// (no such student, or another student's), 500 when a stored file cannot be read.
pub async fn student_archive(
    st: &AppState,
    p: &Principal,
    student_id: &str,
) -> AppResult<(String, Vec<u8>)> {
    if !(p.role.is_office() || p.role == Role::Student) {
        return Err(AppError::Forbidden);
    }
    let mut tx = st.db.read().await?;
    let student = db::students::get(&mut tx, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(p.role.is_office() || p.student_id.as_deref() == Some(student.id.as_str()))?;
    let filter = db::placements::Filter {
        student_id: Some(student_id.to_string()),
        ..Default::default()
    };
    let mut placements = vec![];
    let mut page = Page {
        limit: 500,
        after: None,
        sort: None,
    };
    loop {
        let batch = db::placements::list(&mut tx, &db::Scope::All, &filter, &page).await?;
        placements.extend(batch.items);
        match batch.next_cursor {
            Some(c) => page.after = Some(c),
            None => break,
        }
    }
    let documents = db::documents::of_student(&mut tx, student_id).await?;
    let checklist = super::onboarding::checklist(&mut tx, student_id, None, st.clock.today())
        .await?
        .into_iter()
        .map(|i| {
            serde_json::json!({ "requirement_code": i.requirement_code, "name": i.name,
                "state": i.state, "lapses_on": i.lapses_on, "placement_ids": i.placement_ids })
        })
        .collect::<Vec<_>>();
    let log = db::disclosures::of_student(&mut tx, student_id, i64::MAX).await?;
    let hours = db::time_entries::of_student(&mut tx, student_id).await?;
    let evaluations = evaluations_of(&mut tx, &placements, p.role == Role::Student).await?;
    drop(tx);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, bytes: &[u8]| -> AppResult<()> {
        zip.start_file(name, opts).map_err(anyhow::Error::from)?;
        zip.write_all(bytes).map_err(anyhow::Error::from)?;
        Ok(())
    };
    put("README.txt", README.as_bytes())?;
    put(
        "export.json",
        &json(&About {
            exported_at: st.clock.now(),
            exported_by: &p.name,
            student_id,
        })?,
    )?;
    put("student.json", &json(&student)?)?;
    put("placements.json", &json(&placements)?)?;
    put("checklist.json", &json(&checklist)?)?;
    put("documents.json", &json(&documents)?)?;
    put("disclosures.json", &json(&log)?)?;
    put("hours.json", &json(&hours)?)?;
    put("evaluations.json", &json(&evaluations)?)?;
    for d in &documents {
        let Some(sha) = &d.file_sha256 else { continue };
        let bytes = files::read(&st.config.files_dir(), sha)
            .await
            .map_err(anyhow::Error::from)?;
        let name = d.file_name.as_deref().unwrap_or("file");
        put(&format!("files/{}-{}", d.id, safe_name(name)), &bytes)?;
    }
    let bytes = zip.finish().map_err(anyhow::Error::from)?.into_inner();
    disclosures::record(st, p, student_id, disclosures::Read::Export).await?;
    Ok((format!("practicum-{}.zip", student.id), bytes))
}

/// The student's evaluations: the supervisors' once signed, with the versions corrections
/// replaced; their own site evaluations only in the student's own copy (nobody else ever
/// reads one, issue 16 point 3).
async fn evaluations_of(
    tx: &mut db::Tx,
    placements: &[db::placements::PlacementRow],
    own_copy: bool,
) -> AppResult<Vec<serde_json::Value>> {
    let mut out = vec![];
    for placement in placements {
        for e in db::evaluations::of_placement(tx, &placement.id).await? {
            let site = e.point == "site";
            if (site && !own_copy) || (!site && !e.is_signed()) {
                continue;
            }
            let form = db::evaluations::get_template(tx, &e.template_id)
                .await?
                .map(|t| t.name);
            let history = db::evaluations::history(tx, &e.id).await?;
            out.push(
                serde_json::json!({ "id": e.id, "placement_id": e.placement_id, "point": e.point,
                "form": form, "version": e.version, "status": e.status, "answers": e.answers(),
                "mentor_comment": e.mentor_comment, "signed_by_name": e.signed_by_name,
                "signed_at": e.signed_at, "acknowledged_at": e.acknowledged_at,
                "student_comment": e.student_comment, "correction_reason": e.correction_reason,
                "history": history }),
            );
        }
    }
    Ok(out)
}

/// A stored file name as a safe archive entry: no directories, no control characters.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "file".into()
    } else {
        cleaned
    }
}

fn json<T: Serialize>(v: &T) -> AppResult<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(v).map_err(anyhow::Error::from)?)
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn archive_names_never_leave_their_folder() {
        assert_eq!(safe_name("card.pdf"), "card.pdf");
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("a\\b\\c.png"), "c.png");
        assert_eq!(safe_name(".."), "file");
        assert_eq!(safe_name("x\ny.pdf"), "x_y.pdf");
    }
}
