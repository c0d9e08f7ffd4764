//! Placements: read (scoped), name a slot's student, move through the lifecycle; and the
//! capacity and supervisor checks every new placement passes (manual approval and, later,
//! the allocator's accepted proposals).
use super::List;
use crate::db::{
    self, Scope, Tx,
    placements::PlacementRow,
    requests::{FacultySupervisor, PlacementRequest},
};
use crate::domain::ErrorCode;
use crate::domain::{
    Problems,
    capacity::first_full_day,
    clearance::{self, Clearance},
    period::Period,
    placement::{self, Mover, Refusal, Stored, Target},
    policy::{Action, Resource},
    requirements::PlacementFacts,
};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Placement {
    pub id: String,
    pub request_id: String,
    pub kind: String,
    /// Null for a seat reserved for a student the school has not named yet.
    pub student_id: Option<String>,
    pub school_id: String,
    pub program_id: String,
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub site_mentor_id: Option<String>,
    pub faculty_supervisor: Option<FacultySupervisor>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// proposed, confirmed, onboarding, cleared, active, completed, cancelled
    pub status: String,
    pub clearance: Clearance,
    pub cancel_reason: Option<String>,
}

/// The facts, rules and evidence a placement's clearance is derived from.
pub async fn onboarding_facts(
    tx: &mut Tx,
    row: &PlacementRow,
) -> AppResult<
    Option<(
        PlacementFacts,
        Vec<clearance::Rule>,
        Vec<clearance::Evidence>,
    )>,
> {
    let Some(student_id) = &row.student_id else {
        return Ok(None);
    };
    let discipline = db::programs::get(tx, &row.program_id)
        .await?
        .map(|p| p.discipline)
        .unwrap_or_default();
    let site_id = db::departments::get(tx, &row.department_id)
        .await?
        .map(|d| d.site_id)
        .unwrap_or_default();
    let facts = PlacementFacts {
        id: row.id.clone(),
        kind: row.kind.clone(),
        discipline,
        site_id,
        department_id: row.department_id.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    };
    let rules = db::requirements::all(tx)
        .await?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| clearance::Rule {
            code: r.code,
            validity: r.validity,
            applies_to: r.applies_to,
        })
        .collect();
    let evidence = db::documents::of_student(tx, student_id)
        .await?
        .into_iter()
        .filter_map(|d| {
            Some(clearance::Evidence {
                status: clearance::DocStatus::parse(&d.status)?,
                requirement_code: d.requirement_code,
                completed_on: d.completed_on,
                expires_on: d.expires_on,
                placement_id: d.placement_id,
            })
        })
        .collect();
    Ok(Some((facts, rules, evidence)))
}

/// The clearance of a placement, derived on every read from the rules and the student's
/// evidence. A seat whose student is not named yet has nothing to check: pending.
pub async fn clearance_of(
    tx: &mut Tx,
    row: &PlacementRow,
    today: NaiveDate,
) -> AppResult<Clearance> {
    Ok(match onboarding_facts(tx, row).await? {
        Some((facts, rules, evidence)) => clearance::derive(&rules, &evidence, &facts, today),
        None => clearance::without_requirements(),
    })
}

pub async fn view(tx: &mut Tx, row: PlacementRow, today: NaiveDate) -> AppResult<Placement> {
    let clearance = clearance_of(tx, &row, today).await?;
    let stored = Stored::parse(&row.status)
        .ok_or_else(|| anyhow::anyhow!("unknown placement status {:?}", row.status))?;
    let faculty_supervisor = match &row.faculty_user_id {
        Some(uid) => db::users::get(tx, uid).await?.map(|u| FacultySupervisor {
            name: u.name,
            email: u.email,
        }),
        None => None,
    };
    Ok(Placement {
        status: placement::shown_status(stored, clearance.is_cleared()).to_string(),
        clearance,
        faculty_supervisor,
        id: row.id,
        request_id: row.request_id,
        kind: row.kind,
        student_id: row.student_id,
        school_id: row.school_id,
        program_id: row.program_id,
        department_id: row.department_id,
        preceptor_id: row.preceptor_id,
        site_mentor_id: row.site_mentor_id,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        cancel_reason: row.cancel_reason,
    })
}

/// Whether the caller may see this placement.
pub fn visible(scope: &Scope, p: &PlacementRow) -> bool {
    match scope {
        Scope::All => true,
        Scope::School(s) => *s == p.school_id,
        Scope::Student(s) => p.student_id.as_deref() == Some(s.as_str()),
        Scope::Department(d) => *d == p.department_id,
        Scope::Staff(s) => {
            p.preceptor_id.as_deref() == Some(s.as_str())
                || p.site_mentor_id.as_deref() == Some(s.as_str())
        }
        Scope::Faculty(u) => p.faculty_user_id.as_deref() == Some(u.as_str()),
        Scope::Nothing => false,
    }
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
/// before it in the same decision — and inserts them all, or none. Runs inside the caller's
/// write transaction with the guard rows locked, so concurrent approvals cannot overbook.
/// Rule failures answer 422; if the only failures are capacity, 409.
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

    let clinical = req.kind == "clinical";
    let mut rules = Problems::default();
    let mut full = Problems::default();
    let mut accepted: Vec<(String, Option<String>, Period)> = Vec::new();
    let mut rows = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let at = |f: &str| format!("placements[{i}].{f}");
        let Some(period) = Period::new(e.starts_on, e.ends_on) else {
            rules.add(
                &at("ends_on"),
                ErrorCode::InvalidPeriod,
                "the placement ends before it starts",
            );
            continue;
        };
        if e.starts_on < req.starts_on
            || e.ends_on > req.ends_on + chrono::Duration::weeks(req.start_window_weeks)
        {
            rules.add(
                &at("starts_on"),
                ErrorCode::OutsideRequestPeriod,
                "the placement falls outside the requested period and its start window",
            );
        }
        let Some(dept) = db::departments::get(tx, &e.department_id).await? else {
            rules.add(
                &at("department_id"),
                ErrorCode::UnknownDepartment,
                "there is no such department",
            );
            continue;
        };
        if !dept.disciplines.iter().any(|d| d == discipline) {
            rules.add(
                &at("department_id"),
                ErrorCode::DepartmentDoesNotHostDiscipline,
                format!("{} does not host {discipline}", dept.name),
            );
        }
        let mut held: Vec<Period> =
            db::placements::held_in_department(tx, &dept.id, period.starts_on, period.ends_on)
                .await?
                .into_iter()
                .filter_map(|(a, b)| Period::new(a, b))
                .collect();
        held.extend(accepted.iter().filter(|a| a.0 == dept.id).map(|a| a.2));
        if let Some(day) = first_full_day(dept.capacity, &held, period) {
            full.add(
                &at("department_id"),
                ErrorCode::DepartmentAtCapacity,
                format!(
                    "{} is full on {day} ({} students at once)",
                    dept.name, dept.capacity
                ),
            );
        }
        match (&e.preceptor_id, clinical) {
            (None, true) => rules.add(
                &at("preceptor_id"),
                ErrorCode::PreceptorRequired,
                "a clinical placement needs a preceptor",
            ),
            (Some(pid), _) => match db::staff::get(tx, pid).await? {
                None => rules.add(
                    &at("preceptor_id"),
                    ErrorCode::UnknownPreceptor,
                    "there is no such staff member",
                ),
                Some(s) => {
                    if !s.is_preceptor || s.discipline.as_deref() != Some(discipline) {
                        rules.add(
                            &at("preceptor_id"),
                            ErrorCode::PreceptorDisciplineMismatch,
                            format!("{} is not a preceptor in {discipline}", s.name),
                        );
                    }
                    if s.department_id != dept.id {
                        rules.add(
                            &at("preceptor_id"),
                            ErrorCode::PreceptorNotInDepartment,
                            format!("{} does not work in {}", s.name, dept.name),
                        );
                    }
                    if s.license_expires_on.is_some_and(|d| d < period.ends_on) {
                        rules.add(
                            &at("preceptor_id"),
                            ErrorCode::PreceptorLicenseExpired,
                            format!("{}'s licence lapses before the placement ends", s.name),
                        );
                    }
                    if s.leave
                        .iter()
                        .filter_map(|l| Period::new(l.starts_on, l.ends_on))
                        .any(|l| l.overlaps(&period))
                    {
                        rules.add(
                            &at("preceptor_id"),
                            ErrorCode::PreceptorOnLeave,
                            format!("{} is on leave during the placement", s.name),
                        );
                    }
                    let mut held: Vec<Period> = db::placements::held_by_preceptor(
                        tx,
                        pid,
                        period.starts_on,
                        period.ends_on,
                    )
                    .await?
                    .into_iter()
                    .filter_map(|(a, b)| Period::new(a, b))
                    .collect();
                    held.extend(
                        accepted
                            .iter()
                            .filter(|a| a.1.as_deref() == Some(pid.as_str()))
                            .map(|a| a.2),
                    );
                    if let Some(day) = first_full_day(s.max_students, &held, period) {
                        full.add(
                            &at("preceptor_id"),
                            ErrorCode::PreceptorAtCapacity,
                            format!("{} already supervises {} on {day}", s.name, s.max_students),
                        );
                    }
                }
            },
            (None, false) => {}
        }
        if let Some(mid) = &e.site_mentor_id
            && db::staff::get(tx, mid).await?.is_none()
        {
            rules.add(
                &at("site_mentor_id"),
                ErrorCode::UnknownSiteMentor,
                "there is no such staff member",
            );
        }
        accepted.push((dept.id.clone(), e.preceptor_id.clone(), period));
        rows.push(PlacementRow {
            id: db::new_id(),
            request_id: req.id.clone(),
            kind: req.kind.clone(),
            student_id: e.student_id.clone(),
            school_id: req.school_id.clone(),
            program_id: req.program_id.clone(),
            department_id: dept.id.clone(),
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
    if !rules.is_empty() {
        rules.0.extend(full.0);
        return Err(AppError::Rejected(rules));
    }
    if !full.is_empty() {
        return Err(AppError::Rejected(full));
    }
    for r in &rows {
        db::placements::insert(tx, r).await?;
    }
    Ok(rows)
}

fn filter_from(params: &Params) -> AppResult<db::placements::Filter> {
    let date = |k: &str| -> AppResult<Option<NaiveDate>> {
        match params.get(k) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                AppError::invalid(k, ErrorCode::InvalidDate, "must be a date (YYYY-MM-DD)")
            }),
        }
    };
    let status = params.word(
        "status",
        |s| Stored::parse(s).is_some() || s == "onboarding" || s == "cleared",
        "proposed, confirmed, onboarding, cleared, active, completed, cancelled",
    )?;
    Ok(db::placements::Filter {
        // onboarding and cleared are read from a confirmed placement's clearance.
        status: status.map(|s| {
            if s == "onboarding" || s == "cleared" {
                "confirmed".into()
            } else {
                s
            }
        }),
        school_id: params.id("school_id")?,
        department_id: params.id("department_id")?,
        student_id: params.id("student_id")?,
        request_id: params.id("request_id")?,
        kind: params.word(
            "kind",
            |s| s == "clinical" || s == "internship",
            "clinical, internship",
        )?,
        from: date("from")?,
        to: date("to")?,
    })
}

#[utoipa::path(get, path = "/api/v1/placements", tag = "placements", security(("bearer" = [])),
    params(("status" = Option<String>, Query), ("school_id" = Option<String>, Query), ("department_id" = Option<String>, Query),
           ("student_id" = Option<String>, Query), ("request_id" = Option<String>, Query), ("kind" = Option<String>, Query),
           ("from" = Option<String>, Query, description = "overlapping from this day"), ("to" = Option<String>, Query),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Placement>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Placement>>> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    let page = params.page()?;
    let wanted = params.get("status");
    let filter = filter_from(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::placements::list(&mut tx, &scope, &filter, &page).await?;
    let mut items = Vec::new();
    for r in rows.items {
        let v = view(&mut tx, r, st.clock.today()).await?;
        if wanted.as_deref().is_none_or(|w| w == v.status) {
            items.push(v);
        }
    }
    Ok(Json(List {
        items,
        next_cursor: rows.next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Placement), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Placement>> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &row))?;
    Ok(Json(view(&mut tx, row, st.clock.today()).await?))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TransitionInput {
    /// confirmed, active, completed, cancelled
    to: String,
    /// Required to cancel.
    reason: Option<String>,
}

/// Moves a placement through its lifecycle; see API.md for the legal moves.
pub async fn transition_placement(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Placement> {
    let scope = p.authorize(Resource::Placement, Action::Write)?;
    let mut i = Input::new(body, &["to", "reason"]);
    let to = i.req("to", None, &|v| {
        v.as_str().and_then(Target::parse).ok_or((
            ErrorCode::InvalidChoice,
            "must be one of: confirmed, active, completed, cancelled".into(),
        ))
    });
    let reason = i.opt("reason", None, &parse::text);
    i.finish()?;
    let (Some(to), Some(reason)) = (to, reason) else {
        return Err(AppError::BadRequest("unreadable transition".into()));
    };
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
    // Only a cancellation keeps its reason.
    let cancel_reason = reason.as_deref().filter(|_| next == Stored::Cancelled);
    db::placements::set_status(&mut tx, id, next.as_str(), cancel_reason).await?;
    let after = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
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

#[utoipa::path(post, path = "/api/v1/placements/{id}/transition", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = TransitionInput,
    responses((status = 200, body = Placement), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn transition(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Placement>> {
    p.authorize(Resource::Placement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(transition_placement(&st, &p, &id, body).await?))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NameStudentInput {
    /// The student for a seat reserved unnamed; the eligibility rules for students apply.
    student_id: String,
}

/// Names the student of a seat that was reserved for a slot.
pub async fn name_student(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Placement> {
    let scope = p.authorize(Resource::Placement, Action::Write)?;
    let mut i = Input::new(body, &["student_id"]);
    let student_id = i.req("student_id", None, &parse::id);
    i.finish()?;
    let student_id = student_id.unwrap_or_default();
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
    let mut problems = Problems::default();
    match db::students::get(&mut tx, &student_id).await? {
        None => problems.add(
            "student_id",
            ErrorCode::UnknownStudent,
            "there is no such student",
        ),
        Some(s) => {
            if s.school_id != row.school_id || s.program_id != row.program_id {
                problems.add(
                    "student_id",
                    ErrorCode::StudentNotInProgram,
                    "the student belongs to another program or school",
                );
            }
            if s.enrollment_status != "enrolled" {
                problems.add(
                    "student_id",
                    ErrorCode::StudentNotEnrolled,
                    format!("the student is not enrolled ({})", s.enrollment_status),
                );
            }
        }
    }
    problems.into_result()?;
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

#[utoipa::path(patch, path = "/api/v1/placements/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NameStudentInput,
    responses((status = 200, body = Placement), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Placement>> {
    p.authorize(Resource::Placement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(name_student(&st, &p, &id, body).await?))
}
