//! Reminders for what lapses (issue 17 point 4): agreements at 90, 60 and 30 days, an
//! accreditation ending within 90 days, a preceptor's licence ending before a placement they
//! supervise ends — each once per item and threshold, through the sweep; e-mail choices per
//! kind (the in-app notice stays); and one daily digest e-mail per person listing the items.
use crate::db_test;
use crate::helpers::*;
use crate::rule_pages::{page, post_form};
use chrono::Duration;
use practicum::jobs::reminders::{Sent, run_once};
use serde_json::{Value, json};

struct World {
    office: Caller,
    school: Caller,
    other_school: Caller,
    preceptor: Caller,
    preceptor_staff: Value,
    f: Fixture,
}

/// An office coordinator, the fixture's school with its coordinator (and another school's),
/// a preceptor with a sign-in whose licence runs to 2029.
async fn world(app: &TestApp) -> World {
    let office = app.coordinator().await;
    let f = fixture(app, &office).await;
    let preceptor_staff = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Pat Preceptor", "email": format!("pat-{}@h.test", uuid::Uuid::now_v7().simple()),
                     "department_id": f.department["id"], "discipline": "radiography",
                     "is_preceptor": true, "max_students": 4, "license_expires_on": "2029-01-01" }),
        )
        .await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    let other_school = app
        .user(
            "school_coordinator",
            json!({ "school_id": f.other_school["id"] }),
        )
        .await;
    let preceptor = app
        .user("preceptor", json!({ "staff_id": preceptor_staff["id"] }))
        .await;
    World {
        office,
        school,
        other_school,
        preceptor,
        preceptor_staff,
        f,
    }
}

/// The fixture's school's active agreement, expiring `days` after the test's today.
async fn agreement_expiring_in(app: &TestApp, w: &World, days: i64) -> Value {
    agreement_of(app, w, &w.f.school, days).await
}

/// `school`'s active agreement, expiring `days` after the test's today.
async fn agreement_of(app: &TestApp, w: &World, school: &Value, days: i64) -> Value {
    let expires = test_now().date_naive() + Duration::days(days);
    app.create(
        &w.office,
        &format!("/api/v1/schools/{}/agreements", id(school)),
        &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": expires.to_string() }),
    )
    .await
}

/// A confirmed placement of the fixture's student, 1 February to 30 April 2027, supervised by
/// the world's preceptor (needs an agreement covering it).
async fn placement(app: &TestApp, w: &World) -> Value {
    let r = app
        .create(
            &w.school,
            "/api/v1/placement-requests",
            &json!({ "kind": "clinical", "program_id": w.f.program["id"], "starts_on": "2027-02-01",
                     "ends_on": "2027-04-30", "hours_per_week": 32, "student_ids": [w.f.student["id"]] }),
        )
        .await;
    let decided = expect_status(
        app.post(
            &w.office,
            &format!("/api/v1/placement-requests/{}/decision", id(&r)),
            &json!({ "decision": "approve", "placements": [{ "student_id": w.f.student["id"],
                     "department_id": w.f.department["id"], "preceptor_id": w.preceptor_staff["id"] }] }),
        )
        .await,
        200,
    )
    .await;
    decided["placements"][0].clone()
}

/// The day `days` after the test's today, as messages write it ("Sun 4 Apr 2027").
fn day_in(days: i64) -> String {
    practicum::domain::period::human_date(test_now().date_naive() + Duration::days(days))
}

async fn sweep(app: &TestApp) -> Sent {
    run_once(&app.state).await.expect("the sweep runs")
}

/// Every mail queued to `who`, as (subject, body).
async fn mail_to(app: &TestApp, who: &Caller) -> Vec<(String, String)> {
    let to = who.user["email"].as_str().expect("an email").to_string();
    let mut tx = app.state.db.read().await.expect("a read transaction");
    practicum::db::mail_queue::all(&mut tx)
        .await
        .expect("the outbox is readable")
        .into_iter()
        .filter(|m| m.to_email == to)
        .map(|m| (m.subject, m.body))
        .collect()
}

/// The daily digests queued to `who`.
async fn digests_to(app: &TestApp, who: &Caller) -> Vec<String> {
    mail_to(app, who)
        .await
        .into_iter()
        .filter(|(s, _)| s.starts_with("Practicum: ") && s.contains(" for "))
        .map(|(_, b)| b)
        .collect()
}

/// The messages of `who`'s notifications of `kind`, read from the store (the tests move the
/// clock past a session's life).
async fn notes(app: &TestApp, who: &Caller, kind: &str) -> Vec<String> {
    let user_id = who.user["id"].as_str().expect("an id");
    let mut tx = app.state.db.read().await.expect("a read transaction");
    let page = practicum::db::Page {
        limit: 500,
        after: None,
        sort: None,
    };
    practicum::db::notifications::of_user(&mut tx, user_id, false, &page)
        .await
        .expect("the notifications are readable")
        .into_iter()
        .filter(|n| n.kind == kind)
        .map(|n| n.message)
        .collect()
}

db_test!(
    an_agreement_is_told_at_90_60_and_30_days_once_each,
    |app| async move {
        let w = world(&app).await;
        agreement_expiring_in(&app, &w, 90).await;
        let first = sweep(&app).await;
        assert_eq!(first.agreements, 1);
        assert_eq!(
            sweep(&app).await.agreements,
            0,
            "a second sweep sends nothing again"
        );
        for who in [&w.office, &w.school] {
            let n = notes(&app, who, "agreement_expiring").await;
            assert_eq!(n.len(), 1, "{n:?}");
            assert!(
                n[0].contains(&format!(
                    "North College's affiliation agreement expires on {} (in 90 days)",
                    day_in(90)
                )),
                "{n:?}"
            );
        }
        assert!(
            notes(&app, &w.other_school, "agreement_expiring")
                .await
                .is_empty()
        );
        // 59 days left: the 60-day reminder, once.
        app.clock.advance(Duration::days(31));
        assert_eq!(sweep(&app).await.agreements, 1);
        assert_eq!(sweep(&app).await.agreements, 0);
        // 30 days left: the 30-day one; after that nothing more.
        app.clock.advance(Duration::days(29));
        assert_eq!(sweep(&app).await.agreements, 1);
        app.clock.advance(Duration::days(10));
        assert_eq!(sweep(&app).await.agreements, 0);
        for who in [&w.office, &w.school] {
            let n = notes(&app, who, "agreement_expiring").await;
            assert_eq!(n.len(), 3, "{n:?}");
            assert!(n.iter().any(|m| m.contains("(in 59 days)")), "{n:?}");
            assert!(n.iter().any(|m| m.contains("(in 30 days)")), "{n:?}");
        }
        // Each came in that day's digest: three days, three digests, one item each.
        let digests = digests_to(&app, &w.school).await;
        assert_eq!(digests.len(), 3, "{digests:?}");
        assert!(
            digests.iter().all(|d| d.contains("/schools/")),
            "{digests:?}"
        );
    }
);

db_test!(
    a_sweep_first_run_at_45_days_sends_the_60_day_reminder_only,
    |app| async move {
        let w = world(&app).await;
        agreement_expiring_in(&app, &w, 45).await;
        assert_eq!(sweep(&app).await.agreements, 1);
        let n = notes(&app, &w.office, "agreement_expiring").await;
        assert_eq!(n.len(), 1, "not the missed 90-day one as well: {n:?}");
        assert!(n[0].contains("(in 45 days)"), "{n:?}");
        app.clock.advance(Duration::days(14));
        assert_eq!(
            sweep(&app).await.agreements,
            0,
            "31 days left: still the 60-day window"
        );
        app.clock.advance(Duration::days(1));
        assert_eq!(sweep(&app).await.agreements, 1, "30 days left");
        assert_eq!(notes(&app, &w.office, "agreement_expiring").await.len(), 2);
    }
);

db_test!(
    an_accreditation_ending_within_90_days_is_told_once,
    |app| async move {
        let w = world(&app).await;
        assert_eq!(
            sweep(&app).await.accreditations,
            0,
            "the fixture's runs to 2030"
        );
        let ends = (test_now().date_naive() + Duration::days(80)).to_string();
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/programs/{}", id(&w.f.program)),
                &json!({ "accredited_until": ends }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(sweep(&app).await.accreditations, 1);
        assert_eq!(sweep(&app).await.accreditations, 0);
        app.clock.advance(Duration::days(20));
        assert_eq!(sweep(&app).await.accreditations, 0);
        for who in [&w.office, &w.school] {
            let n = notes(&app, who, "accreditation_ending").await;
            assert_eq!(n.len(), 1, "{n:?}");
            assert!(
                n[0].contains("The accreditation of AS Radiography (North College)"),
                "{n:?}"
            );
            assert!(
                n[0].contains(&format!("ends on {} (in 80 days)", day_in(80))),
                "{n:?}"
            );
        }
        assert!(
            notes(&app, &w.other_school, "accreditation_ending")
                .await
                .is_empty()
        );
    }
);

db_test!(
    a_licence_ending_before_a_placement_reaches_the_office_and_the_preceptor,
    |app| async move {
        let w = world(&app).await;
        agreement_expiring_in(&app, &w, 1000).await;
        let p = placement(&app, &w).await;
        assert_eq!(sweep(&app).await.licences, 0, "the licence runs to 2029");
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", id(&w.preceptor_staff)),
                &json!({ "license_expires_on": "2027-03-31" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(sweep(&app).await.licences, 1);
        assert_eq!(
            sweep(&app).await.licences,
            0,
            "once per placement and licence"
        );
        for who in [&w.office, &w.preceptor] {
            let n = notes(&app, who, "licence_ends_first").await;
            assert_eq!(n.len(), 1, "{n:?}");
            assert!(
                n[0].contains("Pat Preceptor's licence ends on Wed 31 Mar 2027, before the placement of Ana Lopez they supervise ends on Fri 30 Apr 2027"),
                "{n:?}"
            );
        }
        assert!(
            notes(&app, &w.school, "licence_ends_first")
                .await
                .is_empty()
        );
        let digest = digests_to(&app, &w.preceptor).await;
        assert_eq!(digest.len(), 1, "{digest:?}");
        assert!(
            digest[0].contains(&format!("/placements/{}", id(&p))),
            "{digest:?}"
        );
        // A renewed licence that still ends first is a new item.
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", id(&w.preceptor_staff)),
                &json!({ "license_expires_on": "2027-04-15" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(sweep(&app).await.licences, 1);
    }
);

db_test!(
    turning_an_email_kind_off_stops_the_email_not_the_notice,
    |app| async move {
        let w = world(&app).await;
        let prefs = app.get_ok(&w.school, "/api/v1/me/email-preferences").await;
        let kinds = prefs["kinds"].as_array().expect("kinds").clone();
        let agreements = kinds
            .iter()
            .find(|k| k["kind"] == "agreement_expiring")
            .expect("the agreement kind");
        assert_eq!(agreements["email"], true);
        assert_eq!(agreements["daily_digest"], true);
        assert!(
            agreements["name"]
                .as_str()
                .unwrap_or("")
                .starts_with("Affiliation agreements expiring")
        );
        // Every problem at once, nothing stored.
        let put = |body: Value| {
            let app = &app;
            let who = w.school.clone();
            async move {
                app.raw(
                    &who,
                    reqwest::Method::PUT,
                    "/api/v1/me/email-preferences",
                    Some("application/json"),
                    body.to_string().into_bytes(),
                )
                .await
            }
        };
        let problem = expect_problem(
            put(json!({ "off": ["agreement_expiring", "password_reset"], "colour": "blue" })).await,
            422,
            &["unknown_field", "invalid_choice"],
        )
        .await;
        assert!(!codes(&problem).is_empty());
        let answer = expect_status(put(json!({ "off": ["agreement_expiring"] })).await, 200).await;
        let off: Vec<&Value> = answer["kinds"]
            .as_array()
            .expect("kinds")
            .iter()
            .filter(|k| k["email"] == false)
            .map(|k| &k["kind"])
            .collect();
        assert_eq!(off, vec![&json!("agreement_expiring")]);

        agreement_expiring_in(&app, &w, 60).await;
        assert_eq!(sweep(&app).await.agreements, 1);
        assert_eq!(
            notes(&app, &w.school, "agreement_expiring").await.len(),
            1,
            "the notice stays"
        );
        assert!(digests_to(&app, &w.school).await.is_empty(), "no e-mail");
        assert_eq!(
            digests_to(&app, &w.office).await.len(),
            1,
            "the office kept it on"
        );
        // Turned back on, the next threshold is e-mailed.
        expect_status(put(json!({ "off": [] })).await, 200).await;
        app.clock.advance(Duration::days(30));
        assert_eq!(sweep(&app).await.agreements, 1);
        assert_eq!(digests_to(&app, &w.school).await.len(), 1);
    }
);

db_test!(
    turning_off_a_notice_email_that_goes_at_once_stops_it_too,
    |app| async move {
        let w = world(&app).await;
        let colleague = app
            .user(
                "school_coordinator",
                json!({ "school_id": w.f.school["id"] }),
            )
            .await;
        agreement_expiring_in(&app, &w, 1000).await;
        expect_status(
            app.raw(
                &w.school,
                reqwest::Method::PUT,
                "/api/v1/me/email-preferences",
                Some("application/json"),
                json!({ "off": ["request_decided"] })
                    .to_string()
                    .into_bytes(),
            )
            .await,
            200,
        )
        .await;
        placement(&app, &w).await;
        assert_eq!(
            notes(&app, &w.school, "request_decided").await.len(),
            1,
            "the notice stays"
        );
        assert_eq!(notes(&app, &colleague, "request_decided").await.len(), 1);
        let theirs = mail_to(&app, &colleague).await;
        assert_eq!(
            theirs.len(),
            1,
            "the colleague is e-mailed the decision: {theirs:?}"
        );
        let mine = mail_to(&app, &w.school).await;
        assert!(
            !mine.iter().any(|m| m.0 == theirs[0].0),
            "the one who turned it off is not: {mine:?}"
        );
    }
);

db_test!(
    one_digest_a_day_lists_every_item_with_its_link,
    |app| async move {
        let w = world(&app).await;
        agreement_expiring_in(&app, &w, 1000).await;
        agreement_of(&app, &w, &w.f.other_school, 30).await;
        let p = placement(&app, &w).await;
        let ends = (test_now().date_naive() + Duration::days(60)).to_string();
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/programs/{}", id(&w.f.program)),
                &json!({ "accredited_until": ends }),
            )
            .await,
            200,
        )
        .await;
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", id(&w.preceptor_staff)),
                &json!({ "license_expires_on": "2027-03-31" }),
            )
            .await,
            200,
        )
        .await;
        let before = mail_to(&app, &w.office).await.len();
        let sent = sweep(&app).await;
        assert_eq!(
            (sent.agreements, sent.accreditations, sent.licences),
            (1, 1, 1)
        );
        let digests = digests_to(&app, &w.office).await;
        assert_eq!(digests.len(), 1, "three items, one e-mail: {digests:?}");
        let d = &digests[0];
        assert!(d.contains("3 reminders need your attention"), "{d}");
        assert!(
            d.contains(&format!("/schools/{}", id(&w.f.other_school))),
            "{d}"
        );
        assert!(
            d.contains(&format!("/programs/{}", id(&w.f.program))),
            "{d}"
        );
        assert!(d.contains(&format!("/placements/{}", id(&p))), "{d}");
        assert!(d.contains("/notifications/settings"), "{d}");
        assert_eq!(
            mail_to(&app, &w.office).await.len(),
            before + 1,
            "no e-mail per item"
        );
        // A sweep run again the same day sends no second digest.
        sweep(&app).await;
        assert_eq!(digests_to(&app, &w.office).await.len(), 1);
        // An item found later the same day waits for the next day's digest; none is lost.
        let mut tx = app.state.db.write().await.expect("a write transaction");
        practicum::db::digest::add(
            &mut tx,
            w.office.user["id"].as_str().expect("an id"),
            "agreement_expiring",
            "A later item",
            "/schools",
            app.clock.now(),
        )
        .await
        .expect("added");
        tx.commit().await.expect("committed");
        assert_eq!(sweep(&app).await.email_digests, 0);
        app.clock.advance(Duration::days(1));
        assert_eq!(sweep(&app).await.email_digests, 1);
        let digests = digests_to(&app, &w.office).await;
        assert_eq!(digests.len(), 2);
        assert!(
            digests[1].contains("1 reminder needs your attention")
                && digests[1].contains("A later item"),
            "{digests:?}"
        );
    }
);

db_test!(the_settings_page_turns_kinds_off_and_on, |app| async move {
    let w = world(&app).await;
    let (status, html, token) = page(&app, &w.office, "/notifications").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/notifications/settings\""),
        "linked from notifications"
    );
    let (status, html, token2) = page(&app, &w.office, "/notifications/settings").await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Affiliation agreements expiring"),
        "kinds in words"
    );
    assert!(!token.is_empty() && !token2.is_empty());
    // Every kind but the licences' ticked.
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", &token2)];
    for k in [
        "agreement_expiring",
        "accreditation_ending",
        "document_lapses",
        "starting_soon",
        "request_decided",
        "placement_at_risk",
        "document_rejected",
        "document_to_review",
        "uploads_to_review",
        "hours_to_approve",
        "offboarding_overdue",
        "evaluation_due",
    ] {
        fields.push(("email", k));
    }
    let (status, _) = post_form(&app, &w.office, "/notifications/settings", &fields).await;
    assert_eq!(status, 303);
    let prefs = app.get_ok(&w.office, "/api/v1/me/email-preferences").await;
    let off: Vec<&str> = prefs["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .filter(|k| k["email"] == false)
        .filter_map(|k| k["kind"].as_str())
        .collect();
    assert_eq!(off, vec!["licence_ends_first"]);
    let (_, html, _) = page(&app, &w.office, "/notifications/settings").await;
    assert!(
        html.contains("value=\"agreement_expiring\" checked"),
        "{html}"
    );
    assert!(
        !html.contains("value=\"licence_ends_first\" checked"),
        "{html}"
    );
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("the OpenAPI document");
    let path = &doc["paths"]["/api/v1/me/email-preferences"];
    assert!(path["get"].is_object() && path["put"].is_object(), "{path}");
});

db_test!(
    a_sweep_in_batches_of_one_sends_each_reminder_once,
    |app| async move {
        let w = world(&app).await;
        agreement_expiring_in(&app, &w, 1000).await;
        agreement_of(&app, &w, &w.f.other_school, 60).await;
        placement(&app, &w).await;
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", id(&w.preceptor_staff)),
                &json!({ "license_expires_on": "2027-03-31" }),
            )
            .await,
            200,
        )
        .await;
        let batched = |app: &TestApp| {
            let st = app.state.clone();
            async move {
                practicum::jobs::reminders::run_in_batches(&st, 1)
                    .await
                    .expect("the sweep runs")
            }
        };
        let first = batched(&app).await;
        assert_eq!((first.licences, first.agreements), (1, 1), "{first:?}");
        assert!(first.writes >= 2, "short writes, not one: {first:?}");
        let again = batched(&app).await;
        assert_eq!(
            (again.licences, again.agreements, again.email_digests),
            (0, 0, 0),
            "{again:?}"
        );
        assert_eq!(notes(&app, &w.office, "licence_ends_first").await.len(), 1);
        assert_eq!(digests_to(&app, &w.office).await.len(), 1);
    }
);
