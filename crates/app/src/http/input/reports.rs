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

/// Every report's filters from the query (`year`, or `from` and `to`; `site_id`,
/// `department_id`, `school_id`, `discipline`, `degree_level`, `kind`, `by`), every problem
/// at once. Without a period, the year of `today`. Errors (422): `invalid_year` (not 2000 to
/// 2100), `invalid_date` (not YYYY-MM-DD), `invalid_period` (a year and dates both, one end
/// only, the end before the start, or longer than five years), `invalid_id`,
/// `invalid_choice` (an unknown discipline code's shape, degree level, kind or grouping).
pub fn filter(
    params: &Params,
    today: chrono::NaiveDate,
) -> AppResult<crate::service::reports::ReportFilter> {
    use crate::domain::{FieldError, Problems, directory::DegreeLevel};
    use crate::service::reports::{GroupBy, MAX_DAYS, ReportFilter};
    let mut problems = Problems(vec![]);
    let mut keep = |r: AppResult<Option<String>>| match r {
        Ok(v) => v,
        Err(AppError::Rejected(p)) => {
            problems.0.extend(p.0);
            None
        }
        Err(_) => None,
    };
    let site_id = keep(params.id("site_id"));
    let department_id = keep(params.id("department_id"));
    let school_id = keep(params.id("school_id"));
    let discipline = keep(params.word(
        "discipline",
        |s| !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "a discipline's code (lowercase letters and _)",
    ));
    let degree_level = keep(params.word(
        "degree_level",
        |s| DegreeLevel::parse(s).is_some(),
        "certificate, associate, baccalaureate, masters, doctoral",
    ));
    let kind = keep(params.word(
        "kind",
        |s| s == "clinical" || s == "internship",
        "clinical, internship",
    ));
    let by = keep(params.word(
        "by",
        |s| GroupBy::parse(s).is_some(),
        "discipline, degree_level, school, department, site, kind",
    ))
    .and_then(|s| GroupBy::parse(&s))
    .unwrap_or_default();
    let mut date = |k: &str| match params.get(k) {
        None => None,
        Some(v) => match v.parse::<chrono::NaiveDate>() {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(FieldError::at(
                    k,
                    ErrorCode::InvalidDate,
                    "must be a date (YYYY-MM-DD)",
                ));
                None
            }
        },
    };
    let from = date("from");
    let to = date("to");
    let year = match year(params, chrono::Datelike::year(&today)) {
        Ok(y) => Some(y),
        Err(AppError::Rejected(p)) => {
            problems.0.extend(p.0);
            None
        }
        Err(_) => None,
    };
    let period_problem = |m: &str| FieldError::at("period", ErrorCode::InvalidPeriod, m);
    let has_dates = params.get("from").is_some() || params.get("to").is_some();
    let mut period = None;
    if params.get("year").is_some() && has_dates {
        problems.push(period_problem("give a year or a date range, not both"));
    } else if has_dates {
        match (from, to, params.get("from"), params.get("to")) {
            (Some(f), Some(t), _, _) if t < f => {
                problems.push(period_problem("the last day is before the first"))
            }
            (Some(f), Some(t), _, _) if (t - f).num_days() >= MAX_DAYS => {
                problems.push(period_problem("a report covers at most five years"))
            }
            (Some(f), Some(t), _, _) => period = Some((f, t, None)),
            (_, _, Some(_), Some(_)) => {} // a date that failed to parse, already said
            _ => problems.push(period_problem("give both the first and the last day")),
        }
    } else if let Some(y) = year
        && let Some(f) = ReportFilter::year(y)
    {
        period = Some((f.from, f.to, Some(y)));
    }
    if !problems.0.is_empty() {
        return Err(AppError::Rejected(problems));
    }
    let Some((from, to, year)) = period else {
        return Err(AppError::invalid(
            "period",
            ErrorCode::InvalidPeriod,
            "not a period",
        ));
    };
    Ok(ReportFilter {
        from,
        to,
        year,
        site_id,
        department_id,
        school_id,
        discipline,
        degree_level,
        kind,
        by,
    })
}
