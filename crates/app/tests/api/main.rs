//! The one integration-test binary: every test spawns the real server with a fresh database
//! and drives it over HTTP, once on SQLite and once on PostgreSQL (with TEST_POSTGRES_URL).
// Shared scaffolding: each test uses part of it.
#[allow(dead_code)]
mod helpers;

mod auth;
mod directory;
mod inquiries;
mod onboarding;
mod placement_flow;
mod placements;
mod reports;
mod requests;
mod seed;
mod smoke;
