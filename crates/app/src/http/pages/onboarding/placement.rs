//! A placement's onboarding: its checklist with the office's provisioning ticks and the
//! student's links to sign; and the tick (or signature) posted from it.
use super::{checklist_table, signing};
use crate::db;
use crate::domain::{
    ErrorCode, Role,
    policy::{Action, Resource},
};
use crate::http::error::AppError;
use crate::http::pages::view::{Cell, human_date};
use crate::http::pages::{
    ActionForm, Form, PageId, PageResult, PageUser, RecordPage, Section, see,
};
use crate::service::onboarding::{self, attestations, attestations::Provisioning};
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

/// A placement's onboarding: the checklist for it, with the office's provisioning ticks and
/// the student's signature.
pub(super) async fn placement_onboarding(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let scope = user.p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::http::auth::ensure(crate::service::placements::visible(&scope, &row))?;
    let Some(student_id) = row.student_id.clone() else {
        return Err(
            AppError::conflict(ErrorCode::StudentNotNamed, "name the student first").into(),
        );
    };
    let items =
        onboarding::checklist_for(&mut tx, &user.p, &student_id, Some(&id), st.clock.today())
            .await?;
    crate::service::disclosures::record(
        &st,
        &user.p,
        &student_id,
        crate::service::disclosures::Read::Checklist,
    )
    .await?;
    let v = crate::service::placements::view(&mut tx, row.clone(), st.clock.today()).await?;
    drop(tx);
    let office = user.p.role.is_office();
    let is_student = user.p.student_id.as_deref() == Some(student_id.as_str());
    let mut forms = vec![];
    let mut sign_links: Vec<(String, String)> = vec![];
    for i in items.iter().filter(|i| i.state != "verified") {
        if office && i.satisfied_by == "office_action" {
            forms.push(ActionForm::new(
                format!("/placements/{id}/onboarding/{}", i.requirement_code),
                format!("Done: {}", i.name),
            ));
        }
        if is_student && i.satisfied_by == "signed_in_system" {
            sign_links.push((
                format!("/placements/{id}/onboarding/{}", i.requirement_code),
                format!("Read and sign: {}", i.name),
            ));
        }
    }
    let facts = vec![
        (
            "Clearance",
            super::super::placements::badge(&v.clearance.status),
        ),
        (
            "Placement",
            Cell::link(
                format!(
                    "{} – {}",
                    human_date(row.starts_on),
                    human_date(row.ends_on)
                ),
                format!("/placements/{id}"),
            ),
        ),
    ];
    Ok(RecordPage {
        chrome: user.chrome("Onboarding for this placement"),
        facts,
        // The documents link only for those who may open the student's documents (no 403
        // behind a button).
        actions: sign_links
            .into_iter()
            .chain(
                (!matches!(
                    user.p.role,
                    Role::Preceptor | Role::Faculty | Role::DepartmentManager
                ))
                .then(|| {
                    (
                        format!("/students/{student_id}/documents"),
                        "Documents".to_string(),
                    )
                }),
            )
            .collect(),
        sections: vec![Section {
            title: "Checklist".into(),
            table: checklist_table(&items),
            actions: vec![],
        }],
        upload: None,
        forms,
    }
    .into_response())
}

pub(super) async fn tick(
    State(st): State<AppState>,
    user: PageUser,
    axum::extract::Path((raw, code)): axum::extract::Path<(String, String)>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let id = crate::http::extract::parse_id(&raw).ok_or(AppError::NotFound)?;
    if user.p.role.is_office() {
        attestations::provision(&st, &user.p, &id, Provisioning { code }).await?;
    } else {
        return signing::sign(&st, &user, &id, code, &form).await;
    }
    Ok(see(&format!("/placements/{id}/onboarding"), "saved"))
}
