//! A form as sent (the office's form editor, the API's evaluation templates): read into the
//! domain's typed [`Form`] with every problem at once, each at its own path (API.md
//! "Problems"). In the HTTP layer: below it a form is only ever the typed `Form`
//! (ARCHITECTURE.md rule 1).
use crate::domain::evaluation::{Anchor, Form, Item, ItemType, Section};
use crate::domain::{ErrorCode, Problems};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashSet;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::evaluation::{KINDS, default_templates};
    use serde_json::json;

    /// Each default form, sent as the API's JSON, is accepted and reads back as itself.
    #[test]
    fn every_default_template_is_a_valid_form() {
        for (name, kind, _, form) in default_templates() {
            assert!(KINDS.contains(&kind));
            let sent = serde_json::to_value(&form.sections).expect("json");
            let read = parse_form(&sent, "sections").unwrap_or_else(|p| panic!("{name}: {p:?}"));
            assert_eq!(read, form, "{name}");
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

    /// The problems a client sees for a broken form: each code, path and message exactly, in
    /// order. (The input shapes are serde types now; this pins that nothing a client sees moved.)
    #[test]
    fn a_broken_form_keeps_its_codes_paths_and_words() {
        let p = parse_form(
            &json!([{ "zeta": 1, "title": 5, "items": [
                { "key": "k", "label": "L", "type": "text", "required": null, "colour": 1 },
                ["k2", "L", "text"],
                { "key": "s", "label": "S", "type": "scale",
                  "anchors": [[1, "a"], { "value": 2, "label": "b", "note": "dropped" }] } ] },
              "not a section"]),
            "sections",
        )
        .expect_err("invalid");
        let got: Vec<_> =
            p.0.iter()
                .map(|e| {
                    (
                        e.field.clone().unwrap_or_default(),
                        e.code,
                        e.message.clone(),
                    )
                })
                .collect();
        let want = [
            (
                "sections[0].zeta",
                ErrorCode::UnknownField,
                "zeta is not a field here",
            ),
            (
                "sections[0].title",
                ErrorCode::Required,
                "title is required (text)",
            ),
            (
                "sections[0].items[0].colour",
                ErrorCode::UnknownField,
                "colour is not a field here",
            ),
            (
                "sections[0].items[0].required",
                ErrorCode::InvalidBoolean,
                "must be true or false",
            ),
            (
                "sections[0].items[1]",
                ErrorCode::InvalidType,
                "an item is an object { key, label, type, required, anchors? }",
            ),
            (
                "sections[0].items[2].anchors[0]",
                ErrorCode::InvalidTemplate,
                "an anchor is { value: a whole number 0-100, label: text }",
            ),
            (
                "sections[1]",
                ErrorCode::InvalidType,
                "a section is an object { title, items }",
            ),
        ]
        .map(|(f, c, m)| (f.to_string(), c, m.to_string()));
        assert_eq!(got, want);
        // An anchor's other keys are accepted and dropped, as they always were.
        let f = parse_form(
            &json!([{ "title": "T", "items": [{ "key": "s", "label": "S", "type": "scale",
                "anchors": [{ "value": 1, "label": " a ", "note": 1 }, { "value": 2, "label": "b" }] }] }]),
            "sections",
        )
        .expect("valid");
        assert_eq!(
            f.sections[0].items[0].anchors,
            vec![
                Anchor {
                    value: 1,
                    label: "a".into()
                },
                Anchor {
                    value: 2,
                    label: "b".into()
                }
            ]
        );
    }
}
