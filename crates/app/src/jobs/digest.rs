//! The daily digest (issue 17 point 4): the e-mails of a person's notices of a digest kind
//! (`EmailKind::by_daily_digest`: the lapse reminders) wait as `digest_items`, written with
//! the notice; the first sweep of each day (the office's time zone) sends each person with
//! items waiting one e-mail listing every item with its link. The day's digest is claimed as
//! `email_digest:<user>:<day>` in `notices_sent`, in the same transaction that queues the
//! e-mail and marks its items mailed: a person gets at most one digest a day, a sweep run twice
//! sends nothing twice, and an item written after a digest (or while the process was down)
//! waits for the next one — none is lost.
use crate::db::{self, DbResult, Tx};
use crate::domain::period::human_date;
use chrono::{DateTime, NaiveDate, Utc};

/// The people with items waiting (their user ids); read before the digests are written.
pub async fn waiting(tx: &mut Tx) -> DbResult<Vec<String>> {
    db::digest::waiting_users(tx).await
}

/// Sends `user_id` today's digest if it has not had one today and has items waiting; answers
/// whether one was queued.
pub async fn send_one(
    tx: &mut Tx,
    user_id: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let key = format!("email_digest:{user_id}:{today}");
    if db::notices::sent_at(tx, &key).await?.is_some() {
        return Ok(false);
    }
    let items = db::digest::waiting_of(tx, user_id).await?;
    if items.is_empty() {
        return Ok(false);
    }
    let Some(user) = db::users::get(tx, user_id).await? else {
        return Ok(false);
    };
    db::notices::record(tx, &key, now).await?;
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    let n = items.len();
    let lines: Vec<String> = items
        .iter()
        .map(|i| format!("- {}\n  {}", i.line, letterhead.link(&i.link)))
        .collect();
    let (noun, verb) = if n == 1 {
        ("reminder", "needs")
    } else {
        ("reminders", "need")
    };
    let subject = format!("Practicum: {n} {noun} for {}", human_date(today));
    let body = format!(
        "Dear {},\n\n{n} {noun} {verb} your attention (each is also among your notifications \
         in Practicum):\n\n{}\n\nChoose which e-mails you get under Notifications, E-mail \
         settings:\n{}\n\n{}\n",
        user.name,
        lines.join("\n"),
        letterhead.link("/notifications/settings"),
        letterhead.signature()
    );
    let mail_id =
        crate::jobs::mail::enqueue(tx, &user.name, &user.email, &subject, &body, now).await?;
    let ids: Vec<String> = items.into_iter().map(|i| i.id).collect();
    db::digest::mark_mailed(tx, &ids, &mail_id).await?;
    Ok(true)
}
