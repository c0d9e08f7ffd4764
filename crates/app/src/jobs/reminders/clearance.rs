//! Clearance notices: a document lapsing before its placement ends, and 14 days to the start.
use super::*;

pub(super) fn lapse_key(placement_id: &str, code: &str) -> String {
    format!("lapse:{placement_id}:{code}")
}

pub(super) fn start_key(placement_id: &str) -> String {
    format!("start14:{placement_id}")
}

/// Claims and sends one open placement's lapse and 14-day notices, in the batch's write:
/// (lapse notices, start notices) sent.
#[allow(clippy::too_many_arguments)]
pub(super) async fn send_due(
    tx: &mut Tx,
    row: &db::placements::PlacementRow,
    student_id: &String,
    clearance: &Clearance,
    today: NaiveDate,
    now: DateTime<Utc>,
    names: &mut HashMap<String, String>,
    students: &mut HashMap<String, String>,
) -> DbResult<(usize, usize)> {
    let mut sent = (0, 0);
    for code in &clearance.expiring {
        if !claim(tx, &lapse_key(&row.id, code), now).await? {
            continue;
        }
        let name = requirement_name(tx, names, code).await?;
        let who = student_name(tx, students, student_id).await?;
        let staff_link = format!("/placements/{}", row.id);
        let ends = crate::domain::period::human_date(row.ends_on);
        notices::deliver(
            tx,
            &Notice {
                kind: NoticeKind::DocumentLapses,
                word_for_student: "document_lapses",
                word_for_staff: "document_lapses",
                students: std::slice::from_ref(student_id),
                school_id: &row.school_id,
                preceptor_staff_id: None,
                link_for_student: "/my-documents",
                link_for_staff: &staff_link,
                to_student: Words {
                    message: format!(
                        "Your {name} lapses before your placement ending {ends} does: upload a renewed one"
                    ),
                    subject: format!("Renew your {name} before your placement ends"),
                    body: format!(
                        "Your {name} will no longer be valid before your placement ends on {ends}. \
                         You cannot continue the placement without it: please upload a renewed \
                         one under My documents in Practicum:"
                    ),
                },
                to_staff: Words {
                    message: format!(
                        "{who}'s {name} lapses before the placement ending {ends} does"
                    ),
                    subject: format!("{who}: the {name} lapses before the placement ends"),
                    body: format!(
                        "{who}'s {name} will no longer be valid before the placement ends on {ends}. \
                         The student has been asked to upload a renewed one:"
                    ),
                },
            },
            now,
        )
        .await?;
        sent.0 += 1;
    }
    let days = (row.starts_on - today).num_days();
    if (0..=NOTICE_DAYS).contains(&days) && claim(tx, &start_key(&row.id), now).await? {
        let student = student_name(tx, students, student_id).await?;
        // Requirements by name ("Basic Life Support"), not code (issue 14 point 5).
        let mut what = Vec::new();
        for code in clearance.missing.iter().chain(clearance.expiring.iter()) {
            what.push(requirement_name(tx, names, code).await?);
        }
        let what = what.join(", ");
        let state = if clearance.is_cleared() {
            "is cleared".to_string()
        } else {
            format!("is not cleared yet: {what} still to do")
        };
        let yours = if clearance.is_cleared() {
            "you are cleared".to_string()
        } else {
            format!("you are not cleared yet: {what} still to do")
        };
        // The day as people write it ("Mon 1 Feb 2027"), not ISO (issue 14 point 5).
        let starts = crate::domain::period::human_date(row.starts_on);
        let message = format!("{student} starts on {starts} and {state}");
        let link = format!("/placements/{}", row.id);
        notices::deliver(
            tx,
            &Notice {
                kind: NoticeKind::StartingSoon,
                word_for_student: "starting_soon",
                word_for_staff: if clearance.is_cleared() {
                    "student_cleared"
                } else {
                    "student_blocked"
                },
                students: std::slice::from_ref(student_id),
                school_id: &row.school_id,
                preceptor_staff_id: None,
                link_for_student: &link,
                link_for_staff: &link,
                to_student: Words {
                    message: format!("Your placement starts on {starts} and {yours}"),
                    subject: format!("Your placement starts in {NOTICE_DAYS} days"),
                    body: format!(
                        "Your placement starts on {starts} and {yours}. Your onboarding is \
                             in Practicum:"
                    ),
                },
                to_staff: Words {
                    message: message.clone(),
                    subject: format!("{student}: {NOTICE_DAYS} days to the start"),
                    body: format!(
                        "{message}. The placement's onboarding is in Practicum under Placements:"
                    ),
                },
            },
            now,
        )
        .await?;
        sent.1 += 1;
    }
    Ok(sent)
}
