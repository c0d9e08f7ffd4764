//! What a placement's clearance is derived from, read from the store: the placement's facts
//! (kind, discipline, site, department, period), the active requirement rules, and the
//! student's evidence. The derivation itself is `domain::clearance`.
use super::{DbResult, Tx, placements::PlacementRow};
use crate::domain::{clearance, requirements::PlacementFacts};

/// The facts, rules and evidence a placement's clearance is derived from.
pub async fn facts(
    tx: &mut Tx,
    row: &PlacementRow,
) -> DbResult<
    Option<(
        PlacementFacts,
        Vec<clearance::Rule>,
        Vec<clearance::Evidence>,
    )>,
> {
    let Some(student_id) = &row.student_id else {
        return Ok(None);
    };
    let discipline = super::programs::get(tx, &row.program_id)
        .await?
        .map(|p| p.discipline)
        .unwrap_or_default();
    let site_id = super::departments::get(tx, &row.department_id)
        .await?
        .map(|d| d.site_id)
        .unwrap_or_default();
    let facts = PlacementFacts {
        id: row.id.clone(),
        kind: row.kind.clone(),
        discipline,
        site_id,
        department_id: row.department_id.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    };
    let rules = super::requirements::all(tx)
        .await?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| clearance::Rule {
            code: r.code,
            validity: r.validity,
            applies_to: r.applies_to,
        })
        .collect();
    let evidence = super::documents::of_student(tx, student_id)
        .await?
        .into_iter()
        .filter_map(|d| {
            Some(clearance::Evidence {
                status: clearance::DocStatus::parse(&d.status)?,
                requirement_code: d.requirement_code,
                completed_on: d.completed_on,
                expires_on: d.expires_on,
                placement_id: d.placement_id,
            })
        })
        .collect();
    Ok(Some((facts, rules, evidence)))
}
