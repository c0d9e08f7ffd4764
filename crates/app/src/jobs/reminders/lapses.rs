//! Reminders for what lapses (issue 17 point 4), part of the reminder sweep: an active
//! affiliation agreement at 90, 60 and 30 days before it expires (to the office and the
//! school's coordinators), a program's accreditation ending within 90 days (the office and the
//! school), and a preceptor's licence ending before a placement they supervise ends (the
//! office, and the preceptor if they have a sign-in). Which one is due is
//! `domain::lapse`; who hears is `domain::notice`'s table. Each is claimed once in
//! `notices_sent`, in the transaction of its notifications and e-mails:
//! `agreement_expiring:<agreement>:<expires_on>:<days>`,
//! `accreditation_ending:<program>:<accredited_until>` and
//! `licence_ends_first:<placement>:<staff>:<license_expires_on>` — a renewed agreement,
//! accreditation or licence (a new day) is reminded again. The e-mails go in each person's
//! daily digest (`jobs::digest`).
use crate::db::{self, DbResult, Tx, placements::PlacementRow};
use crate::domain::lapse;
use crate::domain::notice::NoticeKind;
use crate::domain::period::human_date;
use crate::jobs::notices::{self, Notice, Words};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// The same words for everyone told (no student hears of these).
fn notice<'a>(
    kind: NoticeKind,
    word: &'a str,
    school_id: &'a str,
    preceptor_staff_id: Option<&'a str>,
    link: &'a str,
    words: Words,
) -> Notice<'a> {
    Notice {
        kind,
        word_for_student: word,
        word_for_staff: word,
        students: &[],
        school_id,
        preceptor_staff_id,
        link_for_student: link,
        link_for_staff: link,
        to_student: words.clone(),
        to_staff: words,
    }
}

async fn school_name(tx: &mut Tx, id: &str) -> DbResult<String> {
    Ok(db::schools::get(tx, id)
        .await?
        .map(|s| s.name)
        .unwrap_or_else(|| "A school".into()))
}

/// Agreements at a threshold today, each threshold told once; answers how many.
pub async fn agreements(tx: &mut Tx, today: NaiveDate, now: DateTime<Utc>) -> DbResult<usize> {
    let last = lapse::AGREEMENT_THRESHOLDS[0];
    let due =
        db::agreements::active_expiring_between(tx, today, today + Duration::days(last)).await?;
    let mut sent = 0;
    for a in due {
        let Some(days) = lapse::agreement_threshold(a.expires_on, today) else {
            continue;
        };
        let key = format!("agreement_expiring:{}:{}:{days}", a.id, a.expires_on);
        if !db::notices::claim(tx, &key, now).await? {
            continue;
        }
        let school = school_name(tx, &a.school_id).await?;
        let expires = human_date(a.expires_on);
        let left = lapse::days_left_words(a.expires_on, today);
        let link = format!("/schools/{}", a.school_id);
        let message = format!(
            "{school}'s affiliation agreement expires on {expires} ({left}): renew it in time"
        );
        let words = Words {
            subject: format!("{school}: the affiliation agreement expires {left}"),
            body: format!(
                "{school}'s affiliation agreement expires on {expires} ({left}). No placement \
                 can run past it without a renewed agreement. The agreement is in Practicum:"
            ),
            message,
        };
        notices::deliver(
            tx,
            &notice(
                NoticeKind::AgreementExpiring,
                "agreement_expiring",
                &a.school_id,
                None,
                &link,
                words,
            ),
            now,
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}

/// Accreditations ending within 90 days, each told once; answers how many.
pub async fn accreditations(tx: &mut Tx, today: NaiveDate, now: DateTime<Utc>) -> DbResult<usize> {
    let to = today + Duration::days(lapse::ACCREDITATION_DAYS);
    let mut sent = 0;
    for p in db::programs::accreditation_ending_between(tx, today, to).await? {
        let Some(until) = p
            .accredited_until
            .filter(|u| lapse::accreditation_ending(*u, today))
        else {
            continue;
        };
        let key = format!("accreditation_ending:{}:{until}", p.id);
        if !db::notices::claim(tx, &key, now).await? {
            continue;
        }
        let school = school_name(tx, &p.school_id).await?;
        let ends = human_date(until);
        let left = lapse::days_left_words(until, today);
        let link = format!("/programs/{}", p.id);
        let message = format!(
            "The accreditation of {} ({school}) by {} ends on {ends} ({left})",
            p.name, p.accreditor
        );
        let words = Words {
            subject: format!("{}: the accreditation ends {left}", p.name),
            body: format!(
                "{message}. Its students cannot be placed past that day unless a renewed \
                 accreditation is recorded. The program is in Practicum:"
            ),
            message,
        };
        notices::deliver(
            tx,
            &notice(
                NoticeKind::AccreditationEnding,
                "accreditation_ending",
                &p.school_id,
                None,
                &link,
                words,
            ),
            now,
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}

/// A preceptor as the licence reminder needs them: name and licence expiry, read once per
/// sweep (`None` for a staff member since removed).
pub type Preceptors = HashMap<String, Option<(String, Option<NaiveDate>)>>;

/// The key of a placement's licence reminder if its preceptor's licence ends before it does
/// (reading the preceptor into `preceptors` once per sweep).
async fn licence_key(
    tx: &mut Tx,
    row: &PlacementRow,
    preceptors: &mut Preceptors,
) -> DbResult<Option<(String, String, NaiveDate)>> {
    let Some(staff_id) = &row.preceptor_id else {
        return Ok(None);
    };
    if !preceptors.contains_key(staff_id) {
        let s = db::staff::get(tx, staff_id).await?;
        preceptors.insert(staff_id.clone(), s.map(|s| (s.name, s.license_expires_on)));
    }
    let Some(Some((name, Some(licence)))) = preceptors.get(staff_id).cloned() else {
        return Ok(None);
    };
    if !lapse::licence_ends_first(Some(licence), row.ends_on) {
        return Ok(None);
    }
    Ok(Some((
        format!("licence_ends_first:{}:{staff_id}:{licence}", row.id),
        name,
        licence,
    )))
}

/// Whether one open placement's licence reminder is due and not sent yet (read only; the
/// sweep asks it outside its write and `licence` claims it again in the write).
pub async fn licence_may_be_due(
    tx: &mut Tx,
    row: &PlacementRow,
    preceptors: &mut Preceptors,
) -> DbResult<bool> {
    Ok(match licence_key(tx, row, preceptors).await? {
        Some((key, _, _)) => db::notices::sent_at(tx, &key).await?.is_none(),
        None => false,
    })
}

/// The licence reminder of one open placement, once per placement, preceptor and licence day;
/// answers whether it was sent.
pub async fn licence(
    tx: &mut Tx,
    row: &PlacementRow,
    preceptors: &mut Preceptors,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let Some((key, name, licence)) = licence_key(tx, row, preceptors).await? else {
        return Ok(false);
    };
    let staff_id = row.preceptor_id.as_deref().unwrap_or_default();
    if !db::notices::claim(tx, &key, now).await? {
        return Ok(false);
    }
    let student = match &row.student_id {
        Some(s) => db::students::get(tx, s)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_else(|| "a student".into()),
        None => "an unnamed seat".into(),
    };
    let licence_day = human_date(licence);
    let ends = human_date(row.ends_on);
    let link = format!("/placements/{}", row.id);
    let message = format!(
        "{name}'s licence ends on {licence_day}, before the placement of {student} they supervise ends on {ends}"
    );
    let words = Words {
        subject: format!("{name}'s licence ends before a placement does"),
        body: format!(
            "{message}. Record the renewed licence, or give the placement another preceptor. \
             The placement is in Practicum:"
        ),
        message,
    };
    notices::deliver(
        tx,
        &notice(
            NoticeKind::LicenceEndsFirst,
            "licence_ends_first",
            &row.school_id,
            Some(staff_id),
            &link,
            words,
        ),
        now,
    )
    .await?;
    Ok(true)
}
