//! The directory endpoints: who may, who may not (403), what is out of scope (404), bad input
//! (every code at once), pagination and filters.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

db_test!(every_list_needs_a_session, |app| async move {
    for path in [
        "/api/v1/disciplines",
        "/api/v1/sites",
        "/api/v1/departments",
        "/api/v1/schools",
        "/api/v1/agreements",
        "/api/v1/programs",
        "/api/v1/students",
        "/api/v1/staff",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/me",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let body = expect_status(res, 401).await;
        assert_eq!(codes(&body), ["unauthenticated"], "{path}");
        // A cookie is for pages; the API wants a bearer token.
        let res = app
            .client
            .get(app.url(path))
            .header("cookie", "practicum_session=x")
            .send()
            .await
            .unwrap();
        expect_problem(res, 401, &["unauthenticated"]).await;
    }
});

db_test!(roles_that_may_never_act_get_403, |app| async move {
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    let student = app
        .user("student", json!({ "student_id": f.student["id"] }))
        .await;
    let forbidden: Vec<(&Caller, &str)> = vec![
        (&school, "/api/v1/sites"),
        (&school, "/api/v1/staff"),
        (&school, "/api/v1/departments"),
        (&school, "/api/v1/users"),
        (&school, "/api/v1/audit"),
        (&student, "/api/v1/schools"),
        (&student, "/api/v1/programs"),
        (&student, "/api/v1/sites"),
        (&office, "/api/v1/users"),
    ];
    for (who, path) in forbidden {
        let body = expect_status(app.get(who, path).await, 403).await;
        assert_eq!(codes(&body), ["forbidden"], "{path}");
    }
    // Writes: authorization comes before reading the body, so even garbage gets 403.
    for path in [
        "/api/v1/sites",
        "/api/v1/schools",
        "/api/v1/staff",
        "/api/v1/departments",
    ] {
        let res = app
            .client
            .post(app.url(path))
            .bearer_auth(&school.token)
            .body("not json")
            .send()
            .await
            .unwrap();
        expect_problem(res, 403, &["forbidden"]).await;
    }
    let res = app.post(&student, "/api/v1/students", &json!({})).await;
    expect_problem(res, 403, &["forbidden"]).await;
    let res = app.post(&office, "/api/v1/users", &json!({})).await;
    expect_problem(res, 403, &["forbidden"]).await;
    let res = app
        .patch(
            &school,
            &format!("/api/v1/schools/{}", id(&f.school)),
            &json!({ "name": "X" }),
        )
        .await;
    expect_problem(res, 403, &["forbidden"]).await;
});

db_test!(records_outside_scope_answer_404, |app| async move {
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    let other_program = app
        .create(
            &office,
            &format!("/api/v1/schools/{}/programs", id(&f.other_school)),
            &json!({ "name": "BS Radiography", "discipline": "radiography", "degree_level": "baccalaureate" }),
        )
        .await;
    let other_student = app
        .create(
            &office,
            "/api/v1/students",
            &json!({ "school_id": f.other_school["id"], "program_id": other_program["id"], "first_name": "Bo",
                     "last_name": "Chen", "email": "bo.chen@south.edu" }),
        )
        .await;
    let other_agreement = app
        .create(
            &office,
            &format!("/api/v1/schools/{}/agreements", id(&f.other_school)),
            &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
        )
        .await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    for path in [
        format!("/api/v1/schools/{}", id(&f.other_school)),
        format!("/api/v1/schools/{}/agreements", id(&f.other_school)),
        format!("/api/v1/schools/{}/programs", id(&f.other_school)),
        format!("/api/v1/agreements/{}", id(&other_agreement)),
        format!("/api/v1/programs/{}", id(&other_program)),
        format!("/api/v1/students/{}", id(&other_student)),
        "/api/v1/students/not-a-uuid".to_string(),
        "/api/v1/schools/0191d3a0-0000-7000-8000-000000000000".to_string(),
    ] {
        let body = expect_status(app.get(&school, &path).await, 404).await;
        assert_eq!(codes(&body), ["not_found"], "{path}");
    }
    // Its own records it sees.
    app.get_ok(&school, &format!("/api/v1/schools/{}", id(&f.school)))
        .await;
    app.get_ok(&school, &format!("/api/v1/students/{}", id(&f.student)))
        .await;
    let mine = app.get_ok(&school, "/api/v1/students").await;
    assert_eq!(
        mine["items"].as_array().unwrap().len(),
        1,
        "only its own students are listed"
    );
    // A student sees only themself.
    let student = app
        .user("student", json!({ "student_id": f.student["id"] }))
        .await;
    app.get_ok(&student, &format!("/api/v1/students/{}", id(&f.student)))
        .await;
    expect_problem(
        app.get(
            &student,
            &format!("/api/v1/students/{}", id(&other_student)),
        )
        .await,
        404,
        &["not_found"],
    )
    .await;
    // A department manager reads their department only.
    let manager_staff = app
        .create(&office, "/api/v1/staff", &json!({ "name": "Mo Manager", "email": "mo@hospital.test", "department_id": f.department["id"] }))
        .await;
    let other_dept = app
        .create(
            &office,
            "/api/v1/departments",
            &json!({ "site_id": f.site["id"], "name": "Pharmacy", "setting": "pharmacy", "capacity": 2, "disciplines": ["pharmacy"] }),
        )
        .await;
    let manager = app
        .user(
            "department_manager",
            json!({ "staff_id": manager_staff["id"] }),
        )
        .await;
    app.get_ok(
        &manager,
        &format!("/api/v1/departments/{}", id(&f.department)),
    )
    .await;
    expect_problem(
        app.get(
            &manager,
            &format!("/api/v1/departments/{}", id(&other_dept)),
        )
        .await,
        404,
        &["not_found"],
    )
    .await;
    let listed = app.get_ok(&manager, "/api/v1/departments").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    // A school coordinator cannot create a student for another school.
    let body = expect_status(
        app.post(
            &school,
            "/api/v1/students",
            &json!({ "school_id": f.other_school["id"], "program_id": other_program["id"], "first_name": "X", "last_name": "Y",
                     "email": "xy@south.edu" }),
        )
        .await,
        422,
    )
    .await;
    assert!(codes(&body).contains(&"unknown_school".to_string()));
});

db_test!(
    bad_input_lists_every_problem_with_its_code,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let agreements = format!("/api/v1/schools/{}/agreements", id(&f.school));
        let programs = format!("/api/v1/schools/{}/programs", id(&f.school));
        let cases: Vec<(&str, Value, Vec<&str>)> = vec![
            ("/api/v1/sites", json!({}), vec!["required"]),
            (
                "/api/v1/sites",
                json!({ "name": "X", "colour": "red" }),
                vec!["unknown_field"],
            ),
            (
                "/api/v1/departments",
                json!({ "site_id": "nope", "name": "", "setting": "attic", "capacity": -1, "disciplines": ["astrology"] }),
                vec![
                    "invalid_id",
                    "required",
                    "invalid_choice",
                    "must_be_positive",
                    "unknown_discipline",
                ],
            ),
            (
                "/api/v1/departments",
                json!({ "site_id": "0191d3a0-0000-7000-8000-000000000000", "name": "D", "setting": "imaging", "capacity": 1, "disciplines": ["radiography"] }),
                vec!["unknown_site"],
            ),
            (
                "/api/v1/schools",
                json!({ "name": "S", "city": 3 }),
                vec!["invalid_type", "required"],
            ),
            (
                "/api/v1/students",
                json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": "A", "last_name": "B",
                    "email": "not-an-email", "enrollment_status": "dropped", "expected_graduation": "2027-13-40" }),
                vec!["invalid_email", "invalid_choice", "invalid_date"],
            ),
            (
                "/api/v1/students",
                json!({ "school_id": f.other_school["id"], "program_id": f.program["id"], "first_name": "A", "last_name": "B",
                    "email": "a@b.edu" }),
                vec!["program_not_at_school"],
            ),
            (
                "/api/v1/students",
                json!({ "school_id": f.school["id"], "program_id": "0191d3a0-0000-7000-8000-000000000000", "first_name": "A",
                    "last_name": "B", "email": "a@b.edu" }),
                vec!["unknown_program"],
            ),
            (
                "/api/v1/staff",
                json!({ "name": "P", "email": "p@h.test", "department_id": "0191d3a0-0000-7000-8000-000000000000", "is_preceptor": true,
                    "max_students": 0, "leave": [{ "starts_on": "2027-02-10", "ends_on": "2027-02-01" }] }),
                vec![
                    "invalid_period",
                    "unknown_department",
                    "discipline_required",
                    "must_be_positive",
                ],
            ),
            (
                &agreements,
                json!({ "status": "signed", "effective_on": "2027-06-01", "expires_on": "2027-01-01" }),
                vec!["invalid_choice", "invalid_period"],
            ),
            (
                &programs,
                json!({ "name": "P", "discipline": "alchemy", "degree_level": "phd" }),
                vec!["invalid_choice", "unknown_discipline"],
            ),
        ];
        for (path, body, expected) in cases {
            let problem = expect_status(app.post(&office, path, &body).await, 422).await;
            let got = codes(&problem);
            for code in &expected {
                assert!(
                    got.iter().any(|g| g == code),
                    "{path}: expected {code} in {got:?}"
                );
            }
            assert_eq!(
                got.len(),
                expected.len(),
                "{path}: every problem once, got {got:?}"
            );
            assert_eq!(problem["status"], 422);
            assert!(
                problem["type"]
                    .as_str()
                    .unwrap()
                    .starts_with("/api/problems/")
            );
        }
        // Not JSON: 400. Too large: 413.
        let res = app
            .client
            .post(app.url("/api/v1/sites"))
            .bearer_auth(&office.token)
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap();
        assert_eq!(
            expect_status(res, 400).await["errors"][0]["code"],
            "invalid_json"
        );
        let res = app
            .client
            .post(app.url("/api/v1/sites"))
            .bearer_auth(&office.token)
            .body("name=x")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let big = json!({ "name": "x".repeat(1_100_000) });
        let res = app.post(&office, "/api/v1/sites", &big).await;
        assert_eq!(res.status(), 413);
        // A duplicate email is a conflict.
        let dup = json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": "A", "last_name": "B",
                      "email": f.student["email"] });
        let body = expect_status(app.post(&office, "/api/v1/students", &dup).await, 409).await;
        assert_eq!(codes(&body), ["conflict"]);
        // A student's school cannot change.
        let res = app
            .patch(
                &office,
                &format!("/api/v1/students/{}", id(&f.student)),
                &json!({ "school_id": f.other_school["id"] }),
            )
            .await;
        assert!(codes(&expect_status(res, 422).await).contains(&"read_only".to_string()));
    }
);

db_test!(
    users_are_created_by_admins_with_their_links,
    |app| async move {
        let admin = app.admin().await;
        let f = fixture(&app, &admin).await;
        let body = expect_status(
        app.post(&admin, "/api/v1/users", &json!({ "email": "sc@north.edu", "name": "S C", "role": "school_coordinator", "password": "short" }))
            .await,
        422,
    )
    .await;
        let got = codes(&body);
        assert!(
            got.contains(&"weak_password".to_string())
                && got.contains(&"link_required".to_string()),
            "{got:?}"
        );
        let body = expect_status(
        app.post(&admin, "/api/v1/users", &json!({ "email": "x@y.org", "name": "X", "role": "superuser", "student_id": f.student["id"] })).await,
        422,
    )
    .await;
        assert!(codes(&body).contains(&"invalid_choice".to_string()));
        let user = app
        .create(
            &admin,
            "/api/v1/users",
            &json!({ "email": "sc@north.edu", "name": "S C", "role": "school_coordinator", "password": "a-long-password",
                     "school_id": f.school["id"] }),
        )
        .await;
        assert!(user.get("password").is_none() && user.get("password_hash").is_none());
        let res = app
            .post(
                &admin,
                "/api/v1/users",
                &json!({ "email": "SC@north.edu", "name": "Again", "role": "coordinator" }),
            )
            .await;
        assert_eq!(res.status(), 409);
        let sc = app.login("sc@north.edu", "a-long-password").await;
        let me = app.get_ok(&sc, "/api/v1/me").await;
        assert_eq!(me["school_id"], f.school["id"]);
    }
);

db_test!(lists_paginate_with_a_cursor_and_filter, |app| async move {
    let office = app.coordinator().await;
    for i in 0..7 {
        app.create(
            &office,
            "/api/v1/schools",
            &json!({ "name": format!("College {i:02}"), "city": "Boston", "state": "MA" }),
        )
        .await;
    }
    let mut seen = vec![];
    let mut path = "/api/v1/schools?limit=3".to_string();
    loop {
        let page = app.get_ok(&office, &path).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(
            items
                .iter()
                .map(|s| s["name"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/schools?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    seen.dedup();
    assert_eq!(seen.len(), 7, "no school twice");
    let found = app.get_ok(&office, "/api/v1/schools?q=college%2003").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    for bad in ["0", "501", "ten"] {
        let body = expect_status(
            app.get(&office, &format!("/api/v1/schools?limit={bad}"))
                .await,
            422,
        )
        .await;
        assert_eq!(codes(&body), ["invalid_limit"]);
    }
    let f = fixture(&app, &office).await;
    let by_program = app
        .get_ok(
            &office,
            &format!("/api/v1/students?program_id={}", id(&f.program)),
        )
        .await;
    assert_eq!(by_program["items"].as_array().unwrap().len(), 1);
    let withdrawn = app
        .get_ok(&office, "/api/v1/students?status=withdrawn")
        .await;
    assert_eq!(withdrawn["items"].as_array().unwrap().len(), 0);
    let by_site = app
        .get_ok(
            &office,
            &format!(
                "/api/v1/departments?site_id={}&discipline=radiography",
                id(&f.site)
            ),
        )
        .await;
    assert_eq!(by_site["items"].as_array().unwrap().len(), 1);
    let options = app
        .get_ok(&office, "/api/v1/placement-options?discipline=radiography")
        .await;
    assert_eq!(options[0]["departments"][0]["id"], f.department["id"]);
    assert!(
        options[0]["departments"][0].get("capacity").is_none(),
        "no capacities for schools"
    );
});

db_test!(
    agreements_expiring_and_their_signed_document,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let path = format!("/api/v1/schools/{}/agreements", id(&f.school));
        // Today is 2027-01-04 in tests.
        let soon = app.create(&office, &path, &json!({ "status": "active", "effective_on": "2025-01-01", "expires_on": "2027-02-15" })).await;
        app.create(&office, &path, &json!({ "status": "active", "effective_on": "2025-01-01", "expires_on": "2029-02-15" })).await;
        app.create(&office, &path, &json!({ "status": "draft", "effective_on": "2027-02-16", "expires_on": "2029-02-15", "disciplines": ["radiography"] })).await;
        let expiring = app
            .get_ok(&office, "/api/v1/agreements?expiring_within_days=90")
            .await;
        let ids: Vec<&str> = expiring["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [id(&soon)]);
        let drafts = app.get_ok(&office, "/api/v1/agreements?status=draft").await;
        assert_eq!(drafts["items"][0]["disciplines"], json!(["radiography"]));

        let doc = format!("/api/v1/agreements/{}/document", id(&soon));
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"GIF89a...".to_vec()).file_name("a.pdf"),
        );
        let res = app
            .client
            .post(app.url(&doc))
            .bearer_auth(&office.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            codes(&expect_status(res, 422).await),
            ["file_type_not_allowed"]
        );
        let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("signed.pdf"),
        );
        let res = app
            .client
            .post(app.url(&doc))
            .bearer_auth(&office.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(expect_status(res, 200).await["document_name"], "signed.pdf");
        let school = app
            .user("school_coordinator", json!({ "school_id": f.school["id"] }))
            .await;
        let res = app.get(&school, &doc).await;
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
        let other = app
            .user(
                "school_coordinator",
                json!({ "school_id": f.other_school["id"] }),
            )
            .await;
        expect_problem(app.get(&other, &doc).await, 404, &["not_found"]).await;
        let res = app
            .client
            .post(app.url(&doc))
            .bearer_auth(&school.token)
            .send()
            .await
            .unwrap();
        expect_problem(res, 403, &["forbidden"]).await;
    }
);

db_test!(
    every_write_is_audited_with_before_and_after,
    |app| async move {
        let office = app.coordinator().await;
        let site = app
            .create(&office, "/api/v1/sites", &json!({ "name": "Old name" }))
            .await;
        let path = format!("/api/v1/sites/{}", id(&site));
        let updated = expect_status(
            app.patch(&office, &path, &json!({ "name": "New name" }))
                .await,
            200,
        )
        .await;
        assert_eq!(updated["name"], "New name");
        let trail = app
            .get_ok(
                &office,
                &format!("/api/v1/audit?record_type=site&record_id={}", id(&site)),
            )
            .await;
        let events = trail["items"].as_array().unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0]["action"], "create");
        assert_eq!(events[1]["before"]["name"], "Old name");
        assert_eq!(events[1]["after"]["name"], "New name");
        assert_eq!(events[1]["actor_id"], office.user["id"]);
        assert_eq!(events[1]["ip"], "127.0.0.1");
        let student = app
            .user(
                "student",
                json!({ "student_id": fixture(&app, &office).await.student["id"] }),
            )
            .await;
        expect_problem(
            app.get(&student, "/api/v1/audit").await,
            403,
            &["forbidden"],
        )
        .await;
    }
);
