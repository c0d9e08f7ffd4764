use crate::domain::{
    ErrorCode,
    placement::{Stored, Target},
};
use crate::error::{AppError, AppResult};
use crate::http::body::body;
use crate::http::extract::Params;
use crate::http::extract::{Input, parse};
use crate::service::placement_filters::{CLEARANCE_WORDS, Derived, STARTING_DAYS};
use crate::service::placements::{NameStudent, PlacementMove};
use serde_json::{Map, Value};

body! {
    pub struct TransitionInput {
        /// confirmed, active, completed, cancelled
        to: String,
        /// Required to cancel.
        reason: Option<String>,
    }
}

/// `{ to: confirmed | active | completed | cancelled, reason? }`.
pub fn placement_move(body: Map<String, Value>) -> AppResult<PlacementMove> {
    let (mut i, b) = Input::read::<TransitionInput>(body);
    let to = i.req(&b.to, None, &|v| {
        v.as_str().and_then(Target::parse).ok_or((
            ErrorCode::InvalidChoice,
            "must be one of: confirmed, active, completed, cancelled".into(),
        ))
    });
    let reason = i.opt(&b.reason, None, &parse::text);
    i.finish()?;
    match (to, reason) {
        (Some(to), Some(reason)) => Ok(PlacementMove { to, reason }),
        _ => Err(crate::error::AppError::BadRequest(
            "unreadable transition".into(),
        )),
    }
}

body! {
    pub struct NameStudentInput {
        /// The student for a seat reserved unnamed; the eligibility rules for students apply.
        student_id: String,
    }
}

/// `{ student_id }`.
pub fn name_student(body: Map<String, Value>) -> AppResult<NameStudent> {
    let (mut i, b) = Input::read::<NameStudentInput>(body);
    let student_id = i.req(&b.student_id, None, &parse::id);
    i.finish()?;
    Ok(NameStudent {
        student_id: student_id.unwrap_or_default(),
    })
}

/// The placements list's derived filters a query asks for, on the API and the pages alike:
/// `starting` (7, 14, 30, 60), `clearance` (cleared, pending, blocked, not_cleared),
/// `at_risk`, and `status` when it is a shown status (onboarding, cleared). Errors: 422 for a
/// word outside those.
pub fn derived(params: &Params) -> AppResult<Derived> {
    let starting_within: Option<i64> = params
        .word("starting", |s| STARTING_DAYS.contains(&s), "7, 14, 30, 60")?
        .and_then(|s| s.parse().ok());
    let clearance = params.word(
        "clearance",
        |s| CLEARANCE_WORDS.contains(&s),
        "cleared, pending, blocked, not_cleared",
    )?;
    let shown_status = params
        .get("status")
        .filter(|s| s == "onboarding" || s == "cleared");
    Ok(Derived {
        shown_status,
        starting_within,
        clearance,
        at_risk: params.bool("at_risk")?.unwrap_or(false),
    })
}

/// The placements list's stored filters, the API's and the page's alike: `status` (a stored
/// status, or `onboarding`/`cleared`, read as confirmed; [`derived`] splits those),
/// `school_id`, `department_id`, `student_id`, `request_id`, `kind`, `from`/`to` (days,
/// YYYY-MM-DD), `site_id`, `discipline`, `degree_level`, `placed`. Errors: 422 for a word
/// outside its list, a malformed id or a malformed day.
pub fn filter(params: &Params) -> AppResult<crate::db::placements::Filter> {
    let date = |k: &str| -> AppResult<Option<chrono::NaiveDate>> {
        match params.get(k) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                AppError::invalid(k, ErrorCode::InvalidDate, "must be a date (YYYY-MM-DD)")
            }),
        }
    };
    let status = params.word(
        "status",
        |s| Stored::parse(s).is_some() || s == "onboarding" || s == "cleared",
        "proposed, confirmed, onboarding, cleared, active, completed, cancelled",
    )?;
    Ok(crate::db::placements::Filter {
        // onboarding and cleared are read from a confirmed placement's clearance.
        status: status.map(|s| {
            if s == "onboarding" || s == "cleared" {
                "confirmed".into()
            } else {
                s
            }
        }),
        school_id: params.id("school_id")?,
        department_id: params.id("department_id")?,
        student_id: params.id("student_id")?,
        request_id: params.id("request_id")?,
        kind: params.word(
            "kind",
            |s| s == "clinical" || s == "internship",
            "clinical, internship",
        )?,
        from: date("from")?,
        to: date("to")?,
        site_id: params.id("site_id")?,
        discipline: params.word(
            "discipline",
            |s| s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "a discipline's code",
        )?,
        degree_level: params.word(
            "degree_level",
            |s| crate::domain::directory::DegreeLevel::parse(s).is_some(),
            "certificate, associate, baccalaureate, masters, doctoral",
        )?,
        placed: params.bool("placed")?.unwrap_or(false),
    })
}
