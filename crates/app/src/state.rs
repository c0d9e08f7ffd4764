use crate::{clock::Clock, config::Config, db::Db, password::HashGate};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Everything a handler needs, passed explicitly (no globals).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    /// Bounds the argon2 hashes running at once (`Config::hash_concurrency`).
    pub hashing: HashGate,
    /// One permit per request being handled (`Config::max_in_flight`).
    pub in_flight: Arc<Semaphore>,
    /// Placement views derived lately (`service::placements::list_views`).
    pub placement_views: Arc<crate::service::placements::RecentViews>,
    /// Requests' live eligibility derived lately (`service::requests::with_eligibility_all`).
    pub request_eligibility: Arc<crate::service::requests::RecentEligibility>,
}

impl AppState {
    /// The state for `config`: the gates are sized from it.
    pub fn new(db: Db, config: Config, clock: Clock) -> Self {
        AppState {
            db,
            hashing: HashGate::new(config.hash_concurrency, config.hash_wait),
            in_flight: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
            placement_views: Arc::new(crate::service::placements::RecentViews::new(
                crate::service::placements::VIEWS_FRESH_FOR,
                crate::service::placements::VIEWS_KEPT,
            )),
            request_eligibility: Arc::new(crate::service::requests::RecentEligibility::new(
                crate::service::requests::ELIGIBILITY_FRESH_FOR,
                crate::service::requests::ELIGIBILITY_KEPT,
            )),
            config: Arc::new(config),
            clock,
        }
    }
}
