//! Faculty supervisors named on internships get a sign-in: a user with the faculty role and a
//! one-time link (14 days) to set their password.
use super::patch::keep;
use super::{Parsed, Principal};
use crate::db::{self, Tx, requests::FacultySupervisor, users::User};
use crate::domain::{ErrorCode, Role};
use crate::error::{AppError, AppResult};
use crate::password::{hash_token, random_token};
use crate::state::AppState;

/// The faculty user behind a supervisor named on a request.
pub struct FacultyUser {
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// A new invitation token when the user has no password yet.
    pub token: Option<String>,
}

/// Accepting an invitation: the new password, strong enough (checked at the edge).
#[derive(Clone, Debug, Default)]
pub struct AcceptFields {
    pub password: Option<String>,
}

/// Finds or creates the faculty user for this supervisor, with a fresh invitation when they
/// cannot sign in yet. Runs in the caller's transaction.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), school_id = %school_id))]
pub async fn ensure_faculty(
    tx: &mut Tx,
    st: &AppState,
    p: &Principal,
    f: &FacultySupervisor,
    school_id: &str,
) -> AppResult<FacultyUser> {
    let now = st.clock.now();
    let user = match db::users::by_email(tx, &f.email).await? {
        Some(u) if u.role == Role::Faculty.as_str() => u,
        Some(_) => {
            return Err(AppError::invalid(
                "faculty_supervisor",
                ErrorCode::FacultyEmailTaken,
                "this email belongs to a user with another role; use the supervisor's own email",
            ));
        }
        None => {
            let u = User {
                id: db::new_id(),
                email: f.email.clone(),
                name: f.name.clone(),
                role: Role::Faculty.as_str().into(),
                school_id: Some(school_id.to_string()),
                staff_id: None,
                student_id: None,
                password_hash: None,
                created_at: now,
                disabled_at: None,
            };
            db::users::insert(tx, &u).await?;
            db::audit::record(
                tx,
                &p.actor(now),
                "invite",
                "user",
                &u.id,
                None::<&()>,
                Some(&u),
            )
            .await?;
            u
        }
    };
    let token = if user.password_hash.is_none() {
        let token = random_token()?;
        db::invitations::insert(
            tx,
            &hash_token(&token),
            &user.id,
            now + chrono::Duration::days(14),
        )
        .await?;
        Some(token)
    } else {
        None
    };
    Ok(FacultyUser {
        user_id: user.id,
        name: user.name,
        email: user.email,
        token,
    })
}

/// Enqueues the invitation email in the caller's transaction; the mail worker sends it.
#[tracing::instrument(skip_all, fields(user_id = %f.user_id))]
pub async fn send_invitation(tx: &mut Tx, st: &AppState, f: &FacultyUser) -> AppResult<()> {
    let Some(token) = &f.token else { return Ok(()) };
    // The link starts with the settings' public base URL, never the request's Host header.
    let letterhead = crate::jobs::mail::Letterhead::read(tx).await?;
    let link = letterhead.link(&format!("/invitations/{token}"));
    let body = format!(
        "Dear {},\n\nYou are named as the faculty supervisor of an internship at the hospital. \
         Practicum is where you will see your interns, their schedule and their evaluations.\n\n\
         Set your password with this link (valid for 14 days, once):\n\n{link}\n\n{}\n",
        f.name,
        letterhead.signature()
    );
    crate::jobs::mail::enqueue(
        tx,
        &f.name,
        &f.email,
        "Your Practicum sign-in for your interns",
        &body,
        st.clock.now(),
    )
    .await?;
    Ok(())
}

/// Sets the password of an invited user; the link then stops working. The token in the link is
/// the credential. Errors: 422, 404 (unknown, used or expired).
#[tracing::instrument(skip_all)]
pub async fn accept_invitation(
    st: &AppState,
    token: &str,
    input: Parsed<AcceptFields>,
) -> AppResult<User> {
    let Parsed {
        fields: f,
        problems,
        ..
    } = input;
    let password = keep(&problems, "password", f.password, None);
    problems.into_result()?;
    let now = st.clock.now();
    let th = hash_token(token);
    let mut tx = st.db.read().await?;
    let user_id = db::invitations::find_live(&mut tx, &th, now)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let hash = st.hashing.hash(password.unwrap_or_default()).await?;
    let mut tx = st.db.write().await?;
    // Checked again inside the write: the link works once.
    db::invitations::find_live(&mut tx, &th, now)
        .await?
        .ok_or(AppError::NotFound)?;
    db::invitations::set_password(&mut tx, &user_id, &hash).await?;
    db::invitations::mark_used(&mut tx, &th, now).await?;
    let user = db::users::get(&mut tx, &user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = db::audit::Actor {
        user_id: Some(user.id.clone()),
        label: format!("{} <{}>", user.name, user.email),
        ip: None,
        at: now,
    };
    db::audit::record(
        &mut tx,
        &actor,
        "accept_invitation",
        "user",
        &user.id,
        None::<&()>,
        None::<&()>,
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}
