//! Onboarding and clearance (API.md): requirement rules, each student's checklist, documents
//! uploaded once and reused, the office's review, school attestations, signatures in the
//! system and provisioning ticks.
use super::{List, created};
use crate::db::{
    self, Scope, Tx, documents::Document, placements::PlacementRow, requirements::Requirement,
};
use crate::domain::ErrorCode;
use crate::domain::{
    Problems,
    clearance::{self, ItemState},
    policy::{Action, Resource},
    requirements::{AppliesTo, CATEGORIES, SATISFIERS, Validity},
};
use crate::files;
use crate::http::{
    auth::{Principal, ensure},
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
    upload,
};
use crate::state::AppState;
use axum::{
    Json,
    extract::{Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

// ---- requirement rules

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RequirementInput {
    code: String,
    name: String,
    /// immunization, test, certification, background, training, attestation, provisioning
    category: String,
    /// student_upload, school_attestation, office_action, signed_in_system
    satisfied_by: String,
    /// `{ "kind": "years", "value": 1 }`; kinds: once, days, months, years, until_expiry,
    /// flu_season, per_placement, within_days_before_start
    validity: Validity,
    applies_to: Option<AppliesTo>,
    active: Option<bool>,
}

fn word_in(
    list: &'static [&'static str],
) -> impl Fn(&Value) -> Result<String, (ErrorCode, String)> {
    move |v| match v.as_str() {
        Some(s) if list.contains(&s) => Ok(s.to_string()),
        _ => Err((
            ErrorCode::InvalidChoice,
            format!("must be one of: {}", list.join(", ")),
        )),
    }
}

fn parse_requirement(
    body: Map<String, Value>,
    current: Option<&Requirement>,
) -> AppResult<Requirement> {
    let mut i = Input::new(
        body,
        &[
            "code",
            "name",
            "category",
            "satisfied_by",
            "validity",
            "applies_to",
            "active",
        ],
    );
    let code = i.req("code", current.map(|c| &c.code), &|v| {
        let s = parse::text(v)?;
        if s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            Ok(s)
        } else {
            Err((
                ErrorCode::InvalidCode,
                "lower-case letters, digits and _ only".into(),
            ))
        }
    });
    let name = i.req("name", current.map(|c| &c.name), &parse::text);
    let category = i.req(
        "category",
        current.map(|c| &c.category),
        &word_in(CATEGORIES),
    );
    let satisfied_by = i.req(
        "satisfied_by",
        current.map(|c| &c.satisfied_by),
        &word_in(SATISFIERS),
    );
    let validity = i.req("validity", current.map(|c| &c.validity), &|v| {
        serde_json::from_value::<Validity>(v.clone()).map_err(|_| {
            (
                ErrorCode::InvalidValidity,
                "see the API documentation for the validity kinds".into(),
            )
        })
    });
    let applies_to = i.req(
        "applies_to",
        Some(
            current
                .map(|c| &c.applies_to)
                .unwrap_or(&AppliesTo::default()),
        ),
        &|v| {
            serde_json::from_value::<AppliesTo>(v.clone()).map_err(|_| {
                (
                    ErrorCode::InvalidAppliesTo,
                    "lists of kinds, disciplines, sites, departments and exemptions".into(),
                )
            })
        },
    );
    let active = i.req(
        "active",
        Some(current.map(|c| &c.active).unwrap_or(&true)),
        &parse::boolean,
    );
    if let (Some(c), Some(cur)) = (&code, current)
        && *c != cur.code
    {
        i.problems.add(
            "code",
            ErrorCode::ReadOnly,
            "a requirement's code cannot change; evidence refers to it",
        );
    }
    i.finish()?;
    Ok(Requirement {
        id: current.map_or_else(db::new_id, |c| c.id.clone()),
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        category: category.unwrap_or_default(),
        satisfied_by: satisfied_by.unwrap_or_default(),
        validity: validity.unwrap_or(Validity::Once),
        applies_to: applies_to.unwrap_or_default(),
        active: active.unwrap_or(true),
    })
}

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

pub async fn create_requirement(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<Requirement> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let r = parse_requirement(body, None)?;
    let mut tx = st.db.write().await?;
    db::requirements::insert(&mut tx, &r).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "requirement",
        &r.id,
        None::<&()>,
        Some(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

#[utoipa::path(post, path = "/api/v1/requirements", tag = "onboarding", security(("bearer" = [])), request_body = RequirementInput,
    responses((status = 201, body = Requirement), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn create_requirement_api(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Requirement>)> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(create_requirement(&st, &p, body).await?))
}

pub async fn update_requirement(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Requirement> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::requirements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = parse_requirement(body, Some(&current))?;
    db::requirements::update(&mut tx, &r).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "requirement",
        id,
        Some(&current),
        Some(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

/// Changes apply to every open placement on the next read: clearance is derived, never stored.
#[utoipa::path(patch, path = "/api/v1/requirements/{id}", tag = "onboarding", security(("bearer" = [])), request_body = RequirementInput,
    params(("id" = String, Path)), responses((status = 200, body = Requirement), (status = 404, body = crate::http::error::Problem)))]
pub async fn update_requirement_api(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Requirement>> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(update_requirement(&st, &p, &id, body).await?))
}

// ---- the checklist

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChecklistItem {
    pub requirement_code: String,
    pub name: String,
    pub category: String,
    pub satisfied_by: String,
    /// missing, submitted, verified, rejected, expired, expires_during_placement
    pub state: String,
    /// The last day the best verified evidence is valid, if it lapses.
    pub lapses_on: Option<NaiveDate>,
    /// The placements this item applies to (its state is the worst among them).
    pub placement_ids: Vec<String>,
}

/// The student, if the caller may see them.
pub async fn visible_student(
    tx: &mut Tx,
    p: &Principal,
    student_id: &str,
) -> AppResult<db::students::Student> {
    let scope = p.authorize(Resource::Student, Action::Read)?;
    let s = db::students::get(tx, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(
        super::students::visible(&scope, &s)
            || db::students::placed_with(tx, &scope, &s.id).await?,
    )?;
    Ok(s)
}

/// Open placements of a student: those that still hold their seat.
async fn open_placements(tx: &mut Tx, student_id: &str) -> AppResult<Vec<PlacementRow>> {
    let f = db::placements::Filter {
        student_id: Some(student_id.to_string()),
        ..Default::default()
    };
    let rows = db::placements::list(
        tx,
        &Scope::All,
        &f,
        &db::Page {
            limit: 500,
            after: None,
        },
    )
    .await?
    .items;
    Ok(rows
        .into_iter()
        .filter(|r| !matches!(r.status.as_str(), "cancelled" | "completed"))
        .collect())
}

/// One checklist across the student's placements (or one placement): each requirement once,
/// at its worst state, so a document is asked for once.
pub async fn checklist(
    tx: &mut Tx,
    student_id: &str,
    placement_id: Option<&str>,
    today: NaiveDate,
) -> AppResult<Vec<ChecklistItem>> {
    let placements: Vec<PlacementRow> = open_placements(tx, student_id)
        .await?
        .into_iter()
        .filter(|p| placement_id.is_none_or(|id| p.id == id))
        .collect();
    let rules = db::requirements::all(tx).await?;
    let mut out: Vec<ChecklistItem> = Vec::new();
    for row in &placements {
        let Some((facts, domain_rules, evidence)) =
            crate::service::placements::onboarding_facts(tx, row).await?
        else {
            continue;
        };
        for item in clearance::checklist(&domain_rules, &evidence, &facts, today) {
            match out.iter_mut().find(|c| c.requirement_code == item.code) {
                Some(c) => {
                    let current = parse_state(&c.state);
                    if item.state > current {
                        c.state = item.state.as_str().into();
                        c.lapses_on = item.lapses_on;
                    }
                    c.placement_ids.push(row.id.clone());
                }
                None => {
                    let r = rules.iter().find(|r| r.code == item.code);
                    out.push(ChecklistItem {
                        requirement_code: item.code.clone(),
                        name: r.map(|r| r.name.clone()).unwrap_or_default(),
                        category: r.map(|r| r.category.clone()).unwrap_or_default(),
                        satisfied_by: r.map(|r| r.satisfied_by.clone()).unwrap_or_default(),
                        state: item.state.as_str().into(),
                        lapses_on: item.lapses_on,
                        placement_ids: vec![row.id.clone()],
                    });
                }
            }
        }
    }
    Ok(out)
}

fn parse_state(s: &str) -> ItemState {
    [
        ItemState::Verified,
        ItemState::Submitted,
        ItemState::Missing,
        ItemState::Rejected,
        ItemState::Expired,
        ItemState::ExpiresDuringPlacement,
    ]
    .into_iter()
    .find(|x| x.as_str() == s)
    .unwrap_or(ItemState::Missing)
}

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
    visible_student(&mut tx, &p, &id).await?;
    Ok(Json(
        checklist(&mut tx, &id, placement_id.as_deref(), st.clock.today())
            .await?
            .into(),
    ))
}

// ---- documents

/// Who may add evidence for a student: the student themself, their school, the office.
fn may_submit_for(p: &Principal, s: &db::students::Student) -> bool {
    p.role.is_office()
        || p.student_id.as_deref() == Some(s.id.as_str())
        || (p.role == crate::domain::Role::SchoolCoordinator
            && p.school_id.as_deref() == Some(s.school_id.as_str()))
}

/// Checks a new piece of evidence: dates, the requirement, the placement it is for.
#[allow(clippy::too_many_arguments)]
async fn check_evidence(
    tx: &mut Tx,
    student_id: &str,
    code: &str,
    completed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    placement_id: Option<&str>,
    today: NaiveDate,
    allowed_by: &[&str],
) -> AppResult<Requirement> {
    let mut problems = Problems::default();
    let r = db::requirements::by_code(tx, code).await?;
    match &r {
        None => problems.add(
            "requirement_code",
            ErrorCode::UnknownRequirement,
            format!("{code:?} is not a requirement"),
        ),
        Some(r) if !allowed_by.contains(&r.satisfied_by.as_str()) => problems.add(
            "requirement_code",
            ErrorCode::NotSatisfiableThisWay,
            format!(
                "{} is satisfied by {}",
                r.name,
                r.satisfied_by.replace('_', " ")
            ),
        ),
        Some(r) => {
            if r.validity.needs_expiry_date() && expires_on.is_none() {
                problems.add(
                    "expires_on",
                    ErrorCode::ExpiryRequired,
                    format!(
                        "{} is valid to the expiry date on it: give that date",
                        r.name
                    ),
                );
            }
            if r.validity == Validity::PerPlacement && placement_id.is_none() {
                problems.add(
                    "placement_id",
                    ErrorCode::PlacementRequired,
                    format!("{} is done for each placement: say which", r.name),
                );
            }
        }
    }
    if completed_on > today {
        problems.add(
            "completed_on",
            ErrorCode::CompletedInFuture,
            "the completion date is in the future",
        );
    }
    if expires_on.is_some_and(|e| e < completed_on) {
        problems.add(
            "expires_on",
            ErrorCode::ExpiresBeforeCompletion,
            "the expiry date is before the completion date",
        );
    }
    if let Some(pid) = placement_id {
        let ok = db::placements::get(tx, pid)
            .await?
            .is_some_and(|p| p.student_id.as_deref() == Some(student_id));
        if !ok {
            problems.add(
                "placement_id",
                ErrorCode::UnknownPlacement,
                "the student has no such placement",
            );
        }
    }
    problems.into_result()?;
    r.ok_or(AppError::NotFound)
}

fn date_field(
    fields: &std::collections::HashMap<String, String>,
    key: &str,
    required: bool,
    problems: &mut Problems,
) -> Option<NaiveDate> {
    match fields.get(key).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => {
            if required {
                problems.add(key, ErrorCode::Required, format!("{key} is required"));
            }
            None
        }
        Some(v) => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                problems.add(
                    key,
                    ErrorCode::InvalidDate,
                    format!("{v:?} is not a date (YYYY-MM-DD)"),
                );
                None
            }
        },
    }
}

/// Stores an uploaded document for a student (multipart: `requirement_code`, `completed_on`,
/// `expires_on`?, `placement_id`?, `file`). The file is sniffed (PDF, PNG, JPEG) and capped;
/// nothing is stored unless everything is right.
pub async fn upload_document(
    st: &AppState,
    p: &Principal,
    student_id: &str,
    req: Request,
) -> AppResult<Document> {
    let mut tx = st.db.read().await?;
    let student = visible_student(&mut tx, p, student_id).await?;
    drop(tx);
    if !may_submit_for(p, &student) {
        return Err(AppError::Forbidden);
    }
    let up = upload::read(req, st.config.upload_limit).await?;
    let mut problems = Problems::default();
    for k in up.fields.keys() {
        if ![
            "requirement_code",
            "completed_on",
            "expires_on",
            "placement_id",
            "csrf_token",
        ]
        .contains(&k.as_str())
        {
            problems.add(
                k,
                ErrorCode::UnknownField,
                format!("{k} is not a field of a document"),
            );
        }
    }
    let code = up
        .fields
        .get("requirement_code")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if code.is_empty() {
        problems.add(
            "requirement_code",
            ErrorCode::Required,
            "requirement_code is required",
        );
    }
    let completed_on = date_field(&up.fields, "completed_on", true, &mut problems);
    let expires_on = date_field(&up.fields, "expires_on", false, &mut problems);
    let placement_id = match up
        .fields
        .get("placement_id")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(v) => match crate::http::extract::parse_id(v) {
            Some(id) => Some(id),
            None => {
                problems.add("placement_id", ErrorCode::InvalidId, "is not a valid id");
                None
            }
        },
    };
    let kind = match &up.file {
        None => {
            problems.add("file", ErrorCode::FileRequired, "choose a file to upload");
            None
        }
        Some((_, bytes)) => match files::sniff(bytes) {
            Some(k) => Some(k),
            None => {
                problems.add(
                    "file",
                    ErrorCode::FileTypeNotAllowed,
                    "only PDF, PNG and JPEG files are accepted",
                );
                None
            }
        },
    };
    problems.into_result()?;
    let (name, bytes) = upload::require_file(&up)?;
    let (Some(completed_on), Some(kind)) = (completed_on, kind) else {
        return Err(AppError::BadRequest("unreadable upload".into()));
    };
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    check_evidence(
        &mut tx,
        student_id,
        &code,
        completed_on,
        expires_on,
        placement_id.as_deref(),
        st.clock.today(),
        &["student_upload"],
    )
    .await?;
    let sha = files::store(&st.config.files_dir(), bytes)
        .await
        .map_err(anyhow::Error::from)?;
    let d = Document {
        id: db::new_id(),
        student_id: student_id.to_string(),
        requirement_code: code,
        placement_id,
        completed_on,
        expires_on,
        status: "submitted".into(),
        source: "upload".into(),
        file_sha256: Some(sha),
        file_name: Some(upload::clean_filename(name)),
        file_mime: Some(kind.mime().into()),
        file_size: Some(bytes.len() as i64),
        submitted_by: Some(p.user_id.clone()),
        submitted_at: now,
        reviewed_by: None,
        reviewed_at: None,
        review_note: None,
        signer_name: None,
        signer_ip: None,
    };
    db::documents::insert(&mut tx, &d).await?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        "upload",
        "document",
        &d.id,
        None::<&()>,
        Some(&d),
    )
    .await?;
    crate::jobs::onboarding::document_uploaded(
        &mut tx,
        &d,
        &student.full_name(),
        now,
        st.config.upload_digest.is_zero(),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

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
    Ok(created(upload_document(&st, &p, &id, req).await?))
}

#[utoipa::path(get, path = "/api/v1/students/{id}/documents", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = List<Document>), (status = 404, body = crate::http::error::Problem)))]
pub async fn student_documents(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<List<Document>>> {
    let mut tx = st.db.read().await?;
    visible_student(&mut tx, &p, &id).await?;
    Ok(Json(db::documents::of_student(&mut tx, &id).await?.into()))
}

/// The office's review queue, oldest first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "onboarding", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "default submitted"), ("requirement_code" = Option<String>, Query),
           ("school_id" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Document>), (status = 403, body = crate::http::error::Problem)))]
pub async fn review_queue(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<Document>>> {
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
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::documents::list(
            &mut tx,
            &status,
            &params.get("requirement_code"),
            &params.id("school_id")?,
            &page,
        )
        .await?
        .into(),
    ))
}

pub async fn review_document(
    st: &AppState,
    p: &Principal,
    id: &str,
    body: Map<String, Value>,
) -> AppResult<Document> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let mut i = Input::new(body, &["outcome", "note"]);
    let outcome = i.req(
        "outcome",
        None,
        &parse::word(
            |s| s == "verified" || s == "rejected",
            "verified, rejected".into(),
        ),
    );
    let note = i.opt("note", None, &parse::text).flatten();
    if outcome.as_deref() == Some("rejected") && note.is_none() {
        i.problems.add(
            "note",
            ErrorCode::ReasonRequired,
            "tell the student what is wrong",
        );
    }
    i.finish()?;
    let now = st.clock.now();
    let mut tx = st.db.write().await?;
    let before = db::documents::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.status != "submitted" {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!("the document is already {}", before.status),
        ));
    }
    db::documents::review(
        &mut tx,
        id,
        &outcome.unwrap_or_default(),
        &p.user_id,
        now,
        note.as_deref(),
    )
    .await?;
    let after = db::documents::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::record(
        &mut tx,
        &p.actor(now),
        &format!("review:{}", after.status),
        "document",
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    if after.status == "rejected" {
        crate::jobs::onboarding::document_rejected(&mut tx, &after, &st.config.origin(), now)
            .await?;
    }
    tx.commit().await?;
    Ok(after)
}

#[utoipa::path(post, path = "/api/v1/documents/{id}/review", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Object, description = "{ outcome: verified | rejected, note? (required to reject) }"),
    responses((status = 200, body = Document), (status = 409, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn review(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Document>> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(review_document(&st, &p, &id, body).await?))
}

/// The stored file: an attachment, or `inline` for the review page's preview — then framed
/// by our own pages only and allowed to run nothing.
pub async fn file_response(
    st: &AppState,
    p: &Principal,
    id: &str,
    inline: bool,
) -> AppResult<Response> {
    let mut tx = st.db.read().await?;
    let d = db::documents::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let student = visible_student(&mut tx, p, &d.student_id).await?;
    drop(tx);
    // Preceptors and managers see placements, not medical evidence.
    if !may_submit_for(p, &student) {
        return Err(AppError::NotFound);
    }
    let Some(sha) = &d.file_sha256 else {
        return Err(AppError::NotFound);
    };
    let bytes = files::read(&st.config.files_dir(), sha)
        .await
        .map_err(anyhow::Error::from)?;
    let name = d
        .file_name
        .clone()
        .unwrap_or_else(|| "document".into())
        .replace(|c: char| !c.is_ascii() || c == '"', "_");
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                d.file_mime
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "{}; filename=\"{name}\"",
                    if inline { "inline" } else { "attachment" }
                ),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response();
    if inline {
        // The security middleware keeps these instead of its page defaults.
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
            ),
        );
        h.insert(
            header::X_FRAME_OPTIONS,
            header::HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    Ok(res)
}

#[utoipa::path(get, path = "/api/v1/documents/{id}/file", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, description = "the stored file, as an attachment"), (status = 404, body = crate::http::error::Problem)))]
pub async fn file(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Response> {
    file_response(&st, &p, &id, false).await
}

// ---- attestations, signatures, provisioning

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttestationInput {
    /// A requirement the office lets schools attest (e.g. background_check, liability_insurance).
    requirement_code: String,
    student_ids: Vec<String>,
    completed_on: String,
    expires_on: Option<String>,
}

/// Verified evidence created without a file: attested by the school, signed by the student,
/// or ticked by the office.
#[allow(clippy::too_many_arguments)]
async fn record_evidence(
    tx: &mut Tx,
    st: &AppState,
    p: &Principal,
    student_id: &str,
    code: &str,
    placement_id: Option<String>,
    completed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    source: &str,
    signer: Option<(String, Option<String>)>,
) -> AppResult<Document> {
    let now = st.clock.now();
    let d = Document {
        id: db::new_id(),
        student_id: student_id.to_string(),
        requirement_code: code.to_string(),
        placement_id,
        completed_on,
        expires_on,
        status: "verified".into(),
        source: source.into(),
        file_sha256: None,
        file_name: None,
        file_mime: None,
        file_size: None,
        submitted_by: Some(p.user_id.clone()),
        submitted_at: now,
        reviewed_by: Some(p.user_id.clone()),
        reviewed_at: Some(now),
        review_note: None,
        signer_name: signer.as_ref().map(|s| s.0.clone()),
        signer_ip: signer.and_then(|s| s.1),
    };
    db::documents::insert(tx, &d).await?;
    db::audit::record(
        tx,
        &p.actor(now),
        source,
        "document",
        &d.id,
        None::<&()>,
        Some(&d),
    )
    .await?;
    Ok(d)
}

/// A school coordinator attests a requirement for several of its students in one step.
pub async fn attest(
    st: &AppState,
    p: &Principal,
    body: Map<String, Value>,
) -> AppResult<Vec<Document>> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let mut i = Input::new(
        body,
        &[
            "requirement_code",
            "student_ids",
            "completed_on",
            "expires_on",
        ],
    );
    let code = i.req("requirement_code", None, &parse::text);
    let ids = i.req("student_ids", None, &|v| {
        let c = parse::codes(v)?;
        if c.is_empty() {
            Err((ErrorCode::Required, "name at least one student".into()))
        } else {
            Ok(c)
        }
    });
    let completed_on = i.req("completed_on", None, &parse::date);
    let expires_on = i.opt("expires_on", None, &parse::date);
    i.finish()?;
    let (code, ids, completed_on) = (
        code.unwrap_or_default(),
        ids.unwrap_or_default(),
        completed_on.unwrap_or_default(),
    );
    let expires_on = expires_on.flatten();
    let mut tx = st.db.write().await?;
    let mut out = vec![];
    for sid in &ids {
        let visible = match db::students::get(&mut tx, sid).await? {
            Some(s) => super::students::visible(&scope, &s),
            None => false,
        };
        if !visible {
            return Err(AppError::invalid(
                "student_ids",
                ErrorCode::UnknownStudent,
                format!("there is no student {sid} at your school"),
            ));
        }
        check_evidence(
            &mut tx,
            sid,
            &code,
            completed_on,
            expires_on,
            None,
            st.clock.today(),
            &["school_attestation"],
        )
        .await?;
        out.push(
            record_evidence(
                &mut tx,
                st,
                p,
                sid,
                &code,
                None,
                completed_on,
                expires_on,
                "attestation",
                None,
            )
            .await?,
        );
    }
    tx.commit().await?;
    Ok(out)
}

#[utoipa::path(post, path = "/api/v1/attestations", tag = "onboarding", security(("bearer" = [])), request_body = AttestationInput,
    responses((status = 201, body = Vec<Document>), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn attestations(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Vec<Document>>)> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(attest(&st, &p, body).await?))
}

/// The student signs a per-placement item in the system (the confidentiality agreement):
/// name, time and IP are kept.
pub async fn sign(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    body: Map<String, Value>,
) -> AppResult<Document> {
    let mut i = Input::new(body, &["requirement_code", "name"]);
    let code = i.req("requirement_code", None, &parse::text);
    let name = i.req("name", None, &parse::text);
    i.finish()?;
    let mut tx = st.db.write().await?;
    let row = db::placements::get(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(student_id) = row
        .student_id
        .clone()
        .filter(|s| p.student_id.as_deref() == Some(s.as_str()))
    else {
        return Err(AppError::NotFound);
    };
    let code = code.unwrap_or_default();
    let today = st.clock.today();
    check_evidence(
        &mut tx,
        &student_id,
        &code,
        today,
        None,
        Some(placement_id),
        today,
        &["signed_in_system"],
    )
    .await?;
    let d = record_evidence(
        &mut tx,
        st,
        p,
        &student_id,
        &code,
        Some(placement_id.into()),
        today,
        None,
        "signature",
        Some((name.unwrap_or_default(), p.ip.clone())),
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/signatures", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Object, description = "{ requirement_code, name }: the student signs"),
    responses((status = 201, body = Document), (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn signatures(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Document>)> {
    let body = body.read(&st).await?;
    Ok(created(sign(&st, &p, &id, body).await?))
}

/// The office ticks a provisioning or other office-action step for a placement.
pub async fn provision(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
    body: Map<String, Value>,
) -> AppResult<Document> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let mut i = Input::new(body, &["requirement_code"]);
    let code = i.req("requirement_code", None, &parse::text);
    i.finish()?;
    let mut tx = st.db.write().await?;
    let row = db::placements::get(&mut tx, placement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(student_id) = row.student_id.clone() else {
        return Err(AppError::conflict(
            ErrorCode::StudentNotNamed,
            "name the student before provisioning",
        ));
    };
    let code = code.unwrap_or_default();
    let today = st.clock.today();
    check_evidence(
        &mut tx,
        &student_id,
        &code,
        today,
        None,
        Some(placement_id),
        today,
        &["office_action"],
    )
    .await?;
    let d = record_evidence(
        &mut tx,
        st,
        p,
        &student_id,
        &code,
        Some(placement_id.into()),
        today,
        None,
        "office",
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(d)
}

#[utoipa::path(post, path = "/api/v1/placements/{id}/provisioning", tag = "onboarding", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Object, description = "{ requirement_code }: badge, network_account, parking, orientation, ehr_training"),
    responses((status = 201, body = Document), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn provisioning(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Document>)> {
    p.authorize(Resource::Requirement, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(provision(&st, &p, &id, body).await?))
}
