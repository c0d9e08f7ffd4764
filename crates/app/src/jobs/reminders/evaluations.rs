//! Evaluation reminders (issue 16 point 2), part of the reminder sweep: whoever owes an
//! evaluation is told once when it is due (its day) and once when it is late (a week past it,
//! `domain::evaluation::LATE_AFTER_DAYS`), each claimed in `notices_sent` under
//! `eval_due:<placement>:<point>` / `eval_late:<placement>:<point>` in the sweep's transaction.
//! The supervisor owes the midterm and the final, the student the site evaluation; a signed
//! (submitted) evaluation, or a placement that is proposed or cancelled, owes nothing.
use crate::db::{self, DbResult, Tx};
use crate::domain::{
    evaluation::{self, Point, Urgency},
    period::human_date,
};
use chrono::{DateTime, NaiveDate, Utc};

async fn claim(tx: &mut Tx, key: &str, now: DateTime<Utc>) -> DbResult<bool> {
    if db::notices::sent_at(tx, key).await?.is_some() {
        return Ok(false);
    }
    db::notices::record(tx, key, now).await?;
    Ok(true)
}

/// Who owes this evaluation: (user id, name, email) of each sign-in; a student without one
/// by the address on their record (an empty user id).
async fn owers(
    tx: &mut Tx,
    p: &db::placements::PlacementRow,
    point: Point,
) -> DbResult<Vec<(String, String, String)>> {
    if point.by_student() {
        let Some(s) = &p.student_id else {
            return Ok(vec![]);
        };
        let users = db::notifications::users_of_student(tx, s).await?;
        if !users.is_empty() {
            return Ok(users);
        }
        // A student without a sign-in is written to at the address on their record.
        return Ok(db::students::get(tx, s)
            .await?
            .map(|st| (String::new(), st.full_name(), st.email))
            .into_iter()
            .collect());
    }
    let user = match p.kind.as_str() {
        "internship" => match &p.faculty_user_id {
            Some(u) => db::users::get(tx, u).await?,
            None => None,
        },
        _ => match &p.preceptor_id {
            Some(s) => db::users::by_staff(tx, s).await?,
            None => None,
        },
    };
    Ok(user
        .into_iter()
        .filter(|u| u.disabled_at.is_none())
        .map(|u| (u.id, u.name, u.email))
        .collect())
}

/// The reminder keys due today for one placement and not sent yet: (point, key, late). Read
/// only, so the sweep asks it outside its write transaction (`jobs::reminders`).
async fn due_points(
    tx: &mut Tx,
    p: &db::placements::PlacementRow,
    today: NaiveDate,
) -> DbResult<Vec<(Point, String, bool)>> {
    if !evaluation::owed(&p.status) || p.starts_on > today {
        return Ok(vec![]);
    }
    let mut out = Vec::new();
    let mut stored = None;
    for point in Point::ALL {
        let due = evaluation::due_on(point, p.starts_on, p.ends_on);
        if !evaluation::still_reminded(due, today) {
            continue;
        }
        let (key, late) = match evaluation::urgency(due, today) {
            Urgency::NotYet => continue,
            Urgency::Due => (format!("eval_due:{}:{}", p.id, point.as_str()), false),
            Urgency::Late => (format!("eval_late:{}:{}", p.id, point.as_str()), true),
        };
        if db::notices::sent_at(tx, &key).await?.is_some() {
            continue;
        }
        if stored.is_none() {
            stored = Some(db::evaluations::of_placement(tx, &p.id).await?);
        }
        if stored
            .iter()
            .flatten()
            .any(|e| e.point == point.as_str() && e.is_signed())
        {
            continue;
        }
        out.push((point, key, late));
    }
    Ok(out)
}

/// Whether one placement may have an evaluation reminder to send today (read only; the send
/// checks again in the write).
pub async fn may_be_due(
    tx: &mut Tx,
    p: &db::placements::PlacementRow,
    today: NaiveDate,
) -> DbResult<bool> {
    Ok(!due_points(tx, p, today).await?.is_empty())
}

/// Sends what is due today for one placement, claiming each key in `tx`; answers how many
/// reminders went out.
pub async fn remind_one(
    tx: &mut Tx,
    p: &db::placements::PlacementRow,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DbResult<usize> {
    let mut sent = 0;
    for (point, key, late) in due_points(tx, p, today).await? {
        let due = evaluation::due_on(point, p.starts_on, p.ends_on);
        {
            if !claim(tx, &key, now).await? {
                continue;
            }
            if late {
                // First noticed late: it is not also told as due afterwards.
                claim(tx, &format!("eval_due:{}:{}", p.id, point.as_str()), now).await?;
            }
            let student = match &p.student_id {
                Some(s) => db::students::get(tx, s).await?.map(|s| s.full_name()),
                None => None,
            }
            .unwrap_or_else(|| "the student".into());
            let what = if point.by_student() {
                "your evaluation of the site and supervisor".to_string()
            } else {
                format!("the {} of {student}", point.label().to_lowercase())
            };
            let day = human_date(due);
            let (message, subject) = if late {
                (
                    format!("Late: {what} was due on {day}"),
                    format!("Late: {what}"),
                )
            } else {
                (
                    format!("Due: {what}, by {day}"),
                    format!("Due today: {what}"),
                )
            };
            let link = format!("/placements/{}#evaluations", p.id);
            let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
            for (user_id, name, email) in owers(tx, p, point).await? {
                let word = if late {
                    "evaluation_late"
                } else {
                    "evaluation_due"
                };
                if !user_id.is_empty() {
                    db::notifications::notify(tx, &user_id, word, &message, Some(&link), now)
                        .await?;
                }
                let body = format!(
                    "Dear {name},\n\n{message}. It is in Practicum, on the placement's page:\n\n{}\n\n{}\n",
                    letterhead.link(&link),
                    letterhead.signature()
                );
                crate::jobs::notices::email(
                    tx,
                    &crate::jobs::notices::Email {
                        kind: crate::domain::notice::EmailKind::EvaluationDue,
                        user_id: Some(user_id.as_str()).filter(|u| !u.is_empty()),
                        name: &name,
                        address: &email,
                        subject: &subject,
                        body: &body,
                        line: &message,
                        link: &link,
                    },
                    now,
                )
                .await?;
                sent += 1;
            }
        }
    }
    Ok(sent)
}
