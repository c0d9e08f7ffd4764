//! Schools: the academic institutions whose students come (DOMAIN.md "Records").
use super::patch::keep;
use super::{Parsed, Principal};
use crate::db::{self, new_id, schools::School};
use crate::domain::policy::{Action, Resource};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The fields of a school; on create every field is required, on update an absent field keeps
/// its value.
#[derive(Clone, Debug, Default)]
pub struct SchoolFields {
    pub name: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
}

fn merge(input: Parsed<SchoolFields>, current: Option<&School>) -> AppResult<School> {
    let Parsed {
        fields: f,
        problems,
        ..
    } = input;
    let name = keep(&problems, "name", f.name, current.map(|c| &c.name));
    let city = keep(&problems, "city", f.city, current.map(|c| &c.city));
    let state = keep(&problems, "state", f.state, current.map(|c| &c.state));
    problems.into_result()?;
    Ok(School {
        id: current.map_or_else(new_id, |c| c.id.clone()),
        name: name.unwrap_or_default(),
        city: city.unwrap_or_default(),
        state: state.unwrap_or_default(),
    })
}

/// Creates a school (office only). Errors: 403, 422 with every problem.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_school(
    st: &AppState,
    p: &Principal,
    input: Parsed<SchoolFields>,
) -> AppResult<School> {
    p.authorize(Resource::School, Action::Write)?;
    let school = merge(input, None)?;
    let mut tx = st.db.write().await?;
    db::schools::insert(&mut tx, &school).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "school",
        &school.id,
        None::<&()>,
        Some(&school),
    )
    .await?;
    tx.commit().await?;
    Ok(school)
}

/// Changes the fields given. Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), school_id = %id))]
pub async fn update_school(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<SchoolFields>,
) -> AppResult<School> {
    p.authorize(Resource::School, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::schools::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let school = merge(input, Some(&current))?;
    db::schools::update(&mut tx, &school).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "school",
        id,
        Some(&current),
        Some(&school),
    )
    .await?;
    tx.commit().await?;
    Ok(school)
}
