//! Onboarding inputs: requirement rules, uploaded documents, reviews, attestations,
//! signatures and provisioning ticks.
use crate::domain::ErrorCode;
use crate::domain::Problems;
use crate::domain::requirements::{AppliesTo, CATEGORIES, SATISFIERS, Validity};
use crate::error::{AppError, AppResult};
use crate::files;
use crate::http::api::schema;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::http::upload::{self, Upload};
use crate::service::Parsed;
use crate::service::onboarding::{
    attestations::{Attestation, Provisioning, Signature},
    documents::{NewDocument, Review},
    requirements::RequirementFields,
};
use chrono::NaiveDate;
use serde_json::{Map, Value};

fn word_in(
    list: &'static [&'static str],
) -> impl Fn(&Value) -> Result<String, (ErrorCode, String)> {
    move |v| match v.as_str() {
        Some(s) if list.contains(&s) => Ok(s.to_string()),
        _ => Err((
            ErrorCode::InvalidChoice,
            format!("must be one of: {}", list.join(", ")),
        )),
    }
}

body! {
    pub struct RequirementInput {
        code: String,
        name: String,
        /// immunization, test, certification, background, training, attestation, provisioning
        category: String,
        /// student_upload, school_attestation, office_action, signed_in_system
        satisfied_by: String,
        /// `{ "kind": "years", "value": 1 }`; kinds: once, days, months, years, until_expiry,
        /// flu_season, per_placement, within_days_before_start
        validity: schema::Validity,
        applies_to: Option<schema::AppliesTo>,
        active: Option<bool>,
    }
}

/// A requirement rule (`{ code, name, category, satisfied_by, validity, applies_to?,
/// active? }`); `creating`: absent fields are `required`.
pub fn requirement(body: Map<String, Value>, creating: bool) -> Parsed<RequirementFields> {
    let (mut i, b) = Input::read::<RequirementInput>(body);
    let code = i.field(&b.code, creating, &|v| {
        let s = parse::text(v)?;
        if s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            Ok(s)
        } else {
            Err((
                ErrorCode::InvalidCode,
                "lower-case letters, digits and _ only".into(),
            ))
        }
    });
    let name = i.field(&b.name, creating, &parse::text);
    let category = i.field(&b.category, creating, &word_in(CATEGORIES));
    let satisfied_by = i.field(&b.satisfied_by, creating, &word_in(SATISFIERS));
    let validity = i.field(&b.validity, creating, &|v| {
        serde_json::from_value::<Validity>(v.clone()).map_err(|_| {
            (
                ErrorCode::InvalidValidity,
                "see the API documentation for the validity kinds".into(),
            )
        })
    });
    let applies_to = i.field(&b.applies_to, false, &|v| {
        serde_json::from_value::<AppliesTo>(v.clone()).map_err(|_| {
            (
                ErrorCode::InvalidAppliesTo,
                "lists of kinds, disciplines, sites, departments and exemptions".into(),
            )
        })
    });
    let active = i.field(&b.active, false, &parse::boolean);
    i.into_parsed(RequirementFields {
        code,
        name,
        category,
        satisfied_by,
        validity,
        applies_to,
        active,
    })
}

fn date_field(
    fields: &std::collections::HashMap<String, String>,
    key: &str,
    required: bool,
    problems: &mut Problems,
) -> Option<NaiveDate> {
    match fields.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => {
            if required {
                problems.add(key, ErrorCode::Required, format!("{key} is required"));
            }
            None
        }
        Some(v) => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problems.add(
                    key,
                    ErrorCode::InvalidDate,
                    format!("{v:?} is not a date (YYYY-MM-DD)"),
                );
                None
            }
        },
    }
}

/// Reads an uploaded document (multipart: `requirement_code`, `completed_on`, `expires_on`?,
/// `placement_id`?, `file`): every field problem at once; the file is sniffed (PDF, PNG, JPEG).
pub fn new_document(up: Upload) -> AppResult<NewDocument> {
    let mut problems = Problems::default();
    for k in up.fields.keys() {
        if ![
            "requirement_code",
            "completed_on",
            "expires_on",
            "placement_id",
            "csrf_token",
        ]
        .contains(&k.as_str())
        {
            problems.add(
                k,
                ErrorCode::UnknownField,
                format!("{k} is not a field of a document"),
            );
        }
    }
    let code = up
        .fields
        .get("requirement_code")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if code.is_empty() {
        problems.add(
            "requirement_code",
            ErrorCode::Required,
            "requirement_code is required",
        );
    }
    let completed_on = date_field(&up.fields, "completed_on", true, &mut problems);
    let expires_on = date_field(&up.fields, "expires_on", false, &mut problems);
    let placement_id = match up
        .fields
        .get("placement_id")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(v) => match crate::http::extract::parse_id(v) {
            Some(id) => Some(id),
            None => {
                problems.add("placement_id", ErrorCode::InvalidId, "is not a valid id");
                None
            }
        },
    };
    let kind = match &up.file {
        None => {
            problems.add("file", ErrorCode::FileRequired, "choose a file to upload");
            None
        }
        Some((_, bytes)) => match files::sniff(bytes) {
            Some(k) => Some(k),
            None => {
                problems.add(
                    "file",
                    ErrorCode::FileTypeNotAllowed,
                    "only PDF, PNG and JPEG files are accepted",
                );
                None
            }
        },
    };
    problems.into_result()?;
    let (Some(completed_on), Some(kind), Some((name, bytes))) = (completed_on, kind, up.file)
    else {
        return Err(AppError::BadRequest("unreadable upload".into()));
    };
    if bytes.is_empty() {
        return Err(AppError::invalid(
            "file",
            ErrorCode::FileRequired,
            "choose a file to upload",
        ));
    }
    Ok(NewDocument {
        requirement_code: code,
        completed_on,
        expires_on,
        placement_id,
        file_name: upload::clean_filename(&name),
        file_kind: kind,
        bytes,
    })
}

body! {
    pub struct ReviewInput {
        /// verified, rejected
        outcome: String,
        /// Required to reject: what the student should put right.
        note: Option<String>,
    }
}

/// `{ outcome: verified | rejected, note? }`: a rejection needs a note for the student.
pub fn review(body: Map<String, Value>) -> AppResult<Review> {
    let (mut i, b) = Input::read::<ReviewInput>(body);
    let outcome = i.req(
        &b.outcome,
        None,
        &parse::word(
            |s| s == "verified" || s == "rejected",
            "verified, rejected".into(),
        ),
    );
    let note = i.opt(&b.note, None, &parse::text).flatten();
    if outcome.as_deref() == Some("rejected") && note.is_none() {
        i.problems.add(
            "note",
            ErrorCode::ReasonRequired,
            "tell the student what is wrong",
        );
    }
    i.finish()?;
    Ok(Review {
        outcome: outcome.unwrap_or_default(),
        note,
    })
}

body! {
    pub struct AttestationInput {
        /// A requirement the office lets schools attest (e.g. background_check, liability_insurance).
        requirement_code: String,
        student_ids: Vec<String>,
        completed_on: String,
        expires_on: Option<String>,
    }
}

/// `{ requirement_code, student_ids, completed_on, expires_on? }`.
pub fn attestation(body: Map<String, Value>) -> AppResult<Attestation> {
    let (mut i, b) = Input::read::<AttestationInput>(body);
    let code = i.req(&b.requirement_code, None, &parse::text);
    let ids = i.req(&b.student_ids, None, &|v| {
        let c = parse::codes(v)?;
        if c.is_empty() {
            Err((ErrorCode::Required, "name at least one student".into()))
        } else {
            Ok(c)
        }
    });
    let completed_on = i.req(&b.completed_on, None, &parse::date);
    let expires_on = i.opt(&b.expires_on, None, &parse::date);
    i.finish()?;
    Ok(Attestation {
        code: code.unwrap_or_default(),
        ids: ids.unwrap_or_default(),
        completed_on: completed_on.unwrap_or_default(),
        expires_on: expires_on.flatten(),
    })
}

body! {
    pub struct SignatureInput {
        requirement_code: String,
        /// The student's name, as they sign.
        name: String,
        /// The version of the agreement's text shown to the student
        /// (`GET /api/v1/requirements/{code}/text`); when given, it must still be current.
        version: Option<i64>,
    }
}

/// `{ requirement_code, name }`: the student signs in the system.
pub fn signature(body: Map<String, Value>) -> AppResult<Signature> {
    let (mut i, b) = Input::read::<SignatureInput>(body);
    let code = i.req(&b.requirement_code, None, &parse::text);
    let name = i.req(&b.name, None, &parse::text);
    let version = i.opt(&b.version, None, &|v| match v.as_i64() {
        Some(n) if n >= 1 => Ok(n),
        _ => Err((
            ErrorCode::InvalidNumber,
            "must be a version number (1, 2, …)".into(),
        )),
    });
    i.finish()?;
    Ok(Signature {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        version: version.flatten(),
    })
}

body! {
    pub struct ProvisioningInput {
        /// badge, network_account, parking, orientation, ehr_training
        requirement_code: String,
    }
}

/// `{ requirement_code }`: the office ticks a step.
pub fn provisioning(body: Map<String, Value>) -> AppResult<Provisioning> {
    let (mut i, b) = Input::read::<ProvisioningInput>(body);
    let code = i.req(&b.requirement_code, None, &parse::text);
    i.finish()?;
    Ok(Provisioning {
        code: code.unwrap_or_default(),
    })
}
