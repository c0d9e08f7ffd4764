//! Who is on site on a day (issue 15 point 3): the students with a shift that day (not
//! cancelled, of a placement that is confirmed, active or completed — not proposed or
//! cancelled), by site and department, with their supervisor and hours, and whether their
//! badge and clearance are in order (derived as everywhere: `service::placements::clearance_of`,
//! `service::risks::risks_of`). The office sees every site; a department manager their
//! department. A night shift is listed on the day it starts.
use super::Principal;
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::error::AppResult;
use crate::state::AppState;
use chrono::NaiveDate;

/// One student on site.
#[derive(Clone, Debug)]
pub struct OnSite {
    pub shift_id: String,
    pub placement_id: String,
    pub date: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub kind: String,
    pub site_id: String,
    pub site_name: String,
    pub department_id: String,
    pub department_name: String,
    pub student_id: Option<String>,
    pub student_name: String,
    pub supervisor_name: Option<String>,
    /// cleared, pending or blocked
    pub clearance: String,
    /// Requirement codes not verified yet.
    pub missing: Vec<String>,
    /// The badge is not among the missing requirements.
    pub badge_in_order: bool,
    /// Risk codes (agreement, accreditation, enrollment, licence, leave, capacity...).
    pub risks: Vec<String>,
}

impl OnSite {
    /// Not cleared, badge missing or at risk: the row is marked.
    pub fn needs_attention(&self) -> bool {
        self.clearance != "cleared" || !self.badge_in_order || !self.risks.is_empty()
    }
}

/// Narrowing of the list (within the caller's scope).
#[derive(Clone, Debug, Default)]
pub struct OnSiteFilter {
    pub site_id: Option<String>,
    pub department_id: Option<String>,
}

#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), date = %date))]
pub async fn on_site(
    st: &AppState,
    p: &Principal,
    date: NaiveDate,
    f: OnSiteFilter,
) -> AppResult<Vec<OnSite>> {
    let scope = p.authorize(Resource::OnSite, Action::Read)?;
    let mut tx = st.db.read().await?;
    let shifts = db::shifts::list(
        &mut tx,
        &scope,
        &db::shifts::Filter {
            from: Some(date),
            to: Some(date),
            site_id: f.site_id,
            department_id: f.department_id,
            only_confirmed_placements: true,
            ..Default::default()
        },
    )
    .await?;
    let today = st.clock.today();
    let mut out = Vec::with_capacity(shifts.len());
    for s in shifts {
        // A seat whose student is not named yet brings nobody.
        let Some(student_id) = s.student_id.clone() else {
            continue;
        };
        let Some(row) = db::placements::get(&mut tx, &s.placement_id).await? else {
            continue;
        };
        let clearance = super::placements::clearance_of(&mut tx, &row, today).await?;
        let risks = super::risks::risks_of(&mut tx, &row).await?;
        out.push(OnSite {
            shift_id: s.id,
            placement_id: s.placement_id,
            date: s.date,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            kind: s.kind,
            site_id: s.site_id,
            site_name: s.site_name,
            department_id: s.department_id,
            department_name: s.department_name,
            student_id: Some(student_id),
            student_name: s.student_name.unwrap_or_default(),
            supervisor_name: s.supervisor_name,
            badge_in_order: !clearance.missing.iter().any(|m| m == "badge"),
            clearance: clearance.status,
            missing: clearance.missing,
            risks: risks.iter().map(|r| r.code.as_str().to_string()).collect(),
        });
    }
    out.sort_by(|a, b| {
        (
            &a.site_name,
            &a.department_name,
            &a.starts_at,
            &a.student_name,
        )
            .cmp(&(
                &b.site_name,
                &b.department_name,
                &b.starts_at,
                &b.student_name,
            ))
    });
    Ok(out)
}
