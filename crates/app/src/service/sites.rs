//! Sites: the hospital's campuses (DOMAIN.md "Records").
use super::Parsed;
use super::Principal;
use crate::db::{self, new_id, sites::Site};
use crate::domain::policy::{Action, Resource};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The fields of a site; on create every field is required, on update an absent field keeps
/// its value.
#[derive(Clone, Debug, Default)]
pub struct SiteFields {
    pub name: Option<String>,
    /// `Some(None)` clears it.
    pub address: Option<Option<String>>,
    pub arrival_notes: Option<Option<String>>,
}

/// Creates a site (office only). Errors: 403, 422 with every problem.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_site(
    st: &AppState,
    p: &Principal,
    input: Parsed<SiteFields>,
) -> AppResult<Site> {
    p.authorize(Resource::Site, Action::Write)?;
    input.problems.into_result()?;
    let site = Site {
        id: new_id(),
        name: input.fields.name.unwrap_or_default(),
        address: input.fields.address.flatten(),
        arrival_notes: input.fields.arrival_notes.flatten(),
    };
    let mut tx = st.db.write().await?;
    db::sites::insert(&mut tx, &site).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "site",
        &site.id,
        None::<&()>,
        Some(&site),
    )
    .await?;
    tx.commit().await?;
    Ok(site)
}

/// Changes the fields given. Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), site_id = %id))]
pub async fn update_site(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<SiteFields>,
) -> AppResult<Site> {
    p.authorize(Resource::Site, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::sites::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    input.problems.into_result()?;
    let site = Site {
        id: current.id.clone(),
        name: input.fields.name.unwrap_or_else(|| current.name.clone()),
        address: input
            .fields
            .address
            .unwrap_or_else(|| current.address.clone()),
        arrival_notes: input
            .fields
            .arrival_notes
            .unwrap_or_else(|| current.arrival_notes.clone()),
    };
    db::sites::update(&mut tx, &site).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "site",
        id,
        Some(&current),
        Some(&site),
    )
    .await?;
    tx.commit().await?;
    Ok(site)
}
