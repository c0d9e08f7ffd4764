use crate::domain::{ErrorCode, placement::Target};
use crate::error::AppResult;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
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
