//! Onboarding as the API answers it: requirement rules, documents and each student's checklist.
use crate::db;
use crate::domain::requirements as rules;
use crate::service::onboarding as service;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// How long evidence stays valid.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Validity {
    /// Once done, always valid (MMR titer).
    Once,
    Days(u32),
    Months(u32),
    Years(u32),
    /// To the expiry date on the evidence (BLS card, insurance certificate).
    UntilExpiry,
    /// To 31 March after an autumn dose; only placements touching October–March need it.
    FluSeason,
    /// Done for each placement (confidentiality agreement, orientation, badge).
    PerPlacement,
    /// Completed within N days before the placement starts (TB at some sites).
    WithinDaysBeforeStart(u32),
}

impl From<rules::Validity> for Validity {
    fn from(v: rules::Validity) -> Self {
        match v {
            rules::Validity::Once => Validity::Once,
            rules::Validity::Days(n) => Validity::Days(n),
            rules::Validity::Months(n) => Validity::Months(n),
            rules::Validity::Years(n) => Validity::Years(n),
            rules::Validity::UntilExpiry => Validity::UntilExpiry,
            rules::Validity::FluSeason => Validity::FluSeason,
            rules::Validity::PerPlacement => Validity::PerPlacement,
            rules::Validity::WithinDaysBeforeStart(n) => Validity::WithinDaysBeforeStart(n),
        }
    }
}

/// Which placements a requirement applies to. Empty lists mean "all"; exemptions win.
#[derive(Serialize, ToSchema)]
pub struct AppliesTo {
    /// clinical, internship, observership
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub disciplines: Vec<String>,
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub exempt_disciplines: Vec<String>,
    #[serde(default)]
    pub exempt_departments: Vec<String>,
}

impl From<rules::AppliesTo> for AppliesTo {
    fn from(a: rules::AppliesTo) -> Self {
        AppliesTo {
            kinds: a.kinds,
            disciplines: a.disciplines,
            sites: a.sites,
            departments: a.departments,
            exempt_disciplines: a.exempt_disciplines,
            exempt_departments: a.exempt_departments,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Requirement {
    pub id: String,
    pub code: String,
    pub name: String,
    /// immunization, test, certification, background, training, attestation, provisioning
    pub category: String,
    /// student_upload, school_attestation, office_action, signed_in_system
    pub satisfied_by: String,
    pub validity: Validity,
    pub applies_to: AppliesTo,
    pub active: bool,
}

impl From<db::requirements::Requirement> for Requirement {
    fn from(r: db::requirements::Requirement) -> Self {
        Requirement {
            id: r.id,
            code: r.code,
            name: r.name,
            category: r.category,
            satisfied_by: r.satisfied_by,
            validity: r.validity.into(),
            applies_to: r.applies_to.into(),
            active: r.active,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Document {
    pub id: String,
    pub student_id: String,
    pub requirement_code: String,
    pub placement_id: Option<String>,
    pub completed_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    /// submitted, verified, rejected
    pub status: String,
    /// upload, attestation, signature, office
    pub source: String,
    pub file_name: Option<String>,
    pub file_mime: Option<String>,
    pub file_size: Option<i64>,
    pub submitted_by: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: Option<String>,
    pub signer_name: Option<String>,
    /// For a signature in the system: the version of the agreement's text that was signed
    /// (`GET /api/v1/requirements/{code}/text?version=`).
    pub signed_text_version: Option<i64>,
}

impl From<db::documents::Document> for Document {
    fn from(d: db::documents::Document) -> Self {
        Document {
            id: d.id,
            student_id: d.student_id,
            requirement_code: d.requirement_code,
            placement_id: d.placement_id,
            completed_on: d.completed_on,
            expires_on: d.expires_on,
            status: d.status,
            source: d.source,
            file_name: d.file_name,
            file_mime: d.file_mime,
            file_size: d.file_size,
            submitted_by: d.submitted_by,
            submitted_at: d.submitted_at,
            reviewed_by: d.reviewed_by,
            reviewed_at: d.reviewed_at,
            review_note: d.review_note,
            signer_name: d.signer_name,
            signed_text_version: d.signed_text_version,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChecklistItem {
    pub requirement_code: String,
    pub name: String,
    pub category: String,
    pub satisfied_by: String,
    /// missing, submitted, verified, rejected, expired, expires_during_placement
    pub state: String,
    /// The last day the best verified evidence is valid, if it lapses.
    pub lapses_on: Option<NaiveDate>,
    /// The placements this item applies to (its state is the worst among them).
    pub placement_ids: Vec<String>,
}

impl From<service::ChecklistItem> for ChecklistItem {
    fn from(c: service::ChecklistItem) -> Self {
        ChecklistItem {
            requirement_code: c.requirement_code,
            name: c.name,
            category: c.category,
            satisfied_by: c.satisfied_by,
            state: c.state,
            lapses_on: c.lapses_on,
            placement_ids: c.placement_ids,
        }
    }
}

/// One read of a student's record by someone other than the student (the disclosure log).
#[derive(Serialize, ToSchema)]
pub struct Disclosure {
    pub id: String,
    pub student_id: String,
    /// Who read it: their user id, and their name and role at the time.
    pub viewer_user_id: String,
    pub viewer_name: String,
    pub viewer_role: String,
    /// `record`, `documents`, `checklist`, `document`, `file`, `export` or `evaluation`.
    pub what: String,
    /// The document read, for `document` and `file`; the evaluation, for `evaluation`.
    pub record_id: Option<String>,
    /// The placement that gave a supervisor or host access.
    pub placement_id: Option<String>,
    /// Why they could read it, in words.
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl From<db::disclosures::Disclosure> for Disclosure {
    fn from(d: db::disclosures::Disclosure) -> Self {
        Disclosure {
            id: d.id,
            student_id: d.student_id,
            viewer_user_id: d.viewer_user_id,
            viewer_name: d.viewer_name,
            viewer_role: d.viewer_role,
            what: d.what,
            record_id: d.record_id,
            placement_id: d.placement_id,
            reason: d.reason,
            at: d.at,
        }
    }
}
