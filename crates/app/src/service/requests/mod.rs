//! Placement requests: the front door (DOMAIN.md rule 3). Schools submit, name students and
//! withdraw; the office decides, all or nothing.
use super::placements::{self, NewPlacement};
use super::principal::ensure;
use super::{Parsed, Principal};
use crate::db::{self, Scope, Tx};
use crate::domain::{
    ErrorCode, FieldError, Problems,
    eligibility::{Kind, Stage},
    policy::{Action, Resource},
    records::{Course, FacultySupervisor, PlacementRequest, Preference, RequestStatus, Shift},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

pub mod choices;
mod decision;
mod live_eligibility;
pub use choices::{DecisionChoices, decision_choices, preferences_of};
pub use decision::decide;
pub use live_eligibility::with_eligibility_all;

/// The fields of a new request (API.md "Placements"), as the edge could read them.
#[derive(Clone, Debug, Default)]
pub struct RequestFields {
    pub kind: Option<Kind>,
    pub school_id: Option<String>,
    pub program_id: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// 1-80.
    pub hours_per_week: Option<i64>,
    pub student_ids: Option<Vec<String>>,
    /// Places for students not named yet.
    pub slots: Option<i64>,
    /// Ranked, at most 3.
    pub preferences: Option<Vec<Preference>>,
    pub shifts: Option<Vec<Shift>>,
    /// 0-4.
    pub start_window_weeks: Option<i64>,
    pub together: Option<bool>,
    pub notes: Option<String>,
    pub course: Option<Course>,
    pub faculty_supervisor: Option<FacultySupervisor>,
}

impl RequestFields {
    /// Every field of an existing request (the demo seeds through `check_new_request`).
    pub fn of(r: &PlacementRequest) -> RequestFields {
        RequestFields {
            kind: Kind::parse(&r.kind),
            school_id: Some(r.school_id.clone()),
            program_id: Some(r.program_id.clone()),
            starts_on: Some(r.starts_on),
            ends_on: Some(r.ends_on),
            hours_per_week: Some(r.hours_per_week),
            student_ids: Some(r.student_ids.clone()),
            slots: Some(r.slots),
            preferences: Some(r.preferences.clone()),
            shifts: Some(r.shifts.clone()),
            start_window_weeks: Some(r.start_window_weeks),
            together: Some(r.together),
            notes: r.notes.clone(),
            course: r.course.clone(),
            faculty_supervisor: r.faculty_supervisor.clone(),
        }
    }
}

/// Names students for a request's slots: `student_ids` replaces the named students when
/// given; `slots` is what stays unnamed (default: the places left).
#[derive(Clone, Debug, Default)]
pub struct NameStudents {
    pub student_ids: Option<Vec<String>>,
    pub slots: Option<i64>,
}

/// Why a school withdraws its request.
#[derive(Clone, Debug, Default)]
pub struct Withdrawal {
    pub reason: Option<String>,
}

/// The office's decision on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionKind {
    Approve,
    Decline,
    Waitlist,
}

impl DecisionKind {
    pub fn parse(s: &str) -> Option<DecisionKind> {
        match s {
            "approve" => Some(DecisionKind::Approve),
            "decline" => Some(DecisionKind::Decline),
            "waitlist" => Some(DecisionKind::Waitlist),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Approve => "approve",
            DecisionKind::Decline => "decline",
            DecisionKind::Waitlist => "waitlist",
        }
    }
}

/// One placement a decision creates; the dates default to the request's period.
#[derive(Clone, Debug)]
pub struct DecisionPlacement {
    pub student_id: Option<String>,
    pub department_id: String,
    pub preceptor_id: Option<String>,
    pub site_mentor_id: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Approve (with one placement per named student and per slot), decline or waitlist (with
/// a reason).
#[derive(Clone, Debug)]
pub struct Decision {
    pub decision: DecisionKind,
    pub reason: Option<String>,
    pub placements: Vec<DecisionPlacement>,
}

/// The facts eligibility is decided on, read in the caller's transaction.
pub async fn eligibility_of(
    tx: &mut Tx,
    req: &PlacementRequest,
    stage: Stage,
) -> AppResult<Vec<FieldError>> {
    let facts = live_eligibility::RequestFacts::load(tx, std::slice::from_ref(req)).await?;
    Ok(facts.eligibility(req, stage))
}

/// Checks a new request whole: the edge's field problems, the references (school, program,
/// students, preferred sites and departments) and every eligibility rule (DOMAIN.md rule 1),
/// all reported at once. A school coordinator may only name their own school.
pub async fn check_new_request(
    tx: &mut Tx,
    scope: &Scope,
    input: Parsed<RequestFields>,
    today: NaiveDate,
) -> AppResult<PlacementRequest> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let own = scope.school().map(str::to_string);
    if let Some(sid) = &f.school_id {
        let known =
            own.as_ref().is_none_or(|o| o == sid) && db::schools::get(tx, sid).await?.is_some();
        if !known {
            problems.add(
                "school_id",
                ErrorCode::UnknownSchool,
                "there is no such school",
            );
        }
    }
    if let (Some(pid), Some(sid)) = (&f.program_id, &f.school_id) {
        match db::programs::get(tx, pid).await? {
            None => problems.add(
                "program_id",
                ErrorCode::UnknownProgram,
                "there is no such program",
            ),
            Some(p) if p.school_id != *sid => problems.add(
                "program_id",
                ErrorCode::ProgramNotAtSchool,
                "the program belongs to another school",
            ),
            Some(_) => {}
        }
    }
    for s in f.student_ids.as_deref().unwrap_or_default() {
        if db::students::get(tx, s).await?.is_none() {
            problems.add(
                "student_ids",
                ErrorCode::UnknownStudent,
                format!("there is no student {s}"),
            );
        }
    }
    for (rank, p) in f
        .preferences
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if db::sites::get(tx, &p.site_id).await?.is_none() {
            problems.add(
                "preferences",
                ErrorCode::UnknownSite,
                format!("preference {}: there is no such site", rank + 1),
            );
        }
        if let Some(d) = &p.department_id {
            match db::departments::get(tx, d).await? {
                None => problems.add(
                    "preferences",
                    ErrorCode::UnknownDepartment,
                    format!("preference {}: there is no such department", rank + 1),
                ),
                Some(dept) if dept.site_id != p.site_id => problems.add(
                    "preferences",
                    ErrorCode::DepartmentNotAtSite,
                    format!("preference {}: the department is at another site", rank + 1),
                ),
                Some(_) => {}
            }
        }
    }
    let req = PlacementRequest {
        id: db::new_id(),
        kind: f.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        school_id: f.school_id.unwrap_or_default(),
        program_id: f.program_id.unwrap_or_default(),
        starts_on: f.starts_on.unwrap_or_default(),
        ends_on: f.ends_on.unwrap_or_default(),
        hours_per_week: f.hours_per_week.unwrap_or_default(),
        student_ids: f.student_ids.unwrap_or_default(),
        slots: f.slots.unwrap_or_default(),
        preferences: f.preferences.unwrap_or_default(),
        shifts: f.shifts.unwrap_or_default(),
        start_window_weeks: f.start_window_weeks.unwrap_or_default(),
        together: f.together.unwrap_or_default(),
        notes: f.notes,
        course: f.course,
        faculty_supervisor: f.faculty_supervisor,
        status: RequestStatus::Submitted.as_str().into(),
        decision_reason: None,
        decided_at: None,
        created_at: chrono::Utc::now(),
        eligibility: None,
        placements: None,
    };
    // Eligibility needs a readable school, program and period; otherwise the field problems say enough.
    let readable = [
        "kind",
        "school_id",
        "program_id",
        "starts_on",
        "ends_on",
        "student_ids",
    ]
    .iter()
    .all(|f| !problems.has_field(f));
    if readable {
        for e in eligibility_of(tx, &req, Stage::Submission { today }).await? {
            if !problems.0.contains(&e) {
                problems.push(e);
            }
        }
    }
    problems.into_result()?;
    Ok(req)
}

/// Submits a new request (a school for itself, or the office). Errors: 403, 422 with every
/// failed field and eligibility rule at once.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn submit_request(
    st: &AppState,
    p: &Principal,
    input: Parsed<RequestFields>,
) -> AppResult<PlacementRequest> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let mut tx = st.db.write().await?;
    let mut req = check_new_request(&mut tx, &scope, input, st.clock.today()).await?;
    req.created_at = st.clock.now();
    db::requests::insert(&mut tx, &req, &p.user_id).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "submit",
        "placement_request",
        &req.id,
        None::<&()>,
        Some(&req),
    )
    .await?;
    tx.commit().await?;
    Ok(req)
}

/// Adds the live eligibility of an open request.
pub async fn with_eligibility(
    tx: &mut Tx,
    mut req: PlacementRequest,
) -> AppResult<PlacementRequest> {
    if matches!(req.status.as_str(), "submitted" | "waitlisted") {
        req.eligibility = Some(eligibility_of(tx, &req, Stage::Approval).await?);
    }
    Ok(req)
}

pub async fn load_visible(tx: &mut Tx, scope: &Scope, id: &str) -> AppResult<PlacementRequest> {
    let r = db::requests::get(tx, id).await?.ok_or(AppError::NotFound)?;
    ensure(scope.sees_school(&r.school_id))?;
    Ok(r)
}

/// Names students for a request's slots while it is submitted or waitlisted.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), request_id = %id))]
pub async fn name_students(
    st: &AppState,
    p: &Principal,
    id: &str,
    NameStudents { student_ids, slots }: NameStudents,
) -> AppResult<PlacementRequest> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::requests::lock(&mut tx, id).await?;
    let before = load_visible(&mut tx, &scope, id).await?;
    if !before.is_open() {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("a {} request can no longer change", before.status),
        ));
    }
    let mut after = before.clone();
    if let Some(s) = student_ids {
        after.student_ids = s;
    }
    after.slots = match slots {
        Some(n) => n,
        None => (before.places() - after.student_ids.len() as i64).max(0),
    };
    let mut problems = Problems::default();
    if after.places() == 0 {
        problems.add(
            "student_ids",
            ErrorCode::NoStudents,
            "name at least one student, or keep an unnamed slot",
        );
    }
    for s in &after.student_ids {
        if db::students::get(&mut tx, s).await?.is_none() {
            problems.add(
                "student_ids",
                ErrorCode::UnknownStudent,
                format!("there is no student {s}"),
            );
        }
    }
    if problems.is_empty() {
        problems.0.extend(
            eligibility_of(&mut tx, &after, Stage::Approval)
                .await?
                .into_iter()
                .filter(|e| e.code.is_about_a_student()),
        );
    }
    problems.into_result()?;
    db::requests::set_students(&mut tx, id, &after.student_ids).await?;
    db::requests::set_slots(&mut tx, id, after.slots).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "name_students",
        "placement_request",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Withdraws a submitted or waitlisted request (the school, or the office).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), request_id = %id))]
pub async fn withdraw_request(
    st: &AppState,
    p: &Principal,
    id: &str,
    Withdrawal { reason }: Withdrawal,
) -> AppResult<PlacementRequest> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let mut tx = st.db.write().await?;
    db::requests::lock(&mut tx, id).await?;
    let before = load_visible(&mut tx, &scope, id).await?;
    if !before.is_open() {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("a {} request cannot be withdrawn", before.status),
        ));
    }
    db::requests::set_status(
        &mut tx,
        id,
        RequestStatus::Withdrawn.as_str(),
        reason.as_deref(),
        st.clock.now(),
    )
    .await?;
    let after = db::requests::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "withdraw",
        "placement_request",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
