//! Placement requests: the front door (DOMAIN.md rule 3). Schools submit, the office decides.
use super::{List, created};
use crate::db::{
    self, Scope, Tx,
    requests::{Course, FacultySupervisor, PlacementRequest, Preference, Shift},
};
use crate::domain::ErrorCode;
use crate::domain::{
    FieldError, Problems,
    eligibility::{self, AgreementFacts, Kind, ProgramFacts, Stage, StudentFacts},
    policy::{Action, Resource},
};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse, parse_id},
};
use crate::service::placements::{self, NewPlacement};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use chrono::NaiveDate;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RequestInput {
    /// clinical or internship
    kind: String,
    /// A school coordinator may leave it out: their own school.
    school_id: String,
    program_id: String,
    starts_on: String,
    ends_on: String,
    hours_per_week: i64,
    student_ids: Vec<String>,
    /// Places for students not named yet.
    slots: Option<i64>,
    /// Ranked, at most 3.
    preferences: Option<Vec<Preference>>,
    shifts: Option<Vec<Shift>>,
    /// 0–4: how many weeks later the same period may start.
    start_window_weeks: Option<i64>,
    /// All students in one department with one start.
    together: Option<bool>,
    notes: Option<String>,
    /// Required for an internship.
    course: Option<Course>,
    /// Required for an internship.
    faculty_supervisor: Option<FacultySupervisor>,
}

const FIELDS: &[&str] = &[
    "kind",
    "school_id",
    "program_id",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "student_ids",
    "slots",
    "preferences",
    "shifts",
    "start_window_weeks",
    "together",
    "notes",
    "course",
    "faculty_supervisor",
];

type R<T> = Result<T, (ErrorCode, String)>;

fn ids(v: &Value) -> R<Vec<String>> {
    let codes = parse::codes(v)
        .map_err(|_| (ErrorCode::InvalidType, "must be a list of ids".to_string()))?;
    codes
        .iter()
        .map(|c| parse_id(c).ok_or((ErrorCode::InvalidId, format!("{c:?} is not a valid id"))))
        .collect()
}

fn preferences(v: &Value) -> R<Vec<Preference>> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of { site_id, department_id? }".into(),
        ));
    };
    if items.len() > 3 {
        return Err((
            ErrorCode::TooManyPreferences,
            "at most 3 preferences, ranked".into(),
        ));
    }
    items
        .iter()
        .map(|i| {
            let site_id = i
                .get("site_id")
                .ok_or((
                    ErrorCode::InvalidType,
                    "each preference needs a site_id".to_string(),
                ))
                .and_then(parse::id)?;
            let department_id = match i.get("department_id") {
                None | Some(Value::Null) => None,
                Some(d) => Some(parse::id(d)?),
            };
            Ok(Preference {
                site_id,
                department_id,
            })
        })
        .collect()
}

fn time(s: &str) -> Option<(u32, u32)> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.len() == 5).then_some((h, m))
}

fn shifts(v: &Value) -> R<Vec<Shift>> {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of { weekday, starts_at, ends_at }".into(),
        ));
    };
    items
        .iter()
        .map(|i| {
            let get = |k: &str| i.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let (weekday, starts_at, ends_at) = (get("weekday"), get("starts_at"), get("ends_at"));
            if !DAYS.contains(&weekday.as_str()) {
                return Err((
                    ErrorCode::InvalidShift,
                    format!("weekday must be one of {}", DAYS.join(", ")),
                ));
            }
            match (time(&starts_at), time(&ends_at)) {
                (Some(a), Some(b)) if a != b => Ok(Shift {
                    weekday,
                    starts_at,
                    ends_at,
                }),
                _ => Err((
                    ErrorCode::InvalidShift,
                    "a shift has starts_at and ends_at as HH:MM, and they differ".into(),
                )),
            }
        })
        .collect()
}

fn course(v: &Value) -> R<Course> {
    let code = v.get("code").map(parse::text).transpose().ok().flatten();
    let title = v.get("title").map(parse::text).transpose().ok().flatten();
    let credits = v
        .get("credits")
        .map(parse::positive)
        .transpose()
        .ok()
        .flatten();
    match (code, title, credits) {
        (Some(code), Some(title), Some(credits)) => Ok(Course {
            code,
            title,
            credits,
        }),
        _ => Err((
            ErrorCode::InvalidCourse,
            "a course has a code, a title and a positive number of credits".into(),
        )),
    }
}

fn faculty(v: &Value) -> R<FacultySupervisor> {
    let name = v.get("name").map(parse::text).transpose().ok().flatten();
    let email = v.get("email").map(parse::email).transpose().ok().flatten();
    match (name, email) {
        (Some(name), Some(email)) => Ok(FacultySupervisor { name, email }),
        _ => Err((
            ErrorCode::InvalidFacultySupervisor,
            "a faculty supervisor has a name and a valid email".into(),
        )),
    }
}

/// The facts eligibility is decided on, read in the caller's transaction.
pub async fn eligibility_of(
    tx: &mut Tx,
    req: &PlacementRequest,
    stage: Stage,
) -> AppResult<Vec<FieldError>> {
    let Some(program) = db::programs::get(tx, &req.program_id).await? else {
        return Ok(vec![FieldError::at(
            "program_id",
            ErrorCode::UnknownProgram,
            "there is no such program",
        )]);
    };
    let agreements: Vec<AgreementFacts> = db::agreements::of_school(tx, &req.school_id)
        .await?
        .into_iter()
        .map(|a| AgreementFacts {
            status: a.status,
            effective_on: a.effective_on,
            expires_on: a.expires_on,
            disciplines: a.disciplines,
        })
        .collect();
    let mut students = Vec::new();
    for id in &req.student_ids {
        if let Some(s) = db::students::get(tx, id).await? {
            students.push(StudentFacts {
                id: s.id,
                school_id: s.school_id,
                program_id: s.program_id,
                enrollment_status: s.enrollment_status,
            });
        }
    }
    let facts = ProgramFacts {
        id: program.id,
        school_id: program.school_id,
        discipline: program.discipline,
        accredited_until: program.accredited_until,
    };
    let r = eligibility::Request {
        kind: Kind::parse(&req.kind).unwrap_or(Kind::Clinical),
        school_id: &req.school_id,
        starts_on: req.starts_on,
        ends_on: req.ends_on,
        has_course: req.course.is_some(),
        has_faculty_supervisor: req.faculty_supervisor.is_some(),
    };
    Ok(eligibility::check(
        &r,
        stage,
        &facts,
        &agreements,
        &students,
    ))
}

/// Parses a new request and checks it whole: field problems, references, and every
/// eligibility rule, all reported at once.
pub async fn parse_request(
    tx: &mut Tx,
    scope: &Scope,
    body: Map<String, Value>,
    today: NaiveDate,
) -> AppResult<PlacementRequest> {
    let mut i = Input::new(body, FIELDS);
    let kind = i.req(
        "kind",
        None,
        &parse::word(|s| Kind::parse(s).is_some(), "clinical, internship".into()),
    );
    let own = scope.school().map(str::to_string);
    let school_id = i.req("school_id", own.as_ref(), &parse::id);
    let program_id = i.req("program_id", None, &parse::id);
    let starts_on = i.req("starts_on", None, &parse::date);
    let ends_on = i.req("ends_on", None, &parse::date);
    let hours = i.req("hours_per_week", None, &|v| match parse::positive(v)? {
        n if n <= 80 => Ok(n),
        _ => Err((ErrorCode::OutOfRange, "at most 80 hours a week".into())),
    });
    let student_ids = i.req("student_ids", Some(&vec![]), &ids);
    let slots = i.req("slots", Some(&0), &parse::non_negative);
    let prefs = i.req("preferences", Some(&vec![]), &preferences);
    let shifts = i.req("shifts", Some(&vec![]), &shifts);
    let window = i.req(
        "start_window_weeks",
        Some(&0),
        &|v| match parse::non_negative(v)? {
            n if n <= 4 => Ok(n),
            _ => Err((ErrorCode::OutOfRange, "from 0 to 4 weeks".into())),
        },
    );
    let together = i.req("together", Some(&false), &parse::boolean);
    let notes = i.opt("notes", None, &parse::text);
    let course = i.opt("course", None, &course);
    let faculty_supervisor = i.opt("faculty_supervisor", None, &faculty);

    if let (Some(s), Some(n)) = (&student_ids, slots)
        && s.is_empty()
        && n == 0
    {
        i.problems.add(
            "student_ids",
            ErrorCode::NoStudents,
            "name at least one student, or ask for unnamed slots",
        );
    }
    if let Some(sid) = &school_id {
        let known =
            own.as_ref().is_none_or(|o| o == sid) && db::schools::get(tx, sid).await?.is_some();
        if !known {
            i.problems.add(
                "school_id",
                ErrorCode::UnknownSchool,
                "there is no such school",
            );
        }
    }
    if let (Some(pid), Some(sid)) = (&program_id, &school_id) {
        match db::programs::get(tx, pid).await? {
            None => i.problems.add(
                "program_id",
                ErrorCode::UnknownProgram,
                "there is no such program",
            ),
            Some(p) if p.school_id != *sid => i.problems.add(
                "program_id",
                ErrorCode::ProgramNotAtSchool,
                "the program belongs to another school",
            ),
            Some(_) => {}
        }
    }
    for s in student_ids.as_deref().unwrap_or_default() {
        if db::students::get(tx, s).await?.is_none() {
            i.problems.add(
                "student_ids",
                ErrorCode::UnknownStudent,
                format!("there is no student {s}"),
            );
        }
    }
    for (rank, p) in prefs.as_deref().unwrap_or_default().iter().enumerate() {
        if db::sites::get(tx, &p.site_id).await?.is_none() {
            i.problems.add(
                "preferences",
                ErrorCode::UnknownSite,
                format!("preference {}: there is no such site", rank + 1),
            );
        }
        if let Some(d) = &p.department_id {
            match db::departments::get(tx, d).await? {
                None => i.problems.add(
                    "preferences",
                    ErrorCode::UnknownDepartment,
                    format!("preference {}: there is no such department", rank + 1),
                ),
                Some(dept) if dept.site_id != p.site_id => i.problems.add(
                    "preferences",
                    ErrorCode::DepartmentNotAtSite,
                    format!("preference {}: the department is at another site", rank + 1),
                ),
                Some(_) => {}
            }
        }
    }
    let mut req = PlacementRequest {
        id: db::new_id(),
        kind: kind.unwrap_or_default(),
        school_id: school_id.unwrap_or_default(),
        program_id: program_id.unwrap_or_default(),
        starts_on: starts_on.unwrap_or_default(),
        ends_on: ends_on.unwrap_or_default(),
        hours_per_week: hours.unwrap_or_default(),
        student_ids: student_ids.unwrap_or_default(),
        slots: slots.unwrap_or_default(),
        preferences: prefs.unwrap_or_default(),
        shifts: shifts.unwrap_or_default(),
        start_window_weeks: window.unwrap_or_default(),
        together: together.unwrap_or_default(),
        notes: notes.flatten(),
        course: course.flatten(),
        faculty_supervisor: faculty_supervisor.flatten(),
        status: "submitted".into(),
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
    .all(|f| !i.problems.has_field(f));
    if readable {
        for e in eligibility_of(tx, &req, Stage::Submission { today }).await? {
            if !i.problems.0.contains(&e) {
                i.problems.push(e);
            }
        }
    }
    i.finish()?;
    req.created_at = chrono::Utc::now();
    Ok(req)
}

pub async fn submit_request(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<PlacementRequest> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let mut tx = st.db.write().await?;
    let mut req = parse_request(&mut tx, &scope, body, st.clock.today()).await?;
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

#[utoipa::path(post, path = "/api/v1/placement-requests", tag = "placements", security(("bearer" = [])), request_body = RequestInput,
    responses((status = 201, body = PlacementRequest), (status = 403, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem, description = "every failed field and eligibility rule at once")))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<PlacementRequest>)> {
    p.authorize(Resource::Request, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(submit_request(&st, &p, body).await?))
}

pub fn filter_from(params: &Params) -> AppResult<db::requests::Filter> {
    let date = |k: &str| -> AppResult<Option<NaiveDate>> {
        match params.get(k) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                AppError::invalid(k, ErrorCode::InvalidDate, "must be a date (YYYY-MM-DD)")
            }),
        }
    };
    Ok(db::requests::Filter {
        status: params.word(
            "status",
            |s| {
                [
                    "submitted",
                    "approved",
                    "waitlisted",
                    "declined",
                    "withdrawn",
                ]
                .contains(&s)
            },
            "submitted, approved, waitlisted, declined, withdrawn",
        )?,
        kind: params.word("kind", |s| Kind::parse(s).is_some(), "clinical, internship")?,
        school_id: params.id("school_id")?,
        discipline: params.get("discipline"),
        site_id: params.id("site_id")?,
        from: date("from")?,
        to: date("to")?,
        open: params.bool("open")?.unwrap_or(false),
    })
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

#[utoipa::path(get, path = "/api/v1/placement-requests", tag = "placements", security(("bearer" = [])),
    params(("status" = Option<String>, Query), ("kind" = Option<String>, Query), ("school_id" = Option<String>, Query),
           ("discipline" = Option<String>, Query), ("site_id" = Option<String>, Query, description = "a preferred site"),
           ("from" = Option<String>, Query), ("to" = Option<String>, Query), ("open" = Option<bool>, Query, description = "submitted or waitlisted"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<PlacementRequest>, description = "oldest first"), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<PlacementRequest>>> {
    let scope = p.authorize(Resource::Request, Action::Read)?;
    let page = params.page()?;
    let filter = filter_from(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::requests::list(&mut tx, &scope, &filter, &page).await?;
    let mut items = Vec::new();
    for r in rows.items {
        items.push(with_eligibility(&mut tx, r).await?);
    }
    Ok(Json(List {
        items,
        next_cursor: rows.next_cursor,
    }))
}

pub async fn load_visible(tx: &mut Tx, scope: &Scope, id: &str) -> AppResult<PlacementRequest> {
    let r = db::requests::get(tx, id).await?.ok_or(AppError::NotFound)?;
    ensure(super::schools::visible(scope, &r.school_id))?;
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/placement-requests/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = PlacementRequest), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<PlacementRequest>> {
    let scope = p.authorize(Resource::Request, Action::Read)?;
    let mut tx = st.db.read().await?;
    let r = load_visible(&mut tx, &scope, &id).await?;
    Ok(Json(with_eligibility(&mut tx, r).await?))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NameStudentsInput {
    /// The named students; naming takes places from `slots` unless `slots` is given.
    student_ids: Option<Vec<String>>,
    slots: Option<i64>,
}

/// Names students for a request's slots while it is submitted or waitlisted.
pub async fn name_students(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<PlacementRequest> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let mut i = Input::new(body, &["student_ids", "slots"]);
    let student_ids = i.opt("student_ids", None, &ids);
    let slots = i.opt("slots", None, &parse::non_negative);
    i.finish()?;
    let mut tx = st.db.write().await?;
    db::requests::lock(&mut tx, id).await?;
    let before = load_visible(&mut tx, &scope, id).await?;
    if !matches!(before.status.as_str(), "submitted" | "waitlisted") {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("a {} request can no longer change", before.status),
        ));
    }
    let mut after = before.clone();
    if let Some(Some(s)) = student_ids {
        after.student_ids = s;
    }
    after.slots = match slots.flatten() {
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

#[utoipa::path(patch, path = "/api/v1/placement-requests/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NameStudentsInput,
    responses((status = 200, body = PlacementRequest), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<PlacementRequest>> {
    p.authorize(Resource::Request, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(name_students(&st, &p, &id, body).await?))
}

/// Withdraws a submitted or waitlisted request (the school, or the office).
pub async fn withdraw_request(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<PlacementRequest> {
    let scope = p.authorize(Resource::Request, Action::Write)?;
    let mut i = Input::new(body, &["reason"]);
    let reason = i.opt("reason", None, &parse::text);
    i.finish()?;
    let mut tx = st.db.write().await?;
    db::requests::lock(&mut tx, id).await?;
    let before = load_visible(&mut tx, &scope, id).await?;
    if !matches!(before.status.as_str(), "submitted" | "waitlisted") {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("a {} request cannot be withdrawn", before.status),
        ));
    }
    db::requests::set_status(
        &mut tx,
        id,
        "withdrawn",
        reason.flatten().as_deref(),
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

#[utoipa::path(post, path = "/api/v1/placement-requests/{id}/withdraw", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Option<Object>, description = "{ reason? }"),
    responses((status = 200, body = PlacementRequest), (status = 409, body = crate::http::error::Problem)))]
pub async fn withdraw(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<PlacementRequest>> {
    p.authorize(Resource::Request, Action::Write)?;
    let body = body.read_or_empty(&st).await?;
    Ok(Json(withdraw_request(&st, &p, &id, body).await?))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DecisionPlacement {
    /// One of the request's named students; null or absent for an unnamed slot.
    student_id: Option<String>,
    department_id: String,
    /// Required for a clinical.
    preceptor_id: Option<String>,
    site_mentor_id: Option<String>,
    /// Default: the request's period.
    starts_on: Option<String>,
    ends_on: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DecisionInput {
    /// approve, decline, waitlist
    decision: String,
    /// Required to decline or waitlist.
    reason: Option<String>,
    /// To approve: one entry per named student and per slot.
    placements: Option<Vec<DecisionPlacement>>,
}

/// One entry of a decision's `placements`, dates still optional.
#[derive(Clone, Debug)]
struct Entry {
    student_id: Option<String>,
    department_id: String,
    preceptor_id: Option<String>,
    site_mentor_id: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
}

fn decision_entries(v: &Value) -> R<Vec<Entry>> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of placements".into(),
        ));
    };
    items
        .iter()
        .map(|e| {
            let Value::Object(m) = e else {
                return Err((
                    ErrorCode::InvalidType,
                    "each placement is an object".to_string(),
                ));
            };
            for k in m.keys() {
                if ![
                    "student_id",
                    "department_id",
                    "preceptor_id",
                    "site_mentor_id",
                    "starts_on",
                    "ends_on",
                ]
                .contains(&k.as_str())
                {
                    return Err((
                        ErrorCode::UnknownField,
                        format!("{k} is not a field of a placement"),
                    ));
                }
            }
            let opt_id = |k: &str| -> R<Option<String>> {
                match m.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => parse::id(v).map(Some),
                }
            };
            let opt_date = |k: &str| -> R<Option<NaiveDate>> {
                match m.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => parse::date(v).map(Some),
                }
            };
            let dept = m
                .get("department_id")
                .ok_or((
                    ErrorCode::Required,
                    "each placement needs a department_id".to_string(),
                ))
                .and_then(parse::id)?;
            Ok(Entry {
                student_id: opt_id("student_id")?,
                department_id: dept,
                preceptor_id: opt_id("preceptor_id")?,
                site_mentor_id: opt_id("site_mentor_id")?,
                starts_on: opt_date("starts_on")?,
                ends_on: opt_date("ends_on")?,
            })
        })
        .collect()
}

/// Approve, decline or waitlist — all or nothing.
pub async fn decide(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<PlacementRequest> {
    p.authorize(Resource::Decision, Action::Write)?;
    let mut i = Input::new(body, &["decision", "reason", "placements"]);
    let decision = i.req(
        "decision",
        None,
        &parse::word(
            |s| ["approve", "decline", "waitlist"].contains(&s),
            "approve, decline, waitlist".into(),
        ),
    );
    let reason = i.opt("reason", None, &parse::text).flatten();
    let entries = i.opt("placements", None, &decision_entries).flatten();
    if matches!(decision.as_deref(), Some("decline" | "waitlist")) && reason.is_none() {
        i.problems.add(
            "reason",
            ErrorCode::ReasonRequired,
            "give the school a reason",
        );
    }
    if decision.as_deref() == Some("approve")
        && entries.as_ref().is_none_or(|e| e.is_empty())
        && !i.problems.has_field("placements")
    {
        i.problems.add(
            "placements",
            ErrorCode::PlacementsRequired,
            "to approve, say where each student goes",
        );
    }
    i.finish()?;
    let decision = decision.unwrap_or_default();
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    db::requests::lock(&mut tx, id).await?;
    let before = db::requests::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(before.status.as_str(), "submitted" | "waitlisted") {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("a {} request cannot be decided again", before.status),
        ));
    }
    let mut created_rows = vec![];
    let status = match decision.as_str() {
        "decline" => "declined",
        "waitlist" => "waitlisted",
        _ => {
            let mut problems = Problems(eligibility_of(&mut tx, &before, Stage::Approval).await?);
            let entries = entries.unwrap_or_default();
            let named: Vec<&String> = entries
                .iter()
                .filter_map(|e| e.student_id.as_ref())
                .collect();
            for s in &named {
                if !before.student_ids.contains(s) {
                    problems.add(
                        "placements",
                        ErrorCode::StudentNotInRequest,
                        format!("student {s} is not named in this request"),
                    );
                }
            }
            for s in &before.student_ids {
                match named.iter().filter(|n| **n == s).count() {
                    0 => problems.add(
                        "placements",
                        ErrorCode::StudentMissingFromDecision,
                        format!("student {s} needs a placement"),
                    ),
                    1 => {}
                    _ => problems.add(
                        "placements",
                        ErrorCode::StudentPlacedTwice,
                        format!("student {s} is placed twice"),
                    ),
                }
            }
            let unnamed = entries.iter().filter(|e| e.student_id.is_none()).count() as i64;
            if unnamed != before.slots {
                problems.add(
                    "placements",
                    ErrorCode::SlotsMismatch,
                    format!(
                        "the request has {} unnamed slot(s); the decision places {unnamed}",
                        before.slots
                    ),
                );
            }
            problems.clone().into_result()?;
            let program = db::programs::get(&mut tx, &before.program_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let faculty_user = match &before.faculty_supervisor {
                Some(f) if before.kind == "internship" => Some(
                    super::invitations::ensure_faculty(&mut tx, st, p, f, &before.school_id)
                        .await?,
                ),
                _ => None,
            };
            let new: Vec<NewPlacement> = entries
                .into_iter()
                .map(|e| NewPlacement {
                    student_id: e.student_id,
                    department_id: e.department_id,
                    preceptor_id: e.preceptor_id,
                    site_mentor_id: e.site_mentor_id,
                    starts_on: e.starts_on.unwrap_or(before.starts_on),
                    ends_on: e.ends_on.unwrap_or(before.ends_on),
                })
                .collect();
            let faculty_id = faculty_user.as_ref().map(|f| f.user_id.clone());
            created_rows = placements::check_and_insert(
                &mut tx,
                &before,
                &program.discipline,
                &new,
                faculty_id,
                now,
            )
            .await?;
            for r in &created_rows {
                db::audit::record(
                    &mut tx,
                    &p.actor(now),
                    "create",
                    "placement",
                    &r.id,
                    None::<&()>,
                    Some(r),
                )
                .await?;
            }
            if let Some(f) = faculty_user {
                super::invitations::send_invitation(&mut tx, st, &f).await?;
            }
            "approved"
        }
    };
    db::requests::set_status(&mut tx, id, status, reason.as_deref(), now).await?;
    let mut after = db::requests::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        &format!("decision:{decision}"),
        "placement_request",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let mut views = Vec::new();
    for r in created_rows {
        views.push(placements::view(&mut tx, r, st.clock.today()).await?);
    }
    after.placements = Some(views);
    tx.commit().await?;
    Ok(after)
}

#[utoipa::path(post, path = "/api/v1/placement-requests/{id}/decision", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = DecisionInput,
    responses((status = 200, body = PlacementRequest, description = "with `placements`: the placements created"),
              (status = 409, body = crate::http::error::Problem, description = "invalid_transition, department_at_capacity, preceptor_at_capacity"),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn decision(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<PlacementRequest>> {
    p.authorize(Resource::Decision, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(decide(&st, &p, &id, body).await?))
}
