//! An evaluation's answers against its form: checked, normalized and put in words.
use super::*;

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
