//! The one flow of the directory's create and edit pages: show the form (empty, or filled from
//! the record); on submit check the session's CSRF token, read the form into the use case's
//! input and call it, then go back to the record with a banner — or show the form again (422)
//! with every problem next to its field and what was typed.
use super::view::Field;
use super::{Form, FormPage, PageError, PageResult, PageUser, see};
use crate::error::{AppError, AppResult};
use axum::{http::StatusCode, response::IntoResponse};

/// A create-or-edit form: its title, where it posts, where Cancel goes, and its fields.
pub struct FormSpec {
    pub title: String,
    pub intro: String,
    pub action: String,
    pub cancel: String,
    pub fields: Vec<Field>,
}

impl FormSpec {
    pub fn new(
        title: impl Into<String>,
        action: impl Into<String>,
        cancel: impl Into<String>,
        fields: Vec<Field>,
    ) -> FormSpec {
        FormSpec {
            title: title.into(),
            intro: String::new(),
            action: action.into(),
            cancel: cancel.into(),
            fields,
        }
    }

    /// A sentence above the fields.
    pub fn intro(mut self, intro: impl Into<String>) -> FormSpec {
        self.intro = intro.into();
        self
    }

    pub fn page(self, user: &PageUser) -> FormPage {
        FormPage {
            chrome: user.chrome(self.title),
            intro: self.intro,
            action: self.action,
            fields: self.fields,
            summary: vec![],
            submit: "Save",
            cancel: self.cancel,
            multipart: false,
            at_risk: vec![],
        }
    }
}

/// The hidden field an edit form carries once it has shown the placements the change puts at
/// risk: posted with it, the change is kept.
pub const CONFIRM_RISKS: &str = "confirm_risks";

/// What the record's page confirms after the redirect.
#[derive(Clone, Copy, Debug)]
pub enum Done {
    Created,
    Saved,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Created => "created",
            Done::Saved => "saved",
        }
    }
}

/// GET: the form.
pub fn show(user: &PageUser, spec: FormSpec) -> PageResult {
    Ok(spec.page(user).into_response())
}

/// GET: a form that creates a record, with its one-time key (`Chrome::once`).
pub fn show_new(user: &PageUser, spec: FormSpec) -> PageResult {
    Ok(super::once_page(spec.page(user).once()?))
}

/// POST: `save` is the use case called with the form's input (nothing runs before the CSRF
/// check: a future does nothing until awaited). On success, to `to(record)` with the `done`
/// banner; when the use case rejects the input, the form from `again` with the problems and
/// what was typed; any other error is the error page.
pub async fn submit<T>(
    user: &PageUser,
    form: &Form,
    done: Done,
    save: impl Future<Output = AppResult<T>>,
    to: impl FnOnce(&T) -> String,
    again: impl Future<Output = Result<FormSpec, PageError>>,
) -> PageResult {
    form.check(user)?;
    match save.await {
        Ok(record) => Ok(see(&to(&record), done.as_str())),
        Err(AppError::Rejected(problems)) => {
            let page = again
                .await?
                .page(user)
                .with_values(form)
                .with_problems(&problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        // Nothing was kept: the same form, what was typed, the placements at risk, and a
        // button that posts it again confirmed.
        Err(AppError::Unconfirmed(at_risk)) => {
            let mut spec = again.await?;
            spec.fields
                .push(Field::new(CONFIRM_RISKS, "", "hidden").value("yes"));
            let mut page = spec.page(user).with_values(form);
            page.at_risk = at_risk;
            page.submit = "Save anyway";
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
