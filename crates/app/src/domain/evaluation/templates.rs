//! The default evaluation forms the office starts from.
use super::*;

/// An item of the form.
fn item(key: &str, label: &str, item_type: ItemType, required: bool) -> Item {
    Item {
        key: key.into(),
        label: label.into(),
        item_type,
        required,
        anchors: vec![],
    }
}

/// A required scale item whose values 1 to 5 carry `words`, lowest first.
fn scale_of(key: &str, label: &str, words: [&str; 5]) -> Item {
    Item {
        anchors: (1..)
            .zip(words)
            .map(|(value, label)| Anchor {
                value,
                label: label.into(),
            })
            .collect(),
        ..item(key, label, ItemType::Scale, true)
    }
}

/// A scale item of the usual five steps.
pub(super) fn scale(key: &str, label: &str) -> Item {
    scale_of(
        key,
        label,
        [
            "unsafe",
            "needs constant guidance",
            "needs some guidance",
            "competent",
            "independent",
        ],
    )
}

/// A scale item of agreement, from "strongly disagree" to "strongly agree".
fn agree(key: &str, label: &str) -> Item {
    scale_of(
        key,
        label,
        [
            "strongly disagree",
            "disagree",
            "neutral",
            "agree",
            "strongly agree",
        ],
    )
}

fn section(title: &str, items: Vec<Item>) -> Section {
    Section {
        title: title.into(),
        items,
    }
}

/// The default set the office starts from (seeded once, at the first migrate): for each kind a
/// midterm and a final, and the student's evaluation of the site and supervisor. Each is a
/// form the API would accept as sent (`http::input::evaluation_form`'s tests hold them to it).
pub fn default_templates() -> Vec<(String, &'static str, Point, Form)> {
    use ItemType::{Competency, Text, YesNo};
    let summary = |last: Option<Item>| {
        let mut items = vec![
            item("strengths", "Strengths", Text, false),
            item("goals", "Areas to develop", Text, true),
        ];
        items.extend(last);
        section("Summary", items)
    };
    let clinical = |final_: bool| Form {
        sections: vec![
            section(
                "Patient care and safety",
                vec![
                    scale(
                        "safety",
                        "Practises safely: identifies patients, follows infection control and safety protocols",
                    ),
                    scale(
                        "technical_skill",
                        "Performs the discipline's procedures with skill",
                    ),
                    scale(
                        "clinical_reasoning",
                        "Uses critical thinking to adapt care to the patient",
                    ),
                ],
            ),
            section(
                "Professional behaviour",
                vec![
                    scale(
                        "communication",
                        "Communicates clearly with patients, families and the team",
                    ),
                    scale(
                        "professionalism",
                        "Is punctual, prepared and accepts feedback",
                    ),
                    item(
                        "confidentiality",
                        "Keeps patient information confidential",
                        Competency,
                        true,
                    ),
                ],
            ),
            summary(final_.then(|| {
                item(
                    "entry_level",
                    "Performs at entry level for the discipline",
                    YesNo,
                    true,
                )
            })),
        ],
    };
    let internship = |final_: bool| Form {
        sections: vec![
            section(
                "Work and learning",
                vec![
                    scale("quality_of_work", "Quality and accuracy of work"),
                    scale("initiative", "Takes initiative and manages time"),
                    scale(
                        "project_progress",
                        "Progress on the project and its milestones",
                    ),
                ],
            ),
            section(
                "Professional behaviour",
                vec![
                    scale(
                        "communication",
                        "Communicates clearly, in writing and in person",
                    ),
                    scale("teamwork", "Works well with the team"),
                    item(
                        "confidentiality",
                        "Keeps the organisation's information confidential",
                        Competency,
                        true,
                    ),
                ],
            ),
            summary(final_.then(|| {
                item(
                    "objectives_met",
                    "The learning objectives were met",
                    YesNo,
                    true,
                )
            })),
        ],
    };
    let site = |kind: &str| Form {
        sections: vec![
            section(
                "The site",
                vec![
                    agree(
                        "site_welcome",
                        "I was welcomed and oriented on my first day",
                    ),
                    agree(
                        "site_learning",
                        "The site gave me the learning opportunities I needed",
                    ),
                    agree("site_safety", "I felt safe and respected"),
                ],
            ),
            section(
                if kind == "clinical" {
                    "The preceptor"
                } else {
                    "The site mentor and faculty"
                },
                vec![
                    agree(
                        "supervisor_available",
                        "My supervisor was available when I needed help",
                    ),
                    agree(
                        "supervisor_feedback",
                        "My supervisor gave timely, useful feedback",
                    ),
                    item(
                        "recommend",
                        "I would recommend this placement to another student",
                        YesNo,
                        true,
                    ),
                    item("comments", "Comments", Text, false),
                ],
            ),
        ],
    };
    vec![
        (
            "Clinical midterm evaluation".into(),
            "clinical",
            Point::Midterm,
            clinical(false),
        ),
        (
            "Clinical final evaluation".into(),
            "clinical",
            Point::Final,
            clinical(true),
        ),
        (
            "Internship midterm evaluation".into(),
            "internship",
            Point::Midterm,
            internship(false),
        ),
        (
            "Internship final evaluation".into(),
            "internship",
            Point::Final,
            internship(true),
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
