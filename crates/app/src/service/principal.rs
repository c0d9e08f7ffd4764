//! Who is acting: the signed-in user as their session says, and the one gate every use case
//! passes through — `Principal::authorize`, over the policy table in `domain/policy.rs`.
use crate::db::audit::Actor;
use crate::domain::{
    Role,
    policy::{self, Access, Action, Resource},
    scope::Scope,
};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};

/// A signed-in user, as their session says.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub school_id: Option<String>,
    pub staff_id: Option<String>,
    pub student_id: Option<String>,
    pub department_id: Option<String>,
    pub csrf_token: String,
    pub token_hash: String,
    pub ip: Option<String>,
    /// Whether this user must enrol an authenticator before anything else: the office
    /// requires two-step sign-in for their role and they have none confirmed
    /// (`domain::mfa::required_for`). Read with the session, so the gate costs no query.
    pub mfa_enrolment_due: bool,
}

impl Principal {
    /// 403 if the role may never take this action; otherwise the scope of records it may
    /// touch. Records outside the scope answer 404 (the caller checks with `ensure`).
    pub fn authorize(&self, resource: Resource, action: Action) -> AppResult<Scope> {
        match policy::access(self.role, resource, action) {
            Access::Never => Err(AppError::Forbidden),
            Access::All => Ok(Scope::All),
            Access::Own => Ok(self.own_scope()),
        }
    }

    fn own_scope(&self) -> Scope {
        let s = match self.role {
            Role::SchoolCoordinator => self.school_id.clone().map(Scope::School),
            Role::Student => self.student_id.clone().map(Scope::Student),
            Role::DepartmentManager => self.department_id.clone().map(Scope::Department),
            Role::Preceptor => self.staff_id.clone().map(Scope::Staff),
            Role::Faculty => Some(Scope::Faculty(self.user_id.clone())),
            Role::Admin | Role::Coordinator => Some(Scope::All),
        };
        s.unwrap_or(Scope::Nothing)
    }

    pub fn actor(&self, now: DateTime<Utc>) -> Actor {
        Actor {
            user_id: Some(self.user_id.clone()),
            label: format!("{} <{}>", self.name, self.email),
            ip: self.ip.clone(),
            at: now,
        }
    }
}

/// 404 unless `visible` — used after loading a record the caller may or may not see.
pub fn ensure(visible: bool) -> AppResult<()> {
    if visible {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
