use super::kept::kept_body;
use super::schema::Student;
use super::{List, created};
use crate::db;
use crate::db::listings::ListingKey;
use crate::domain::policy::{Action, Resource};
use crate::http::{
    auth::Principal,
    error::AppResult,
    extract::{JsonBody, Params, PathId},
    input,
};
use crate::service::students;
use crate::state::AppState;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, Uri},
    response::Response,
};

#[utoipa::path(get, path = "/api/v1/students", tag = "directory", security(("bearer" = [])),
    params(("school_id" = Option<String>, Query), ("program_id" = Option<String>, Query),
           ("status" = Option<String>, Query, description = "enrollment status"), ("q" = Option<String>, Query, description = "name or email"),
           ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<Student>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    uri: Uri,
    params: Params,
) -> AppResult<Response> {
    let scope = p.authorize(Resource::Student, Action::Read)?;
    let page = params.page()?;
    let filter = input::students::filter(&params)?;
    kept_body(&st, &p, &uri, async {
        // A list's page: no common snapshot needed (Db::read_latest). Its rows' ids and tags,
        // then only the students this server has not answered at their tag.
        let read_at = st.db.write_generation();
        // No connection is taken when the listing and every row are kept.
        let mut conn = st.db.read_latest_lazily();
        // Its ids from the listing kept whole when the list is read page after page
        // (db::listings).
        let key = ListingKey::new("students", &scope, &filter, &page, st.clock.today());
        let listed = crate::listing_page!(st.listings, key, read_at, &page, page =>
            async { db::students::list_tags(&mut conn, st.db.held_suffixes(), &scope, &filter, page).await }.await)?;
        let mut rows = st.student_answers.page(listed);
        rows.fill_kept_once_connected(&mut conn).await?;
        let missing = rows.missing();
        let read = match missing.is_empty() {
            true => Vec::new(),
            false => db::students::tagged(conn.get().await?, &missing).await?,
        };
        Ok(rows.into_json(
            read.into_iter()
                .map(|(s, tag)| (s.id.clone(), Some(tag), Student::from(s))),
        )?)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/students", tag = "directory", security(("bearer" = [])), request_body = input::students::StudentInput,
    responses((status = 201, body = Student), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Student>)> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        students::create_student(&st, &p, input::students::student(body, true, &scope)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/students/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Student), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<Student>> {
    Ok(Json(students::read_student(&st, &p, &id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/students/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::students::StudentInput,
    responses((status = 200, body = Student), (status = 404, body = crate::http::error::Problem)))]
pub async fn update(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Student>> {
    let scope = p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        students::update_student(&st, &p, &id, input::students::student(body, false, &scope))
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/students/{id}/transfer", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::students::TransferInput,
    responses((status = 200, body = Student, description = "the student after the move, with `affected_placements` when open placements are now at risk"),
        (status = 404, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn transfer(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Student>> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        crate::service::enrollments::transfer_student(
            &st,
            &p,
            &id,
            input::students::transfer(body),
        )
        .await?
        .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/students/{id}/enrollments", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::students::EnrollmentInput,
    responses((status = 201, body = Student), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn enroll(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<Student>)> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(created(
        crate::service::enrollments::add_enrollment(
            &st,
            &p,
            &id,
            input::students::enrollment(body, true),
        )
        .await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/enrollments/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = input::students::EnrollmentInput,
    responses((status = 200, body = Student), (status = 404, body = crate::http::error::Problem),
        (status = 422, body = crate::http::error::Problem)))]
pub async fn update_enrollment(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
    body: JsonBody,
) -> AppResult<Json<Student>> {
    p.authorize(Resource::Student, Action::Write)?;
    let body = body.read(&st).await?;
    Ok(Json(
        crate::service::enrollments::update_enrollment(
            &st,
            &p,
            &id,
            input::students::enrollment(body, false),
        )
        .await?
        .into(),
    ))
}
