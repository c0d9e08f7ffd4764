//! The one integration-test binary: every test spawns the real server with a fresh database
//! and drives it over HTTP, once on SQLite and once on PostgreSQL (with TEST_POSTGRES_URL).
mod helpers;

mod smoke;
mod seed;
