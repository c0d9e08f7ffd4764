//! Placements: read (scoped), name a slot's student, move through the lifecycle; and the
//! capacity and supervisor checks every new placement passes (manual approval and the
//! allocator's accepted proposals), whose rules live in `domain/decision.rs`.
use super::Principal;
use super::principal::ensure;
use crate::db::{self, Scope, Tx, placements::PlacementRow, requests::PlacementRequest};
use crate::domain::{
    ErrorCode, FieldError, Problems,
    booking::{self, Booking},
    decision::{self, DepartmentFacts, ProposedPlacement, RequestWindow, Supervisor},
    period::Period,
    placement::{self, Mover, Refusal, Stored, Target},
    policy::{Action, Resource},
    records::Placement,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

/// A move through the lifecycle (API.md `transition`): where to, and why (required to cancel).
#[derive(Clone, Debug)]
pub struct PlacementMove {
    pub to: Target,
    pub reason: Option<String>,
}

/// The student for a seat that was reserved unnamed.
#[derive(Clone, Debug)]
pub struct NameStudent {
    pub student_id: String,
}

mod views;
pub use views::{clearance_of, list_answers, list_views, view, views};

/// Whether the caller may see this placement (`Scope::sees_placement`).
/// What completing the placement depends on (`domain::completion`): its required and approved
/// hours, and whether its final evaluation is signed.
pub async fn completion_facts(
    tx: &mut crate::db::Tx,
    row: &PlacementRow,
) -> AppResult<crate::domain::completion::CompletionFacts> {
    let hours = super::time_entries::hours_of(tx, row).await?;
    let final_signed = db::evaluations::of_placement(tx, &row.id)
        .await?
        .iter()
        .any(|e| e.point == "final" && e.is_signed());
    Ok(crate::domain::completion::CompletionFacts {
        required_minutes: hours.totals.required_minutes,
        approved_minutes: hours.totals.approved_minutes,
        final_signed,
    })
}

pub fn visible(scope: &Scope, p: &PlacementRow) -> bool {
    scope.sees_placement(&p.parties())
}

/// One placement a decision asks for.
#[derive(Clone, Debug)]
pub struct NewPlacement {
    pub student_id: Option<String>,
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub site_mentor_id: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// Checks every proposed placement against supervisors and capacity — counting the ones
/// before it in the same decision (`domain::decision::check_placements`) — and inserts them
/// all, or none. Runs inside the caller's write transaction with the guard rows locked, so
/// concurrent approvals cannot overbook. Rule failures answer 422; if the only failures are
/// capacity, 409.
pub async fn check_and_insert(
    tx: &mut Tx,
    req: &PlacementRequest,
    discipline: &str,
    entries: &[NewPlacement],
    faculty_user_id: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Vec<PlacementRow>> {
    let depts: Vec<String> = entries.iter().map(|e| e.department_id.clone()).collect();
    let staff: Vec<String> = entries
        .iter()
        .filter_map(|e| e.preceptor_id.clone())
        .collect();
    db::placements::lock_guards(tx, &depts, &staff).await?;
    let mut proposed = Vec::with_capacity(entries.len());
    for e in entries {
        proposed.push(decision_facts(tx, e).await?);
    }
    let window = RequestWindow {
        starts_on: req.starts_on,
        ends_on: req.ends_on,
        start_window_weeks: req.start_window_weeks,
        clinical: req.kind == "clinical",
    };
    let mut problems = match decision::check_placements(&window, discipline, &proposed) {
        Ok(_) => Problems::default(),
        Err(p) => p,
    };
    // One place at a time: no named student may already be placed on any of these days.
    for (i, e) in entries.iter().enumerate() {
        let (Some(sid), Some(period)) = (&e.student_id, Period::new(e.starts_on, e.ends_on)) else {
            continue;
        };
        let others = bookings_of(tx, sid, None).await?;
        if others.is_empty() {
            continue;
        }
        let who = db::students::name_for_message(tx, sid).await?;
        for (code, message) in booking::double_bookings(&who, period, &others) {
            problems.add(&format!("placements[{i}].student_id"), code, message);
        }
    }
    problems.into_result()?;
    let periods = decision::check_placements(&window, discipline, &proposed)?;
    let mut rows = Vec::with_capacity(entries.len());
    for (e, period) in entries.iter().zip(periods) {
        rows.push(PlacementRow {
            id: db::new_id(),
            request_id: req.id.clone(),
            kind: req.kind.clone(),
            student_id: e.student_id.clone(),
            school_id: req.school_id.clone(),
            program_id: req.program_id.clone(),
            department_id: e.department_id.clone(),
            preceptor_id: e.preceptor_id.clone(),
            site_mentor_id: e.site_mentor_id.clone(),
            faculty_user_id: faculty_user_id.clone(),
            starts_on: period.starts_on,
            ends_on: period.ends_on,
            status: Stored::Proposed.as_str().into(),
            cancel_reason: None,
            created_at: now,
        });
    }
    for r in &rows {
        db::placements::insert(tx, r).await?;
        // Its shifts, from the request's weekly pattern (issue 15 point 1).
        db::shifts::generate(tx, r, &req.shifts, now).await?;
    }
    Ok(rows)
}

/// The student's open placements, apart from `except`.
async fn bookings_of(
    tx: &mut Tx,
    student_id: &str,
    except: Option<&str>,
) -> AppResult<Vec<Booking>> {
    Ok(
        db::placements::open_depending_on(tx, db::placements::DependsOn::Student(student_id))
            .await?
            .into_iter()
            .filter(|o| Some(o.id.as_str()) != except)
            .filter_map(|o| {
                Period::new(o.starts_on, o.ends_on).map(|period| Booking {
                    placement_id: o.id,
                    period,
                })
            })
            .collect(),
    )
}

/// What the store knows of one proposed placement's department, preceptor and site mentor,
/// with the seats and slots already held over its period.
async fn decision_facts(tx: &mut Tx, e: &NewPlacement) -> AppResult<ProposedPlacement> {
    let periods = |held: Vec<(NaiveDate, NaiveDate)>| -> Vec<Period> {
        held.into_iter()
            .filter_map(|(a, b)| Period::new(a, b))
            .collect()
    };
    let department = match db::departments::get(tx, &e.department_id).await? {
        None => None,
        Some(d) => Some(DepartmentFacts {
            held: periods(
                db::placements::held_in_department(tx, &d.id, e.starts_on, e.ends_on).await?,
            ),
            id: d.id,
            name: d.name,
            capacity: d.capacity,
            disciplines: d.disciplines,
        }),
    };
    let preceptor = match &e.preceptor_id {
        None => Supervisor::None,
        Some(pid) => match db::staff::get(tx, pid).await? {
            None => Supervisor::Unknown,
            Some(s) => Supervisor::Known(s.preceptor_facts(periods(
                db::placements::held_by_preceptor(tx, pid, e.starts_on, e.ends_on).await?,
            ))),
        },
    };
    let site_mentor_known = match &e.site_mentor_id {
        None => None,
        Some(mid) => Some(db::staff::get(tx, mid).await?.is_some()),
    };
    Ok(ProposedPlacement {
        starts_on: e.starts_on,
        ends_on: e.ends_on,
        department,
        preceptor,
        site_mentor_known,
    })
}

/// Moves a placement through its lifecycle; see API.md for the legal moves.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %id, to = ?to))]
pub async fn transition_placement(
    st: &AppState,
    p: &Principal,
    id: &str,
    PlacementMove { to, reason }: PlacementMove,
) -> AppResult<Placement> {
    let scope = p.authorize(Resource::Placement, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, id).await?;
    let row = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &row))?;
    let from = Stored::parse(&row.status)
        .ok_or_else(|| anyhow::anyhow!("unknown placement status {:?}", row.status))?;
    let mover = if scope.is_all() {
        Mover::Office
    } else {
        Mover::School
    };
    let cleared = clearance_of(&mut tx, &row, st.clock.today())
        .await?
        .is_cleared();
    let next =
        placement::transition(from, to, mover, cleared, reason.is_some()).map_err(|r| match r {
            Refusal::Forbidden => AppError::Forbidden,
            Refusal::ReasonRequired => {
                AppError::invalid("reason", r.code(), "give a reason to cancel")
            }
            Refusal::NotCleared => AppError::conflict(
                r.code(),
                "the student is not cleared through onboarding for this placement",
            ),
            Refusal::InvalidTransition => AppError::conflict(
                r.code(),
                format!("a {} placement cannot move to that status", from.as_str()),
            ),
        })?;
    // A forward move re-checks everything the placement depends on; `active` also needs its
    // first day to have come (the clock's today).
    if matches!(to, Target::Confirmed | Target::Active) {
        let mut first = vec![];
        let today = st.clock.today();
        if to == Target::Active && !placement::has_started(row.starts_on, today) {
            first.push(FieldError::new(
                ErrorCode::NotStarted,
                None,
                format!(
                    "the placement starts on {}; it cannot be active before then",
                    row.starts_on
                ),
            ));
        }
        super::risks::refuse_unless_eligible(&mut tx, &row, row.student_id.as_deref(), first)
            .await?;
    }
    // Completing needs the required hours approved and the final evaluation signed; the office
    // may complete otherwise with a reason, kept in the trail (issue 16 point 5).
    let mut approved_minutes = 0;
    if next == Stored::Completed {
        let facts = completion_facts(&mut tx, &row).await?;
        approved_minutes = facts.approved_minutes;
        let otherwise = scope.is_all() && reason.as_deref().is_some_and(|r| !r.trim().is_empty());
        let unmet = crate::domain::completion::unmet(facts, false);
        if !unmet.is_empty() {
            if !otherwise {
                let mut problems = crate::domain::Problems::default();
                for (code, message) in unmet {
                    problems.0.push(FieldError::new(code, None, message));
                }
                return Err(AppError::Rejected(problems));
            }
            db::audit::record(
                &mut tx,
                &p.actor(st.clock.now()),
                "complete_otherwise",
                "placement",
                id,
                None::<&()>,
                Some(&serde_json::json!({
                    "reason": reason,
                    "unmet": unmet.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>(),
                })),
            )
            .await?;
        }
    }
    // Only a cancellation keeps its reason.
    let cancel_reason = reason.as_deref().filter(|_| next == Stored::Cancelled);
    db::placements::set_status(&mut tx, id, next.as_str(), cancel_reason).await?;
    let after = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    // What was provisioned for the placement ends with it, in this same transaction
    // (issue 16 point 6, `domain::offboarding`).
    if matches!(next, Stored::Completed | Stored::Cancelled) {
        super::offboarding::open_tasks(
            &mut tx,
            &p.actor(st.clock.now()),
            &after,
            next == Stored::Cancelled,
            st.clock.today(),
        )
        .await?;
    }
    if next == Stored::Completed {
        super::certificates::issue(&mut tx, &after, approved_minutes, st.clock.now()).await?;
    }
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        &format!("transition:{}", next.as_str()),
        "placement",
        id,
        Some(&row),
        Some(&after),
    )
    .await?;
    let v = view(&mut tx, after, st.clock.today()).await?;
    tx.commit().await?;
    Ok(v)
}

/// Names the student of a seat that was reserved for a slot.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %id))]
pub async fn name_student(
    st: &AppState,
    p: &Principal,
    id: &str,
    NameStudent { student_id }: NameStudent,
) -> AppResult<Placement> {
    let scope = p.authorize(Resource::Placement, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::placements::lock(&mut tx, id).await?;
    let row = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &row))?;
    if row.student_id.is_some() {
        return Err(AppError::conflict(
            ErrorCode::StudentAlreadyNamed,
            "this placement already has its student",
        ));
    }
    if !matches!(row.status.as_str(), "proposed" | "confirmed") {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            "a student can be named only before the placement starts",
        ));
    }
    if db::students::get(&mut tx, &student_id).await?.is_none() {
        return Err(AppError::invalid(
            "student_id",
            ErrorCode::UnknownStudent,
            "there is no such student",
        ));
    }
    // Naming is a forward move: the student's eligibility, one place at a time, and every
    // other fact the placement depends on (409 with every failed code).
    super::risks::refuse_unless_eligible(&mut tx, &row, Some(&student_id), vec![]).await?;
    db::placements::set_student(&mut tx, id, &student_id).await?;
    let after = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "name_student",
        "placement",
        id,
        Some(&row),
        Some(&after),
    )
    .await?;
    let v = view(&mut tx, after, st.clock.today()).await?;
    tx.commit().await?;
    Ok(v)
}
