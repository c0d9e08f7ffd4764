//! The office's settings as the API answers them (API.md `GET/PATCH /api/v1/settings`).
use crate::db;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Settings {
    /// The organisation's name, as the public page and the e-mails' signature read it.
    pub organisation_name: String,
    /// An IANA time zone name (default `UTC`): "today" everywhere is the date there.
    pub time_zone: String,
    /// The placement coordinator's name, shown on the public page; `null` when not given.
    pub coordinator_name: Option<String>,
    /// The e-mail address for clinical requests, shown on the public page.
    pub request_email: Option<String>,
    /// The office's phone number, shown on the public page.
    pub phone: Option<String>,
    /// The absolute http(s) URL every link an e-mail carries starts with (no trailing `/`);
    /// at first the address the server listens on.
    pub public_base_url: String,
    /// Admins and coordinators must sign in with a second step (TOTP); default `false`.
    pub require_mfa_for_office: bool,
}

impl From<db::settings::Settings> for Settings {
    fn from(s: db::settings::Settings) -> Self {
        Settings {
            organisation_name: s.organisation_name,
            time_zone: s.time_zone,
            coordinator_name: s.coordinator_name,
            request_email: s.request_email,
            phone: s.phone,
            public_base_url: s.public_base_url,
            require_mfa_for_office: s.require_mfa_for_office,
        }
    }
}
