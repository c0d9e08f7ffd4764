//! A person's own password (issue 14 point 2): "Forgot your password?" — a one-time link by
//! e-mail, valid one hour, the same answer whether the address has an account or not, throttled
//! per address typed and per client — and changing it from the profile with the current one.
//! Both end the person's other sessions (OWASP ASVS 5.0 V7.4.3) and are audit events; a change
//! is also told to the person by e-mail, so a change they did not make does not go unseen.
use super::invitations::{AcceptFields, issue_link, use_link};
use super::sign_in::Client;
use super::throttle::{self, limits, record_failure};
use super::{Parsed, Principal};
use crate::db::{self, audit::Actor, invitations::Purpose, users::User};
use crate::domain::ErrorCode;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Reset links asked for one address before it waits (then `login_base_delay`, doubling).
const RESETS_PER_ADDRESS: i64 = 3;

/// Asks for a reset link for `email`. Answers nothing either way: whether the address has an
/// account is never told (OWASP ASVS 5.0 V6.3.8). A live account that is not turned off gets
/// the e-mail; its earlier reset links stop working. Errors: 429 `too_many_attempts` when the
/// address typed, or the client, asked too often — counted alike for every address.
#[tracing::instrument(skip_all)]
pub async fn request_reset(st: &AppState, email: &str, client: &Client) -> AppResult<()> {
    let email = email.trim().to_lowercase();
    let now = st.clock.now();
    let account_key = format!("reset:{email}");
    let address_key = client.ip.as_ref().map(|ip| format!("reset-client:{ip}"));
    throttle::check(st, &account_key).await?;
    if let Some(k) = &address_key {
        throttle::check(st, k).await?;
    }
    let mut tx = st.db.write().await?;
    record_failure(&mut tx, &account_key, now, &limits(st, RESETS_PER_ADDRESS)).await?;
    if let Some(k) = &address_key {
        let per_client = limits(st, st.config.login_address_max_failures);
        record_failure(&mut tx, k, now, &per_client).await?;
    }
    // Made-up addresses leave a bucket each: old, spent ones go, as on sign-in.
    let per_address = limits(st, RESETS_PER_ADDRESS);
    db::sessions::throttle_prune(&mut tx, now - per_address.decay * 200, now).await?;
    let user = db::users::by_email(&mut tx, &email)
        .await?
        .filter(|u| u.disabled_at.is_none());
    if let Some(user) = user {
        let token = issue_link(&mut tx, &user.id, Purpose::PasswordReset, now).await?;
        let letterhead = crate::jobs::mail::Letterhead::read(&mut tx).await?;
        let link = letterhead.link(&format!("/password/reset/{token}"));
        let body = format!(
            "Dear {},\n\nSomeone, we hope you, asked to reset your Practicum password. Choose \
             a new one with this link (valid for one hour, once):\n\n{link}\n\nIf it was not \
             you, ignore this e-mail: your password stays as it is.\n\n{}\n",
            user.name,
            letterhead.signature()
        );
        crate::jobs::mail::enqueue(
            &mut tx,
            &user.name,
            &user.email,
            "Reset your Practicum password",
            &body,
            now,
        )
        .await?;
        let actor = Actor {
            user_id: None,
            label: format!("password reset asked for <{}>", user.email),
            ip: client.ip.clone(),
            at: now,
        };
        db::audit::record::<(), ()>(
            &mut tx,
            &actor,
            "password_reset_requested",
            "user",
            &user.id,
            None,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with a reset link; the link then stops working. The caller signs the
/// person in (`service::sign_in::after_new_password`, which ends every earlier session).
/// Errors: 422 (the password), 404 (unknown, used or expired link), 401 (account turned off).
pub async fn reset_password(
    st: &AppState,
    token: &str,
    input: Parsed<AcceptFields>,
) -> AppResult<User> {
    use_link(st, token, Purpose::PasswordReset, input).await
}

/// Changing one's password: the current one and the new one (strong enough, checked at the
/// edge).
#[derive(Clone, Debug, Default)]
pub struct ChangeFields {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
}

/// Changes the caller's password after checking the current one (a wrong one counts against
/// the account as a failed sign-in would). Every other session of the caller ends. Errors:
/// 422 `current_password_wrong` or the new password's problems, all at once; 429 while the
/// account waits; 503 `server_busy`.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn change_password(
    st: &AppState,
    p: &Principal,
    input: Parsed<ChangeFields>,
) -> AppResult<()> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let current = super::patch::keep(&problems, "current_password", f.current_password, None);
    let new = super::patch::keep(&problems, "new_password", f.new_password, None);
    let account_key = format!("account:{}", p.email.trim().to_lowercase());
    throttle::check(st, &account_key).await?;
    let mut tx = st.db.read().await?;
    let stored = db::users::get(&mut tx, &p.user_id)
        .await?
        .and_then(|u| u.password_hash);
    drop(tx);
    let now = st.clock.now();
    let right = st
        .hashing
        .verify(current.unwrap_or_default(), stored)
        .await?;
    if !right {
        let mut tx = st.db.write().await?;
        let account = limits(st, st.config.login_max_failures);
        record_failure(&mut tx, &account_key, now, &account).await?;
        tx.commit().await?;
        problems.push(crate::domain::FieldError::new(
            ErrorCode::CurrentPasswordWrong,
            Some("current_password"),
            "is not your current password",
        ));
    }
    problems.into_result()?;
    let hash = st.hashing.hash(new.unwrap_or_default()).await?;
    let mut tx = st.db.write().await?;
    db::invitations::set_password(&mut tx, &p.user_id, &hash).await?;
    db::sessions::delete_all_for_user(&mut tx, &p.user_id, Some(&p.token_hash)).await?;
    db::audit::record::<(), ()>(
        &mut tx,
        &p.actor(now),
        "password_changed",
        "user",
        &p.user_id,
        None,
        None,
    )
    .await?;
    let letterhead = crate::jobs::mail::Letterhead::read(&mut tx).await?;
    let body = format!(
        "Dear {},\n\nYour Practicum password was changed, and every other session of yours was \
         signed out. If you did not change it, reset it now with \"Forgot your password?\" on \
         the sign-in page ({}) and tell the education office.\n\n{}\n",
        p.name,
        letterhead.link("/login"),
        letterhead.signature()
    );
    crate::jobs::mail::enqueue(
        &mut tx,
        &p.name,
        &p.email,
        "Your Practicum password was changed",
        &body,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `AppError` for a link that cannot be used, in the words a page shows.
pub fn link_gone() -> AppError {
    AppError::conflict(
        ErrorCode::InvitationUsed,
        "This link has been used or has expired. Ask for a new one.",
    )
}
