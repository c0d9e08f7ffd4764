//! Inviting people on pages (issue 14 point 2): an "Invite" button on every student, staff
//! member and user, with where they stand ("signed up", "invited, the link works until ...");
//! and `/invitations`, inviting at once everyone who has not signed up — a school's students
//! after an import, or the hospital's staff. The same use cases as the API
//! (`service::invitations`).
use crate::http::pages::view::{Cell, Table, human_date};
use crate::http::pages::{ActionForm, Form, PageId, PageResult, PageUser, RecordPage, Section};
use crate::service::invitations::{self, Invitee, Standing};
use crate::state::AppState;
use crate::{db, domain::Role, error::AppResult};
use axum::{
    extract::State,
    response::{IntoResponse, Redirect},
};

/// The "Sign-in" fact of a person's page and, for those who may invite them, the buttons.
pub async fn standing_and_forms(
    st: &AppState,
    user: &PageUser,
    who: &Invitee,
) -> AppResult<(Cell, Vec<ActionForm>)> {
    let standing = invitations::standing(st, who).await?;
    let may_invite = match who {
        Invitee::User(_) => user.p.role == Role::Admin,
        _ => user.p.role.is_office(),
    };
    let fact = match &standing {
        Standing::SignedUp => Cell::badge("signed up", "ok"),
        Standing::TurnedOff => Cell::badge("account turned off", "bad"),
        Standing::NotInvited => Cell::badge("not invited yet", "info"),
        Standing::Invited { expires_at, live } if *live => Cell::badge(
            format!(
                "invited; the link works until {}",
                human_date(expires_at.date_naive())
            ),
            "info",
        ),
        Standing::Invited { expires_at, .. } => Cell::badge(
            format!(
                "invited; the link ran out on {}",
                human_date(expires_at.date_naive())
            ),
            "warn",
        ),
    };
    let mut forms = vec![];
    if may_invite && matches!(standing, Standing::NotInvited | Standing::Invited { .. }) {
        let again = matches!(standing, Standing::Invited { .. });
        let verb = if again { "Invite again" } else { "Invite" };
        match who {
            Invitee::Student(id) => forms.push(ActionForm::new(
                format!("/students/{id}/invite"),
                format!("{verb} to sign in (e-mails a link valid 7 days)"),
            )),
            Invitee::User(id) => forms.push(ActionForm::new(
                format!("/users/{id}/invite"),
                format!("{verb} to sign in (e-mails a link valid 7 days)"),
            )),
            Invitee::Staff(id, _) => {
                forms.push(
                    ActionForm::new(
                        format!("/staff/{id}/invite"),
                        format!("{verb} as a preceptor or site mentor"),
                    )
                    .with("role", "preceptor"),
                );
                if !again {
                    forms.push(
                        ActionForm::new(
                            format!("/staff/{id}/invite"),
                            "Invite as a department manager",
                        )
                        .with("role", "department_manager"),
                    );
                }
            }
        }
    }
    Ok((fact, forms))
}

async fn invite(
    st: &AppState,
    user: &PageUser,
    form: &Form,
    who: Invitee,
    back: String,
) -> PageResult {
    form.check(user)?;
    invitations::invite(st, &user.p, &who).await?;
    Ok(Redirect::to(&format!("{back}?done=invited")).into_response())
}

pub async fn invite_student(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let back = format!("/students/{id}");
    invite(&st, &user, &form, Invitee::Student(id), back).await
}

pub async fn invite_staff(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let role = match form.get("role") {
        Some("department_manager") => Some(Role::DepartmentManager),
        _ => Some(Role::Preceptor),
    };
    let back = format!("/staff/{id}");
    invite(&st, &user, &form, Invitee::Staff(id, role), back).await
}

pub async fn invite_user(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let back = format!("/users/{id}");
    invite(&st, &user, &form, Invitee::User(id), back).await
}

/// `/invitations`: how many people of each school, and of the staff, cannot sign in yet, each
/// with a button that invites them all.
pub async fn bulk_page(State(st): State<AppState>, user: PageUser) -> PageResult {
    let everyone = invitations::not_signed_up(&st, &user.p, None, true).await?;
    let mut tx = st.db.read().await?;
    let schools = db::schools::all_names(&mut tx).await?;
    drop(tx);
    let mut table = Table::new(
        "People who cannot sign in yet",
        vec!["Who", "Not signed up"],
        "Everyone has signed up.",
    );
    let mut forms = vec![];
    for (id, name) in &schools {
        let n = invitations::not_signed_up(&st, &user.p, Some(id), false)
            .await?
            .len();
        if n == 0 {
            continue;
        }
        table.rows.push(vec![
            Cell::link(format!("Students of {name}"), format!("/schools/{id}")),
            Cell::text(n.to_string()),
        ]);
        forms.push(
            ActionForm::new(
                "/invitations",
                format!("Invite the {n} students of {name} who have not signed up"),
            )
            .with("school_id", id),
        );
    }
    let staff = everyone
        .iter()
        .filter(|w| matches!(w, Invitee::Staff(..)))
        .count();
    if staff > 0 {
        table.rows.push(vec![
            Cell::link("Hospital staff", "/staff"),
            Cell::text(staff.to_string()),
        ]);
        forms.push(
            ActionForm::new(
                "/invitations",
                format!("Invite the {staff} staff members who have not signed up, as preceptors or site mentors"),
            )
            .with("staff", "1"),
        );
    }
    Ok(RecordPage {
        chrome: user.chrome("Invite people"),
        facts: vec![(
            "How it works",
            Cell::text(
                "Each person gets an e-mail with a link, valid 7 days, to set their password; they are then signed in, linked to their record. An earlier link stops working.",
            ),
        )],
        actions: vec![],
        sections: vec![Section {
            title: "Not signed up yet".into(),
            table,
            actions: vec![],
        }],
        upload: None,
        forms,
    }
    .into_response())
}

/// `POST /invitations` with `school_id` (that school's students) or `staff=1`: invites each,
/// then shows who was invited and who was not, and why.
pub async fn bulk(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let who = match (form.get("school_id"), form.get("staff")) {
        (Some(school), _) => invitations::not_signed_up(&st, &user.p, Some(school), false).await?,
        (None, Some(_)) => invitations::not_signed_up(&st, &user.p, None, true)
            .await?
            .into_iter()
            .filter(|w| matches!(w, Invitee::Staff(..)))
            .collect(),
        (None, None) => vec![],
    };
    let outcomes = invitations::invite_many(&st, &user.p, &who).await?;
    let mut table = Table::new(
        "What happened",
        vec!["Person", "E-mail", "Outcome"],
        "Nobody needed an invitation.",
    );
    for (w, outcome) in who.iter().zip(outcomes) {
        let path = match w {
            Invitee::Student(id) => format!("/students/{id}"),
            Invitee::Staff(id, _) => format!("/staff/{id}"),
            Invitee::User(id) => format!("/users/{id}"),
        };
        table.rows.push(match outcome {
            Ok(i) => vec![
                Cell::link(i.name, path),
                Cell::text(i.email),
                Cell::badge("invited", "ok"),
            ],
            Err(e) => {
                let why = e
                    .errors()
                    .into_iter()
                    .next()
                    .map(|f| f.message)
                    .unwrap_or_default();
                vec![
                    Cell::link("Open the record", path),
                    Cell::text(""),
                    Cell::badge(format!("not invited: {why}"), "bad"),
                ]
            }
        });
    }
    Ok(RecordPage {
        chrome: user.chrome("Invitations sent"),
        facts: vec![],
        actions: vec![("/invitations".into(), "Back to inviting people".into())],
        sections: vec![Section {
            title: "Invitations".into(),
            table,
            actions: vec![],
        }],
        upload: None,
        forms: vec![],
    }
    .into_response())
}
