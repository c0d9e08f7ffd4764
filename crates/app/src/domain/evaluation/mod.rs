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

/// A field as sent, `null` kept apart from absent (as `Map::get` answers): `Some(Value::Null)`
/// for `"required": null`, which is a problem, where a missing `required` is not.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A section as sent: each field a raw value, checked one by one below so that every problem
/// is reported at once with its path.
///
/// Not `#[serde(deny_unknown_fields)]`, and no typed fields: serde stops at the first unknown
/// key or wrong type, in its own words, where the API reports each unknown key at its own path
/// (`sections[0].colour`, `unknown_field`) and each wrong field with its own code, all next to
/// the other problems of the same section. `unknown` collects the keys not named here.
#[derive(Deserialize)]
struct SectionInput {
    #[serde(default, deserialize_with = "present")]
    title: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    items: Option<Value>,
    #[serde(flatten)]
    unknown: Map<String, Value>,
}

/// An item as sent; raw and open for the reasons given at [`SectionInput`].
#[derive(Deserialize)]
struct ItemInput {
    #[serde(default, deserialize_with = "present")]
    key: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    label: Option<Value>,
    #[serde(default, deserialize_with = "present", rename = "type")]
    item_type: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    required: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    anchors: Option<Value>,
    #[serde(flatten)]
    unknown: Map<String, Value>,
}

/// An anchor as sent. Typed: any shape but `{ value: whole number, label: text }` is one
/// problem, `an anchor is { ... }`, at the anchor's path. Not `deny_unknown_fields`: an
/// anchor's other keys have always been accepted (and dropped), and refusing them now would
/// refuse forms the API takes today.
#[derive(Deserialize)]
struct AnchorInput {
    value: i64,
    label: String,
}

/// Reads `raw` into `T` when it is a JSON object; `None` for anything else. (A derived struct
/// would also take a list of its fields in order, which no caller sends on purpose.)
fn object<T: serde::de::DeserializeOwned>(raw: &Value) -> Option<T> {
    match raw {
        Value::Object(_) => T::deserialize(raw).ok(),
        _ => None,
    }
}

fn text_at(
    problems: &mut Problems,
    raw: Option<&Value>,
    field: &str,
    path: &str,
) -> Option<String> {
    match raw {
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

/// Each key the input's shape does not name, at its own path.
fn unknown_keys(problems: &mut Problems, unknown: &Map<String, Value>, path: &str) {
    for k in unknown.keys() {
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
        let Some(s) = object::<SectionInput>(raw) else {
            problems.add(
                &path,
                ErrorCode::InvalidType,
                "a section is an object { title, items }",
            );
            continue;
        };
        unknown_keys(&mut problems, &s.unknown, &path);
        let title = text_at(&mut problems, s.title.as_ref(), "title", &path);
        let mut items = Vec::new();
        match &s.items {
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
    let Some(o) = object::<ItemInput>(raw) else {
        problems.add(
            path,
            ErrorCode::InvalidType,
            "an item is an object { key, label, type, required, anchors? }",
        );
        return None;
    };
    unknown_keys(problems, &o.unknown, path);
    let key = match &o.key {
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
    let label = text_at(problems, o.label.as_ref(), "label", path);
    let item_type = match o
        .item_type
        .as_ref()
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
    let required = match &o.required {
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
    let anchors = parse_anchors(problems, o.anchors.as_ref(), item_type, path);
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
        let anchor = object::<AnchorInput>(a)
            .map(|a| (a.value, a.label.trim().to_string()))
            .filter(|(value, label)| {
                (0..=100).contains(value) && !label.is_empty() && label.chars().count() <= 100
            });
        match anchor {
            Some((value, label)) => anchors.push(Anchor { value, label }),
            None => {
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

mod aggregate;
mod answers;
mod templates;
pub use aggregate::*;
pub use answers::*;
pub use templates::*;

#[cfg(test)]
mod tests;
