//! Users: who can sign in, each with one role and the link that role needs (DOMAIN.md "Roles").
use super::patch::{keep, keep_optional};
use super::{Parsed, Principal};
use crate::db::{self, audit::Actor, new_id, users::User};
use crate::domain::{
    ErrorCode, Role,
    policy::{Action, Resource},
    role::Link,
};
use crate::error::AppResult;
use crate::state::AppState;

/// A new user. Without a password the user cannot sign in until given one.
#[derive(Clone, Debug, Default)]
pub struct NewUserFields {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
    /// Strong enough (checked at the edge); hashed by the use case.
    pub password: Option<Option<String>>,
    pub school_id: Option<Option<String>>,
    pub staff_id: Option<Option<String>>,
    pub student_id: Option<Option<String>>,
}

/// Creates a user (admin only). Errors: 403, 422 with every problem.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_user(
    st: &AppState,
    p: &Principal,
    input: Parsed<NewUserFields>,
) -> AppResult<User> {
    p.authorize(Resource::User, Action::Write)?;
    create_user_as(st, &p.actor(st.clock.now()), input).await
}

/// Creates a user on behalf of `actor` (the command line, the tests' set-up) in its own
/// transaction, with its audit event: the role's link must be present and exist, and no other
/// link be given.
#[tracing::instrument(skip_all)]
pub async fn create_user_as(
    st: &AppState,
    actor: &Actor,
    input: Parsed<NewUserFields>,
) -> AppResult<User> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let p = &problems;
    let email = keep(p, "email", f.email, None);
    let name = keep(p, "name", f.name, None);
    let role = keep(p, "role", f.role, None);
    let password = keep_optional(p, "password", f.password, None);
    let school_id = keep_optional(p, "school_id", f.school_id, None);
    let staff_id = keep_optional(p, "staff_id", f.staff_id, None);
    let student_id = keep_optional(p, "student_id", f.student_id, None);

    let mut tx = st.db.read().await?;
    if let Some(role) = role {
        check_links(
            &mut tx,
            &mut problems,
            role,
            [
                school_id.clone().flatten(),
                staff_id.clone().flatten(),
                student_id.clone().flatten(),
            ],
        )
        .await?;
    }
    drop(tx);
    problems.into_result()?;
    let mut user = User {
        id: new_id(),
        email: email.unwrap_or_default(),
        name: name.unwrap_or_default(),
        role: role.map(|r| r.as_str().to_string()).unwrap_or_default(),
        school_id: school_id.flatten(),
        staff_id: staff_id.flatten(),
        student_id: student_id.flatten(),
        password_hash: None,
        created_at: st.clock.now(),
        disabled_at: None,
    };
    if let Some(pw) = password.flatten() {
        user.password_hash = Some(st.hashing.hash(pw).await?);
    }
    let mut tx = st.db.write().await?;
    db::users::insert(&mut tx, &user).await?;
    db::audit::record(
        &mut tx,
        actor,
        "create",
        "user",
        &user.id,
        None::<&()>,
        Some(&user),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// The role's link (`[school_id, staff_id, student_id]`) must be present and exist, and no other
/// link be given (also run by the import, row by row).
pub(super) async fn check_links(
    tx: &mut crate::db::Tx,
    problems: &mut crate::domain::Problems,
    role: Role,
    ids: [Option<String>; 3],
) -> AppResult<()> {
    let [school_id, staff_id, student_id] = ids;
    let links = [
        (Link::School, "school_id", school_id),
        (Link::Staff, "staff_id", staff_id),
        (Link::Student, "student_id", student_id),
    ];
    for (link, field, value) in links {
        let needed = role.link() == Some(link);
        match (&value, needed) {
            (None, true) if !problems.has_field(field) => problems.add(
                field,
                ErrorCode::LinkRequired,
                format!("a {} user must be linked with {field}", role.as_str()),
            ),
            (Some(_), false) => problems.add(
                field,
                ErrorCode::LinkNotAllowed,
                format!("a {} user has no {field}", role.as_str()),
            ),
            (Some(id), true) => {
                let exists = match link {
                    Link::School => db::schools::get(tx, id).await?.is_some(),
                    Link::Staff => db::staff::get(tx, id).await?.is_some(),
                    Link::Student => db::students::get(tx, id).await?.is_some(),
                };
                if !exists {
                    problems.add(
                        field,
                        ErrorCode::UnknownReference,
                        format!("there is no such record for {field}"),
                    );
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Disables an account (`disabled = true`: every session ends at once, sign-in answers as for
/// a wrong password, its records stay) or enables it again (admin only). Audited as `disable`
/// or `enable`. Errors: 403 for other roles, 404 for no such user, 409 `cannot_disable_self`
/// (an admin locking themself out).
#[tracing::instrument(skip_all, fields(disabled))]
pub async fn set_disabled(
    st: &AppState,
    p: &Principal,
    id: &str,
    disabled: bool,
) -> AppResult<User> {
    p.authorize(Resource::User, Action::Write)?;
    if disabled && id == p.user_id {
        return Err(crate::error::AppError::conflict(
            ErrorCode::CannotDisableSelf,
            "you cannot disable your own account; ask another admin",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let before = db::users::get(&mut tx, id)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let at = if disabled {
        Some(before.disabled_at.unwrap_or(now))
    } else {
        None
    };
    db::users::set_disabled(&mut tx, id, at).await?;
    if disabled {
        db::sessions::delete_all_for_user(&mut tx, id, None).await?;
    }
    let after = User {
        disabled_at: at,
        ..before.clone()
    };
    db::audit::record(
        &mut tx,
        &p.actor(now),
        if disabled { "disable" } else { "enable" },
        "user",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
