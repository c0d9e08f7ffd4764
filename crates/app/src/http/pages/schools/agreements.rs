//! Affiliation agreements: the office's renewal list, each agreement, its signed PDF.
use super::{insert_school_column, school_names};
use crate::db::{self, agreements::Agreement};
use crate::domain::{
    ErrorCode,
    directory::{AgreementStatus, expiring_in},
    policy::{Action, Resource},
};
use crate::http::pages::form_flow::{self, Done, FormSpec, submit};
use crate::http::pages::view::{Cell, Field, Table, word_options};
use crate::http::pages::{
    Form, ListPage, PageError, PageId, PageResult, PageUser, RecordPage, constant_time_eq,
    discipline_options, filter_select, list_page, list_response, nf, origin_ok, see,
};
use crate::http::{auth::ensure, error::AppError, extract::Params, input, upload};
use crate::service;
use crate::state::AppState;
use axum::{extract::State, response::IntoResponse};

fn statuses() -> Vec<(String, String)> {
    word_options(
        &AgreementStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect::<Vec<_>>(),
    )
}

/// The best agreement state a school has today, as a badge.
pub(super) fn agreement_summary(ags: &[Agreement], today: chrono::NaiveDate) -> Cell {
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

pub(super) fn agreement_table(ags: &[Agreement], today: chrono::NaiveDate) -> Table {
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
            Cell {
                csv: format!("{}/{}", a.effective_on, a.expires_on),
                ..Cell::link(
                    format!(
                        "{} – {}",
                        crate::http::pages::view::human_date(a.effective_on),
                        crate::http::pages::view::human_date(a.expires_on)
                    ),
                    format!("/agreements/{}", a.id),
                )
            },
            status,
            Cell::date(Some(a.effective_on)),
            Cell::date(Some(a.expires_on)),
            Cell::text(if a.disciplines.is_empty() {
                "all".to_string()
            } else {
                super::super::view::discipline_names(&a.disciplines)
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

pub async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
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
    super::super::sortable(
        &mut table,
        &user,
        &params,
        &[
            (0, "school"),
            (2, "status"),
            (3, "effective"),
            (4, "expires"),
        ],
    );
    let statuses = statuses();
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
    title: impl Into<String>,
    action: String,
    cancel: String,
    a: Option<&Agreement>,
) -> Result<FormSpec, PageError> {
    Ok(FormSpec::new(
        title,
        action,
        cancel,
        vec![
            Field::new("status", "Status", "select")
                .required()
                .options(statuses())
                .value(
                    a.map(|a| a.status.clone())
                        .unwrap_or_else(|| "draft".into()),
                ),
            Field::new("effective_on", "In force from", "date")
                .required()
                .value(a.map(|a| a.effective_on.to_string()).unwrap_or_default()),
            Field::new("expires_on", "Expires on", "date")
                .required()
                .value(a.map(|a| a.expires_on.to_string()).unwrap_or_default()),
            Field::new("disciplines", "Disciplines covered", "checkboxes")
                .hint("Leave all unticked for an agreement covering every discipline.")
                .options(discipline_options(st).await?)
                .values(a.map(|a| a.disciplines.clone()).unwrap_or_default()),
            Field::new("note", "Note", "textarea")
                .value(a.and_then(|a| a.note.clone()).unwrap_or_default()),
        ],
    )
    .intro(
        "An agreement covers the disciplines ticked below, or every discipline if none is ticked.",
    ))
}

pub async fn new(
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
    let spec = agreement_form(
        &st,
        format!("New agreement with {}", s.name),
        format!("/schools/{school_id}/agreements"),
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
    let input = input::agreements::agreement(form.to_map(&["disciplines"], &[]), true);
    submit(
        &user,
        &form,
        Done::Created,
        service::agreements::create_agreement(&st, &user.p, &school_id, input),
        |a| format!("/schools/{}", a.school_id),
        agreement_form(
            &st,
            "New agreement",
            format!("/schools/{school_id}/agreements"),
            format!("/schools/{school_id}"),
            None,
        ),
    )
    .await
}

pub async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    Ok(agreement_page(&st, &user, &id).await?.into_response())
}

/// The agreement's page: its facts, and for the office the signed copy's upload.
async fn agreement_page(st: &AppState, user: &PageUser, id: &str) -> Result<RecordPage, PageError> {
    let scope = user.p.authorize(Resource::Agreement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, id).await?.ok_or_else(nf)?;
    ensure(scope.sees_school(&a.school_id))?;
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
    // The renewal notice, for the office and the school (issue 17 part 3).
    actions.push((
        format!("/agreements/{id}/letters/renewal"),
        "Renewal notice".to_string(),
    ));
    if office {
        actions.push((format!("/agreements/{id}/edit"), "Edit".to_string()));
        actions.push((format!("/history/agreement/{id}"), "History".to_string()));
    }
    let upload = office.then(|| crate::http::pages::UploadForm {
        action: format!("/agreements/{id}/document"),
        label: if a.document_name.is_some() {
            "Replace the signed agreement".to_string()
        } else {
            "Upload the signed agreement".to_string()
        },
        hint: format!(
            "A PDF of at most {}.",
            upload::size_words(st.config.upload_limit)
        ),
        error: String::new(),
    });
    Ok(RecordPage {
        chrome: user.chrome(format!("Agreement with {school}")),
        facts,
        actions,
        sections: vec![],
        upload,
        forms: vec![],
    })
}

pub async fn edit(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Agreement, Action::Write)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, &id).await?.ok_or_else(nf)?;
    drop(tx);
    let to = format!("/agreements/{id}");
    let spec = agreement_form(&st, "Edit agreement", to.clone(), to, Some(&a)).await?;
    form_flow::show(&user, spec)
}

pub async fn update(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    let input = input::agreements::agreement(form.to_map(&["disciplines"], &[]), false)
        .previewing_risks(!form.confirmed_risks());
    let to = format!("/agreements/{id}");
    submit(
        &user,
        &form,
        Done::Saved,
        service::agreements::update_agreement(&st, &user.p, &id, input),
        |_| to.clone(),
        agreement_form(&st, "Edit agreement", to.clone(), to.clone(), None),
    )
    .await
}

pub async fn upload_document(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    req: axum::extract::Request,
) -> PageResult {
    user.p.authorize(Resource::Agreement, Action::Write)?;
    if !origin_ok(req.headers()) {
        return Err(AppError::Forbidden.into());
    }
    // A refused file shows the page again, answered 422, with why beside the file input.
    let refused = |e: AppError| async {
        let AppError::Rejected(p) = e else {
            return Err(e.into());
        };
        let mut page = agreement_page(&st, &user, &id).await?;
        if let Some(u) = page.upload.as_mut() {
            u.error =
                p.0.iter()
                    .map(|e| format!("File: {}", e.message))
                    .collect::<Vec<_>>()
                    .join("; ");
        }
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let up = match upload::read(req, st.config.upload_limit).await {
        Ok(up) => up,
        Err(e) => return refused(e).await,
    };
    let token_ok = up
        .fields
        .get("csrf_token")
        .is_some_and(|t| constant_time_eq(t, &user.p.csrf_token));
    if !token_ok {
        return Err(AppError::Forbidden.into());
    }
    let (name, bytes) = match upload::require_file(&up) {
        Ok(f) => f,
        Err(e) => return refused(e).await,
    };
    let attached = service::agreements::attach_document(
        &st,
        &user.p,
        &id,
        input::agreements::document(name, bytes),
    )
    .await;
    match attached {
        Ok(_) => Ok(see(&format!("/agreements/{id}"), "uploaded")),
        Err(e) => refused(e).await,
    }
}

pub async fn download_document(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    let (name, bytes) = service::agreements::agreement_document(&st, &user.p, &id).await?;
    Ok(upload::pdf_download(&name, bytes))
}
