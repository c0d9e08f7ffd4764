//! Letters the office sends (issue 17 part 3): the placement confirmation to the school, the
//! student's welcome letter and the agreement renewal notice. Each kind has a text the office
//! edits — a subject and a body of paragraphs — written with named fields (`{student_name}`)
//! that are filled in when a letter is made. This module is the whole rule: which fields each
//! kind knows, the text each kind starts with, checking a text (every unknown field named, at
//! once), filling one in, and who may read which letter. No SQL, no HTTP.
//!
//! The syntax: `{name}` is a field (lower-case letters, digits and `_`); `{{` and `}}` write a
//! brace itself. A blank line starts a new paragraph; a single line break is kept inside one.
use super::{ErrorCode, Problems};
use chrono::NaiveDate;
use std::collections::BTreeMap;

mod texts;
pub use texts::sample_values;
use texts::{AGREEMENT, COMMON, PLACEMENT};

/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// The longest body, in characters.
pub const MAX_BODY: usize = 20_000;

/// The kinds of letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LetterKind {
    /// To the school: who is placed, where, when, with whom, and what the student must still
    /// do before day one.
    PlacementConfirmation,
    /// To the student: the site's address, the department, the first shift, whom to ask for,
    /// parking and badge pick-up, and the checklist items still open.
    Welcome,
    /// To the school: its agreement expires on a day, and what depends on it.
    AgreementRenewal,
}

/// Who a letter concerns, relative to the person asking for it (the service works it out
/// from the record and the caller's scope).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The education office (admin, coordinator).
    Office,
    /// The school the placement or agreement belongs to.
    School,
    /// The placement's own student.
    Student,
}

/// One named field: its name (without braces) and what it holds, in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamedField {
    pub name: &'static str,
    pub meaning: &'static str,
}

impl LetterKind {
    pub const ALL: [LetterKind; 3] = [
        LetterKind::PlacementConfirmation,
        LetterKind::Welcome,
        LetterKind::AgreementRenewal,
    ];

    /// The kind as the API and the URLs write it.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::PlacementConfirmation => "placement_confirmation",
            LetterKind::Welcome => "welcome",
            LetterKind::AgreementRenewal => "agreement_renewal",
        }
    }

    pub fn parse(s: &str) -> Option<LetterKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Its name for people: "Placement confirmation".
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::PlacementConfirmation => "Placement confirmation",
            LetterKind::Welcome => "Welcome letter",
            LetterKind::AgreementRenewal => "Agreement renewal notice",
        }
    }

    /// Whom it is written to, in words.
    pub fn addressee(self) -> &'static str {
        match self {
            LetterKind::PlacementConfirmation => "the student's school",
            LetterKind::Welcome => "the student",
            LetterKind::AgreementRenewal => "the school",
        }
    }

    /// Whether it is about a placement (else about an agreement).
    pub fn is_about_a_placement(self) -> bool {
        !matches!(self, LetterKind::AgreementRenewal)
    }

    /// The fields this kind knows, the common ones first.
    pub fn fields(self) -> Vec<NamedField> {
        let own = if self.is_about_a_placement() {
            PLACEMENT
        } else {
            AGREEMENT
        };
        COMMON.iter().chain(own).copied().collect()
    }

    pub fn knows(self, field: &str) -> bool {
        self.fields().iter().any(|f| f.name == field)
    }

    /// The record id its text's audit events carry (`record_type` `letter_template`): one
    /// fixed UUID per kind, as the settings have theirs, since a kind's text is one record.
    pub fn audit_id(self) -> &'static str {
        match self {
            LetterKind::PlacementConfirmation => "00000000-0000-4000-8000-000000000171",
            LetterKind::Welcome => "00000000-0000-4000-8000-000000000172",
            LetterKind::AgreementRenewal => "00000000-0000-4000-8000-000000000173",
        }
    }

    /// Who may read a letter of this kind: the office every one; the school the
    /// confirmations of its students and the renewal notices of its agreements; the student
    /// their own welcome letter. Anyone else is answered 404, as if there were none
    /// (issue 17: "others 404").
    pub fn may_read(self, reader: Option<Reader>) -> bool {
        matches!(
            (self, reader),
            (_, Some(Reader::Office))
                | (
                    LetterKind::PlacementConfirmation | LetterKind::AgreementRenewal,
                    Some(Reader::School)
                )
                | (LetterKind::Welcome, Some(Reader::Student))
        )
    }

    /// The text the product ships, which the office edits.
    pub fn default_template(self) -> Template {
        let (subject, body) = texts::default_text(self);
        Template {
            subject: subject.to_string(),
            body: body.to_string(),
        }
    }
}

/// A letter's text as written: a subject line and a body of paragraphs, with named fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// A letter filled in: its subject and its paragraphs (each may hold line breaks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    pub subject: String,
    pub paragraphs: Vec<String>,
}

/// The values of a letter's fields, by name.
pub type Values = BTreeMap<&'static str, String>;

/// One piece of a text: words as they are, or a field.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(String),
    Field(&'a str),
}

/// A text in pieces, or what is wrong with its braces (each problem in words).
fn pieces(text: &str) -> (Vec<Piece<'_>>, Vec<String>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut plain = String::new();
    let mut rest = text.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        match c {
            '{' if matches!(rest.peek(), Some((_, '{'))) => {
                rest.next();
                plain.push('{');
            }
            '}' if matches!(rest.peek(), Some((_, '}'))) => {
                rest.next();
                plain.push('}');
            }
            '{' => match text[i + 1..].find(['}', '{', '\n']) {
                Some(len) if text[i + 1 + len..].starts_with('}') => {
                    let name = &text[i + 1..i + 1 + len];
                    if name.is_empty()
                        || !name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    {
                        errors.push(format!(
                            "\u{201c}{{{name}}}\u{201d} is not a field name: a field is written in lower-case letters, digits and _ (write {{{{ for a brace itself)"
                        ));
                    } else {
                        if !plain.is_empty() {
                            out.push(Piece::Text(std::mem::take(&mut plain)));
                        }
                        out.push(Piece::Field(name));
                    }
                    // Past the closing brace (at byte i + 1 + len).
                    while rest.next_if(|(j, _)| *j <= i + 1 + len).is_some() {}
                }
                _ => {
                    errors.push(format!(
                        "the \u{201c}{{\u{201d} at character {} is not closed by a \u{201c}}}\u{201d} on its line (write {{{{ for a brace itself)",
                        text[..i].chars().count() + 1
                    ));
                }
            },
            '}' => errors.push(format!(
                "the \u{201c}}}\u{201d} at character {} closes no field (write }}}} for a brace itself)",
                text[..i].chars().count() + 1
            )),
            _ => plain.push(c),
        }
    }
    if !plain.is_empty() {
        out.push(Piece::Text(plain));
    }
    (out, errors)
}

/// Checks a text for `kind`: subject and body present, within their lengths, the subject one
/// line, braces balanced, and every field one the kind knows. Every problem at once, each on
/// its part (`subject`, `body`): `required`, `too_long`, `invalid_characters`,
/// `invalid_template` (a brace), `unknown_letter_field` (one problem per unknown field, naming
/// it and the kind).
pub fn check(kind: LetterKind, t: &Template) -> Result<(), Problems> {
    let mut problems = Problems::default();
    for (part, text, max) in [
        ("subject", t.subject.as_str(), MAX_SUBJECT),
        ("body", t.body.as_str(), MAX_BODY),
    ] {
        if text.trim().is_empty() {
            problems.add(
                part,
                ErrorCode::Required,
                format!("{part} may not be empty"),
            );
            continue;
        }
        if text.chars().count() > max {
            problems.add(
                part,
                ErrorCode::TooLong,
                format!("{part} is longer than {max} characters"),
            );
        }
        if part == "subject" && text.contains(['\n', '\r']) {
            problems.add(
                part,
                ErrorCode::InvalidCharacters,
                "subject is one line".to_string(),
            );
        }
        let (found, errors) = pieces(text);
        for e in errors {
            problems.add(part, ErrorCode::InvalidTemplate, e);
        }
        let mut named: Vec<&str> = Vec::new();
        for p in found {
            if let Piece::Field(name) = p
                && !kind.knows(name)
                && !named.contains(&name)
            {
                named.push(name);
                problems.add(
                    part,
                    ErrorCode::UnknownLetterField,
                    format!(
                        "{{{name}}} is not a field of the {} (the fields it knows are listed beside the text)",
                        kind.label().to_lowercase()
                    ),
                );
            }
        }
    }
    problems.into_result()
}

/// Fills `text`'s fields from `values`; a field without a value is left as written.
fn fill_text(text: &str, values: &Values) -> String {
    let (found, _) = pieces(text);
    found
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Field(name) => values
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("{{{name}}}")),
        })
        .collect()
}

/// The letter: the subject filled in on one line, the body's paragraphs (split at blank
/// lines, single line breaks kept) filled in.
pub fn fill(t: &Template, values: &Values) -> Filled {
    let subject = fill_text(&t.subject, values)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let body = t.body.replace("\r\n", "\n");
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in body.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    Filled {
        subject,
        paragraphs: paragraphs
            .iter()
            .map(|p| fill_text(p, values).trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
    }
}

/// A day in words as a letter writes it: "Monday 1 February 2027".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// How far `expires_on` is from `today`: "in 45 days", "tomorrow", "today", "yesterday",
/// "12 days ago".
pub fn distance_words(today: NaiveDate, expires_on: NaiveDate) -> String {
    match (expires_on - today).num_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 1 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// Items as lines of a list ("• Tuberculosis screening (to do)"), or `none` when there are
/// none.
pub fn bullet_lines(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_string()
    } else {
        items
            .iter()
            .map(|i| format!("\u{2022} {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests;
