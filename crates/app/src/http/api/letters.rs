//! Letters over the API (issue 17 part 3): the office's texts, and each placement's and
//! agreement's letters as PDF (or as JSON with `?format=json`).
use super::List;
use crate::domain::letters::{LetterKind, NamedField};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult, Problem},
    extract::{JsonBody, Params, PathId, parse_id},
    input,
};
use crate::service::letters::{self, Letter, LetterTemplate};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use utoipa::ToSchema;

/// A named field a letter's text may use.
#[derive(serde::Serialize, ToSchema)]
pub struct LetterField {
    /// Written `{name}` in the text.
    pub name: String,
    /// What it is filled with, in words.
    pub meaning: String,
}

impl From<NamedField> for LetterField {
    fn from(f: NamedField) -> Self {
        LetterField {
            name: f.name.into(),
            meaning: f.meaning.into(),
        }
    }
}

/// A kind of letter with its text as the office has it.
#[derive(serde::Serialize, ToSchema)]
pub struct LetterTemplateRecord {
    /// `placement_confirmation`, `welcome` or `agreement_renewal`.
    pub kind: String,
    /// "Placement confirmation".
    pub label: String,
    /// Whom it is written to, in words.
    pub addressee: String,
    pub subject: String,
    /// Paragraphs separated by blank lines.
    pub body: String,
    /// True while the office has not written its own text (the product's is used).
    pub is_default: bool,
    /// When the office's text was last written (RFC 3339), null for the default.
    pub updated_at: Option<String>,
    /// Who wrote it, by name.
    pub updated_by: Option<String>,
    /// The named fields this kind knows.
    pub fields: Vec<LetterField>,
}

impl From<LetterTemplate> for LetterTemplateRecord {
    fn from(t: LetterTemplate) -> Self {
        LetterTemplateRecord {
            kind: t.kind.as_str().into(),
            label: t.kind.label().into(),
            addressee: t.kind.addressee().into(),
            subject: t.template.subject,
            body: t.template.body,
            is_default: t.is_default,
            updated_at: t.updated_at.map(|a| a.to_rfc3339()),
            updated_by: t.updated_by,
            fields: t.kind.fields().into_iter().map(LetterField::from).collect(),
        }
    }
}

/// A letter made for a record (`?format=json`).
#[derive(serde::Serialize, ToSchema)]
pub struct LetterRecord {
    pub kind: String,
    pub organisation: String,
    /// The day it was made, in words.
    pub date: String,
    /// Whom it is to, one line each.
    pub to: Vec<String>,
    pub subject: String,
    /// Its paragraphs, filled in (line breaks kept).
    pub paragraphs: Vec<String>,
}

impl From<Letter> for LetterRecord {
    fn from(l: Letter) -> Self {
        LetterRecord {
            kind: l.kind.as_str().into(),
            organisation: l.organisation,
            date: l.date,
            to: l.to,
            subject: l.text.subject,
            paragraphs: l.text.paragraphs,
        }
    }
}

/// A kind named in a path; any other word names nothing (404).
fn kind_of(word: &str) -> AppResult<LetterKind> {
    LetterKind::parse(word).ok_or(AppError::NotFound)
}

/// The letter as a PDF named by its kind and whom it concerns, as an attachment (it is
/// downloaded), or inline for `inline`.
pub fn pdf_response(letter: &Letter, inline: bool) -> Response {
    let disposition = if inline { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{}.pdf\"", letter.file_stem),
            ),
        ],
        letters::pdf(letter),
    )
        .into_response()
}

/// `?format=` `pdf` (the default) or `json`.
fn respond(letter: Letter, params: &Params) -> AppResult<Response> {
    match params
        .word("format", |f| f == "pdf" || f == "json", "pdf, json")?
        .as_deref()
    {
        Some("json") => Ok(Json(LetterRecord::from(letter)).into_response()),
        _ => Ok(pdf_response(&letter, true)),
    }
}

#[utoipa::path(get, path = "/api/v1/letter-templates", tag = "letters", security(("bearer" = [])),
    responses((status = 200, body = List<LetterTemplateRecord>), (status = 403, body = Problem)))]
pub async fn list_templates(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<List<LetterTemplateRecord>>> {
    Ok(Json(letters::list_templates(&st, &p).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/letter-templates/{kind}", tag = "letters", security(("bearer" = [])),
    params(("kind" = String, Path, description = "placement_confirmation, welcome or agreement_renewal")),
    responses((status = 200, body = LetterTemplateRecord), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_template(
    State(st): State<AppState>,
    p: Principal,
    Path(kind): Path<String>,
) -> AppResult<Json<LetterTemplateRecord>> {
    let kind = kind_of(&kind)?;
    Ok(Json(letters::get_template(&st, &p, kind).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/letter-templates/{kind}", tag = "letters", security(("bearer" = [])),
    params(("kind" = String, Path, description = "placement_confirmation, welcome or agreement_renewal")),
    request_body = input::letters::LetterTemplateInput,
    responses((status = 200, body = LetterTemplateRecord), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem, description = "every problem at once: unknown_letter_field (one per unknown field, named), invalid_template, required, too_long, invalid_characters, unknown_field")))]
pub async fn put_template(
    State(st): State<AppState>,
    p: Principal,
    Path(kind): Path<String>,
    body: JsonBody,
) -> AppResult<Json<LetterTemplateRecord>> {
    p.authorize(
        crate::domain::policy::Resource::LetterTemplate,
        crate::domain::policy::Action::Write,
    )?;
    let kind = kind_of(&kind)?;
    let body = body.read(&st).await?;
    Ok(Json(
        letters::put_template(&st, &p, kind, input::letters::letter_template(body))
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/letters/{kind}", tag = "letters", security(("bearer" = [])),
    params(("id" = String, Path), ("kind" = String, Path, description = "placement_confirmation or welcome"),
        ("format" = Option<String>, Query, description = "pdf (default) or json")),
    responses((status = 200, content_type = "application/pdf", description = "the letter as a PDF; with ?format=json a LetterRecord"),
        (status = 404, body = Problem), (status = 409, body = Problem, description = "placement_closed: the placement is cancelled")))]
pub async fn placement_letter(
    State(st): State<AppState>,
    p: Principal,
    Path((id, kind)): Path<(String, String)>,
    params: Params,
) -> AppResult<Response> {
    let id = parse_id(&id).ok_or(AppError::NotFound)?;
    let kind = kind_of(&kind)?;
    respond(
        letters::placement_letter(&st, &p, &id, kind).await?,
        &params,
    )
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}/letters/renewal", tag = "letters", security(("bearer" = [])),
    params(("id" = String, Path), ("format" = Option<String>, Query, description = "pdf (default) or json")),
    responses((status = 200, content_type = "application/pdf", description = "the renewal notice as a PDF; with ?format=json a LetterRecord"),
        (status = 404, body = Problem)))]
pub async fn renewal_notice(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    params: Params,
) -> AppResult<Response> {
    respond(letters::renewal_notice(&st, &p, &id).await?, &params)
}
