//! Eligibility for the whole life of a placement (DOMAIN.md rule 1, API.md "Risks").
//!
//! Risks are COMPUTED: every read of an open placement re-checks what it depends on with the
//! rules of `domain::risk` (the same eligibility and decision rules as at approval), so a risk
//! can never be stale or missed, whichever write changed the fact. What is STORED is only when
//! each risk was first noticed: a write to a fact (agreement, program, student, staff member,
//! department) reviews the open placements that depend on it, in its own transaction; each
//! new risk is recorded in `notices_sent` under `risk:<placement>:<code>` (its `since`) and
//! the office and the school are told once; a risk that has gone away is forgotten, so it is
//! told again if it comes back. At every forward move (confirm, naming the student, activate)
//! the same check refuses with 409 and every failed code.
use super::facts::Facts;
use crate::db::{
    self, Scope, Tx,
    placements::{DependsOn, PlacementRow},
};
use crate::domain::{
    FieldError, Problems,
    placement::Stored,
    risk::{self, AffectedPlacement, LiveFacts, Risk},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};

/// How many placements' facts are read together where every open placement is walked.
pub const FACTS_BATCH: usize = 500;

fn key_prefix(placement_id: &str) -> String {
    format!("risk:{placement_id}:")
}

fn is_open(row: &PlacementRow) -> bool {
    Stored::parse(&row.status).is_some_and(|s| s.holds_capacity())
}

/// Everything `row` depends on, read now; `student_id` is the student it has or is to have.
/// Read through [`Facts`], as a list reads a page, so the two cannot derive differently.
pub async fn live_facts(
    tx: &mut Tx,
    row: &PlacementRow,
    student_id: Option<&str>,
) -> AppResult<LiveFacts> {
    let more: Vec<&str> = student_id.into_iter().collect();
    Ok(Facts::load(tx, std::slice::from_ref(row), &more)
        .await?
        .live_facts(row, student_id))
}

/// The risks of one placement now, each with when it was first noticed; none once it is
/// completed or cancelled.
pub async fn risks_of(tx: &mut Tx, row: &PlacementRow) -> AppResult<Vec<Risk>> {
    if !is_open(row) {
        return Ok(vec![]);
    }
    let facts = Facts::load(tx, std::slice::from_ref(row), &[]).await?;
    risks_with(tx, &facts, row).await
}

/// Whether an open placement has any risk now, from facts read for many: no query.
pub fn has_risks(facts: &Facts, row: &PlacementRow) -> bool {
    is_open(row) && !risk::check(&facts.live_facts(row, row.student_id.as_deref())).is_empty()
}

/// The risks of one placement from facts read for many ([`Facts::load`]); the store is read
/// again only for a placement that has risks, for when each was first noticed.
pub async fn risks_with(tx: &mut Tx, facts: &Facts, row: &PlacementRow) -> AppResult<Vec<Risk>> {
    let mut all = risks_of_many(tx, facts, std::slice::from_ref(row)).await?;
    Ok(all.pop().unwrap_or_default())
}

/// The risks of each of `rows` (in their order) from facts read for them all, with one read
/// of when each risk was first noticed (by its exact key), not one per placement.
pub async fn risks_of_many(
    tx: &mut Tx,
    facts: &Facts,
    rows: &[PlacementRow],
) -> AppResult<Vec<Vec<Risk>>> {
    let failed: Vec<Vec<(crate::domain::ErrorCode, String)>> = rows
        .iter()
        .map(|row| {
            if is_open(row) {
                risk::check(&facts.live_facts(row, row.student_id.as_deref()))
            } else {
                vec![]
            }
        })
        .collect();
    let keys: Vec<String> = rows
        .iter()
        .zip(&failed)
        .flat_map(|(row, f)| {
            f.iter()
                .map(|(code, _)| format!("{}{code}", key_prefix(&row.id)))
        })
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let noticed: std::collections::HashMap<String, DateTime<Utc>> =
        db::notices::sent_among(tx, &key_refs).await?;
    Ok(rows
        .iter()
        .zip(failed)
        .map(|(row, f)| {
            f.into_iter()
                .map(|(code, detail)| {
                    let key = format!("{}{code}", key_prefix(&row.id));
                    Risk {
                        since: noticed.get(&key).copied(),
                        code,
                        detail,
                    }
                })
                .collect()
        })
        .collect())
}

/// Refuses a forward move (confirm, naming `student_id`, activate) when any fact the placement
/// depends on fails: 409 with `first` (e.g. `not_started`) and every failed code.
pub async fn refuse_unless_eligible(
    tx: &mut Tx,
    row: &PlacementRow,
    student_id: Option<&str>,
    first: Vec<FieldError>,
) -> AppResult<()> {
    let mut problems = Problems(first);
    for (code, detail) in risk::check(&live_facts(tx, row, student_id).await?) {
        problems.push(FieldError::new(code, None, detail));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Refused(problems))
    }
}

/// After a write to a fact: re-checks every open placement depending on it, records and
/// tells (office and school, once per risk) what is newly at risk, forgets what is no longer,
/// and answers the dependants at risk now (`affected_placements`). Runs in the write's
/// transaction.
pub async fn review(
    tx: &mut Tx,
    on: DependsOn<'_>,
    now: DateTime<Utc>,
) -> AppResult<Vec<AffectedPlacement>> {
    let mut affected = vec![];
    let rows = db::placements::open_depending_on(tx, on).await?;
    for batch in rows.chunks(FACTS_BATCH) {
        let facts = Facts::load(tx, batch, &[]).await?;
        for row in batch {
            let failed = risk::check(&facts.live_facts(row, row.student_id.as_deref()));
            let prefix = key_prefix(&row.id);
            let noticed = db::notices::with_prefix(tx, &prefix).await?;
            for (key, _) in &noticed {
                if !failed.iter().any(|(c, _)| format!("{prefix}{c}") == *key) {
                    db::notices::forget(tx, key).await?;
                }
            }
            let mut risks = vec![];
            let mut new = vec![];
            for (code, detail) in failed {
                let key = format!("{prefix}{code}");
                let since = match noticed.iter().find(|(k, _)| *k == key) {
                    Some((_, at)) => *at,
                    None => {
                        db::notices::record(tx, &key, now).await?;
                        new.push(detail.clone());
                        now
                    }
                };
                risks.push(Risk {
                    code,
                    detail,
                    since: Some(since),
                });
            }
            if !new.is_empty() {
                tell(tx, row, &new, now).await?;
            }
            if !risks.is_empty() {
                affected.push(AffectedPlacement {
                    id: row.id.clone(),
                    risks,
                });
            }
        }
    }
    Ok(affected)
}

/// An edit page's first post (`Parsed::preview_risks`): when the write newly puts open
/// placements at risk (a risk first noticed `now`), it is not kept (the caller returns before
/// committing, so the transaction rolls back) and they answer as `AppError::Unconfirmed`, for
/// the page to show before the change is confirmed (issue 12 point 1).
pub async fn confirm_first(
    tx: &mut Tx,
    preview: bool,
    affected: &[AffectedPlacement],
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !preview {
        return Ok(());
    }
    let mut newly = vec![];
    for a in affected {
        if !a.risks.iter().any(|r| r.since == Some(now)) {
            continue;
        }
        let Some(row) = db::placements::get(tx, &a.id).await? else {
            continue;
        };
        let student = match &row.student_id {
            Some(sid) => db::students::get(tx, sid)
                .await?
                .map_or_else(|| "A student".to_string(), |s| s.full_name()),
            None => "A seat not yet named".to_string(),
        };
        let department = db::departments::get(tx, &row.department_id)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        newly.push(crate::domain::risk::RiskPreview {
            placement_id: a.id.clone(),
            label: format!(
                "{student} in {department}, {} – {}",
                row.starts_on.format("%-d %b"),
                row.ends_on.format("%-d %b %Y")
            ),
            details: a.risks.iter().map(|r| r.detail.clone()).collect(),
        });
    }
    if newly.is_empty() {
        Ok(())
    } else {
        Err(crate::error::AppError::Unconfirmed(newly))
    }
}

/// Tells the office and the school's coordinators, in the app and by email, what a placement
/// no longer meets.
async fn tell(
    tx: &mut Tx,
    row: &PlacementRow,
    details: &[String],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let who = match &row.student_id {
        Some(sid) => db::students::get(tx, sid)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_else(|| "A student".into()),
        None => "An unnamed seat".into(),
    };
    let department = db::departments::get(tx, &row.department_id)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    let message = format!(
        "{who}'s placement in {department} ({} to {}) is at risk: {}",
        row.starts_on,
        row.ends_on,
        details.join("; ")
    );
    let link = format!("/placements/{}", row.id);
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    let mut users = db::notifications::users_with_roles(tx, &["admin", "coordinator"]).await?;
    users.extend(db::notifications::users_of_school(tx, &row.school_id).await?);
    for (user_id, user_name, email) in users {
        db::notifications::notify(
            tx,
            &user_id,
            "placement_at_risk",
            &message,
            Some(&link),
            now,
        )
        .await?;
        let body = format!(
            "Dear {user_name},\n\n{message}.\n\nThe placement cannot be confirmed, given its \
             student or started until this is put right. It is in Practicum under Placements:\n\n\
             {}\n\n{}\n",
            letterhead.link(&link),
            letterhead.signature()
        );
        crate::jobs::notices::email(
            tx,
            &crate::jobs::notices::Email {
                kind: crate::domain::notice::EmailKind::PlacementAtRisk,
                user_id: Some(&user_id),
                name: &user_name,
                address: &email,
                subject: "A placement is at risk",
                body: &body,
                line: &message,
                link: &link,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// A placement at risk as the office's home lists it.
pub struct AtRisk {
    pub row: PlacementRow,
    pub risks: Vec<Risk>,
}

/// The open placements the caller sees that are at risk, ending today or later, soonest
/// first (the office's home).
pub async fn at_risk(st: &AppState, scope: &Scope, today: NaiveDate) -> AppResult<Vec<AtRisk>> {
    let held = st.kept_facts();
    let mut tx = st.db.read().await?;
    let mut out = vec![];
    // The scope rule itself (domain::scope), not service::placements::visible, which
    // would tie the two use-case files into a circle.
    let rows: Vec<PlacementRow> = db::placements::open_from(&mut tx, today)
        .await?
        .into_iter()
        .filter(|row| scope.sees_placement(&row.parties()))
        .collect();
    for batch in rows.chunks(FACTS_BATCH) {
        let facts = Facts::load_stored(&mut tx, batch, Some(held)).await?;
        for row in batch {
            let risks = risks_with(&mut tx, &facts, row).await?;
            if !risks.is_empty() {
                out.push(AtRisk {
                    row: row.clone(),
                    risks,
                });
            }
        }
    }
    Ok(out)
}
