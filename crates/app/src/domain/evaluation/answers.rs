//! An evaluation's answers against its form: checked, normalized and put in words.
use super::*;

/// One item's answer, as sent (read from JSON at the edge, `http::input::evaluations`) or as
/// stored (`answers_json`, the same JSON: a number, a string, true or false). Which kind an
/// item takes is its form's to say ([`check_answers`]), so a value of the wrong kind is kept
/// to be named there, with every other problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// JSON null: in a change, clears the item's answer; never stored.
    Cleared,
    /// true or false.
    YesNo(bool),
    /// A whole number (a scale's value).
    Whole(i64),
    /// A string: a competency's word, a text, or a scale's value as a form posts it.
    Text(String),
    /// Anything else sent (a fraction, a list, an object), as its JSON text: no item takes
    /// it, so [`check_answers`] refuses it; never stored.
    Unusable(String),
}

impl Answer {
    pub fn is_cleared(&self) -> bool {
        matches!(self, Answer::Cleared)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Answer::Whole(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Answer::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Answer::YesNo(b) => Some(*b),
            _ => None,
        }
    }

    /// The answer as JSON, as it is stored and answered by the API.
    fn to_json(&self) -> serde_json::Value {
        match self {
            Answer::Cleared => serde_json::Value::Null,
            Answer::YesNo(b) => serde_json::Value::Bool(*b),
            Answer::Whole(n) => serde_json::Value::from(*n),
            Answer::Text(s) => serde_json::Value::String(s.clone()),
            Answer::Unusable(json) => serde_json::from_str(json).unwrap_or_default(),
        }
    }
}

/// A JSON value as an answer: the edge's only reading of one, and the store's.
impl From<serde_json::Value> for Answer {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Answer::Cleared,
            serde_json::Value::Bool(b) => Answer::YesNo(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(n) => Answer::Whole(n),
                None => Answer::Unusable(n.to_string()),
            },
            serde_json::Value::String(s) => Answer::Text(s),
            other => Answer::Unusable(other.to_string()),
        }
    }
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(Answer::from)
    }
}

impl std::fmt::Display for Answer {
    /// Its JSON text (`"met"`, `4`, `true`), as a page shows a value no anchor names.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

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
            None | Some(Answer::Cleared) => {
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

fn check_answer(item: &Item, v: &Answer) -> Result<(), String> {
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
            Answer::YesNo(_) => Ok(()),
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
                (_, Answer::Cleared) => return None,
                (_, Answer::Text(s)) if s.trim().is_empty() => return None,
                (Some(ItemType::Scale), Answer::Text(s)) => match s.trim().parse::<i64>() {
                    Ok(n) => Answer::Whole(n),
                    Err(_) => Answer::Text(s),
                },
                (Some(ItemType::YesNo), Answer::Text(s)) if s == "true" || s == "yes" => {
                    Answer::YesNo(true)
                }
                (Some(ItemType::YesNo), Answer::Text(s)) if s == "false" || s == "no" => {
                    Answer::YesNo(false)
                }
                (Some(ItemType::Text), Answer::Text(s)) => Answer::Text(s.trim().to_string()),
                (_, v) => v,
            };
            Some((k, v))
        })
        .collect()
}

/// An answer in words, for pages and PDFs ("4 – competent", "Yes", "Met").
pub fn answer_words(item: &Item, v: Option<&Answer>) -> String {
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
