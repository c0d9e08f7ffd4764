//! The office's settings (issue 12 point 8, API.md `GET/PATCH /api/v1/settings`): every
//! signed-in user reads them, the admin alone changes them. The time zone also sets the
//! clock's zone, so "today" everywhere is the office's date.
use super::{Parsed, Principal};
use crate::db::{self, settings::Settings};
use crate::domain::Email;
use crate::domain::policy::{Action, Resource};
use crate::domain::settings::{PublicBaseUrl, parse_time_zone};
use crate::error::AppResult;
use crate::state::AppState;
use chrono_tz::Tz;

/// What a change of the settings says: `None` keeps a field as it is; for the contact details
/// `Some(None)` clears one.
#[derive(Clone, Debug, Default)]
pub struct SettingsFields {
    pub organisation_name: Option<String>,
    pub time_zone: Option<Tz>,
    pub coordinator_name: Option<Option<String>>,
    pub request_email: Option<Option<Email>>,
    pub phone: Option<Option<String>>,
    pub public_base_url: Option<PublicBaseUrl>,
    pub require_mfa_for_office: Option<bool>,
}

/// The settings, for anyone signed in. Errors: none beyond the store's.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn get_settings(st: &AppState, p: &Principal) -> AppResult<Settings> {
    p.authorize(Resource::Settings, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(db::settings::get(&mut tx).await?)
}

/// Changes the fields given (admin only), audited as an `update` of the record `settings`
/// [`AUDIT_ID`]; a new time zone is the clock's from the moment this returns. Errors: 403 for
/// anyone but the admin, 422 with every problem of the input at once.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn update_settings(
    st: &AppState,
    p: &Principal,
    input: Parsed<SettingsFields>,
) -> AppResult<Settings> {
    p.authorize(Resource::Settings, Action::Write)?;
    input.problems.into_result()?;
    let f = input.fields;
    let mut tx = st.db.write().await?;
    let current = db::settings::get(&mut tx).await?;
    let after = Settings {
        organisation_name: f
            .organisation_name
            .unwrap_or_else(|| current.organisation_name.clone()),
        time_zone: f
            .time_zone
            .map(|z| z.name().to_string())
            .unwrap_or_else(|| current.time_zone.clone()),
        coordinator_name: f
            .coordinator_name
            .unwrap_or_else(|| current.coordinator_name.clone()),
        request_email: f
            .request_email
            .map(|e| e.map(|e| e.to_string()))
            .unwrap_or_else(|| current.request_email.clone()),
        phone: f.phone.unwrap_or_else(|| current.phone.clone()),
        public_base_url: f
            .public_base_url
            .map(|u| u.to_string())
            .unwrap_or_else(|| current.public_base_url.clone()),
        require_mfa_for_office: f
            .require_mfa_for_office
            .unwrap_or(current.require_mfa_for_office),
    };
    db::settings::update(&mut tx, &after).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "settings",
        AUDIT_ID,
        Some(&current),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    st.clock.set_time_zone(zone_of(&after));
    Ok(after)
}

/// The record id the settings' audit events carry: there is one set of settings, and a UUID
/// (the nil one) keeps it readable where every record id is one (`/history/settings/…`,
/// `GET /api/v1/audit?record_id=`).
pub const AUDIT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// Sets the clock's zone from the stored settings: at start-up, and on each reminder sweep,
/// so that a change made through another server sharing the database reaches this one too.
pub async fn load_time_zone(st: &AppState) -> AppResult<Tz> {
    let mut tx = st.db.read().await?;
    let zone = zone_of(&db::settings::get(&mut tx).await?);
    st.clock.set_time_zone(zone);
    Ok(zone)
}

/// The stored zone; UTC, with a warning, if the row holds a name this build does not know
/// (only a hand edit of the database or an older tz database could do that).
fn zone_of(s: &Settings) -> Tz {
    parse_time_zone(&s.time_zone).unwrap_or_else(|e| {
        tracing::warn!(time_zone = %s.time_zone, "{e}; the office's dates are UTC's");
        Tz::UTC
    })
}
