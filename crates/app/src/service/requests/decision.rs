//! The office's decision on a request: approve into placements, decline or waitlist — all or nothing.
use super::*;

/// Approve, decline or waitlist — all or nothing.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), request_id = %id, decision = decision.as_str()))]
pub async fn decide(
    st: &AppState,
    p: &Principal,
    id: &str,
    Decision {
        decision,
        reason,
        placements: entries,
    }: Decision,
) -> AppResult<PlacementRequest> {
    p.authorize(Resource::Decision, Action::Write)?;
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    db::requests::lock(&mut tx, id).await?;
    let before = db::requests::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !before.is_open() {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("a {} request cannot be decided again", before.status),
        ));
    }
    let mut created_rows = vec![];
    let status = match decision {
        DecisionKind::Decline => RequestStatus::Declined,
        DecisionKind::Waitlist => RequestStatus::Waitlisted,
        DecisionKind::Approve => {
            let mut problems = Problems(eligibility_of(&mut tx, &before, Stage::Approval).await?);
            let named: Vec<&String> = entries
                .iter()
                .filter_map(|e| e.student_id.as_ref())
                .collect();
            for s in &named {
                if !before.student_ids.contains(s) {
                    let who = db::students::name_for_message(&mut tx, s).await?;
                    problems.add(
                        "placements",
                        ErrorCode::StudentNotInRequest,
                        format!("{who} is not named in this request"),
                    );
                }
            }
            for s in &before.student_ids {
                let count = named.iter().filter(|n| **n == s).count();
                if count == 1 {
                    continue;
                }
                let who = db::students::name_for_message(&mut tx, s).await?;
                if count == 0 {
                    problems.add(
                        "placements",
                        ErrorCode::StudentMissingFromDecision,
                        format!("{who} needs a placement"),
                    );
                } else {
                    problems.add(
                        "placements",
                        ErrorCode::StudentPlacedTwice,
                        format!("{who} is placed twice"),
                    );
                }
            }
            let unnamed = entries.iter().filter(|e| e.student_id.is_none()).count() as i64;
            if unnamed != before.slots {
                problems.add(
                    "placements",
                    ErrorCode::SlotsMismatch,
                    format!(
                        "the request has {} unnamed slot(s); the decision places {unnamed}",
                        before.slots
                    ),
                );
            }
            problems.clone().into_result()?;
            let program = db::programs::get(&mut tx, &before.program_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let faculty_user = match &before.faculty_supervisor {
                Some(f) if before.kind == "internship" => Some(
                    crate::service::invitations::ensure_faculty(
                        &mut tx,
                        st,
                        p,
                        f,
                        &before.school_id,
                    )
                    .await?,
                ),
                _ => None,
            };
            let new: Vec<NewPlacement> = entries
                .into_iter()
                .map(|e| NewPlacement {
                    student_id: e.student_id,
                    department_id: e.department_id,
                    preceptor_id: e.preceptor_id,
                    site_mentor_id: e.site_mentor_id,
                    starts_on: e.starts_on.unwrap_or(before.starts_on),
                    ends_on: e.ends_on.unwrap_or(before.ends_on),
                })
                .collect();
            let faculty_id = faculty_user.as_ref().map(|f| f.user_id.clone());
            created_rows = placements::check_and_insert(
                &mut tx,
                &before,
                &program.discipline,
                &new,
                faculty_id,
                now,
            )
            .await?;
            for r in &created_rows {
                db::audit::record(
                    &mut tx,
                    &p.actor(now),
                    "create",
                    "placement",
                    &r.id,
                    None::<&()>,
                    Some(r),
                )
                .await?;
            }
            if let Some(f) = faculty_user {
                crate::service::invitations::send_invitation(&mut tx, st, &f).await?;
            }
            RequestStatus::Approved
        }
    };
    db::requests::set_status(&mut tx, id, status.as_str(), reason.as_deref(), now).await?;
    let mut after = db::requests::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        &format!("decision:{}", decision.as_str()),
        "placement_request",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tell_the_decision(&mut tx, &after, now).await?;
    let mut views = Vec::new();
    for r in created_rows {
        views.push(placements::view(&mut tx, r, st.clock.today()).await?);
    }
    after.placements = Some(views);
    tx.commit().await?;
    Ok(after)
}

/// The named students and the school that asked hear the decision (`domain::notice`:
/// RequestDecided), in the decision's transaction.
async fn tell_the_decision(
    tx: &mut db::Tx,
    r: &PlacementRequest,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    use crate::domain::notice::NoticeKind;
    use crate::jobs::notices::{Notice, Words};
    let what = format!(
        "{} request from {} to {}",
        r.kind,
        r.starts_on.format("%-d %B %Y"),
        r.ends_on.format("%-d %B %Y")
    );
    let outcome = match r.status.as_str() {
        "approved" => "was approved".to_string(),
        "waitlisted" => "is on the waiting list".to_string(),
        other => format!("was {other}"),
    };
    let because = r
        .decision_reason
        .as_deref()
        .map(|why| format!(" ({why})"))
        .unwrap_or_default();
    let link = format!("/requests/{}", r.id);
    crate::jobs::notices::deliver(
        tx,
        &Notice {
            kind: NoticeKind::RequestDecided,
            word_for_student: "request_decided",
            word_for_staff: "request_decided",
            students: &r.student_ids,
            school_id: &r.school_id,
            preceptor_staff_id: None,
            link_for_student: "/placements",
            link_for_staff: &link,
            to_student: Words {
                message: format!("Your {what} {outcome}{because}"),
                subject: format!("Your placement request {outcome}"),
                body: format!("The education office decided: your {what} {outcome}{because}. Your placements are in Practicum:"),
            },
            to_staff: Words {
                message: format!("The {what} {outcome}{because}"),
                subject: format!("The {what} {outcome}"),
                body: format!("The education office decided: the {what} {outcome}{because}. The request is in Practicum:"),
            },
        },
        now,
    )
    .await?;
    Ok(())
}
