//! Supervisors told of time entries waiting 7 days for their approval.
use super::*;

/// Entries pending for 7 days remind their supervisor once (issue 15 point 4): each entry is
/// claimed under `hours7:<entry id>`, and the placement's preceptor (a clinical) or faculty
/// member (an internship) gets one notification and one e-mail for the entries newly due.
pub(super) async fn hours_waiting(
    tx: &mut Tx,
    now: DateTime<Utc>,
    students: &mut HashMap<String, String>,
) -> DbResult<usize> {
    use crate::domain::hours::REMIND_AFTER_DAYS;
    let due = db::time_entries::pending_since(tx, now - Duration::days(REMIND_AFTER_DAYS)).await?;
    let mut by_placement: Vec<(String, Vec<db::time_entries::TimeEntryRow>)> = vec![];
    for e in due {
        if !claim(tx, &format!("hours7:{}", e.id), now).await? {
            continue;
        }
        match by_placement.iter_mut().find(|(p, _)| *p == e.placement_id) {
            Some((_, list)) => list.push(e),
            None => by_placement.push((e.placement_id.clone(), vec![e])),
        }
    }
    let mut told = 0;
    for (placement_id, entries) in by_placement {
        let Some(placement) = db::placements::get(tx, &placement_id).await? else {
            continue;
        };
        let supervisor = match (&placement.preceptor_id, &placement.faculty_user_id) {
            (Some(staff), _) => db::users::by_staff(tx, staff).await?,
            (None, Some(user)) => db::users::get(tx, user).await?,
            _ => None,
        };
        let Some(supervisor) = supervisor else {
            continue;
        };
        let who = student_name(tx, students, &entries[0].student_id).await?;
        let n = entries.len();
        let (plural, verb) = if n == 1 {
            ("time entry", "has")
        } else {
            ("time entries", "have")
        };
        let oldest = entries
            .iter()
            .map(|e| e.entry_date)
            .min()
            .map(crate::domain::period::human_date)
            .unwrap_or_default();
        let message = format!(
            "{n} {plural} of {who} (from {oldest}) {verb} waited {REMIND_AFTER_DAYS} days for your approval"
        );
        let link = format!("/placements/{placement_id}/hours");
        db::notifications::notify(
            tx,
            &supervisor.id,
            "hours_to_approve",
            &message,
            Some(&link),
            now,
        )
        .await?;
        let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
        let body = format!(
            "Dear {},\n\n{n} {plural} that {who} logged (the oldest for {oldest}) are waiting for \
             your approval in Practicum. Approve them, or return them with a note:\n\n{}\n\n{}\n",
            supervisor.name,
            letterhead.link(&link),
            letterhead.signature()
        );
        notices::email(
            tx,
            &notices::Email {
                kind: EmailKind::HoursToApprove,
                user_id: Some(&supervisor.id),
                name: &supervisor.name,
                address: &supervisor.email,
                subject: &format!("{who}: hours waiting for your approval"),
                body: &body,
                line: &message,
                link: &link,
            },
            now,
        )
        .await?;
        told += 1;
    }
    Ok(told)
}
