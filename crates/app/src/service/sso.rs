//! Single sign-on's use cases (issue 13 point 4): remember a sign-in sent to the identity
//! provider, take it back once, and find the account the provider's verified identity signs in.
//!
//! Accounts are matched by the provider's `iss` + `sub` once linked, else by a verified e-mail
//! (then linked), and never created: a person with no account is refused, whatever the
//! provider's claims say, so no one gets a role the office did not give. The account's role must
//! also be among those the configured role claim maps to (`domain::sso::may_sign_in`), at every
//! sign-in: whoever the provider stops listing in the group stops signing in this way.
use crate::db::{self, audit::Actor, users::User};
use crate::domain::sso::{Refusal, RoleMap, may_sign_in};
use crate::error::AppResult;
use crate::password::hash_token;
use crate::sso::{Identity, Started};
use crate::state::AppState;

/// How long the provider may take to send the browser back.
pub const PENDING_MINUTES: i64 = 10;

/// Keeps what the answer to this authorization request is checked against. Only a SHA-256 of
/// the `state` is stored; the browser holds the `state` itself in a cookie.
pub async fn remember_pending(st: &AppState, started: &Started) -> AppResult<()> {
    let expires = st.clock.now() + chrono::Duration::minutes(PENDING_MINUTES);
    let mut tx = st.db.write().await?;
    db::sso::insert_pending(
        &mut tx,
        &hash_token(&started.state),
        &started.nonce,
        &started.pkce_verifier,
        expires,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The nonce and PKCE verifier of the pending sign-in with this `state`, taken (it answers
/// once); `None` for a state that is unknown, used or expired.
pub async fn take_pending(st: &AppState, state: &str) -> AppResult<Option<(String, String)>> {
    let mut tx = st.db.write().await?;
    let found = db::sso::take_pending(&mut tx, &hash_token(state), st.clock.now()).await?;
    tx.commit().await?;
    Ok(found)
}

/// The account the provider's identity signs in, linking it on its first sign-in; or why not.
pub async fn account_for(
    st: &AppState,
    identity: &Identity,
    map: &RoleMap,
) -> AppResult<Result<User, Refusal>> {
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let linked = match db::sso::linked_user(&mut tx, &identity.issuer, &identity.subject).await? {
        Some(id) => db::users::get(&mut tx, &id).await?,
        None => None,
    };
    let (user, new_link) = match linked {
        Some(u) => (u, false),
        None => {
            let email = identity
                .email
                .as_deref()
                .filter(|_| identity.email_verified)
                .map(|e| e.trim().to_lowercase());
            let found = match email {
                Some(e) => db::users::by_email(&mut tx, &e).await?,
                None => None,
            };
            match found {
                Some(u) => (u, true),
                None => return Ok(Err(Refusal::NoAccount)),
            }
        }
    };
    let Some(role) = crate::domain::Role::parse(&user.role) else {
        return Ok(Err(Refusal::RoleNotGiven));
    };
    if let Err(r) = may_sign_in(role, &map.roles_for(&identity.claim_values)) {
        return Ok(Err(r));
    }
    if new_link {
        db::sso::link(&mut tx, &identity.issuer, &identity.subject, &user.id, now).await?;
        let actor = Actor {
            user_id: Some(user.id.clone()),
            label: format!("{} <{}>", user.name, user.email),
            ip: None,
            at: now,
        };
        let after = serde_json::json!({ "issuer": identity.issuer, "subject": identity.subject });
        db::audit::record::<(), _>(
            &mut tx,
            &actor,
            "sso_linked",
            "user",
            &user.id,
            None,
            Some(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(user))
}
