//! The office's dashboard on its home (issue 17 part 1): the figures of
//! `service::dashboard` as groups of numbers, each a link to exactly the list it counts,
//! with its words ("oldest waiting 6 days", "most missing: ...") and, for the term's
//! placements by state, a bar.
use crate::service::dashboard::{Dashboard, Figure, Waiting};

/// One number: how many, what (words), the list it links to, a note, and a bar's width in
/// pixels (0..=200) where a bar helps.
pub struct Item {
    /// A stable name for the figure (`state-onboarding`, `pipeline-7`, `documents`, ...), the
    /// page's `data-figure`, for tests and styles.
    pub key: String,
    pub count: i64,
    pub label: String,
    pub href: String,
    pub note: String,
    pub bar: Option<i64>,
}

/// A group of numbers under one heading.
pub struct Group {
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub items: Vec<Item>,
}

fn item(key: impl Into<String>, f: &Figure, note: String) -> Item {
    Item {
        key: key.into(),
        count: f.count,
        label: f.label.clone(),
        href: f.list.page_href(),
        note,
        bar: None,
    }
}

fn waiting(key: &str, w: &Waiting) -> Item {
    item(key, &w.figure, w.oldest_words())
}

/// The dashboard's groups, in the order the office works them.
pub fn groups(d: &Dashboard) -> Vec<Group> {
    let max = d.by_state.iter().map(|f| f.count).max().unwrap_or(0).max(1);
    let mut states: Vec<Item> = d
        .by_state
        .iter()
        .map(|f| {
            let mut i = item(format!("state-{}", f.label), f, String::new());
            i.bar = Some(f.count * 200 / max);
            i
        })
        .collect();
    states.push(item(
        "at-risk",
        &d.at_risk,
        "open, ending today or later".into(),
    ));
    let pipeline = d
        .pipeline
        .iter()
        .map(|w| {
            let note = if w.most_missing.is_empty() {
                String::new()
            } else {
                format!(
                    "most missing: {}",
                    w.most_missing
                        .iter()
                        .map(|(name, n)| format!("{name} ({n})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            item(format!("pipeline-{}", w.days), &w.figure, note)
        })
        .collect();
    vec![
        Group {
            id: "this-term",
            title: "This term's placements".into(),
            intro: format!(
                "This term is {}: the placements whose period overlaps it, by state.",
                d.term.words()
            ),
            items: states,
        },
        Group {
            id: "clearance-pipeline",
            title: "Clearance pipeline".into(),
            intro: "Proposed and confirmed placements starting soon whose student is not cleared, and what they miss most.".into(),
            items: pipeline,
        },
        Group {
            id: "waiting",
            title: "Waiting for you".into(),
            intro: String::new(),
            items: vec![waiting("documents", &d.documents), waiting("requests", &d.requests)],
        },
        Group {
            id: "lapsing",
            title: "Lapsing within 90 days".into(),
            intro: String::new(),
            items: vec![
                item("agreements", &d.agreements, String::new()),
                item("accreditations", &d.accreditations, String::new()),
            ],
        },
        Group {
            id: "overdue",
            title: "Overdue".into(),
            intro: String::new(),
            items: vec![
                item("hours-overdue", &d.hours_overdue, String::new()),
                item("evaluations-overdue", &d.evaluations_overdue, String::new()),
                item("offboarding-overdue", &d.offboarding_overdue, String::new()),
            ],
        },
        Group {
            id: "students",
            title: "Students".into(),
            intro: String::new(),
            items: vec![item("students-enrolled", &d.students_enrolled, String::new())],
        },
    ]
}
