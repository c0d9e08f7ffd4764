//! One of a closed set of words, read as its enum.
use crate::domain::ErrorCode;
use serde_json::Value;

/// Like `parse::word`, but yields the enum: `parse` is the enum's own `parse`, `words` the
/// allowed words for the message.
pub fn choice<T>(
    parse: fn(&str) -> Option<T>,
    words: String,
) -> impl Fn(&Value) -> Result<T, (ErrorCode, String)> {
    move |v| {
        match v {
            Value::String(s) => parse(s.trim()),
            _ => None,
        }
        .ok_or_else(|| (ErrorCode::InvalidChoice, format!("must be one of: {words}")))
    }
}
