//! An evaluation as a printable document (`crate::pdf`): who, where, when, every item with its
//! answer in words, the signature, the acknowledgement and the corrections.
use super::Principal;
use super::evaluations::Evaluation;
use crate::db;
use crate::domain::{evaluation, period::human_date};
use crate::error::AppResult;
use crate::pdf::Document;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub fn render(
    ev: &Evaluation,
    organisation: &str,
    department: &str,
    site: &str,
    zone: Tz,
) -> Vec<u8> {
    let when = |at: DateTime<Utc>| {
        at.with_timezone(&zone)
            .format("%a %-d %b %Y %H:%M %Z")
            .to_string()
    };
    let mut d = Document::new(format!("{} \u{2013} {}", ev.point.label(), ev.student_name));
    d.paragraph(organisation.to_string());
    let mut facts = vec![
        ("Student".to_string(), ev.student_name.clone()),
        (
            "Placement".to_string(),
            format!("{} ({})", ev.placement.kind, format_period(ev)),
        ),
        (
            "Site and department".to_string(),
            format!("{site}, {department}"),
        ),
        (
            "Form".to_string(),
            format!("{} (version {})", ev.template.name, ev.template.version),
        ),
        ("Due".to_string(), human_date(ev.due_on)),
        ("Version".to_string(), ev.row.version.to_string()),
    ];
    if let Some(reason) = &ev.row.correction_reason {
        facts.push(("Correction".to_string(), reason.clone()));
    }
    d.key_values(facts);
    let form = ev.template.form();
    let answers = ev.row.answers();
    for section in &form.sections {
        d.heading(section.title.clone());
        let rows = section
            .items
            .iter()
            .map(|i| {
                vec![
                    i.label.clone(),
                    evaluation::answer_words(i, answers.get(&i.key)),
                ]
            })
            .collect();
        d.table(vec!["Item".into(), "Answer".into()], rows);
    }
    if let Some(m) = &ev.row.mentor_comment {
        d.heading("Site mentor's comment");
        d.paragraph(m.clone());
    }
    d.heading("Signature");
    let mut sig = vec![(
        "Signed by".to_string(),
        match (&ev.row.signed_by_name, ev.row.signed_at) {
            (Some(n), Some(at)) => format!("{n}, {}", when(at)),
            _ => "Not signed (draft)".to_string(),
        },
    )];
    if !ev.point.by_student() {
        sig.push((
            "Acknowledged by the student".to_string(),
            match ev.row.acknowledged_at {
                Some(at) => format!(
                    "{}, {} (acknowledging is not agreeing)",
                    ev.student_name,
                    when(at)
                ),
                None => "Not yet".to_string(),
            },
        ));
        if let Some(c) = &ev.row.student_comment {
            sig.push(("Student's comment".to_string(), c.clone()));
        }
    }
    d.key_values(sig);
    if !ev.history.is_empty() {
        d.heading("Earlier versions");
        let rows = ev
            .history
            .iter()
            .map(|v| {
                vec![
                    v.version.to_string(),
                    v.signed_by_name.clone().unwrap_or_default(),
                    v.signed_at.map(when).unwrap_or_default(),
                    v.correction_reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        d.table(
            vec![
                "Version".into(),
                "Signed by".into(),
                "Signed".into(),
                "Reason".into(),
            ],
            rows,
        );
    }
    d.to_pdf()
}

fn format_period(ev: &Evaluation) -> String {
    format!(
        "{} to {}",
        human_date(ev.placement.starts_on),
        human_date(ev.placement.ends_on)
    )
}

/// The evaluation as a PDF, for whoever may read it.
pub async fn pdf(st: &AppState, p: &Principal, id: &str) -> AppResult<Vec<u8>> {
    let ev = super::evaluations::get_evaluation(st, p, id).await?;
    let mut tx = st.db.read().await?;
    let department = db::departments::get(&mut tx, &ev.placement.department_id).await?;
    let site = match &department {
        Some(d) => db::sites::get(&mut tx, &d.site_id).await?.map(|s| s.name),
        None => None,
    };
    let org = db::settings::get(&mut tx).await?.organisation_name;
    drop(tx);
    Ok(render(
        &ev,
        &org,
        department.map(|d| d.name).as_deref().unwrap_or(""),
        site.as_deref().unwrap_or(""),
        st.clock.time_zone(),
    ))
}
