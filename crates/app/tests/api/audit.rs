//! The audit trail: every directory write leaves one event, with who, when, from where, and
//! the record before and after; only the office reads it.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

async fn trail(app: &TestApp, who: &Caller, record_type: &str, record_id: &str) -> Vec<Value> {
    let list = app
        .get_ok(
            who,
            &format!("/api/v1/audit?record_type={record_type}&record_id={record_id}"),
        )
        .await;
    items(&list).clone()
}

/// Checks the one create event and returns it.
fn created_event<'a>(events: &'a [Value], record: &Value, actor: &Caller) -> &'a Value {
    let e = &events[0];
    assert_eq!(e["action"], "create", "{e}");
    assert!(e["before"].is_null(), "{e}");
    assert_eq!(&e["after"]["id"], &record["id"], "{e}");
    assert_eq!(e["actor_id"], actor.user["id"], "{e}");
    assert!(
        e["actor"]
            .as_str()
            .unwrap()
            .contains(actor.user["email"].as_str().unwrap()),
        "{e}"
    );
    assert_eq!(e["ip"], "127.0.0.1", "{e}");
    assert_eq!(e["at"], "2027-01-04T09:00:00Z", "the test clock's now");
    e
}

db_test!(
    every_directory_write_leaves_an_event_with_before_and_after,
    |app| async move {
        let c = cast(&app).await;
        let office = &c.office;
        let agreement = app
        .create(
            office,
            &format!("/api/v1/schools/{}/agreements", id(&c.f.school)),
            &json!({ "status": "draft", "effective_on": "2027-01-01", "expires_on": "2027-12-31" }),
        )
        .await;
        // (record type, record, its path, a change, the field it changes, old value, new value)
        let records: Vec<(&str, &Value, String, Value, &str)> = vec![
            (
                "site",
                &c.f.site,
                format!("/api/v1/sites/{}", id(&c.f.site)),
                json!({ "name": "Renamed" }),
                "name",
            ),
            (
                "department",
                &c.f.department,
                format!("/api/v1/departments/{}", id(&c.f.department)),
                json!({ "capacity": 9 }),
                "capacity",
            ),
            (
                "school",
                &c.f.school,
                format!("/api/v1/schools/{}", id(&c.f.school)),
                json!({ "city": "Beverly" }),
                "city",
            ),
            (
                "agreement",
                &agreement,
                format!("/api/v1/agreements/{}", id(&agreement)),
                json!({ "status": "active" }),
                "status",
            ),
            (
                "program",
                &c.f.program,
                format!("/api/v1/programs/{}", id(&c.f.program)),
                json!({ "degree_level": "baccalaureate" }),
                "degree_level",
            ),
            (
                "student",
                &c.f.student,
                format!("/api/v1/students/{}", id(&c.f.student)),
                json!({ "enrollment_status": "leave" }),
                "enrollment_status",
            ),
            (
                "staff",
                &c.preceptor_staff,
                format!("/api/v1/staff/{}", id(&c.preceptor_staff)),
                json!({ "max_students": 5 }),
                "max_students",
            ),
        ];
        for (record_type, record, path, change, field) in records {
            let events = trail(&app, office, record_type, &id(record)).await;
            assert_eq!(events.len(), 1, "{record_type}: {events:?}");
            let e = created_event(&events, record, office);
            assert_eq!(&e["after"], record, "{record_type}: the record as created");
            assert_eq!(e["record_type"], record_type);
            assert_eq!(e["record_id"], record["id"]);

            app.clock.advance(chrono::Duration::minutes(5));
            let after = expect_status(app.patch(&c.admin, &path, &change).await, 200).await;
            // A refused change leaves no event.
            let res = app
                .patch(&c.admin, &path, &json!({ "no_such_field": 1 }))
                .await;
            assert_eq!(res.status(), 422);
            let events = trail(&app, &c.admin, record_type, &id(record)).await;
            assert_eq!(events.len(), 2, "{record_type}: {events:?}");
            let e = &events[1];
            assert_eq!(e["action"], "update");
            assert_eq!(e["actor_id"], c.admin.user["id"]);
            assert_eq!(
                &e["before"], record,
                "{record_type}: before is the old record"
            );
            assert_eq!(e["after"], after, "{record_type}: after is the new record");
            assert_ne!(e["before"][field], e["after"][field], "{record_type}");
            assert_eq!(e["after"][field], change[field]);
            assert_ne!(e["at"], events[0]["at"]);
        }
    }
);

db_test!(
    uploads_and_users_are_audited_without_secrets,
    |app| async move {
        let c = cast(&app).await;
        let a = app
        .create(
            &c.office,
            &format!("/api/v1/schools/{}/agreements", id(&c.f.school)),
            &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
        )
        .await;
        expect_status(
            app.upload(
                &c.office,
                &format!("/api/v1/agreements/{}/document", id(&a)),
                "signed.pdf",
                b"%PDF-1.4\n%%EOF\n".to_vec(),
            )
            .await,
            200,
        )
        .await;
        let events = trail(&app, &c.office, "agreement", &id(&a)).await;
        assert_eq!(events.len(), 2);
        assert_eq!(events[1]["action"], "attach_document");
        assert!(events[1]["before"].get("document_name").is_none());
        assert_eq!(events[1]["after"]["document_name"], "signed.pdf");

        let user = app
            .create(
                &c.admin,
                "/api/v1/users",
                &json!({ "email": "audited@test.example", "name": "Audited", "role": "coordinator",
                     "password": "a-long-secret-password" }),
            )
            .await;
        let events = trail(&app, &c.admin, "user", &id(&user)).await;
        let e = created_event(&events, &user, &c.admin);
        assert_eq!(e["after"], user);
        let text = serde_json::to_string(&events).unwrap();
        assert!(!text.contains("a-long-secret-password") && !text.contains("argon2"));
    }
);

db_test!(only_the_office_reads_the_trail, |app| async move {
    let c = cast(&app).await;
    let path = format!(
        "/api/v1/audit?record_type=student&record_id={}",
        id(&c.f.student)
    );
    for (_, who) in c.office_roles() {
        assert_eq!(items(&app.get_ok(who, &path).await).len(), 1);
    }
    for (role, who) in c.outsiders() {
        for p in [path.as_str(), "/api/v1/audit"] {
            let body = expect_status(app.get(who, p).await, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
    let res = app.client.get(app.url(&path)).send().await.unwrap();
    expect_problem(res, 401, &["unauthenticated"]).await;
});

db_test!(the_trail_filters_and_paginates, |app| async move {
    let office = app.coordinator().await;
    let site = app
        .create(&office, "/api/v1/sites", &json!({ "name": "S0" }))
        .await;
    let path = format!("/api/v1/sites/{}", id(&site));
    for i in 1..=6 {
        expect_status(
            app.patch(&office, &path, &json!({ "name": format!("S{i}") }))
                .await,
            200,
        )
        .await;
    }
    app.create(&office, "/api/v1/sites", &json!({ "name": "Other" }))
        .await;
    let q = format!("/api/v1/audit?record_type=site&record_id={}", id(&site));
    let events = app.all_pages(&office, &q, 2).await;
    assert_eq!(events.len(), 7);
    // In order, each update's before is the previous after.
    for pair in events.windows(2) {
        assert_eq!(pair[1]["before"], pair[0]["after"]);
    }
    assert_eq!(events[6]["after"]["name"], "S6");
    assert_eq!(
        items(&app.get_ok(&office, "/api/v1/audit?record_type=site").await).len(),
        8
    );
    assert!(
        items(
            &app.get_ok(&office, "/api/v1/audit?record_type=nothing")
                .await
        )
        .is_empty()
    );
    assert!(
        items(
            &app.get_ok(&office, &format!("/api/v1/audit?record_id={NO_SUCH_ID}"))
                .await
        )
        .is_empty()
    );
    expect_problem(
        app.get(&office, "/api/v1/audit?limit=1000").await,
        422,
        &["invalid_limit"],
    )
    .await;
});
