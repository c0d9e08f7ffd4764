//! Departments: the units, clinics and services of a site that take students
//! (DOMAIN.md "Records").
use super::patch::keep;
use super::{Parsed, Principal};
use crate::db::{self, Tx, departments::Department, new_id};
use crate::domain::{
    ErrorCode, Problems,
    directory::{Setting, check_department_disciplines},
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The fields of a department; `disciplines` is at least one code.
#[derive(Clone, Debug, Default)]
pub struct DepartmentFields {
    /// A site id; the use case checks the site exists.
    pub site_id: Option<String>,
    pub name: Option<String>,
    pub setting: Option<Setting>,
    /// Students at once, all disciplines together.
    pub capacity: Option<i64>,
    /// Discipline codes; the use case checks each is in the catalog.
    pub disciplines: Option<Vec<String>>,
}

/// Each code must be in the discipline catalog.
pub async fn check_disciplines(
    tx: &mut Tx,
    problems: &mut Problems,
    field: &str,
    codes: &[String],
) -> AppResult<()> {
    for code in codes {
        if db::disciplines::get(tx, code).await?.is_none() {
            problems.add(
                field,
                ErrorCode::UnknownDiscipline,
                format!("{code:?} is not in the discipline catalog"),
            );
        }
    }
    Ok(())
}

async fn merge(
    tx: &mut Tx,
    input: Parsed<DepartmentFields>,
    current: Option<&Department>,
) -> AppResult<Department> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let p = &problems;
    let site_id = keep(p, "site_id", f.site_id, current.map(|c| &c.site_id));
    let name = keep(p, "name", f.name, current.map(|c| &c.name));
    let setting = keep(
        p,
        "setting",
        f.setting.map(|s| s.as_str().to_string()),
        current.map(|c| &c.setting),
    );
    let capacity = keep(p, "capacity", f.capacity, current.map(|c| &c.capacity));
    let disciplines = keep(
        p,
        "disciplines",
        f.disciplines,
        current.map(|c| &c.disciplines),
    );
    check_department_disciplines(&mut problems, disciplines.as_deref());
    if let Some(site_id) = &site_id
        && db::sites::get(tx, site_id).await?.is_none()
    {
        problems.add("site_id", ErrorCode::UnknownSite, "there is no such site");
    }
    check_disciplines(
        tx,
        &mut problems,
        "disciplines",
        disciplines.as_deref().unwrap_or_default(),
    )
    .await?;
    problems.into_result()?;
    Ok(Department {
        affected_placements: None,
        id: current.map_or_else(new_id, |c| c.id.clone()),
        site_id: site_id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        setting: setting.unwrap_or_default(),
        capacity: capacity.unwrap_or_default(),
        disciplines: disciplines.unwrap_or_default(),
    })
}

/// Creates a department (office only). Errors: 403, 422 with every problem.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_department(
    st: &AppState,
    p: &Principal,
    input: Parsed<DepartmentFields>,
) -> AppResult<Department> {
    p.authorize(Resource::Department, Action::Write)?;
    let mut tx = st.db.write().await?;
    let d = merge(&mut tx, input, None).await?;
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

/// Changes the fields given. Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), department_id = %id))]
pub async fn update_department(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<DepartmentFields>,
) -> AppResult<Department> {
    let preview = input.preview_risks;
    p.authorize(Resource::Department, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::departments::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut d = merge(&mut tx, input, Some(&current)).await?;
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
    let affected = super::risks::review(
        &mut tx,
        db::placements::DependsOn::Department(id),
        st.clock.now(),
    )
    .await?;
    super::risks::confirm_first(&mut tx, preview, &affected, st.clock.now()).await?;
    tx.commit().await?;
    d.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(d)
}
