use super::{List, created};
use crate::db::{self, Scope, Tx, departments::Department, new_id};
use crate::domain::ErrorCode;
use crate::domain::{
    directory::Setting,
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
pub struct DepartmentInput {
    site_id: String,
    name: String,
    /// inpatient, outpatient, emergency, surgical, critical_care, imaging, laboratory, pharmacy,
    /// rehabilitation, home_care, behavioral_health, long_term_care, office
    setting: String,
    /// Students at once, all disciplines together.
    capacity: i64,
    disciplines: Vec<String>,
}

pub async fn parse_department(
    tx: &mut Tx,
    body: Map<String, Value>,
    current: Option<&Department>,
) -> Result<Department, AppError> {
    let mut i = Input::new(
        body,
        &["site_id", "name", "setting", "capacity", "disciplines"],
    );
    let site_id = i.req("site_id", current.map(|c| &c.site_id), &parse::id);
    let name = i.req("name", current.map(|c| &c.name), &parse::text);
    let setting = i.req(
        "setting",
        current.map(|c| &c.setting),
        &parse::word(|s| Setting::parse(s).is_some(), Setting::words()),
    );
    let capacity = i.req(
        "capacity",
        current.map(|c| &c.capacity),
        &parse::non_negative,
    );
    let disciplines = i.req(
        "disciplines",
        Some(current.map(|c| &c.disciplines).unwrap_or(&vec![])),
        &parse::codes,
    );
    if let Some(site_id) = &site_id
        && db::sites::get(tx, site_id).await?.is_none()
    {
        i.problems
            .add("site_id", ErrorCode::UnknownSite, "there is no such site");
    }
    check_disciplines(
        tx,
        &mut i,
        "disciplines",
        disciplines.as_deref().unwrap_or_default(),
    )
    .await?;
    i.finish()?;
    Ok(Department {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        site_id: site_id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        setting: setting.unwrap_or_default(),
        capacity: capacity.unwrap_or_default(),
        disciplines: disciplines.unwrap_or_default(),
    })
}

/// Each code must be in the catalog.
pub async fn check_disciplines(
    tx: &mut Tx,
    i: &mut Input,
    field: &str,
    codes: &[String],
) -> AppResult<()> {
    for code in codes {
        if db::disciplines::get(tx, code).await?.is_none() {
            i.problems.add(
                field,
                ErrorCode::UnknownDiscipline,
                format!("{code:?} is not in the discipline catalog"),
            );
        }
    }
    Ok(())
}

fn visible(scope: &Scope, d: &Department) -> bool {
    match scope {
        Scope::All => true,
        Scope::Department(id) => *id == d.id,
        _ => false,
    }
}

#[utoipa::path(get, path = "/api/v1/departments", tag = "directory", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("site_id" = Option<String>, Query), ("discipline" = Option<String>, Query),
           ("setting" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Department>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Department>>> {
    let scope = p.authorize(Resource::Department, Action::Read)?;
    let page = params.page()?;
    let filter = db::departments::Filter {
        q: params.get("q"),
        site_id: params.id("site_id")?,
        discipline: params.get("discipline"),
        setting: params.word(
            "setting",
            |s| Setting::parse(s).is_some(),
            &Setting::words(),
        )?,
    };
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::departments::list(&mut tx, &scope, &filter, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/departments", tag = "directory", security(("bearer" = [])), request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Department>)> {
    p.authorize(Resource::Department, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_department(&st, &p, body).await?))
}

pub async fn create_department(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<Department> {
    p.authorize(Resource::Department, Action::Write)?;
    let mut tx = st.db.write().await?;
    let d = parse_department(&mut tx, body, None).await?;
    db::departments::insert(&mut tx, &d).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "department",
        &d.id,
        None::<&()>,
        Some(&d),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Department), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Department>> {
    let scope = p.authorize(Resource::Department, Action::Read)?;
    let mut tx = st.db.read().await?;
    let d = db::departments::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(visible(&scope, &d))?;
    Ok(Json(d))
}

#[utoipa::path(patch, path = "/api/v1/departments/{id}", tag = "directory", security(("bearer" = [])), request_body = DepartmentInput,
    params(("id" = String, Path)), responses((status = 200, body = Department), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Department>> {
    p.authorize(Resource::Department, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_department(&st, &p, &id, body).await?))
}

pub async fn update_department(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Department> {
    p.authorize(Resource::Department, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::departments::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = parse_department(&mut tx, body, Some(&current)).await?;
    db::departments::update(&mut tx, &d).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "department",
        id,
        Some(&current),
        Some(&d),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}
