use super::users::password;
use crate::domain::{ErrorCode, Role};
use crate::error::{AppError, AppResult};
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{
    Parsed,
    invitations::{AcceptFields, Invitee},
    passwords::ChangeFields,
};
use serde_json::{Map, Value};

body! {
    pub struct AcceptInvitationInput {
        /// At least 10 characters.
        password: String,
    }
}

/// `{ password }` (API.md "Auth").
pub fn accept(body: Map<String, Value>) -> Parsed<AcceptFields> {
    let (mut i, b) = Input::read::<AcceptInvitationInput>(body);
    let password = i.field(&b.password, true, &password);
    i.into_parsed(AcceptFields { password })
}

fn ids(v: &Value) -> Result<Vec<String>, (ErrorCode, String)> {
    match v {
        Value::Array(items) if items.len() <= 5000 => items.iter().map(parse::id).collect(),
        Value::Array(_) => Err((ErrorCode::OutOfRange, "at most 5,000 at once".into())),
        _ => Err((ErrorCode::InvalidType, "must be a list of ids".into())),
    }
}

body! {
    /// Who to invite at once: any of the three lists.
    pub struct BulkInvitationInput {
        student_ids: Option<Vec<String>>,
        staff_ids: Option<Vec<String>>,
        user_ids: Option<Vec<String>>,
    }
}

/// `{ student_ids?, staff_ids?, user_ids? }`: at least one person.
pub fn bulk(body: Map<String, Value>) -> AppResult<Vec<Invitee>> {
    let (mut i, b) = Input::read::<BulkInvitationInput>(body);
    let students = i.opt(&b.student_ids, None, &ids).flatten();
    let staff = i.opt(&b.staff_ids, None, &ids).flatten();
    let users = i.opt(&b.user_ids, None, &ids).flatten();
    i.finish()?;
    let mut who: Vec<Invitee> = Vec::new();
    who.extend(
        students
            .unwrap_or_default()
            .into_iter()
            .map(Invitee::Student),
    );
    who.extend(
        staff
            .unwrap_or_default()
            .into_iter()
            .map(|id| Invitee::Staff(id, None)),
    );
    who.extend(users.unwrap_or_default().into_iter().map(Invitee::User));
    if who.is_empty() {
        return Err(AppError::invalid(
            "student_ids",
            ErrorCode::Required,
            "name at least one person to invite",
        ));
    }
    Ok(who)
}

body! {
    /// Inviting a staff member: the role their account gets when one is made.
    pub struct StaffInvitationInput {
        /// `preceptor` (the default; site mentors too) or `department_manager`.
        role: Option<String>,
    }
}

/// `{ role? }` for `POST /api/v1/staff/{id}/invitation`.
pub fn staff(body: Map<String, Value>) -> AppResult<Option<Role>> {
    let (mut i, b) = Input::read::<StaffInvitationInput>(body);
    let role = i.opt(&b.role, None, &|v| match v {
        Value::String(s) => match Role::parse(s) {
            Some(r @ (Role::Preceptor | Role::DepartmentManager)) => Ok(r),
            _ => Err((
                ErrorCode::InvalidChoice,
                "must be preceptor or department_manager".into(),
            )),
        },
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    i.finish()?;
    Ok(role.flatten())
}

body! {
    pub struct PasswordResetRequestInput {
        /// The address the account signs in with; the answer is the same whether it has one.
        email: String,
    }
}

/// `{ email }` for `POST /api/v1/auth/password-reset`.
pub fn reset_request(body: Map<String, Value>) -> AppResult<String> {
    let (mut i, b) = Input::read::<PasswordResetRequestInput>(body);
    let email = i.req(&b.email, None, &parse::text);
    i.finish()?;
    Ok(email.unwrap_or_default())
}

body! {
    pub struct ChangePasswordInput {
        current_password: String,
        /// At least 10 characters, not a common or breached password.
        new_password: String,
    }
}

/// `{ current_password, new_password }` for `POST /api/v1/me/password`.
pub fn change(body: Map<String, Value>) -> Parsed<ChangeFields> {
    let (mut i, b) = Input::read::<ChangePasswordInput>(body);
    let current_password = i.field(&b.current_password, true, &|v| match v {
        Value::String(s) => Ok(s.clone()),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    let new_password = i.field(&b.new_password, true, &password);
    i.into_parsed(ChangeFields {
        current_password,
        new_password,
    })
}
