//! What the onboarding changes tell people, enqueued in the change's own transaction.
use crate::db::{self, DbResult, Tx, documents::Document};
use crate::domain::notice::{EmailKind, NoticeKind};
use crate::jobs::notices::{self, Notice, Words};
use chrono::{DateTime, Utc};

async fn requirement_name(tx: &mut Tx, code: &str) -> DbResult<String> {
    Ok(db::requirements::by_code(tx, code)
        .await?
        .map(|r| r.name)
        .unwrap_or_else(|| code.to_string()))
}

/// The student (their sign-ins, or their address on file) and their school's coordinators are
/// told, with the office's note (`domain::notice`: DocumentRejected).
pub async fn document_rejected(tx: &mut Tx, d: &Document, now: DateTime<Utc>) -> DbResult<()> {
    let name = requirement_name(tx, &d.requirement_code).await?;
    let note = d.review_note.clone().unwrap_or_default();
    let Some(student) = db::students::get(tx, &d.student_id).await? else {
        return Ok(());
    };
    let who = student.full_name();
    let staff_link = format!("/students/{}/documents", student.id);
    notices::deliver(
        tx,
        &Notice {
            kind: NoticeKind::DocumentRejected,
            word_for_student: "document_rejected",
            word_for_staff: "document_rejected",
            students: std::slice::from_ref(&student.id),
            school_id: &student.school_id,
            preceptor_staff_id: None,
            link_for_student: "/my-documents",
            link_for_staff: &staff_link,
            to_student: Words {
                message: format!("Your {name} document was not accepted: {note}"),
                subject: format!("Your {name} document needs another look"),
                body: format!(
                    "The education office could not accept the document you sent for {name}.\n\n\
                     Their note: {note}\n\nPlease upload a new one here:"
                ),
            },
            to_staff: Words {
                message: format!("{who}'s {name} document was not accepted: {note}"),
                subject: format!("{who}: the {name} document was not accepted"),
                body: format!(
                    "The education office could not accept the {name} document sent for {who}.\n\n\
                     Their note: {note}\n\nA new one can be uploaded here:"
                ),
            },
        },
        now,
    )
    .await?;
    Ok(())
}

/// The office (admins and coordinators) is told in the app, one notification per upload;
/// by email in the periodic digest (`jobs::reminders`), or at once with `email_now`.
pub async fn document_uploaded(
    tx: &mut Tx,
    d: &Document,
    student_name: &str,
    now: DateTime<Utc>,
    email_now: bool,
) -> DbResult<()> {
    let name = requirement_name(tx, &d.requirement_code).await?;
    let link = format!("/documents/{}", d.id);
    let message = format!("{student_name} sent a {name} document to review");
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    for (user_id, user_name, email) in
        db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?
    {
        db::notifications::notify(
            tx,
            &user_id,
            "document_uploaded",
            &message,
            Some(&link),
            now,
        )
        .await?;
        if email_now {
            let body = format!(
                "Dear {user_name},\n\n{message}. It is in the review queue under Clearance in \
                 Practicum:\n\n{}\n\n{}\n",
                letterhead.link(&link),
                letterhead.signature()
            );
            notices::email(
                tx,
                &notices::Email {
                    kind: EmailKind::DocumentToReview,
                    user_id: Some(&user_id),
                    name: &user_name,
                    address: &email,
                    subject: "A document to review",
                    body: &body,
                    line: &message,
                    link: &link,
                },
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// A reviewed document's "to review" notices are done (`NoticeKind::is_work_item`): nobody in
/// the office is left with an unread item that someone else already did.
pub async fn review_done(tx: &mut Tx, d: &Document, now: DateTime<Utc>) -> DbResult<u64> {
    debug_assert!(NoticeKind::DocumentToReview.is_work_item());
    db::notifications::mark_done(
        tx,
        "document_uploaded",
        &format!("/documents/{}", d.id),
        now,
    )
    .await
}
