//! Students of the schools, in their programs.
use crate::db::{self, students::Student};
use crate::domain::{
    Role,
    directory::EnrollmentStatus,
    policy::{Action, Resource},
};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table, word_options};
use crate::http::pages::{
    Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, filter_select,
    filter_text, list_page, list_response, nf,
};
use crate::http::{auth::ensure, extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

fn statuses() -> Vec<(String, String)> {
    word_options(
        &EnrollmentStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    )
}

fn status_badge(s: &str) -> Cell {
    let label = EnrollmentStatus::parse(s).map(|e| e.label()).unwrap_or(s);
    Cell {
        csv: s.to_string(),
        ..Cell::badge(label, if s == "enrolled" { "ok" } else { "warn" })
    }
}

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Student, Action::Read)?;
    let page = list_page(&params)?;
    let filter = input::students::filter(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::students::list(&mut tx, &scope, &filter, &page).await?;
    let programs = db::programs::names(&mut tx, scope.school()).await?;
    let schools = db::schools::all_names(&mut tx).await?;
    drop(tx);
    let mut table = Table::new(
        "Students",
        vec![
            "Name",
            "Email",
            "School",
            "Program",
            "Enrollment",
            "Expected graduation",
        ],
        "No students match.",
    );
    super::super::sortable(
        &mut table,
        &user,
        &params,
        &[
            (0, "name"),
            (1, "email"),
            (2, "school"),
            (3, "program"),
            (4, "enrollment"),
            (5, "graduation"),
        ],
    );
    for s in &rows.items {
        let school = schools
            .iter()
            .find(|x| x.0 == s.school_id)
            .map(|x| x.1.clone())
            .unwrap_or_default();
        let program = programs
            .iter()
            .find(|x| x.0 == s.program_id)
            .map(|x| x.1.clone())
            .unwrap_or_default();
        table.rows.push(vec![
            Cell::link(
                format!("{}, {}", s.last_name, s.first_name),
                format!("/students/{}", s.id),
            ),
            Cell::text(&s.email),
            Cell::text(school),
            Cell::text(program),
            status_badge(&s.enrollment_status),
            Cell::date(s.expected_graduation),
        ]);
    }
    let mut filters = vec![filter_text("q", "Name or email", &params)];
    if scope.is_all() {
        filters.push(filter_select("school_id", "School", schools, &params));
    }
    filters.push(filter_select("program_id", "Program", programs, &params));
    filters.push(filter_select("status", "Enrollment", statuses(), &params));
    let may_add = matches!(
        user.p.role,
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator
    );
    let page = ListPage {
        chrome: user.chrome("Students"),
        intro: "Students of the schools with an affiliation agreement.".into(),
        filters,
        table,
        actions: if may_add {
            let mut a = vec![
                ("/students/new".into(), "New student".into()),
                (
                    "/students/receive".into(),
                    "Receive a transferring student".into(),
                ),
                ("/imports/students".into(), "Import students".into()),
            ];
            if user.p.role.is_office() {
                a.push(("/invitations".into(), "Invite people to sign in".into()));
            }
            a
        } else {
            vec![]
        },
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "students",
    ))
}

async fn student_form(
    st: &AppState,
    user: &PageUser,
    title: impl Into<String>,
    action: String,
    s: Option<&Student>,
) -> Result<FormSpec, PageError> {
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.read().await?;
    let programs = db::programs::names(&mut tx, scope.school()).await?;
    let schools = db::schools::all_names(&mut tx).await?;
    drop(tx);
    let mut fields = vec![];
    if scope.is_all() && s.is_none() {
        fields.push(
            Field::new("school_id", "School", "select")
                .required()
                .options(schools),
        );
    }
    fields.extend([
        Field::new("program_id", "Program", "select")
            .required()
            .options(programs)
            .value(s.map(|s| s.program_id.clone()).unwrap_or_default()),
        Field::new("first_name", "First name", "text")
            .required()
            .value(s.map(|s| s.first_name.clone()).unwrap_or_default()),
        Field::new("last_name", "Last name", "text")
            .required()
            .value(s.map(|s| s.last_name.clone()).unwrap_or_default()),
        Field::new("email", "Email", "email")
            .required()
            .value(s.map(|s| s.email.clone()).unwrap_or_default()),
        Field::new("enrollment_status", "Enrollment", "select")
            .required()
            .options(statuses())
            .value(
                s.map(|s| s.enrollment_status.clone())
                    .unwrap_or_else(|| "enrolled".into()),
            ),
        Field::new("expected_graduation", "Expected graduation", "date").value(
            s.and_then(|s| s.expected_graduation)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
    ]);
    let cancel = action.clone();
    Ok(FormSpec::new(title, action, cancel, fields))
}

pub async fn new(State(st): State<AppState>, user: PageUser) -> PageResult {
    let spec = student_form(&st, &user, "New student", "/students".into(), None).await?;
    form_flow::show_new(&user, spec)
}

pub async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let save = async {
        let scope = user.p.authorize(Resource::Student, Action::Write)?;
        let input = input::students::student(form.to_map(&[], &[]), true, &scope);
        service::students::create_student(&st, &user.p, input).await
    };
    submit(
        &user,
        &form,
        Done::Created,
        save,
        |s| format!("/students/{}", s.id),
        student_form(&st, &user, "New student", "/students".into(), None),
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Student, Action::Read)?;
    let s = service::students::read_student(&st, &user.p, &id).await?;
    let mut tx = st.db.read().await?;
    let school = db::schools::get(&mut tx, &s.school_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let program = db::programs::get(&mut tx, &s.program_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    drop(tx);
    let enrollments_section = super::enrollments::section(&st, &s).await?;
    // A school the student left reads their record but no longer changes it.
    let may_edit = matches!(
        user.p.role,
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator
    ) && scope.manages_student(&s.current_schools(), &s.id);
    let mut actions = vec![];
    if may_edit {
        actions.push((format!("/students/{id}/edit"), "Edit".to_string()));
        actions.push((format!("/students/{id}/transfer"), "Transfer".to_string()));
        actions.push((
            format!("/students/{id}/enrollments"),
            "Add an enrollment".to_string(),
        ));
    }
    if may_edit {
        actions.push((
            format!("/students/{id}/documents"),
            "Documents and clearance".to_string(),
        ));
    }
    if scope.is_all() {
        actions.push((format!("/history/student/{id}"), "History".to_string()));
        actions.push((
            format!("/students/{id}/disclosures"),
            "Who has seen this record".to_string(),
        ));
    }
    let (sign_in, forms) = super::invitations::standing_and_forms(
        &st,
        &user,
        &crate::service::invitations::Invitee::Student(id.clone()),
    )
    .await?;
    Ok(RecordPage {
        chrome: user.chrome(s.full_name()),
        facts: vec![
            ("Email", Cell::text(&s.email)),
            ("Sign-in", sign_in),
            ("School", Cell::text(school)),
            (
                "Program",
                Cell::link(program, format!("/programs/{}", s.program_id)),
            ),
            ("Enrollment", status_badge(&s.enrollment_status)),
            ("Expected graduation", Cell::date(s.expected_graduation)),
        ],
        actions,
        sections: vec![enrollments_section],
        upload: None,
        forms,
    }
    .into_response())
}

pub async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::students::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    ensure(scope.manages_student(&s.current_schools(), &s.id))?;
    let title = format!("Edit {}", s.full_name());
    let spec = student_form(&st, &user, title, format!("/students/{id}"), Some(&s)).await?;
    form_flow::show(&user, spec)
}

pub async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let save = async {
        let scope = user.p.authorize(Resource::Student, Action::Write)?;
        let input = input::students::student(form.to_map(&[], &[]), false, &scope)
            .previewing_risks(!form.confirmed_risks());
        service::students::update_student(&st, &user.p, &id, input).await
    };
    submit(
        &user,
        &form,
        Done::Saved,
        save,
        |_| format!("/students/{id}"),
        student_form(&st, &user, "Edit student", format!("/students/{id}"), None),
    )
    .await
}
