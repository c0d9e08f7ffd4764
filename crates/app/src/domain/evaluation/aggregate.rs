//! The site evaluations' aggregates, shown for groups of at least three responses.
use super::*;

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

/// An evaluation's score for the evaluations report: the mean of its scale answers (the whole
/// numbers; a scale's anchors run 1 unsafe to 5 independent), `None` when it has none. Which
/// items are scales is the form's to say, but a stored answer is a whole number only for a
/// scale (`check_answers` refuses one anywhere else), so the answers alone suffice.
pub fn score(answers: &Answers) -> Option<f64> {
    let nums: Vec<f64> = answers
        .values()
        .filter_map(Answer::as_i64)
        .map(|n| n as f64)
        .collect();
    (!nums.is_empty()).then(|| nums.iter().sum::<f64>() / nums.len() as f64)
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
            let values: Vec<&Answer> = responses
                .iter()
                .filter_map(|(_, a)| a.get(&key))
                .filter(|v| !v.is_cleared())
                .collect();
            let answered = values.len();
            let (mean, yes) = match t {
                ItemType::Scale => {
                    let nums: Vec<f64> = values
                        .iter()
                        .filter_map(|v| v.as_i64())
                        .map(|n| n as f64)
                        .collect();
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
