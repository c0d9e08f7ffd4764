//! Issue 16 point 6 over HTTP: a placement that ends (completed or cancelled) opens the
//! offboarding of what was provisioned for it in the same transaction, due on its last day or
//! the cancellation day; the office ticks each task (name and time, audited), sees what is
//! overdue on its home, is reminded once, and downloads the list as CSV.
use crate::db_test_with;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

fn to(status: &str) -> Value {
    json!({ "to": status })
}

/// A clinical from today (Monday 4 January 2027) to `ends`, cleared (every requirement,
/// the office's provisioning ticks included) and, if `start`, active.
async fn cleared(app: &TestApp, w: &World, ends: &str, start: bool) -> Value {
    let mut body = clinical(w, &[&w.students[0]]);
    body["starts_on"] = json!("2027-01-04");
    body["ends_on"] = json!(ends);
    let r = submit(app, w, &body).await;
    let p = approve(app, w, &r, &approval(w, &[&w.students[0]])).await[0].clone();
    let ana = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    expect_status(transition(app, &w.school, &p, &to("confirmed")).await, 200).await;
    clear(app, w, &ana, &sid(&w.students[0]), &p).await;
    if start {
        let active = expect_status(transition(app, &w.office, &p, &to("active")).await, 200).await;
        assert_eq!(active["status"], "active");
    }
    p
}

async fn tasks(app: &TestApp, who: &Caller, query: &str) -> Vec<Value> {
    items(
        &app.get_ok(who, &format!("/api/v1/offboarding?{query}"))
            .await,
    )
}

fn kinds(list: &[Value]) -> Vec<String> {
    let mut k: Vec<String> = list
        .iter()
        .map(|t| t["kind"].as_str().unwrap().to_string())
        .collect();
    k.sort();
    k
}

/// Moves the fixed clock forward by whole days.
fn days_later(app: &TestApp, days: i64) {
    app.clock.advance(chrono::Duration::days(days));
}

/// Sessions that outlast the clock moving by weeks.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

db_test_with!(
    completing_a_placement_opens_its_offboarding,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = cleared(&app, &w, "2027-01-29", true).await;
        // Nothing to offboard while it runs.
        assert!(
            tasks(&app, &w.office, &format!("placement_id={}", sid(&p)))
                .await
                .is_empty()
        );
        days_later(&app, 25); // Friday 29 January, its last day
        expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &serde_json::json!({ "to": "completed", "reason": "completed on paper" }),
            )
            .await,
            200,
        )
        .await;
        let list = tasks(&app, &w.office, &format!("placement_id={}", sid(&p))).await;
        // What the catalog provisions per placement: badge, network and EHR account, parking.
        assert_eq!(
            kinds(&list),
            [
                "collect_badge",
                "disable_ehr_account",
                "disable_network_account",
                "revoke_parking"
            ]
        );
        for t in &list {
            assert_eq!(t["due_on"], "2027-01-29");
            assert_eq!(t["state"], "open");
            assert_eq!(t["ended_as"], "completed");
            assert_eq!(t["student_name"], full_name(&w.students[0]));
            assert_eq!(t["department_id"], w.f.department["id"]);
            assert_eq!(t["done_by"], Value::Null);
        }
        assert!(list.iter().any(|t| t["title"] == "Collect the badge"));
        // Each task was created in the audit trail with the transition.
        let admin = app.admin().await;
        for t in &list {
            assert_eq!(
                actions(&app, &admin, "offboarding_task", &sid(t)).await,
                ["create"]
            );
        }
        // Only the office sees and ticks them.
        let outsiders = [
            w.school.clone(),
            app.user("student", json!({ "student_id": w.students[0]["id"] }))
                .await,
            app.user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
                .await,
            app.user("faculty", json!({ "school_id": w.f.school["id"] }))
                .await,
            app.user(
                "department_manager",
                json!({ "staff_id": w.preceptor["id"] }),
            )
            .await,
        ];
        for who in &outsiders {
            expect_problem(
                app.get(who, "/api/v1/offboarding").await,
                403,
                &["forbidden"],
            )
            .await;
            expect_problem(
                app.post(
                    who,
                    &format!("/api/v1/offboarding/{}/done", sid(&list[0])),
                    &json!({}),
                )
                .await,
                403,
                &["forbidden"],
            )
            .await;
        }
        // A placement that never got anything provisioned has nothing to offboard.
        let bare = placed(&app, &w, &[&w.students[1]]).await[0].clone();
        expect_status(
            transition(
                &app,
                &w.office,
                &bare,
                &json!({ "to": "cancelled", "reason": "withdrew" }),
            )
            .await,
            200,
        )
        .await;
        assert!(
            tasks(&app, &w.office, &format!("placement_id={}", sid(&bare)))
                .await
                .is_empty()
        );
    }
);

db_test_with!(
    cancelling_a_placement_opens_its_offboarding_due_that_day,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = cleared(&app, &w, "2027-03-26", false).await;
        days_later(&app, 2); // Wednesday 6 January
        // A refused cancellation (no reason) opens nothing.
        expect_status(transition(&app, &w.school, &p, &to("cancelled")).await, 422).await;
        assert!(
            tasks(&app, &w.office, &format!("placement_id={}", sid(&p)))
                .await
                .is_empty()
        );
        expect_status(
            transition(
                &app,
                &w.school,
                &p,
                &json!({ "to": "cancelled", "reason": "the student withdrew" }),
            )
            .await,
            200,
        )
        .await;
        let list = tasks(&app, &w.office, &format!("placement_id={}", sid(&p))).await;
        assert_eq!(list.len(), 4, "{list:?}");
        for t in &list {
            assert_eq!(t["due_on"], "2027-01-06");
            assert_eq!(t["ended_as"], "cancelled");
            assert_eq!(t["state"], "open");
        }
        // Filters: by kind, by state, by due day; an unknown state is refused.
        assert_eq!(tasks(&app, &w.office, "kind=collect_badge").await.len(), 1);
        assert_eq!(tasks(&app, &w.office, "state=open").await.len(), 4);
        assert_eq!(tasks(&app, &w.office, "state=overdue").await.len(), 0);
        assert_eq!(tasks(&app, &w.office, "due_from=2027-01-07").await.len(), 0);
        assert_eq!(tasks(&app, &w.office, "due_to=2027-01-06").await.len(), 4);
        expect_problem(
            app.get(&w.office, "/api/v1/offboarding?state=lost").await,
            422,
            &["invalid_choice"],
        )
        .await;
        // Pages of two.
        assert_eq!(
            app.all_pages(&w.office, "/api/v1/offboarding", 2)
                .await
                .len(),
            4
        );
    }
);

db_test_with!(
    overdue_tasks_are_on_the_office_home_reminded_once_and_ticked_by_name,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = cleared(&app, &w, "2027-03-26", false).await;
        expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &json!({ "to": "cancelled", "reason": "closure" }),
            )
            .await,
            200,
        )
        .await;
        let cookie = page_login(&app, &w.office).await;
        let (status, home) = page(&app, &cookie, "/").await;
        assert_eq!(status, 200);
        assert!(home.contains("offboarding tasks overdue"), "{home}");
        // Not overdue on its due day; nothing reminded.
        let sent = practicum::jobs::reminders::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(sent.offboarding, 0);
        days_later(&app, 1);
        let overdue = tasks(&app, &w.office, "state=overdue").await;
        assert_eq!(overdue.len(), 4);
        let (_, home) = page(&app, &cookie, "/").await;
        assert!(
            home.contains("<span class=\"tile-value\">4</span> <span class=\"tile-label\">offboarding tasks overdue"),
            "{home}"
        );
        // Reminded once, in one notice for the placement.
        let sent = practicum::jobs::reminders::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(sent.offboarding, 4);
        let again = practicum::jobs::reminders::run_once(&app.state)
            .await
            .unwrap();
        assert_eq!(again.offboarding, 0);
        let notes = items(&app.get_ok(&w.office, "/api/v1/notifications").await);
        let ours: Vec<&Value> = notes
            .iter()
            .filter(|n| n["kind"] == "offboarding_overdue")
            .collect();
        assert_eq!(ours.len(), 1, "{notes:?}");
        assert!(
            ours[0]["message"]
                .as_str()
                .unwrap()
                .contains("Collect the badge")
        );
        // Ticked by a named person, with the time; twice is refused.
        let done = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/offboarding/{}/done", sid(&overdue[0])),
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(done["state"], "done");
        assert_eq!(done["done_by_name"], w.office.user["name"]);
        assert_eq!(done["done_by"], w.office.user["id"]);
        assert_eq!(done["done_at"], "2027-01-05T09:00:00Z");
        let twice = app
            .post(
                &w.office,
                &format!("/api/v1/offboarding/{}/done", sid(&overdue[0])),
                &json!({}),
            )
            .await;
        let problem = expect_problem(twice, 409, &["task_already_done"]).await;
        assert!(
            problem
                .to_string()
                .contains(w.office.user["name"].as_str().unwrap())
        );
        expect_problem(
            app.post(
                &w.office,
                &format!("/api/v1/offboarding/{}/done", uuid::Uuid::now_v7()),
                &json!({}),
            )
            .await,
            404,
            &["not_found"],
        )
        .await;
        let admin = app.admin().await;
        assert_eq!(
            actions(&app, &admin, "offboarding_task", &sid(&overdue[0])).await,
            ["create", "done"]
        );
        assert_eq!(tasks(&app, &w.office, "state=overdue").await.len(), 3);
        assert_eq!(tasks(&app, &w.office, "state=done").await.len(), 1);
        // The CSV of what is filtered.
        let csv = csv_text(
            app.get(&w.office, "/api/v1/offboarding.csv?state=overdue")
                .await,
        )
        .await;
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert!(
            lines[0].starts_with("task,kind,student,department,site,due_on,state"),
            "{csv}"
        );
        assert!(lines[1..].iter().all(|l| l.contains(",overdue,")), "{csv}");
        let all = csv_text(app.get(&w.office, "/api/v1/offboarding.csv").await).await;
        assert!(
            all.contains(&format!(
                ",done,cancelled,2027-01-05T09:00:00+00:00,{}",
                w.office.user["name"].as_str().unwrap()
            )),
            "{all}"
        );
    }
);

db_test_with!(
    the_new_endpoints_are_in_the_openapi_document,
    long_sessions,
    |app| async move {
        let doc: Value = app
            .client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let paths = doc["paths"].as_object().expect("paths");
        for (path, methods) in [
            ("/api/v1/placements/{id}/project", &["get"][..]),
            ("/api/v1/placements/{id}/project/items", &["post"]),
            (
                "/api/v1/placements/{id}/project/items/{item_id}",
                &["patch", "delete"],
            ),
            ("/api/v1/placements/{id}/project/agree", &["post"]),
            (
                "/api/v1/placements/{id}/project/deliverable",
                &["get", "post"],
            ),
            (
                "/api/v1/placements/{id}/project/deliverable/review",
                &["post"],
            ),
            ("/api/v1/offboarding", &["get"]),
            ("/api/v1/offboarding.csv", &["get"]),
            ("/api/v1/offboarding/{id}/done", &["post"]),
        ] {
            for m in methods {
                assert!(paths[path][*m].is_object(), "{m} {path}");
            }
        }
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for s in [
            "Project",
            "ProjectItem",
            "OffboardingTask",
            "NewItemInput",
            "ItemChangeInput",
            "DeliverableReviewInput",
        ] {
            assert!(schemas.contains_key(s), "{s}");
        }
    }
);
