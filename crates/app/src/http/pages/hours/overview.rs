//! "Hours" across placements for every role, and the supervisor's decision on many entries.
use super::*;

/// Where a decision form may send the person back to: their hours page, or a placement's.
fn back_to(back: Option<&str>) -> String {
    let ok = back.filter(|b| {
        *b == "/hours"
            || b.strip_prefix("/placements/")
                .and_then(|r| r.strip_suffix("/hours"))
                .and_then(crate::http::extract::parse_id)
                .is_some()
    });
    ok.unwrap_or("/hours").to_string()
}

/// Approve or return the ticked entries, with the note: all or none.
pub(super) async fn decide(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    user.p.authorize(Resource::HoursApproval, Action::Write)?;
    let back = back_to(form.get("back"));
    let mut map = form.to_map(&["ids"], &[]);
    map.remove("back");
    let parsed = input::time_entries::batch(map)?;
    service::decide_entries(&st, &user.p, parsed).await?;
    Ok(see(&back, "saved"))
}

/// "Hours" for every role: the placements in scope with their totals (and a CSV of them); for
/// a preceptor, faculty member and the office, the entries waiting for their approval with
/// boxes to approve or return many at once.
pub(super) async fn overview(
    State(st): State<AppState>,
    user: PageUser,
    params: Params,
) -> PageResult {
    let scope = user.p.authorize(Resource::TimeEntry, Action::Read)?;
    let placement_scope = user.p.authorize(Resource::Placement, Action::Read)?;
    // `overdue=yes` (the office's dashboard): only the placements with hours waiting for
    // approval longer than the reminder's week, read by their ids.
    let overdue = params.bool("overdue")?.unwrap_or(false);
    let mut tx = st.db.read().await?;
    let rows = if overdue {
        let before = crate::service::dashboard::hours_overdue_before(&st);
        let mut rows = vec![];
        for id in db::dashboard::placement_ids_with_hours_overdue(&mut tx, before).await? {
            if let Some(r) = db::placements::get(&mut tx, &id).await?
                && crate::service::placements::visible(&placement_scope, &r)
            {
                rows.push(r);
            }
        }
        rows
    } else {
        db::placements::list(
            &mut tx,
            &placement_scope,
            &db::placements::Filter::default(),
            &db::Page {
                limit: 500,
                after: None,
                sort: None,
            },
        )
        .await?
        .items
    };
    let rows: Vec<PlacementRow> = rows
        .into_iter()
        .filter(|r| matches!(r.status.as_str(), "active" | "completed") && r.student_id.is_some())
        .collect();
    let mut names: Vec<(String, String)> = vec![];
    let mut table = Table::new(
        if overdue {
            "Placements with hours waiting over a week for approval"
        } else {
            "Placements and their hours"
        },
        vec![
            "Student",
            "Period",
            "Status",
            "Approved hours",
            "Required hours",
            "Approved",
            "Waiting",
            "Returned",
        ],
        "No active or completed placements.",
    );
    for r in &rows {
        let h = service::hours_of(&mut tx, r).await?;
        let name = match &r.student_id {
            Some(sid) => match names.iter().find(|(i, _)| i == sid) {
                Some((_, n)) => n.clone(),
                None => {
                    let n = db::students::get(&mut tx, sid)
                        .await?
                        .map(|s| s.full_name())
                        .unwrap_or_default();
                    names.push((sid.clone(), n.clone()));
                    n
                }
            },
            None => String::new(),
        };
        let t = &h.totals;
        let percent = t.percent_approved();
        table.rows.push(vec![
            Cell::link(name, format!("/placements/{}/hours", r.id)),
            Cell {
                text: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
                csv: format!("{}/{}", r.starts_on, r.ends_on),
                ..Default::default()
            },
            crate::http::pages::placements::badge(&r.status),
            Cell::text(hours::hours_text(t.approved_minutes)),
            Cell::text(hours::hours_text(t.required_minutes)),
            Cell {
                text: format!("{percent}%"),
                csv: percent.to_string(),
                bar: Some(percent),
                ..Default::default()
            },
            Cell::text(hours::hours_text(t.pending_minutes)),
            Cell::text(hours::hours_text(t.returned_minutes)),
        ]);
    }
    if wants_csv(&params) {
        return Ok(crate::http::pages::csv_response("hours", &table));
    }
    let decides = user
        .p
        .authorize(Resource::HoursApproval, Action::Write)
        .is_ok();
    let mut entries = vec![];
    if decides {
        let waiting = db::time_entries::list(
            &mut tx,
            &match &scope {
                Scope::Staff(s) => db::time_entries::Filter {
                    preceptor_id: Some(s.clone()),
                    status: Some("pending".into()),
                    ..Default::default()
                },
                Scope::Faculty(u) => db::time_entries::Filter {
                    faculty_user_id: Some(u.clone()),
                    status: Some("pending".into()),
                    ..Default::default()
                },
                _ => db::time_entries::Filter {
                    status: Some("pending".into()),
                    ..Default::default()
                },
            },
            &db::Page {
                limit: 500,
                after: None,
                sort: None,
            },
        )
        .await?
        .items;
        for e in &waiting {
            let name = match names.iter().find(|(i, _)| *i == e.student_id) {
                Some((_, n)) => n.clone(),
                None => db::students::get(&mut tx, &e.student_id)
                    .await?
                    .map(|s| s.full_name())
                    .unwrap_or_default(),
            };
            entries.push(entry_view(e, name, true, false));
        }
    }
    drop(tx);
    let (title, intro) = match user.p.role {
        Role::Preceptor | Role::Faculty => (
            "Hours to approve",
            "The entries your students logged and wait for you. Tick them and approve, or return them with a note to put right.",
        ),
        Role::Student => (
            "My hours",
            "Your placements' hours against what each requires. Open one to log a day.",
        ),
        Role::Admin | Role::Coordinator => (
            "Hours",
            "Every placement's hours against what it requires, and the entries still waiting for approval.",
        ),
        _ => (
            "Hours",
            "The hours of the placements you see, against what each requires (read only).",
        ),
    };
    Ok(HoursPage {
        chrome: user.chrome(title),
        intro: intro.into(),
        summary: vec![],
        actions: vec![],
        totals: None,
        log: None,
        caption: if decides {
            "Waiting for approval".into()
        } else {
            String::new()
        },
        empty: "Nothing waits for approval.".into(),
        show_student: true,
        show_delete: false,
        decide: (decides && !entries.is_empty()).then(|| DecideForm {
            action: "/hours/decide".into(),
            back: "/hours".into(),
        }),
        entries,
        csv_href: String::new(),
        placements: Some(table),
        // The CSV of exactly what is shown: the filter kept.
        placements_csv: if overdue {
            "/hours?overdue=yes&format=csv".into()
        } else {
            "/hours?format=csv".into()
        },
        placements_filters: vec![crate::http::pages::filter_select(
            "overdue",
            "Show",
            vec![(
                "yes".into(),
                "Only those with hours waiting over a week".into(),
            )],
            &params,
        )],
    }
    .into_response())
}
