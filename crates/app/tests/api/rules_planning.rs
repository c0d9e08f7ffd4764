//! Planning runs against a changing world: a run stopped while it is running, requests changed
//! or withdrawn under a finished run, and accepting after a seat was taken by hand.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};
use std::time::Duration;

fn accepted(outcome: &Value) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let list = |k: &str| outcome[k].as_array().expect(k).clone();
    (list("approved"), list("waitlisted"), list("failed"))
}

db_test!(
    a_run_stopped_while_running_keeps_its_best_answer,
    |app| async move {
        // The demo's term is too large for the exhaustive search, so the run works until its
        // time limit (a minute) unless it is stopped.
        practicum::seed::seed_demo(&app.state)
            .await
            .expect("the demo loads");
        let office = app
            .login(
                "coordinator@demo.practicum.test",
                practicum::seed::DEMO_PASSWORD,
            )
            .await;
        let started_at = std::time::Instant::now();
        let started = expect_status(
            app.post(
                &office,
                "/api/v1/planning-runs",
                &json!({ "starts_on": "2027-01-11", "ends_on": "2027-07-30", "time_limit_seconds": 60, "seed": 3 }),
            )
            .await,
            202,
        )
        .await;
        assert_eq!(started["status"], "running");
        let path = format!("/api/v1/planning-runs/{}", sid(&started));
        // Not accepted before it has an answer; nothing is decided.
        expect_problem(
            app.post(&office, &format!("{path}/accept"), &json!({}))
                .await,
            409,
            &["run_not_finished"],
        )
        .await;
        let approved_before = app
            .all_pages(&office, "/api/v1/placement-requests?status=approved", 500)
            .await
            .len();
        // Only the office stops it.
        let school = app
            .create(
                &office,
                "/api/v1/schools",
                &json!({ "name": "East College", "city": "Lynn", "state": "MA" }),
            )
            .await;
        let school_user = app
            .user("school_coordinator", json!({ "school_id": school["id"] }))
            .await;
        expect_problem(
            app.post(&school_user, &format!("{path}/cancel"), &json!({}))
                .await,
            403,
            &["forbidden"],
        )
        .await;
        let stopping = expect_status(
            app.post(&office, &format!("{path}/cancel"), &json!({}))
                .await,
            202,
        )
        .await;
        assert_eq!(stopping["id"], started["id"]);
        assert_eq!(stopping["status"], "running", "it stops on its next check");
        let run = poll(Duration::from_secs(30), || async {
            let run = app.get_ok(&office, &path).await;
            (run["status"] != "running").then_some(run)
        })
        .await;
        assert!(
            started_at.elapsed() < Duration::from_secs(50),
            "stopped well before its time limit"
        );
        assert_eq!(run["status"], "cancelled", "{run}");
        assert!(run["finished_at"].is_string(), "{run}");
        let proposal = &run["proposal"];
        assert!(
            proposal["requests"].as_array().expect("requests").len() >= 10,
            "{run}"
        );
        assert!(proposal["students_placed"].as_i64().expect("placed") >= 0);
        // Stopping twice is a clash; the answer so far can be accepted.
        expect_problem(
            app.post(&office, &format!("{path}/cancel"), &json!({}))
                .await,
            409,
            &["invalid_transition"],
        )
        .await;
        let placed_in_plan = proposal["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .filter(|r| r["outcome"] == "placed")
            .count();
        let outcome = expect_status(
            app.post(&office, &format!("{path}/accept"), &json!({}))
                .await,
            200,
        )
        .await;
        let (approved, _, failed) = accepted(&outcome);
        assert_eq!(failed, Vec::<Value>::new(), "{outcome}");
        assert_eq!(approved.len(), placed_in_plan, "{outcome}");
        let approved_after = app
            .all_pages(&office, "/api/v1/placement-requests?status=approved", 500)
            .await
            .len();
        assert_eq!(approved_after, approved_before + placed_in_plan);
    }
);

db_test!(
    a_request_changed_under_a_run_is_not_accepted_from_it,
    |app| async move {
        let w = world(&app, 10, 10).await;
        let grown = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let renamed = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let withdrawn = submit(&app, &w, &clinical(&w, &[&w.students[2]])).await;
        let run = plan(&app, &w.office).await;
        for r in [&grown, &renamed, &withdrawn] {
            assert_eq!(planned(&run, r)["outcome"], "placed", "{run}");
        }
        // After the run: one more place asked for, another student named, one withdrawn.
        let more = expect_status(
            app.patch(
                &w.school,
                &format!("/api/v1/placement-requests/{}", sid(&grown)),
                &json!({ "slots": 1 }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(more["slots"], 1);
        let other = expect_status(
            app.patch(
                &w.school,
                &format!("/api/v1/placement-requests/{}", sid(&renamed)),
                &json!({ "student_ids": [w.students[3]["id"]] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(other["student_ids"], json!([w.students[3]["id"]]));
        let gone = expect_status(
            app.post(
                &w.school,
                &format!("/api/v1/placement-requests/{}/withdraw", sid(&withdrawn)),
                &json!({ "reason": "the student deferred" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(gone["status"], "withdrawn");
        let outcome = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/planning-runs/{}/accept", sid(&run)),
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        let (approved, waitlisted, failed) = accepted(&outcome);
        // The same number of places under another name is the same plan, for the student
        // named now.
        assert_eq!(approved, [renamed["id"].clone()], "{outcome}");
        assert!(waitlisted.is_empty(), "{outcome}");
        let mut failures: Vec<(String, String)> = failed
            .iter()
            .map(|f| {
                (
                    f["request_id"].as_str().expect("an id").to_string(),
                    f["code"].as_str().expect("a code").to_string(),
                )
            })
            .collect();
        failures.sort();
        let mut want = vec![
            (sid(&grown), "request_changed".to_string()),
            (sid(&withdrawn), "invalid_transition".to_string()),
        ];
        want.sort();
        assert_eq!(failures, want, "{outcome}");
        let all = placements(&app, &w).await;
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0]["request_id"], renamed["id"]);
        assert_eq!(all[0]["student_id"], w.students[3]["id"]);
        assert_eq!(request_status(&app, &w, &grown).await, "submitted");
        assert_eq!(request_status(&app, &w, &withdrawn).await, "withdrawn");
    }
);

db_test!(
    accepting_after_a_seat_was_taken_by_hand_fails_that_request_only,
    |app| async move {
        let w = world(&app, 1, 10).await;
        let first = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let mut april = clinical(&w, &[&w.students[1]]);
        april["starts_on"] = json!("2027-04-05");
        april["ends_on"] = json!("2027-05-14");
        let second = submit(&app, &w, &april).await;
        let run = plan(&app, &w.office).await;
        assert_eq!(planned(&run, &first)["outcome"], "placed", "{run}");
        assert_eq!(planned(&run, &second)["outcome"], "placed", "{run}");
        // The seat of February–March goes to a request made after the run.
        let late = submit(&app, &w, &clinical(&w, &[&w.students[2]])).await;
        let taken = approve(&app, &w, &late, &approval(&w, &[&w.students[2]])).await;
        let admin = app.admin().await;
        let trail = audit_trail(&app, &admin).await;
        let outcome = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/planning-runs/{}/accept", sid(&run)),
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        let (approved, _, failed) = accepted(&outcome);
        assert_eq!(approved, [second["id"].clone()], "{outcome}");
        assert_eq!(failed.len(), 1, "{outcome}");
        assert_eq!(failed[0]["request_id"], first["id"]);
        assert_eq!(failed[0]["code"], "department_at_capacity");
        assert!(
            failed[0]["message"]
                .as_str()
                .expect("a message")
                .contains("full on Mon 1 Feb 2027"),
            "{outcome}"
        );
        assert_eq!(request_status(&app, &w, &first).await, "submitted");
        assert_eq!(request_status(&app, &w, &second).await, "approved");
        let mut live = live_placements(&app, &w).await;
        live.sort();
        let april_placement = placements(&app, &w)
            .await
            .into_iter()
            .find(|p| p["request_id"] == second["id"])
            .expect("the April placement");
        let mut want = vec![sid(&taken[0]), sid(&april_placement)];
        want.sort();
        assert_eq!(live, want);
        // The audit has the second request's decision and placement and the run's accept,
        // nothing for the refused one.
        let new: Vec<Value> = audit_trail(&app, &admin).await[trail.len()..].to_vec();
        assert!(new.iter().all(|e| e["record_id"] != first["id"]), "{new:?}");
        let mut got: Vec<String> = new
            .iter()
            .map(|e| e["action"].as_str().expect("an action").to_string())
            .collect();
        got.sort();
        assert_eq!(got, ["accept", "create", "decision:approve"], "{new:?}");
    }
);

db_test!(
    facts_changed_under_a_run_fail_at_accept_with_their_codes,
    |app| async move {
        let w = world(&app, 10, 10).await;
        let withdrawn = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let on_leave = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let run = plan(&app, &w.office).await;
        assert_eq!(planned(&run, &withdrawn)["outcome"], "placed", "{run}");
        assert_eq!(planned(&run, &on_leave)["outcome"], "placed", "{run}");
        // After the run: the first student withdraws, the preceptor takes a day off in March.
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&w.students[0])),
                &json!({ "enrollment_status": "withdrawn" }),
            )
            .await,
            200,
        )
        .await;
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", sid(&w.preceptor)),
                &json!({ "leave": [{ "starts_on": "2027-03-10", "ends_on": "2027-03-10" }] }),
            )
            .await,
            200,
        )
        .await;
        let outcome = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/planning-runs/{}/accept", sid(&run)),
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        let (approved, _, failed) = accepted(&outcome);
        assert!(approved.is_empty(), "{outcome}");
        let mut got: Vec<(String, String)> = failed
            .iter()
            .map(|f| {
                (
                    f["request_id"].as_str().expect("an id").to_string(),
                    f["code"].as_str().expect("a code").to_string(),
                )
            })
            .collect();
        got.sort();
        let mut want = vec![
            (sid(&withdrawn), "student_not_enrolled".to_string()),
            (sid(&on_leave), "preceptor_on_leave".to_string()),
        ];
        want.sort();
        assert_eq!(got, want, "{outcome}");
        assert!(placements(&app, &w).await.is_empty());
        assert_eq!(request_status(&app, &w, &withdrawn).await, "submitted");
        assert_eq!(request_status(&app, &w, &on_leave).await, "submitted");
    }
);
