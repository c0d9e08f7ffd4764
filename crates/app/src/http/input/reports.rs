//! The report filters.
use crate::domain::ErrorCode;
use crate::error::{AppError, AppResult};
use crate::http::extract::Params;

/// `?year=` (2000-2100), or `default` when absent. Errors: 422 `invalid_year`.
pub fn year(params: &Params, default: i32) -> AppResult<i32> {
    match params.get("year") {
        None => Ok(default),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| {
                AppError::invalid("year", ErrorCode::InvalidYear, "a year from 2000 to 2100")
            }),
    }
}
