//! Hospital staff (preceptors, site mentors, managers): the office's alone.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

fn preceptor(f: &Fixture, email: &str) -> Value {
    json!({ "name": "Rita Ray", "email": email, "department_id": f.department["id"], "discipline": "radiography",
            "credential": "RT(R)", "license_number": "MA-123", "license_expires_on": "2028-06-30",
            "is_preceptor": true, "max_students": 2 })
}

db_test!(
    the_office_creates_reads_and_changes_staff,
    |app| async move {
        let c = cast(&app).await;
        for (role, who) in c.office_roles() {
            let s = app
                .create(
                    who,
                    "/api/v1/staff",
                    &preceptor(&c.f, &format!("Rita.{role}@H.test")),
                )
                .await;
            assert_eq!(s["email"], format!("rita.{role}@h.test"));
            assert_eq!(s["is_preceptor"], true);
            assert_eq!(s["max_students"], 2);
            assert_eq!(s["leave"], json!([]));
            let path = format!("/api/v1/staff/{}", id(&s));
            assert_eq!(app.get_ok(who, &path).await, s);
            let changed = expect_status(
                app.patch(
                    who,
                    &path,
                    &json!({ "max_students": 3, "leave": [
                    { "starts_on": "2027-03-01", "ends_on": "2027-03-14" },
                    { "starts_on": "2027-07-01", "ends_on": "2027-07-01" } ] }),
                )
                .await,
                200,
            )
            .await;
            assert_eq!(changed["max_students"], 3);
            assert_eq!(changed["leave"][1]["ends_on"], "2027-07-01");
            assert_eq!(changed["credential"], "RT(R)");
            assert_eq!(app.get_ok(who, &path).await, changed);
            // Clearing optional fields and the leave list.
            let cleared = expect_status(
            app.patch(
                who,
                &path,
                &json!({ "is_preceptor": false, "discipline": null, "license_number": "", "leave": [] }),
            )
            .await,
            200,
        )
        .await;
            assert!(cleared["discipline"].is_null() && cleared["license_number"].is_null());
            assert_eq!(cleared["leave"], json!([]));
        }
        // Not a preceptor: no discipline and no students needed.
        let mentor = app
        .create(
            &c.office,
            "/api/v1/staff",
            &json!({ "name": "Sam Mentor", "email": "sam@h.test", "department_id": c.f.department["id"] }),
        )
        .await;
        assert_eq!(mentor["is_preceptor"], false);
        assert_eq!(mentor["max_students"], 0);
    }
);

db_test!(no_one_outside_the_office_touches_staff, |app| async move {
    let c = cast(&app).await;
    // Not even their own staff record.
    let path = format!("/api/v1/staff/{}", id(&c.preceptor_staff));
    for (role, who) in c.outsiders() {
        for res in [
            app.get(who, "/api/v1/staff").await,
            app.get(who, &path).await,
            app.post(who, "/api/v1/staff", &preceptor(&c.f, "x@h.test"))
                .await,
            app.patch(who, &path, &json!({ "max_students": 9 })).await,
        ] {
            let body = expect_status(res, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
    assert_eq!(app.get_ok(&c.office, &path).await, c.preceptor_staff);
});

db_test!(
    unknown_and_malformed_staff_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/staff/{NO_SUCH_ID}"),
            "/api/v1/staff/rita".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "name": "X" })).await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(bad_staff_input_is_refused_with_its_code, |app| async move {
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    let base = |extra: Value| {
        let mut b = preceptor(&f, "rita@h.test");
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (json!({}), vec!["required", "required", "required"]),
        (base(json!({ "email": "rita at h" })), vec!["invalid_email"]),
        (
            base(json!({ "department_id": "radiology" })),
            vec!["invalid_id"],
        ),
        (
            base(json!({ "department_id": NO_SUCH_ID })),
            vec!["unknown_department"],
        ),
        (
            base(json!({ "discipline": "astrology" })),
            vec!["unknown_discipline"],
        ),
        (
            base(json!({ "discipline": null })),
            vec!["discipline_required"],
        ),
        (base(json!({ "max_students": 0 })), vec!["must_be_positive"]),
        (
            base(json!({ "max_students": -2 })),
            vec!["must_be_positive"],
        ),
        (
            base(json!({ "max_students": "two" })),
            vec!["invalid_number"],
        ),
        (
            base(json!({ "is_preceptor": "maybe" })),
            vec!["invalid_boolean"],
        ),
        (
            base(json!({ "license_expires_on": "30/06/2028" })),
            vec!["invalid_date"],
        ),
        (
            base(json!({ "leave": [{ "starts_on": "2027-02-10", "ends_on": "2027-02-01" }] })),
            vec!["invalid_period"],
        ),
        (
            base(json!({ "leave": [{ "starts_on": "2027-02-10" }] })),
            vec!["invalid_type"],
        ),
        (
            base(json!({ "leave": [{ "starts_on": "2027-02-10", "ends_on": "later" }] })),
            vec!["invalid_date"],
        ),
        (base(json!({ "leave": "march" })), vec!["invalid_type"]),
        (
            base(
                json!({ "leave": [{ "starts_on": "2027-03-01", "ends_on": "2027-03-05" },
                                   { "starts_on": "2027-03-01", "ends_on": "2027-03-10" }] }),
            ),
            vec!["invalid_period"],
        ),
        (
            base(
                json!({ "leave": [{ "starts_on": "2027-04-01", "ends_on": "2027-04-30" },
                                   { "starts_on": "2027-03-01", "ends_on": "2027-04-01" }] }),
            ),
            vec!["invalid_period"],
        ),
        (base(json!({ "pager": "555" })), vec!["unknown_field"]),
        (
            json!({ "name": "P", "email": "p@h.test", "department_id": NO_SUCH_ID, "is_preceptor": true,
                    "max_students": 0, "leave": [{ "starts_on": "2027-02-10", "ends_on": "2027-02-01" }] }),
            vec![
                "invalid_period",
                "unknown_department",
                "discipline_required",
                "must_be_positive",
            ],
        ),
    ];
    for (body, expected) in cases {
        expect_problem(
            app.post(&office, "/api/v1/staff", &body).await,
            422,
            &expected,
        )
        .await;
    }
    // Making a plain staff member a preceptor needs the preceptor's fields.
    let mentor = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Sam", "email": "sam@h.test", "department_id": f.department["id"] }),
        )
        .await;
    let path = format!("/api/v1/staff/{}", id(&mentor));
    expect_problem(
        app.patch(&office, &path, &json!({ "is_preceptor": true }))
            .await,
        422,
        &["discipline_required", "must_be_positive"],
    )
    .await;
    assert_eq!(app.get_ok(&office, &path).await, mentor);
    assert_eq!(items(&app.get_ok(&office, "/api/v1/staff").await).len(), 1);
});

db_test!(staff_emails_are_unique, |app| async move {
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    app.create(&office, "/api/v1/staff", &preceptor(&f, "rita@h.test"))
        .await;
    let body = expect_problem(
        app.post(&office, "/api/v1/staff", &preceptor(&f, "RITA@h.test"))
            .await,
        409,
        &["conflict"],
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
    let other = app
        .create(&office, "/api/v1/staff", &preceptor(&f, "ron@h.test"))
        .await;
    expect_problem(
        app.patch(
            &office,
            &format!("/api/v1/staff/{}", id(&other)),
            &json!({ "email": "rita@h.test" }),
        )
        .await,
        409,
        &["conflict"],
    )
    .await;
});

db_test!(
    staff_filter_by_department_discipline_role_and_name,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let icu = app
        .create(
            &office,
            "/api/v1/departments",
            &json!({ "site_id": f.site["id"], "name": "ICU", "setting": "critical_care", "capacity": 2, "disciplines": ["respiratory_therapy"] }),
        )
        .await;
        let rita = app
            .create(&office, "/api/v1/staff", &preceptor(&f, "rita@h.test"))
            .await;
        let rex = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Rex Lung", "email": "rex@h.test", "department_id": icu["id"],
                     "discipline": "respiratory_therapy", "is_preceptor": true, "max_students": 1 }),
        )
        .await;
        let sam = app
            .create(
                &office,
                "/api/v1/staff",
                &json!({ "name": "Sam Mentor", "email": "sam@h.test", "department_id": icu["id"] }),
            )
            .await;
        let q = |query: &str| format!("/api/v1/staff?{query}");
        let cases: Vec<(String, Vec<String>)> = vec![
            (q(""), vec![id(&rita), id(&rex), id(&sam)]),
            (
                q(&format!("department_id={}", id(&icu))),
                vec![id(&rex), id(&sam)],
            ),
            (q("discipline=radiography"), vec![id(&rita)]),
            (q("is_preceptor=true"), vec![id(&rita), id(&rex)]),
            (q("is_preceptor=false"), vec![id(&sam)]),
            (q("q=sam"), vec![id(&sam)]),
            (q("q=H.TEST"), vec![id(&rita), id(&rex), id(&sam)]),
            (
                q(&format!("department_id={}&is_preceptor=1", id(&icu))),
                vec![id(&rex)],
            ),
        ];
        for (path, expected) in cases {
            assert_eq!(ids(&app.get_ok(&office, &path).await), expected, "{path}");
        }
        for (query, code) in [
            ("is_preceptor=maybe", "invalid_boolean"),
            ("department_id=icu", "invalid_id"),
        ] {
            expect_problem(app.get(&office, &q(query)).await, 422, &[code]).await;
        }
    }
);
