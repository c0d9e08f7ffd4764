//! Letters on the pages (issue 17 part 3): the office edits each kind's text beside its named
//! fields and a preview (`/settings/letters/{kind}`); each placement's confirmation and welcome
//! letter and each agreement's renewal notice is a printable page with its PDF
//! (`?format=pdf`). The same use cases as the API (`service::letters`).
use super::view::{Cell, Field, Table};
use super::{Chrome, Form, PageError, PageId, PageResult, PageUser, RecordPage, see};
use crate::domain::letters::{Filled, LetterKind, Template};
use crate::domain::policy::{Action, Resource};
use crate::http::{error::AppError, extract::Params, input};
use crate::service::letters::{self, Letter, LetterTemplate};
use crate::state::AppState;
use askama::Template as Askama;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/letters", get(list))
        .route("/settings/letters/{kind}", get(edit).post(save))
        .route("/placements/{id}/letters/{kind}", get(placement_letter))
        .route("/agreements/{id}/letters/renewal", get(renewal_notice))
}

fn kind_of(word: &str) -> Result<LetterKind, PageError> {
    LetterKind::parse(word).ok_or_else(|| AppError::NotFound.into())
}

/// The office's letters: each kind, whom it is to, whose text it uses.
async fn list(State(st): State<AppState>, user: PageUser) -> PageResult {
    let all = letters::list_templates(&st, &user.p).await?;
    let mut table = Table::new(
        "The office's letters: each is written with named fields, filled in for each placement or agreement",
        vec!["Letter", "Written to", "Text"],
        "No letters.",
    );
    for t in &all {
        table.rows.push(vec![
            Cell::link(
                t.kind.label(),
                format!("/settings/letters/{}", t.kind.as_str()),
            ),
            Cell::text(t.kind.addressee()),
            Cell::text(whose(t, &st)),
        ]);
    }
    Ok(RecordPage {
        chrome: user.chrome("Letters"),
        facts: vec![],
        actions: vec![],
        sections: vec![super::Section {
            title: "Letters".into(),
            table,
            actions: vec![],
        }],
        upload: None,
        forms: vec![],
    }
    .into_response())
}

/// "The office's, last changed by Jo on Mon 4 Jan 2027" or "The text Practicum ships".
fn whose(t: &LetterTemplate, st: &AppState) -> String {
    match (t.is_default, t.updated_at) {
        (false, Some(at)) => format!(
            "The office's, last changed{} on {}",
            t.updated_by
                .as_ref()
                .map(|n| format!(" by {n}"))
                .unwrap_or_default(),
            super::view::human_date(st.clock.local(at).date_naive())
        ),
        _ => "The text Practicum ships (not changed yet)".into(),
    }
}

#[derive(Askama, WebTemplate)]
#[template(path = "letter_template.html")]
struct EditPage {
    chrome: Chrome,
    intro: String,
    action: String,
    fields: Vec<Field>,
    summary: super::Summary,
    named: Table,
    preview: Filled,
}

fn edit_page(
    st: &AppState,
    user: &PageUser,
    t: &LetterTemplate,
    typed: &Template,
) -> Result<EditPage, PageError> {
    let kind = t.kind;
    let mut named = Table::new(
        "Named fields: write one in braces, such as {student_name}",
        vec!["Field", "Filled with"],
        "",
    );
    for f in kind.fields() {
        named.rows.push(vec![
            Cell::text(format!("{{{}}}", f.name)),
            Cell::text(f.meaning),
        ]);
    }
    Ok(EditPage {
        chrome: user.chrome(kind.label()),
        intro: format!(
            "Written to {}. {}. A blank line starts a new paragraph; write {{{{ or }}}} for a brace itself.",
            kind.addressee(),
            whose(t, st)
        ),
        action: format!("/settings/letters/{}", kind.as_str()),
        fields: vec![
            Field::new("subject", "Subject", "text")
                .required()
                .hint("One line, at most 200 characters.")
                .value(&typed.subject),
            Field::new("body", "Text", "textarea")
                .required()
                .hint("The letter's paragraphs, with named fields from the list beside it.")
                .value(&typed.body),
        ],
        summary: vec![],
        named,
        preview: letters::preview(kind, typed),
    })
}

/// GET: the text, its named fields and a preview with example values (the office; 403 else).
async fn edit(State(st): State<AppState>, user: PageUser, Path(kind): Path<String>) -> PageResult {
    let kind = kind_of(&kind)?;
    let t = letters::get_template(&st, &user.p, kind).await?;
    Ok(edit_page(&st, &user, &t, &t.template)?.into_response())
}

/// POST: keeps the text, or shows it again (422) with every problem beside its part and the
/// preview of what was typed.
async fn save(
    State(st): State<AppState>,
    user: PageUser,
    Path(kind): Path<String>,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let kind = kind_of(&kind)?;
    let input = input::letters::letter_template(form.to_map(&[], &[]));
    match letters::put_template(&st, &user.p, kind, input).await {
        Ok(_) => Ok(see(
            &format!("/settings/letters/{}", kind.as_str()),
            "saved",
        )),
        Err(AppError::Rejected(problems)) => {
            let t = letters::get_template(&st, &user.p, kind).await?;
            let typed = Template {
                subject: form.get("subject").unwrap_or_default().to_string(),
                body: form.get("body").unwrap_or_default().to_string(),
            };
            let mut page = edit_page(&st, &user, &t, &typed)?;
            super::place_problems(&mut page.fields, &mut page.summary, &problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Askama, WebTemplate)]
#[template(path = "letter.html")]
struct LetterPage {
    chrome: Chrome,
    letter: Letter,
    pdf_href: String,
    back_label: &'static str,
}

/// The letter as a printable page, or its PDF with `?format=pdf` (a download).
fn letter_response(user: &PageUser, letter: Letter, params: &Params, path: String) -> PageResult {
    if params.get("format").as_deref() == Some("pdf") {
        return Ok(crate::http::api::letters::pdf_response(&letter, false));
    }
    let back_label = if letter.kind.is_about_a_placement() {
        "placement"
    } else {
        "agreement"
    };
    let title = match letter.to.first() {
        Some(to) if letter.kind == LetterKind::Welcome => {
            format!("{} for {to}", letter.kind.label())
        }
        _ => letter.kind.label().to_string(),
    };
    Ok(LetterPage {
        chrome: user.chrome(title),
        letter,
        pdf_href: format!("{path}?format=pdf"),
        back_label,
    }
    .into_response())
}

async fn placement_letter(
    State(st): State<AppState>,
    user: PageUser,
    Path((id, kind)): Path<(String, String)>,
    params: Params,
) -> PageResult {
    let id = crate::http::extract::parse_id(&id).ok_or(AppError::NotFound)?;
    let kind = kind_of(&kind)?;
    let letter = letters::placement_letter(&st, &user.p, &id, kind).await?;
    letter_response(
        &user,
        letter,
        &params,
        format!("/placements/{id}/letters/{}", kind.as_str()),
    )
}

async fn renewal_notice(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    let letter = letters::renewal_notice(&st, &user.p, &id).await?;
    letter_response(
        &user,
        letter,
        &params,
        format!("/agreements/{id}/letters/renewal"),
    )
}

/// The links to a placement's letters that `user` may read (the placement page's actions):
/// the office both, the school the confirmation, the student the welcome letter; none for a
/// seat without its student or a cancelled placement.
pub fn placement_links(
    user: &PageUser,
    row: &crate::db::placements::PlacementRow,
) -> Vec<(String, String)> {
    use crate::domain::letters::Reader;
    if row.student_id.is_none() || row.status == "cancelled" {
        return vec![];
    }
    let reader = match user.p.authorize(Resource::Placement, Action::Read) {
        Ok(crate::domain::scope::Scope::All) => Some(Reader::Office),
        Ok(crate::domain::scope::Scope::School(_)) => Some(Reader::School),
        Ok(crate::domain::scope::Scope::Student(_)) => Some(Reader::Student),
        _ => None,
    };
    [LetterKind::PlacementConfirmation, LetterKind::Welcome]
        .into_iter()
        .filter(|k| k.may_read(reader))
        .map(|k| {
            (
                format!("/placements/{}/letters/{}", row.id, k.as_str()),
                k.label().to_string(),
            )
        })
        .collect()
}
