//! The summary report: students placed in a year, by discipline, degree level, school,
//! department and kind (API.md "Reports").
use crate::domain::ErrorCode;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::Params,
};
use crate::service::reports::{Summary, summary};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};

pub fn year_param(params: &Params, default: i32) -> AppResult<i32> {
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

pub fn to_csv(s: &Summary) -> String {
    let mut t = crate::http::pages::view::Table::new(
        "summary",
        vec!["dimension", "key", "label", "students"],
        "",
    );
    let dims = [
        ("discipline", &s.by_discipline),
        ("degree_level", &s.by_degree_level),
        ("school", &s.by_school),
        ("department", &s.by_department),
        ("kind", &s.by_kind),
    ];
    use crate::http::pages::view::Cell;
    t.rows.push(vec![
        Cell::text("total"),
        Cell::text(""),
        Cell::text("All students"),
        Cell::text(s.total.to_string()),
    ]);
    for (dim, list) in dims {
        for b in list.iter() {
            t.rows.push(vec![
                Cell::text(dim),
                Cell::text(&b.key),
                Cell::text(&b.label),
                Cell::text(b.students.to_string()),
            ]);
        }
    }
    t.csv()
}

#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", security(("bearer" = [])),
    params(("year" = Option<i32>, Query, description = "default: this year")),
    responses((status = 200, body = Summary), (status = 403, body = crate::http::error::Problem)))]
pub async fn get_summary(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<Summary>> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = year_param(&params, chrono::Datelike::year(&st.clock.today()))?;
    let mut tx = st.db.read().await?;
    Ok(Json(summary(&mut tx, year).await?))
}

#[utoipa::path(get, path = "/api/v1/reports/summary.csv", tag = "reports", security(("bearer" = [])),
    params(("year" = Option<i32>, Query)),
    responses((status = 200, content_type = "text/csv", description = "columns dimension,key,label,students")))]
pub async fn get_summary_csv(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Response> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = year_param(&params, chrono::Datelike::year(&st.clock.today()))?;
    let mut tx = st.db.read().await?;
    let s = summary(&mut tx, year).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"summary-{year}.csv\""),
            ),
        ],
        to_csv(&s),
    )
        .into_response())
}
