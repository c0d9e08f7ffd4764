//! Work done after the request that causes it: enqueued as rows in that request's
//! transaction, done by background workers started in `startup::build`.
pub mod digest;
pub mod mail;
pub mod notices;
pub mod onboarding;
pub mod planning;
pub mod reminders;
