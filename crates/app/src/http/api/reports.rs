//! The summary report: students placed in a year, by discipline, degree level, school,
//! department and kind (API.md "Reports").
use super::schema::Summary;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::Principal, error::AppResult, extract::Params, input, report_files};
use crate::service::reports::{self, summary};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Path, State},
    response::Response,
};

#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", security(("bearer" = [])),
    params(("year" = Option<i32>, Query, description = "default: this year")),
    responses((status = 200, body = Summary), (status = 403, body = crate::http::error::Problem)))]
pub async fn get_summary(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<Summary>> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = input::reports::year(&params, chrono::Datelike::year(&st.clock.today()))?;
    let mut tx = st.db.read().await?;
    Ok(Json(summary(&mut tx, year).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/reports/summary.csv", tag = "reports", security(("bearer" = [])),
    params(("year" = Option<i32>, Query)),
    responses((status = 200, content_type = "text/csv", description = "UTF-8 with a byte-order mark; columns dimension,key,label,students")))]
pub async fn get_summary_csv(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Response> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = input::reports::year(&params, chrono::Datelike::year(&st.clock.today()))?;
    let mut tx = st.db.read().await?;
    let s = summary(&mut tx, year).await?;
    Ok(crate::http::download_csv(
        &format!("summary-{year}.csv"),
        crate::http::report_csv::summary_csv(&s),
    ))
}

/// The query of every report (all optional): the period as `year` (default this year) or
/// `from` and `to`, and the filters.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ReportQuery {
    /// A calendar year, 2000 to 2100 (not with `from`/`to`).
    year: Option<i32>,
    /// The first day (YYYY-MM-DD), with `to`; at most five years.
    from: Option<String>,
    /// The last day (YYYY-MM-DD), inclusive.
    to: Option<String>,
    site_id: Option<String>,
    department_id: Option<String>,
    school_id: Option<String>,
    /// A discipline's code (`radiography`).
    discipline: Option<String>,
    /// certificate, associate, baccalaureate, masters, doctoral
    degree_level: Option<String>,
    /// clinical, internship
    kind: Option<String>,
    /// `placed` only: discipline (default), degree_level, school, department, site, kind
    by: Option<String>,
}

/// A column of a report: `key` names the field in each row (and the CSV's header), `label`
/// is its heading on the page.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReportColumn {
    pub key: String,
    pub label: String,
}

/// A report's total and the list it summarises (the same period and filters).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReportTotal {
    pub label: String,
    pub value: i64,
    /// The list's page, e.g. `/placements?from=2027-01-01&to=2027-12-31&placed=true`.
    pub list: Option<String>,
    /// The same list in the API, e.g. `/api/v1/placements?...`.
    pub api_list: Option<String>,
}

/// The period and filters a report ran with.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReportFilters {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub year: Option<i32>,
    pub site_id: Option<String>,
    pub department_id: Option<String>,
    pub school_id: Option<String>,
    pub discipline: Option<String>,
    pub degree_level: Option<String>,
    pub kind: Option<String>,
    pub by: String,
}

/// A report (issue 17): `rows` are objects keyed by the `columns`' keys — text, whole
/// numbers, decimals (null when withheld or undefined) and ISO dates; exactly what the page,
/// the CSV and the XLSX show.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReportBody {
    /// placed, capacity, turnaround, holdups, hours, evaluations, agreements
    pub report: String,
    pub title: String,
    pub filters: ReportFilters,
    /// How the report counts, in words.
    pub counts: String,
    pub columns: Vec<ReportColumn>,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    pub total: ReportTotal,
}

impl From<reports::Report> for ReportBody {
    fn from(r: reports::Report) -> Self {
        use reports::Value as V;
        let rows = r
            .rows
            .iter()
            .map(|row| {
                r.columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| {
                        let j = match v {
                            V::Text(s) => serde_json::Value::from(s.clone()),
                            V::Int(n) => serde_json::Value::from(*n),
                            V::Num(Some(x)) => serde_json::Value::from(reports::round2(*x)),
                            V::Num(None) => serde_json::Value::Null,
                            V::Date(d) => serde_json::Value::from(d.to_string()),
                        };
                        (c.key.clone(), j)
                    })
                    .collect()
            })
            .collect();
        let f = &r.filter;
        ReportBody {
            report: r.name.slug().into(),
            title: r.name.title().into(),
            filters: ReportFilters {
                from: f.from,
                to: f.to,
                year: f.year,
                site_id: f.site_id.clone(),
                department_id: f.department_id.clone(),
                school_id: f.school_id.clone(),
                discipline: f.discipline.clone(),
                degree_level: f.degree_level.clone(),
                kind: f.kind.clone(),
                by: f.by.as_str().into(),
            },
            counts: r.counts,
            columns: r
                .columns
                .into_iter()
                .map(|c| ReportColumn {
                    key: c.key,
                    label: c.label,
                })
                .collect(),
            rows,
            total: ReportTotal {
                label: r.total.label,
                value: r.total.value,
                list: r.total.list,
                api_list: r.total.api_list,
            },
        }
    }
}

async fn run(
    st: &AppState,
    p: &Principal,
    name: &str,
    params: &Params,
) -> AppResult<reports::Report> {
    // Authorization before validation: a role that may never read reports gets 403.
    let scope = p.authorize(Resource::Report, Action::Read)?;
    if !scope.is_all() {
        return Err(crate::error::AppError::Forbidden);
    }
    let name = reports::ReportName::parse(name).ok_or(crate::error::AppError::NotFound)?;
    let filter = input::reports::filter(params, st.clock.today())?;
    reports::run(st, p, name, filter).await
}

#[utoipa::path(get, path = "/api/v1/reports/{name}", tag = "reports", security(("bearer" = [])),
    params(("name" = String, Path, description = "placed, capacity, turnaround, holdups, hours, evaluations, agreements"), ReportQuery),
    responses((status = 200, body = ReportBody), (status = 403, body = crate::http::error::Problem),
              (status = 404, body = crate::http::error::Problem, description = "no such report"),
              (status = 422, body = crate::http::error::Problem, description = "every invalid filter at once: invalid_year, invalid_date, invalid_period, invalid_id, invalid_choice")))]
pub async fn get_report(
    State(st): State<AppState>,
    p: Principal,
    Path(name): Path<String>,
    params: Params,
) -> AppResult<Json<ReportBody>> {
    Ok(Json(run(&st, &p, &name, &params).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/reports/{name}/csv", tag = "reports", security(("bearer" = [])),
    params(("name" = String, Path), ReportQuery),
    responses((status = 200, content_type = "text/csv", description = "UTF-8 with a byte-order mark; the columns' keys, then the rows (formula-like text defused with a leading quote)"),
              (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn get_report_csv(
    State(st): State<AppState>,
    p: Principal,
    Path(name): Path<String>,
    params: Params,
) -> AppResult<Response> {
    let r = run(&st, &p, &name, &params).await?;
    Ok(crate::http::download_csv(
        &report_files::file_name(&r, "csv"),
        report_files::csv(&r),
    ))
}

#[utoipa::path(get, path = "/api/v1/reports/{name}/xlsx", tag = "reports", security(("bearer" = [])),
    params(("name" = String, Path), ReportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               description = "sheet Report: the columns' keys, then the rows (text as text cells, never formulas; figures as numbers); sheet About: title, period, filters, how it counts, total"),
              (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn get_report_xlsx(
    State(st): State<AppState>,
    p: Principal,
    Path(name): Path<String>,
    params: Params,
) -> AppResult<Response> {
    let r = run(&st, &p, &name, &params).await?;
    let bytes = report_files::xlsx(&r).map_err(crate::error::AppError::Internal)?;
    Ok(report_files::download_xlsx(
        &report_files::file_name(&r, "xlsx"),
        bytes,
    ))
}
