//! Evaluations (issue 16 points 1-3): forms as data, their answers, when each is due, who
//! fills it, and the site evaluations' aggregates of at least three. Pure: no SQL, no HTTP.
use super::{ErrorCode, Problems};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// A filled evaluation's answers, by item key, as stored ([`Answer`]).
pub type Answers = BTreeMap<String, Answer>;

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
