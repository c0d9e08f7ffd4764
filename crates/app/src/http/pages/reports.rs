//! The office's reports (issue 17 part 2): `/reports` lists them, `/reports/<name>` shows one
//! with its filter form, how it counts, its total linked to the list it summarises, its chart
//! (`chart.rs`) and its table, and downloads exactly that as CSV (`?format=csv`) or XLSX
//! (`?format=xlsx`). The figures come from `service::reports::run`, as in the API.
use super::view::Field;
use super::{Chrome, PageResult, PageUser, filter_select};
use crate::db;
use crate::domain::policy::{Action, Resource};
use crate::http::{error::AppError, extract::Params, input, report_files};
use crate::service::reports::{self, GroupBy, ReportName};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, extract::State, response::IntoResponse, routing::get};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(index))
        .route("/reports/{name}", get(report))
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
struct IndexPage {
    chrome: Chrome,
    /// (address, title, one line)
    reports: Vec<(String, &'static str, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    intro: &'static str,
    filters: Vec<Field>,
    counts: String,
    total_label: String,
    total_value: i64,
    total_list: String,
    csv_href: String,
    xlsx_href: String,
    chart: String,
    table: report_files::ShownTable,
}

async fn index(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    user.p.authorize(Resource::Report, Action::Read)?;
    // The summary's CSV stays where it was (`/reports?year=&format=csv`).
    if super::wants_csv(&params) {
        let year = input::reports::year(&params, chrono::Datelike::year(&st.clock.today()))?;
        let mut tx = st.db.read().await?;
        let s = reports::summary(&mut tx, year).await?;
        return Ok(crate::http::download_csv(
            &format!("summary-{year}.csv"),
            crate::http::report_csv::summary_csv(&s),
        ));
    }
    Ok(IndexPage {
        chrome: user.chrome("Reports"),
        reports: ReportName::ALL
            .into_iter()
            .map(|n| (format!("/reports/{}", n.slug()), n.title(), n.summary()))
            .collect(),
    }
    .into_response())
}

async fn report(
    State(st): State<AppState>,
    user: PageUser,
    axum::extract::Path(name): axum::extract::Path<String>,
    mut params: Params,
) -> PageResult {
    user.p.authorize(Resource::Report, Action::Read)?;
    let name = ReportName::parse(&name).ok_or(AppError::NotFound)?;
    // The form shows the year filled in: a reader who types a date range means the range
    // (the API, which has no form, still refuses both at once).
    if params.get("from").is_some() || params.get("to").is_some() {
        params.0.remove("year");
    }
    let filter = input::reports::filter(&params, st.clock.today())?;
    let r = reports::run(&st, &user.p, name, filter).await?;
    match params.get("format").as_deref() {
        Some("csv") => {
            return Ok(crate::http::download_csv(
                &report_files::file_name(&r, "csv"),
                report_files::csv(&r),
            ));
        }
        Some("xlsx") => {
            let bytes = report_files::xlsx(&r).map_err(AppError::Internal)?;
            return Ok(report_files::download_xlsx(
                &report_files::file_name(&r, "xlsx"),
                bytes,
            ));
        }
        _ => {}
    }
    let mut tx = st.db.read().await?;
    let filters = fields(&mut tx, &params, &r).await?;
    drop(tx);
    let qs = reports::query_string(&r.filter.query_pairs());
    let by = if name == ReportName::Placed {
        format!("&by={}", r.filter.by.as_str())
    } else {
        String::new()
    };
    let base = format!("/reports/{}?{qs}{by}", name.slug());
    Ok(ReportPage {
        chrome: user.chrome(format!("{} — {}", name.title(), r.filter.period_words())),
        intro: name.summary(),
        filters,
        counts: r.counts.clone(),
        total_label: r.total.label.clone(),
        total_value: r.total.value,
        total_list: r.total.list.clone().unwrap_or_default(),
        csv_href: format!("{base}&format=csv"),
        xlsx_href: format!("{base}&format=xlsx"),
        chart: super::chart::for_report(&r),
        table: report_files::table(&r),
    }
    .into_response())
}

/// The filter form, showing the filter the report ran with.
async fn fields(
    tx: &mut db::Tx,
    params: &Params,
    r: &reports::Report,
) -> Result<Vec<Field>, AppError> {
    let f = &r.filter;
    let this = chrono::Datelike::year(&f.from);
    let mut year = Field::new("year", "Year", "number")
        .value(f.year.map(|y| y.to_string()).unwrap_or_default())
        .hint(format!(
            "a calendar year, or leave it empty and give the first and last day (e.g. {this})"
        ));
    year.options = vec![];
    let date = |k: &str, label: &str, v: chrono::NaiveDate| {
        Field::new(k, label, "date").value(if f.year.is_none() {
            v.to_string()
        } else {
            params.get(k).unwrap_or_default()
        })
    };
    let sites = db::sites::all(tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let disciplines = db::disciplines::all(tx)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut out = vec![
        year,
        date("from", "First day", f.from),
        date("to", "Last day", f.to),
        filter_select("site_id", "Site", sites, params),
        filter_select(
            "department_id",
            "Department",
            db::departments::all_names(tx).await?,
            params,
        ),
        filter_select(
            "school_id",
            "School",
            db::schools::all_names(tx).await?,
            params,
        ),
        filter_select("discipline", "Discipline", disciplines, params),
        filter_select(
            "degree_level",
            "Degree level",
            crate::domain::directory::DegreeLevel::ALL
                .iter()
                .map(|d| (d.as_str().to_string(), d.label().to_string()))
                .collect(),
            params,
        ),
        filter_select(
            "kind",
            "Kind",
            vec![
                ("clinical".into(), "Clinical".into()),
                ("internship".into(), "Internship".into()),
            ],
            params,
        ),
    ];
    if r.name == ReportName::Placed {
        let mut by = filter_select(
            "by",
            "Group by",
            GroupBy::ALL
                .into_iter()
                .map(|g| (g.as_str().to_string(), g.label().to_string()))
                .collect(),
            params,
        );
        by.value = f.by.as_str().to_string();
        by.required = true;
        out.push(by);
    }
    Ok(out)
}
