//! One placement's page: its facts, links, lifecycle buttons and sections.
use super::*;

pub(super) async fn show(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let (scope, row) = load(&st, &user, &id).await?;
    let names = Lookup::load(&st, std::slice::from_ref(&row)).await?;
    let mut tx = st.db.read().await?;
    let v = crate::service::placements::view(&mut tx, row.clone(), st.clock.today()).await?;
    drop(tx);
    let mut facts = vec![("Status", badge(&v.status))];
    if !v.risks.is_empty() {
        facts.push((
            "At risk",
            Cell::badge(
                v.risks
                    .iter()
                    .map(|r| r.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                "bad",
            ),
        ));
    }
    facts.extend([
        (
            "Student",
            Cell::text(names.student(row.student_id.as_deref())),
        ),
        (
            "School",
            Cell::text(Lookup::find(&names.schools, Some(&row.school_id))),
        ),
        (
            "Department",
            Cell::text(Lookup::find(&names.departments, Some(&row.department_id))),
        ),
        (
            "Kind",
            Cell::text(crate::domain::words::placement_kind(&row.kind)),
        ),
        (
            "Period",
            Cell::text(format!(
                "{} – {}",
                human_date(row.starts_on),
                human_date(row.ends_on)
            )),
        ),
    ]);
    if let Some(p) = &row.preceptor_id {
        facts.push(("Preceptor", Cell::text(Lookup::find(&names.staff, Some(p)))));
    }
    if let Some(m) = &row.site_mentor_id {
        facts.push((
            "Site mentor",
            Cell::text(Lookup::find(&names.staff, Some(m))),
        ));
    }
    if let Some(f) = &v.faculty_supervisor {
        facts.push((
            "Faculty supervisor",
            Cell::text(format!("{} <{}>", f.name, f.email)),
        ));
    }
    let clearance = if v.clearance.missing.is_empty() && v.clearance.status == "pending" {
        "pending: onboarding requirements are not tracked yet, so no placement is cleared"
            .to_string()
    } else {
        v.clearance.status.clone()
    };
    facts.push((
        "Clearance",
        Cell::badge(
            clearance,
            if v.clearance.is_cleared() {
                "ok"
            } else {
                "warn"
            },
        ),
    ));
    if let Some(r) = &row.cancel_reason {
        facts.push(("Reason", Cell::text(r)));
    }
    let mut actions = vec![];
    // Attendance and hours (issue 15 point 4): the totals and the way to the entries.
    if row.student_id.is_some() && matches!(row.status.as_str(), "active" | "completed") {
        let mut tx = st.db.read().await?;
        let h = crate::service::time_entries::hours_of(&mut tx, &row).await?;
        drop(tx);
        let t = &h.totals;
        facts.push((
            "Hours",
            Cell {
                text: format!(
                    "{} of {} required hours approved ({}%); {} waiting",
                    crate::domain::hours::hours_text(t.approved_minutes),
                    crate::domain::hours::hours_text(t.required_minutes),
                    t.percent_approved(),
                    crate::domain::hours::hours_text(t.pending_minutes),
                ),
                bar: Some(t.percent_approved()),
                ..Default::default()
            },
        ));
        let label = if user.p.role == crate::domain::Role::Student && row.status == "active" {
            "Log hours"
        } else {
            "Hours"
        };
        actions.push((format!("/placements/{id}/hours"), label.to_string()));
    }
    if scope.is_all() || scope.school().is_some() {
        actions.push((
            format!("/requests/{}", row.request_id),
            "The request".to_string(),
        ));
    }
    if row.student_id.is_some() {
        actions.push((
            format!("/placements/{id}/onboarding"),
            "Onboarding checklist".to_string(),
        ));
    }
    if scope.is_all() {
        actions.push((format!("/history/placement/{id}"), "History".to_string()));
    }
    let mut forms = vec![];
    let office = scope.is_all();
    let school = scope.school().is_some();
    let t = |to: &str, label: &str| {
        ActionForm::new(format!("/placements/{id}/transition"), label).with("to", to)
    };
    match row.status.as_str() {
        "proposed" if office || school => {
            forms.push(t("confirmed", "Confirm (the student accepts)"))
        }
        _ => {}
    }
    // "Start" only from the first day on (`active` means started).
    let started = crate::domain::placement::has_started(row.starts_on, st.clock.today());
    // ... and only once the student is cleared: no button that can only be refused.
    if office && matches!(row.status.as_str(), "proposed" | "confirmed") {
        if started && v.clearance.is_cleared() {
            forms.push(t("active", "Start the placement"));
        } else if started {
            facts.push((
                "Start",
                Cell::text("once the student is cleared (see the onboarding checklist)"),
            ));
        } else {
            facts.push((
                "Start",
                Cell::text(format!("from {} on", human_date(row.starts_on))),
            ));
        }
    }
    if office && row.status == "active" {
        // Completing needs the hours approved and the final evaluation signed (issue 16
        // point 5); the office may complete otherwise, giving a reason.
        let mut tx = st.db.read().await?;
        let needs = crate::service::placements::completion_facts(&mut tx, &row).await?;
        drop(tx);
        let unmet = crate::domain::completion::unmet(needs, false);
        if unmet.is_empty() {
            forms.push(t("completed", "Mark completed"));
        } else {
            let why: Vec<String> = unmet.into_iter().map(|(_, m)| m).collect();
            facts.push(("To complete", Cell::text(why.join("; "))));
            forms.push(t("completed", "Complete it anyway (give a reason)").irreversible(
                "Complete this placement although it does not meet the conditions? The reason is kept in its history.",
            ));
        }
    }
    if row.status == "completed" {
        // A placement completed before certificates existed has none: no link to a page
        // that would answer 404.
        let issued = crate::service::certificates::is_issued(&st, &id).await?;
        facts.push((
            "Certificate",
            if issued {
                Cell::link(
                    "Certificate of completion (PDF)",
                    format!("/placements/{id}/certificate"),
                )
            } else {
                Cell::text("None: completed before certificates were issued")
            },
        ));
    }
    if (office || school) && !matches!(row.status.as_str(), "completed" | "cancelled") {
        forms.push(
            t("cancelled", "Cancel the placement")
                .irreversible("Cancel this placement? Its seat and preceptor slot are freed."),
        );
    }
    if (office || school)
        && row.student_id.is_none()
        && matches!(row.status.as_str(), "proposed" | "confirmed")
    {
        actions.push((
            format!("/placements/{id}/student"),
            "Name the student".to_string(),
        ));
    }
    // An internship's project, for its parties (issue 16 point 4).
    actions.extend(crate::http::pages::projects::project_link(&user, &row));
    // Its letters, for those they are written to (issue 17 part 3).
    actions.extend(crate::http::pages::letters::placement_links(&user, &row));
    let mut sections = vec![];
    // Where, who, what to bring, and the shifts (issue 15 point 1).
    let (shift_facts, shifts) =
        crate::http::pages::shifts::placement_parts(&st, &user, &row, &v.clearance).await?;
    facts.extend(shift_facts);
    if !v.risks.is_empty() {
        let mut table = Table::new(
            "What this placement no longer meets: it cannot be confirmed, given its student or started until this is put right",
            vec!["Rule", "What", "Since"],
            "",
        );
        for r in &v.risks {
            table.rows.push(vec![
                Cell::badge(r.code.as_str(), "bad"),
                Cell::text(&r.detail),
                Cell::text(
                    r.since
                        .map(|t| st.clock.local(t).format("%Y-%m-%d %H:%M %Z").to_string())
                        .unwrap_or_default(),
                ),
            ]);
        }
        sections.push(crate::http::pages::Section {
            title: "At risk".into(),
            table,
            actions: vec![],
        });
    }
    sections.push(shifts);
    // Its evaluations (issue 16 point 2), for those who may read them.
    if let Some(evaluations) =
        crate::http::pages::evaluations::placement_section(&st, &user, &row.id).await?
    {
        sections.push(evaluations);
    }
    Ok(RecordPage {
        chrome: user.chrome("Placement"),
        facts,
        actions,
        sections,
        upload: None,
        forms,
    }
    .into_response())
}
