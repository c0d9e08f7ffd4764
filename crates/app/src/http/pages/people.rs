//! Students, hospital staff (preceptors and mentors), and users.
use super::discipline_options;
use super::nf;
use super::view::{Cell, Field, Table, word_options};
use super::{
    Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, filter_select,
    filter_text, form_failed, list_page, list_response, see,
};
use crate::db::{self, staff::Staff, students::Student};
use crate::domain::{
    Role,
    directory::EnrollmentStatus,
    policy::{Action, Resource},
    scope::student_visible,
};
use crate::http::{auth::ensure, extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{Router, extract::State, response::IntoResponse, routing::get};
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/students", get(students).post(create_student))
        .route("/students/new", get(new_student))
        .route("/students/{id}", get(student).post(update_student))
        .route("/students/{id}/edit", get(edit_student))
        .route("/staff", get(staff_list).post(create_staff))
        .route("/staff/new", get(new_staff))
        .route("/staff/{id}", get(staff).post(update_staff))
        .route("/staff/{id}/edit", get(edit_staff))
        .route("/users", get(users).post(create_user))
        .route("/users/new", get(new_user))
        .route("/users/{id}", get(user_page))
}

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

// ---- students

async fn students(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
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
            vec![("/students/new".into(), "New student".into())]
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
    title: &str,
    action: String,
    cancel: String,
    s: Option<&Student>,
) -> Result<FormPage, PageError> {
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
    Ok(FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields,
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    })
}

async fn new_student(State(st): State<AppState>, user: PageUser) -> PageResult {
    Ok(student_form(
        &st,
        &user,
        "New student",
        "/students".into(),
        "/students".into(),
        None,
    )
    .await?
    .into_response())
}

async fn create_student(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let input = input::students::student(form.to_map(&[], &[]), true, &scope);
    match service::students::create_student(&st, &user.p, input).await {
        Ok(s) => Ok(see(&format!("/students/{}", s.id), "created")),
        Err(e) => form_failed(
            student_form(
                &st,
                &user,
                "New student",
                "/students".into(),
                "/students".into(),
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

async fn student(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Student, Action::Read)?;
    let mut tx = st.db.read().await?;
    let s = db::students::get(&mut tx, &id).await?.ok_or_else(nf)?;
    ensure(
        student_visible(&scope, &s.school_id, &s.id)
            || db::students::placed_with(&mut tx, &scope, &s.id).await?,
    )?;
    let school = db::schools::get(&mut tx, &s.school_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let program = db::programs::get(&mut tx, &s.program_id)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    drop(tx);
    let may_edit = matches!(
        user.p.role,
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator
    );
    let mut actions = vec![];
    if may_edit {
        actions.push((format!("/students/{id}/edit"), "Edit".to_string()));
    }
    if may_edit {
        actions.push((
            format!("/students/{id}/documents"),
            "Documents and clearance".to_string(),
        ));
    }
    if scope.is_all() {
        actions.push((format!("/history/student/{id}"), "History".to_string()));
    }
    Ok(RecordPage {
        chrome: user.chrome(s.full_name()),
        facts: vec![
            ("Email", Cell::text(&s.email)),
            ("School", Cell::text(school)),
            (
                "Program",
                Cell::link(program, format!("/programs/{}", s.program_id)),
            ),
            ("Enrollment", status_badge(&s.enrollment_status)),
            ("Expected graduation", Cell::date(s.expected_graduation)),
        ],
        actions,
        sections: vec![],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn edit_student(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::students::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    ensure(student_visible(&scope, &s.school_id, &s.id))?;
    Ok(student_form(
        &st,
        &user,
        &format!("Edit {}", s.full_name()),
        format!("/students/{id}"),
        format!("/students/{id}"),
        Some(&s),
    )
    .await?
    .into_response())
}

async fn update_student(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let scope = user.p.authorize(Resource::Student, Action::Write)?;
    let input = input::students::student(form.to_map(&[], &[]), false, &scope);
    match service::students::update_student(&st, &user.p, &id, input).await {
        Ok(_) => Ok(see(&format!("/students/{id}"), "saved")),
        Err(e) => form_failed(
            student_form(
                &st,
                &user,
                "Edit student",
                format!("/students/{id}"),
                format!("/students/{id}"),
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

// ---- staff

async fn department_names(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(db::departments::all_names(&mut tx).await?)
}

fn licence_cell(s: &Staff, today: chrono::NaiveDate) -> Cell {
    match s.license_expires_on {
        Some(d) if d < today => Cell {
            text: format!("expired {}", super::view::human_date(d)),
            csv: d.to_string(),
            badge: Some("bad"),
            bar: None,
            href: None,
        },
        Some(d) if (d - today).num_days() <= 60 => Cell {
            text: format!("expires {}", super::view::human_date(d)),
            csv: d.to_string(),
            badge: Some("warn"),
            bar: None,
            href: None,
        },
        d => Cell::date(d),
    }
}

async fn staff_list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Staff, Action::Read)?;
    let page = list_page(&params)?;
    let filter = input::staff::filter(&params)?;
    let depts = department_names(&st).await?;
    let mut tx = st.db.read().await?;
    let rows = db::staff::list(&mut tx, &scope, &filter, &page).await?;
    drop(tx);
    let today = st.clock.today();
    let mut table = Table::new(
        "Staff",
        vec![
            "Name",
            "Department",
            "Discipline",
            "Role",
            "Students at once",
            "Licence",
        ],
        "No staff match.",
    );
    for s in &rows.items {
        let dept = depts
            .iter()
            .find(|d| d.0 == s.department_id)
            .map(|d| d.1.clone())
            .unwrap_or_default();
        table.rows.push(vec![
            Cell::link(&s.name, format!("/staff/{}", s.id)),
            Cell::text(dept),
            Cell::text(s.discipline.clone().unwrap_or_default()),
            if s.is_preceptor {
                Cell::badge("preceptor", "info")
            } else {
                Cell::text("staff")
            },
            Cell::text(s.max_students.to_string()),
            licence_cell(s, today),
        ]);
    }
    let kinds = vec![
        ("true".to_string(), "Preceptors".to_string()),
        ("false".to_string(), "Other staff".to_string()),
    ];
    let page = ListPage {
        chrome: user.chrome("Staff"),
        intro: "Hospital people: preceptors who supervise clinicals, and site mentors for interns."
            .into(),
        filters: vec![
            filter_text("q", "Name or email", &params),
            filter_select("department_id", "Department", depts, &params),
            filter_select(
                "discipline",
                "Discipline",
                discipline_options(&st).await?,
                &params,
            ),
            filter_select("is_preceptor", "Kind", kinds, &params),
        ],
        table,
        actions: vec![("/staff/new".into(), "New staff member".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "staff",
    ))
}

fn leave_text(s: &Staff) -> String {
    s.leave
        .iter()
        .map(|l| format!("{} to {}", l.starts_on, l.ends_on))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn staff_form(
    st: &AppState,
    user: &PageUser,
    title: &str,
    action: String,
    cancel: String,
    s: Option<&Staff>,
    dept: Option<String>,
) -> Result<FormPage, PageError> {
    let opt = |f: fn(&Staff) -> Option<String>| s.and_then(f).unwrap_or_default();
    Ok(FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields: vec![
            Field::new("name", "Name", "text")
                .required()
                .value(s.map(|s| s.name.clone()).unwrap_or_default()),
            Field::new("email", "Email", "email")
                .required()
                .value(s.map(|s| s.email.clone()).unwrap_or_default()),
            Field::new("department_id", "Department", "select")
                .required()
                .options(department_names(st).await?)
                .value(
                    s.map(|s| s.department_id.clone())
                        .or(dept)
                        .unwrap_or_default(),
                ),
            Field::new(
                "is_preceptor",
                "Supervises clinical students (preceptor)",
                "checkbox",
            )
            .value(if s.is_some_and(|s| s.is_preceptor) {
                "true"
            } else {
                ""
            }),
            Field::new("discipline", "Discipline", "select")
                .hint("Required for a preceptor.")
                .options(discipline_options(st).await?)
                .value(opt(|s| s.discipline.clone())),
            Field::new("credential", "Credential", "text")
                .hint("For example RT(R), RRT, PT, DPT.")
                .value(opt(|s| s.credential.clone())),
            Field::new("license_number", "Licence number", "text")
                .value(opt(|s| s.license_number.clone())),
            Field::new("license_expires_on", "Licence expires on", "date")
                .value(opt(|s| s.license_expires_on.map(|d| d.to_string()))),
            Field::new("max_students", "Students at once", "number")
                .required()
                .value(
                    s.map(|s| s.max_students.to_string())
                        .unwrap_or_else(|| "1".into()),
                ),
            Field::new("leave", "Leave", "textarea")
                .hint("One period a line: 2027-03-01 to 2027-03-14")
                .value(s.map(leave_text).unwrap_or_default()),
        ],
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    })
}

/// The form's leave lines ("YYYY-MM-DD to YYYY-MM-DD") as the API's list; a line that does not
/// read is passed through so the API reports it.
fn staff_map(form: &Form) -> serde_json::Map<String, Value> {
    let mut map = form.to_map(&[], &["is_preceptor"]);
    let text = form.get("leave").unwrap_or("").to_string();
    let leave: Vec<Value> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(" to ") {
            Some((a, b)) => json!({ "starts_on": a.trim(), "ends_on": b.trim() }),
            None => json!({ "starts_on": l, "ends_on": "" }),
        })
        .collect();
    map.insert("leave".into(), Value::Array(leave));
    map
}

async fn new_staff(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Staff, Action::Write)?;
    Ok(staff_form(
        &st,
        &user,
        "New staff member",
        "/staff".into(),
        "/staff".into(),
        None,
        params.id("department_id")?,
    )
    .await?
    .into_response())
}

async fn create_staff(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    match service::staff::create_staff(&st, &user.p, input::staff::staff(staff_map(&form), true))
        .await
    {
        Ok(s) => Ok(see(&format!("/staff/{}", s.id), "created")),
        Err(e) => form_failed(
            staff_form(
                &st,
                &user,
                "New staff member",
                "/staff".into(),
                "/staff".into(),
                None,
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

async fn staff(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Staff, Action::Read)?;
    let mut tx = st.db.read().await?;
    let s = db::staff::get(&mut tx, &id).await?.ok_or_else(nf)?;
    let dept = db::departments::get(&mut tx, &s.department_id)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    drop(tx);
    let leave = if s.leave.is_empty() {
        "none".to_string()
    } else {
        s.leave
            .iter()
            .map(|l| {
                format!(
                    "{} – {}",
                    super::view::human_date(l.starts_on),
                    super::view::human_date(l.ends_on)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    Ok(RecordPage {
        chrome: user.chrome(s.name.clone()),
        facts: vec![
            ("Email", Cell::text(&s.email)),
            (
                "Department",
                Cell::link(dept, format!("/departments/{}", s.department_id)),
            ),
            (
                "Role",
                if s.is_preceptor {
                    Cell::badge("preceptor", "info")
                } else {
                    Cell::text("staff / site mentor")
                },
            ),
            (
                "Discipline",
                Cell::text(s.discipline.clone().unwrap_or_default()),
            ),
            (
                "Credential",
                Cell::text(s.credential.clone().unwrap_or_default()),
            ),
            (
                "Licence number",
                Cell::text(s.license_number.clone().unwrap_or_default()),
            ),
            ("Licence", licence_cell(&s, st.clock.today())),
            ("Students at once", Cell::text(s.max_students.to_string())),
            ("Leave", Cell::text(leave)),
        ],
        actions: vec![
            (format!("/staff/{id}/edit"), "Edit".into()),
            (format!("/history/staff/{id}"), "History".into()),
        ],
        sections: vec![],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn edit_staff(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Staff, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::staff::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    Ok(staff_form(
        &st,
        &user,
        &format!("Edit {}", s.name),
        format!("/staff/{id}"),
        format!("/staff/{id}"),
        Some(&s),
        None,
    )
    .await?
    .into_response())
}

async fn update_staff(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::staff::update_staff(
        &st,
        &user.p,
        &id,
        input::staff::staff(staff_map(&form), false),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/staff/{id}"), "saved")),
        Err(e) => form_failed(
            staff_form(
                &st,
                &user,
                "Edit staff member",
                format!("/staff/{id}"),
                format!("/staff/{id}"),
                None,
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

// ---- users (admin)

fn roles() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect()
}

async fn users(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::User, Action::Read)?;
    let page = list_page(&params)?;
    let role = params.word("role", |s| Role::parse(s).is_some(), "a role")?;
    let mut tx = st.db.read().await?;
    let rows = db::users::list(&mut tx, &params.get("q"), &role, &page).await?;
    drop(tx);
    let mut table = Table::new(
        "Users",
        vec!["Name", "Email", "Role", "Can sign in", "Created"],
        "No users match.",
    );
    for u in &rows.items {
        let role = Role::parse(&u.role).map(|r| r.label()).unwrap_or("");
        table.rows.push(vec![
            Cell::link(&u.name, format!("/users/{}", u.id)),
            Cell::text(&u.email),
            Cell {
                csv: u.role.clone(),
                ..Cell::text(role)
            },
            Cell::text(if u.password_hash.is_some() {
                "yes"
            } else {
                "no (no password yet)"
            }),
            Cell::date(Some(u.created_at.date_naive())),
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Users"),
        intro: "Everyone who can sign in, each with one role.".into(),
        filters: vec![
            filter_text("q", "Name or email", &params),
            filter_select("role", "Role", roles(), &params),
        ],
        table,
        actions: vec![("/users/new".into(), "New user".into())],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "users",
    ))
}

async fn user_form(st: &AppState, user: &PageUser) -> Result<FormPage, PageError> {
    let mut tx = st.db.read().await?;
    let schools = db::schools::all_names(&mut tx).await?;
    let staff = db::staff::names(&mut tx).await?;
    drop(tx);
    Ok(FormPage {
        chrome: user.chrome("New user"),
        intro: "School coordinators and faculty are linked to a school; preceptors and department managers to a staff record; students to a student record.".into(),
        action: "/users".into(),
        fields: vec![
            Field::new("name", "Name", "text").required(),
            Field::new("email", "Email", "email").required(),
            Field::new("role", "Role", "select").required().options(roles()),
            Field::new("password", "Password", "password").hint("At least 10 characters. Leave empty to set it later."),
            Field::new("school_id", "School", "select").options(schools),
            Field::new("staff_id", "Staff record", "select").options(staff),
            Field::new("student_id", "Student record id", "text").hint("The student's id, from their page's address."),
        ],
        summary: vec![],
        submit: "Save",
        cancel: "/users".into(),
        multipart: false,
    })
}

async fn new_user(State(st): State<AppState>, user: PageUser) -> PageResult {
    user.p.authorize(Resource::User, Action::Write)?;
    Ok(user_form(&st, &user).await?.into_response())
}

async fn create_user(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    user.p.authorize(Resource::User, Action::Write)?;
    match service::users::create_user(&st, &user.p, input::users::new_user(form.to_map(&[], &[])))
        .await
    {
        Ok(u) => Ok(see(&format!("/users/{}", u.id), "created")),
        Err(e) => form_failed(user_form(&st, &user).await?, &form, e),
    }
}

async fn user_page(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::User, Action::Read)?;
    let mut tx = st.db.read().await?;
    let u = db::users::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    let role = Role::parse(&u.role).map(|r| r.label()).unwrap_or("");
    let mut facts = vec![("Email", Cell::text(&u.email)), ("Role", Cell::text(role))];
    if let Some(s) = &u.school_id {
        facts.push(("School", Cell::link("Open", format!("/schools/{s}"))));
    }
    if let Some(s) = &u.staff_id {
        facts.push(("Staff record", Cell::link("Open", format!("/staff/{s}"))));
    }
    if let Some(s) = &u.student_id {
        facts.push((
            "Student record",
            Cell::link("Open", format!("/students/{s}")),
        ));
    }
    Ok(RecordPage {
        chrome: user.chrome(u.name.clone()),
        facts,
        actions: vec![(format!("/history/user/{id}"), "History".into())],
        sections: vec![],
        upload: None,
        forms: vec![],
    }
    .into_response())
}
