//! The default evaluation forms the office starts from.
use super::*;

/// The form of a scale item of the usual five steps.
pub(super) fn scale(key: &str, label: &str) -> Value {
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
