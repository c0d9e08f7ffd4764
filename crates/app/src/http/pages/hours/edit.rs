//! The student's form to change an entry not approved yet.
use super::*;

/// The student's form to change an entry not approved yet, filled with it.
async fn edit_page(
    st: &AppState,
    user: &PageUser,
    id: &str,
    entry_id: &str,
) -> Result<FormPage, PageError> {
    if user.p.role != Role::Student {
        return Err(AppError::Forbidden.into());
    }
    let (_, entries) = service::entries_of(st, &user.p, id).await?;
    let e = entries
        .into_iter()
        .find(|e| e.id == entry_id)
        .ok_or(AppError::NotFound)?;
    if !EntryStatus::parse(&e.status).is_some_and(EntryStatus::is_open) {
        return Err(AppError::conflict(
            crate::domain::ErrorCode::EntryLocked,
            "this entry is approved and locked",
        )
        .into());
    }
    let mut fields = log_fields(st.clock.today());
    let hours_given = e.kind == "worked" && e.clock_in.is_none();
    for f in &mut fields {
        f.value = match f.name.as_str() {
            "date" => e.entry_date.to_string(),
            "kind" => e.kind.clone(),
            "hours" if hours_given => hours::hours_text(e.minutes),
            "clock_in" => e.clock_in.clone().unwrap_or_default(),
            "clock_out" => e.clock_out.clone().unwrap_or_default(),
            "activity" => e.activity.clone().unwrap_or_default(),
            "notes" => e.notes.clone().unwrap_or_default(),
            "absence_reason" => e.absence_reason.clone().unwrap_or_default(),
            "make_up_on" => e.make_up_on.map(|d| d.to_string()).unwrap_or_default(),
            _ => String::new(),
        };
    }
    let intro = match &e.decision_note {
        Some(n) if e.status == "returned" => {
            format!(
                "Returned by your supervisor: \u{201c}{n}\u{201d}. Put it right and save: it waits for approval again."
            )
        }
        _ => "Change the entry; it waits for approval.".to_string(),
    };
    Ok(FormPage {
        chrome: user.chrome(format!("Change the entry of {}", human_date(e.entry_date))),
        intro,
        action: format!("/placements/{id}/hours/{entry_id}/edit"),
        fields,
        summary: vec![],
        submit: "Save",
        cancel: format!("/placements/{id}/hours"),
        multipart: false,
        at_risk: vec![],
    })
}

pub(super) async fn edit_form(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, entry_id)): Path<(String, String)>,
) -> PageResult {
    let (id, entry_id) = entry_ids(&id, &entry_id)?;
    Ok(edit_page(&st, &user, &id, &entry_id).await?.into_response())
}

pub(super) async fn edit(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, entry_id)): Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (id, entry_id) = entry_ids(&id, &entry_id)?;
    let page = edit_page(&st, &user, &id, &entry_id).await?;
    let parsed = input::time_entries::entry(form.to_map(&[], &[]), false);
    match service::update_entry(&st, &user.p, &id, &entry_id, parsed).await {
        Ok(_) => Ok(see(&format!("/placements/{id}/hours"), "saved")),
        Err(e) => form_failed(page, &form, e),
    }
}
