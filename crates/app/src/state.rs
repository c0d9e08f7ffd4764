use crate::{clock::Clock, config::Config, db::Db, password::HashGate};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Everything a handler needs, passed explicitly (no globals): its [`AppStateFields`] behind
/// one `Arc`. axum clones the state for every extractor and layer of every request; a clone of
/// the fields themselves was about fifteen atomic counts on cache lines both cores write,
/// 6.5% of the server's time under a list's load (perf, issue 18 point 4).
#[derive(Clone)]
pub struct AppState(Arc<AppStateFields>);

impl std::ops::Deref for AppState {
    type Target = AppStateFields;

    fn deref(&self) -> &AppStateFields {
        &self.0
    }
}

/// What [`AppState`] holds.
pub struct AppStateFields {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// Bounds the argon2 hashes running at once (`Config::hash_concurrency`).
    pub hashing: HashGate,
    /// One permit per request being handled (`Config::max_in_flight`).
    pub in_flight: Arc<Semaphore>,
    /// Placement views derived lately, for the lists with derived filters
    /// (`service::placements::list_views`).
    pub placement_views: Arc<RecentViews>,
    /// Placements' answers kept by id under their answer tag, for the lists without
    /// (`service::placements::list_answers`).
    pub placement_answers: Arc<crate::db::row_answers::RowAnswers>,
    /// Requests' live eligibility derived lately (`service::requests::with_eligibility_all`).
    pub request_eligibility: Arc<RecentEligibility>,
    /// Lists' answers kept for their askers (`http::api::kept`).
    pub kept_answers: Arc<KeptAnswers>,
    /// Students' answers kept by id and row tag (`db::row_answers::RowAnswers`).
    pub student_answers: Arc<crate::db::row_answers::RowAnswers>,
    /// Documents' answers kept by id and row tag, for the review queue.
    pub document_answers: Arc<crate::db::row_answers::RowAnswers>,
    /// Decided placement requests' answers kept by id and row tag.
    pub request_answers: Arc<crate::db::row_answers::RowAnswers>,
    /// Open placement requests' answers derived lately (`http::api::requests::list`).
    pub open_request_answers: Arc<RecentOpenRequests>,
    /// Lists read page after page, kept whole as ids and row tags (`db::listings`).
    pub listings: crate::db::listings::Listings,
    /// The placements list's listings, apart: kept under [`Db::placement_generation`], which
    /// a write that changes no placement's facts leaves (one `Listings` holds one
    /// generation's).
    pub placement_listings: crate::db::listings::Listings,
    /// Students', departments' and preceptors' facts kept per record for the placements
    /// lists (`db::facts_kept::FactsKept`).
    pub facts_kept: Arc<crate::db::facts_kept::FactsKept>,
}

impl AppState {
    /// The state for `config`: the gates are sized from it.
    pub fn new(db: Db, config: Config, clock: Clock) -> Self {
        // What the placements lists keep costs the most to derive again: past its guard it
        // answers while the watch vouches for it (`db::recent::Freshness`).
        let placements_fresh = crate::db::recent::Freshness::or_while_confirmed(
            VIEWS_FRESH_FOR,
            db.watch_confirmed().clone(),
        );
        let placement_listings =
            crate::db::listings::Listings::confirmed_by(db.watch_confirmed().clone());
        AppState(Arc::new(AppStateFields {
            db,
            hashing: HashGate::new(config.hash_concurrency, config.hash_wait),
            in_flight: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
            placement_views: Arc::new(RecentViews::new(placements_fresh.clone(), VIEWS_KEPT)),
            placement_answers: Arc::new(crate::db::row_answers::RowAnswers::fresh_for(
                PLACEMENT_ANSWERS_KEPT,
                placements_fresh.clone(),
            )),
            request_eligibility: Arc::new(RecentEligibility::new(
                ELIGIBILITY_FRESH_FOR,
                ELIGIBILITY_KEPT,
            )),
            kept_answers: Arc::new(KeptAnswers::new(ANSWERS_FRESH_FOR, ANSWERS_KEPT)),
            student_answers: Arc::new(crate::db::row_answers::RowAnswers::new(ROW_ANSWERS_KEPT)),
            document_answers: Arc::new(crate::db::row_answers::RowAnswers::new(ROW_ANSWERS_KEPT)),
            request_answers: Arc::new(crate::db::row_answers::RowAnswers::new(ROW_ANSWERS_KEPT)),
            open_request_answers: Arc::new(RecentOpenRequests::new(
                ELIGIBILITY_FRESH_FOR,
                ELIGIBILITY_KEPT,
            )),
            listings: crate::db::listings::Listings::new(),
            placement_listings,
            facts_kept: Arc::new(crate::db::facts_kept::FactsKept::new(placements_fresh)),
            config: Arc::new(config),
            clock,
        }))
    }

    /// The facts kept per student, department and preceptor as of now
    /// (`db::facts_kept::KeptFacts`, under [`Db::placement_generation`]): call it *before*
    /// opening the transaction that reads through it, so what a write changes meanwhile is
    /// kept under the older generation.
    pub fn kept_facts(&self) -> crate::db::facts_kept::KeptFacts<'_> {
        crate::db::facts_kept::KeptFacts::at(&self.facts_kept, self.db.placement_generation())
    }
}

/// Placement views derived lately, by placement id and day
/// ([`crate::db::recent::Recent`]): a placement's view is a function of what is stored and of
/// the day, so while no write has committed since it was derived it is still what deriving
/// it again would give. A page of confirmed placements derives from about 2,000 rows of facts
/// in 15 statements; kept, it is its own statement.
pub type RecentViews =
    crate::db::recent::Recent<(String, chrono::NaiveDate), crate::domain::records::Placement>;

/// How long a derived view (and whatever else the placements lists keep) may answer at most
/// unless the watch (`db::watch`) has lately asked the store and counted what it found
/// (`db::recent::Freshness`).
pub const VIEWS_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);
/// Most views kept at once: 100 pages of 50 (a few MiB).
pub const VIEWS_KEPT: usize = 5_000;
/// Most placements' answers kept at once (`AppState::placement_answers`): a consortium term's
/// 40,000 placements with room to spare, so a list walked page after page derives each once
/// per write generation and day, not on every pass (issue 18 point 4: with 5,000 views kept,
/// a 40,000-placement walk derived every page). An answer is about 600 bytes of JSON, so at
/// most about 30 MiB.
pub const PLACEMENT_ANSWERS_KEPT: usize = 48_000;

/// Live eligibility derived lately, by request id ([`crate::db::recent::Recent`]): a request's
/// eligibility is a function of what is stored (it takes no day: `eligibility::check` compares
/// the request's own dates), so while no write has committed since it was derived it is still
/// what checking again would give.
pub type RecentEligibility = crate::db::recent::Recent<String, Vec<crate::domain::FieldError>>;

/// Open placement requests' JSON answers derived lately, by request id
/// ([`crate::db::recent::Recent`]): an open request's answer holds its live eligibility, so
/// unlike a decided one's it is kept only as the eligibility is, while no write has committed
/// since it was derived (same freshness and bound).
pub type RecentOpenRequests = crate::db::recent::Recent<String, axum::body::Bytes>;

/// How long a derived eligibility may answer at most, whatever the watch (`db::watch`) says.
pub const ELIGIBILITY_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);
/// Most eligibilities kept at once: 100 pages of 50.
pub const ELIGIBILITY_KEPT: usize = 5_000;

/// Whose answer, to what, on which office day: a list's answer is a function of what is
/// stored, of the asking user (their role and scope are stored too, so a change to them is a
/// write) and of the day, and of nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeptAnswerKey {
    pub user_id: String,
    /// The request's path and query string as sent (`/api/v1/students?limit=50`).
    pub path_and_query: String,
    pub day: chrono::NaiveDate,
}

/// Lists' JSON answers lately given, by [`KeptAnswerKey`] ([`crate::db::recent::Recent`]); each
/// is a cell the first asker fills and later askers of the same generation wait on.
pub type KeptAnswers =
    crate::db::recent::Recent<KeptAnswerKey, Arc<tokio::sync::OnceCell<axum::body::Bytes>>>;

/// How long a kept answer may answer at most, whatever the watch (`db::watch`) says.
pub const ANSWERS_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);
/// Most answers kept at once: a page of 50 is 20-60 KiB, so at most about 60 MiB.
pub const ANSWERS_KEPT: usize = 1_000;
/// Most records' answers kept at once per list (`db::row_answers::RowAnswers`): a student's
/// answer is about 450 bytes, so a consortium's 20,000 students and a term's newcomers fit in
/// about 20 MiB.
pub const ROW_ANSWERS_KEPT: usize = 30_000;
