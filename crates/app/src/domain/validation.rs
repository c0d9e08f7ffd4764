use serde::Serialize;

/// One failed rule: a stable `code` (API.md), the field it concerns, and words for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

impl FieldError {
    pub fn new(code: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        FieldError {
            code: code.to_string(),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    pub fn at(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::new(code, Some(field), message)
    }
}

/// Every failure found, so a caller learns all of them at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::at(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has_field(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field.as_deref() == Some(field))
    }

    pub fn into_result(self) -> Result<(), Problems> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}
