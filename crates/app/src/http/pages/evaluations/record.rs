//! One evaluation's page (its facts, answers, history and what the viewer may do) and its PDF.
use super::*;

pub(super) async fn show(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let ev = load(&st, &user, &id).await?;
    let zone = st.clock.time_zone();
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&zone)
            .format("%a %-d %b %Y %H:%M %Z")
            .to_string()
    };
    let r = &ev.row;
    let status = if !r.is_signed() {
        "draft"
    } else if r.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "signed"
    };
    let mut facts = vec![
        ("Student", Cell::text(ev.student_name.clone())),
        (
            "Placement",
            Cell::link(
                format!(
                    "{} to {}",
                    human_date(ev.placement.starts_on),
                    human_date(ev.placement.ends_on)
                ),
                format!("/placements/{}", ev.placement.id),
            ),
        ),
        (
            "Form",
            Cell::text(format!(
                "{} (version {})",
                ev.template.name, ev.template.version
            )),
        ),
        ("Due", Cell::date(Some(ev.due_on))),
        ("Status", status_badge(status)),
        ("Version", Cell::text(r.version.to_string())),
    ];
    if let (Some(n), Some(at)) = (&r.signed_by_name, r.signed_at) {
        facts.push(("Signed by", Cell::text(format!("{n}, {}", when(at)))));
    }
    if let Some(reason) = &r.correction_reason {
        facts.push(("Why it was corrected", Cell::text(reason.clone())));
    }
    if let Some(m) = &r.mentor_comment {
        facts.push(("Site mentor's comment", Cell::text(m.clone())));
    }
    if !ev.point.by_student() {
        facts.push((
            "Acknowledged by the student",
            Cell::text(match r.acknowledged_at {
                Some(at) => format!("{} (acknowledging is not agreeing)", when(at)),
                None => "not yet".into(),
            }),
        ));
    }
    if let Some(c) = &r.student_comment {
        facts.push(("Student's comment", Cell::text(c.clone())));
    }
    let form = ev.template.form();
    let answers = r.answers();
    let mut sections: Vec<Section> = form
        .sections
        .iter()
        .map(|s| {
            let mut t = Table::new(&s.title, vec!["Item", "Answer"], "");
            for i in &s.items {
                t.rows.push(vec![
                    Cell::text(i.label.clone()),
                    Cell::text(evaluation::answer_words(i, answers.get(&i.key))),
                ]);
            }
            Section {
                title: s.title.clone(),
                table: t,
                actions: vec![],
            }
        })
        .collect();
    if !ev.history.is_empty() {
        let mut t = Table::new(
            "Earlier versions, replaced by corrections",
            vec![
                "Version",
                "Signed by",
                "Signed",
                "Acknowledged",
                "Why it was corrected",
            ],
            "",
        );
        for v in &ev.history {
            t.rows.push(vec![
                Cell::text(v.version.to_string()),
                Cell::text(v.signed_by_name.clone().unwrap_or_default()),
                Cell::text(v.signed_at.map(when).unwrap_or_default()),
                Cell::text(v.acknowledged_at.map(when).unwrap_or_default()),
                Cell::text(v.correction_reason.clone().unwrap_or_default()),
            ]);
        }
        sections.push(Section {
            title: "History".into(),
            table: t,
            actions: vec![],
        });
    }
    let mut actions = vec![(format!("/evaluations/{id}/pdf"), "Print (PDF)".to_string())];
    let mut forms = vec![];
    match ev.part {
        Part::Author | Part::SiteMentor if !r.is_signed() => {
            actions.insert(0, (format!("/evaluations/{id}/edit"), "Edit".to_string()));
            if ev.part == Part::Author {
                let mut sign = ActionForm::new(
                    format!("/evaluations/{id}/sign"),
                    if ev.point.by_student() {
                        "Submit"
                    } else {
                        "Sign"
                    },
                );
                sign.confirm = "Signing locks the evaluation: a later change is a correction with a reason. Sign now?".into();
                forms.push(sign);
            }
        }
        Part::Author if !ev.point.by_student() => {
            actions.push((format!("/evaluations/{id}/correct"), "Correct".to_string()));
        }
        Part::Subject if r.acknowledged_at.is_none() => {
            actions.insert(
                0,
                (
                    format!("/evaluations/{id}/acknowledge"),
                    "Acknowledge".to_string(),
                ),
            );
        }
        _ => {}
    }
    Ok(RecordPage {
        chrome: user.chrome(format!("{}: {}", ev.point.label(), ev.student_name)),
        facts,
        actions,
        sections,
        upload: None,
        forms,
    }
    .into_response())
}

pub(super) async fn pdf(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let bytes = crate::service::evaluation_pdf::pdf(&st, &user.p, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"evaluation-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
