//! What the onboarding changes tell people, enqueued in the change's own transaction.
use crate::db::{self, DbResult, Tx, documents::Document};
use chrono::{DateTime, Utc};

async fn requirement_name(tx: &mut Tx, code: &str) -> DbResult<String> {
    Ok(db::requirements::by_code(tx, code)
        .await?
        .map(|r| r.name)
        .unwrap_or_else(|| code.to_string()))
}

/// The student's sign-ins are told, in the app and by email with the office's note.
pub async fn document_rejected(
    tx: &mut Tx,
    d: &Document,
    origin: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let name = requirement_name(tx, &d.requirement_code).await?;
    let note = d.review_note.clone().unwrap_or_default();
    let link = "/my-documents";
    for (user_id, user_name, email) in
        db::notifications::users_of_student(tx, &d.student_id).await?
    {
        db::notifications::notify(
            tx,
            &user_id,
            "document_rejected",
            &format!("Your {name} document was not accepted: {note}"),
            Some(link),
            now,
        )
        .await?;
        let body = format!(
            "Dear {user_name},\n\nThe education office could not accept the document you sent for \
             {name}.\n\nTheir note: {note}\n\nPlease upload a new one here:\n\n{origin}{link}\n\n\
             The Healthcare Education Office\n"
        );
        crate::jobs::mail::enqueue(
            tx,
            &user_name,
            &email,
            &format!("Your {name} document needs another look"),
            &body,
            now,
        )
        .await?;
    }
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
                "Dear {user_name},\n\n{message}. It is in the review queue under Clearance in Practicum.\n"
            );
            crate::jobs::mail::enqueue(tx, &user_name, &email, "A document to review", &body, now)
                .await?;
        }
    }
    Ok(())
}
