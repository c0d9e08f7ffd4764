//! Certificates of completion over the API (issue 16 point 5).
use crate::http::{
    auth::Principal,
    error::{AppResult, Problem},
    extract::PathId,
};
use crate::service::certificates::{self, Certificate};
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use utoipa::ToSchema;

/// A certificate as issued.
#[derive(serde::Serialize, ToSchema)]
pub struct CertificateRecord {
    pub id: String,
    pub placement_id: String,
    pub issued_at: String,
    pub organisation: String,
    pub student: String,
    pub program: String,
    pub school: String,
    pub site: String,
    pub department: String,
    pub supervisor: String,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Approved hours.
    pub approved_hours: f64,
}

impl From<Certificate> for CertificateRecord {
    fn from(c: Certificate) -> Self {
        CertificateRecord {
            id: c.id,
            placement_id: c.placement_id,
            issued_at: c.issued_at.to_rfc3339(),
            organisation: c.organisation,
            student: c.student,
            program: c.program,
            school: c.school,
            site: c.site,
            department: c.department,
            supervisor: c.supervisor,
            kind: c.kind,
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            approved_hours: c.approved_minutes as f64 / 60.0,
        }
    }
}

/// The PDF of a certificate, inline, named by its id.
pub fn pdf_response(c: &Certificate) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"certificate-{}.pdf\"", c.id),
            ),
        ],
        certificates::pdf(c),
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/placements/{id}/certificate", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", description = "the certificate of completion"),
        (status = 404, body = Problem)))]
pub async fn of_placement(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    Ok(pdf_response(
        &certificates::of_placement(&st, &p, &id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/certificates/{id}", tag = "placements", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CertificateRecord), (status = 404, body = Problem)))]
pub async fn look_up(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<CertificateRecord>> {
    Ok(Json(certificates::look_up(&st, &p, &id).await?.into()))
}
