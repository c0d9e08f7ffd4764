//! The caller's e-mail choices (issue 17 point 4), under `/api/v1/me/email-preferences`:
//! each kind of notice e-mail, on or off (`service::email_preferences`).
use crate::http::{
    auth::Principal,
    error::{AppResult, Problem},
    extract::JsonObject,
    input,
};
use crate::service::email_preferences::{self, EmailPreference};
use crate::state::AppState;
use axum::{Json, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

/// One kind of notice e-mail and whether the caller gets it.
#[derive(Serialize, ToSchema)]
pub struct EmailPreferenceItem {
    /// The kind's stable word: `agreement_expiring`, `accreditation_ending`,
    /// `licence_ends_first`, `document_lapses`, `starting_soon`, `request_decided`,
    /// `placement_at_risk`, `document_rejected`, `document_to_review`, `uploads_to_review`,
    /// `hours_to_approve`, `offboarding_overdue`, `evaluation_due`.
    pub kind: String,
    /// The kind in words, e.g. "Affiliation agreements expiring (90, 60 and 30 days before)".
    pub name: String,
    /// True: e-mailed; false: turned off (the in-app notification still comes).
    pub email: bool,
    /// True: gathered into one e-mail a day with the person's other such items, each with
    /// its link; false: one e-mail per notice, at once.
    pub daily_digest: bool,
}

/// Every kind of notice e-mail, in the settings page's order.
#[derive(Serialize, ToSchema)]
pub struct EmailPreferences {
    pub kinds: Vec<EmailPreferenceItem>,
}

impl From<Vec<EmailPreference>> for EmailPreferences {
    fn from(v: Vec<EmailPreference>) -> Self {
        EmailPreferences {
            kinds: v
                .into_iter()
                .map(|p| EmailPreferenceItem {
                    kind: p.kind.as_str().into(),
                    name: p.kind.words().into(),
                    email: p.email,
                    daily_digest: p.kind.by_daily_digest(),
                })
                .collect(),
        }
    }
}

/// The caller's e-mail choices: every kind of notice e-mail, on or off.
#[utoipa::path(get, path = "/api/v1/me/email-preferences", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = EmailPreferences), (status = 401, body = Problem)))]
pub async fn get(State(st): State<AppState>, p: Principal) -> AppResult<Json<EmailPreferences>> {
    Ok(Json(email_preferences::own(&st, &p).await?.into()))
}

/// Sets the kinds of notice e-mail the caller does not want (the whole set); every other kind
/// is on. The in-app notifications are not affected. 422 `required`, `invalid_type`,
/// `invalid_choice`, `unknown_field`.
#[utoipa::path(put, path = "/api/v1/me/email-preferences", tag = "notifications", security(("bearer" = [])),
    request_body = input::email_preferences::EmailPreferencesInput,
    responses((status = 200, body = EmailPreferences), (status = 401, body = Problem),
              (status = 422, body = Problem)))]
pub async fn put(
    State(st): State<AppState>,
    p: Principal,
    JsonObject(body): JsonObject,
) -> AppResult<Json<EmailPreferences>> {
    let input = input::email_preferences::update(body)?;
    Ok(Json(
        email_preferences::set_own(&st, &p, input).await?.into(),
    ))
}
