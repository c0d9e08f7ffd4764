//! Schools, their affiliation agreements (with the signed PDF) and their programs; the school
//! coordinator's own-school page.
use super::discipline_options;
use super::nf;
use super::view::{Cell, Field, Table, word_options};
use super::{
    Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, Section,
    constant_time_eq, filter_select, filter_text, form_failed, list_page, list_response, origin_ok,
    see,
};
use crate::db::{self, agreements::Agreement, programs::Program};
use crate::domain::ErrorCode;
use crate::domain::{
    directory::{AgreementStatus, DegreeLevel, expiring_in},
    policy::{Action, Resource},
    scope::school_visible,
};
use crate::http::{auth::ensure, error::AppError, extract::Params, input, upload};
use crate::service;
use crate::state::AppState;
use axum::{Router, extract::State, response::IntoResponse, routing::get};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/schools", get(schools).post(create_school))
        .route("/schools/new", get(new_school))
        .route("/schools/{id}", get(school).post(update_school))
        .route("/schools/{id}/edit", get(edit_school))
        .route(
            "/schools/{id}/agreements",
            axum::routing::post(create_agreement),
        )
        .route("/schools/{id}/agreements/new", get(new_agreement))
        .route(
            "/schools/{id}/programs",
            axum::routing::post(create_program),
        )
        .route("/schools/{id}/programs/new", get(new_program))
        .route("/agreements", get(agreements))
        .route("/agreements/{id}", get(agreement).post(update_agreement))
        .route("/agreements/{id}/edit", get(edit_agreement))
        .route(
            "/agreements/{id}/document",
            get(download_document).post(upload_document),
        )
        .route("/programs", get(programs))
        .route("/programs/{id}", get(program).post(update_program))
        .route("/programs/{id}/edit", get(edit_program))
        .route("/my-school", get(my_school))
}

async fn school_names(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    let mut tx = st.db.read().await?;
    Ok(db::schools::all_names(&mut tx).await?)
}

/// Adds a "School" column at `at`, one linked name per row (`school_ids` in row order).
fn insert_school_column(
    table: &mut Table,
    at: usize,
    school_ids: &[&str],
    names: &[(String, String)],
) {
    table.headers.insert(at, "School");
    for (row, id) in table.rows.iter_mut().zip(school_ids) {
        let name = names
            .iter()
            .find(|n| n.0 == *id)
            .map(|n| n.1.clone())
            .unwrap_or_default();
        row.insert(at, Cell::link(name, format!("/schools/{id}")));
    }
}

// ---- schools

async fn schools(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::School, Action::Read)?;
    let page = list_page(&params)?;
    let mut tx = st.db.read().await?;
    let rows = db::schools::list(&mut tx, &scope, &params.get("q"), &page).await?;
    let today = st.clock.today();
    let mut table = Table::new(
        "Schools",
        vec!["School", "City", "State", "Agreement"],
        "No schools match.",
    );
    for s in &rows.items {
        let ags = db::agreements::of_school(&mut tx, &s.id).await?;
        table.rows.push(vec![
            Cell::link(&s.name, format!("/schools/{}", s.id)),
            Cell::text(&s.city),
            Cell::text(&s.state),
            agreement_summary(&ags, today),
        ]);
    }
    let page = ListPage {
        chrome: user.chrome("Schools & agreements"),
        intro:
            "Academic institutions and the state of their affiliation agreement with the hospital."
                .into(),
        filters: vec![filter_text("q", "Name", &params)],
        table,
        actions: if scope.is_all() {
            vec![("/schools/new".into(), "New school".into())]
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
        "schools",
    ))
}

/// The best agreement state a school has today, as a badge.
fn agreement_summary(ags: &[Agreement], today: chrono::NaiveDate) -> Cell {
    let in_force = ags
        .iter()
        .filter(|a| a.status == "active" && a.effective_on <= today && a.expires_on >= today)
        .max_by_key(|a| a.expires_on);
    match in_force {
        Some(a) => match expiring_in(AgreementStatus::Active, a.expires_on, today, 90) {
            Some(d) => Cell::badge(format!("expiring in {d} days"), "warn"),
            None => Cell::badge("active", "ok"),
        },
        None if ags.iter().any(|a| a.status == "draft") => Cell::badge("draft", "info"),
        None if ags.is_empty() => Cell::badge("none", "bad"),
        None => Cell::badge("not in force", "bad"),
    }
}

fn school_form(
    user: &PageUser,
    title: &str,
    action: String,
    cancel: String,
    s: Option<&db::schools::School>,
) -> FormPage {
    FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields: vec![
            Field::new("name", "Name", "text")
                .required()
                .value(s.map(|s| s.name.clone()).unwrap_or_default()),
            Field::new("city", "City", "text")
                .required()
                .value(s.map(|s| s.city.clone()).unwrap_or_default()),
            Field::new("state", "State", "text")
                .required()
                .value(s.map(|s| s.state.clone()).unwrap_or_default()),
        ],
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    }
}

async fn new_school(user: PageUser) -> PageResult {
    user.p.authorize(Resource::School, Action::Write)?;
    Ok(school_form(
        &user,
        "New school",
        "/schools".into(),
        "/schools".into(),
        None,
    )
    .into_response())
}

async fn create_school(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    match service::schools::create_school(
        &st,
        &user.p,
        input::schools::school(form.to_map(&[], &[]), true),
    )
    .await
    {
        Ok(s) => Ok(see(&format!("/schools/{}", s.id), "created")),
        Err(e) => form_failed(
            school_form(
                &user,
                "New school",
                "/schools".into(),
                "/schools".into(),
                None,
            ),
            &form,
            e,
        ),
    }
}

fn agreement_table(ags: &[Agreement], today: chrono::NaiveDate) -> Table {
    let mut t = Table::new(
        "Agreements",
        vec![
            "Agreement",
            "Status",
            "In force from",
            "Expires",
            "Disciplines",
            "Signed copy",
        ],
        "No agreement yet.",
    );
    for a in ags {
        let status = match expiring_in(
            AgreementStatus::parse(&a.status).unwrap_or(AgreementStatus::Draft),
            a.expires_on,
            today,
            90,
        ) {
            Some(d) => Cell::badge(format!("expiring in {d} days"), "warn"),
            None if a.status == "active" && a.expires_on < today => Cell::badge("expired", "bad"),
            None => Cell::badge(
                &a.status,
                match a.status.as_str() {
                    "active" => "ok",
                    "terminated" => "bad",
                    _ => "info",
                },
            ),
        };
        t.rows.push(vec![
            Cell::link(
                format!("{} – {}", a.effective_on, a.expires_on),
                format!("/agreements/{}", a.id),
            ),
            status,
            Cell::date(Some(a.effective_on)),
            Cell::date(Some(a.expires_on)),
            Cell::text(if a.disciplines.is_empty() {
                "all".to_string()
            } else {
                a.disciplines.join(", ")
            }),
            Cell::text(if a.document_sha256.is_some() {
                "uploaded"
            } else {
                "missing"
            }),
        ]);
    }
    t
}

fn program_table(progs: &[Program], today: chrono::NaiveDate) -> Table {
    let mut t = Table::new(
        "Programs",
        vec![
            "Program",
            "Discipline",
            "Degree",
            "Accreditor",
            "Accredited until",
        ],
        "No programs yet.",
    );
    for p in progs {
        let acc = match p.accredited_until {
            Some(d) if d < today => Cell {
                text: format!("lapsed {}", super::view::human_date(d)),
                csv: d.to_string(),
                badge: Some("bad"),
                bar: None,
                href: None,
            },
            d => Cell::date(d),
        };
        t.rows.push(vec![
            Cell::link(&p.name, format!("/programs/{}", p.id)),
            Cell::text(&p.discipline),
            Cell {
                csv: p.degree_level.clone(),
                ..Cell::text(
                    DegreeLevel::parse(&p.degree_level)
                        .map(|d| d.label())
                        .unwrap_or(""),
                )
            },
            Cell::text(&p.accreditor),
            acc,
        ]);
    }
    t
}

/// The school page: its details, agreements and programs. Shared by the office and the
/// school's own coordinator (`/my-school`).
async fn school_page(st: &AppState, user: &PageUser, id: &str) -> PageResult {
    let scope = user.p.authorize(Resource::School, Action::Read)?;
    ensure(school_visible(&scope, id))?;
    let mut tx = st.db.read().await?;
    let s = db::schools::get(&mut tx, id).await?.ok_or_else(nf)?;
    let ags = db::agreements::of_school(&mut tx, id).await?;
    let filter = db::programs::Filter {
        school_id: Some(id.to_string()),
        ..Default::default()
    };
    let progs = db::programs::list(
        &mut tx,
        &scope,
        &filter,
        &db::Page {
            limit: 500,
            after: None,
        },
    )
    .await?
    .items;
    drop(tx);
    let today = st.clock.today();
    let office = scope.is_all();
    let mut actions = vec![];
    if office {
        actions.push((format!("/schools/{id}/edit"), "Edit".to_string()));
        actions.push((format!("/history/school/{id}"), "History".to_string()));
    }
    actions.push((format!("/students?school_id={id}"), "Students".to_string()));
    let agreement_actions = if office {
        vec![(
            format!("/schools/{id}/agreements/new"),
            "Add agreement".to_string(),
        )]
    } else {
        vec![]
    };
    let program_actions = vec![(
        format!("/schools/{id}/programs/new"),
        "Add program".to_string(),
    )];
    Ok(RecordPage {
        chrome: user.chrome(s.name.clone()),
        facts: vec![
            ("City", Cell::text(&s.city)),
            ("State", Cell::text(&s.state)),
            ("Agreement today", agreement_summary(&ags, today)),
        ],
        actions,
        sections: vec![
            Section {
                title: "Affiliation agreements".into(),
                table: agreement_table(&ags, today),
                actions: agreement_actions,
            },
            Section {
                title: "Programs".into(),
                table: program_table(&progs, today),
                actions: program_actions,
            },
        ],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn school(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    school_page(&st, &user, &id).await
}

async fn my_school(State(st): State<AppState>, user: PageUser) -> PageResult {
    match user.p.school_id.clone() {
        Some(id) => school_page(&st, &user, &id).await,
        None => Err(nf()),
    }
}

async fn edit_school(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::School, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::schools::get(&mut tx, &id).await?.ok_or_else(nf)?;
    Ok(school_form(
        &user,
        &format!("Edit {}", s.name),
        format!("/schools/{id}"),
        format!("/schools/{id}"),
        Some(&s),
    )
    .into_response())
}

async fn update_school(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::schools::update_school(
        &st,
        &user.p,
        &id,
        input::schools::school(form.to_map(&[], &[]), false),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/schools/{id}"), "saved")),
        Err(e) => form_failed(
            school_form(
                &user,
                "Edit school",
                format!("/schools/{id}"),
                format!("/schools/{id}"),
                None,
            ),
            &form,
            e,
        ),
    }
}

// ---- agreements

async fn agreements(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Agreement, Action::Read)?;
    let page = list_page(&params)?;
    let today = st.clock.today();
    let days = match params.get("expiring").as_deref() {
        None => None,
        Some(d) => Some(
            d.parse::<i64>()
                .ok()
                .filter(|d| (0..=3650).contains(d))
                .ok_or_else(|| {
                    AppError::invalid(
                        "expiring",
                        ErrorCode::InvalidNumber,
                        "must be a number of days",
                    )
                })?,
        ),
    };
    let filter = db::agreements::Filter {
        school_id: params.id("school_id")?,
        status: params.word(
            "status",
            |s| AgreementStatus::parse(s).is_some(),
            &AgreementStatus::words(),
        )?,
        expiring_by: days.map(|d| today + chrono::Duration::days(d)),
        expiring_from: days.map(|_| today),
    };
    let names = school_names(&st).await?;
    let mut tx = st.db.read().await?;
    let rows = db::agreements::list(&mut tx, &scope, &filter, &page).await?;
    drop(tx);
    let mut table = agreement_table(&rows.items, today);
    let ids: Vec<&str> = rows.items.iter().map(|a| a.school_id.as_str()).collect();
    insert_school_column(&mut table, 0, &ids, &names);
    let statuses = word_options(
        &AgreementStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    );
    let windows = vec![
        ("30".to_string(), "within 30 days".to_string()),
        ("60".into(), "within 60 days".into()),
        ("90".into(), "within 90 days".into()),
    ];
    let page = ListPage {
        chrome: user.chrome("Agreements"),
        intro: "Affiliation agreements. Active agreements that end within 90 days are marked \u{201c}expiring\u{201d}: renew them before students are placed past that day.".into(),
        filters: vec![
            filter_select("school_id", "School", names, &params),
            filter_select("status", "Status", statuses, &params),
            filter_select("expiring", "Expiring", windows, &params),
        ],
        table,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "agreements",
    ))
}

async fn agreement_form(
    st: &AppState,
    user: &PageUser,
    title: &str,
    action: String,
    cancel: String,
    a: Option<&Agreement>,
) -> Result<FormPage, PageError> {
    let statuses = word_options(
        &AgreementStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    );
    Ok(FormPage {
        chrome: user.chrome(title),
        intro: "An agreement covers the disciplines ticked below, or every discipline if none is ticked.".into(),
        action,
        fields: vec![
            Field::new("status", "Status", "select").required().options(statuses).value(a.map(|a| a.status.clone()).unwrap_or_else(|| "draft".into())),
            Field::new("effective_on", "In force from", "date").required().value(a.map(|a| a.effective_on.to_string()).unwrap_or_default()),
            Field::new("expires_on", "Expires on", "date").required().value(a.map(|a| a.expires_on.to_string()).unwrap_or_default()),
            Field::new("disciplines", "Disciplines covered", "checkboxes")
                .hint("Leave all unticked for an agreement covering every discipline.")
                .options(discipline_options(st).await?)
                .values(a.map(|a| a.disciplines.clone()).unwrap_or_default()),
            Field::new("note", "Note", "textarea").value(a.and_then(|a| a.note.clone()).unwrap_or_default()),
        ],
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    })
}

async fn new_agreement(
    State(st): State<AppState>,
    user: PageUser,
    PageId(school_id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let s = db::schools::get(&mut tx, &school_id)
        .await?
        .ok_or_else(nf)?;
    drop(tx);
    let title = format!("New agreement with {}", s.name);
    Ok(agreement_form(
        &st,
        &user,
        &title,
        format!("/schools/{school_id}/agreements"),
        format!("/schools/{school_id}"),
        None,
    )
    .await?
    .into_response())
}

async fn create_agreement(
    State(st): State<AppState>,
    user: PageUser,
    PageId(school_id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::agreements::create_agreement(
        &st,
        &user.p,
        &school_id,
        input::agreements::agreement(form.to_map(&["disciplines"], &[]), true),
    )
    .await
    {
        Ok(a) => Ok(see(&format!("/schools/{}", a.school_id), "created")),
        Err(e) => {
            let page = agreement_form(
                &st,
                &user,
                "New agreement",
                format!("/schools/{school_id}/agreements"),
                format!("/schools/{school_id}"),
                None,
            )
            .await?;
            form_failed(page, &form, e)
        }
    }
}

async fn agreement(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Agreement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, &id).await?.ok_or_else(nf)?;
    ensure(school_visible(&scope, &a.school_id))?;
    let school = db::schools::get(&mut tx, &a.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    drop(tx);
    let today = st.clock.today();
    let office = scope.is_all();
    let table = agreement_table(std::slice::from_ref(&a), today);
    let mut facts = vec![(
        "School",
        Cell::link(school.clone(), format!("/schools/{}", a.school_id)),
    )];
    let headers = table.headers.clone();
    for (h, c) in headers
        .into_iter()
        .zip(table.rows.into_iter().next().unwrap_or_default())
        .skip(1)
    {
        facts.push((h, c));
    }
    if let Some(name) = &a.document_name {
        facts.push((
            "Signed copy",
            Cell::link(
                format!("Download {name}"),
                format!("/agreements/{id}/document"),
            ),
        ));
    }
    if let Some(n) = &a.note {
        facts.push(("Note", Cell::text(n)));
    }
    let mut actions = vec![];
    if office {
        actions.push((format!("/agreements/{id}/edit"), "Edit".to_string()));
        actions.push((format!("/history/agreement/{id}"), "History".to_string()));
    }
    let upload = office.then(|| {
        (
            format!("/agreements/{id}/document"),
            if a.document_name.is_some() {
                "Replace the signed agreement".to_string()
            } else {
                "Upload the signed agreement".to_string()
            },
            "A PDF of at most 10 MiB.".to_string(),
        )
    });
    Ok(RecordPage {
        chrome: user.chrome(format!("Agreement with {school}")),
        facts,
        actions,
        sections: vec![],
        upload,
        forms: vec![],
    }
    .into_response())
}

async fn edit_agreement(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    Ok(agreement_form(
        &st,
        &user,
        "Edit agreement",
        format!("/agreements/{id}"),
        format!("/agreements/{id}"),
        Some(&a),
    )
    .await?
    .into_response())
}

async fn update_agreement(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::agreements::update_agreement(
        &st,
        &user.p,
        &id,
        input::agreements::agreement(form.to_map(&["disciplines"], &[]), false),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/agreements/{id}"), "saved")),
        Err(e) => form_failed(
            agreement_form(
                &st,
                &user,
                "Edit agreement",
                format!("/agreements/{id}"),
                format!("/agreements/{id}"),
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

async fn upload_document(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    req: axum::extract::Request,
) -> PageResult {
    user.p.authorize(Resource::Agreement, Action::Write)?;
    if !origin_ok(req.headers()) {
        return Err(AppError::Forbidden.into());
    }
    let up = upload::read(req, st.config.upload_limit).await?;
    let token_ok = up
        .fields
        .get("csrf_token")
        .is_some_and(|t| constant_time_eq(t, &user.p.csrf_token));
    if !token_ok {
        return Err(AppError::Forbidden.into());
    }
    let (name, bytes) = upload::require_file(&up)?;
    service::agreements::attach_document(
        &st,
        &user.p,
        &id,
        input::agreements::document(name, bytes),
    )
    .await?;
    Ok(see(&format!("/agreements/{id}"), "uploaded"))
}

async fn download_document(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let (name, bytes) = service::agreements::agreement_document(&st, &user.p, &id).await?;
    Ok(upload::pdf_download(&name, bytes))
}

// ---- programs

async fn programs(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Read)?;
    let page = list_page(&params)?;
    let filter = db::programs::Filter {
        school_id: params.id("school_id")?,
        discipline: params.get("discipline"),
        degree_level: params.word(
            "degree_level",
            |s| DegreeLevel::parse(s).is_some(),
            &DegreeLevel::words(),
        )?,
        q: params.get("q"),
    };
    let names = school_names(&st).await?;
    let mut tx = st.db.read().await?;
    let rows = db::programs::list(&mut tx, &scope, &filter, &page).await?;
    drop(tx);
    let mut table = program_table(&rows.items, st.clock.today());
    let ids: Vec<&str> = rows.items.iter().map(|p| p.school_id.as_str()).collect();
    insert_school_column(&mut table, 1, &ids, &names);
    let levels = word_options(
        &DegreeLevel::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    );
    let mut filters = vec![filter_text("q", "Name", &params)];
    if scope.is_all() {
        filters.push(filter_select("school_id", "School", names, &params));
    }
    filters.push(filter_select(
        "discipline",
        "Discipline",
        discipline_options(&st).await?,
        &params,
    ));
    filters.push(filter_select(
        "degree_level",
        "Degree level",
        levels,
        &params,
    ));
    let actions = match (scope.is_all(), user.p.school_id.as_ref()) {
        (false, Some(s)) => vec![(
            format!("/schools/{s}/programs/new"),
            "Add program".to_string(),
        )],
        _ => vec![],
    };
    let page = ListPage {
        chrome: user.chrome("Programs"),
        intro: "Schools' programs, with their accreditation. A lapsed accreditation makes the program's students ineligible.".into(),
        filters,
        table,
        actions,
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "programs",
    ))
}

async fn program_form(
    st: &AppState,
    user: &PageUser,
    title: &str,
    action: String,
    cancel: String,
    p: Option<&Program>,
) -> Result<FormPage, PageError> {
    let levels = word_options(
        &DegreeLevel::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    );
    Ok(FormPage {
        chrome: user.chrome(title),
        intro: String::new(),
        action,
        fields: vec![
            Field::new("name", "Program name", "text")
                .required()
                .value(p.map(|p| p.name.clone()).unwrap_or_default()),
            Field::new("discipline", "Discipline", "select")
                .required()
                .options(discipline_options(st).await?)
                .value(p.map(|p| p.discipline.clone()).unwrap_or_default()),
            Field::new("degree_level", "Degree level", "select")
                .required()
                .options(levels)
                .value(p.map(|p| p.degree_level.clone()).unwrap_or_default()),
            Field::new("accreditor", "Accreditor", "text")
                .hint("Leave empty for the discipline's usual accreditor.")
                .value(p.map(|p| p.accreditor.clone()).unwrap_or_default()),
            Field::new("accredited_until", "Accredited until", "date").value(
                p.and_then(|p| p.accredited_until)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
        ],
        summary: vec![],
        submit: "Save",
        cancel,
        multipart: false,
    })
}

async fn new_program(
    State(st): State<AppState>,
    user: PageUser,
    PageId(school_id): PageId,
) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Write)?;
    ensure(school_visible(&scope, &school_id))?;
    Ok(program_form(
        &st,
        &user,
        "New program",
        format!("/schools/{school_id}/programs"),
        format!("/schools/{school_id}"),
        None,
    )
    .await?
    .into_response())
}

async fn create_program(
    State(st): State<AppState>,
    user: PageUser,
    PageId(school_id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::programs::create_program(
        &st,
        &user.p,
        &school_id,
        input::programs::program(form.to_map(&[], &[]), true),
    )
    .await
    {
        Ok(p) => Ok(see(&format!("/programs/{}", p.id), "created")),
        Err(e) => form_failed(
            program_form(
                &st,
                &user,
                "New program",
                format!("/schools/{school_id}/programs"),
                format!("/schools/{school_id}"),
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}

async fn program(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Read)?;
    let mut tx = st.db.read().await?;
    let p = db::programs::get(&mut tx, &id).await?.ok_or_else(nf)?;
    ensure(school_visible(&scope, &p.school_id))?;
    let school = db::schools::get(&mut tx, &p.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    drop(tx);
    let table = program_table(std::slice::from_ref(&p), st.clock.today());
    let mut facts = vec![(
        "School",
        Cell::link(school, format!("/schools/{}", p.school_id)),
    )];
    for (h, c) in table
        .headers
        .clone()
        .into_iter()
        .zip(table.rows.into_iter().next().unwrap_or_default())
        .skip(1)
    {
        facts.push((h, c));
    }
    let mut actions = vec![
        (format!("/programs/{id}/edit"), "Edit".to_string()),
        (format!("/students?program_id={id}"), "Students".to_string()),
    ];
    if scope.is_all() {
        actions.push((format!("/history/program/{id}"), "History".to_string()));
    }
    Ok(RecordPage {
        chrome: user.chrome(p.name.clone()),
        facts,
        actions,
        sections: vec![],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

async fn edit_program(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Write)?;
    let mut tx = st.db.read().await?;
    let p = db::programs::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    ensure(school_visible(&scope, &p.school_id))?;
    Ok(program_form(
        &st,
        &user,
        &format!("Edit {}", p.name),
        format!("/programs/{id}"),
        format!("/programs/{id}"),
        Some(&p),
    )
    .await?
    .into_response())
}

async fn update_program(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    match service::programs::update_program(
        &st,
        &user.p,
        &id,
        input::programs::program(form.to_map(&[], &[]), false),
    )
    .await
    {
        Ok(_) => Ok(see(&format!("/programs/{id}"), "saved")),
        Err(e) => form_failed(
            program_form(
                &st,
                &user,
                "Edit program",
                format!("/programs/{id}"),
                format!("/programs/{id}"),
                None,
            )
            .await?,
            &form,
            e,
        ),
    }
}
