use super::{List, created};
use crate::db::{
    self, Tx, new_id,
    staff::{Leave, Staff},
};
use crate::domain::ErrorCode;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct StaffInput {
    name: String,
    email: String,
    department_id: String,
    /// Required for a preceptor: the discipline they supervise.
    discipline: Option<String>,
    credential: Option<String>,
    license_number: Option<String>,
    license_expires_on: Option<String>,
    is_preceptor: bool,
    /// Students at once; at least 1 for a preceptor.
    max_students: i64,
    leave: Option<Vec<Leave>>,
}

fn leave_list(v: &Value) -> Result<Vec<Leave>, (ErrorCode, String)> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of { starts_on, ends_on }".into(),
        ));
    };
    let mut out = Vec::new();
    for item in items {
        let (Some(s), Some(e)) = (item.get("starts_on"), item.get("ends_on")) else {
            return Err((
                ErrorCode::InvalidType,
                "each leave needs starts_on and ends_on".into(),
            ));
        };
        let (starts_on, ends_on) = (parse::date(s)?, parse::date(e)?);
        if ends_on < starts_on {
            return Err((
                ErrorCode::InvalidPeriod,
                "a leave must end on or after it starts".into(),
            ));
        }
        out.push(Leave { starts_on, ends_on });
    }
    out.sort_by_key(|l| l.starts_on);
    if out.windows(2).any(|w| w[1].starts_on <= w[0].ends_on) {
        return Err((ErrorCode::InvalidPeriod, "leaves may not overlap".into()));
    }
    Ok(out)
}

pub async fn parse_staff(
    tx: &mut Tx,
    body: Map<String, Value>,
    current: Option<&Staff>,
) -> AppResult<Staff> {
    let mut i = Input::new(
        body,
        &[
            "name",
            "email",
            "department_id",
            "discipline",
            "credential",
            "license_number",
            "license_expires_on",
            "is_preceptor",
            "max_students",
            "leave",
        ],
    );
    let name = i.req("name", current.map(|c| &c.name), &parse::text);
    let email = i.req("email", current.map(|c| &c.email), &parse::email);
    let department_id = i.req(
        "department_id",
        current.map(|c| &c.department_id),
        &parse::id,
    );
    let discipline = i.opt("discipline", current.map(|c| &c.discipline), &parse::text);
    let credential = i.opt("credential", current.map(|c| &c.credential), &parse::text);
    let license_number = i.opt(
        "license_number",
        current.map(|c| &c.license_number),
        &parse::text,
    );
    let license_expires_on = i.opt(
        "license_expires_on",
        current.map(|c| &c.license_expires_on),
        &parse::date,
    );
    let is_preceptor = i.req(
        "is_preceptor",
        Some(current.map(|c| &c.is_preceptor).unwrap_or(&false)),
        &parse::boolean,
    );
    let max_students = i.req(
        "max_students",
        Some(current.map(|c| &c.max_students).unwrap_or(&0)),
        &parse::non_negative,
    );
    let leave = i.req(
        "leave",
        Some(current.map(|c| &c.leave).unwrap_or(&vec![])),
        &leave_list,
    );

    if let Some(d) = &department_id
        && db::departments::get(tx, d).await?.is_none()
    {
        i.problems.add(
            "department_id",
            ErrorCode::UnknownDepartment,
            "there is no such department",
        );
    }
    if let Some(Some(code)) = &discipline
        && db::disciplines::get(tx, code).await?.is_none()
    {
        i.problems.add(
            "discipline",
            ErrorCode::UnknownDiscipline,
            format!("{code:?} is not in the discipline catalog"),
        );
    }
    if is_preceptor == Some(true) {
        if discipline == Some(None) {
            i.problems.add(
                "discipline",
                ErrorCode::DisciplineRequired,
                "a preceptor supervises in one discipline: name it",
            );
        }
        if max_students == Some(0) {
            i.problems.add(
                "max_students",
                ErrorCode::MustBePositive,
                "a preceptor supervises at least 1 student",
            );
        }
    }
    i.finish()?;
    Ok(Staff {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        department_id: department_id.unwrap_or_default(),
        discipline: discipline.flatten(),
        credential: credential.flatten(),
        license_number: license_number.flatten(),
        license_expires_on: license_expires_on.flatten(),
        is_preceptor: is_preceptor.unwrap_or_default(),
        max_students: max_students.unwrap_or_default(),
        leave: leave.unwrap_or_default(),
    })
}

pub fn filter_from(params: &Params) -> AppResult<db::staff::Filter> {
    Ok(db::staff::Filter {
        department_id: params.id("department_id")?,
        discipline: params.get("discipline"),
        is_preceptor: params.bool("is_preceptor")?,
        q: params.get("q"),
    })
}

#[utoipa::path(get, path = "/api/v1/staff", tag = "directory", security(("bearer" = [])),
    params(("department_id" = Option<String>, Query), ("discipline" = Option<String>, Query), ("is_preceptor" = Option<bool>, Query),
           ("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Staff>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Staff>>> {
    let scope = p.authorize(Resource::Staff, Action::Read)?;
    let page = params.page()?;
    let filter = filter_from(&params)?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::staff::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/staff", tag = "directory", security(("bearer" = [])), request_body = StaffInput,
    responses((status = 201, body = Staff), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Staff>)> {
    p.authorize(Resource::Staff, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_staff(&st, &p, body).await?))
}

pub async fn create_staff(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<Staff> {
    p.authorize(Resource::Staff, Action::Write)?;
    let mut tx = st.db.write().await?;
    let s = parse_staff(&mut tx, body, None).await?;
    db::staff::insert(&mut tx, &s).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "staff",
        &s.id,
        None::<&()>,
        Some(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

#[utoipa::path(get, path = "/api/v1/staff/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Staff), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Staff>> {
    p.authorize(Resource::Staff, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::staff::get(&mut tx, &id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[utoipa::path(patch, path = "/api/v1/staff/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StaffInput,
    responses((status = 200, body = Staff), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Staff>> {
    p.authorize(Resource::Staff, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_staff(&st, &p, &id, body).await?))
}

pub async fn update_staff(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Staff> {
    p.authorize(Resource::Staff, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::staff::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = parse_staff(&mut tx, body, Some(&current)).await?;
    db::staff::update(&mut tx, &s).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "staff",
        id,
        Some(&current),
        Some(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}
