//! What the API answers: one response type per record, built from the store's and the
//! services' records with `From`, so the layers below know nothing of JSON schemas. The
//! fields, their order and their null-or-absent rules are the API's contract (API.md).
mod choices;
mod directory;
mod evaluations;
mod office;
mod onboarding;
mod placements;
mod planning;
mod projects;
mod schedules;
mod settings;
mod time_entries;

pub use choices::*;
pub use directory::*;
pub use evaluations::*;
pub use office::*;
pub use onboarding::*;
pub use placements::*;
pub use planning::*;
pub use projects::*;
pub use schedules::*;
pub use settings::*;
pub use time_entries::*;
