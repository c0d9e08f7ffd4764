//! The requirement rules the office keeps (DOMAIN.md "Onboarding"): what each placement needs.
use crate::db::{self, requirements::Requirement};
use crate::domain::{
    ErrorCode, Problems,
    policy::{Action, Resource},
    requirements::{AppliesTo, Validity},
};
use crate::error::{AppError, AppResult};
use crate::service::{Parsed, Principal};
use crate::state::AppState;

/// The fields of a requirement rule (API.md "Onboarding"): on create `code`, `name`,
/// `category`, `satisfied_by` and `validity` are required; on update an absent field keeps
/// its value, and the code never changes (evidence refers to it).
#[derive(Clone, Debug, Default)]
pub struct RequirementFields {
    pub code: Option<String>,
    pub name: Option<String>,
    /// One of `CATEGORIES`.
    pub category: Option<String>,
    /// One of `SATISFIERS`.
    pub satisfied_by: Option<String>,
    pub validity: Option<Validity>,
    pub applies_to: Option<AppliesTo>,
    pub active: Option<bool>,
}

fn requirement_of(
    fields: RequirementFields,
    mut problems: Problems,
    current: Option<&Requirement>,
) -> AppResult<Requirement> {
    if let (Some(c), Some(cur)) = (&fields.code, current)
        && *c != cur.code
    {
        problems.add(
            "code",
            ErrorCode::ReadOnly,
            "a requirement's code cannot change; evidence refers to it",
        );
    }
    problems.into_result()?;
    let keep = |f: Option<String>, c: fn(&Requirement) -> &String| {
        f.or_else(|| current.map(|r| c(r).clone()))
            .unwrap_or_default()
    };
    Ok(Requirement {
        id: current.map_or_else(db::new_id, |c| c.id.clone()),
        code: keep(fields.code, |r| &r.code),
        name: keep(fields.name, |r| &r.name),
        category: keep(fields.category, |r| &r.category),
        satisfied_by: keep(fields.satisfied_by, |r| &r.satisfied_by),
        validity: fields
            .validity
            .or_else(|| current.map(|r| r.validity))
            .unwrap_or(Validity::Once),
        applies_to: fields
            .applies_to
            .or_else(|| current.map(|r| r.applies_to.clone()))
            .unwrap_or_default(),
        active: fields
            .active
            .or_else(|| current.map(|r| r.active))
            .unwrap_or(true),
    })
}

/// Adds a requirement rule (office). Errors: 403, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_requirement(
    st: &AppState,
    p: &Principal,
    input: Parsed<RequirementFields>,
) -> AppResult<Requirement> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let r = requirement_of(input.fields, input.problems, None)?;
    let mut tx = st.db.write().await?;
    db::requirements::insert(&mut tx, &r).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "requirement",
        &r.id,
        None::<&()>,
        Some(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

/// Changes a rule; it applies to every open placement on the next read (clearance is
/// derived, never stored). Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), requirement_id = %id))]
pub async fn update_requirement(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<RequirementFields>,
) -> AppResult<Requirement> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::requirements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = requirement_of(input.fields, input.problems, Some(&current))?;
    db::requirements::update(&mut tx, &r).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "requirement",
        id,
        Some(&current),
        Some(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}
