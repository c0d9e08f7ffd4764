//! Demo data: a realistic hospital system to sign in to and click through.
use crate::state::AppState;

pub async fn seed_demo(_st: &AppState) -> anyhow::Result<()> {
    Ok(())
}

pub const DEMO_PASSWORD: &str = "practicum-demo";
pub const DEMO_USERS: &[(&str, &str)] = &[
    ("admin", "admin@demo.practicum.test"),
    ("coordinator", "coordinator@demo.practicum.test"),
    ("school_coordinator", "school@demo.practicum.test"),
    ("student", "student@demo.practicum.test"),
    ("preceptor", "preceptor@demo.practicum.test"),
    ("faculty", "faculty@demo.practicum.test"),
    ("department_manager", "manager@demo.practicum.test"),
];
