//! The form page: problems beside their fields and in the summary, what was typed kept, a
//! failed form answered 422; and post/redirect/get after a change.
use super::Chrome;
use crate::domain::Problems;
use crate::error::{AppError, AppResult};
use crate::http::pages::extract::{Form, PageResult};
use crate::http::pages::view::Field;
use askama::Template;
use askama_web::WebTemplate;
use axum::{
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

/// Post/redirect/get: back to the record with a confirmation.
pub fn see(path: &str, done: &str) -> Response {
    Redirect::to(&format!("{path}?done={done}")).into_response()
}

/// The error summary's entries: (field id, message).
pub type Summary = Vec<(String, String)>;

#[derive(Template, WebTemplate)]
#[template(path = "form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub intro: String,
    pub action: String,
    pub fields: Vec<Field>,
    pub summary: Summary,
    pub submit: &'static str,
    pub cancel: String,
    pub multipart: bool,
    /// The open placements the posted change would newly put at risk: shown above the form,
    /// which then posts `confirm_risks` to keep the change (issue 12 point 1).
    pub at_risk: Vec<crate::domain::risk::RiskPreview>,
}

impl FormPage {
    /// See [`Chrome::once`].
    pub fn once(mut self) -> AppResult<FormPage> {
        self.chrome = self.chrome.once()?;
        Ok(self)
    }

    /// Puts each problem next to its field and in the summary; problems about no field
    /// (or a field the form does not show) go to the summary only.
    pub fn with_problems(mut self, problems: &Problems) -> FormPage {
        place_problems(&mut self.fields, &mut self.summary, problems);
        self
    }

    /// Keeps what was typed when the form comes back with errors.
    pub fn with_values(mut self, form: &Form) -> FormPage {
        // A create form shown again keeps its one-time key: its first post created nothing.
        if let Some(k) = form.get(crate::http::idempotency::FORM_KEY) {
            self.chrome.form_key = k.to_string();
        }
        for f in &mut self.fields {
            if f.kind == "checkboxes" {
                f.values = form
                    .0
                    .iter()
                    .filter(|(k, _)| *k == f.name)
                    .map(|(_, v)| v.clone())
                    .collect();
            } else if f.kind == "checkbox" {
                f.value = if form.get(&f.name).is_some() {
                    "true".into()
                } else {
                    String::new()
                };
            } else if f.kind != "password" {
                f.value = form.get(&f.name).unwrap_or("").to_string();
            }
        }
        self
    }
}

/// Puts each problem next to its field and in the summary; problems about no field (or a
/// field the form does not show) go to the summary only.
pub fn place_problems(fields: &mut [Field], summary: &mut Summary, problems: &Problems) {
    for e in &problems.0 {
        let field = e.field.as_deref().unwrap_or("");
        let target = fields.iter_mut().find(|f| f.name == field);
        let id = match target {
            Some(f) => {
                if f.error.is_empty() {
                    f.error = message_for(&f.label, field, &e.message);
                }
                f.id()
            }
            None => String::new(),
        };
        let label = fields
            .iter()
            .find(|f| f.name == field)
            .map(|f| f.label.clone())
            .unwrap_or_default();
        summary.push((id, message_for(&label, field, &e.message)));
    }
}

/// The API's words with the field's label: "name may not be empty" reads "Name may not be
/// empty" on the page.
fn message_for(label: &str, field: &str, message: &str) -> String {
    match message
        .strip_prefix(field)
        .filter(|rest| !field.is_empty() && rest.starts_with(' '))
    {
        Some(rest) if !label.is_empty() => format!("{label}{rest}"),
        _ if label.is_empty() => capitalise(message),
        _ => format!("{label}: {message}"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Renders a failed form again (422) with its problems, or passes other errors on.
pub fn form_failed(page: FormPage, form: &Form, err: AppError) -> PageResult {
    match err {
        AppError::Rejected(p) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page.with_values(form).with_problems(&p),
        )
            .into_response()),
        e => Err(e.into()),
    }
}
