//! A student's enrollments on their page: the history table, a transfer to another school or
//! program, a second enrollment, and a school receiving a student it does not see yet (by the
//! student's Practicum ID). The use cases are `service::students`' (issue 12 point 4).
use super::super::view::{Cell, Field, Table, word_options};
use super::super::{Form, PageError, PageId, PageResult, PageUser, Section};
use crate::db::{self, students::Student};
use crate::domain::{
    directory::EnrollmentStatus,
    policy::{Action, Resource},
};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::{extract::parse_id, input};
use crate::service;
use crate::state::AppState;
use axum::extract::State;
use serde_json::Value;

/// The "Enrollments" section of a student's page: every enrollment, current and ended.
pub async fn section(st: &AppState, s: &Student) -> Result<Section, PageError> {
    let mut tx = st.db.read().await?;
    let programs = db::programs::names(&mut tx, None).await?;
    drop(tx);
    let mut table = Table::new(
        "Enrollments",
        vec!["Program", "Enrollment", "Started", "Ended"],
        "No enrollments.",
    );
    for e in &s.enrollments {
        let program = programs
            .iter()
            .find(|x| x.0 == e.program_id)
            .map(|x| x.1.clone())
            .unwrap_or_default();
        let status = EnrollmentStatus::parse(&e.status)
            .map(|x| x.label())
            .unwrap_or(&e.status);
        let ended = match (e.ended_at, &e.ended_reason) {
            (Some(at), Some(why)) if why == "transferred" => Cell::text(format!(
                "Transferred, {}",
                at.date_naive().format("%a %-d %b %Y")
            )),
            (Some(at), _) => Cell::date(Some(at.date_naive())),
            (None, _) => Cell::text("Current"),
        };
        table.rows.push(vec![
            Cell::link(program, format!("/programs/{}", e.program_id)),
            Cell::text(status),
            Cell::date(Some(e.started_at.date_naive())),
            ended,
        ]);
    }
    Ok(Section {
        title: "Enrollments".into(),
        table,
        actions: vec![],
    })
}

/// The programs a caller may move or enrol a student into: every school's for the office,
/// their own school's for a school coordinator.
async fn program_field(st: &AppState, user: &PageUser) -> Result<Field, PageError> {
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.read().await?;
    let programs = db::programs::names(&mut tx, scope.school()).await?;
    Ok(
        Field::new("program_id", "Program (school — program)", "select")
            .required()
            .options(programs),
    )
}

fn statuses() -> Vec<(String, String)> {
    word_options(
        &EnrollmentStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    )
}

async fn transfer_form(st: &AppState, user: &PageUser, id: &str) -> Result<FormSpec, PageError> {
    let fields = vec![program_field(st, user).await?.hint(
        "The student keeps their record, documents and history; their current program \
         becomes history, and open placements under it are flagged at risk.",
    )];
    let back = format!("/students/{id}");
    Ok(FormSpec::new(
        "Transfer to another school or program",
        format!("/students/{id}/transfer"),
        back,
        fields,
    ))
}

pub async fn transfer_page(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let spec = transfer_form(&st, &user, &id).await?;
    form_flow::show_new(&user, spec)
}

pub async fn transfer(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let save = async {
        let input = input::students::transfer(form.to_map(&[], &[]))
            .previewing_risks(!form.confirmed_risks());
        service::enrollments::transfer_student(&st, &user.p, &id, input).await
    };
    submit(
        &user,
        &form,
        Done::Saved,
        save,
        |s| format!("/students/{}", s.id),
        transfer_form(&st, &user, &id),
    )
    .await
}

async fn enrollment_form(st: &AppState, user: &PageUser, id: &str) -> Result<FormSpec, PageError> {
    let fields = vec![
        program_field(st, user).await?,
        Field::new("enrollment_status", "Enrollment", "select")
            .required()
            .options(statuses())
            .value("enrolled".to_string()),
        Field::new("expected_graduation", "Expected graduation", "date"),
    ];
    Ok(FormSpec::new(
        "Add an enrollment",
        format!("/students/{id}/enrollments"),
        format!("/students/{id}"),
        fields,
    ))
}

pub async fn enrollment_page(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let spec = enrollment_form(&st, &user, &id).await?;
    form_flow::show_new(&user, spec)
}

pub async fn enroll(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let save = async {
        let input = input::students::enrollment(form.to_map(&[], &[]), true);
        service::enrollments::add_enrollment(&st, &user.p, &id, input).await
    };
    submit(
        &user,
        &form,
        Done::Created,
        save,
        |s| format!("/students/{}", s.id),
        enrollment_form(&st, &user, &id),
    )
    .await
}

async fn receive_form(st: &AppState, user: &PageUser) -> Result<FormSpec, PageError> {
    let fields = vec![
        Field::new("student_id", "The student's Practicum ID", "text")
            .required()
            .hint("The student finds it on their profile page. Their record, documents and history come with them."),
        program_field(st, user).await?,
    ];
    Ok(FormSpec::new(
        "Receive a transferring student",
        "/students/receive",
        "/students",
        fields,
    ))
}

pub async fn receive_page(State(st): State<AppState>, user: PageUser) -> PageResult {
    let spec = receive_form(&st, &user).await?;
    form_flow::show_new(&user, spec)
}

pub async fn receive(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let save = async {
        let mut map = form.to_map(&[], &[]);
        let raw = map.remove("student_id");
        let Some(student_id) = raw.as_ref().and_then(Value::as_str).and_then(parse_id) else {
            return Err(crate::error::AppError::invalid(
                "student_id",
                crate::domain::ErrorCode::UnknownStudent,
                "there is no student with this ID",
            ));
        };
        let input = input::students::transfer(map);
        // An ID that names nobody is a problem with the form, not a missing page.
        match service::enrollments::transfer_student(&st, &user.p, &student_id, input).await {
            Err(crate::error::AppError::NotFound) => Err(crate::error::AppError::invalid(
                "student_id",
                crate::domain::ErrorCode::UnknownStudent,
                "there is no student with this ID",
            )),
            other => other,
        }
    };
    submit(
        &user,
        &form,
        Done::Saved,
        save,
        |s| format!("/students/{}", s.id),
        receive_form(&st, &user),
    )
    .await
}
