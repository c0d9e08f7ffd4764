//! The record page: its facts, sections, upload form and one-button forms.
use super::Chrome;
use crate::http::pages::view::Table;
use askama::Template;
use askama_web::WebTemplate;

pub struct Section {
    pub title: String,
    pub table: Table,
    pub actions: Vec<(String, String)>,
}

impl Section {
    /// The section's anchor on its page, from its title: "Placements at risk" → `placements-at-risk`.
    pub fn anchor(&self) -> String {
        self.title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "record.html")]
pub struct RecordPage {
    pub chrome: Chrome,
    pub facts: Vec<(&'static str, crate::http::pages::view::Cell)>,
    pub actions: Vec<(String, String)>,
    pub sections: Vec<Section>,
    /// A file upload form.
    pub upload: Option<UploadForm>,
    /// Buttons that change the record (POST, with the CSRF token).
    pub forms: Vec<ActionForm>,
}

/// A record page's file upload: where it posts, its heading, the hint (what it takes, up to
/// what size) and, when a file was refused, why.
pub struct UploadForm {
    pub action: String,
    pub label: String,
    pub hint: String,
    pub error: String,
}

/// A one-button form; irreversible ones ask for a reason and confirm.
pub struct ActionForm {
    pub action: String,
    pub label: String,
    /// Extra fields sent as they are (e.g. `to=confirmed`).
    pub hidden: Vec<(String, String)>,
    pub reason: bool,
    pub confirm: String,
}

impl ActionForm {
    pub fn new(action: impl Into<String>, label: impl Into<String>) -> ActionForm {
        ActionForm {
            action: action.into(),
            label: label.into(),
            hidden: vec![],
            reason: false,
            confirm: String::new(),
        }
    }

    pub fn with(mut self, k: &str, v: &str) -> ActionForm {
        self.hidden.push((k.into(), v.into()));
        self
    }

    /// Asks for a reason and a confirmation.
    pub fn irreversible(mut self, confirm: impl Into<String>) -> ActionForm {
        self.reason = true;
        self.confirm = confirm.into();
        self
    }
}
