//! The summary report: students placed in a year, by discipline, degree level, school,
//! department and kind (API.md "Reports").
use super::schema::Summary;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::Principal, error::AppResult, extract::Params, input};
use crate::service::reports::summary;
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
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
    responses((status = 200, content_type = "text/csv", description = "columns dimension,key,label,students")))]
pub async fn get_summary_csv(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Response> {
    p.authorize(Resource::Report, Action::Read)?;
    let year = input::reports::year(&params, chrono::Datelike::year(&st.clock.today()))?;
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
        crate::http::report_csv::summary_csv(&s),
    )
        .into_response())
}
