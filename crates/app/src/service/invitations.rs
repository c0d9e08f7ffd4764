//! Invitations (issue 14 point 2): a one-time link by e-mail, valid [`INVITATION_DAYS`] days,
//! where a person sets their first password and is signed in, already linked to their record.
//! The office invites any person — a student, a staff member (preceptor, site mentor, manager),
//! a user such as a school coordinator — one at a time or in bulk; faculty supervisors named on
//! an internship are invited when the request is approved. The link starts with the settings'
//! public base URL, never the address the office happened to browse with.
use super::patch::keep;
use super::{Parsed, Principal};
use crate::db::{self, Tx, invitations::Purpose, requests::FacultySupervisor, users::User};
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
            keep_new_account(tx, p, u, "invite", now).await?
        }
    };
    let token = if user.password_hash.is_none() {
        Some(issue_link(tx, &user.id, Purpose::Invitation, now).await?)
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
         Set your password with this link (valid for 7 days, once):\n\n{link}\n\n{}\n",
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
/// the credential. The caller then signs the person in (`service::sign_in::after_new_password`).
/// Errors: 422, 404 (unknown, used or expired), 401 for an account turned off.
pub async fn accept_invitation(
    st: &AppState,
    token: &str,
    input: Parsed<AcceptFields>,
) -> AppResult<User> {
    use_link(st, token, Purpose::Invitation, input).await
}

/// Spends a live one-time link of `purpose`: the new password is kept, the link stops
/// working, and the audit trail says so. Errors: 422 (the password), 404 (unknown, used or
/// expired link), 401 (an account turned off).
#[tracing::instrument(skip_all, fields(purpose = purpose.as_str()))]
pub(crate) async fn use_link(
    st: &AppState,
    token: &str,
    purpose: Purpose,
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
    db::invitations::find_live(&mut tx, &th, purpose, now)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    let hash = st.hashing.hash(password.unwrap_or_default()).await?;
    let mut tx = st.db.write().await?;
    // Checked again inside the write: the link works once.
    let user_id = db::invitations::find_live(&mut tx, &th, purpose, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = db::users::get(&mut tx, &user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.disabled_at.is_some() {
        return Err(AppError::Unauthenticated);
    }
    db::invitations::set_password(&mut tx, &user_id, &hash).await?;
    db::invitations::mark_used(&mut tx, &th, now).await?;
    let actor = db::audit::Actor {
        user_id: Some(user.id.clone()),
        label: format!("{} <{}>", user.name, user.email),
        ip: None,
        at: now,
    };
    let action = match purpose {
        Purpose::Invitation => "accept_invitation",
        Purpose::PasswordReset => "password_reset",
    };
    db::audit::record(
        &mut tx,
        &actor,
        action,
        "user",
        &user.id,
        None::<&()>,
        None::<&()>,
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// Keeps a new one-time link for `user_id` (ending the live ones of the same purpose) and
/// answers its token: [`INVITATION_DAYS`] days for an invitation, one hour for a reset.
pub(crate) async fn issue_link(
    tx: &mut Tx,
    user_id: &str,
    purpose: Purpose,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<String> {
    let token = random_token()?;
    let lasts = match purpose {
        Purpose::Invitation => chrono::Duration::days(INVITATION_DAYS),
        Purpose::PasswordReset => chrono::Duration::hours(1),
    };
    db::invitations::insert(tx, &hash_token(&token), user_id, purpose, now, now + lasts).await?;
    Ok(token)
}

/// Who to invite: a user as they are, or the person behind a student or staff record (their
/// account is made, linked to the record, when they have none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invitee {
    User(String),
    Student(String),
    /// A staff member; the account's role when one is made: preceptor (the default: preceptors
    /// and site mentors) or department manager.
    Staff(String, Option<Role>),
}

impl Invitee {
    /// The record's id, as the caller named it.
    pub fn id(&self) -> &str {
        match self {
            Invitee::User(id) | Invitee::Student(id) | Invitee::Staff(id, _) => id,
        }
    }
}

/// An invitation sent.
#[derive(Clone, Debug)]
pub struct Invited {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// Invites one person: finds or makes their account, ends any earlier invitation, and queues
/// the e-mail with a new link, in one transaction with its audit event. The office invites
/// students and staff; only an admin invites a user named by account. Errors: 403; 404 for
/// an unknown record; 409 `already_signed_up` for an account that has a password (they use
/// "Forgot your password?"); 409 `conflict` when the record's e-mail belongs to another
/// account, or the account is turned off.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn invite(st: &AppState, p: &Principal, who: &Invitee) -> AppResult<Invited> {
    use crate::domain::policy::{Action, Resource};
    match who {
        Invitee::User(_) => p.authorize(Resource::User, Action::Write)?,
        Invitee::Student(_) | Invitee::Staff(..) if p.role.is_office() => db::Scope::All,
        _ => return Err(AppError::Forbidden),
    };
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let user = account_for(&mut tx, p, who, now).await?;
    if user.password_hash.is_some() {
        return Err(AppError::conflict(
            ErrorCode::AlreadySignedUp,
            "this person has already set a password; they can use \"Forgot your password?\" on the sign-in page",
        ));
    }
    if user.disabled_at.is_some() {
        return Err(AppError::conflict(
            ErrorCode::Conflict,
            "this account is turned off; turn it on before inviting the person",
        ));
    }
    let token = issue_link(&mut tx, &user.id, Purpose::Invitation, now).await?;
    let role = Role::parse(&user.role).unwrap_or(Role::Student);
    let letterhead = crate::jobs::mail::Letterhead::read(&mut tx).await?;
    let link = letterhead.link(&format!("/invitations/{token}"));
    let body = format!(
        "Dear {},\n\nYou are invited to Practicum, where {} runs student placements, as {}.\n\n\
         Set your password with this link (valid for {INVITATION_DAYS} days, once); you are \
         then signed in:\n\n{link}\n\n{}\n",
        user.name,
        letterhead.signature(),
        with_article(role.label()),
        letterhead.signature()
    );
    crate::jobs::mail::enqueue(
        &mut tx,
        &user.name,
        &user.email,
        "Your invitation to Practicum",
        &body,
        now,
    )
    .await?;
    let after = serde_json::json!({ "email": user.email, "expires_in_days": INVITATION_DAYS });
    db::audit::record::<(), _>(
        &mut tx,
        &p.actor(now),
        "invite",
        "user",
        &user.id,
        None,
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Invited {
        user_id: user.id,
        name: user.name,
        email: user.email,
        role,
        expires_at: now + chrono::Duration::days(INVITATION_DAYS),
    })
}

fn with_article(label: &str) -> String {
    let vowel = label
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!(
        "{} {}",
        if vowel { "an" } else { "a" },
        label.to_lowercase()
    )
}

/// Invites each person in turn, each in its own transaction: one that cannot be invited (say,
/// already signed up) does not hold back the others. Answers each outcome in order.
pub async fn invite_many(
    st: &AppState,
    p: &Principal,
    who: &[Invitee],
) -> AppResult<Vec<Result<Invited, AppError>>> {
    let mut out = Vec::with_capacity(who.len());
    for w in who {
        match invite(st, p, w).await {
            Err(AppError::Forbidden) => return Err(AppError::Forbidden),
            r => out.push(r),
        }
    }
    Ok(out)
}

/// The account behind `who`, made (with its audit event) when a student or staff member has
/// none yet.
async fn account_for(
    tx: &mut Tx,
    p: &Principal,
    who: &Invitee,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<User> {
    let (existing, new) = match who {
        Invitee::User(id) => return db::users::get(tx, id).await?.ok_or(AppError::NotFound),
        Invitee::Student(id) => {
            let s = db::students::get(tx, id).await?.ok_or(AppError::NotFound)?;
            let found = db::users::by_student(tx, id).await?;
            (
                found,
                (
                    s.email.clone(),
                    s.full_name(),
                    Role::Student,
                    None,
                    Some(s.id),
                ),
            )
        }
        Invitee::Staff(id, role) => {
            let s = db::staff::get(tx, id).await?.ok_or(AppError::NotFound)?;
            let role = role.unwrap_or(Role::Preceptor);
            if role.link() != Some(crate::domain::role::Link::Staff) {
                return Err(AppError::invalid(
                    "role",
                    ErrorCode::InvalidChoice,
                    "a staff member signs in as a preceptor (also site mentors) or a department manager",
                ));
            }
            let found = db::users::by_staff(tx, id).await?;
            (
                found,
                (s.email.clone(), s.name.clone(), role, Some(s.id), None),
            )
        }
    };
    if let Some(u) = existing {
        return Ok(u);
    }
    let (email, name, role, staff_id, student_id) = new;
    let email = email.trim().to_lowercase();
    if db::users::by_email(tx, &email).await?.is_some() {
        return Err(AppError::conflict(
            ErrorCode::Conflict,
            "another account already uses this person's e-mail address; change the record's e-mail or link that account",
        ));
    }
    let u = User {
        id: db::new_id(),
        email,
        name,
        role: role.as_str().into(),
        school_id: None,
        staff_id,
        student_id,
        password_hash: None,
        created_at: now,
        disabled_at: None,
    };
    keep_new_account(tx, p, u, "create", now).await
}

/// Where a person stands with signing in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// No account yet, or one never invited.
    NotInvited,
    /// Invited; the link works until `expires_at` unless `used` (a later one replaced it).
    Invited {
        expires_at: chrono::DateTime<chrono::Utc>,
        live: bool,
    },
    /// They have set a password.
    SignedUp,
    /// The account is turned off.
    TurnedOff,
}

/// Where the person behind `who` stands (no scope check: for pages that already showed the
/// record). Errors: the store's.
pub async fn standing(st: &AppState, who: &Invitee) -> AppResult<Standing> {
    let mut tx = st.db.read().await?;
    let user = match who {
        Invitee::User(id) => db::users::get(&mut tx, id).await?,
        Invitee::Student(id) => db::users::by_student(&mut tx, id).await?,
        Invitee::Staff(id, _) => db::users::by_staff(&mut tx, id).await?,
    };
    let Some(user) = user else {
        return Ok(Standing::NotInvited);
    };
    if user.disabled_at.is_some() {
        return Ok(Standing::TurnedOff);
    }
    if user.password_hash.is_some() {
        return Ok(Standing::SignedUp);
    }
    Ok(
        match db::invitations::latest_invitation(&mut tx, &user.id).await? {
            Some((expires_at, used)) => Standing::Invited {
                expires_at,
                live: used.is_none() && expires_at > st.clock.now(),
            },
            None => Standing::NotInvited,
        },
    )
}

/// Everyone who cannot sign in yet: students (of one school, or all) and staff. The office's
/// "invite everyone not signed up" after an import. Errors: 403 for other roles.
pub async fn not_signed_up(
    st: &AppState,
    p: &Principal,
    school_id: Option<&str>,
    staff: bool,
) -> AppResult<Vec<Invitee>> {
    if !p.role.is_office() {
        return Err(AppError::Forbidden);
    }
    let mut tx = st.db.read().await?;
    let mut who: Vec<Invitee> = db::invitations::students_not_signed_up(&mut tx, school_id)
        .await?
        .into_iter()
        .map(Invitee::Student)
        .collect();
    if staff {
        who.extend(
            db::invitations::staff_not_signed_up(&mut tx)
                .await?
                .into_iter()
                .map(|id| Invitee::Staff(id, None)),
        );
    }
    Ok(who)
}

/// Keeps a new account (no password yet) with its audit event, `action` as the trail says it.
async fn keep_new_account(
    tx: &mut Tx,
    p: &Principal,
    u: User,
    action: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<User> {
    db::users::insert(tx, &u).await?;
    db::audit::record(
        tx,
        &p.actor(now),
        action,
        "user",
        &u.id,
        None::<&()>,
        Some(&u),
    )
    .await?;
    Ok(u)
}
