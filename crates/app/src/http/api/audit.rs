use super::List;
use super::schema::AuditEvent;
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::Principal, error::AppResult, extract::Params};
use crate::state::AppState;
use axum::{Json, extract::State};

/// A record's history: who changed what, when and from where, with before and after.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(("record_type" = Option<String>, Query, description = "site, department, school, agreement, program, student, staff, user, settings"),
           ("record_id" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<AuditEvent>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<AuditEvent>>> {
    p.authorize(Resource::Audit, Action::Read)?;
    let page = params.page()?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::audit::list(
            &mut tx,
            &params.get("record_type"),
            &params.get("record_id"),
            &page,
        )
        .await?
        .into(),
    ))
}
