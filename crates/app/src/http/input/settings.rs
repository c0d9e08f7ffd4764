use crate::domain::settings::{PublicBaseUrl, parse_time_zone};
use crate::domain::{Email, ErrorCode};
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, settings::SettingsFields};
use chrono_tz::Tz;
use serde_json::{Map, Value};

body! {
    /// The office's settings; `PATCH` takes the fields to change. `coordinator_name`,
    /// `request_email` and `phone` are cleared with `null` (or an empty string).
    pub struct SettingsInput {
        /// The organisation's name, as the public page and the e-mails' signature read it.
        organisation_name: String,
        /// An IANA time zone name (`Europe/London`, `America/Los_Angeles`, `UTC`): "today"
        /// everywhere is the date there.
        time_zone: String,
        /// The placement coordinator's name, on the public page.
        coordinator_name: Option<String>,
        /// The e-mail address for clinical requests, on the public page.
        request_email: Option<String>,
        /// The office's phone number, on the public page (at most 50 characters).
        phone: Option<String>,
        /// The absolute http(s) URL every e-mailed link starts with, without query or fragment.
        public_base_url: String,
        /// `true`: admins and coordinators must sign in with a second step (TOTP); one
        /// without an authenticator is sent to enrol first (API: 403 `mfa_enrollment_required`).
        require_mfa_for_office: bool,
    }
}

/// The longest phone number accepted, in characters.
const MAX_PHONE: usize = 50;

type R<T> = Result<T, (ErrorCode, String)>;

fn time_zone(v: &Value) -> R<Tz> {
    let s = parse::text(v).map_err(|(code, msg)| match code {
        ErrorCode::Required => (code, msg),
        _ => (
            ErrorCode::InvalidTimeZone,
            "must be an IANA time zone name (such as Europe/London)".into(),
        ),
    })?;
    parse_time_zone(&s).map_err(|m| (ErrorCode::InvalidTimeZone, m))
}

fn base_url(v: &Value) -> R<PublicBaseUrl> {
    match v {
        Value::String(s) if s.trim().is_empty() => {
            Err((ErrorCode::Required, "may not be empty".into()))
        }
        Value::String(s) => PublicBaseUrl::parse(s).map_err(|m| (ErrorCode::InvalidUrl, m.into())),
        _ => Err((
            ErrorCode::InvalidUrl,
            "must be an absolute http:// or https:// address".into(),
        )),
    }
}

fn email(v: &Value) -> R<Email> {
    let s = parse::email(v)?;
    Email::parse(&s).map_err(|m| (ErrorCode::InvalidEmail, format!("{s:?} {m}")))
}

fn phone(v: &Value) -> R<String> {
    let s = parse::text(v)?;
    if s.chars().count() > MAX_PHONE {
        return Err((
            ErrorCode::TooLong,
            format!("is longer than {MAX_PHONE} characters"),
        ));
    }
    Ok(s)
}

/// `{ organisation_name, time_zone, coordinator_name, request_email, phone, public_base_url }`
/// (API.md "Directory"), each optional: an absent field keeps its value. Every problem at once:
/// `invalid_time_zone`, `invalid_email`, `invalid_url`, `required`, `too_long`, `unknown_field`.
pub fn settings(body: Map<String, Value>) -> Parsed<SettingsFields> {
    let (mut i, b) = Input::read::<SettingsInput>(body);
    let fields = SettingsFields {
        organisation_name: i.field(&b.organisation_name, false, &parse::text),
        time_zone: i.field(&b.time_zone, false, &time_zone),
        coordinator_name: i.optional(&b.coordinator_name, &parse::text),
        request_email: i.optional(&b.request_email, &email),
        phone: i.optional(&b.phone, &phone),
        public_base_url: i.field(&b.public_base_url, false, &base_url),
        require_mfa_for_office: i.field(&b.require_mfa_for_office, false, &parse::boolean),
    };
    i.into_parsed(fields)
}
