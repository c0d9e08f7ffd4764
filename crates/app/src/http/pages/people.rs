//! Students, hospital staff (preceptors and mentors), and users.
use crate::state::AppState;
use axum::{
    Router,
    routing::{get, post},
};

mod disclosures;
mod enrollments;
mod invitations;
mod staff;
mod students;
mod users;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/students", get(students::list).post(students::create))
        .route("/students/new", get(students::new))
        .route(
            "/students/receive",
            get(enrollments::receive_page).post(enrollments::receive),
        )
        .route("/students/{id}/disclosures", get(disclosures::page))
        .route("/students/{id}/export", get(disclosures::archive))
        .route(
            "/students/{id}/transfer",
            get(enrollments::transfer_page).post(enrollments::transfer),
        )
        .route(
            "/students/{id}/enrollments",
            get(enrollments::enrollment_page).post(enrollments::enroll),
        )
        .route("/students/{id}", get(students::show).post(students::update))
        .route("/students/{id}/edit", get(students::edit))
        .route("/staff", get(staff::list).post(staff::create))
        .route("/staff/new", get(staff::new))
        .route("/staff/{id}", get(staff::show).post(staff::update))
        .route("/staff/{id}/edit", get(staff::edit))
        .route("/users", get(users::list).post(users::create))
        .route("/users/new", get(users::new))
        .route("/users/{id}", get(users::show))
        .route("/users/{id}/disable", post(users::disable))
        .route("/users/{id}/enable", post(users::enable))
        .route("/students/{id}/invite", post(invitations::invite_student))
        .route("/staff/{id}/invite", post(invitations::invite_staff))
        .route("/users/{id}/invite", post(invitations::invite_user))
        .route(
            "/invitations",
            get(invitations::bulk_page).post(invitations::bulk),
        )
}
