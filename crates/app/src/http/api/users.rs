use super::{List, created};
use crate::db::{self, Tx, new_id, users::User};
use crate::domain::ErrorCode;
use crate::domain::{
    Role,
    policy::{Action, Resource},
    role::Link,
};
use crate::http::{
    auth::Principal,
    error::{AppError, AppResult},
    extract::{Input, JsonBody, Params, PathId, parse},
};
use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UserInput {
    email: String,
    name: String,
    /// admin, coordinator, school_coordinator, student, preceptor, faculty, department_manager
    role: String,
    /// At least 10 characters. Without one, the user cannot sign in until given one.
    password: Option<String>,
    /// Required for school_coordinator and faculty.
    school_id: Option<String>,
    /// Required for preceptor and department_manager.
    staff_id: Option<String>,
    /// Required for student.
    student_id: Option<String>,
}

/// A new user, checked: the role's link is present and exists, and no other link is given.
/// The password is returned separately, to be hashed.
pub async fn parse_new_user(
    tx: &mut Tx,
    body: Map<String, Value>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<(User, Option<String>)> {
    let mut i = Input::new(
        body,
        &[
            "email",
            "name",
            "role",
            "password",
            "school_id",
            "staff_id",
            "student_id",
        ],
    );
    let email = i.req("email", None, &parse::email);
    let name = i.req("name", None, &parse::text);
    let role = i.req("role", None, &|v| {
        v.as_str().and_then(Role::parse).ok_or((
            ErrorCode::InvalidChoice,
            format!("must be one of: {}", role_words()),
        ))
    });
    let password = i.opt("password", None, &|v| match v {
        Value::String(s) => crate::password::check_strength(s)
            .map(|_| s.clone())
            .map_err(|m| (ErrorCode::WeakPassword, m.to_string())),
        _ => Err((ErrorCode::InvalidType, "must be text".into())),
    });
    let school_id = i.opt("school_id", None, &parse::id);
    let staff_id = i.opt("staff_id", None, &parse::id);
    let student_id = i.opt("student_id", None, &parse::id);

    if let Some(role) = role {
        let links = [
            (Link::School, "school_id", school_id.clone().flatten()),
            (Link::Staff, "staff_id", staff_id.clone().flatten()),
            (Link::Student, "student_id", student_id.clone().flatten()),
        ];
        for (link, field, value) in links {
            let needed = role.link() == Some(link);
            match (&value, needed) {
                (None, true) if !i.problems.has_field(field) => i.problems.add(
                    field,
                    ErrorCode::LinkRequired,
                    format!("a {} user must be linked with {field}", role.as_str()),
                ),
                (Some(_), false) => i.problems.add(
                    field,
                    ErrorCode::LinkNotAllowed,
                    format!("a {} user has no {field}", role.as_str()),
                ),
                (Some(id), true) => {
                    let exists = match link {
                        Link::School => db::schools::get(tx, id).await?.is_some(),
                        Link::Staff => db::staff::get(tx, id).await?.is_some(),
                        Link::Student => db::students::get(tx, id).await?.is_some(),
                    };
                    if !exists {
                        i.problems.add(
                            field,
                            ErrorCode::UnknownReference,
                            format!("there is no such record for {field}"),
                        );
                    }
                }
                _ => {}
            }
        }
    }
    i.finish()?;
    let user = User {
        id: new_id(),
        email: email.unwrap_or_default(),
        name: name.unwrap_or_default(),
        role: role.map(|r| r.as_str().to_string()).unwrap_or_default(),
        school_id: school_id.flatten(),
        staff_id: staff_id.flatten(),
        student_id: student_id.flatten(),
        password_hash: None,
        created_at: now,
    };
    Ok((user, password.flatten()))
}

fn role_words() -> String {
    Role::ALL
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates a user in its own transaction, with its audit event.
pub async fn create_user(
    st: &AppState,
    actor: &db::audit::Actor,
    body: Map<String, Value>,
) -> AppResult<User> {
    let mut tx = st.db.read().await?;
    let (mut user, password) = parse_new_user(&mut tx, body, st.clock.now()).await?;
    drop(tx);
    if let Some(pw) = password {
        user.password_hash = Some(crate::password::hash(pw).await?);
    }
    let mut tx = st.db.write().await?;
    db::users::insert(&mut tx, &user).await?;
    db::audit::record(
        &mut tx,
        actor,
        "create",
        "user",
        &user.id,
        None::<&()>,
        Some(&user),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

#[utoipa::path(post, path = "/api/v1/users", tag = "directory", security(("bearer" = [])), request_body = UserInput,
    responses((status = 201, body = User), (status = 403, body = crate::http::error::Problem), (status = 422, body = crate::http::error::Problem)))]
pub async fn create(
    State(st): State<AppState>,
    p: Principal,
    body: JsonBody,
) -> AppResult<(StatusCode, Json<User>)> {
    p.authorize(Resource::User, Action::Write)?;
    let body = body.read(&st).await?;
    let user = create_user(&st, &p.actor(st.clock.now()), body).await?;
    Ok(created(user))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "directory", security(("bearer" = [])),
    params(("q" = Option<String>, Query), ("role" = Option<String>, Query), ("limit" = Option<i64>, Query), ("cursor" = Option<String>, Query)),
    responses((status = 200, body = List<User>), (status = 403, body = crate::http::error::Problem)))]
pub async fn list(
    State(st): State<AppState>,
    p: Principal,
    params: Params,
) -> AppResult<Json<List<User>>> {
    p.authorize(Resource::User, Action::Read)?;
    let page = params.page()?;
    let role = params.word("role", |s| Role::parse(s).is_some(), &role_words())?;
    let mut tx = st.db.read().await?;
    Ok(Json(
        db::users::list(&mut tx, &params.get("q"), &role, &page)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = User), (status = 404, body = crate::http::error::Problem)))]
pub async fn get(
    State(st): State<AppState>,
    p: Principal,
    PathId(id): PathId,
) -> AppResult<Json<User>> {
    p.authorize(Resource::User, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::users::get(&mut tx, &id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}
