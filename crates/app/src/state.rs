use crate::{clock::Clock, config::Config, db::Db};
use std::sync::Arc;

/// Everything a handler needs, passed explicitly (no globals).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
}
