//! Letters (issue 17 part 3): the office keeps the text of each kind (`domain::letters`), and
//! makes each placement's confirmation to the school and welcome letter to the student, and
//! each agreement's renewal notice, as a printable page and a PDF (`crate::pdf`).
//!
//! Who reads which letter is `LetterKind::may_read`: the office every one, the school its own
//! students' confirmations and its agreements' renewal notices, the student their own welcome
//! letter; anyone else 404. The texts are the office's (admin, coordinator): others 403.
use super::letter_values;
use super::{Parsed, Principal, ensure};
use crate::db::{self, letter_templates::LetterTemplateRow};
use crate::domain::{
    ErrorCode,
    letters::{self, Filled, LetterKind, Reader, Template},
    policy::{Action, Resource},
    scope::Scope,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{DateTime, Utc};

/// A kind's text as the office has it: its own, or the one the product ships.
#[derive(Clone, Debug)]
pub struct LetterTemplate {
    pub kind: LetterKind,
    pub template: Template,
    /// True while the office has not written its own.
    pub is_default: bool,
    pub updated_at: Option<DateTime<Utc>>,
    /// The name of who wrote it last.
    pub updated_by: Option<String>,
}

/// A new text: both parts, each checked (`domain::letters::check`).
#[derive(Clone, Debug, Default)]
pub struct TemplateFields {
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// A letter made for a record: whom it is to (the lines above it), its date, the filled text,
/// and a file name for its PDF.
#[derive(Clone, Debug)]
pub struct Letter {
    pub kind: LetterKind,
    pub organisation: String,
    /// The day it is made, in words.
    pub date: String,
    pub to: Vec<String>,
    pub text: Filled,
    /// `welcome-ana-lopez`: the PDF's name without `.pdf`.
    pub file_stem: String,
    /// The page of the record it is about (`/placements/{id}`, `/agreements/{id}`).
    pub record_href: String,
}

async fn load_template(tx: &mut db::Tx, kind: LetterKind) -> AppResult<LetterTemplate> {
    Ok(match db::letter_templates::get(tx, kind.as_str()).await? {
        Some(row) => {
            let by = match &row.updated_by {
                Some(id) => db::users::get(tx, id).await?.map(|u| u.name),
                None => None,
            };
            LetterTemplate {
                kind,
                template: Template {
                    subject: row.subject,
                    body: row.body,
                },
                is_default: false,
                updated_at: Some(row.updated_at),
                updated_by: by,
            }
        }
        None => LetterTemplate {
            kind,
            template: kind.default_template(),
            is_default: true,
            updated_at: None,
            updated_by: None,
        },
    })
}

/// Every kind's text, for the office. Errors: 403 for anyone else.
pub async fn list_templates(st: &AppState, p: &Principal) -> AppResult<Vec<LetterTemplate>> {
    p.authorize(Resource::LetterTemplate, Action::Read)?;
    let mut tx = st.db.read().await?;
    let mut out = Vec::new();
    for kind in LetterKind::ALL {
        out.push(load_template(&mut tx, kind).await?);
    }
    Ok(out)
}

/// One kind's text, for the office. Errors: 403.
pub async fn get_template(
    st: &AppState,
    p: &Principal,
    kind: LetterKind,
) -> AppResult<LetterTemplate> {
    p.authorize(Resource::LetterTemplate, Action::Read)?;
    let mut tx = st.db.read().await?;
    load_template(&mut tx, kind).await
}

/// Keeps a new text for `kind` (the office), audited as an `update` of the record
/// `letter_template` [`LetterKind::audit_id`], before and after. Errors: 403; 422 with every
/// problem at once — the body's (`unknown_field`, `required`) and the text's
/// (`unknown_letter_field` naming each unknown field, `invalid_template`, `too_long`,
/// `invalid_characters`).
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), kind = kind.as_str()))]
pub async fn put_template(
    st: &AppState,
    p: &Principal,
    kind: LetterKind,
    input: Parsed<TemplateFields>,
) -> AppResult<LetterTemplate> {
    p.authorize(Resource::LetterTemplate, Action::Write)?;
    let Parsed {
        fields,
        mut problems,
        ..
    } = input;
    // A part that is missing is already `required`; the other is checked on its own.
    let checked = Template {
        subject: fields.subject.clone().unwrap_or_else(|| "x".into()),
        body: fields.body.clone().unwrap_or_else(|| "x".into()),
    };
    if let Err(more) = letters::check(kind, &checked) {
        problems.0.extend(more.0);
    }
    problems.into_result()?;
    let mut tx = st.db.write().await?;
    let before = load_template(&mut tx, kind).await?;
    let now = st.clock.now();
    let row = LetterTemplateRow {
        kind: kind.as_str().to_string(),
        subject: checked.subject,
        body: checked.body,
        updated_at: now,
        updated_by: Some(p.user_id.clone()),
    };
    db::letter_templates::put(&mut tx, &row).await?;
    let shown = |t: &Template| serde_json::json!({ "kind": kind.as_str(), "subject": t.subject, "body": t.body });
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "update",
        "letter_template",
        kind.audit_id(),
        Some(&shown(&before.template)),
        Some(&shown(&Template {
            subject: row.subject.clone(),
            body: row.body.clone(),
        })),
    )
    .await?;
    let after = load_template(&mut tx, kind).await?;
    tx.commit().await?;
    Ok(after)
}

/// A text filled with example values (the office's preview beside its text).
pub fn preview(kind: LetterKind, t: &Template) -> Filled {
    letters::fill(t, &letters::sample_values(kind))
}

/// Who the caller is to a record of `school_id` (and `student_id`), for `may_read`.
fn reader(scope: &Scope, school_id: &str, student_id: Option<&str>) -> Option<Reader> {
    match scope {
        Scope::All => Some(Reader::Office),
        Scope::School(s) if s == school_id => Some(Reader::School),
        Scope::Student(s) if Some(s.as_str()) == student_id => Some(Reader::Student),
        _ => None,
    }
}

/// A file name's words: lower-case ASCII letters and digits joined by `-` (a header value
/// holds ASCII only).
fn slug(words: &str) -> String {
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// The confirmation or welcome letter of a placement, for whoever may read it. Errors: 404
/// for the agreement's kind, for a placement outside the scope, for a reader the kind does
/// not address, and for a seat whose student is not named yet (a letter to no one); 409
/// `placement_closed` for a cancelled placement.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), placement_id = %placement_id))]
pub async fn placement_letter(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    kind: LetterKind,
) -> AppResult<Letter> {
    let scope = p.authorize(Resource::Placement, Action::Read)?;
    if !kind.is_about_a_placement() {
        return Err(AppError::NotFound);
    }
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_placement(&row.parties()))?;
    ensure(kind.may_read(reader(&scope, &row.school_id, row.student_id.as_deref())))?;
    ensure(row.student_id.is_some())?;
    if row.status == "cancelled" {
        return Err(AppError::conflict(
            ErrorCode::PlacementClosed,
            "a cancelled placement has no letters",
        ));
    }
    let today = st.clock.today();
    let (mut values, organisation) = letter_values::common(&mut tx, today).await?;
    let facts = letter_values::of_placement(&mut tx, &row, today).await?;
    let student = facts
        .values
        .get("student_name")
        .cloned()
        .unwrap_or_default();
    values.extend(facts.values);
    let template = load_template(&mut tx, kind).await?.template;
    let to = if kind == LetterKind::Welcome {
        facts.student_lines
    } else {
        facts.school_lines
    };
    Ok(Letter {
        kind,
        organisation,
        date: letters::long_date(today),
        to,
        text: letters::fill(&template, &values),
        file_stem: slug(&format!("{} {student}", kind.as_str())),
        record_href: format!("/placements/{}", row.id),
    })
}

/// An agreement's renewal notice, for the office and the agreement's school. Errors: 404.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), agreement_id = %agreement_id))]
pub async fn renewal_notice(st: &AppState, p: &Principal, agreement_id: &str) -> AppResult<Letter> {
    let kind = LetterKind::AgreementRenewal;
    let scope = p.authorize(Resource::Agreement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let a = db::agreements::get(&mut tx, agreement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_school(&a.school_id))?;
    ensure(kind.may_read(reader(&scope, &a.school_id, None)))?;
    let today = st.clock.today();
    let (mut values, organisation) = letter_values::common(&mut tx, today).await?;
    let (own, to) = letter_values::of_agreement(&mut tx, &a, today).await?;
    let school = own.get("school_name").cloned().unwrap_or_default();
    values.extend(own);
    let template = load_template(&mut tx, kind).await?.template;
    Ok(Letter {
        kind,
        organisation,
        date: letters::long_date(today),
        to,
        text: letters::fill(&template, &values),
        file_stem: slug(&format!("renewal notice {school}")),
        record_href: format!("/agreements/{}", a.id),
    })
}

/// The letter as a PDF: the subject as its title, the sender and the date, whom it is to,
/// then its paragraphs.
pub fn pdf(letter: &Letter) -> Vec<u8> {
    let mut d = crate::pdf::Document::new(letter.text.subject.clone());
    d.paragraph(format!("{}\n{}", letter.organisation, letter.date));
    d.paragraph(format!("To: {}", letter.to.join("\n")));
    for p in &letter.text.paragraphs {
        d.paragraph(p.clone());
    }
    d.to_pdf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain_words() {
        assert_eq!(slug("welcome Ana López-Ruiz"), "welcome-ana-l-pez-ruiz");
        assert_eq!(
            slug("renewal notice North College"),
            "renewal-notice-north-college"
        );
    }
}
