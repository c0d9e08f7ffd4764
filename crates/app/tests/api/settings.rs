//! Issue 12 point 8: the office's settings (`GET/PATCH /api/v1/settings`, the `/settings`
//! page): the organisation's name, the time zone whose date is "today" everywhere, the public
//! page's contact, and the public base URL every e-mailed link starts with.
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use crate::rule_pages::{page, post_form};
use crate::rules_world::*;
use serde_json::{Value, json};

const SETTINGS: &str = "/api/v1/settings";

/// Every setting changed at once (as sent: the answer normalises the e-mail and the URL).
fn every_setting() -> Value {
    json!({
        "organisation_name": "Harbor Health",
        "time_zone": "America/Los_Angeles",
        "coordinator_name": "Rosa Okafor",
        "request_email": "Clinicals@Harbor.Example",
        "phone": "+1 (503) 555-0199",
        "public_base_url": "https://Placements.Harbor.example/edu/",
    })
}

async fn change(app: &TestApp, who: &Caller, body: &Value) -> Value {
    expect_status(app.patch(who, SETTINGS, body).await, 200).await
}

/// Sessions that outlast the clock moving by weeks.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

/// Moves the fixed clock forward to `at` (RFC 3339).
fn move_to(app: &TestApp, at: &str) {
    let at = chrono::DateTime::parse_from_rfc3339(at).expect("an instant");
    let by = at.with_timezone(&chrono::Utc) - app.clock.now();
    assert!(
        by >= chrono::Duration::zero(),
        "the clock only moves forward"
    );
    app.clock.advance(by);
}

db_test!(
    settings_start_with_their_defaults_for_anyone_signed_in,
    |app| async move {
        let admin = app.admin().await;
        let got = app.get_ok(&admin, SETTINGS).await;
        assert_eq!(
            got,
            json!({
                "organisation_name": "Healthcare Education Office",
                "time_zone": "UTC",
                "coordinator_name": null,
                "request_email": null,
                "phone": null,
                // The address the server listens on, until the admin says otherwise.
                "public_base_url": app.base,
                "require_mfa_for_office": false,
            })
        );
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let school = app
            .user("school_coordinator", json!({ "school_id": f.school["id"] }))
            .await;
        let student = app
            .user("student", json!({ "student_id": f.student["id"] }))
            .await;
        for who in [&office, &school, &student] {
            assert_eq!(app.get_ok(who, SETTINGS).await, got);
        }
        let anonymous = app
            .client
            .get(app.url(SETTINGS))
            .send()
            .await
            .expect("request");
        expect_problem(anonymous, 401, &["unauthenticated"]).await;
    }
);

db_test!(the_admin_changes_every_setting, |app| async move {
    let admin = app.admin().await;
    let after = change(&app, &admin, &every_setting()).await;
    let want = json!({
        "organisation_name": "Harbor Health",
        "time_zone": "America/Los_Angeles",
        "coordinator_name": "Rosa Okafor",
        "request_email": "clinicals@harbor.example",
        "phone": "+1 (503) 555-0199",
        "public_base_url": "https://placements.harbor.example/edu",
        "require_mfa_for_office": false,
    });
    assert_eq!(after, want);
    assert_eq!(app.get_ok(&admin, SETTINGS).await, want);
    // PATCH takes the fields to change; null clears a contact detail.
    let cleared = change(
        &app,
        &admin,
        &json!({ "phone": null, "coordinator_name": "" }),
    )
    .await;
    assert_eq!(cleared["phone"], Value::Null);
    assert_eq!(cleared["coordinator_name"], Value::Null);
    assert_eq!(cleared["request_email"], want["request_email"]);
    assert_eq!(cleared["time_zone"], want["time_zone"]);
    // Audited like every write, before and after.
    let trail = app
        .get_ok(&admin, "/api/v1/audit?record_type=settings")
        .await;
    let events = items(&trail);
    assert_eq!(events.len(), 2, "{trail}");
    assert!(
        events.iter().any(|e| e["action"] == "update"
            && e["before"]["time_zone"] == "UTC"
            && e["after"]["time_zone"] == "America/Los_Angeles"
            && e["actor_id"] == admin.user["id"]),
        "{trail}"
    );
});

db_test!(only_the_admin_changes_the_settings, |app| async move {
    let before = app.get_ok(&app.admin().await, SETTINGS).await;
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    for who in [office, school] {
        expect_problem(
            app.patch(&who, SETTINGS, &every_setting()).await,
            403,
            &["forbidden"],
        )
        .await;
        // Authorization comes first: a role that may never act gets 403 whatever it sent.
        expect_problem(
            app.patch(&who, SETTINGS, &json!({ "time_zone": "Mars/Olympus" }))
                .await,
            403,
            &["forbidden"],
        )
        .await;
    }
    assert_eq!(app.get_ok(&app.admin().await, SETTINGS).await, before);
});

db_test!(
    every_problem_with_the_settings_is_reported_at_once,
    |app| async move {
        let admin = app.admin().await;
        let before = app.get_ok(&admin, SETTINGS).await;
        let body = expect_problem(
            app.patch(
                &admin,
                SETTINGS,
                &json!({
                    "organisation_name": "",
                    "time_zone": "Mars/Olympus",
                    "request_email": "not an address",
                    "phone": "5".repeat(51),
                    "public_base_url": "ftp://placements.example.org/?from=mail",
                    "timezone": "UTC",
                }),
            )
            .await,
            422,
            &[
                "required",
                "invalid_time_zone",
                "invalid_email",
                "too_long",
                "invalid_url",
                "unknown_field",
            ],
        )
        .await;
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or(""))
            .collect();
        for f in [
            "organisation_name",
            "time_zone",
            "request_email",
            "phone",
            "public_base_url",
            "timezone",
        ] {
            assert!(fields.contains(&f), "{f} in {body}");
        }
        // Each URL rule on its own; nothing was changed by any refusal.
        for bad in [
            "placements.example.org",
            "https://placements.example.org/#top",
            "https://placements.example.org?a=1",
            "https://user:secret@placements.example.org",
            "javascript:alert(1)",
        ] {
            expect_problem(
                app.patch(&admin, SETTINGS, &json!({ "public_base_url": bad }))
                    .await,
                422,
                &["invalid_url"],
            )
            .await;
        }
        for bad in [json!("Pacific Time"), json!("PST8"), json!(7), json!(null)] {
            let want = if bad.is_null() {
                "required"
            } else {
                "invalid_time_zone"
            };
            expect_problem(
                app.patch(&admin, SETTINGS, &json!({ "time_zone": bad }))
                    .await,
                422,
                &[want],
            )
            .await;
        }
        expect_problem(
            app.patch(&admin, SETTINGS, &json!({ "colour": "blue" }))
                .await,
            422,
            &["unknown_field"],
        )
        .await;
        assert_eq!(app.get_ok(&admin, SETTINGS).await, before);
    }
);

db_test_with!(
    the_office_time_zone_decides_what_today_is,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let mut body = clinical(&w, &[&w.students[0]]);
        body["starts_on"] = json!("2027-03-01");
        body["ends_on"] = json!("2027-03-26");
        let r = submit(&app, &w, &body).await;
        let p = approve(&app, &w, &r, &approval(&w, &[&w.students[0]]))
            .await
            .remove(0);
        expect_status(
            transition(&app, &w.school, &p, &json!({ "to": "confirmed" })).await,
            200,
        )
        .await;
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        // 03:00 UTC on 1 March: in Los Angeles it is still 28 February.
        move_to(&app, "2027-03-01T03:00:00Z");
        change(&app, &admin, &json!({ "time_zone": "America/Los_Angeles" })).await;
        expect_problem(
            transition(&app, &w.office, &p, &json!({ "to": "active" })).await,
            409,
            &["not_started"],
        )
        .await;
        // A request may start on the office's today (28 February there), not the day before.
        let mut today = clinical(&w, &[&w.students[1]]);
        today["starts_on"] = json!("2027-02-28");
        today["ends_on"] = json!("2027-03-20");
        submit(&app, &w, &today).await;
        let mut yesterday = today.clone();
        yesterday["starts_on"] = json!("2027-02-27");
        yesterday["student_ids"] = json!([w.students[2]["id"]]);
        expect_problem(
            app.post(&w.school, "/api/v1/placement-requests", &yesterday)
                .await,
            422,
            &["invalid_period"],
        )
        .await;
        // In UTC it is 1 March: the placement starts, and 28 February is in the past.
        change(&app, &admin, &json!({ "time_zone": "UTC" })).await;
        let active = expect_status(
            transition(&app, &w.office, &p, &json!({ "to": "active" })).await,
            200,
        )
        .await;
        assert_eq!(active["status"], "active");
        today["student_ids"] = json!([w.students[3]["id"]]);
        expect_problem(
            app.post(&w.school, "/api/v1/placement-requests", &today)
                .await,
            422,
            &["invalid_period"],
        )
        .await;
    }
);

db_test!(
    the_public_page_shows_the_coordinator_contact,
    |app| async move {
        let public = |app: &TestApp| {
            let url = app.url("/clinicals");
            let client = app.client.clone();
            async move { expect_page(client.get(url).send().await.expect("request"), 200).await }
        };
        let before = public(&app).await;
        assert!(before.contains("Healthcare Education Office"), "{before}");
        assert!(!before.contains("Email for clinical requests"), "{before}");
        assert!(!before.contains("mailto:"), "{before}");
        let admin = app.admin().await;
        change(&app, &admin, &every_setting()).await;
        let after = public(&app).await;
        for shown in [
            "Harbor Health",
            "Contact our student placement coordinator",
            "Rosa Okafor",
            "Email for clinical requests",
            "href=\"mailto:clinicals@harbor.example\"",
            "+1 (503) 555-0199",
            "href=\"tel:+15035550199\"",
        ] {
            assert!(after.contains(shown), "{shown} on the public page: {after}");
        }
        // A contact detail cleared is not shown.
        change(&app, &admin, &json!({ "phone": null })).await;
        let after = public(&app).await;
        assert!(!after.contains("555-0199"), "{after}");
        assert!(after.contains("Rosa Okafor"), "{after}");
    }
);

db_test!(
    emailed_links_start_with_the_public_base_url_whatever_the_host,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        change(&app, &admin, &every_setting()).await;
        let faculty_email = unique("faculty");
        let mut body = internship(&w, &[&w.students[0]]);
        body["faculty_supervisor"] = json!({ "name": "Dr. Fay Culty", "email": faculty_email });
        let r = submit(&app, &w, &body).await;
        let decision = json!({ "decision": "approve", "placements": [
            { "student_id": w.students[0]["id"], "department_id": w.f.department["id"] } ] });
        // The decision comes in under another Host: links never follow it.
        let res = app
            .client
            .post(app.url(&format!("/api/v1/placement-requests/{}/decision", sid(&r))))
            .bearer_auth(&w.office.token)
            .header("host", "evil.example")
            .json(&decision)
            .send()
            .await
            .expect("request");
        expect_status(res, 200).await;
        let mut tx = app.state.db.read().await.expect("a read transaction");
        let mail = practicum::db::mail_queue::all(&mut tx)
            .await
            .expect("the outbox is readable");
        drop(tx);
        let base = "https://placements.harbor.example/edu";
        let invitation = mail
            .iter()
            .find(|m| m.to_email == faculty_email)
            .expect("the faculty supervisor's invitation");
        assert!(
            invitation.body.contains(&format!("{base}/invitations/")),
            "{}",
            invitation.body
        );
        let school_email = w.school.user["email"].as_str().expect("an email");
        let decided = mail
            .iter()
            .find(|m| m.to_email == school_email)
            .expect("the school is told of the decision");
        assert!(
            decided
                .body
                .contains(&format!("{base}/requests/{}", sid(&r))),
            "{}",
            decided.body
        );
        for m in &mail {
            assert!(!m.body.contains("evil.example"), "{}", m.body);
            assert!(!m.body.contains(&app.base), "{}", m.body);
            assert!(m.body.trim_end().ends_with("Harbor Health"), "{}", m.body);
        }
    }
);

db_test!(the_admin_edits_the_settings_on_a_page, |app| async move {
    let admin = app.admin().await;
    let (status, html, token) = page(&app, &admin, "/settings").await;
    assert_eq!(status, 200, "{html}");
    for field in [
        "name=\"organisation_name\"",
        "name=\"time_zone\"",
        "<option value=\"America/Los_Angeles\"",
        "name=\"coordinator_name\"",
        "name=\"request_email\"",
        "name=\"phone\"",
        "name=\"public_base_url\"",
        "href=\"/settings\" aria-current=\"page\"",
    ] {
        assert!(html.contains(field), "{field} on the page: {html}");
    }
    let form = |tz: &'static str, email: &'static str, url: &'static str| {
        vec![
            ("organisation_name", "Harbor Health"),
            ("time_zone", tz),
            ("coordinator_name", "Rosa Okafor"),
            ("request_email", email),
            ("phone", ""),
            ("public_base_url", url),
        ]
    };
    // Every problem beside its field, what was typed kept, nothing saved.
    let mut bad: Vec<(&str, &str)> = form("Mars/Olympus", "nobody", "placements.harbor.example");
    bad.push(("csrf_token", &token));
    let (status, html) = post_form(&app, &admin, "/settings", &bad).await;
    assert_eq!(status, 422, "{html}");
    for shown in [
        "f-time_zone-error",
        "f-request_email-error",
        "f-public_base_url-error",
        "value=\"placements.harbor.example\"",
        "value=\"Harbor Health\"",
    ] {
        assert!(html.contains(shown), "{shown}: {html}");
    }
    assert_eq!(
        app.get_ok(&admin, SETTINGS).await["organisation_name"],
        "Healthcare Education Office"
    );
    let mut good: Vec<(&str, &str)> = form(
        "Europe/Lisbon",
        "clinicals@harbor.example",
        "https://placements.harbor.example",
    );
    good.push(("csrf_token", &token));
    let (status, _) = post_form(&app, &admin, "/settings", &good).await;
    assert_eq!(status, 303);
    let saved = app.get_ok(&admin, SETTINGS).await;
    assert_eq!(saved["time_zone"], "Europe/Lisbon");
    assert_eq!(saved["phone"], Value::Null);
    assert_eq!(
        saved["public_base_url"],
        "https://placements.harbor.example"
    );
    // Without the CSRF token nothing is saved.
    let (status, _) = post_form(
        &app,
        &admin,
        "/settings",
        &form("UTC", "", "https://x.example"),
    )
    .await;
    assert_ne!(status, 303);
    assert_eq!(app.get_ok(&admin, SETTINGS).await, saved);
    // The office's coordinator has no Settings page and cannot post it.
    let office = app.coordinator().await;
    let (status, html, _) = page(&app, &office, "/").await;
    assert_eq!(status, 200);
    assert!(!html.contains("href=\"/settings\""), "{html}");
    let (status, _, _) = page(&app, &office, "/settings").await;
    assert_eq!(status, 403);
});
