//! The edge's readers: a JSON body or a page's form (both as a lenient map of raw values) becomes
//! the typed input of a use case in `service/`, with every field problem collected at once
//! (ARCHITECTURE.md house rule 1). The API and the pages call the same reader.
pub mod agreements;
mod choice;
pub mod departments;
pub mod email_preferences;
pub mod evaluation_form;
pub mod evaluations;
pub mod imports;
pub mod inquiries;
pub mod invitations;
pub mod letters;
pub mod mfa;
pub mod onboarding;
pub mod placements;
pub mod planning;
pub mod programs;
pub mod projects;
pub mod reports;
pub mod requests;
pub mod schools;
pub mod settings;
pub mod shifts;
pub mod sites;
pub mod staff;
pub mod students;
pub mod time_entries;
pub mod users;
