//! Onboarding and clearance (API.md): requirement rules, each student's checklist, documents
//! uploaded once and reused, the office's review, school attestations, signatures in the
//! system and provisioning ticks.
use super::kept::kept_body;
use super::schema::{ChecklistItem, Document, Requirement};
use super::{List, created};
use crate::db;
use crate::db::listings::ListingKey;
use crate::domain::policy::{Action, Resource};
use crate::http::input;
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{JsonBody, Params, PathId},
    upload,
};
use crate::service::disclosures::{self, Read};
use crate::service::onboarding::{
    attestations, checklist_for, documents, readable_documents, requirements,
};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Request, State},
    http::{StatusCode, Uri},
    response::Response,
};

// ---- requirement rules

#[utoipa::path(get, path = "/api/v1/requirements", tag = "onboarding", security(("bearer" = [])),
    responses((status = 200, body = List<Requirement>)))]
pub async fn list_requirements(
    State(st): State<AppState>,
    p: Principal,
) -> AppResult<Json<List<Requirement>>> {
    p.authorize(Resource::Discipline, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(Json(db::requirements::all(&mut tx).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/requirements", tag = "onboarding", security(("bearer" = [])), request_body = input::onboarding::RequirementInput,
    responses((status = 201, body = Requirement), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_requirement_api(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Requirement>)> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        requirements::create_requirement(&st, &p, input::onboarding::requirement(body, true))
            .await?,
    ))
}

/// Changes apply to every open placement on the next read: clearance is derived, never stored.
#[utoipa::path(patch, path = "/api/v1/requirements/{id}", tag = "onboarding", security(("bearer" = [])), request_body = input::onboarding::RequirementInput,
    params(("id" = String, Path)), responses((status = 200, body = Requirement), (status = 404, body = crate::http::error::Problem)))]
pub async fn update_requirement_api(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Requirement>> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        requirements::update_requirement(&st, &p, &id, input::onboarding::requirement(body, false))
            .await?
            .into(),
    ))
}

// ---- the checklist

#[utoipa::path(get, path = "/api/v1/students/{id}/requirements", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path), ("placement_id" = Option<String>, Query, description = "one placement; default: all open ones")),
    responses((status = 200, body = List<ChecklistItem>), (status = 404, body = crate::http::error::Problem)))]
pub async fn student_requirements(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    params: Params,
) -> AppResult<Json<List<ChecklistItem>>> {
    let placement_id = params.id("placement_id")?;
    let mut tx = st.db.read().await?;
    let items = checklist_for(&mut tx, &p, &id, placement_id.as_deref(), st.clock.today()).await?;
    drop(tx);
    disclosures::record(&st, &p, &id, Read::Checklist).await?;
    Ok(Json(items.into()))
}

// ---- documents

#[utoipa::path(post, path = "/api/v1/students/{id}/documents", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body(content_type = "multipart/form-data", description = "requirement_code, completed_on, expires_on?, placement_id?, file (PDF, PNG or JPEG, at most 10 MiB)"),
    responses((status = 201, body = Document), (status = 422, body = crate::http::error::Problem, description = "file_type_not_allowed, file_too_large, completed_in_future, expires_before_completion, ...")))]
pub async fn create_document(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    req: Request,
) -> AppResult<(StatusCode, Json<Document>)> {
    documents::may_upload_for(&st, &p, &id).await?;
    let up = upload::read(req, st.config.upload_limit).await?;
    let doc = input::onboarding::new_document(up)?;
    Ok(created(
        documents::upload_document(&st, &p, &id, doc).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/students/{id}/documents", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = List<Document>), (status = 404, body = crate::http::error::Problem)))]
pub async fn student_documents(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<List<Document>>> {
    let mut tx = st.db.read().await?;
    let docs = readable_documents(&mut tx, &p, &id).await?;
    drop(tx);
    disclosures::record(&st, &p, &id, Read::Documents).await?;
    Ok(Json(docs.into()))
}

/// The office's review queue, oldest first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "onboarding", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "default submitted"), ("requirement_code" = Option<String>, Query),
           ("school_id" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Document>), (status = 403, body = crate::http::error::Problem)))]
pub async fn review_queue(
    State(st): State<AppState>,
    p: Principal,
    uri: Uri,
    params: Params,
) -> AppResult<Response> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let page = params.page()?;
    let status = Some(
        params
            .word(
                "status",
                |s| ["submitted", "verified", "rejected"].contains(&s),
                "submitted, verified, rejected",
            )?
            .unwrap_or_else(|| "submitted".into()),
    );
    let requirement_code = params.get("requirement_code");
    let school_id = params.id("school_id")?;
    kept_body(&st, &p, &uri, async {
        // A list's page: no common snapshot needed (Db::read_latest). Its rows' ids and tags,
        // then only the documents this server has not answered at their tag.
        let read_at = st.db.write_generation();
        // No connection is taken when the listing and every row are kept.
        let mut conn = st.db.read_latest_lazily();
        // Its ids from the listing kept whole when the queue is read page after page
        // (db::listings).
        let filter = (&status, &requirement_code, &school_id);
        let key = ListingKey::new("documents", &"review", &filter, &page, st.clock.today());
        let listed = crate::listing_page!(st.listings, key, read_at, &page, page => async {
            db::documents::list_tags(conn.get().await?, &status, &requirement_code, &school_id, page).await
        }.await)?;
        let mut rows = st.document_answers.page(listed);
        rows.fill_kept_once_connected(&mut conn).await?;
        let missing = rows.missing();
        let read = match missing.is_empty() {
            true => Vec::new(),
            false => db::documents::tagged(conn.get().await?, &missing).await?,
        };
        Ok(rows.into_json(
            read.into_iter()
                .map(|(d, tag)| (d.id.clone(), Some(tag), Document::from(d))),
        )?)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/documents/{id}/review", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::onboarding::ReviewInput,
    responses((status = 200, body = Document), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn review(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Document>> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        documents::review_document(&st, &p, &id, input::onboarding::review(body)?)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}/file", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, description = "the stored file, as an attachment"), (status = 404, body = crate::http::error::Problem)))]
pub async fn file(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    crate::http::document_file::file_response(&st, &p, &id, false).await
}

// ---- attestations, signatures, provisioning

#[utoipa::path(post, path = "/api/v1/attestations", tag = "onboarding", security(("bearer" = [])), request_body = input::onboarding::AttestationInput,
    responses((status = 201, body = Vec<Document>), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn attestations(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Vec<Document>>)> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    let documents = attestations::attest(&st, &p, input::onboarding::attestation(body)?).await?;
    Ok(created(
        documents
            .into_iter()
            .map(Document::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/signatures", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = input::onboarding::SignatureInput, description = "the student signs"),
    responses((status = 201, body = Document), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn signatures(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Document>)> {
    let body = body.read(&st).await?;
    Ok(created(
        attestations::sign(&st, &p, &id, input::onboarding::signature(body)?).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/provisioning", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = input::onboarding::ProvisioningInput, description = "the office ticks a step"),
    responses((status = 201, body = Document), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn provisioning(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Document>)> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        attestations::provision(&st, &p, &id, input::onboarding::provisioning(body)?).await?,
    ))
}

/// One version of an agreement's text, as students are shown it before they sign.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AgreementText {
    pub requirement_code: String,
    pub version: i64,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<crate::db::agreement_texts::AgreementText> for AgreementText {
    fn from(t: crate::db::agreement_texts::AgreementText) -> Self {
        AgreementText {
            requirement_code: t.requirement_code,
            version: t.version,
            body: t.body,
            created_at: t.created_at,
        }
    }
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // documents `?version=` in the OpenAPI document; read through `Params`
pub struct VersionQuery {
    /// A past version; default the current one.
    pub version: Option<i64>,
}

/// The current text of an agreement signed in the system (or `?version=`). Anyone signed in.
#[utoipa::path(get, path = "/api/v1/agreement-texts/{code}", tag = "onboarding", security(("bearer" = [])),
    params(("code" = String, Path, description = "the requirement's code, e.g. confidentiality"), VersionQuery),
    responses((status = 200, body = AgreementText), (status = 401, body = crate::http::error::Problem),
              (status = 404, body = crate::http::error::Problem)))]
pub async fn agreement_text(
    State(st): State<AppState>,
    p: Principal,
    axum::extract::Path(code): axum::extract::Path<String>,
    params: crate::http::extract::Params,
) -> AppResult<Json<AgreementText>> {
    // Read through `Params`, not axum's `Query`, so a bad value is an RFC 9457 problem.
    let version = match params.get("version") {
        None => None,
        Some(v) => Some(v.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            crate::error::AppError::invalid(
                "version",
                crate::domain::ErrorCode::InvalidNumber,
                "must be a version number (1, 2, …)",
            )
        })?),
    };
    let t = crate::service::onboarding::agreement_texts::read(&st, &p, &code, version).await?;
    Ok(Json(t.into()))
}

crate::http::body::body! {
    pub struct AgreementTextInput {
        /// The whole text; it becomes the next version.
        body: String,
    }
}

/// Keep a new version of an agreement's text (the office). Signatures made before keep naming
/// the version they signed.
#[utoipa::path(put, path = "/api/v1/agreement-texts/{code}", tag = "onboarding", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = AgreementTextInput,
    responses((status = 201, body = AgreementText), (status = 401, body = crate::http::error::Problem),
              (status = 403, body = crate::http::error::Problem), (status = 404, body = crate::http::error::Problem),
              (status = 422, body = crate::http::error::Problem)))]
pub async fn write_agreement_text(
    State(st): State<AppState>,
    p: Principal,
    axum::extract::Path(code): axum::extract::Path<String>,
    crate::http::extract::JsonObject(body): crate::http::extract::JsonObject,
) -> AppResult<(StatusCode, Json<AgreementText>)> {
    let (mut i, b) = crate::http::extract::Input::read::<AgreementTextInput>(body);
    let text = i.req(&b.body, None, &|v| match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        _ => Err((crate::domain::ErrorCode::InvalidType, "must be text".into())),
    });
    i.finish()?;
    let t = crate::service::onboarding::agreement_texts::write(
        &st,
        &p,
        &code,
        &text.unwrap_or_default(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}
