//! Public inquiries over HTTP: routing (never a silent refusal), validation, the honeypot, the
//! hourly limit per address, and the office's inbox.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

fn ask(is_student: bool, interest: &str) -> Value {
    json!({ "name": "Sam Seeker", "email": "sam@example.org", "is_student": is_student, "interest": interest,
            "school": "North College", "program": "Radiography", "message": "I would like to learn more." })
}

async fn send(app: &TestApp, body: &Value) -> reqwest::Response {
    app.post_anon("/api/v1/inquiries", body).await
}

db_test!(inquiries_are_routed_never_refused, |app| async move {
    for (is_student, interest, route) in [
        (true, "clinical", "placement_request"),
        (true, "internship", "placement_request"),
        (false, "clinical", "observership"),
        (false, "internship", "observership"),
        (false, "observership", "observership"),
        (false, "volunteer", "volunteer"),
    ] {
        // Spread over time: one address may send five an hour.
        app.clock.advance(chrono::Duration::minutes(13));
        let answer = expect_status(send(&app, &ask(is_student, interest)).await, 201).await;
        assert_eq!(answer["route"], route, "student {is_student}, {interest}");
        assert!(answer["id"].is_string());
        assert!(
            answer["next"].as_str().is_some_and(|s| !s.is_empty()),
            "the answer says what happens next"
        );
    }
    // Only name, email and interest are needed; is_student defaults to false.
    app.clock.advance(chrono::Duration::minutes(13));
    let minimal = json!({ "name": "Vi", "email": "vi@example.org", "interest": "clinical" });
    assert_eq!(
        expect_status(send(&app, &minimal).await, 201).await["route"],
        "observership"
    );
});

db_test!(bad_inquiries_are_named, |app| async move {
    let mut bad = ask(false, "volunteer");
    bad["email"] = json!("not-an-email");
    assert_eq!(
        codes(&expect_status(send(&app, &bad).await, 422).await),
        ["invalid_email"]
    );
    let mut bad = ask(false, "surgery");
    bad["name"] = json!("");
    let mut got = codes(&expect_status(send(&app, &bad).await, 422).await);
    got.sort();
    assert_eq!(got, ["invalid_choice", "required"]);
    let mut bad = ask(false, "volunteer");
    bad["message"] = json!("x".repeat(4001));
    assert_eq!(
        codes(&expect_status(send(&app, &bad).await, 422).await),
        ["too_long"]
    );
    let mut bad = ask(false, "volunteer");
    bad["favourite_colour"] = json!("blue");
    assert_eq!(
        codes(&expect_status(send(&app, &bad).await, 422).await),
        ["unknown_field"]
    );
    let res = app
        .client
        .post(app.url("/api/v1/inquiries"))
        .header("content-type", "application/json")
        .body("{ nope")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // None of these was kept.
    let office = app.coordinator().await;
    assert!(items(&app.get_ok(&office, "/api/v1/inquiries").await).is_empty());
});

db_test!(the_honeypot_accepts_and_drops, |app| async move {
    let mut robot = ask(false, "volunteer");
    robot["website"] = json!("http://spam.example");
    let answer = expect_status(send(&app, &robot).await, 201).await;
    assert_eq!(answer["route"], "volunteer", "a robot cannot tell");
    let office = app.coordinator().await;
    assert!(items(&app.get_ok(&office, "/api/v1/inquiries").await).is_empty());
    // An empty honeypot is a person.
    let mut person = ask(false, "volunteer");
    person["website"] = json!("");
    expect_status(send(&app, &person).await, 201).await;
    assert_eq!(
        items(&app.get_ok(&office, "/api/v1/inquiries").await).len(),
        1
    );
});

db_test!(the_office_works_its_inbox, |app| async move {
    let a = expect_status(send(&app, &ask(false, "volunteer")).await, 201).await;
    let b = expect_status(send(&app, &ask(false, "clinical")).await, 201).await;
    let office = app.coordinator().await;
    let inbox = app.get_ok(&office, "/api/v1/inquiries").await;
    let list = items(&inbox);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], a["id"], "oldest first");
    assert_eq!(list[0]["status"], "new");
    assert_eq!(list[0]["route"], "volunteer");
    assert_eq!(list[0]["email"], "sam@example.org");
    assert_eq!(list[0]["school"], "North College");
    assert!(list[0].get("ip").is_none(), "the address is not shown");
    let path = format!("/api/v1/inquiries/{}", b["id"].as_str().unwrap());
    let updated = expect_status(
        app.patch(&office, &path, &json!({ "status": "contacted" }))
            .await,
        200,
    )
    .await;
    assert_eq!(updated["status"], "contacted");
    let contacted = app
        .get_ok(&office, "/api/v1/inquiries?status=contacted")
        .await;
    assert_eq!(items(&contacted).len(), 1);
    assert_eq!(items(&contacted)[0]["id"], b["id"]);
    let volunteers = app
        .get_ok(&office, "/api/v1/inquiries?route=volunteer")
        .await;
    assert_eq!(items(&volunteers).len(), 1);
    expect_status(
        app.patch(&office, &path, &json!({ "status": "closed" }))
            .await,
        200,
    )
    .await;
    let res = app
        .patch(&office, &path, &json!({ "status": "archived" }))
        .await;
    assert_eq!(codes(&expect_status(res, 422).await), ["invalid_choice"]);
    let res = app
        .patch(
            &office,
            &format!("/api/v1/inquiries/{}", uuid::Uuid::now_v7()),
            &json!({ "status": "closed" }),
        )
        .await;
    expect_problem(res, 404, &["not_found"]).await;
    assert_eq!(
        app.get(&office, "/api/v1/inquiries?status=lost")
            .await
            .status(),
        422
    );
    // The change is in the inquiry's history.
    let trail = app
        .get_ok(
            &office,
            &format!(
                "/api/v1/audit?record_type=inquiry&record_id={}",
                b["id"].as_str().unwrap()
            ),
        )
        .await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "update", "update"]);

    // Nobody but the office reads or changes the inbox.
    let f = fixture(&app, &office).await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    let student = app
        .user("student", json!({ "student_id": f.student["id"] }))
        .await;
    for who in [&school, &student] {
        expect_problem(app.get(who, "/api/v1/inquiries").await, 403, &["forbidden"]).await;
        expect_problem(
            app.patch(who, &path, &json!({ "status": "new" })).await,
            403,
            &["forbidden"],
        )
        .await;
    }
    let admin = app.admin().await;
    assert_eq!(
        items(&app.get_ok(&admin, "/api/v1/inquiries").await).len(),
        2
    );
    // Without a sign-in, the inbox is closed.
    let res = app
        .client
        .get(app.url("/api/v1/inquiries"))
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, &["unauthenticated"]).await;
});

/// The hourly limit, with a limit of two: `db_test!` spawns with the default config.
async fn limit_body(app: TestApp) {
    for _ in 0..2 {
        expect_status(send(&app, &ask(false, "volunteer")).await, 201).await;
    }
    let res = send(&app, &ask(false, "volunteer")).await;
    assert!(
        res.headers().get("retry-after").is_some(),
        "429 says when to retry"
    );
    expect_problem(res, 429, &["too_many_attempts"]).await;
    // A robot's does not count, and is still answered.
    let mut robot = ask(false, "volunteer");
    robot["website"] = json!("x");
    let answered = expect_status(send(&app, &robot).await, 201).await;
    assert!(answered["id"].is_string(), "{answered}");
    // An hour later the address may ask again.
    app.clock.advance(chrono::Duration::minutes(61));
    expect_status(send(&app, &ask(false, "volunteer")).await, 201).await;
    let office = app.coordinator().await;
    assert_eq!(
        items(&app.get_ok(&office, "/api/v1/inquiries").await).len(),
        3
    );
}

/// A burst at once from one address gets no more than the limit through.
async fn burst_body(app: TestApp) {
    let body = ask(false, "volunteer");
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let request = app.client.post(app.url("/api/v1/inquiries")).json(&body);
            tokio::spawn(async move { request.send().await.expect("request").status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        4,
        "{statuses:?}"
    );
}

mod burst {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn_with(Backend::Sqlite, |c| c.inquiry_limit_per_hour = 2)
            .await
            .expect("sqlite");
        burst_body(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = spawn_with(Backend::Postgres, |c| c.inquiry_limit_per_hour = 2).await
        else {
            eprintln!("skipped: TEST_POSTGRES_URL is not set");
            return;
        };
        burst_body(app).await;
    }
}

mod rate_limit {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn_with(Backend::Sqlite, |c| c.inquiry_limit_per_hour = 2)
            .await
            .expect("sqlite");
        limit_body(app).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(app) = spawn_with(Backend::Postgres, |c| c.inquiry_limit_per_hour = 2).await
        else {
            eprintln!("skipped: TEST_POSTGRES_URL is not set");
            return;
        };
        limit_body(app).await;
    }
}
