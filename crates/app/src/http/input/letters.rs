use crate::domain::ErrorCode;
use crate::http::body::body;
use crate::http::extract::Input;
use crate::service::{Parsed, letters::TemplateFields};
use serde_json::{Map, Value};

body! {
    /// A letter's text: both parts, written with named fields (`{student_name}`); `{{` and
    /// `}}` write a brace itself; a blank line starts a paragraph. `GET
    /// /api/v1/letter-templates/{kind}` lists the fields the kind knows.
    pub struct LetterTemplateInput {
        /// One line, at most 200 characters.
        subject: String,
        /// Paragraphs separated by blank lines, at most 20,000 characters.
        body: String,
    }
}

/// Text as written (line breaks kept, trailing space dropped); control characters other
/// than tab and line breaks are `invalid_characters`. Lengths and fields are the domain's
/// (`domain::letters::check`).
fn raw_text(v: &Value) -> Result<String, (ErrorCode, String)> {
    match v {
        Value::String(s)
            if s.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) =>
        {
            Err((
                ErrorCode::InvalidCharacters,
                "may not contain control characters".into(),
            ))
        }
        Value::String(s) => Ok(s.replace("\r\n", "\n").trim_end().to_string()),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    }
}

/// `{ subject, body }`, both required (`PUT` replaces the text): `required`, `invalid_type`,
/// `invalid_characters`, `unknown_field`, every problem at once.
pub fn letter_template(body: Map<String, Value>) -> Parsed<TemplateFields> {
    let (mut i, b) = Input::read::<LetterTemplateInput>(body);
    let subject = i.req(&b.subject, None, &raw_text);
    let body = i.req(&b.body, None, &raw_text);
    i.into_parsed(TemplateFields { subject, body })
}
