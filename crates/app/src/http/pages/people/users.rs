//! Users (admin): everyone who can sign in, each with one role.
use crate::db;
use crate::domain::{
    Role,
    policy::{Action, Resource},
};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table};
use crate::http::pages::{
    ActionForm, Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, filter_select,
    filter_text, list_page, list_response, nf,
};
use crate::http::{extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

fn roles() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect()
}

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
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
    super::super::sortable(
        &mut table,
        &user,
        &params,
        &[(0, "name"), (1, "email"), (2, "role"), (4, "created")],
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
            Cell::text(if u.disabled_at.is_some() {
                "no (disabled)"
            } else if u.password_hash.is_some() {
                "yes"
            } else {
                "no (no password yet)"
            }),
            Cell::date(Some(st.clock.date_of(u.created_at))),
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
        actions: vec![
            ("/users/new".into(), "New user".into()),
            ("/imports/users".into(), "Import users".into()),
        ],
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

async fn user_form(st: &AppState) -> Result<FormSpec, PageError> {
    let mut tx = st.db.read().await?;
    let schools = db::schools::all_names(&mut tx).await?;
    let staff = db::staff::names(&mut tx).await?;
    drop(tx);
    Ok(FormSpec::new(
        "New user",
        "/users",
        "/users",
        vec![
            Field::new("name", "Name", "text").required(),
            Field::new("email", "Email", "email").required(),
            Field::new("role", "Role", "select")
                .required()
                .options(roles()),
            Field::new("password", "Password", "password")
                .hint("At least 10 characters. Leave empty to set it later."),
            Field::new("school_id", "School", "select").options(schools),
            Field::new("staff_id", "Staff record", "select").options(staff),
            Field::new("student_id", "Student record id", "text")
                .hint("The student's id, from their page's address."),
        ],
    )
    .intro(
        "School coordinators and faculty are linked to a school; preceptors and department \
         managers to a staff record; students to a student record.",
    ))
}

pub async fn new(State(st): State<AppState>, user: PageUser) -> PageResult {
    user.p.authorize(Resource::User, Action::Write)?;
    form_flow::show_new(&user, user_form(&st).await?)
}

pub async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    let input = input::users::new_user(form.to_map(&[], &[]));
    submit(
        &user,
        &form,
        Done::Created,
        service::users::create_user(&st, &user.p, input),
        |u| format!("/users/{}", u.id),
        user_form(&st),
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
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
    let mut forms = vec![];
    match u.disabled_at {
        Some(at) => {
            facts.push((
                "Account",
                Cell::badge(
                    format!(
                        "disabled since {}",
                        super::super::view::human_date(at.date_naive())
                    ),
                    "bad",
                ),
            ));
            forms.push(ActionForm::new(
                format!("/users/{id}/enable"),
                "Enable account",
            ));
        }
        None => {
            facts.push(("Account", Cell::badge("active", "ok")));
            if u.id != user.p.user_id && user.p.authorize(Resource::User, Action::Write).is_ok() {
                forms.push(ActionForm::new(
                    format!("/users/{id}/disable"),
                    "Disable account (ends its sessions now)",
                ));
            }
        }
    }
    let (sign_in, invite) = super::invitations::standing_and_forms(
        &st,
        &user,
        &crate::service::invitations::Invitee::User(id.clone()),
    )
    .await?;
    facts.push(("Sign-in", sign_in));
    forms.extend(invite);
    Ok(RecordPage {
        chrome: user.chrome(u.name.clone()),
        facts,
        actions: vec![(format!("/history/user/{id}"), "History".into())],
        sections: vec![],
        upload: None,
        forms,
    }
    .into_response())
}

/// `POST /users/{id}/disable` and `/enable` (admin): the same use case as
/// `PATCH /api/v1/users/{id}`.
async fn set_disabled(
    st: &AppState,
    user: &PageUser,
    form: &Form,
    id: &str,
    disabled: bool,
) -> PageResult {
    form.check(user)?;
    service::users::set_disabled(st, &user.p, id, disabled).await?;
    Ok(axum::response::Redirect::to(&format!("/users/{id}?done=saved")).into_response())
}

pub async fn disable(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    set_disabled(&st, &user, &form, &id, true).await
}

pub async fn enable(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    set_disabled(&st, &user, &form, &id, false).await
}
