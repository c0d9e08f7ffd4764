//! Public inquiries (DOMAIN.md rule 2): a person who is not a student is routed, never
//! silently refused.
use super::patch::{keep, keep_optional};
use super::{Parsed, Principal};
use crate::db::{self, inquiries::Inquiry};
use crate::domain::{
    inquiry::route,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An inquiry from the public form; `is_student` defaults to false.
#[derive(Clone, Debug, Default)]
pub struct InquiryFields {
    pub name: Option<String>,
    pub email: Option<String>,
    pub is_student: Option<bool>,
    /// One of `domain::inquiry::INTERESTS`.
    pub interest: Option<String>,
    pub school: Option<Option<String>>,
    pub program: Option<Option<String>>,
    pub message: Option<Option<String>>,
    /// The hidden `website` field was filled in: a robot. Accepted, never stored.
    pub robot: bool,
}

/// An inquiry's new status: new, contacted or closed.
#[derive(Clone, Debug, Default)]
pub struct InquiryStatusFields {
    pub status: Option<String>,
}

/// Where a submitted inquiry went.
#[derive(Clone, Debug)]
pub struct Routed {
    pub id: String,
    /// placement_request, observership or volunteer
    pub route: &'static str,
    /// What happens next, in words.
    pub next: &'static str,
}

/// Public: no sign-in. Each IP may send a few an hour. Errors: 422, 429.
#[tracing::instrument(skip_all)]
pub async fn submit_inquiry(
    st: &AppState,
    ip: Option<String>,
    input: Parsed<InquiryFields>,
) -> AppResult<Routed> {
    let Parsed {
        fields: f,
        problems,
        ..
    } = input;
    let p = &problems;
    let name = keep(p, "name", f.name, None);
    let email = keep(p, "email", f.email, None);
    let is_student = keep(p, "is_student", f.is_student, Some(&false));
    let interest = keep(p, "interest", f.interest, None);
    let school = keep_optional(p, "school", f.school, None);
    let program = keep_optional(p, "program", f.program, None);
    let message = keep_optional(p, "message", f.message, None);
    problems.into_result()?;
    let (route, next) = route(
        is_student.unwrap_or_default(),
        interest.as_deref().unwrap_or(""),
    );
    let id = db::new_id();
    let answer = Routed {
        id: id.clone(),
        route,
        next,
    };
    if f.robot {
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

/// Sets an inquiry's status (the office). Errors: 403, 422, 404.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), inquiry_id = %id))]
pub async fn update_inquiry(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<InquiryStatusFields>,
) -> AppResult<Inquiry> {
    p.authorize(Resource::Inquiry, Action::Write)?;
    let Parsed {
        fields: f,
        problems,
        ..
    } = input;
    let status = keep(&problems, "status", f.status, None);
    problems.into_result()?;
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
