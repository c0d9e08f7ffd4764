//! The office's reports (issue 17 part 2): each one a use case over a typed [`ReportFilter`]
//! that answers a [`Report`] — its columns and rows (what the page's table, the CSV, the XLSX
//! and the API's JSON all carry), its total with the list it summarises, the words that say
//! how it counts, and which chart draws it. Office roles only (`Resource::Report`, scope all).
//!
//! | report | module | counts |
//! |---|---|---|
//! | students placed, year over year | [`placed`] | distinct students |
//! | capacity use per department per week | [`capacity`] | placements holding a seat |
//! | time to decision and to clearance | [`turnaround`] | requests decided, placements cleared |
//! | requirements that hold students up | [`holdups`] | placements not cleared |
//! | hours logged and approved per program | [`hours`] | time entries |
//! | evaluation scores per department and preceptor | [`evaluations`] | signed evaluations |
//! | agreements by school with their expiry | [`agreements`] | agreements |
pub mod agreements;
pub mod capacity;
pub mod evaluations;
pub mod holdups;
pub mod hours;
pub mod placed;
mod summary;
pub mod turnaround;

pub use summary::{Bucket, Summary, summary};

use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::error::{AppError, AppResult};
use crate::service::Principal;
use crate::state::AppState;
use chrono::{Datelike, NaiveDate};

/// The reports, by the name in their address (`/reports/<name>`, `/api/v1/reports/<name>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportName {
    Placed,
    Capacity,
    Turnaround,
    Holdups,
    Hours,
    Evaluations,
    Agreements,
}

impl ReportName {
    pub const ALL: [ReportName; 7] = [
        ReportName::Placed,
        ReportName::Capacity,
        ReportName::Turnaround,
        ReportName::Holdups,
        ReportName::Hours,
        ReportName::Evaluations,
        ReportName::Agreements,
    ];

    pub fn parse(s: &str) -> Option<ReportName> {
        Self::ALL.into_iter().find(|n| n.slug() == s)
    }

    /// The name in the address.
    pub fn slug(self) -> &'static str {
        match self {
            ReportName::Placed => "placed",
            ReportName::Capacity => "capacity",
            ReportName::Turnaround => "turnaround",
            ReportName::Holdups => "holdups",
            ReportName::Hours => "hours",
            ReportName::Evaluations => "evaluations",
            ReportName::Agreements => "agreements",
        }
    }

    /// The report's heading.
    pub fn title(self) -> &'static str {
        match self {
            ReportName::Placed => "Students placed, year over year",
            ReportName::Capacity => "Capacity use per department and week",
            ReportName::Turnaround => "Time to decision and to clearance",
            ReportName::Holdups => "Requirements that hold students up",
            ReportName::Hours => "Hours logged and approved per program",
            ReportName::Evaluations => "Evaluation scores per department and preceptor",
            ReportName::Agreements => "Agreements by school and their expiry",
        }
    }

    /// One line on the reports' index.
    pub fn summary(self) -> &'static str {
        match self {
            ReportName::Placed => {
                "Distinct students placed, by discipline, degree level, school, department, site or kind, against the two years before."
            }
            ReportName::Capacity => {
                "Seats held against each department's capacity, week by week, as a heat map."
            }
            ReportName::Turnaround => {
                "Days from request to decision and from approval to cleared: median and 90th percentile per month."
            }
            ReportName::Holdups => {
                "Which requirements are missing or rejected most, per school, for placements not yet cleared."
            }
            ReportName::Hours => "Hours students logged and hours approved, per program.",
            ReportName::Evaluations => {
                "Mean scores of signed supervisor evaluations, per department and preceptor, from 3 evaluations up."
            }
            ReportName::Agreements => {
                "Every school's affiliation agreements in the period and how many days each has left."
            }
        }
    }
}

/// What groups the placed students (`?by=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Discipline,
    DegreeLevel,
    School,
    Department,
    Site,
    Kind,
}

impl GroupBy {
    pub const ALL: [GroupBy; 6] = [
        GroupBy::Discipline,
        GroupBy::DegreeLevel,
        GroupBy::School,
        GroupBy::Department,
        GroupBy::Site,
        GroupBy::Kind,
    ];

    pub fn parse(s: &str) -> Option<GroupBy> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Discipline => "discipline",
            GroupBy::DegreeLevel => "degree_level",
            GroupBy::School => "school",
            GroupBy::Department => "department",
            GroupBy::Site => "site",
            GroupBy::Kind => "kind",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GroupBy::Discipline => "Discipline",
            GroupBy::DegreeLevel => "Degree level",
            GroupBy::School => "School",
            GroupBy::Department => "Department",
            GroupBy::Site => "Site",
            GroupBy::Kind => "Kind",
        }
    }
}

/// The filters every report takes, parsed at the edge (`http::input::reports::filter`): a
/// period (a calendar year, or a date range of at most [`MAX_DAYS`] days, both ends
/// inclusive), and optionally a site, a department, a school, a discipline (its code), a
/// degree level and a kind. `by` groups the placed students (the other reports ignore it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Set when the period was given as a year.
    pub year: Option<i32>,
    pub site_id: Option<String>,
    pub department_id: Option<String>,
    pub school_id: Option<String>,
    pub discipline: Option<String>,
    pub degree_level: Option<String>,
    pub kind: Option<String>,
    pub by: GroupBy,
}

/// The longest period a report covers: five years and a day.
pub const MAX_DAYS: i64 = 5 * 366;

impl ReportFilter {
    /// The calendar year `year` with no other filter.
    pub fn year(year: i32) -> Option<ReportFilter> {
        Some(ReportFilter {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
            year: Some(year),
            site_id: None,
            department_id: None,
            school_id: None,
            discipline: None,
            degree_level: None,
            kind: None,
            by: GroupBy::default(),
        })
    }

    /// The period in words: "2027", or "1 Feb 2027 to 30 Jun 2027".
    pub fn period_words(&self) -> String {
        match self.year {
            Some(y) => y.to_string(),
            None => format!(
                "{} to {}",
                crate::domain::period::human_date(self.from),
                crate::domain::period::human_date(self.to)
            ),
        }
    }

    /// The filters as query pairs (the period as `year` or `from`/`to`), in a fixed order:
    /// the links to the downloads and to the lists carry exactly what is shown.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut q = match self.year {
            Some(y) => vec![("year", y.to_string())],
            None => vec![("from", self.from.to_string()), ("to", self.to.to_string())],
        };
        let opt = [
            ("site_id", &self.site_id),
            ("department_id", &self.department_id),
            ("school_id", &self.school_id),
            ("discipline", &self.discipline),
            ("degree_level", &self.degree_level),
            ("kind", &self.kind),
        ];
        for (k, v) in opt {
            if let Some(v) = v {
                q.push((k, v.clone()));
            }
        }
        q
    }

    /// The store's filter.
    pub(crate) fn scope(&self) -> db::reports::Scope<'_> {
        db::reports::Scope {
            from: self.from,
            to: self.to,
            site_id: self.site_id.as_deref(),
            department_id: self.department_id.as_deref(),
            school_id: self.school_id.as_deref(),
            discipline: self.discipline.as_deref(),
            degree_level: self.degree_level.as_deref(),
            kind: self.kind.as_deref(),
        }
    }

    /// The same filter over the same days `years` years earlier.
    pub fn years_back(&self, years: i32) -> ReportFilter {
        let back = |d: NaiveDate| {
            d.with_year(d.year() - years)
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - years, 2, 28))
                .unwrap_or(d)
        };
        ReportFilter {
            from: back(self.from),
            to: back(self.to),
            year: self.year.map(|y| y - years),
            ..self.clone()
        }
    }
}

/// A query string from pairs, each value percent-encoded.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencoding(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One value of a report's table.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    /// A figure with decimals (days, hours, a mean score); `None` when withheld or undefined.
    Num(Option<f64>),
    Date(NaiveDate),
}

impl Value {
    /// As a page shows it.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Num(Some(x)) => format!("{x:.1}"),
            Value::Num(None) => "—".into(),
            Value::Date(d) => crate::domain::period::human_date(*d),
        }
    }

    /// As the CSV carries it (ISO dates, decimals to two places, empty when there is none).
    pub fn exported(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Num(Some(x)) => format!("{:.2}", round2(*x)),
            Value::Num(None) => String::new(),
            Value::Date(d) => d.to_string(),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(n) => Some(*n as f64),
            Value::Num(x) => *x,
            _ => None,
        }
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A column: its key (the JSON field and the CSV header) and its label (the page's header).
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub key: String,
    pub label: String,
}

pub fn col(key: &str, label: &str) -> Column {
    Column {
        key: key.into(),
        label: label.into(),
    }
}

/// A report's total and the list it summarises, so a reader can reconcile them.
#[derive(Clone, Debug, PartialEq)]
pub struct Total {
    /// What is counted ("distinct students placed").
    pub label: String,
    pub value: i64,
    /// The list's page with the same period and filters (`/placements?...`).
    pub list: Option<String>,
    /// The same list in the API (`/api/v1/placements?...`).
    pub api_list: Option<String>,
}

/// Which chart draws a report, by column index (the page draws it; the data is the rows).
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// One bar per row: its label from the columns `label` (joined), its length from column
    /// `value`.
    Bars { label: Vec<usize>, value: usize },
    /// A group of bars per row, one bar per column of `series`.
    Grouped {
        label: Vec<usize>,
        series: Vec<usize>,
    },
    /// Rows as cells: the row's label from `row`, the column's from `column`, the shade from
    /// `held` over `capacity`.
    Heat {
        row: usize,
        column: usize,
        held: usize,
        capacity: usize,
    },
    /// One line per column of `series`, over the rows (the x axis from column `x`).
    Lines { x: usize, series: Vec<usize> },
}

/// A report as every front end shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub name: ReportName,
    pub filter: ReportFilter,
    /// How the report counts, in words (shown above its table and in the API).
    pub counts: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Value>>,
    pub total: Total,
    pub chart: Chart,
}

/// Runs a report. Office roles only: 403 for anyone else (scope other than all).
pub async fn run(
    st: &AppState,
    p: &Principal,
    name: ReportName,
    filter: ReportFilter,
) -> AppResult<Report> {
    let scope = p.authorize(Resource::Report, Action::Read)?;
    if !scope.is_all() {
        return Err(AppError::Forbidden);
    }
    let today = st.clock.today();
    let mut tx = st.db.read().await?;
    match name {
        ReportName::Placed => placed::report(&mut tx, filter).await,
        ReportName::Capacity => capacity::report(&mut tx, filter).await,
        ReportName::Turnaround => turnaround::report(&mut tx, filter, today).await,
        ReportName::Holdups => holdups::report(&mut tx, filter, today).await,
        ReportName::Hours => hours::report(&mut tx, filter).await,
        ReportName::Evaluations => evaluations::report(&mut tx, filter).await,
        ReportName::Agreements => agreements::report(&mut tx, filter, today).await,
    }
}

/// The list filters that say the same as the report's filter, for the placements list
/// (`placed=true`: not cancelled).
pub(crate) fn placements_list(
    f: &ReportFilter,
    extra: &[(&'static str, &str)],
) -> (String, String) {
    let mut q: Vec<(&str, String)> = vec![("from", f.from.to_string()), ("to", f.to.to_string())];
    q.extend(f.query_pairs().into_iter().filter(|(k, _)| *k != "year"));
    for (k, v) in extra {
        q.push((k, v.to_string()));
    }
    let qs = query_string(&q);
    (
        format!("/placements?{qs}"),
        format!("/api/v1/placements?{qs}"),
    )
}

/// The `p`-quantile (0..=1) of sorted values, by the nearest-rank method (the smallest value
/// with at least `p` of the values at or below it); `None` for no values.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), Some(5.0));
        assert_eq!(quantile(&v, 0.9), Some(9.0));
        assert_eq!(quantile(&[3.0], 0.9), Some(3.0));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[1.0, 2.0, 3.0], 0.5), Some(2.0));
    }

    #[test]
    fn a_period_a_year_back_keeps_its_days() {
        let f = ReportFilter::year(2028).unwrap();
        let b = f.years_back(1);
        assert_eq!(b.year, Some(2027));
        assert_eq!(b.from, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let mut leap = f.clone();
        leap.year = None;
        leap.to = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(
            leap.years_back(1).to,
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
    }

    #[test]
    fn query_pairs_carry_every_filter() {
        let mut f = ReportFilter::year(2027).unwrap();
        f.school_id = Some("a b".into());
        assert_eq!(query_string(&f.query_pairs()), "year=2027&school_id=a%20b");
    }
}
