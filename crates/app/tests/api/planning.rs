//! Term planning over HTTP: a plan built from the records, run in the background, accepted into
//! placements through the same checks as a manual approval; who may plan; bad terms refused.
use crate::db_test;
use crate::helpers::*;
use crate::requests::{World, clinical, preceptor, submit, world};
use serde_json::{Value, json};
use std::time::Duration;

const TERM: (&str, &str) = ("2027-02-01", "2027-05-28");

fn plan_body(extra: Value) -> Value {
    let mut body = json!({ "starts_on": TERM.0, "ends_on": TERM.1, "time_limit_seconds": 20,
                           "max_iterations": 2000, "seed": 7 });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    body
}

/// Starts a run and waits (polling, with a deadline) until it has an answer.
pub async fn plan(app: &TestApp, w: &World, extra: Value) -> Value {
    let started = expect_status(
        app.post(&w.office, "/api/v1/planning-runs", &plan_body(extra))
            .await,
        202,
    )
    .await;
    let path = format!("/api/v1/planning-runs/{}", id(&started));
    poll(Duration::from_secs(60), || async {
        let run = app.get_ok(&w.office, &path).await;
        (run["status"] != "running").then_some(run)
    })
    .await
}

fn request_in(run: &Value, request: &Value) -> Value {
    run["proposal"]["requests"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["request_id"] == request["id"]))
        .cloned()
        .unwrap_or(Value::Null)
}

fn spring(w: &World, students: &[&Value], slots: i64) -> Value {
    let mut body = clinical(w, students);
    body["starts_on"] = json!("2027-04-05");
    body["ends_on"] = json!("2027-05-14");
    body["slots"] = json!(slots);
    body
}

db_test!(
    a_term_is_planned_and_accepted_into_placements,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let winter = submit(&app, &w, &clinical(&w, &[&w.students[0], &w.students[1]])).await;
        let spring = submit(&app, &w, &spring(&w, &[&w.students[2]], 1)).await;

        let run = plan(&app, &w, json!({})).await;
        assert_eq!(run["status"], "done", "{run}");
        assert_eq!(run["weeks"], 17);
        assert_eq!(run["week0"], "2027-02-01");
        let p = &run["proposal"];
        assert_eq!(p["students_requested"], 4);
        assert_eq!(p["students_placed"], 4, "{p}");
        assert!(p["bound"].as_f64().unwrap() >= p["objective"].as_f64().unwrap() - 1e-9);
        assert_eq!(p["schools"][0]["fill_rate"], 1.0);
        let a = request_in(&run, &winter);
        assert_eq!(a["outcome"], "placed");
        for x in a["assignments"].as_array().unwrap() {
            assert_eq!(x["department_id"], w.f.department["id"]);
            assert_eq!(x["preceptor_id"], w.preceptor["id"]);
            assert_eq!(x["starts_on"], "2027-02-01");
            assert_eq!(x["ends_on"], "2027-03-31");
        }

        // The problem and the solution are kept for audit, in the formats of ALLOCATION.md.
        let run_path = format!("/api/v1/planning-runs/{}", id(&run));
        let problem = app.get_ok(&w.office, &format!("{run_path}/problem")).await;
        assert_eq!(problem["format"], "practicum-allocation/1");
        assert_eq!(problem["requests"].as_array().unwrap().len(), 2);
        let solution = app.get_ok(&w.office, &format!("{run_path}/solution")).await;
        assert_eq!(solution["format"], "practicum-allocation-solution/1");
        assert_eq!(solution["assignments"].as_array().unwrap().len(), 4);

        let outcome = expect_status(
            app.post(&w.office, &format!("{run_path}/accept"), &json!({}))
                .await,
            200,
        )
        .await;
        let mut approved: Vec<&str> = outcome["approved"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        approved.sort();
        let mut expected = vec![id(&winter), id(&spring)];
        expected.sort();
        assert_eq!(approved, expected, "{outcome}");

        let r = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placement-requests/{}", id(&spring)),
            )
            .await;
        assert_eq!(r["status"], "approved");
        let placements = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placements?request_id={}", id(&spring)),
            )
            .await;
        let placements = items(&placements);
        assert_eq!(placements.len(), 2);
        assert!(placements.iter().all(|p| p["status"] == "proposed"));
        assert!(
            placements
                .iter()
                .any(|p| p["student_id"] == w.students[2]["id"])
        );
        assert!(placements.iter().any(|p| p["student_id"].is_null()));

        // Accepting again decides nothing twice.
        let again = expect_status(
            app.post(&w.office, &format!("{run_path}/accept"), &json!({}))
                .await,
            200,
        )
        .await;
        assert!(again["approved"].as_array().unwrap().is_empty());
        assert_eq!(again["failed"].as_array().unwrap().len(), 2);
        assert_eq!(again["failed"][0]["code"], "invalid_transition");

        let trail = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/audit?record_type=planning_run&record_id={}",
                    id(&run)
                ),
            )
            .await;
        let actions: Vec<String> = items(&trail)
            .iter()
            .map(|e| e["action"].as_str().expect("an action").to_string())
            .collect();
        assert!(
            actions.contains(&"create".to_string()) && actions.contains(&"accept".to_string()),
            "{actions:?}"
        );
    }
);

db_test!(
    scarce_seats_leave_a_request_unplaced_with_a_reason,
    |app| async move {
        // One seat and one preceptor slot: two single-student requests for the same weeks.
        let w = world(&app, 1, 1).await;
        let first = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let second = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let run = plan(&app, &w, json!({})).await;
        let p = &run["proposal"];
        assert_eq!(p["students_placed"], 1, "{p}");
        let (a, b) = (request_in(&run, &first), request_in(&run, &second));
        let unplaced = if a["outcome"] == "placed" { &b } else { &a };
        assert_eq!(unplaced["outcome"], "unplaced");
        assert!(
            unplaced["reason"].as_str().unwrap().contains("full")
                || unplaced["reason"]
                    .as_str()
                    .unwrap()
                    .contains("fully booked"),
            "{unplaced}"
        );
        let outcome = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/planning-runs/{}/accept", id(&run)),
                &json!({ "waitlist_unplaced": true }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(outcome["approved"].as_array().unwrap().len(), 1);
        assert_eq!(
            outcome["waitlisted"],
            json!([unplaced["request_id"].clone()])
        );
        let r = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/placement-requests/{}",
                    unplaced["request_id"].as_str().unwrap()
                ),
            )
            .await;
        assert_eq!(r["status"], "waitlisted");
        assert!(
            r["decision_reason"]
                .as_str()
                .unwrap()
                .starts_with("Not placed by the term plan")
        );
    }
);

db_test!(pins_are_kept_and_removals_respected, |app| async move {
    let w = world(&app, 4, 2).await;
    // A second radiography department at the same site, with its own preceptor.
    let ct = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": "CT", "setting": "imaging", "capacity": 4,
                     "disciplines": ["radiography"] }),
        )
        .await;
    let ct_preceptor = preceptor(&app, &w.office, &ct, "radiography", 2, json!({})).await;
    let mut body = clinical(&w, &[&w.students[0]]);
    body["start_window_weeks"] = json!(2);
    let r = submit(&app, &w, &body).await;
    // Left alone, the first choice (the fixture's department) wins at weight 3 over 0.5.
    let first = plan(&app, &w, json!({})).await;
    assert_eq!(
        request_in(&first, &r)["assignments"][0]["department_id"],
        w.f.department["id"]
    );
    // Removing that option sends the student to CT.
    let removed = plan(
        &app,
        &w,
        json!({ "exclude": [{ "request": r["id"], "department": w.f.department["id"] }] }),
    )
    .await;
    let x = &request_in(&removed, &r)["assignments"][0];
    assert_eq!(x["department_id"], ct["id"], "{removed}");
    // A pin in CT two weeks later is kept exactly, and marked as pinned.
    let pinned = plan(
        &app,
        &w,
        json!({ "pins": [{ "request": r["id"], "department": ct["id"], "preceptor": ct_preceptor["id"], "start": 2 }] }),
    )
    .await;
    let x = &request_in(&pinned, &r)["assignments"][0];
    assert_eq!(x["department_id"], ct["id"], "{pinned}");
    assert_eq!(x["pinned"], true);
    assert_eq!(x["starts_on"], "2027-02-15");
    // A run based on it keeps its pins.
    let again = plan(&app, &w, json!({ "based_on": pinned["id"] })).await;
    assert_eq!(request_in(&again, &r)["assignments"][0]["pinned"], true);
});

db_test!(
    requests_that_cannot_be_planned_are_left_out_with_a_reason,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        // The term starts a week after the request does.
        let run = plan(&app, &w, json!({ "starts_on": "2027-02-08" })).await;
        let q = request_in(&run, &r);
        assert_eq!(q["outcome"], "left_out");
        assert_eq!(q["reason"], "it starts outside the term");
        assert_eq!(run["proposal"]["students_requested"], 0);
    }
);

db_test!(bad_plans_are_refused, |app| async move {
    let w = world(&app, 4, 2).await;
    let post = |body: Value| {
        let app = &app;
        let office = &w.office;
        async move { app.post(office, "/api/v1/planning-runs", &body).await }
    };
    expect_problem(
        post(json!({ "starts_on": "2027-05-01", "ends_on": "2027-04-01" })).await,
        422,
        &["invalid_period"],
    )
    .await;
    expect_problem(
        post(json!({ "starts_on": "2027-01-01", "ends_on": "2028-06-01" })).await,
        422,
        &["term_too_long"],
    )
    .await;
    expect_problem(
        post(
            json!({ "starts_on": "2027-02-01", "ends_on": "2027-05-01", "time_limit_seconds": 0,
                     "colour": "red", "pins": "none" }),
        )
        .await,
        422,
        &["invalid_number", "unknown_field", "invalid_type"],
    )
    .await;
    expect_problem(post(json!({})).await, 422, &["required", "required"]).await;
    let missing = format!("/api/v1/planning-runs/{}", uuid::Uuid::now_v7());
    expect_status(app.get(&w.office, &missing).await, 404).await;
    // A finished run cannot be stopped.
    let run = plan(&app, &w, json!({})).await;
    expect_problem(
        app.post(
            &w.office,
            &format!("/api/v1/planning-runs/{}/cancel", id(&run)),
            &json!({}),
        )
        .await,
        409,
        &["invalid_transition"],
    )
    .await;
});

db_test!(planning_is_for_the_office_alone, |app| async move {
    let w = world(&app, 4, 2).await;
    let run = plan(&app, &w, json!({})).await;
    let student = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    for who in [&w.school, &student] {
        expect_status(
            app.post(who, "/api/v1/planning-runs", &plan_body(json!({})))
                .await,
            403,
        )
        .await;
        expect_status(
            app.get(who, &format!("/api/v1/planning-runs/{}", id(&run)))
                .await,
            403,
        )
        .await;
        expect_status(app.get(who, "/api/v1/planning-runs").await, 403).await;
    }
    let list = app.get_ok(&w.office, "/api/v1/planning-runs").await;
    assert_eq!(items(&list).len(), 1);
});

db_test!(
    the_demo_term_is_planned_and_accepted_in_full,
    |app| async move {
        practicum::seed::seed_demo(&app.state)
            .await
            .expect("the demo loads");
        let office = app
            .login(
                "coordinator@demo.practicum.test",
                practicum::seed::DEMO_PASSWORD,
            )
            .await;
        let started = expect_status(
        app.post(
            &office,
            "/api/v1/planning-runs",
            &json!({ "starts_on": "2027-01-11", "ends_on": "2027-07-30", "time_limit_seconds": 30,
                     "max_iterations": 5000 }),
        )
        .await,
        202,
    )
    .await;
        let path = format!("/api/v1/planning-runs/{}", id(&started));
        let run = poll(Duration::from_secs(90), || async {
            let run = app.get_ok(&office, &path).await;
            (run["status"] != "running").then_some(run)
        })
        .await;
        assert_eq!(run["status"], "done", "{run}");
        let requests = run["proposal"]["requests"].as_array().unwrap().clone();
        assert!(requests.len() >= 10, "{run}");
        let placed: Vec<&str> = requests
            .iter()
            .filter(|r| r["outcome"] == "placed")
            .filter_map(|r| r["request_id"].as_str())
            .collect();
        assert!(placed.len() >= 5, "{run}");
        // Every request the plan places in full passes the decision's own day-by-day checks.
        let outcome = expect_status(
            app.post(&office, &format!("{path}/accept"), &json!({}))
                .await,
            200,
        )
        .await;
        assert_eq!(outcome["failed"], json!([]), "{outcome}");
        assert_eq!(outcome["approved"].as_array().unwrap().len(), placed.len());
        for id in placed {
            let r = app
                .get_ok(&office, &format!("/api/v1/placement-requests/{id}"))
                .await;
            assert_eq!(r["status"], "approved");
        }
    }
);

db_test!(the_run_page_says_what_the_numbers_mean, |app| async move {
    // One seat, two requests: one is placed, the other is not, and the page says why.
    let w = world(&app, 1, 1).await;
    submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
    let run = plan(&app, &w, json!({})).await;
    assert_eq!(run["status"], "done", "{run}");

    // The API keeps how the plan and its proven bound converged.
    let history = run["progress"]["history"].as_array().cloned().unwrap();
    assert!(!history.is_empty(), "{run}");
    let last = history.last().unwrap();
    assert_eq!(last["objective"], run["progress"]["objective"]);
    assert!(last["bound"].as_f64().unwrap() >= last["objective"].as_f64().unwrap() - 1e-9);

    let office = crate::rules_world::page_login(&app, &w.office).await;
    let path = format!("/planning/runs/{}", id(&run));
    let (status, html) = crate::rules_world::page(&app, &office, &path).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("of the best possible plan (proven)"),
        "{html}"
    );
    assert!(html.contains("How the plan was found"), "{html}");
    assert!(html.contains(r#"role="img""#), "{html}");
    let drawn = |line: &str| {
        html.split(&format!(r#"data-line="{line}" points=""#))
            .nth(1)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_digit())
    };
    assert!(drawn("objective") && drawn("bound"), "{html}");
    // Names, not codes: the request in words, the unplaced one's reason in words.
    assert!(
        html.contains("1 student of Radiography, clinical rotation"),
        "{html}"
    );
    assert!(!html.contains(" radiography clinical"), "{html}");
    assert!(
        html.contains("are full in its window") || html.contains("fully booked"),
        "{html}"
    );
    // Each school's fill rate against its request.
    assert!(html.contains("50%"), "{html}");

    // What the page's script reads to refresh itself: the server's words and the chart.
    let (status, body) = crate::rules_world::page(&app, &office, &format!("{path}/status")).await;
    assert_eq!(status, 200, "{body}");
    let live: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(live["status"], "done");
    assert!(
        live["progress_text"]
            .as_str()
            .unwrap()
            .contains("of the best possible plan (proven)"),
        "{live}"
    );
    assert!(
        !live["chart"]["objective_points"]
            .as_str()
            .unwrap()
            .is_empty()
    );
});
