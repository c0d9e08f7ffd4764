//! One placement's hours: the page, its CSV, the student's logging and deleting of an entry.
use super::*;

/// Whether the caller approves this placement's entries (the office, its preceptor, its
/// faculty member), as the service decides it.
fn approves(user: &PageUser, row: &PlacementRow) -> bool {
    match user.p.authorize(Resource::HoursApproval, Action::Write) {
        Ok(Scope::All) => true,
        Ok(Scope::Staff(s)) => row.preceptor_id.as_deref() == Some(s.as_str()),
        Ok(Scope::Faculty(u)) => row.faculty_user_id.as_deref() == Some(u.as_str()),
        _ => false,
    }
}

async fn student_name(st: &AppState, id: Option<&str>) -> Result<String, PageError> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    let mut tx = st.db.read().await?;
    Ok(db::students::get(&mut tx, id)
        .await?
        .map(|s| s.full_name())
        .unwrap_or_default())
}

/// The placement's hours page, with the log form's problems when a post failed.
async fn render_placement(
    st: &AppState,
    user: &PageUser,
    id: &str,
    failed: Option<(&Form, crate::domain::Problems)>,
) -> PageResult {
    let (row, entries) = service::entries_of(st, &user.p, id).await?;
    let totals = service::totals(st, &user.p, id).await?;
    let is_student = user.p.role == Role::Student;
    let decides = approves(user, &row);
    let name = student_name(st, row.student_id.as_deref()).await?;
    let views: Vec<EntryView> = entries
        .iter()
        .map(|e| {
            let open = EntryStatus::parse(&e.status).is_some_and(EntryStatus::is_open);
            entry_view(e, name.clone(), decides && open, is_student && open)
        })
        .collect();
    let log = (is_student && row.status == "active").then(|| {
        let mut fields = log_fields(st.clock.today());
        if let Some((form, _)) = &failed {
            for f in &mut fields {
                f.value = form.get(&f.name).unwrap_or("").to_string();
            }
        }
        LogForm {
            action: format!("/placements/{id}/hours"),
            fields,
        }
    });
    let mut summary = vec![];
    let mut log = log;
    if let (Some((_, problems)), Some(form)) = (&failed, log.as_mut()) {
        for e in &problems.0 {
            let field = e.field.as_deref().unwrap_or("");
            let target = form.fields.iter_mut().find(|f| f.name == field);
            let (anchor, label) = match target {
                Some(f) => {
                    if f.error.is_empty() {
                        f.error = e.message.clone();
                    }
                    (f.id(), f.label.clone())
                }
                None => (String::new(), String::new()),
            };
            let message = if label.is_empty() {
                e.message.clone()
            } else {
                format!("{label}: {}", e.message)
            };
            summary.push((anchor, message));
        }
    }
    let intro = format!(
        "{} — {} to {}.",
        if name.is_empty() {
            "Placement".to_string()
        } else {
            name.clone()
        },
        human_date(row.starts_on),
        human_date(row.ends_on)
    );
    let title = if is_student { "My hours" } else { "Hours" };
    Ok(HoursPage {
        chrome: user.chrome(title),
        intro,
        summary,
        actions: vec![(format!("/placements/{id}"), "The placement".into())],
        totals: Some((&totals).into()),
        log,
        caption: "Entries".into(),
        empty: "No hours logged yet.".into(),
        entries: views,
        show_student: false,
        show_delete: is_student,
        decide: decides.then(|| DecideForm {
            action: "/hours/decide".into(),
            back: format!("/placements/{id}/hours"),
        }),
        csv_href: format!("/placements/{id}/hours?format=csv"),
        placements: None,
        placements_csv: String::new(),
        placements_filters: vec![],
    }
    .into_response())
}

pub(super) async fn placement_hours(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    if wants_csv(&params) {
        let (_, entries) = service::entries_of(&st, &user.p, &id).await?;
        return Ok(crate::http::download_csv(
            &format!("hours-{id}.csv"),
            entries_table(&entries, "Entries").csv(),
        ));
    }
    render_placement(&st, &user, &id, None).await
}

/// The student's "Log hours" form: saved and back to the list, or shown again with every
/// problem beside its field.
pub(super) async fn log(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let parsed = input::time_entries::entry(form.to_map(&[], &[]), true);
    match service::log_entry(&st, &user.p, &id, parsed).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/hours"), "saved")),
        Err(AppError::Rejected(p)) => {
            let status =
                StatusCode::from_u16(p.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let page = render_placement(&st, &user, &id, Some((&form, p))).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn delete_entry(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, entry_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (id, entry_id) = entry_ids(&id, &entry_id)?;
    service::delete_entry(&st, &user.p, &id, &entry_id).await?;
    Ok(see(&format!("/placements/{id}/hours"), "saved"))
}
