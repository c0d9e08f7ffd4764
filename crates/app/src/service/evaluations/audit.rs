//! The evaluations' audit events (a site evaluation's never keep its answers).
use super::*;

/// What a site evaluation's audit event keeps: never its answers (they would reach the office
/// through the audit history with the author's name).
#[derive(serde::Serialize)]
struct Sealed<'a> {
    id: &'a str,
    placement_id: &'a str,
    point: &'a str,
    status: &'a str,
}

pub(super) async fn audit(
    tx: &mut Tx,
    p: &Principal,
    action: &str,
    before: Option<&EvaluationRow>,
    after: &EvaluationRow,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let actor = p.actor(now);
    if after.point == Point::Site.as_str() {
        fn seal(e: &EvaluationRow) -> Sealed<'_> {
            Sealed {
                id: &e.id,
                placement_id: &e.placement_id,
                point: &e.point,
                status: &e.status,
            }
        }
        let b = before.map(seal);
        db::audit::record(
            tx,
            &actor,
            action,
            "evaluation",
            &after.id,
            b.as_ref(),
            Some(&seal(after)),
        )
        .await?;
    } else {
        db::audit::record(
            tx,
            &actor,
            action,
            "evaluation",
            &after.id,
            before,
            Some(after),
        )
        .await?;
    }
    Ok(())
}
