use super::{List, created};
use crate::db::{self, Scope, Tx, new_id, students::Student};
use crate::domain::ErrorCode;
use crate::domain::{
    directory::EnrollmentStatus,
    policy::{Action, Resource},
};
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct StudentInput {
    /// A school coordinator may leave it out: their own school.
    school_id: String,
    program_id: String,
    first_name: String,
    last_name: String,
    email: String,
    /// enrolled (default), leave, graduated, withdrawn
    enrollment_status: Option<String>,
    expected_graduation: Option<String>,
}

pub fn visible(scope: &Scope, s: &Student) -> bool {
    match scope {
        Scope::All => true,
        Scope::School(id) => *id == s.school_id,
        Scope::Student(id) => *id == s.id,
        // Placed-with-them scopes need the database: `db::students::placed_with`.
        _ => false,
    }
}

/// The school is fixed once a student exists; a school coordinator's is their own.
pub async fn parse_student(
    tx: &mut Tx,
    scope: &Scope,
    body: Map<String, Value>,
    current: Option<&Student>,
) -> AppResult<Student> {
    let mut i = Input::new(
        body,
        &[
            "school_id",
            "program_id",
            "first_name",
            "last_name",
            "email",
            "enrollment_status",
            "expected_graduation",
        ],
    );
    let own_school = scope.school().map(str::to_string);
    let school_default = current.map(|c| c.school_id.clone()).or(own_school.clone());
    let school_id = i.req("school_id", school_default.as_ref(), &parse::id);
    let program_id = i.req("program_id", current.map(|c| &c.program_id), &parse::id);
    let first_name = i.req("first_name", current.map(|c| &c.first_name), &parse::text);
    let last_name = i.req("last_name", current.map(|c| &c.last_name), &parse::text);
    let email = i.req("email", current.map(|c| &c.email), &parse::email);
    let status = i.req(
        "enrollment_status",
        Some(
            current
                .map(|c| &c.enrollment_status)
                .unwrap_or(&"enrolled".to_string()),
        ),
        &parse::word(
            |s| EnrollmentStatus::parse(s).is_some(),
            EnrollmentStatus::words(),
        ),
    );
    let expected_graduation = i.opt(
        "expected_graduation",
        current.map(|c| &c.expected_graduation),
        &parse::date,
    );

    if let (Some(cur), Some(sid)) = (current, &school_id)
        && *sid != cur.school_id
    {
        i.problems.add(
            "school_id",
            ErrorCode::ReadOnly,
            "a student's school cannot change; create a new student record",
        );
    }
    let school_ok = match &school_id {
        Some(sid) if own_school.as_ref().is_some_and(|own| own != sid) => false,
        Some(sid) => db::schools::get(tx, sid).await?.is_some(),
        None => true,
    };
    if !school_ok {
        i.problems.add(
            "school_id",
            ErrorCode::UnknownSchool,
            "there is no such school",
        );
    }
    if let (Some(pid), Some(sid)) = (&program_id, &school_id) {
        match db::programs::get(tx, pid).await? {
            None => i.problems.add(
                "program_id",
                ErrorCode::UnknownProgram,
                "there is no such program",
            ),
            // Against a school that is unknown (or not the caller's), `unknown_school` says it.
            Some(p) if p.school_id != *sid && school_ok => i.problems.add(
                "program_id",
                ErrorCode::ProgramNotAtSchool,
                "the program belongs to another school",
            ),
            Some(_) => {}
        }
    }
    i.finish()?;
    Ok(Student {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        school_id: school_id.unwrap_or_default(),
        program_id: program_id.unwrap_or_default(),
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        enrollment_status: status.unwrap_or_default(),
        expected_graduation: expected_graduation.flatten(),
    })
}

pub fn filter_from(params: &Params) -> AppResult<db::students::Filter> {
    Ok(db::students::Filter {
        school_id: params.id("school_id")?,
        program_id: params.id("program_id")?,
        status: params.word(
            "status",
            |s| EnrollmentStatus::parse(s).is_some(),
            &EnrollmentStatus::words(),
        )?,
        q: params.get("q"),
    })
}

#[utoipa::path(get, path = "/api/v1/students", tag = "directory", security(("bearer" = [])),
    params(("school_id" = Option<String>, Query), ("program_id" = Option<String>, Query),
           ("status" = Option<String>, Query, description = "enrollment status"), ("q" = Option<String>, Query, description = "name or email"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Student>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Student>>> {
    let scope = p.authorize(Resource::Student, Action::Read)?;
    let page = params.page()?;
    let filter = filter_from(&params)?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::students::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/students", tag = "directory", security(("bearer" = [])), request_body = StudentInput,
    responses((status = 201, body = Student), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Student>)> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_student(&st, &p, body).await?))
}

pub async fn create_student(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<Student> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.write().await?;
    let s = parse_student(&mut tx, &scope, body, None).await?;
    db::students::insert(&mut tx, &s).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "student",
        &s.id,
        None::<&()>,
        Some(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

#[utoipa::path(get, path = "/api/v1/students/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Student), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Student>> {
    let scope = p.authorize(Resource::Student, Action::Read)?;
    let mut tx = st.db.read().await?;
    let s = db::students::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &s) || db::students::placed_with(&mut tx, &scope, &s.id).await?)?;
    Ok(Json(s))
}

#[utoipa::path(patch, path = "/api/v1/students/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StudentInput,
    responses((status = 200, body = Student), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Student>> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_student(&st, &p, &id, body).await?))
}

pub async fn update_student(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Student> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::students::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &current))?;
    let s = parse_student(&mut tx, &scope, body, Some(&current)).await?;
    db::students::update(&mut tx, &s).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "student",
        id,
        Some(&current),
        Some(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}
