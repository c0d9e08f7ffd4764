//! The JSON API, v1. One file per resource; each handler is registered here and in the
//! OpenAPI document by the same `routes!` line.
use crate::db::Paged;
use crate::state::AppState;
use axum::{Json, http::StatusCode};
use serde::Serialize;
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub mod agreements;
pub mod audit;
pub mod certificates;
pub mod departments;
pub mod disciplines;
pub mod disclosures;
pub mod email_preferences;
pub mod evaluations;
pub mod imports;
pub mod inquiries;
pub mod invitations;
pub mod kept;
pub mod letters;
pub mod mfa;
pub mod notifications;
pub mod offboarding;
pub mod onboarding;
pub mod passwords;
pub mod placements;
pub mod planning;
pub mod problems;
pub mod programs;
pub mod projects;
pub mod reports;
pub mod requests;
pub mod schema;
pub mod schools;
pub mod session;
pub mod settings;
pub mod shifts;
pub mod sites;
pub mod staff;
pub mod students;
pub mod time_entries;
pub mod users;

/// Every list answers `{ items, next_cursor }`.
#[derive(Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    /// Pass as `?cursor=` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// A page of records, each answered as its response type.
impl<R, T: From<R>> From<Paged<R>> for List<T> {
    fn from(p: Paged<R>) -> Self {
        List {
            items: p.items.into_iter().map(T::from).collect(),
            next_cursor: p.next_cursor,
        }
    }
}

impl<R, T: From<R>> From<Vec<R>> for List<T> {
    fn from(items: Vec<R>) -> Self {
        List {
            items: items.into_iter().map(T::from).collect(),
            next_cursor: None,
        }
    }
}

/// 201 with the record answered as its response type.
pub fn created<R, T: From<R> + Serialize>(r: R) -> (StatusCode, Json<T>) {
    (StatusCode::CREATED, Json(T::from(r)))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Practicum API", version = "1", description = "Clinical rotations and internships for a hospital's education office. See API.md for the contract."),
    modifiers(&BearerAuth),
    components(schemas(crate::http::error::Problem, crate::http::sign_in::MfaRequiredProblem, letters::LetterRecord))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::me))
        .routes(routes!(session::my_sessions))
        .routes(routes!(session::end_session))
        .routes(routes!(session::end_other_sessions))
        .routes(routes!(session::end_all_sessions))
        .routes(routes!(
            onboarding::agreement_text,
            onboarding::write_agreement_text
        ))
        .routes(routes!(passwords::request_reset))
        .routes(routes!(passwords::reset))
        .routes(routes!(passwords::change))
        .routes(routes!(invitations::invite_student))
        .routes(routes!(invitations::invite_staff))
        .routes(routes!(invitations::invite_user))
        .routes(routes!(invitations::invite_many))
        .routes(routes!(mfa::login_mfa))
        .routes(routes!(mfa::status))
        .routes(routes!(mfa::start))
        .routes(routes!(mfa::confirm))
        .routes(routes!(mfa::disable))
        .routes(routes!(disciplines::list))
        .routes(routes!(disciplines::placement_options))
        .routes(routes!(sites::list, sites::create))
        .routes(routes!(sites::get, sites::update))
        .routes(routes!(departments::list, departments::create))
        .routes(routes!(departments::get, departments::update))
        .routes(routes!(schools::list, schools::create))
        .routes(routes!(schools::get, schools::update))
        .routes(routes!(agreements::list_for_school, agreements::create))
        .routes(routes!(agreements::list))
        .routes(routes!(agreements::get, agreements::update))
        .routes(routes!(
            agreements::upload_document,
            agreements::download_document
        ))
        .routes(routes!(programs::list_for_school, programs::create))
        .routes(routes!(programs::list))
        .routes(routes!(programs::get, programs::update))
        .routes(routes!(students::list, students::create))
        .routes(routes!(students::get, students::update))
        .routes(routes!(students::transfer))
        .routes(routes!(students::enroll))
        .routes(routes!(students::update_enrollment))
        .routes(routes!(disclosures::list))
        .routes(routes!(disclosures::archive))
        .routes(routes!(staff::list, staff::create))
        .routes(routes!(staff::get, staff::update))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::update))
        .routes(routes!(audit::list))
        .routes(routes!(imports::import))
        .routes(routes!(imports::template))
        .routes(routes!(requests::list, requests::create))
        .routes(routes!(requests::get, requests::update))
        .routes(routes!(requests::withdraw))
        .routes(routes!(requests::decision))
        .routes(routes!(requests::choices))
        .routes(routes!(placements::list))
        .routes(routes!(placements::get, placements::update))
        .routes(routes!(placements::transition))
        .routes(routes!(certificates::of_placement))
        .routes(routes!(certificates::look_up))
        .routes(routes!(letters::list_templates))
        .routes(routes!(letters::get_template, letters::put_template))
        .routes(routes!(letters::placement_letter))
        .routes(routes!(letters::renewal_notice))
        .routes(routes!(shifts::list, shifts::create))
        .routes(routes!(shifts::update))
        .routes(routes!(shifts::on_site_day))
        .routes(routes!(shifts::new_calendar_feed))
        .routes(routes!(time_entries::list, time_entries::create))
        .routes(routes!(time_entries::update, time_entries::delete))
        .routes(routes!(time_entries::csv))
        .routes(routes!(time_entries::hours))
        .routes(routes!(time_entries::approve))
        .routes(routes!(time_entries::list_all))
        .routes(routes!(projects::get))
        .routes(routes!(projects::add_item))
        .routes(routes!(projects::change_item, projects::remove_item))
        .routes(routes!(projects::agree))
        .routes(routes!(
            projects::upload_deliverable,
            projects::download_deliverable
        ))
        .routes(routes!(projects::review_deliverable))
        .routes(routes!(offboarding::list))
        .routes(routes!(offboarding::list_csv))
        .routes(routes!(offboarding::done))
        .routes(routes!(
            evaluations::list_templates,
            evaluations::create_template
        ))
        .routes(routes!(
            evaluations::get_template,
            evaluations::update_template
        ))
        .routes(routes!(evaluations::mine))
        .routes(routes!(evaluations::of_placement, evaluations::start))
        .routes(routes!(evaluations::get, evaluations::update))
        .routes(routes!(evaluations::sign))
        .routes(routes!(evaluations::acknowledge))
        .routes(routes!(evaluations::correct))
        .routes(routes!(evaluations::pdf))
        .routes(routes!(evaluations::site_report))
        .routes(routes!(invitations::accept))
        .routes(routes!(inquiries::list, inquiries::create))
        .routes(routes!(inquiries::update))
        .routes(routes!(reports::get_summary))
        .routes(routes!(reports::get_summary_csv))
        .routes(routes!(reports::get_report))
        .routes(routes!(reports::get_report_csv))
        .routes(routes!(reports::get_report_xlsx))
        .routes(routes!(
            onboarding::list_requirements,
            onboarding::create_requirement_api
        ))
        .routes(routes!(onboarding::update_requirement_api))
        .routes(routes!(onboarding::student_requirements))
        .routes(routes!(
            onboarding::create_document,
            onboarding::student_documents
        ))
        .routes(routes!(onboarding::review_queue))
        .routes(routes!(onboarding::review))
        .routes(routes!(onboarding::file))
        .routes(routes!(onboarding::attestations))
        .routes(routes!(onboarding::signatures))
        .routes(routes!(onboarding::provisioning))
        .routes(routes!(planning::list, planning::create))
        .routes(routes!(planning::get))
        .routes(routes!(planning::cancel))
        .routes(routes!(planning::accept))
        .routes(routes!(planning::problem))
        .routes(routes!(planning::solution))
        .routes(routes!(settings::get, settings::update))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .routes(routes!(notifications::read_all))
        .routes(routes!(email_preferences::get, email_preferences::put))
}
