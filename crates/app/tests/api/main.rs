//! The one integration-test binary: every test spawns the real server with a fresh database
//! and drives it over HTTP, once on SQLite and once on PostgreSQL (with TEST_POSTGRES_URL).
// Shared scaffolding: each test uses part of it.
#[allow(dead_code)]
mod helpers;

mod agreements;
mod audit;
mod audit_chain;
mod auth;
mod cli;
mod crawl;
mod csv;
mod dashboard;
mod decision_choices;
mod departments;
mod directory;
mod disciplines;
mod disclosures;
mod evaluations;
mod idempotency;
mod import_runs;
mod imports;
mod imports_cli;
mod inquiries;
mod lapse_reminders;
mod letters;
mod list_answers;
mod list_sorting;
mod mfa;
mod notices;
mod notifications;
mod offboarding;
mod oidc;
// The test provider: each test uses part of it.
#[allow(dead_code)]
mod oidc_provider;
mod onboarding;
mod operations;
mod page_words;
mod pagination;
mod passwords;
mod placement_facts;
mod placement_flow;
mod placements;
mod planning;
mod programs;
mod projects;
mod reports;
mod reports_figures;
mod requests;
mod robustness;
mod rule_pages;
mod rules_audit;
mod rules_decision;
mod rules_documents;
mod rules_eligibility;
mod rules_lifecycle;
mod rules_lifetime;
mod rules_minimum_necessary;
mod rules_pages;
mod rules_planning;
mod rules_races;
mod rules_transfer;
// Scaffolding the rules_* modules share: each uses part of it.
#[allow(dead_code)]
mod rules_world;
mod schools;
mod search;
mod seed;
mod sessions;
mod settings;
mod shifts;
mod sign_in;
mod sign_in_steps;
mod signing;
mod sites;
mod smoke;
mod staff;
mod students;
mod time_entries;
mod users;
