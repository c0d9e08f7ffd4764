//! The account an imported person signs in with: made with the record and linked to it, so
//! the person can be invited later without anyone pasting an id.
use super::audit_create;
use crate::db::{self, Tx, audit::Actor, imports::UserKey, new_id, users::User};
use crate::domain::{Problems, Role};
use crate::error::AppResult;
use std::collections::HashMap;

/// The users already there, by email.
pub(super) async fn users_by_email(tx: &mut Tx) -> AppResult<HashMap<String, UserKey>> {
    Ok(db::imports::users(tx)
        .await?
        .into_iter()
        .map(|u| (u.email.clone(), u))
        .collect())
}

/// What the person's account needs.
#[derive(Clone, Debug)]
pub(super) enum Account {
    /// None asked for, or theirs already, with this name.
    Keep,
    /// Theirs already; the name changed.
    Rename(String, String),
    Create(User),
}

/// The account of the person with `email` and `name` whose record is `link` (`Student` or
/// `Staff` id): theirs already (kept or renamed), or a new one in `role` without a password;
/// an account of someone else with this email is `email_taken`.
pub(super) fn account_for(
    users: &HashMap<String, UserKey>,
    problems: &mut Problems,
    email: &str,
    name: &str,
    role: Role,
    link: Link<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Account {
    let ours = |u: &UserKey| match link {
        Link::Student(id) => u.student_id.as_deref() == Some(id),
        Link::Staff(id) => u.staff_id.as_deref() == Some(id),
    };
    match users.get(email) {
        Some(u) if ours(u) && u.name == name => Account::Keep,
        Some(u) if ours(u) => Account::Rename(u.id.clone(), name.to_string()),
        Some(u) => {
            super::email_taken(problems, &format!("another account ({})", u.role));
            Account::Keep
        }
        None => {
            let (student_id, staff_id) = match link {
                Link::Student(id) => (Some(id.to_string()), None),
                Link::Staff(id) => (None, Some(id.to_string())),
            };
            Account::Create(User {
                id: new_id(),
                email: email.to_string(),
                name: name.to_string(),
                role: role.as_str().to_string(),
                school_id: None,
                staff_id,
                student_id,
                password_hash: None,
                created_at: now,
                disabled_at: None,
            })
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Link<'a> {
    Student(&'a str),
    Staff(&'a str),
}

/// Writes the account change; answers whether an account was made.
pub(super) async fn write_account(tx: &mut Tx, actor: &Actor, a: &Account) -> AppResult<bool> {
    match a {
        Account::Keep => Ok(false),
        Account::Rename(id, name) => {
            db::imports::rename_user(tx, id, name).await?;
            Ok(false)
        }
        Account::Create(u) => {
            db::users::insert(tx, u).await?;
            audit_create(tx, actor, "user", &u.id, u).await?;
            Ok(true)
        }
    }
}
