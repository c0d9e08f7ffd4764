//! The office's digest of the documents uploaded since the last one.
use super::*;

/// One email per office user with the uploads since their last digest, once the digest
/// interval has passed.
pub(super) async fn upload_digests(
    tx: &mut Tx,
    st: &AppState,
    now: DateTime<Utc>,
) -> DbResult<usize> {
    let every = Duration::from_std(st.config.upload_digest).unwrap_or(Duration::hours(1));
    let mut count = 0;
    for (user_id, user_name, email) in
        db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?
    {
        let key = format!("digest:{user_id}");
        let last = db::notices::sent_at(tx, &key).await?;
        if last.is_some_and(|l| now - l < every) {
            continue;
        }
        let since = last.unwrap_or(now - every);
        let uploads = db::documents::uploaded_between(tx, since, now).await?;
        db::notices::record(tx, &key, now).await?;
        if uploads.is_empty() {
            continue;
        }
        // Times as the office reads them, in its time zone.
        let zone = st.clock.time_zone();
        let when = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z");
        let lines: Vec<String> = uploads
            .iter()
            .map(|(student, requirement, at)| format!("- {student}: {requirement} ({})", when(*at)))
            .collect();
        let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
        let body = format!(
            "Dear {user_name},\n\n{} document(s) were uploaded since {} and wait for review:\n\n{}\n\n\
             The review queue is under Clearance in Practicum:\n\n{}\n\n{}\n",
            uploads.len(),
            when(since),
            lines.join("\n"),
            letterhead.link("/documents"),
            letterhead.signature()
        );
        notices::email(
            tx,
            &notices::Email {
                kind: EmailKind::UploadsToReview,
                user_id: Some(&user_id),
                name: &user_name,
                address: &email,
                subject: &format!("{} document(s) to review", uploads.len()),
                body: &body,
                line: &format!("{} document(s) to review", uploads.len()),
                link: "/documents",
            },
            now,
        )
        .await?;
        count += 1;
    }
    Ok(count)
}
