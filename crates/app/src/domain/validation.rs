use super::ErrorCode;
use serde::Serialize;

/// One failed rule: a stable `code` (API.md), the field it concerns, and words for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub code: ErrorCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    /// In an imported file: the line (1 is the header row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// In an imported file: the column's header as the file wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl FieldError {
    pub fn new(code: ErrorCode, field: Option<&str>, message: impl Into<String>) -> Self {
        FieldError {
            code,
            field: field.map(str::to_string),
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// Placed in an imported file: its line and (when it concerns one) column.
    pub fn in_file(mut self, line: u64, column: Option<&str>) -> Self {
        self.line = Some(line);
        self.column = column.map(str::to_string);
        self
    }

    pub fn at(field: &str, code: ErrorCode, message: impl Into<String>) -> Self {
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

    pub fn add(&mut self, field: &str, code: ErrorCode, message: impl Into<String>) {
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

    /// The HTTP status of the whole list (API.md "Errors"): when every code shares one status
    /// (409 for a clash with the current state, such as a full department), that one; a list
    /// that also breaks a rule of the input is 422.
    pub fn status(&self) -> u16 {
        let mut statuses = self.0.iter().map(|e| e.code.status());
        match statuses.next() {
            Some(first) if statuses.all(|s| s == first) => first,
            _ => 422,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_clashes_is_409_and_a_mixed_list_422() {
        let mut p = Problems::default();
        p.add("department_id", ErrorCode::DepartmentAtCapacity, "full");
        assert_eq!(p.status(), 409);
        p.add("preceptor_id", ErrorCode::PreceptorRequired, "none");
        assert_eq!(p.status(), 422);
        assert_eq!(Problems::default().status(), 422);
    }

    /// Problems keep every error pushed, know their fields, and are an error only when any.
    #[test]
    fn problems_collect_and_answer() {
        let mut p = Problems::default();
        assert_eq!(p.clone().into_result(), Ok(()));
        p.push(FieldError::at("name", ErrorCode::Required, "a name"));
        p.add("email", ErrorCode::InvalidEmail, "an address");
        assert_eq!(p.0.len(), 2);
        assert!(p.has_field("name") && p.has_field("email"));
        assert!(!p.has_field("phone"));
        assert_eq!(p.clone().into_result(), Err(p));
    }
}
