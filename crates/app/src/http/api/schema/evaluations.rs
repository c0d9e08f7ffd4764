//! Evaluation forms, evaluations and the site evaluations' aggregates as the API answers them
//! (issue 16 points 1-3).
use crate::db::evaluations::{TemplateRow, VersionRow};
use crate::domain::evaluation::{ItemFigures, Urgency};
use crate::service::evaluation_templates::SiteGroup;
use crate::service::evaluations::{Evaluation as EvaluationRecord, Part, Slot};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// One version of an evaluation form.
#[derive(Serialize, ToSchema)]
pub struct EvaluationTemplate {
    pub id: String,
    /// The same for every version of one form.
    pub family_id: String,
    pub version: i64,
    pub name: String,
    /// clinical, internship
    pub kind: String,
    /// A discipline code, or null: every discipline of the kind.
    pub discipline: Option<String>,
    /// midterm, final, site
    pub point: String,
    /// false once a later version replaced it (evaluations filled on it keep it).
    pub is_current: bool,
    /// `[ { title, items: [ { key, label, type, required, anchors? } ] } ]`
    #[schema(value_type = Vec<FormSection>)]
    pub sections: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TemplateRow> for EvaluationTemplate {
    fn from(t: TemplateRow) -> Self {
        let sections = serde_json::to_value(t.form().sections).unwrap_or(Value::Array(vec![]));
        EvaluationTemplate {
            id: t.id,
            family_id: t.family_id,
            version: t.version,
            name: t.name,
            kind: t.kind,
            discipline: t.discipline,
            point: t.point,
            is_current: t.is_current,
            sections,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

fn urgency_word(u: Urgency) -> &'static str {
    match u {
        Urgency::NotYet => "not_yet",
        Urgency::Due => "due",
        Urgency::Late => "late",
    }
}

fn part_word(p: Part) -> &'static str {
    match p {
        Part::Author => "author",
        Part::SiteMentor => "site_mentor",
        Part::Subject => "subject",
        Part::Reader => "reader",
        Part::Stranger => "none",
    }
}

/// One evaluation a placement owes or has.
#[derive(Serialize, ToSchema)]
pub struct EvaluationSlot {
    /// null until it is started, or while the caller may not open it (a draft, for the student
    /// and the school).
    pub id: Option<String>,
    pub placement_id: String,
    /// midterm, final, site
    pub point: String,
    pub due_on: NaiveDate,
    /// not_started, draft, signed, acknowledged
    pub status: String,
    /// not_yet, due, late while unsigned on a placement that owes it; null otherwise.
    pub urgency: Option<String>,
    pub version: Option<i64>,
    /// What the caller is to it: author (fills and signs), site_mentor (comments), subject
    /// (the student: acknowledges), reader.
    pub role: String,
    pub student_name: Option<String>,
    /// The form it is (or will be) filled on.
    pub template_id: Option<String>,
}

impl From<Slot> for EvaluationSlot {
    fn from(s: Slot) -> Self {
        EvaluationSlot {
            id: s.id,
            placement_id: s.placement_id,
            point: s.point.as_str().into(),
            due_on: s.due_on,
            status: s.status.into(),
            urgency: s.urgency.map(|u| urgency_word(u).into()),
            version: s.version,
            role: part_word(s.part).into(),
            student_name: s.student_name,
            template_id: s.template_id,
        }
    }
}

/// A version a correction replaced.
#[derive(Serialize, ToSchema)]
pub struct EvaluationVersion {
    pub version: i64,
    pub template_id: String,
    #[schema(value_type = Object)]
    pub answers: Value,
    pub mentor_comment: Option<String>,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub student_comment: Option<String>,
    pub correction_reason: Option<String>,
    pub replaced_at: DateTime<Utc>,
}

impl From<VersionRow> for EvaluationVersion {
    fn from(v: VersionRow) -> Self {
        EvaluationVersion {
            version: v.version,
            template_id: v.template_id,
            answers: serde_json::from_str(&v.answers_json).unwrap_or(Value::Null),
            mentor_comment: v.mentor_comment,
            signed_by_name: v.signed_by_name,
            signed_at: v.signed_at,
            acknowledged_at: v.acknowledged_at,
            student_comment: v.student_comment,
            correction_reason: v.correction_reason,
            replaced_at: v.replaced_at,
        }
    }
}

/// An evaluation: its current version, its form, and the versions corrections replaced.
#[derive(Serialize, ToSchema)]
pub struct Evaluation {
    pub id: String,
    pub placement_id: String,
    /// midterm, final, site
    pub point: String,
    /// draft, signed, acknowledged
    pub status: String,
    pub version: i64,
    pub due_on: NaiveDate,
    pub student_name: String,
    pub template: EvaluationTemplate,
    /// By item key.
    #[schema(value_type = Object)]
    pub answers: Value,
    pub mentor_comment: Option<String>,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub student_comment: Option<String>,
    /// Why this version replaced the one before.
    pub correction_reason: Option<String>,
    pub history: Vec<EvaluationVersion>,
}

impl From<EvaluationRecord> for Evaluation {
    fn from(e: EvaluationRecord) -> Self {
        let status = if !e.row.is_signed() {
            "draft"
        } else if e.row.acknowledged_at.is_some() {
            "acknowledged"
        } else {
            "signed"
        };
        Evaluation {
            id: e.row.id.clone(),
            placement_id: e.row.placement_id.clone(),
            point: e.point.as_str().into(),
            status: status.into(),
            version: e.row.version,
            due_on: e.due_on,
            student_name: e.student_name,
            answers: serde_json::to_value(e.row.answers()).unwrap_or(Value::Null),
            template: e.template.into(),
            mentor_comment: e.row.mentor_comment,
            signed_by_name: e.row.signed_by_name,
            signed_at: e.row.signed_at,
            acknowledged_at: e.row.acknowledged_at,
            student_comment: e.row.student_comment,
            correction_reason: e.row.correction_reason,
            history: e.history.into_iter().map(Into::into).collect(),
        }
    }
}

/// One item's figures in a group.
#[derive(Serialize, ToSchema)]
pub struct SiteItemFigures {
    pub key: String,
    pub label: String,
    pub answered: usize,
    /// A scale's mean.
    pub mean: Option<f64>,
    /// A yes/no item's yes count; a competency's met count.
    pub yes: Option<usize>,
}

impl From<ItemFigures> for SiteItemFigures {
    fn from(f: ItemFigures) -> Self {
        SiteItemFigures {
            key: f.key,
            label: f.label,
            answered: f.answered,
            mean: f.mean,
            yes: f.yes,
        }
    }
}

/// A department's or a supervisor's site evaluations, summed up.
#[derive(Serialize, ToSchema)]
pub struct SiteEvaluationGroup {
    pub id: Option<String>,
    pub name: String,
    /// true under 3 responses: then nothing else is told, not even how many.
    pub withheld: bool,
    pub responses: Option<usize>,
    pub items: Vec<SiteItemFigures>,
}

impl From<SiteGroup> for SiteEvaluationGroup {
    fn from(g: SiteGroup) -> Self {
        SiteEvaluationGroup {
            id: g.id,
            name: g.name,
            withheld: g.aggregate.withheld,
            responses: g.aggregate.responses,
            items: g.aggregate.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SiteEvaluationReport {
    /// The fewest responses a group's figures are shown for.
    pub min_responses: usize,
    pub by_department: Vec<SiteEvaluationGroup>,
    /// By preceptor (a clinical) or site mentor (an internship).
    pub by_supervisor: Vec<SiteEvaluationGroup>,
}

/// A section of a form, as a template is written.
#[derive(Serialize, ToSchema)]
pub struct FormSection {
    pub title: String,
    pub items: Vec<FormItem>,
}

/// An item of a form.
#[derive(Serialize, ToSchema)]
pub struct FormItem {
    /// Lowercase letters, digits and _; unique in the form; answers are keyed by it.
    pub key: String,
    pub label: String,
    /// scale, competency (met, not_met, not_observed), yes_no, text
    #[serde(rename = "type")]
    pub item_type: String,
    /// Whether signing needs an answer (default false).
    pub required: Option<bool>,
    /// A scale's steps, values rising, at least two.
    pub anchors: Option<Vec<FormAnchor>>,
}

/// A step of a scale: 1 "unsafe" .. 5 "independent".
#[derive(Serialize, ToSchema)]
pub struct FormAnchor {
    pub value: i64,
    pub label: String,
}
