//! DOMAIN.md rule 2: a person who is not a student is routed, never silently refused.
use super::{List, created};
use crate::db::{self, inquiries::Inquiry};
use crate::domain::ErrorCode;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{Input, JsonBody, JsonObject, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{
    Json,
    extract::{ConnectInfo, State},
    http::StatusCode,
};
use serde::Serialize;
use serde_json::{Map, Value};
use std::net::SocketAddr;
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct InquiryInput {
    name: String,
    email: String,
    is_student: bool,
    /// clinical, internship, observership, volunteer
    interest: String,
    school: Option<String>,
    program: Option<String>,
    message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InquiryAnswer {
    pub id: String,
    /// placement_request, observership or volunteer
    pub route: String,
    /// What happens next, in words.
    pub next: String,
}

/// Where an inquiry goes: students to their school coordinator (who submits through the
/// office); everyone else to observership or volunteering.
pub fn route(is_student: bool, interest: &str) -> (&'static str, &'static str) {
    match (is_student, interest) {
        (true, "clinical" | "internship") => (
            "placement_request",
            "Clinical rotations and internships are requested by your school's clinical coordinator, through the education office. \
             Ask your coordinator to submit a request for you; we have noted your interest.",
        ),
        (false, "clinical" | "internship") => (
            "observership",
            "Clinical rotations and internships are open only to students enrolled in an accredited program at a school with an \
             agreement with the hospital. You can shadow a professional instead: the education office will contact you about job shadowing.",
        ),
        (_, "volunteer") => (
            "volunteer",
            "Thank you for offering your time. The volunteer office will contact you.",
        ),
        _ => (
            "observership",
            "The education office will contact you about job shadowing (observership).",
        ),
    }
}

/// Public: no sign-in. A hidden `website` field catches robots (accepted, never stored), and
/// each IP may send a few an hour.
pub async fn submit_inquiry(
    st: &AppState,
    ip: Option<String>,
    body: Map<String, Value>,
) -> AppResult<InquiryAnswer> {
    let mut i = Input::new(
        body,
        &[
            "name",
            "email",
            "is_student",
            "interest",
            "school",
            "program",
            "message",
            "website",
        ],
    );
    let name = i.req("name", None, &parse::text);
    let email = i.req("email", None, &parse::email);
    let is_student = i.req("is_student", Some(&false), &parse::boolean);
    let interest = i.req(
        "interest",
        None,
        &parse::word(
            |s| ["clinical", "internship", "observership", "volunteer"].contains(&s),
            "clinical, internship, observership, volunteer".into(),
        ),
    );
    let school = i.opt("school", None, &parse::text);
    let program = i.opt("program", None, &parse::text);
    let message = i.opt("message", None, &|v| match v {
        Value::String(s) if s.chars().count() <= 4000 => Ok(s.trim().to_string()),
        Value::String(_) => Err((ErrorCode::TooLong, "at most 4000 characters".into())),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    let robot = i.opt("website", None, &parse::text).flatten().is_some();
    i.finish()?;
    let (route, next) = route(
        is_student.unwrap_or_default(),
        interest.as_deref().unwrap_or(""),
    );
    let id = db::new_id();
    let answer = InquiryAnswer {
        id: id.clone(),
        route: route.into(),
        next: next.into(),
    };
    if robot {
        return Ok(answer);
    }
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    if let Some(ip) = &ip {
        db::inquiries::lock_ip(&mut tx, ip).await?;
        let recent =
            db::inquiries::count_from_ip_since(&mut tx, ip, now - chrono::Duration::hours(1))
                .await?;
        if recent >= st.config.inquiry_limit_per_hour {
            return Err(AppError::TooManyRequests {
                retry_after_secs: 3600,
            });
        }
    }
    let inquiry = Inquiry {
        id,
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        is_student: is_student.unwrap_or_default(),
        interest: interest.unwrap_or_default(),
        school: school.flatten(),
        program: program.flatten(),
        message: message.flatten(),
        route: route.into(),
        status: "new".into(),
        ip: ip.clone(),
        created_at: now,
    };
    db::inquiries::insert(&mut tx, &inquiry).await?;
    let actor = db::audit::Actor {
        user_id: None,
        label: format!("public inquiry from {}", inquiry.email),
        ip,
        at: now,
    };
    db::audit::record(
        &mut tx,
        &actor,
        "create",
        "inquiry",
        &inquiry.id,
        None::<&()>,
        Some(&inquiry),
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

#[utoipa::path(post, path = "/api/v1/inquiries", tag = "inquiries", request_body = InquiryInput,
    responses((status = 201, body = InquiryAnswer), (status = 422, body = crate::http::error::Problem), (status = 429, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    JsonObject(body): JsonObject,
) -> AppResult<(StatusCode, Json<InquiryAnswer>)> {
    Ok(created(
        submit_inquiry(&st, Some(addr.ip().to_string()), body).await?,
    ))
}

const STATUSES: &str = "new, contacted, closed";

#[utoipa::path(get, path = "/api/v1/inquiries", tag = "inquiries", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "new, contacted, closed"), ("route" = Option<String>, Query),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Inquiry>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Inquiry>>> {
    p.authorize(Resource::Inquiry, Action::Read)?;
    let page = params.page()?;
    let status = params.word("status", |s| STATUSES.contains(s), STATUSES)?;
    let route = params.word(
        "route",
        |s| ["placement_request", "observership", "volunteer"].contains(&s),
        "placement_request, observership, volunteer",
    )?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::inquiries::list(&mut tx, &status, &route, &page)
            .await?
            .into(),
    ))
}

pub async fn update_inquiry(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Inquiry> {
    p.authorize(Resource::Inquiry, Action::Write)?;
    let mut i = Input::new(body, &["status"]);
    let status = i.req(
        "status",
        None,
        &parse::word(
            |s| ["new", "contacted", "closed"].contains(&s),
            STATUSES.into(),
        ),
    );
    i.finish()?;
    let mut tx = st.db.write().await?;
    let before = db::inquiries::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::inquiries::set_status(&mut tx, id, &status.unwrap_or_default()).await?;
    let after = db::inquiries::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "inquiry",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

#[utoipa::path(patch, path = "/api/v1/inquiries/{id}", tag = "inquiries", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Object, description = "{ status: new | contacted | closed }"),
    responses((status = 200, body = Inquiry), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Inquiry>> {
    p.authorize(Resource::Inquiry, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_inquiry(&st, &p, &id, body).await?))
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn non_students_are_routed_never_refused() {
        assert_eq!(route(true, "clinical").0, "placement_request");
        assert_eq!(route(true, "internship").0, "placement_request");
        assert_eq!(route(false, "clinical").0, "observership");
        assert_eq!(route(false, "internship").0, "observership");
        assert_eq!(route(false, "volunteer").0, "volunteer");
        assert_eq!(route(true, "observership").0, "observership");
    }
}
