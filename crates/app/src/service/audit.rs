//! The audit trail as evidence: checking its hash chain (`practicum audit verify`) and the
//! sign-in events (issue 13 point 5).
use crate::db::{self, Db, DbResult, Tx, audit::Actor};
use crate::domain::audit_chain::{Break, Walker};
use chrono::{DateTime, Utc};
use serde_json::json;

/// What `verify_trail` found.
#[derive(Debug)]
pub struct TrailReport {
    /// Chained events walked before the end or the first break.
    pub events: u64,
    /// The last event's hash (64 hex digits; zeros for an empty trail): keep it elsewhere to
    /// pin the end of the trail.
    pub head: String,
    /// The first event that was changed, removed or inserted; `None` when the trail is intact.
    pub broken: Option<Break>,
}

/// Walks the whole trail in chain order, a page at a time (bounded memory), and names the
/// first event that breaks it; then looks for rows no append wrote. Errors: the database.
pub async fn verify_trail(db: &Db) -> DbResult<TrailReport> {
    const PAGE: i64 = 1000;
    let mut walker = Walker::default();
    let mut tx = db.read().await?;
    let (mut after_seq, mut after_id) = (0i64, String::new());
    let broken = 'walk: loop {
        let page = db::audit::chain_page(&mut tx, after_seq, &after_id, PAGE).await?;
        for e in &page {
            if let Err(b) = walker.step(e) {
                break 'walk Some(b);
            }
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => {
                after_seq = last.seq.unwrap_or(after_seq);
                after_id = last.id.clone();
            }
            _ => break None,
        }
    };
    let broken = match broken {
        Some(b) => Some(b),
        None => match walker.finish() {
            Err(b) => Some(b),
            Ok(()) => db::audit::first_unchained(&mut tx)
                .await?
                .map(|e| walker.step(&e).err())
                .unwrap_or(None),
        },
    };
    Ok(TrailReport {
        events: walker.events,
        head: walker.head().to_string(),
        broken,
    })
}

/// A sign-in, a refused sign-in or a sign-out, as the trail and the log keep it: who, the
/// e-mail tried, from where — never the password or the session token.
pub enum SignInEvent<'a> {
    /// A session started; `method` says how the person proved who they are ("password",
    /// "identity provider", "second step: authenticator code", ...).
    Succeeded {
        user_id: &'a str,
        name: &'a str,
        email: &'a str,
        method: &'a str,
    },
    /// The first factor (`method`) was right; the second step is asked.
    SecondStepAsked {
        user_id: &'a str,
        name: &'a str,
        email: &'a str,
        method: &'a str,
    },
    /// `user_id` when the e-mail belongs to an account (the office may see which accounts are
    /// being tried; the person signing in never learns it). `reason` in words.
    Refused {
        email: &'a str,
        user_id: Option<&'a str>,
        reason: &'a str,
    },
    SignedOut {
        user_id: &'a str,
        name: &'a str,
        email: &'a str,
    },
}

/// Records the event in the trail, in the caller's transaction (with the session it creates
/// or ends), and writes one log line. `ip` is the client's address as the server saw it.
pub async fn record_sign_in(
    tx: &mut Tx,
    event: SignInEvent<'_>,
    ip: Option<&str>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    let ip_text = ip.unwrap_or("unknown");
    let (action, user_id, label, record_id, email, detail) = match event {
        SignInEvent::Succeeded {
            user_id,
            name,
            email,
            method,
        } => {
            tracing::info!(user_id, email, ip = ip_text, method, "signed in");
            (
                "sign_in",
                Some(user_id),
                format!("{name} <{email}>"),
                user_id,
                email,
                json!({ "method": method }),
            )
        }
        SignInEvent::SecondStepAsked {
            user_id,
            name,
            email,
            method,
        } => {
            tracing::info!(user_id, email, ip = ip_text, method, "second step asked");
            (
                "sign_in_second_step",
                Some(user_id),
                format!("{name} <{email}>"),
                user_id,
                email,
                json!({ "method": method }),
            )
        }
        SignInEvent::Refused {
            email,
            user_id,
            reason,
        } => {
            // What was typed is kept, but no longer than an e-mail address can be.
            let email = match email.char_indices().nth(254) {
                Some((cut, _)) => &email[..cut],
                None => email,
            };
            tracing::warn!(
                email,
                ip = ip_text,
                known_account = user_id.is_some(),
                reason,
                "sign-in refused"
            );
            (
                "sign_in_failed",
                None,
                format!("sign-in attempt as <{email}>"),
                user_id.unwrap_or(""),
                email,
                json!({ "reason": reason }),
            )
        }
        SignInEvent::SignedOut {
            user_id,
            name,
            email,
        } => {
            tracing::info!(user_id, email, ip = ip_text, "signed out");
            (
                "sign_out",
                Some(user_id),
                format!("{name} <{email}>"),
                user_id,
                email,
                json!({}),
            )
        }
    };
    let actor = Actor {
        user_id: user_id.map(str::to_string),
        label,
        ip: ip.map(str::to_string),
        at,
    };
    db::audit::record(
        tx,
        &actor,
        action,
        "user",
        record_id,
        None::<&()>,
        Some(&{
            let mut after = detail;
            after["email"] = json!(email);
            after
        }),
    )
    .await
}
