//! The admin's settings page (`/settings`): the organisation's name, the office's time zone,
//! the contact shown on the public page, and the public base URL of e-mailed links — the same
//! use case as `PATCH /api/v1/settings`. An edit form: it carries no one-time key (saving twice
//! saves the same values twice; README "A POST sent twice creates one record").
use super::form_flow::{self, Done, FormSpec, submit};
use super::view::Field;
use super::{Form, PageResult, PageUser};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::domain::settings::time_zone_names;
use crate::http::input;
use crate::service;
use crate::state::AppState;
use axum::{Router, extract::State, routing::get};

pub fn router() -> Router<AppState> {
    Router::new().route("/settings", get(edit).post(update))
}

fn settings_form(s: &db::settings::Settings) -> FormSpec {
    let zones = time_zone_names()
        .into_iter()
        .map(|z| (z.to_string(), z.replace('_', " ")))
        .collect();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    FormSpec::new(
        "Settings",
        "/settings",
        "/",
        vec![
            Field::new("organisation_name", "Organisation name", "text")
                .required()
                .hint("As the public page and the signature of every e-mail read it.")
                .value(&s.organisation_name),
            Field::new("time_zone", "Time zone", "select")
                .required()
                .hint("The office's dates are the dates here: what is today, what has started, what is due.")
                .options(zones)
                .value(&s.time_zone),
            Field::new("coordinator_name", "Placement coordinator", "text")
                .hint("Shown on the public page as the person to contact.")
                .value(opt(&s.coordinator_name)),
            Field::new("request_email", "Email for clinical requests", "email")
                .hint("Shown on the public page.")
                .value(opt(&s.request_email)),
            Field::new("phone", "Phone", "tel")
                .hint("Shown on the public page.")
                .value(opt(&s.phone)),
            Field::new("public_base_url", "Public address", "url")
                .required()
                .hint("Every link in an e-mail starts with it, for example https://placements.example.org.")
                .value(&s.public_base_url),
            Field::new("require_mfa_for_office", "Require two-step sign-in for administrators and coordinators", "checkbox")
                .hint("They then sign in with a code from an authenticator app after their password; whoever has none is asked to set one up first.")
                .value(if s.require_mfa_for_office { "true" } else { "" }),
        ],
    )
    .intro("How the office presents itself and keeps its dates. Everyone signed in can read these; only an administrator changes them.")
}

/// GET: the form, filled from the settings (admin only: 403 for everyone else).
pub async fn edit(State(st): State<AppState>, user: PageUser) -> PageResult {
    user.p.authorize(Resource::Settings, Action::Write)?;
    let current = service::settings::get_settings(&st, &user.p).await?;
    form_flow::show(&user, settings_form(&current))
}

/// POST: saves through `service::settings::update_settings`, then back to the form with a
/// banner; a refusal shows the form again with each problem beside its field.
pub async fn update(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let input = input::settings::settings(form.to_map(&[], &["require_mfa_for_office"]));
    submit(
        &user,
        &form,
        Done::Saved,
        service::settings::update_settings(&st, &user.p, input),
        |_| "/settings".to_string(),
        async {
            let current = service::settings::get_settings(&st, &user.p).await?;
            Ok(settings_form(&current))
        },
    )
    .await
}
