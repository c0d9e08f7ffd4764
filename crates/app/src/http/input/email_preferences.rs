//! A person's e-mail choices (issue 17 point 4): the kinds of notice e-mail they turn off.
use crate::domain::ErrorCode;
use crate::domain::notice::EmailKind;
use crate::error::AppResult;
use crate::http::body::body;
use crate::http::extract::Input;
use crate::service::email_preferences::EmailPreferencesUpdate;
use serde_json::{Map, Value};

body! {
    /// The kinds of notice e-mail the caller does not want: the whole set, replacing the one
    /// before (`[]` turns every kind back on). The in-app notifications stay whatever is
    /// chosen.
    pub struct EmailPreferencesInput {
        /// Kinds from `GET /api/v1/me/email-preferences` (`agreement_expiring`,
        /// `accreditation_ending`, `licence_ends_first`, `document_lapses`, ...).
        off: Vec<String>,
    }
}

type R<T> = Result<T, (ErrorCode, String)>;

fn every_kind() -> String {
    EmailKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A list of kind words, each known; repeats are kept once.
fn kinds(v: &Value) -> R<Vec<EmailKind>> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of e-mail kinds".into(),
        ));
    };
    let mut out = Vec::new();
    for i in items {
        let kind = i
            .as_str()
            .and_then(|s| EmailKind::parse(s.trim()))
            .ok_or_else(|| {
                (
                    ErrorCode::InvalidChoice,
                    format!("each must be one of: {}", every_kind()),
                )
            })?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

/// `{ off: [kind, ...] }`. Errors: 422 `required`, `invalid_type`, `invalid_choice` (an
/// unknown kind), `unknown_field` — all at once.
pub fn update(body: Map<String, Value>) -> AppResult<EmailPreferencesUpdate> {
    let (mut i, b) = Input::read::<EmailPreferencesInput>(body);
    let off = i.req(&b.off, None, &kinds);
    i.finish()?;
    Ok(EmailPreferencesUpdate {
        off: off.unwrap_or_default(),
    })
}

/// The settings page's form: a checkbox `email` per kind wanted; every kind left unticked is
/// turned off. Unknown words are ignored (the page offers only known kinds).
pub fn from_ticked(ticked: &[&str]) -> EmailPreferencesUpdate {
    EmailPreferencesUpdate {
        off: EmailKind::ALL
            .into_iter()
            .filter(|k| !ticked.contains(&k.as_str()))
            .collect(),
    }
}
