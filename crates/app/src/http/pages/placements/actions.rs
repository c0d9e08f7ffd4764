//! The placement page's posts: a lifecycle transition, and naming a slot's student.
use super::*;

pub(super) async fn transition(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let body = form.to_map(&[], &[]);
    let outcome = match input::placements::placement_move(body) {
        Ok(m) => placements::transition_placement(&st, &user.p, &id, m).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see(&format!("/placements/{id}"), "saved")),
        Err(AppError::Rejected(p) | AppError::Refused(p)) => {
            let message =
                p.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
            Err(AppError::conflict(ErrorCode::Refused, message).into())
        }
        Err(e) => Err(e.into()),
    }
}

async fn student_page(
    st: &AppState,
    user: &PageUser,
    row: &PlacementRow,
) -> Result<FormPage, PageError> {
    let students = crate::http::pages::requests::enrolled_in(st, &row.program_id).await?;
    Ok(FormPage {
        chrome: user.chrome("Name the student"),
        intro: "Choose the student who takes this place. Onboarding starts once they are named."
            .into(),
        action: format!("/placements/{}/student", row.id),
        fields: vec![
            Field::new("student_id", "Student", "select")
                .required()
                .options(
                    students
                        .iter()
                        .map(|s| (s.id.clone(), s.full_name()))
                        .collect(),
                ),
        ],
        summary: vec![],
        submit: "Save",
        cancel: format!("/placements/{}", row.id),
        multipart: false,
        at_risk: vec![],
    })
}

pub(super) async fn student_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Placement, Action::Write)?;
    let (_, row) = load(&st, &user, &id).await?;
    Ok(student_page(&st, &user, &row).await?.into_response())
}

pub(super) async fn name_student(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (_, row) = load(&st, &user, &id).await?;
    let outcome = match input::placements::name_student(form.to_map(&[], &[])) {
        Ok(n) => placements::name_student(&st, &user.p, &id, n).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see(&format!("/placements/{id}"), "saved")),
        Err(e) => form_failed(student_page(&st, &user, &row).await?, &form, e),
    }
}
