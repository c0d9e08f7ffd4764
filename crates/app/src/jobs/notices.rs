//! Delivers a notice to the audiences `domain::notice` gives its kind, in the caller's
//! transaction: in-app notifications for sign-ins, e-mail (through the queue) for everyone,
//! and a student without a sign-in by e-mail to the address on their record. Every notice
//! e-mail goes through `email`, which keeps each person's choices: a kind they turned off is
//! not mailed (the in-app notification stays), and a kind gathered into the daily digest
//! (`EmailKind::by_daily_digest`) waits there instead of going at once (`jobs::digest`).
use crate::db::{self, DbResult, Tx};
use crate::domain::notice::{Audience, EmailKind, NoticeKind};
use chrono::{DateTime, Utc};

/// What one audience reads: the in-app line, and the e-mail's subject and paragraph.
#[derive(Clone, Debug)]
pub struct Words {
    pub message: String,
    pub subject: String,
    pub body: String,
}

/// A notice about students (one, or a request's named students).
#[derive(Clone, Debug)]
pub struct Notice<'a> {
    pub kind: NoticeKind,
    /// The notification's `kind` word, as the API lists it (`document_rejected`, ...).
    pub word_for_student: &'a str,
    pub word_for_staff: &'a str,
    /// The students it is about; each is told (a request with only unnamed places has none).
    pub students: &'a [String],
    /// The students' school, or for a decision the school that asked.
    pub school_id: &'a str,
    /// The preceptor (a staff id) the notice is about, for `Audience::Preceptor`.
    pub preceptor_staff_id: Option<&'a str>,
    /// Where to look: a path on this site, for the student and for the staff.
    pub link_for_student: &'a str,
    pub link_for_staff: &'a str,
    pub to_student: Words,
    pub to_staff: Words,
}

/// One person to tell: a sign-in (`user_id`) or only an address on file.
struct Recipient {
    user_id: Option<String>,
    name: String,
    email: String,
}

fn signed_in(rows: Vec<(String, String, String)>) -> Vec<Recipient> {
    rows.into_iter()
        .map(|(id, name, email)| Recipient {
            user_id: Some(id),
            name,
            email,
        })
        .collect()
}

async fn recipients(tx: &mut Tx, n: &Notice<'_>, audience: Audience) -> DbResult<Vec<Recipient>> {
    Ok(match audience {
        Audience::Student => {
            let mut out = Vec::new();
            for student_id in n.students {
                let users = db::notifications::users_of_student(tx, student_id).await?;
                if !users.is_empty() {
                    out.extend(signed_in(users));
                } else if let Some(s) = db::students::get(tx, student_id).await? {
                    out.push(Recipient {
                        user_id: None,
                        name: s.full_name(),
                        email: s.email,
                    });
                }
            }
            out
        }
        Audience::School => signed_in(db::notifications::users_of_school(tx, n.school_id).await?),
        Audience::Office => {
            signed_in(db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?)
        }
        Audience::Preceptor => match n.preceptor_staff_id {
            Some(staff_id) => db::users::by_staff(tx, staff_id)
                .await?
                .filter(|u| u.disabled_at.is_none())
                .map(|u| Recipient {
                    user_id: Some(u.id),
                    name: u.name,
                    email: u.email,
                })
                .into_iter()
                .collect(),
            None => vec![],
        },
    })
}

/// One notice e-mail to one person.
#[derive(Clone, Debug)]
pub struct Email<'a> {
    pub kind: EmailKind,
    /// The person's sign-in, if they have one: their choices apply, and a digest needs one.
    pub user_id: Option<&'a str>,
    pub name: &'a str,
    pub address: &'a str,
    pub subject: &'a str,
    /// The whole e-mail, when it goes by itself.
    pub body: &'a str,
    /// The item in one line with its link (a path on this site), when it goes in the digest.
    pub line: &'a str,
    pub link: &'a str,
}

/// What became of one notice e-mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emailed {
    /// Queued to go by itself.
    Queued,
    /// Waiting in the person's daily digest.
    InDigest,
    /// The person turned this kind off.
    TurnedOff,
}

/// Sends a notice e-mail as its person chose, in the caller's transaction: not at all for a
/// kind they turned off, into their daily digest for a digest kind, else queued at once.
pub async fn email(tx: &mut Tx, e: &Email<'_>, now: DateTime<Utc>) -> DbResult<Emailed> {
    let kind = e.kind.as_str();
    if let Some(user_id) = e.user_id {
        if db::email_preferences::is_off(tx, user_id, kind).await? {
            return Ok(Emailed::TurnedOff);
        }
        if e.kind.by_daily_digest() {
            db::digest::add(tx, user_id, kind, e.line, e.link, now).await?;
            return Ok(Emailed::InDigest);
        }
    }
    crate::jobs::mail::enqueue(tx, e.name, e.address, e.subject, e.body, now).await?;
    Ok(Emailed::Queued)
}

/// Tells every audience of the notice's kind; returns how many people were told. E-mailed
/// links start with the settings' public base URL (`jobs::mail::Letterhead`).
pub async fn deliver(tx: &mut Tx, n: &Notice<'_>, now: DateTime<Utc>) -> DbResult<usize> {
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    let mut told: Vec<String> = Vec::new();
    for audience in n.kind.audiences() {
        let (words, word, link) = match audience {
            Audience::Student => (&n.to_student, n.word_for_student, n.link_for_student),
            Audience::School | Audience::Office | Audience::Preceptor => {
                (&n.to_staff, n.word_for_staff, n.link_for_staff)
            }
        };
        for r in recipients(tx, n, *audience).await? {
            // One person in two audiences (an admin who is also a school's coordinator) is
            // told once.
            if told.contains(&r.email) {
                continue;
            }
            if let Some(user_id) = &r.user_id {
                db::notifications::notify(tx, user_id, word, &words.message, Some(link), now)
                    .await?;
            }
            let body = format!(
                "Dear {},\n\n{}\n\n{}\n\n{}\n",
                r.name,
                words.body,
                letterhead.link(link),
                letterhead.signature()
            );
            email(
                tx,
                &Email {
                    kind: n.kind.email_kind(),
                    user_id: r.user_id.as_deref(),
                    name: &r.name,
                    address: &r.email,
                    subject: &words.subject,
                    body: &body,
                    line: &words.message,
                    link,
                },
                now,
            )
            .await?;
            told.push(r.email);
        }
    }
    Ok(told.len())
}
