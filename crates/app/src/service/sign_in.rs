//! Signing in and out, and a person's own sessions (issue 13 points 2 and 3).
//!
//! Throttling (OWASP ASVS 5.0 V6.3.1, NIST SP 800-63B §5.2.2) keeps two leaky buckets
//! ([`Bucket`]) so that neither can be turned against users:
//! - **per account** (`account:<email>`, any address): after `login_max_failures` failures the
//!   account waits, doubling to 15 minutes; while it waits even the right password answers 429.
//!   This stops guessing one account from many addresses.
//! - **per client address** (`address:<ip>`, any account): a much higher ceiling
//!   (`login_address_max_failures`). Past it a *wrong* password answers 429 instead of 401, but
//!   a right password for an account that is not itself waiting still signs in: behind a
//!   hospital's proxy or NAT, one person guessing cannot lock out everyone else. It costs an
//!   attacker nothing they could not learn anyway, and it tells well-behaved clients to slow
//!   down; the real brake on guessing across accounts is the per-account bucket plus the
//!   refusal of common and breached passwords (`password::check_strength`).
//!
//! Both decay (one failure per `login_decay`); a success empties the account's bucket. The
//! address bucket is not emptied by a success, or an attacker holding one real account could
//! wipe its address count between guesses. The client address is the socket peer, or the
//! `X-Forwarded-For` client when the peer is a trusted proxy (`net::client_address`).
use crate::db::{self, sessions::NewSession, users::User};
use crate::domain::mfa::SecondFactor;
use crate::error::{AppError, AppResult};
use crate::password::{hash_token, random_token};
use crate::service::Principal;
use crate::service::audit::{SignInEvent, record_sign_in};
use crate::service::throttle::{limits, record_failure};
use crate::state::AppState;
use chrono::{DateTime, Utc};

/// Who is signing in, from where, as the edge read it.
#[derive(Clone, Debug, Default)]
pub struct Client {
    /// The client's address (after trusted-proxy resolution).
    pub ip: Option<String>,
    /// The `User-Agent` header, to describe the session's device to its owner.
    pub user_agent: Option<String>,
    /// A session token the client presented with the attempt (the page's cookie, an API
    /// bearer token): ended on success, so a fixed session id never becomes a signed-in one.
    pub presented_token: Option<String>,
}

/// A sign-in attempt with a password.
pub struct SignIn {
    pub email: String,
    pub password: String,
    pub client: Client,
}

/// The outcome of a first factor (a password, the identity provider). Sign-in successes and
/// failures are decided in this module and only here: the hook for their audit events and log
/// lines (issue 13 point 5).
pub enum LoginOutcome {
    Ok {
        token: String,
        user: Box<User>,
    },
    /// The first factor is right and the user has an authenticator: no session yet, a
    /// challenge (valid `domain::mfa::CHALLENGE_SECONDS`) that [`second_step`] answers.
    MfaRequired {
        mfa_token: String,
    },
    /// A wrong password, an unknown email or a disabled account: the same answer for all.
    Refused,
}

/// How the first factor was given, in the audit trail's words.
#[derive(Clone, Copy, Debug)]
pub enum FirstFactor {
    Password,
    IdentityProvider,
}

impl FirstFactor {
    fn words(self) -> &'static str {
        match self {
            FirstFactor::Password => "password",
            FirstFactor::IdentityProvider => "identity provider",
        }
    }
}

/// Checks the password under the throttles above and, on success, opens a new session (a new
/// id; a presented one is ended) or, for a user with an authenticator, a second-step challenge.
/// Errors: 429 `too_many_attempts` with the wait (the account waits; or the address waits and
/// the password was wrong), 503 `server_busy` when no password hash could start in time.
pub async fn login(st: &AppState, input: SignIn) -> AppResult<LoginOutcome> {
    let now = st.clock.now();
    let email = input.email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let client = input.client;
    let address_key = client.ip.as_ref().map(|ip| format!("address:{ip}"));
    let account_limits = limits(st, st.config.login_max_failures);

    let mut tx = st.db.read().await?;
    let account = db::sessions::throttle_get(&mut tx, &account_key).await?;
    let user = db::users::by_email(&mut tx, &email).await?;
    drop(tx);
    if let Some(wait) = account.and_then(|b| b.wait(now)) {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait,
        });
    }

    let ok = st
        .hashing
        .verify(
            input.password,
            user.as_ref().and_then(|u| u.password_hash.clone()),
        )
        .await?;
    // Who the failed attempt was about, for the audit trail (never the password).
    let tried = user.as_ref().map(|u| u.id.clone());
    let user = user.filter(|u| ok && u.disabled_at.is_none());

    let mut tx = st.db.write_leaving_placements().await?;
    let outcome = match user {
        Some(user) => {
            db::sessions::throttle_clear(&mut tx, &account_key).await?;
            let outcome =
                first_factor_passed(&mut tx, user, &client, FirstFactor::Password, now).await?;
            Ok(outcome)
        }
        None => {
            let event = SignInEvent::Refused {
                email: &email,
                user_id: tried.as_deref(),
                reason: "wrong password, unknown account or account turned off",
            };
            record_sign_in(&mut tx, event, client.ip.as_deref(), now).await?;
            record_failure(&mut tx, &account_key, now, &account_limits).await?;
            let address_wait = match &address_key {
                Some(key) => {
                    let limits = limits(st, st.config.login_address_max_failures);
                    let before = record_failure(&mut tx, key, now, &limits).await?;
                    before.wait(now)
                }
                None => None,
            };
            let horizon = account_limits.decay * 200;
            db::sessions::throttle_prune(&mut tx, now - horizon, now).await?;
            match address_wait {
                Some(wait) => Err(AppError::TooManyRequests {
                    retry_after_secs: wait,
                }),
                None => Ok(LoginOutcome::Refused),
            }
        }
    };
    tx.commit().await?;
    outcome
}

/// The first factor succeeded for `user` (an account that is not turned off): a challenge of
/// the second step when they have an authenticator, else a session. Both are audit events.
async fn first_factor_passed(
    tx: &mut db::Tx,
    user: User,
    client: &Client,
    how: FirstFactor,
    now: DateTime<Utc>,
) -> AppResult<LoginOutcome> {
    if let Some(mfa_token) = crate::service::mfa::open_challenge(tx, &user.id, now).await? {
        let event = SignInEvent::SecondStepAsked {
            user_id: &user.id,
            name: &user.name,
            email: &user.email,
            method: how.words(),
        };
        record_sign_in(tx, event, client.ip.as_deref(), now).await?;
        return Ok(LoginOutcome::MfaRequired { mfa_token });
    }
    let token = start_session(tx, &user, client, how.words(), now).await?;
    Ok(LoginOutcome::Ok {
        token,
        user: Box::new(user),
    })
}

/// Opens a session for `user` (a new id; a presented token is ended) and records the sign-in.
/// `method` is how the person proved who they are, in words, for the audit trail.
async fn start_session(
    tx: &mut db::Tx,
    user: &User,
    client: &Client,
    method: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    if let Some(old) = &client.presented_token {
        db::sessions::delete(tx, &hash_token(old)).await?;
    }
    let token = random_token()?;
    let ua = client.user_agent.as_deref().map(|u| truncate(u, 512));
    db::sessions::insert(
        tx,
        &NewSession {
            id: &db::new_id(),
            token_hash: &hash_token(&token),
            user_id: &user.id,
            csrf: &random_token()?,
            now,
            ip: client.ip.as_deref(),
            user_agent: ua,
        },
    )
    .await?;
    let event = SignInEvent::Succeeded {
        user_id: &user.id,
        name: &user.name,
        email: &user.email,
        method,
    };
    record_sign_in(tx, event, client.ip.as_deref(), now).await?;
    Ok(token)
}

/// Sign-in through the hospital's identity provider, after `service::sso::account_for` found
/// the account: a session, or the second step for a user with an authenticator. A turned-off
/// account is refused (`LoginOutcome::Refused`) and the refusal recorded.
pub async fn through_identity_provider(
    st: &AppState,
    user: User,
    client: Client,
) -> AppResult<LoginOutcome> {
    let now = st.clock.now();
    let mut tx = st.db.write_leaving_placements().await?;
    let outcome = if user.disabled_at.is_some() {
        let event = SignInEvent::Refused {
            email: &user.email,
            user_id: Some(&user.id),
            reason: "identity provider; account turned off",
        };
        record_sign_in(&mut tx, event, client.ip.as_deref(), now).await?;
        LoginOutcome::Refused
    } else {
        first_factor_passed(&mut tx, user, &client, FirstFactor::IdentityProvider, now).await?
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The person proved who they are with a one-time link and set a new password (`method`:
/// "invitation" or "password reset"): a session, or the second step for a user with an
/// authenticator (a link by e-mail does not stand in for it). Every session the user had is
/// ended first: whoever held one no longer knows the password.
pub async fn after_new_password(
    st: &AppState,
    user: User,
    client: Client,
    method: &'static str,
) -> AppResult<LoginOutcome> {
    let now = st.clock.now();
    let mut tx = st.db.write_leaving_placements().await?;
    db::sessions::delete_all_for_user(&mut tx, &user.id, None).await?;
    let outcome = if crate::service::mfa::has_authenticator(&mut tx, &user.id).await? {
        first_factor_passed(&mut tx, user, &client, FirstFactor::Password, now).await?
    } else {
        let token = start_session(&mut tx, &user, &client, method, now).await?;
        LoginOutcome::Ok {
            token,
            user: Box::new(user),
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// A refused sign-in through the identity provider (no account, no role), recorded with what
/// the provider vouched for.
pub async fn identity_provider_refused(
    st: &AppState,
    email: Option<&str>,
    reason: &str,
    client: &Client,
) -> AppResult<()> {
    let mut tx = st.db.write_leaving_placements().await?;
    let event = SignInEvent::Refused {
        email: email.unwrap_or(""),
        user_id: None,
        reason,
    };
    record_sign_in(&mut tx, event, client.ip.as_deref(), st.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The second step of a sign-in: the challenge's token and a code from the authenticator (or a
/// recovery code). Answers the new session's token and the user. Errors (each recorded): 401
/// `unauthenticated` for an unknown or expired token or an account turned off meanwhile; 422
/// `mfa_code_invalid` (the token stays good until it expires); 429 after repeated wrong codes.
pub async fn second_step(
    st: &AppState,
    mfa_token: &str,
    code: Option<SecondFactor>,
    client: Client,
) -> AppResult<(String, User)> {
    let method = match &code {
        Some(SecondFactor::Recovery(_)) => "second step: recovery code",
        _ => "second step: authenticator code",
    };
    let now = st.clock.now();
    match crate::service::mfa::answer_challenge(st, mfa_token, code).await {
        Ok(user) => {
            let mut tx = st.db.write_leaving_placements().await?;
            let token = start_session(&mut tx, &user, &client, method, now).await?;
            tx.commit().await?;
            Ok((token, user))
        }
        Err(e) => {
            if let Some(user) = crate::service::mfa::challenge_owner(st, mfa_token).await? {
                let mut tx = st.db.write_leaving_placements().await?;
                let event = SignInEvent::Refused {
                    email: &user.email,
                    user_id: Some(&user.id),
                    reason: match &e {
                        AppError::TooManyRequests { .. } => "second step: too many wrong codes",
                        AppError::Unauthenticated => "second step: account turned off",
                        AppError::Busy { .. } => "second step: the server was busy",
                        _ => "second step: wrong or used code",
                    },
                };
                record_sign_in(&mut tx, event, client.ip.as_deref(), now).await?;
                tx.commit().await?;
            }
            Err(e)
        }
    }
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let end = (0..=max)
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0);
    &s[..end]
}

/// Ends the caller's session, and records the sign-out in the audit trail.
pub async fn logout(st: &AppState, p: &crate::service::Principal) -> AppResult<()> {
    let mut tx = st.db.write_leaving_placements().await?;
    db::sessions::delete(&mut tx, &p.token_hash).await?;
    let event = SignInEvent::SignedOut {
        user_id: &p.user_id,
        name: &p.name,
        email: &p.email,
    };
    record_sign_in(&mut tx, event, p.ip.as_deref(), st.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// One of a person's sessions, as they see it.
#[derive(Clone, Debug)]
pub struct SessionView {
    pub id: String,
    /// "Firefox on Windows" (`domain::sign_in::describe_device`).
    pub device: String,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session this request came with.
    pub current: bool,
}

/// The caller's own sessions, most recently used first.
pub async fn my_sessions(st: &AppState, p: &Principal) -> AppResult<Vec<SessionView>> {
    let mut tx = st.db.read().await?;
    let rows = db::sessions::list_for_user(&mut tx, &p.user_id).await?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            current: s.token_hash == p.token_hash,
            device: crate::domain::sign_in::describe_device(s.user_agent.as_deref()),
            id: s.id,
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect())
}

/// Ends one of the caller's sessions (the current one too, if named). Errors: 404 when the id
/// is not one of the caller's sessions — someone else's looks the same as none.
pub async fn end_my_session(st: &AppState, p: &Principal, id: &str) -> AppResult<()> {
    let mut tx = st.db.write_leaving_placements().await?;
    let n = db::sessions::delete_for_user(&mut tx, &p.user_id, id).await?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the caller but the current one; answers how many ended.
pub async fn end_my_other_sessions(st: &AppState, p: &Principal) -> AppResult<u64> {
    let mut tx = st.db.write_leaving_placements().await?;
    let n = db::sessions::delete_all_for_user(&mut tx, &p.user_id, Some(&p.token_hash)).await?;
    tx.commit().await?;
    Ok(n)
}

/// Ends every session of the caller, the current one too ("sign out everywhere"), recorded
/// as a sign-out. Answers how many ended.
pub async fn sign_out_everywhere(st: &AppState, p: &Principal) -> AppResult<u64> {
    let mut tx = st.db.write_leaving_placements().await?;
    let ended = db::sessions::delete_all_for_user(&mut tx, &p.user_id, None).await?;
    let event = SignInEvent::SignedOut {
        user_id: &p.user_id,
        name: &p.name,
        email: &p.email,
    };
    record_sign_in(&mut tx, event, p.ip.as_deref(), st.clock.now()).await?;
    tx.commit().await?;
    Ok(ended)
}
