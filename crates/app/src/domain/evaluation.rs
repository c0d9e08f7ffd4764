//! Evaluations (issue 16 points 1-3): forms as data, their answers, when each is due, who
//! fills it, and the site evaluations' aggregates of at least three. Pure: no SQL, no HTTP.
use super::{ErrorCode, Problems};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// When in a placement a form is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Point {
    /// By the supervisor, due at the placement's midpoint.
    Midterm,
    /// By the supervisor, due on the last day.
    Final,
    /// The student's evaluation of the site and the supervisor, due on the last day.
    Site,
}

impl Point {
    pub const ALL: [Point; 3] = [Point::Midterm, Point::Final, Point::Site];
    pub const WORDS: &'static str = "midterm, final, site";

    pub fn as_str(self) -> &'static str {
        match self {
            Point::Midterm => "midterm",
            Point::Final => "final",
            Point::Site => "site",
        }
    }

    pub fn parse(s: &str) -> Option<Point> {
        Point::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The words a page or a PDF shows.
    pub fn label(self) -> &'static str {
        match self {
            Point::Midterm => "Midterm evaluation",
            Point::Final => "Final evaluation",
            Point::Site => "Evaluation of the site and supervisor",
        }
    }

    /// Whether the student fills it (about the site) rather than the supervisor (about them).
    pub fn by_student(self) -> bool {
        self == Point::Site
    }
}

/// A placement's kind, as templates name it.
pub const KINDS: [&str; 2] = ["clinical", "internship"];

/// How an item is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// A number among the anchors' values (1 "unsafe" .. 5 "independent").
    Scale,
    /// A competency: `met`, `not_met` or `not_observed`.
    Competency,
    /// true or false.
    YesNo,
    /// Free text.
    Text,
}

impl ItemType {
    pub const WORDS: &'static str = "scale, competency, yes_no, text";

    pub fn parse(s: &str) -> Option<ItemType> {
        match s {
            "scale" => Some(ItemType::Scale),
            "competency" => Some(ItemType::Competency),
            "yes_no" => Some(ItemType::YesNo),
            "text" => Some(ItemType::Text),
            _ => None,
        }
    }
}

/// A competency's answers.
pub const COMPETENCY: [(&str, &str); 3] = [
    ("met", "Met"),
    ("not_met", "Not met"),
    ("not_observed", "Not observed"),
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub value: i64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable within the template (and across its versions): answers and aggregates use it.
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub item_type: ItemType,
    pub required: bool,
    /// For a scale: its values with their words, lowest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<Anchor>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub items: Vec<Item>,
}

/// The form itself: what a template version holds (stored as JSON).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub sections: Vec<Section>,
}

impl Form {
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.sections.iter().flat_map(|s| s.items.iter())
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items().find(|i| i.key == key)
    }
}

fn text_at(
    problems: &mut Problems,
    obj: &Map<String, Value>,
    field: &str,
    path: &str,
) -> Option<String> {
    match obj.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= 500 => {
            Some(s.trim().to_string())
        }
        Some(Value::String(s)) if !s.trim().is_empty() => {
            problems.add(
                &format!("{path}.{field}"),
                ErrorCode::TooLong,
                "is longer than 500 characters",
            );
            None
        }
        _ => {
            problems.add(
                &format!("{path}.{field}"),
                ErrorCode::Required,
                format!("{field} is required (text)"),
            );
            None
        }
    }
}

fn unknown_keys(problems: &mut Problems, obj: &Map<String, Value>, known: &[&str], path: &str) {
    for k in obj.keys().filter(|k| !known.contains(&k.as_str())) {
        problems.add(
            &format!("{path}.{k}"),
            ErrorCode::UnknownField,
            format!("{k} is not a field here"),
        );
    }
}

/// A key as answers name it: lowercase letters, digits and `_`, starting with a letter.
fn is_key(s: &str) -> bool {
    s.len() <= 60
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Reads `sections` (the JSON a client or the template page sent) into a form, reporting
/// every problem at once with its path (`sections[0].items[2].anchors`).
pub fn parse_form(value: &Value, field: &str) -> Result<Form, Problems> {
    let mut problems = Problems::default();
    let Value::Array(raw_sections) = value else {
        problems.add(field, ErrorCode::InvalidType, "must be a list of sections");
        return Err(problems);
    };
    if raw_sections.is_empty() {
        problems.add(
            field,
            ErrorCode::InvalidTemplate,
            "a form needs at least one section",
        );
    }
    let mut keys = HashSet::new();
    let mut sections = Vec::new();
    for (si, raw) in raw_sections.iter().enumerate() {
        let path = format!("{field}[{si}]");
        let Value::Object(s) = raw else {
            problems.add(
                &path,
                ErrorCode::InvalidType,
                "a section is an object { title, items }",
            );
            continue;
        };
        unknown_keys(&mut problems, s, &["title", "items"], &path);
        let title = text_at(&mut problems, s, "title", &path);
        let mut items = Vec::new();
        match s.get("items") {
            Some(Value::Array(raw_items)) if !raw_items.is_empty() => {
                for (ii, raw) in raw_items.iter().enumerate() {
                    let ipath = format!("{path}.items[{ii}]");
                    if let Some(item) = parse_item(&mut problems, raw, &ipath, &mut keys) {
                        items.push(item);
                    }
                }
            }
            _ => problems.add(
                &format!("{path}.items"),
                ErrorCode::InvalidTemplate,
                "a section needs at least one item",
            ),
        }
        if let Some(title) = title {
            sections.push(Section { title, items });
        }
    }
    problems.into_result()?;
    Ok(Form { sections })
}

fn parse_item(
    problems: &mut Problems,
    raw: &Value,
    path: &str,
    keys: &mut HashSet<String>,
) -> Option<Item> {
    let Value::Object(o) = raw else {
        problems.add(
            path,
            ErrorCode::InvalidType,
            "an item is an object { key, label, type, required, anchors? }",
        );
        return None;
    };
    unknown_keys(
        problems,
        o,
        &["key", "label", "type", "required", "anchors"],
        path,
    );
    let key = match o.get("key") {
        Some(Value::String(k)) if is_key(k) => {
            if !keys.insert(k.clone()) {
                problems.add(
                    &format!("{path}.key"),
                    ErrorCode::DuplicateItemKey,
                    format!("{k:?} names another item of this form"),
                );
            }
            Some(k.clone())
        }
        _ => {
            problems.add(
                &format!("{path}.key"),
                ErrorCode::InvalidCode,
                "key is required: lowercase letters, digits and _, starting with a letter",
            );
            None
        }
    };
    let label = text_at(problems, o, "label", path);
    let item_type = match o
        .get("type")
        .and_then(Value::as_str)
        .and_then(ItemType::parse)
    {
        Some(t) => Some(t),
        None => {
            problems.add(
                &format!("{path}.type"),
                ErrorCode::InvalidChoice,
                format!("type must be one of: {}", ItemType::WORDS),
            );
            None
        }
    };
    let required = match o.get("required") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            problems.add(
                &format!("{path}.required"),
                ErrorCode::InvalidBoolean,
                "must be true or false",
            );
            false
        }
    };
    let anchors = parse_anchors(problems, o.get("anchors"), item_type, path);
    Some(Item {
        key: key?,
        label: label?,
        item_type: item_type?,
        required,
        anchors: anchors?,
    })
}

fn parse_anchors(
    problems: &mut Problems,
    raw: Option<&Value>,
    item_type: Option<ItemType>,
    path: &str,
) -> Option<Vec<Anchor>> {
    let field = format!("{path}.anchors");
    if item_type != Some(ItemType::Scale) {
        if raw.is_some_and(|v| !v.is_null()) && item_type.is_some() {
            problems.add(
                &field,
                ErrorCode::InvalidTemplate,
                "only a scale has anchors",
            );
            return None;
        }
        return Some(vec![]);
    }
    let Some(Value::Array(list)) = raw else {
        problems.add(
            &field,
            ErrorCode::InvalidTemplate,
            "a scale needs anchors: [ { value, label } ], at least two",
        );
        return None;
    };
    let mut anchors = Vec::new();
    let mut ok = true;
    for (i, a) in list.iter().enumerate() {
        let value = a.get("value").and_then(Value::as_i64);
        let label = a
            .get("label")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|l| !l.is_empty() && l.chars().count() <= 100);
        match (value, label) {
            (Some(value), Some(label)) if (0..=100).contains(&value) => anchors.push(Anchor {
                value,
                label: label.to_string(),
            }),
            _ => {
                ok = false;
                problems.add(
                    &format!("{field}[{i}]"),
                    ErrorCode::InvalidTemplate,
                    "an anchor is { value: a whole number 0-100, label: text }",
                );
            }
        }
    }
    if !ok {
        return None;
    }
    if anchors.len() < 2 || anchors.windows(2).any(|w| w[0].value >= w[1].value) {
        problems.add(
            &field,
            ErrorCode::InvalidTemplate,
            "a scale needs at least two anchors, their values rising",
        );
        return None;
    }
    Some(anchors)
}

/// One answer, as stored.
pub type Answers = BTreeMap<String, Value>;

/// Checks answers against the form: every problem at once. A draft may leave required items
/// out (`complete: false`); signing needs them all.
pub fn check_answers(form: &Form, answers: &Answers, complete: bool) -> Problems {
    let mut problems = Problems::default();
    for key in answers.keys() {
        if form.item(key).is_none() {
            problems.add(
                &format!("answers.{key}"),
                ErrorCode::UnknownItem,
                format!("{key} is not an item of this form"),
            );
        }
    }
    for item in form.items() {
        let field = format!("answers.{}", item.key);
        match answers.get(&item.key) {
            None | Some(Value::Null) => {
                if complete && item.required {
                    problems.add(
                        &field,
                        ErrorCode::AnswerRequired,
                        format!("\u{201c}{}\u{201d} needs an answer", item.label),
                    );
                }
            }
            Some(v) => {
                if let Err(msg) = check_answer(item, v) {
                    problems.add(&field, ErrorCode::InvalidAnswer, msg);
                }
            }
        }
    }
    problems
}

fn check_answer(item: &Item, v: &Value) -> Result<(), String> {
    match item.item_type {
        ItemType::Scale => {
            let n = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            match n {
                Some(n) if item.anchors.iter().any(|a| a.value == n) => Ok(()),
                _ => Err(format!(
                    "must be one of: {}",
                    item.anchors
                        .iter()
                        .map(|a| a.value.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        ItemType::Competency => match v.as_str() {
            Some(s) if COMPETENCY.iter().any(|(w, _)| *w == s) => Ok(()),
            _ => Err("must be one of: met, not_met, not_observed".into()),
        },
        ItemType::YesNo => match v {
            Value::Bool(_) => Ok(()),
            _ => Err("must be true or false".into()),
        },
        ItemType::Text => match v.as_str() {
            Some(s) if s.chars().count() <= 5000 => Ok(()),
            Some(_) => Err("is longer than 5000 characters".into()),
            None => Err("must be text".into()),
        },
    }
}

/// Answers as stored: scale values as numbers, "true"/"false" from a form as booleans, empty
/// text left out.
pub fn normalize(form: &Form, answers: Answers) -> Answers {
    answers
        .into_iter()
        .filter_map(|(k, v)| {
            let v = match (form.item(&k).map(|i| i.item_type), v) {
                (_, Value::Null) => return None,
                (_, Value::String(s)) if s.trim().is_empty() => return None,
                (Some(ItemType::Scale), Value::String(s)) => match s.trim().parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => Value::String(s),
                },
                (Some(ItemType::YesNo), Value::String(s)) if s == "true" || s == "yes" => {
                    Value::Bool(true)
                }
                (Some(ItemType::YesNo), Value::String(s)) if s == "false" || s == "no" => {
                    Value::Bool(false)
                }
                (Some(ItemType::Text), Value::String(s)) => Value::String(s.trim().to_string()),
                (_, v) => v,
            };
            Some((k, v))
        })
        .collect()
}

/// An answer in words, for pages and PDFs ("4 – competent", "Yes", "Met").
pub fn answer_words(item: &Item, v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "—".into();
    };
    match item.item_type {
        ItemType::Scale => {
            let n = v.as_i64();
            match item.anchors.iter().find(|a| Some(a.value) == n) {
                Some(a) => format!("{} \u{2013} {}", a.value, a.label),
                None => v.to_string(),
            }
        }
        ItemType::Competency => COMPETENCY
            .iter()
            .find(|(w, _)| Some(*w) == v.as_str())
            .map(|(_, l)| (*l).to_string())
            .unwrap_or_default(),
        ItemType::YesNo => match v.as_bool() {
            Some(true) => "Yes".into(),
            Some(false) => "No".into(),
            None => String::new(),
        },
        ItemType::Text => v.as_str().unwrap_or_default().to_string(),
    }
}

/// The day an evaluation is due: the midterm at the placement's midpoint (the middle day,
/// the earlier of two), the final and the site evaluation on its last day.
pub fn due_on(point: Point, starts_on: NaiveDate, ends_on: NaiveDate) -> NaiveDate {
    match point {
        Point::Midterm => starts_on + Duration::days((ends_on - starts_on).num_days() / 2),
        Point::Final | Point::Site => ends_on,
    }
}

/// How long after its due day an unsigned evaluation counts as late (and is reminded again).
pub const LATE_AFTER_DAYS: i64 = 7;

/// Whether an unsigned evaluation is due (on or after its day) or late (a week past it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    NotYet,
    Due,
    Late,
}

pub fn urgency(due: NaiveDate, today: NaiveDate) -> Urgency {
    if today < due {
        Urgency::NotYet
    } else if (today - due).num_days() >= LATE_AFTER_DAYS {
        Urgency::Late
    } else {
        Urgency::Due
    }
}

/// How long after its due day an unsigned evaluation is still reminded: a month. Past it the
/// evaluation stays late on every page, but nobody is e-mailed about a placement long over
/// (a system loaded with past terms would otherwise remind for each of them at once).
pub const REMIND_FOR_DAYS: i64 = 30;

/// Whether a reminder may still go for an evaluation due on `due` ([`REMIND_FOR_DAYS`]).
pub fn still_reminded(due: NaiveDate, today: NaiveDate) -> bool {
    (today - due).num_days() < REMIND_FOR_DAYS
}

/// Whether evaluations are owed for a placement in this stored status: once confirmed and
/// until it ends; a proposed one is not settled yet and a cancelled one owes nothing.
pub fn owed(status: &str) -> bool {
    matches!(status, "confirmed" | "active" | "completed")
}

/// The smallest number of responses an aggregate of site evaluations shows.
pub const MIN_RESPONSES: usize = 3;

/// One item's figures over a group's responses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemFigures {
    pub key: String,
    pub label: String,
    /// How many responses answered it.
    pub answered: usize,
    /// A scale's mean, to two decimals.
    pub mean: Option<f64>,
    /// A yes/no item's yes count, a competency's met count.
    pub yes: Option<usize>,
}

/// A group's aggregate: figures only when at least [`MIN_RESPONSES`] responded, else
/// withheld (nothing of the answers, not even how many).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Aggregate {
    pub withheld: bool,
    pub responses: Option<usize>,
    pub items: Vec<ItemFigures>,
}

/// The figures of one group's responses: per item key of the forms, means of scales, yes
/// counts of yes/no items and met counts of competencies. Free text never leaves a response.
pub fn aggregate(responses: &[(&Form, &Answers)]) -> Aggregate {
    if responses.len() < MIN_RESPONSES {
        return Aggregate {
            withheld: true,
            responses: None,
            items: vec![],
        };
    }
    let mut order: Vec<(String, String, ItemType)> = Vec::new();
    for (form, _) in responses {
        for item in form.items() {
            if item.item_type != ItemType::Text && !order.iter().any(|(k, _, _)| *k == item.key) {
                order.push((item.key.clone(), item.label.clone(), item.item_type));
            }
        }
    }
    let items = order
        .into_iter()
        .map(|(key, label, t)| {
            let values: Vec<&Value> = responses
                .iter()
                .filter_map(|(_, a)| a.get(&key))
                .filter(|v| !v.is_null())
                .collect();
            let answered = values.len();
            let (mean, yes) = match t {
                ItemType::Scale => {
                    let nums: Vec<f64> = values.iter().filter_map(|v| v.as_f64()).collect();
                    let mean = (!nums.is_empty()).then(|| {
                        (nums.iter().sum::<f64>() / nums.len() as f64 * 100.0).round() / 100.0
                    });
                    (mean, None)
                }
                ItemType::YesNo => (
                    None,
                    Some(values.iter().filter(|v| v.as_bool() == Some(true)).count()),
                ),
                ItemType::Competency => (
                    None,
                    Some(values.iter().filter(|v| v.as_str() == Some("met")).count()),
                ),
                ItemType::Text => (None, None),
            };
            ItemFigures {
                key,
                label,
                answered,
                mean,
                yes,
            }
        })
        .collect();
    Aggregate {
        withheld: false,
        responses: Some(responses.len()),
        items,
    }
}

/// The form of a scale item of the usual five steps.
fn scale(key: &str, label: &str) -> Value {
    serde_json::json!({ "key": key, "label": label, "type": "scale", "required": true, "anchors": [
        { "value": 1, "label": "unsafe" }, { "value": 2, "label": "needs constant guidance" },
        { "value": 3, "label": "needs some guidance" }, { "value": 4, "label": "competent" },
        { "value": 5, "label": "independent" } ] })
}

/// The default set the office starts from (seeded once, at the first migrate): for each kind a
/// midterm and a final, and the student's evaluation of the site and supervisor.
pub fn default_templates() -> Vec<(String, &'static str, Point, Value)> {
    use serde_json::json;
    let clinical_sections = |final_: bool| {
        let mut s = vec![
            json!({ "title": "Patient care and safety", "items": [
                scale("safety", "Practises safely: identifies patients, follows infection control and safety protocols"),
                scale("technical_skill", "Performs the discipline's procedures with skill"),
                scale("clinical_reasoning", "Uses critical thinking to adapt care to the patient") ] }),
            json!({ "title": "Professional behaviour", "items": [
                scale("communication", "Communicates clearly with patients, families and the team"),
                scale("professionalism", "Is punctual, prepared and accepts feedback"),
                { "key": "confidentiality", "label": "Keeps patient information confidential", "type": "competency", "required": true } ] }),
        ];
        let mut summary = vec![
            json!({ "key": "strengths", "label": "Strengths", "type": "text", "required": false }),
            json!({ "key": "goals", "label": "Areas to develop", "type": "text", "required": true }),
        ];
        if final_ {
            summary.push(json!({ "key": "entry_level", "label": "Performs at entry level for the discipline", "type": "yes_no", "required": true }));
        }
        s.push(json!({ "title": "Summary", "items": summary }));
        Value::Array(s)
    };
    let internship_sections = |final_: bool| {
        let mut summary = vec![
            json!({ "key": "strengths", "label": "Strengths", "type": "text", "required": false }),
            json!({ "key": "goals", "label": "Areas to develop", "type": "text", "required": true }),
        ];
        if final_ {
            summary.push(json!({ "key": "objectives_met", "label": "The learning objectives were met", "type": "yes_no", "required": true }));
        }
        json!([
            { "title": "Work and learning", "items": [
                scale("quality_of_work", "Quality and accuracy of work"),
                scale("initiative", "Takes initiative and manages time"),
                scale("project_progress", "Progress on the project and its milestones") ] },
            { "title": "Professional behaviour", "items": [
                scale("communication", "Communicates clearly, in writing and in person"),
                scale("teamwork", "Works well with the team"),
                { "key": "confidentiality", "label": "Keeps the organisation's information confidential", "type": "competency", "required": true } ] },
            { "title": "Summary", "items": summary }
        ])
    };
    let agree = |key: &str, label: &str| {
        json!({ "key": key, "label": label, "type": "scale", "required": true, "anchors": [
            { "value": 1, "label": "strongly disagree" }, { "value": 2, "label": "disagree" },
            { "value": 3, "label": "neutral" }, { "value": 4, "label": "agree" },
            { "value": 5, "label": "strongly agree" } ] })
    };
    let site = |kind: &str| {
        json!([
            { "title": "The site", "items": [
                agree("site_welcome", "I was welcomed and oriented on my first day"),
                agree("site_learning", "The site gave me the learning opportunities I needed"),
                agree("site_safety", "I felt safe and respected") ] },
            { "title": if kind == "clinical" { "The preceptor" } else { "The site mentor and faculty" }, "items": [
                agree("supervisor_available", "My supervisor was available when I needed help"),
                agree("supervisor_feedback", "My supervisor gave timely, useful feedback"),
                { "key": "recommend", "label": "I would recommend this placement to another student", "type": "yes_no", "required": true },
                { "key": "comments", "label": "Comments", "type": "text", "required": false } ] }
        ])
    };
    vec![
        (
            "Clinical midterm evaluation".into(),
            "clinical",
            Point::Midterm,
            clinical_sections(false),
        ),
        (
            "Clinical final evaluation".into(),
            "clinical",
            Point::Final,
            clinical_sections(true),
        ),
        (
            "Internship midterm evaluation".into(),
            "internship",
            Point::Midterm,
            internship_sections(false),
        ),
        (
            "Internship final evaluation".into(),
            "internship",
            Point::Final,
            internship_sections(true),
        ),
        (
            "Clinical site and preceptor evaluation".into(),
            "clinical",
            Point::Site,
            site("clinical"),
        ),
        (
            "Internship site and supervisor evaluation".into(),
            "internship",
            Point::Site,
            site("internship"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form() -> Form {
        parse_form(
            &json!([{ "title": "A", "items": [
                scale("safety", "Safe"),
                { "key": "ok", "label": "OK?", "type": "yes_no", "required": true },
                { "key": "note", "label": "Note", "type": "text" } ] }]),
            "sections",
        )
        .expect("valid")
    }

    #[test]
    fn every_default_template_is_a_valid_form() {
        for (name, kind, _, sections) in default_templates() {
            assert!(KINDS.contains(&kind));
            parse_form(&sections, "sections").unwrap_or_else(|p| panic!("{name}: {p:?}"));
        }
    }

    #[test]
    fn a_broken_form_reports_every_problem_with_its_path() {
        let p = parse_form(
            &json!([{ "title": "", "items": [
                { "key": "Bad Key", "label": "x", "type": "scale", "anchors": [{ "value": 2, "label": "b" }, { "value": 1, "label": "a" }] },
                { "key": "a", "label": "y", "type": "dial", "colour": 1 },
                { "key": "a", "label": "z", "type": "text", "anchors": [] } ] },
              { "title": "Empty", "items": [] }]),
            "sections",
        )
        .expect_err("invalid");
        let fields: Vec<_> =
            p.0.iter()
                .map(|e| e.field.clone().unwrap_or_default())
                .collect();
        for f in [
            "sections[0].title",
            "sections[0].items[0].key",
            "sections[0].items[0].anchors",
            "sections[0].items[1].type",
            "sections[0].items[1].colour",
            "sections[0].items[2].key",
            "sections[0].items[2].anchors",
            "sections[1].items",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn answers_are_checked_against_the_form() {
        let f = form();
        let mut a = Answers::new();
        a.insert("safety".into(), json!(7));
        a.insert("extra".into(), json!(1));
        let codes: Vec<_> = check_answers(&f, &a, true)
            .0
            .iter()
            .map(|e| e.code)
            .collect();
        assert!(codes.contains(&ErrorCode::InvalidAnswer));
        assert!(codes.contains(&ErrorCode::UnknownItem));
        assert!(codes.contains(&ErrorCode::AnswerRequired));
        // A draft may leave required items out.
        let mut a = Answers::new();
        a.insert("safety".into(), json!(4));
        assert!(check_answers(&f, &a, false).is_empty());
        assert!(!check_answers(&f, &a, true).is_empty());
        a.insert("ok".into(), json!(true));
        assert!(check_answers(&f, &a, true).is_empty());
    }

    #[test]
    fn due_days_follow_the_placement() {
        let s = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        let e = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        assert_eq!(
            due_on(Point::Midterm, s, e),
            NaiveDate::from_ymd_opt(2027, 3, 2).unwrap()
        );
        assert_eq!(due_on(Point::Final, s, e), e);
        assert_eq!(due_on(Point::Site, s, e), e);
        assert_eq!(urgency(e, e - Duration::days(1)), Urgency::NotYet);
        assert_eq!(urgency(e, e), Urgency::Due);
        assert_eq!(urgency(e, e + Duration::days(6)), Urgency::Due);
        assert_eq!(urgency(e, e + Duration::days(7)), Urgency::Late);
        assert!(still_reminded(e, e + Duration::days(29)));
        assert!(!still_reminded(e, e + Duration::days(30)));
        assert_eq!(urgency(e, e + Duration::days(400)), Urgency::Late);
    }

    #[test]
    fn an_aggregate_of_fewer_than_three_is_withheld() {
        let f = form();
        let mut a = Answers::new();
        a.insert("safety".into(), json!(4));
        a.insert("ok".into(), json!(true));
        a.insert("note".into(), json!("private words"));
        let mut b = a.clone();
        b.insert("safety".into(), json!(2));
        let two = aggregate(&[(&f, &a), (&f, &b)]);
        assert!(two.withheld && two.responses.is_none() && two.items.is_empty());
        let three = aggregate(&[(&f, &a), (&f, &b), (&f, &a)]);
        assert!(!three.withheld);
        assert_eq!(three.responses, Some(3));
        assert_eq!(three.items[0].mean, Some(3.33));
        assert_eq!(three.items[1].yes, Some(3));
        // Free text never leaves a response.
        assert!(three.items.iter().all(|i| i.key != "note"));
    }
}
