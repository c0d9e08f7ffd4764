//! Hospital staff: preceptors and mentors, with their licence and leave (DOMAIN.md "Records").
use super::patch::{keep, keep_optional};
use super::{Parsed, Principal};
use crate::db::{
    self, Tx, new_id,
    staff::{Leave, Staff},
};
use crate::domain::{
    ErrorCode,
    directory::check_preceptor,
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

/// The fields of a staff member; `is_preceptor` defaults to false, `max_students` to 0 and
/// `leave` to none.
#[derive(Clone, Debug, Default)]
pub struct StaffFields {
    pub name: Option<String>,
    pub email: Option<String>,
    /// A department id; the use case checks the department exists.
    pub department_id: Option<String>,
    /// A discipline code; the use case checks it is in the catalog.
    pub discipline: Option<Option<String>>,
    pub credential: Option<Option<String>>,
    pub license_number: Option<Option<String>>,
    pub license_expires_on: Option<Option<NaiveDate>>,
    pub is_preceptor: Option<bool>,
    pub max_students: Option<i64>,
    /// Sorted, none overlapping.
    pub leave: Option<Vec<Leave>>,
}

pub(super) async fn merge(
    tx: &mut Tx,
    input: Parsed<StaffFields>,
    current: Option<&Staff>,
) -> AppResult<Staff> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let p = &problems;
    let name = keep(p, "name", f.name, current.map(|c| &c.name));
    let email = keep(p, "email", f.email, current.map(|c| &c.email));
    let department_id = keep(
        p,
        "department_id",
        f.department_id,
        current.map(|c| &c.department_id),
    );
    let discipline = keep_optional(
        p,
        "discipline",
        f.discipline,
        current.map(|c| &c.discipline),
    );
    let credential = keep_optional(
        p,
        "credential",
        f.credential,
        current.map(|c| &c.credential),
    );
    let license_number = keep_optional(
        p,
        "license_number",
        f.license_number,
        current.map(|c| &c.license_number),
    );
    let license_expires_on = keep_optional(
        p,
        "license_expires_on",
        f.license_expires_on,
        current.map(|c| &c.license_expires_on),
    );
    let is_preceptor = keep(
        p,
        "is_preceptor",
        f.is_preceptor,
        Some(current.map(|c| &c.is_preceptor).unwrap_or(&false)),
    );
    let max_students = keep(
        p,
        "max_students",
        f.max_students,
        Some(current.map(|c| &c.max_students).unwrap_or(&0)),
    );
    let leave = keep(
        p,
        "leave",
        f.leave,
        Some(current.map(|c| &c.leave).unwrap_or(&vec![])),
    );
    if let Some(d) = &department_id
        && db::departments::get(tx, d).await?.is_none()
    {
        problems.add(
            "department_id",
            ErrorCode::UnknownDepartment,
            "there is no such department",
        );
    }
    if let Some(Some(code)) = &discipline
        && db::disciplines::get(tx, code).await?.is_none()
    {
        problems.add(
            "discipline",
            ErrorCode::UnknownDiscipline,
            format!("{code:?} is not in the discipline catalog"),
        );
    }
    check_preceptor(
        &mut problems,
        is_preceptor,
        discipline.as_ref().map(|d| d.as_deref()),
        max_students,
    );
    problems.into_result()?;
    Ok(Staff {
        affected_placements: None,
        id: current.map_or_else(new_id, |c| c.id.clone()),
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        department_id: department_id.unwrap_or_default(),
        discipline: discipline.flatten(),
        credential: credential.flatten(),
        license_number: license_number.flatten(),
        license_expires_on: license_expires_on.flatten(),
        is_preceptor: is_preceptor.unwrap_or_default(),
        max_students: max_students.unwrap_or_default(),
        leave: leave.unwrap_or_default(),
    })
}

/// Records a staff member (office only). Errors: 403, 422 with every problem.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_staff(
    st: &AppState,
    p: &Principal,
    input: Parsed<StaffFields>,
) -> AppResult<Staff> {
    p.authorize(Resource::Staff, Action::Write)?;
    let mut tx = st.db.write().await?;
    let s = merge(&mut tx, input, None).await?;
    db::staff::insert(&mut tx, &s).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "staff",
        &s.id,
        None::<&()>,
        Some(&s),
    )
    .await?;
    tx.commit().await?;
    Ok(s)
}

/// Changes the fields given. Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), staff_id = %id))]
pub async fn update_staff(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<StaffFields>,
) -> AppResult<Staff> {
    let preview = input.preview_risks;
    p.authorize(Resource::Staff, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::staff::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut s = merge(&mut tx, input, Some(&current)).await?;
    db::staff::update(&mut tx, &s).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "staff",
        id,
        Some(&current),
        Some(&s),
    )
    .await?;
    let affected = super::risks::review(
        &mut tx,
        db::placements::DependsOn::Preceptor(id),
        st.clock.now(),
    )
    .await?;
    super::risks::confirm_first(&mut tx, preview, &affected, st.clock.now()).await?;
    tx.commit().await?;
    s.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(s)
}
