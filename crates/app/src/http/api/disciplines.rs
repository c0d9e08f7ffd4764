use super::List;
use super::schema::Discipline;
use crate::db;
use crate::domain::ErrorCode;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::Params,
};
use crate::state::AppState;
use axum::{Json, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

/// The discipline catalog.
#[utoipa::path(get, path = "/api/v1/disciplines", tag = "directory", security(("bearer" = [])),
    responses((status = 200, body = List<Discipline>)))]
pub async fn list(State(st): State<AppState>, p: Principal) -> AppResult<Json<List<Discipline>>> {
    p.authorize(Resource::Discipline, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(Json(db::disciplines::all(&mut tx).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct OptionDepartment {
    pub id: String,
    pub name: String,
    pub setting: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementOption {
    pub site_id: String,
    pub site_name: String,
    pub departments: Vec<OptionDepartment>,
}

/// What a school may ask for in a discipline: the sites and departments hosting it. No
/// capacities and no people.
#[utoipa::path(get, path = "/api/v1/placement-options", tag = "directory", security(("bearer" = [])),
    params(("discipline" = String, Query, description = "a discipline code")),
    responses((status = 200, body = Vec<PlacementOption>), (status = 422, body = crate::http::error::Problem)))]
pub async fn placement_options(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<Vec<PlacementOption>>> {
    p.authorize(Resource::PlacementOptions, Action::Read)?;
    let Some(code) = params.get("discipline") else {
        return Err(AppError::invalid(
            "discipline",
            ErrorCode::Required,
            "discipline is required",
        ));
    };
    let mut tx = st.db.read().await?;
    if db::disciplines::get(&mut tx, &code).await?.is_none() {
        return Err(AppError::invalid(
            "discipline",
            ErrorCode::UnknownDiscipline,
            format!("{code:?} is not in the catalog"),
        ));
    }
    let mut out: Vec<PlacementOption> = Vec::new();
    for (site_id, site_name, id, name, setting) in db::departments::hosting(&mut tx, &code).await? {
        let dept = OptionDepartment { id, name, setting };
        match out.last_mut() {
            Some(o) if o.site_id == site_id => o.departments.push(dept),
            _ => out.push(PlacementOption {
                site_id,
                site_name,
                departments: vec![dept],
            }),
        }
    }
    Ok(Json(out))
}
