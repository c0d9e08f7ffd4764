//! A write that fails after its audit row was inserted leaves neither the change nor the row:
//! a failure is injected into the database (a trigger refusing the insert the write makes after
//! its audit rows), and everything the write did before it must roll back with it.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use practicum::db::Pool;
use serde_json::json;

/// Makes every insert into `table` fail until `heal` is called.
pub async fn break_inserts(app: &TestApp, table: &str) {
    let statements: Vec<String> = match app.state.db.pool() {
        Pool::Sqlite(_) => vec![format!(
            "CREATE TRIGGER injected_failure BEFORE INSERT ON {table} \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Pool::Postgres(_) => vec![
            "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql"
                .to_string(),
            format!(
                "CREATE TRIGGER injected_failure BEFORE INSERT ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION injected_failure()"
            ),
        ],
    };
    run_sql(app, &statements).await;
}

async fn heal(app: &TestApp, table: &str) {
    let statement = match app.state.db.pool() {
        Pool::Sqlite(_) => "DROP TRIGGER injected_failure".to_string(),
        Pool::Postgres(_) => format!("DROP TRIGGER injected_failure ON {table}"),
    };
    run_sql(app, &[statement]).await;
}

async fn run_sql(app: &TestApp, statements: &[String]) {
    let mut tx = app.state.db.write().await.expect("a transaction");
    for s in statements {
        practicum::on_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(s.as_str())).execute(c).await.map(|_| ()))
            .expect("the statement runs");
    }
    tx.commit().await.expect("committed");
}

db_test!(
    a_decision_failing_after_its_audit_rows_leaves_no_placement_and_no_row,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        // An internship: the decision creates the placements and their audit rows, then the
        // faculty supervisor's sign-in and the invitation e-mail, which fails.
        let r = submit(&app, &w, &internship(&w, &[&w.students[0], &w.students[1]])).await;
        let decision = json!({ "decision": "approve", "placements": [
            { "student_id": w.students[0]["id"], "department_id": w.f.department["id"] },
            { "student_id": w.students[1]["id"], "department_id": w.f.department["id"] }] });
        let trail = audit_trail(&app, &admin).await;
        break_inserts(&app, "mail_queue").await;
        expect_problem(
            decide(&app, &w.office, &r, &decision).await,
            500,
            &["internal_error"],
        )
        .await;
        assert_eq!(
            audit_trail(&app, &admin).await,
            trail,
            "no audit row survives"
        );
        assert!(
            placements(&app, &w).await.is_empty(),
            "no placement survives"
        );
        assert_eq!(request_status(&app, &w, &r).await, "submitted");
        heal(&app, "mail_queue").await;
        // The same decision goes through once the database takes the e-mail.
        let made = approve(&app, &w, &r, &decision).await;
        let new: Vec<String> = audit_trail(&app, &admin).await[trail.len()..]
            .iter()
            .map(|e| e["action"].as_str().expect("an action").to_string())
            .collect();
        assert_eq!(made.len(), 2);
        assert_eq!(
            new,
            ["invite", "create", "create", "decision:approve"],
            "the faculty invitation, each placement, the decision"
        );
    }
);

db_test!(
    an_upload_failing_after_its_audit_row_leaves_no_document_and_no_row,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        placed(&app, &w, &[&w.students[0]]).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let ana_id = sid(&w.students[0]);
        let docs = format!("/api/v1/students/{ana_id}/documents");
        let trail = audit_trail(&app, &admin).await;
        // The upload is recorded, then the office is notified, which fails.
        break_inserts(&app, "notifications").await;
        let res = upload(
            &app,
            &ana,
            &ana_id,
            &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
        )
        .await;
        expect_problem(res, 500, &["internal_error"]).await;
        assert_eq!(
            audit_trail(&app, &admin).await,
            trail,
            "no audit row survives"
        );
        assert!(
            items(&app.get_ok(&w.office, &docs).await).is_empty(),
            "no document"
        );
        assert!(
            items(&app.get_ok(&w.office, "/api/v1/documents").await).is_empty(),
            "nothing to review"
        );
        heal(&app, "notifications").await;
        let doc = expect_status(
            upload(
                &app,
                &ana,
                &ana_id,
                &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            )
            .await,
            201,
        )
        .await;
        assert_eq!(ids(&app.get_ok(&w.office, &docs).await), [sid(&doc)]);
        let last = audit_trail(&app, &admin)
            .await
            .last()
            .cloned()
            .expect("the upload");
        assert_eq!(last["action"], "upload");
        assert_eq!(last["record_id"], doc["id"]);
    }
);
