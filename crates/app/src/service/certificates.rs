//! Certificates of completion (issue 16 point 5): issued when a placement is completed, in the
//! same transaction; the student, their school and the office read it as a PDF, and the office
//! looks one up by its id (a school or an employer asking whether a certificate is genuine).
use super::Principal;
use super::principal::ensure;
use crate::db::{self, Tx, placements::PlacementRow};
use crate::domain::period::human_date;
use crate::domain::policy::{Action, Resource};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A certificate's words as issued.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Certificate {
    pub id: String,
    pub placement_id: String,
    pub issued_at: DateTime<Utc>,
    /// The organisation named in the settings.
    pub organisation: String,
    pub student: String,
    pub program: String,
    pub school: String,
    pub site: String,
    pub department: String,
    pub supervisor: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Approved hours, in minutes.
    pub approved_minutes: i64,
}

/// Issues the certificate of a placement being completed (inside the transition's
/// transaction), with the names as they are today; the demo's completions call it too.
pub(crate) async fn issue(
    tx: &mut Tx,
    row: &PlacementRow,
    approved_minutes: i64,
    now: DateTime<Utc>,
) -> AppResult<Certificate> {
    let student = match &row.student_id {
        Some(s) => db::students::name_for_message(tx, s).await?,
        None => String::new(),
    };
    let program = db::programs::get(tx, &row.program_id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let school = db::schools::get(tx, &row.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    let dept = db::departments::get(tx, &row.department_id).await?;
    let site = match &dept {
        Some(d) => db::sites::get(tx, &d.site_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let supervisor = match (&row.preceptor_id, &row.faculty_user_id) {
        (Some(id), _) => db::staff::get(tx, id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default(),
        (None, Some(u)) => db::users::get(tx, u)
            .await?
            .map(|u| u.name)
            .unwrap_or_default(),
        _ => String::new(),
    };
    let organisation = db::settings::get(tx).await?.organisation_name;
    let c = Certificate {
        id: db::new_id(),
        placement_id: row.id.clone(),
        issued_at: now,
        organisation,
        student,
        program,
        school,
        site,
        department: dept.map(|d| d.name).unwrap_or_default(),
        supervisor,
        kind: row.kind.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        approved_minutes,
    };
    db::certificates::insert(
        tx,
        &db::certificates::CertificateRow {
            id: c.id.clone(),
            placement_id: c.placement_id.clone(),
            issued_at: now,
            details_json: serde_json::to_string(&c).map_err(|e| AppError::Internal(e.into()))?,
        },
    )
    .await?;
    Ok(c)
}

fn read(row: db::certificates::CertificateRow) -> AppResult<Certificate> {
    serde_json::from_str(&row.details_json).map_err(|e| AppError::Internal(e.into()))
}

/// The certificate of a completed placement the caller sees (the student, their school, the
/// office, the supervisors); 404 when there is none (not completed) or outside the scope.
pub async fn of_placement(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<Certificate> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_placement(&row.parties()))?;
    let c = db::certificates::of_placement(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    read(c)
}

/// Whether a completed placement's certificate was issued, for a page that links it (one the
/// caller already sees): a placement completed before certificates existed (migration 0024)
/// has none.
pub async fn is_issued(st: &AppState, placement_id: &str) -> AppResult<bool> {
    let mut tx = st.db.read().await?;
    Ok(db::certificates::of_placement(&mut tx, placement_id)
        .await?
        .is_some())
}

/// A certificate by its id, for the office (is it genuine?); 404 when there is none.
pub async fn look_up(st: &AppState, p: &Principal, id: &str) -> AppResult<Certificate> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    if !scope.is_all() {
        return Err(AppError::NotFound);
    }
    let mut tx = st.db.read().await?;
    read(
        db::certificates::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?,
    )
}

/// The certificate as a PDF (through `crate::pdf`).
pub fn pdf(c: &Certificate) -> Vec<u8> {
    let kind = if c.kind == "internship" {
        "internship"
    } else {
        "clinical placement"
    };
    let mut d = crate::pdf::Document::new("Certificate of completion");
    d.paragraph(format!(
        "{} certifies that {} completed a {kind} from {} to {}.",
        c.organisation,
        c.student,
        human_date(c.starts_on),
        human_date(c.ends_on)
    ));
    d.key_values(vec![
        ("Student".into(), c.student.clone()),
        ("Program".into(), c.program.clone()),
        ("School".into(), c.school.clone()),
        ("Site".into(), c.site.clone()),
        ("Department".into(), c.department.clone()),
        ("Supervisor".into(), c.supervisor.clone()),
        (
            "Dates".into(),
            format!("{} – {}", human_date(c.starts_on), human_date(c.ends_on)),
        ),
        (
            "Approved hours".into(),
            crate::domain::hours::hours_text(c.approved_minutes),
        ),
        ("Issued".into(), human_date(c.issued_at.date_naive())),
        ("Issued by".into(), c.organisation.clone()),
        ("Certificate id".into(), c.id.clone()),
    ]);
    d.paragraph(format!(
        "The education office of {} can confirm this certificate by its id.",
        c.organisation
    ));
    d.to_pdf()
}
