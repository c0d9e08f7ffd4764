//! Schools' programs, with their accreditation.
use super::{insert_school_column, school_names};
use crate::db::{self, programs::Program};
use crate::domain::{
    directory::DegreeLevel,
    policy::{Action, Resource},
};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table, human_date, word_options};
use crate::http::pages::{
    Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, discipline_options,
    filter_select, filter_text, list_page, list_response, nf,
};
use crate::http::{auth::ensure, extract::Params, input};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

fn levels() -> Vec<(String, String)> {
    word_options(
        &DegreeLevel::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    )
}

pub(super) fn program_table(progs: &[Program], today: chrono::NaiveDate) -> Table {
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
                text: format!("lapsed {}", human_date(d)),
                csv: d.to_string(),
                badge: Some("bad"),
                bar: None,
                href: None,
            },
            d => Cell::date(d),
        };
        t.rows.push(vec![
            Cell::link(&p.name, format!("/programs/{}", p.id)),
            Cell::text(super::super::view::discipline_word(Some(&p.discipline))),
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

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
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
        accreditation_ending: crate::http::input::programs::accreditation_window(
            &params,
            st.clock.today(),
        )?,
    };
    let names = school_names(&st).await?;
    let mut tx = st.db.read().await?;
    let rows = db::programs::list(&mut tx, &scope, &filter, &page).await?;
    drop(tx);
    let mut table = program_table(&rows.items, st.clock.today());
    let ids: Vec<&str> = rows.items.iter().map(|p| p.school_id.as_str()).collect();
    insert_school_column(&mut table, 1, &ids, &names);
    super::super::sortable(
        &mut table,
        &user,
        &params,
        &[
            (0, "name"),
            (1, "school"),
            (2, "discipline"),
            (3, "degree"),
            (4, "accreditor"),
            (5, "accredited"),
        ],
    );
    let levels = levels();
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
    filters.push(filter_select(
        "accreditation_ending_within",
        "Accreditation ending",
        vec![
            ("30".to_string(), "within 30 days".to_string()),
            ("60".into(), "within 60 days".into()),
            ("90".into(), "within 90 days".into()),
        ],
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
    title: impl Into<String>,
    action: String,
    cancel: String,
    p: Option<&Program>,
) -> Result<FormSpec, PageError> {
    Ok(FormSpec::new(
        title,
        action,
        cancel,
        vec![
            Field::new("name", "Program name", "text")
                .hint("Leave empty to name it from its degree and discipline, e.g. Associate in Radiography.")
                .value(p.map(|p| p.name.clone()).unwrap_or_default()),
            Field::new("discipline", "Discipline", "select")
                .required()
                .options(discipline_options(st).await?)
                .value(p.map(|p| p.discipline.clone()).unwrap_or_default()),
            Field::new("degree_level", "Degree level", "select")
                .required()
                .options(levels())
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
    ))
}

pub async fn new(
    State(st): State<AppState>,
    user: PageUser,
    PageId(school_id): PageId,
) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Write)?;
    ensure(scope.sees_school(&school_id))?;
    let spec = program_form(
        &st,
        "New program",
        format!("/schools/{school_id}/programs"),
        format!("/schools/{school_id}"),
        None,
    )
    .await?;
    form_flow::show_new(&user, spec)
}

pub async fn create(
    State(st): State<AppState>,
    user: PageUser,
    PageId(school_id): PageId,
    form: Form,
) -> PageResult {
    let input = input::programs::program(form.to_map(&[], &[]), true);
    submit(
        &user,
        &form,
        Done::Created,
        service::programs::create_program(&st, &user.p, &school_id, input),
        |p| format!("/programs/{}", p.id),
        program_form(
            &st,
            "New program",
            format!("/schools/{school_id}/programs"),
            format!("/schools/{school_id}"),
            None,
        ),
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Read)?;
    let mut tx = st.db.read().await?;
    let p = db::programs::get(&mut tx, &id).await?.ok_or_else(nf)?;
    ensure(scope.sees_school(&p.school_id))?;
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

pub async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let scope = user.p.authorize(Resource::Program, Action::Write)?;
    let mut tx = st.db.read().await?;
    let p = db::programs::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    ensure(scope.sees_school(&p.school_id))?;
    let to = format!("/programs/{id}");
    let spec = program_form(&st, format!("Edit {}", p.name), to.clone(), to, Some(&p)).await?;
    form_flow::show(&user, spec)
}

pub async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let input = input::programs::program(form.to_map(&[], &[]), false)
        .previewing_risks(!form.confirmed_risks());
    let to = format!("/programs/{id}");
    submit(
        &user,
        &form,
        Done::Saved,
        service::programs::update_program(&st, &user.p, &id, input),
        |_| to.clone(),
        program_form(&st, "Edit program", to.clone(), to.clone(), None),
    )
    .await
}
