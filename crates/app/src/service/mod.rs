//! The use cases, one module per area. Each takes the caller (`Principal`) and a typed input,
//! and returns domain records: it authorizes, opens the transaction, calls the rules in
//! `domain/`, writes through `db/`, records the audit event and enqueues jobs, then commits.
//! The JSON API (`http/api/`) and the pages (`http/pages/`) both parse into the same input
//! (`http/input/`) and call the same function, so they cannot drift apart.
use crate::domain::Problems;

pub mod agreements;
pub mod audit;
pub mod calendar;
pub mod certificates;
pub mod dashboard;
pub mod departments;
pub mod disclosures;
pub mod email_preferences;
pub mod enrollments;
pub mod evaluation_pdf;
pub mod evaluation_templates;
pub mod evaluations;
pub mod export;
pub mod facts;
pub mod idempotency;
pub mod imports;
pub mod inquiries;
pub mod invitations;
mod letter_values;
pub mod letters;
pub mod mfa;
pub mod notifications;
pub mod offboarding;
pub mod on_site;
pub mod onboarding;
pub mod passwords;
mod patch;
pub mod placement_filters;
pub mod placements;
pub mod planning;
pub mod principal;
pub mod programs;
pub mod projects;
pub mod reports;
pub mod requests;
pub mod risks;
pub mod schedules;
pub mod schools;
pub mod settings;
pub mod sign_in;
pub mod sites;
pub mod sso;
pub mod staff;
pub mod students;
pub mod throttle;
pub mod time_entries;
pub mod users;

pub use principal::{Principal, ensure};

/// A typed input as the edge read it: the fields it could read (`T`, every field a domain
/// type, `None` where it was absent or could not be read) and every problem it found on the
/// way. A use case adds the problems only it can see (a reference to a record that does not
/// exist, a rule over several fields) and answers all of them at once (API.md "Errors").
#[derive(Clone, Debug, Default)]
pub struct Parsed<T> {
    pub fields: T,
    pub problems: Problems,
    /// An edit page's first post (issue 12 point 1): a change that would put open placements
    /// at risk is not kept, and the use case answers them as [`AppError::Unconfirmed`] so the
    /// page shows them before the change is confirmed. The API never sets it: its writes
    /// succeed and list `affected_placements` in the answer.
    pub preview_risks: bool,
}

impl<T> Parsed<T> {
    pub fn new(fields: T, problems: Problems) -> Self {
        Parsed {
            fields,
            problems,
            preview_risks: false,
        }
    }

    /// The same input, kept only once confirmed when it puts placements at risk.
    pub fn previewing_risks(mut self, preview: bool) -> Self {
        self.preview_risks = preview;
        self
    }
}
