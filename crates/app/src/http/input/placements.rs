use crate::domain::{ErrorCode, placement::Target};
use crate::error::AppResult;
use crate::http::extract::{Input, parse};
use crate::service::placements::{NameStudent, PlacementMove};
use serde_json::{Map, Value};

/// `{ to: confirmed | active | completed | cancelled, reason? }`.
pub fn placement_move(body: Map<String, Value>) -> AppResult<PlacementMove> {
    let mut i = Input::new(body, &["to", "reason"]);
    let to = i.req("to", None, &|v| {
        v.as_str().and_then(Target::parse).ok_or((
            ErrorCode::InvalidChoice,
            "must be one of: confirmed, active, completed, cancelled".into(),
        ))
    });
    let reason = i.opt("reason", None, &parse::text);
    i.finish()?;
    match (to, reason) {
        (Some(to), Some(reason)) => Ok(PlacementMove { to, reason }),
        _ => Err(crate::error::AppError::BadRequest(
            "unreadable transition".into(),
        )),
    }
}

/// `{ student_id }`.
pub fn name_student(body: Map<String, Value>) -> AppResult<NameStudent> {
    let mut i = Input::new(body, &["student_id"]);
    let student_id = i.req("student_id", None, &parse::id);
    i.finish()?;
    Ok(NameStudent {
        student_id: student_id.unwrap_or_default(),
    })
}
