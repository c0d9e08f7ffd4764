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
use crate::db::{
    self, Scope, Tx,
    placements::{DependsOn, PlacementRow},
};
use crate::domain::{
    FieldError, Problems,
    booking::Booking,
    decision::{DepartmentFacts, PreceptorFacts, ProposedPlacement, Supervisor},
    eligibility::{AgreementFacts, Kind, ProgramFacts},
    period::Period,
    placement::Stored,
    risk::{self, AffectedPlacement, LiveFacts, Risk},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};

fn key_prefix(placement_id: &str) -> String {
    format!("risk:{placement_id}:")
}

fn is_open(row: &PlacementRow) -> bool {
    Stored::parse(&row.status).is_some_and(|s| s.holds_capacity())
}

/// Came before `row`: holds its seat or slot ahead of it when capacity drops.
fn before(other: &PlacementRow, row: &PlacementRow) -> bool {
    (other.created_at, &other.id) < (row.created_at, &row.id)
}

/// Everything `row` depends on, read now; `student_id` is the student it has or is to have.
pub async fn live_facts(
    tx: &mut Tx,
    row: &PlacementRow,
    student_id: Option<&str>,
) -> AppResult<LiveFacts> {
    let period = Period {
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    };
    let program = db::programs::get(tx, &row.program_id)
        .await?
        .map(|p| ProgramFacts {
            id: p.id,
            school_id: p.school_id,
            discipline: p.discipline,
            accredited_until: p.accredited_until,
        });
    let agreements = db::agreements::of_school(tx, &row.school_id)
        .await?
        .into_iter()
        .map(|a| AgreementFacts {
            status: a.status,
            effective_on: a.effective_on,
            expires_on: a.expires_on,
            disciplines: a.disciplines,
        })
        .collect();
    let (student, bookings) = match student_id {
        None => (None, vec![]),
        Some(sid) => {
            let student = db::students::get(tx, sid)
                .await?
                .map(db::students::Student::facts);
            let bookings = db::placements::open_depending_on(tx, DependsOn::Student(sid))
                .await?
                .into_iter()
                .filter(|o| o.id != row.id)
                .filter_map(|o| {
                    Period::new(o.starts_on, o.ends_on).map(|period| Booking {
                        placement_id: o.id,
                        period,
                    })
                })
                .collect();
            (student, bookings)
        }
    };
    // The seats and slots held ahead of this placement, on its days.
    let held_before = |rows: Vec<PlacementRow>| -> Vec<Period> {
        rows.iter()
            .filter(|o| o.id != row.id && before(o, row))
            .filter_map(|o| Period::new(o.starts_on, o.ends_on))
            .filter(|p| p.overlaps(&period))
            .collect()
    };
    let department = match db::departments::get(tx, &row.department_id).await? {
        None => None,
        Some(d) => Some(DepartmentFacts {
            held: held_before(
                db::placements::open_depending_on(tx, DependsOn::Department(&d.id)).await?,
            ),
            id: d.id,
            name: d.name,
            capacity: d.capacity,
            disciplines: d.disciplines,
        }),
    };
    let preceptor = match &row.preceptor_id {
        None => Supervisor::None,
        Some(pid) => match db::staff::get(tx, pid).await? {
            None => Supervisor::Unknown,
            Some(s) => Supervisor::Known(PreceptorFacts {
                held: held_before(
                    db::placements::open_depending_on(tx, DependsOn::Preceptor(pid)).await?,
                ),
                leave: s
                    .leave
                    .iter()
                    .filter_map(|l| Period::new(l.starts_on, l.ends_on))
                    .collect(),
                id: s.id,
                name: s.name,
                is_preceptor: s.is_preceptor,
                discipline: s.discipline,
                department_id: s.department_id,
                license_expires_on: s.license_expires_on,
                max_students: s.max_students,
            }),
        },
    };
    Ok(LiveFacts {
        kind: Kind::parse(&row.kind).unwrap_or(Kind::Clinical),
        school_id: row.school_id.clone(),
        period,
        program,
        agreements,
        student,
        placement: ProposedPlacement {
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            department,
            preceptor,
            site_mentor_known: None,
        },
        bookings,
    })
}

/// The risks of one placement now, each with when it was first noticed; none once it is
/// completed or cancelled.
pub async fn risks_of(tx: &mut Tx, row: &PlacementRow) -> AppResult<Vec<Risk>> {
    if !is_open(row) {
        return Ok(vec![]);
    }
    let failed = risk::check(&live_facts(tx, row, row.student_id.as_deref()).await?);
    if failed.is_empty() {
        return Ok(vec![]);
    }
    let noticed = db::notices::with_prefix(tx, &key_prefix(&row.id)).await?;
    Ok(failed
        .into_iter()
        .map(|(code, detail)| {
            let key = format!("{}{code}", key_prefix(&row.id));
            let since = noticed.iter().find(|(k, _)| *k == key).map(|(_, at)| *at);
            Risk {
                code,
                detail,
                since,
            }
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
    for row in db::placements::open_depending_on(tx, on).await? {
        let failed = risk::check(&live_facts(tx, &row, row.student_id.as_deref()).await?);
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
            tell(tx, &row, &new, now).await?;
        }
        if !risks.is_empty() {
            affected.push(AffectedPlacement { id: row.id, risks });
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
    let mut tx = st.db.read().await?;
    let mut out = vec![];
    for row in db::placements::open_from(&mut tx, today).await? {
        // The scope rule itself (domain::scope), not service::placements::visible, which
        // would tie the two use-case files into a circle.
        if !scope.sees_placement(&row.parties()) {
            continue;
        }
        let risks = risks_of(&mut tx, &row).await?;
        if !risks.is_empty() {
            out.push(AtRisk { row, risks });
        }
    }
    Ok(out)
}
