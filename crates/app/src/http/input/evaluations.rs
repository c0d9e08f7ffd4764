//! Evaluation forms and evaluations, read into the typed inputs of `service::evaluations` and
//! `service::evaluation_templates`, every field problem at once. The pages' forms use the same
//! readers (a template page posts its sections as JSON text).
use crate::domain::ErrorCode;
use crate::domain::evaluation::{Answer, Answers, Form, KINDS, Point};
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::Parsed;
use crate::service::evaluation_templates::TemplateFields;
use crate::service::evaluations::{EvaluationChange, NewEvaluation};
use serde_json::{Map, Value};

type R<T> = Result<T, (ErrorCode, String)>;

fn kind(v: &Value) -> R<String> {
    match v.as_str() {
        Some(s) if KINDS.contains(&s) => Ok(s.to_string()),
        _ => Err((
            ErrorCode::InvalidChoice,
            "must be one of: clinical, internship".into(),
        )),
    }
}

fn point(v: &Value) -> R<Point> {
    v.as_str().and_then(Point::parse).ok_or((
        ErrorCode::InvalidChoice,
        format!("must be one of: {}", Point::WORDS),
    ))
}

fn answers(v: &Value) -> R<Answers> {
    match v {
        Value::Object(m) => Ok(m
            .iter()
            .map(|(k, v)| (k.clone(), Answer::from(v.clone())))
            .collect()),
        _ => Err((
            ErrorCode::InvalidType,
            "must be an object of answers by item key".into(),
        )),
    }
}

/// Longer text than `parse::text` allows: comments of up to 5000 characters.
fn comment(v: &Value) -> R<String> {
    match v {
        Value::String(s) if s.chars().count() > 5000 => {
            Err((ErrorCode::TooLong, "is longer than 5000 characters".into()))
        }
        Value::String(s) if s.contains('\0') => Err((
            ErrorCode::InvalidCharacters,
            "may not contain control characters".into(),
        )),
        Value::String(s) if s.trim().is_empty() => {
            Err((ErrorCode::Required, "may not be empty".into()))
        }
        Value::String(s) => Ok(s.trim().to_string()),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    }
}

body! {
    /// An evaluation form. `sections`: `[ { title, items: [ { key, label, type: scale |
    /// competency | yes_no | text, required?, anchors?: [ { value, label } ] } ] } ]`.
    pub struct TemplateInput {
        name: String,
        /// clinical, internship
        kind: String,
        /// A discipline code: the form for that discipline only; null or absent: every one.
        discipline: Option<String>,
        /// midterm, final, site
        point: String,
        sections: Vec<crate::http::api::schema::FormSection>,
    }
}

/// POST (`creating`: every field but the discipline required) and PATCH (a field left out
/// keeps its value) of a template. Every problem of the sections is named by its path.
pub fn template(body: Map<String, Value>, creating: bool) -> Parsed<TemplateFields> {
    let (mut i, b) = Input::read::<TemplateInput>(body);
    let name = i.field(&b.name, creating, &parse::text);
    let kind = i.field(&b.kind, creating, &kind);
    let discipline = if creating {
        i.opt(&b.discipline, None, &parse::text)
    } else {
        i.optional(&b.discipline, &parse::text)
    };
    let point = i.field(&b.point, creating, &point);
    let mut form: Option<Form> = None;
    match b.sections.raw() {
        None if creating => i
            .problems
            .add("sections", ErrorCode::Required, "sections is required"),
        None => {}
        Some(v) => match super::evaluation_form::parse_form(v, "sections") {
            Ok(f) => form = Some(f),
            Err(p) => i.problems.0.extend(p.0),
        },
    }
    i.into_parsed(TemplateFields {
        name,
        kind,
        discipline: if creating {
            Some(discipline.flatten())
        } else {
            discipline
        },
        point,
        form,
    })
}

body! {
    pub struct NewEvaluationInput {
        /// midterm, final (the supervisor), site (the student)
        point: String,
        /// Answers by item key: a scale's value, met | not_met | not_observed, true/false, text.
        answers: Option<std::collections::HashMap<String, serde_json::Value>>,
        /// Only the site mentor writes it (PATCH).
        mentor_comment: Option<String>,
    }
}

pub fn new_evaluation(body: Map<String, Value>) -> Parsed<NewEvaluation> {
    let (mut i, b) = Input::read::<NewEvaluationInput>(body);
    let point = i.req(&b.point, None, &point);
    let answers = i.opt(&b.answers, None, &answers);
    let mentor_comment = i.opt(&b.mentor_comment, None, &comment);
    i.into_parsed(NewEvaluation {
        point,
        answers: answers.flatten(),
        mentor_comment: mentor_comment.flatten(),
    })
}

body! {
    pub struct EvaluationChangeInput {
        /// Answers to change, by item key (null clears one); the others are kept.
        answers: Option<std::collections::HashMap<String, serde_json::Value>>,
        /// An internship's site mentor's input (the site mentor only); null clears it.
        mentor_comment: Option<String>,
    }
}

pub fn evaluation_change(body: Map<String, Value>) -> Parsed<EvaluationChange> {
    let (mut i, b) = Input::read::<EvaluationChangeInput>(body);
    let answers = i.opt(&b.answers, None, &answers);
    let mentor_comment = i.optional(&b.mentor_comment, &comment);
    i.into_parsed(EvaluationChange {
        answers: answers.flatten(),
        mentor_comment,
        reason: None,
    })
}

body! {
    pub struct CorrectionInput {
        /// Why the signed evaluation is corrected (required).
        reason: String,
        /// The answers that change, by item key; the others are kept.
        answers: Option<std::collections::HashMap<String, serde_json::Value>>,
    }
}

pub fn correction(body: Map<String, Value>) -> Parsed<EvaluationChange> {
    let (mut i, b) = Input::read::<CorrectionInput>(body);
    let reason = match b.reason.raw() {
        None | Some(Value::Null) => {
            i.problems.add(
                "reason",
                ErrorCode::ReasonRequired,
                "say why the evaluation is corrected",
            );
            None
        }
        Some(_) => i.req(&b.reason, None, &comment),
    };
    let answers = i.opt(&b.answers, None, &answers);
    i.into_parsed(EvaluationChange {
        answers: answers.flatten(),
        mentor_comment: None,
        reason,
    })
}

body! {
    pub struct AcknowledgementInput {
        /// The student's comment (optional): acknowledging is not agreeing.
        comment: Option<String>,
    }
}

pub fn acknowledgement(body: Map<String, Value>) -> Parsed<Option<String>> {
    let (mut i, b) = Input::read::<AcknowledgementInput>(body);
    let c = i.opt(&b.comment, None, &comment);
    i.into_parsed(c.flatten())
}
