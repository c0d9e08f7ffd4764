//! Issue 18, point 4: what the placements lists keep (their answers, listing and facts) lasts
//! while nothing a placement's answer is derived from or listed by is written
//! (`Db::placement_generation`, migration 0039): a session, a mail sent, a new student or a
//! disclosure leaves it; a write to one of those records, this process's or another's (by
//! hand, through the store's own count), does not.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::json;
use std::time::Duration;

/// The tables no placement's answer reads (`service::facts`, `service::risks`,
/// `db::placements::list_ids`), so migration 0039 counts no write to them. `students` and
/// `users` are counted for some columns only, `enrollments` for a student on a placement.
/// A table added later is either given its triggers there or named here.
const LEFT_OUT: &[&str] = &[
    "_sqlx_migrations",
    "agreement_texts",
    "audit_events",
    "calendar_feeds",
    "certificates",
    "digest_items",
    "disclosures",
    "email_preferences",
    "evaluation_templates",
    "evaluation_versions",
    "evaluations",
    "idempotency_keys",
    "inquiries",
    "invitations",
    "letter_templates",
    "login_throttle",
    "mail_queue",
    "mfa_challenges",
    "notifications",
    "offboarding_tasks",
    "oidc_links",
    "oidc_pending",
    "placement_fact_writes",
    "placement_requests",
    "planning_runs",
    "project_items",
    "projects",
    "recovery_codes",
    "request_preferences",
    "request_students",
    "sessions",
    "shifts",
    "students_search_suffixes",
    "time_entries",
    "user_totp",
];

/// Rows of a one-column text query, on either store.
async fn texts(app: &TestApp, sql: &'static str) -> Vec<String> {
    match app.state.db.pool() {
        practicum::db::Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await,
        practicum::db::Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await,
    }
    .expect("the schema")
}

db_test!(
    every_table_a_placement_is_derived_from_counts_its_writes,
    |app| async move {
        let (tables, counted) = match app.state.db.pool() {
            practicum::db::Pool::Sqlite(_) => (
                // The full-text index's own tables are SQLite's, written with students.
                texts(
                    &app,
                    "SELECT name FROM sqlite_master WHERE type = 'table'
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'students_search%'",
                )
                .await,
                texts(
                    &app,
                    "SELECT DISTINCT tbl_name FROM sqlite_master
                     WHERE type = 'trigger' AND name LIKE 'placement_facts_%'",
                )
                .await,
            ),
            practicum::db::Pool::Postgres(_) => (
                texts(
                    &app,
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
                )
                .await,
                texts(
                    &app,
                    "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger
                     WHERE tgname = 'placement_facts'",
                )
                .await,
            ),
        };
        assert!(tables.len() > 40, "{tables:?}");
        for t in &tables {
            let left_out = LEFT_OUT.contains(&t.as_str());
            assert!(
                counted.contains(t) != left_out,
                "{t}: counted {}, named as left out {left_out}: a table is one or the other",
                counted.contains(t)
            );
        }
        for t in [
            "placements",
            "documents",
            "students",
            "enrollments",
            "users",
            "requirements",
        ] {
            assert!(counted.contains(&t.to_string()), "{t} is counted");
        }
    }
);

/// Waits until the write generation reaches `seen` (the writes just made counted, by the
/// watch too for another process's), then checks the placement generation is still `kept_at`.
async fn left_as_kept(app: &TestApp, seen: u64, kept_at: u64, why: &str) {
    let db = &app.state.db;
    poll(Duration::from_secs(10), || async {
        (db.write_generation() >= seen).then_some(())
    })
    .await;
    assert_eq!(db.placement_generation(), kept_at, "{why}");
}

db_test!(
    writes_that_change_no_placement_leave_what_the_placements_lists_kept,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let placement = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        let list = "/api/v1/placements?limit=50";
        assert_eq!(
            item_of(&app.get_ok(&w.office, list).await, &placement)["status"],
            "proposed"
        );
        let db = &app.state.db;
        let kept_at = db.placement_generation();

        // This process: a new student, a read of a student's record (a disclosure, written),
        // the mail the approval queued, sent.
        let before = db.write_generation();
        app.create(
            &w.office,
            "/api/v1/students",
            &json!({ "school_id": w.f.school["id"], "program_id": w.f.program["id"], "first_name": "Nia",
                     "last_name": "New", "email": unique("nia") }),
        )
        .await;
        app.get_ok(
            &w.school,
            &format!("/api/v1/students/{}", id(&w.students[1])),
        )
        .await;
        assert!(db.write_generation() >= before + 2, "both writes counted");
        // Until the watch has seen them too (it counts this process's commits again).
        let seen = db.write_generation() + 1;
        left_as_kept(&app, seen, kept_at, "none was a placement's fact").await;

        // Another process, by hand, on a table no placement reads.
        let seen = db.write_generation() + 1;
        // A change of value: SQLite's data_version may not move for a write that leaves
        // every page as it was.
        let n = another_process(
            &app,
            "UPDATE sessions SET user_agent = $1",
            &[&format!("by hand {}", uuid::Uuid::now_v7())],
        )
        .await;
        assert!(n > 0, "sessions signed in");
        left_as_kept(&app, seen, kept_at, "a session is no placement's fact").await;

        // This process, on a placement's department: counted at its commit.
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/departments/{}", id(&w.f.department)),
                &json!({ "capacity": 5 }),
            )
            .await,
            200,
        )
        .await;
        let after_department = db.placement_generation();
        assert!(
            after_department > kept_at,
            "a department is a placement's fact"
        );
        // Read again, and kept.
        assert_eq!(
            item_of(&app.get_ok(&w.office, list).await, &placement)["status"],
            "proposed"
        );

        // The server's watch asks the store four times a second; while it does, it vouches
        // for what is kept past its 30-second guard (`db::recent::Freshness`), and it counts
        // the write below before it vouches again.
        poll(Duration::from_secs(10), || async {
            db.watch_confirmed().lately().then_some(())
        })
        .await;
        // Another process, by hand, on the placement itself: seen within the watch's poll,
        // and the list shows it.
        assert_eq!(
            another_process(
                &app,
                "UPDATE placements SET status = 'cancelled', cancel_reason = 'by hand' WHERE id = $1",
                &[&id(&placement)],
            )
            .await,
            1
        );
        let cancelled = poll(Duration::from_secs(10), || async {
            let now = item_of(&app.get_ok(&w.office, list).await, &placement);
            (now["status"] == "cancelled").then_some(now)
        })
        .await;
        assert_eq!(cancelled["cancel_reason"], "by hand", "{cancelled}");
        assert!(
            db.placement_generation() > after_department,
            "counted by the watch"
        );
    }
);
