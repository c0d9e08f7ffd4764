//! What the reports read: one row per placement that holds a seat in a period.
use super::{DbResult, Tx};
use crate::on_tx;
use chrono::NaiveDate;

/// A placed student, with the names the report groups by.
#[derive(sqlx::FromRow)]
pub struct PlacedRow {
    pub student_id: String,
    pub kind: String,
    pub discipline: String,
    pub discipline_name: String,
    pub degree_level: String,
    pub school_id: String,
    pub school_name: String,
    pub department_id: String,
    pub department_name: String,
}

/// Every named placement, not cancelled, overlapping `from..=to` (both inclusive).
pub async fn placed_between(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<PlacedRow>> {
    let rows: Vec<PlacedRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT p.student_id AS student_id, p.kind AS kind, pr.discipline AS discipline, d.name AS discipline_name,
                pr.degree_level AS degree_level, s.id AS school_id, s.name AS school_name,
                dep.id AS department_id, site.name || ' — ' || dep.name AS department_name
         FROM placements p JOIN programs pr ON pr.id = p.program_id JOIN disciplines d ON d.code = pr.discipline
         JOIN schools s ON s.id = p.school_id JOIN departments dep ON dep.id = p.department_id JOIN sites site ON site.id = dep.site_id
         WHERE p.status <> 'cancelled' AND p.student_id IS NOT NULL AND p.starts_on <= $2 AND p.ends_on >= $1")
        .bind(from).bind(to).fetch_all(c).await)?;
    Ok(rows)
}
