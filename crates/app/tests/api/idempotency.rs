//! A POST sent twice creates one record (issue 12, point 9): the API's `Idempotency-Key`
//! header (the same key by the same caller within 24 hours answers the first result, marked
//! `Idempotent-Replayed: true`) and the pages' one-time `form_key` (a create form posted twice —
//! a second click, Back and submit again — goes where the first post went).
use crate::db_test;
use crate::helpers::*;
use crate::requests::{clinical, world};
use crate::rule_pages::page;
use reqwest::Response;
use serde_json::{Value, json};
use std::sync::Arc;

const REQUESTS: &str = "/api/v1/placement-requests";

async fn post_keyed(app: &TestApp, who: &Caller, path: &str, key: &str, body: &Value) -> Response {
    app.client
        .post(app.url(path))
        .bearer_auth(&who.token)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .expect("request")
}

fn replayed(res: &Response) -> bool {
    res.headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

/// 201 and whether it was a replay.
async fn created(res: Response) -> (Value, bool) {
    let again = replayed(&res);
    (expect_status(res, 201).await, again)
}

async fn count(app: &TestApp, who: &Caller, path: &str) -> usize {
    items(&app.get_ok(who, path).await).len()
}

db_test!(one_key_posted_twice_creates_one_request, |app| async move {
    let w = world(&app, 4, 2).await;
    let body = clinical(&w, &[&w.students[0]]);
    let (first, replay) = created(post_keyed(&app, &w.school, REQUESTS, "k-1", &body).await).await;
    assert!(!replay, "the first answer is not a replay");
    let second = post_keyed(&app, &w.school, REQUESTS, "k-1", &body).await;
    assert!(replayed(&second), "the second answer says it is a replay");
    let (second, _) = created(second).await;
    assert_eq!(first, second, "the same answer, byte for byte");
    assert_eq!(count(&app, &w.office, REQUESTS).await, 1);
    // The same key is the caller's own: the office using it runs its own request.
    let (theirs, replay) = created(
        post_keyed(
            &app,
            &w.office,
            REQUESTS,
            "k-1",
            &json!({
        "school_id": w.f.school["id"], "kind": "clinical", "program_id": w.f.program["id"],
        "starts_on": "2027-02-01", "ends_on": "2027-03-31", "hours_per_week": 32,
        "student_ids": [w.students[1]["id"]],
        "preferences": [{ "site_id": w.f.site["id"], "department_id": w.f.department["id"] }] }),
        )
        .await,
    )
    .await;
    assert!(!replay);
    assert_ne!(id(&theirs), id(&first));
    assert_eq!(count(&app, &w.office, REQUESTS).await, 2);
});

db_test!(
    different_keys_create_two_and_no_key_runs_each_time,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let body = clinical(&w, &[&w.students[0]]);
        let (a, _) = created(post_keyed(&app, &w.school, REQUESTS, "k-a", &body).await).await;
        let (b, _) = created(post_keyed(&app, &w.school, REQUESTS, "k-b", &body).await).await;
        assert_ne!(id(&a), id(&b));
        let c = app.create(&w.school, REQUESTS, &body).await;
        assert_ne!(id(&c), id(&b));
        assert_eq!(count(&app, &w.office, REQUESTS).await, 3);
    }
);

db_test!(
    the_same_key_with_another_body_is_refused,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let body = clinical(&w, &[&w.students[0]]);
        created(post_keyed(&app, &w.school, REQUESTS, "k-1", &body).await).await;
        let other = clinical(&w, &[&w.students[1]]);
        expect_problem(
            post_keyed(&app, &w.school, REQUESTS, "k-1", &other).await,
            422,
            &["idempotency_key_reused"],
        )
        .await;
        // Nor to another endpoint.
        created(
            post_keyed(
                &app,
                &w.office,
                "/api/v1/sites",
                "k-site",
                &json!({ "name": "East" }),
            )
            .await,
        )
        .await;
        expect_problem(
            post_keyed(
                &app,
                &w.office,
                "/api/v1/schools",
                "k-site",
                &json!({ "name": "East" }),
            )
            .await,
            422,
            &["idempotency_key_reused"],
        )
        .await;
        assert_eq!(count(&app, &w.office, REQUESTS).await, 1);
    }
);

db_test!(a_refused_post_lets_its_key_go, |app| async move {
    let w = world(&app, 4, 2).await;
    let mut wrong = clinical(&w, &[&w.students[0]]);
    wrong["ends_on"] = json!("2027-01-01");
    let (status, codes) = outcome(post_keyed(&app, &w.school, REQUESTS, "k-1", &wrong).await).await;
    assert_eq!(status, 422, "{codes:?}");
    assert!(!codes.contains(&"idempotency_key_reused".to_string()));
    // Corrected, under the same key: it runs (a refusal is not an answer to repeat).
    let body = clinical(&w, &[&w.students[0]]);
    let (first, replay) = created(post_keyed(&app, &w.school, REQUESTS, "k-1", &body).await).await;
    assert!(!replay);
    let (again, replay) = created(post_keyed(&app, &w.school, REQUESTS, "k-1", &body).await).await;
    assert!(replay);
    assert_eq!(id(&first), id(&again));
    assert_eq!(count(&app, &w.office, REQUESTS).await, 1);
});

db_test!(a_key_lives_24_hours_by_the_apps_clock, |app| async move {
    let w = world(&app, 4, 2).await;
    let email = w.school.user["email"]
        .as_str()
        .expect("an email")
        .to_string();
    let body = clinical(&w, &[&w.students[0]]);
    let (first, _) = created(post_keyed(&app, &w.school, REQUESTS, "k-1", &body).await).await;
    // Sessions end sooner than keys: sign in again after each wait, as the same user.
    app.clock.advance(chrono::Duration::hours(23));
    let school = app.login(&email, DEMO_PASSWORD).await;
    let (again, replay) = created(post_keyed(&app, &school, REQUESTS, "k-1", &body).await).await;
    assert!(replay, "23 hours later the key still answers");
    assert_eq!(id(&first), id(&again));
    app.clock
        .advance(chrono::Duration::hours(1) + chrono::Duration::seconds(1));
    let school = app.login(&email, DEMO_PASSWORD).await;
    let (later, replay) = created(post_keyed(&app, &school, REQUESTS, "k-1", &body).await).await;
    assert!(!replay, "after 24 hours the key is new again");
    assert_ne!(id(&first), id(&later));
    let office = app.coordinator().await;
    assert_eq!(count(&app, &office, REQUESTS).await, 2);
});
db_test!(
    eight_posts_at_once_with_one_key_run_once,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let body = clinical(&w, &[&w.students[0]]);
        let barrier = Arc::new(tokio::sync::Barrier::new(8));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let req = app
                .client
                .post(app.url(REQUESTS))
                .bearer_auth(&w.school.token)
                .header("idempotency-key", "k-race")
                .json(&body);
            let barrier = barrier.clone();
            tasks.spawn(async move {
                barrier.wait().await;
                let res = req.send().await.expect("request");
                let again = replayed(&res);
                (expect_status(res, 201).await, again)
            });
        }
        let mut answers = Vec::new();
        while let Some(done) = tasks.join_next().await {
            answers.push(done.expect("a task"));
        }
        assert_eq!(answers.len(), 8);
        let first = id(&answers[0].0);
        assert!(
            answers.iter().all(|(a, _)| id(a) == first),
            "one record for all: {answers:?}"
        );
        assert_eq!(
            answers.iter().filter(|(_, replay)| !replay).count(),
            1,
            "one ran, seven were replays"
        );
        assert_eq!(count(&app, &w.office, REQUESTS).await, 1);
    }
);

db_test!(a_key_must_be_a_short_visible_word, |app| async move {
    // The OpenAPI document offers the header on the POSTs that create.
    let spec: Value = expect_status(
        app.client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .expect("request"),
        200,
    )
    .await;
    let names = |path: &str| -> Vec<Value> {
        spec["paths"][path]["post"]["parameters"]
            .as_array()
            .map(|ps| ps.iter().map(|p| p["name"].clone()).collect())
            .unwrap_or_default()
    };
    assert!(
        names(REQUESTS).contains(&json!("Idempotency-Key")),
        "{}",
        spec["paths"][REQUESTS]
    );
    assert!(names("/api/v1/inquiries").contains(&json!("Idempotency-Key")));
    assert!(!names("/api/v1/auth/login").contains(&json!("Idempotency-Key")));
    let office = app.coordinator().await;
    let body = json!({ "name": "East" });
    expect_problem(
        post_keyed(&app, &office, "/api/v1/sites", &"k".repeat(256), &body).await,
        422,
        &["too_long"],
    )
    .await;
    expect_problem(
        post_keyed(&app, &office, "/api/v1/sites", "a key", &body).await,
        422,
        &["invalid_characters"],
    )
    .await;
    assert_eq!(count(&app, &office, "/api/v1/sites").await, 0);
});

db_test!(
    an_inquiry_sent_twice_with_one_key_is_one_inquiry,
    |app| async move {
        let office = app.coordinator().await;
        let ask = json!({ "name": "Sam Seeker", "email": "sam@example.org", "is_student": false,
                      "interest": "volunteer" });
        let send = || {
            app.client
                .post(app.url("/api/v1/inquiries"))
                .header("idempotency-key", "inq-1")
                .json(&ask)
                .send()
        };
        let (first, replay) = created(send().await.expect("request")).await;
        assert!(!replay);
        let (second, replay) = created(send().await.expect("request")).await;
        assert!(replay);
        assert_eq!(first, second);
        assert_eq!(count(&app, &office, "/api/v1/inquiries").await, 1);
    }
);

/// The hidden one-time key of a page's form.
pub fn form_key(html: &str) -> String {
    html.split("name=\"form_key\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("the form carries a one-time key: {html}"))
        .to_string()
}

async fn post_page(
    app: &TestApp,
    who: Option<&Caller>,
    path: &str,
    fields: &[(&str, &str)],
) -> Response {
    let mut req = app.client.post(app.url(path)).header("origin", app.url(""));
    if let Some(who) = who {
        req = req.header("cookie", format!("practicum_session={}", who.token));
    }
    req.form(fields).send().await.expect("request")
}

fn location(res: &Response) -> String {
    assert_eq!(res.status().as_u16(), 303, "a redirect to the record");
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_string()
}

db_test!(
    a_request_form_posted_twice_creates_one_request,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let (status, html, csrf) = page(&app, &w.school, "/requests/new").await;
        assert_eq!(status, 200, "{html}");
        let key = form_key(&html);
        let student = w.students[0]["id"].as_str().expect("an id").to_string();
        let program = w.f.program["id"].as_str().expect("an id").to_string();
        let site = w.f.site["id"].as_str().expect("an id").to_string();
        let dept = w.f.department["id"].as_str().expect("an id").to_string();
        let mut fields = vec![
            ("csrf_token", csrf.as_str()),
            ("form_key", key.as_str()),
            ("kind", "clinical"),
            ("program_id", program.as_str()),
            ("starts_on", "2027-02-01"),
            ("ends_on", "2027-01-01"),
            ("hours_per_week", "32"),
            ("student_ids", student.as_str()),
            ("pref1_site", site.as_str()),
            ("pref1_department", dept.as_str()),
        ];
        // A form with a problem comes back with the same key, and creates nothing.
        let again = expect_page(
            post_page(&app, Some(&w.school), "/requests", &fields).await,
            422,
        )
        .await;
        assert_eq!(form_key(&again), key);
        fields[5] = ("ends_on", "2027-03-31");
        let first = post_page(&app, Some(&w.school), "/requests", &fields).await;
        assert!(!replayed(&first));
        let to = location(&first);
        assert!(to.starts_with("/requests/"), "{to}");
        // Back, and submit again (even with a field changed): to the same request.
        fields[6] = ("hours_per_week", "30");
        let second = post_page(&app, Some(&w.school), "/requests", &fields).await;
        assert!(replayed(&second));
        assert_eq!(location(&second), to);
        let list = app.get_ok(&w.office, REQUESTS).await;
        assert_eq!(ids(&list).len(), 1, "{list}");
        assert!(to.contains(&ids(&list)[0]), "{to}");
        // A fresh form has a fresh key, and creates a second request.
        let (_, html, _) = page(&app, &w.school, "/requests/new").await;
        assert_ne!(form_key(&html), key);
    }
);

db_test!(
    a_directory_create_form_posted_twice_creates_one_record,
    |app| async move {
        let office = app.coordinator().await;
        let res = app
            .client
            .get(app.url("/sites/new"))
            .header("cookie", format!("practicum_session={}", office.token))
            .send()
            .await
            .expect("request");
        assert_eq!(
            res.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("private, no-cache"),
            "Back may show the same form, with the same key"
        );
        let html = expect_page(res, 200).await;
        let (_, _, csrf) = page(&app, &office, "/sites/new").await;
        let key = form_key(&html);
        let fields = [
            ("csrf_token", csrf.as_str()),
            ("form_key", key.as_str()),
            ("name", "East"),
        ];
        let first = location(&post_page(&app, Some(&office), "/sites", &fields).await);
        let second = post_page(&app, Some(&office), "/sites", &fields).await;
        assert!(replayed(&second));
        assert_eq!(location(&second), first);
        assert_eq!(count(&app, &office, "/api/v1/sites").await, 1);
        // An edit form has no one-time key: saving twice saves twice.
        let (_, edit, _) = page(
            &app,
            &office,
            &format!("{}/edit", first.split('?').next().unwrap_or("")),
        )
        .await;
        assert!(!edit.contains("name=\"form_key\""), "{edit}");
    }
);

db_test!(
    the_public_inquiry_form_posted_twice_is_one_inquiry,
    |app| async move {
        let office = app.coordinator().await;
        let res = app
            .client
            .get(app.url("/clinicals"))
            .send()
            .await
            .expect("request");
        let html = expect_page(res, 200).await;
        let key = form_key(&html);
        let fields = [
            ("form_key", key.as_str()),
            ("name", "Sam Seeker"),
            ("email", "sam@example.org"),
            ("interest", "volunteer"),
            ("website", ""),
        ];
        let first = post_page(&app, None, "/clinicals", &fields).await;
        assert!(!replayed(&first));
        let first = expect_page(first, 200).await;
        assert!(first.contains("We have your inquiry"), "{first}");
        let second = post_page(&app, None, "/clinicals", &fields).await;
        assert!(replayed(&second));
        let second = expect_page(second, 200).await;
        assert!(second.contains("We have your inquiry"), "{second}");
        assert_eq!(count(&app, &office, "/api/v1/inquiries").await, 1);
    }
);
