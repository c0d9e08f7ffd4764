//! Students: the office and the student's school write; the student reads themself; the people
//! they are placed with read them.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

fn new_student(f: &Fixture, email: &str) -> Value {
    json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": "Lee", "last_name": "Park",
            "email": email })
}

db_test!(
    the_office_creates_reads_and_changes_students,
    |app| async move {
        let c = cast(&app).await;
        for (role, who) in c.office_roles() {
            let s = app
                .create(
                    who,
                    "/api/v1/students",
                    &new_student(&c.f, &format!("  Lee.Park.{role}@North.EDU ")),
                )
                .await;
            assert_eq!(
                s["email"],
                format!("lee.park.{role}@north.edu"),
                "normalised"
            );
            assert_eq!(s["enrollment_status"], "enrolled", "the default");
            assert!(s["expected_graduation"].is_null());
            let path = format!("/api/v1/students/{}", id(&s));
            assert_eq!(app.get_ok(who, &path).await, s);
            let changed = expect_status(
            app.patch(
                who,
                &path,
                &json!({ "enrollment_status": "leave", "expected_graduation": "2028-05-15", "last_name": "Park-Kim" }),
            )
            .await,
            200,
        )
        .await;
            assert_eq!(changed["enrollment_status"], "leave");
            assert_eq!(changed["expected_graduation"], "2028-05-15");
            assert_eq!(changed["last_name"], "Park-Kim");
            assert_eq!(changed["first_name"], "Lee");
            assert_eq!(app.get_ok(who, &path).await, changed);
            // Naming the same school again is no change.
            expect_status(
                app.patch(who, &path, &json!({ "school_id": c.f.school["id"] }))
                    .await,
                200,
            )
            .await;
        }
    }
);

db_test!(a_school_runs_only_its_own_students, |app| async move {
    let c = cast(&app).await;
    let south_program = app
        .create(
            &c.office,
            &format!("/api/v1/schools/{}/programs", id(&c.f.other_school)),
            &json!({ "name": "BS Radiography", "discipline": "radiography", "degree_level": "baccalaureate" }),
        )
        .await;
    let theirs = app
        .create(
            &c.office,
            "/api/v1/students",
            &json!({ "school_id": c.f.other_school["id"], "program_id": south_program["id"], "first_name": "Bo",
                     "last_name": "Chen", "email": "bo@south.edu" }),
        )
        .await;
    // Without a school_id, the coordinator's own school.
    let mine = app
        .create(
            &c.school,
            "/api/v1/students",
            &json!({ "program_id": c.f.program["id"], "first_name": "Cy", "last_name": "Ng", "email": "cy@north.edu" }),
        )
        .await;
    assert_eq!(mine["school_id"], c.f.school["id"]);
    let mine_path = format!("/api/v1/students/{}", id(&mine));
    let theirs_path = format!("/api/v1/students/{}", id(&theirs));
    expect_status(
        app.patch(
            &c.school,
            &mine_path,
            &json!({ "enrollment_status": "graduated" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        ids(&app.get_ok(&c.school, "/api/v1/students").await),
        [id(&c.f.student), id(&mine)]
    );
    let filtered = app
        .get_ok(
            &c.school,
            &format!("/api/v1/students?school_id={}", id(&c.f.other_school)),
        )
        .await;
    assert!(
        items(&filtered).is_empty(),
        "a filter cannot widen the scope"
    );
    expect_problem(app.get(&c.school, &theirs_path).await, 404, &["not_found"]).await;
    expect_problem(
        app.patch(&c.school, &theirs_path, &json!({ "first_name": "X" }))
            .await,
        404,
        &["not_found"],
    )
    .await;
    // Not for another school, nor into another school's program.
    expect_problem(
        app.post(
            &c.school,
            "/api/v1/students",
            &json!({ "school_id": c.f.other_school["id"], "program_id": south_program["id"], "first_name": "X",
                     "last_name": "Y", "email": "xy@south.edu" }),
        )
        .await,
        422,
        &["unknown_school"],
    )
    .await;
    expect_problem(
        app.post(
            &c.school,
            "/api/v1/students",
            &json!({ "program_id": south_program["id"], "first_name": "X", "last_name": "Y", "email": "xy@south.edu" }),
        )
        .await,
        422,
        &["program_not_at_school"],
    )
    .await;
    expect_problem(
        app.patch(
            &c.school,
            &mine_path,
            &json!({ "program_id": south_program["id"] }),
        )
        .await,
        422,
        &["program_not_at_school"],
    )
    .await;
    assert_eq!(app.get_ok(&c.office, &theirs_path).await, theirs);
    assert_eq!(
        items(&app.get_ok(&c.office, "/api/v1/students").await).len(),
        3
    );
});

db_test!(a_student_reads_only_themself, |app| async move {
    let c = cast(&app).await;
    let classmate = app
        .create(
            &c.office,
            "/api/v1/students",
            &new_student(&c.f, "classmate@north.edu"),
        )
        .await;
    let own = format!("/api/v1/students/{}", id(&c.f.student));
    assert_eq!(app.get_ok(&c.student, &own).await, c.f.student);
    expect_problem(
        app.get(&c.student, &format!("/api/v1/students/{}", id(&classmate)))
            .await,
        404,
        &["not_found"],
    )
    .await;
    assert_eq!(
        ids(&app.get_ok(&c.student, "/api/v1/students").await),
        [id(&c.f.student)]
    );
    assert_eq!(
        ids(&app
            .get_ok(
                &c.student,
                &format!("/api/v1/students?school_id={}", id(&c.f.school))
            )
            .await),
        [id(&c.f.student)]
    );
    // Not even their own record may they change.
    for res in [
        app.patch(
            &c.student,
            &own,
            &json!({ "enrollment_status": "graduated" }),
        )
        .await,
        app.post(
            &c.student,
            "/api/v1/students",
            &new_student(&c.f, "me2@north.edu"),
        )
        .await,
    ] {
        expect_problem(res, 403, &["forbidden"]).await;
    }
    assert_eq!(app.get_ok(&c.office, &own).await, c.f.student);
});

db_test!(
    placed_with_roles_read_only_the_students_placed_with_them,
    |app| async move {
        let c = cast(&app).await;
        let own = format!("/api/v1/students/{}", id(&c.f.student));
        // Nobody is placed yet: they see no one.
        for who in [&c.preceptor, &c.manager, &c.faculty] {
            assert!(items(&app.get_ok(who, "/api/v1/students").await).is_empty());
            expect_problem(app.get(who, &own).await, 404, &["not_found"]).await;
        }
        app.create(
        &c.office,
        &format!("/api/v1/schools/{}/agreements", id(&c.f.school)),
        &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
    )
    .await;
        let request = app
        .create(
            &c.office,
            "/api/v1/placement-requests",
            &json!({ "kind": "clinical", "school_id": c.f.school["id"], "program_id": c.f.program["id"],
                     "starts_on": "2027-02-01", "ends_on": "2027-03-31", "hours_per_week": 32,
                     "student_ids": [c.f.student["id"]] }),
        )
        .await;
        expect_status(
        app.post(
            &c.office,
            &format!("/api/v1/placement-requests/{}/decision", id(&request)),
            &json!({ "decision": "approve", "placements": [{ "student_id": c.f.student["id"],
                     "department_id": c.f.department["id"], "preceptor_id": c.preceptor_staff["id"] }] }),
        )
        .await,
        200,
    )
    .await;
        let classmate = app
            .create(
                &c.office,
                "/api/v1/students",
                &new_student(&c.f, "classmate@north.edu"),
            )
            .await;
        for who in [&c.preceptor, &c.manager] {
            assert_eq!(app.get_ok(who, &own).await, c.f.student);
            assert_eq!(
                ids(&app.get_ok(who, "/api/v1/students").await),
                [id(&c.f.student)]
            );
            expect_problem(
                app.get(who, &format!("/api/v1/students/{}", id(&classmate)))
                    .await,
                404,
                &["not_found"],
            )
            .await;
            expect_problem(
                app.patch(who, &own, &json!({ "first_name": "X" })).await,
                403,
                &["forbidden"],
            )
            .await;
        }
        // A clinical has no faculty supervisor: the faculty member still sees no one.
        expect_problem(app.get(&c.faculty, &own).await, 404, &["not_found"]).await;
        assert!(items(&app.get_ok(&c.faculty, "/api/v1/students").await).is_empty());
        // Another department's manager and another preceptor see nothing.
        let other_dept = app
        .create(
            &c.office,
            "/api/v1/departments",
            &json!({ "site_id": c.f.site["id"], "name": "Pharmacy", "setting": "pharmacy", "capacity": 2, "disciplines": ["pharmacy"] }),
        )
        .await;
        let other_staff = app
        .create(
            &c.office,
            "/api/v1/staff",
            &json!({ "name": "Other", "email": "other@h.test", "department_id": other_dept["id"],
                     "discipline": "radiography", "is_preceptor": true, "max_students": 1 }),
        )
        .await;
        for role in ["department_manager", "preceptor"] {
            let who = app
                .user(role, json!({ "staff_id": other_staff["id"] }))
                .await;
            expect_problem(app.get(&who, &own).await, 404, &["not_found"]).await;
            assert!(items(&app.get_ok(&who, "/api/v1/students").await).is_empty());
        }
    }
);

db_test!(
    unknown_and_malformed_student_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/students/{NO_SUCH_ID}"),
            "/api/v1/students/ana-lopez".to_string(),
            format!(
                "/api/v1/students/{}",
                NO_SUCH_ID.to_uppercase().replace('-', "")
            ),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "first_name": "X" }))
                    .await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(
    bad_student_input_is_refused_with_its_code,
    |app| async move {
        let c = cast(&app).await;
        let f = &c.f;
        let base = |extra: Value| {
            let mut b = new_student(f, "lee@north.edu");
            for (k, v) in extra.as_object().unwrap() {
                b[k] = v.clone();
            }
            b
        };
        let cases = [
            (
                json!({}),
                vec!["required", "required", "required", "required", "required"],
            ),
            (
                base(json!({ "email": "not-an-email" })),
                vec!["invalid_email"],
            ),
            (base(json!({ "email": "a@b" })), vec!["invalid_email"]),
            (base(json!({ "email": 42 })), vec!["invalid_email"]),
            (
                base(json!({ "expected_graduation": "2027-13-40" })),
                vec!["invalid_date"],
            ),
            (
                base(json!({ "enrollment_status": "dropped" })),
                vec!["invalid_choice"],
            ),
            (base(json!({ "school_id": "north" })), vec!["invalid_id"]),
            (base(json!({ "program_id": 12 })), vec!["invalid_id"]),
            (
                base(json!({ "school_id": NO_SUCH_ID })),
                vec!["unknown_school"],
            ),
            (
                base(json!({ "program_id": NO_SUCH_ID })),
                vec!["unknown_program"],
            ),
            (
                base(json!({ "school_id": f.other_school["id"] })),
                vec!["program_not_at_school"],
            ),
            (base(json!({ "gpa": 3.9 })), vec!["unknown_field"]),
            (
                base(
                    json!({ "email": "nope", "enrollment_status": "dropped", "expected_graduation": "soon",
                         "first_name": "", "program_id": NO_SUCH_ID, "gpa": 4 }),
                ),
                vec![
                    "invalid_email",
                    "invalid_choice",
                    "invalid_date",
                    "required",
                    "unknown_program",
                    "unknown_field",
                ],
            ),
        ];
        for (body, expected) in cases {
            expect_problem(
                app.post(&c.office, "/api/v1/students", &body).await,
                422,
                &expected,
            )
            .await;
        }
        // A school coordinator need not name the school.
        expect_problem(
            app.post(&c.school, "/api/v1/students", &json!({})).await,
            422,
            &["required", "required", "required", "required"],
        )
        .await;
        let path = format!("/api/v1/students/{}", id(&f.student));
        expect_problem(
        app.patch(
            &c.office,
            &path,
            &json!({ "school_id": f.other_school["id"], "email": "bad", "enrollment_status": null }),
        )
        .await,
        422,
        &["read_only", "invalid_email", "required", "program_not_at_school"],
    )
    .await;
        assert_eq!(app.get_ok(&c.office, &path).await, f.student);
        assert_eq!(
            items(&app.get_ok(&c.office, "/api/v1/students").await).len(),
            1
        );
    }
);

db_test!(student_emails_are_unique, |app| async move {
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    let taken = f.student["email"].as_str().unwrap().to_uppercase();
    let body = expect_problem(
        app.post(&office, "/api/v1/students", &new_student(&f, &taken))
            .await,
        409,
        &["conflict"],
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
    let other = app
        .create(
            &office,
            "/api/v1/students",
            &new_student(&f, "lee@north.edu"),
        )
        .await;
    expect_problem(
        app.patch(
            &office,
            &format!("/api/v1/students/{}", id(&other)),
            &json!({ "email": f.student["email"] }),
        )
        .await,
        409,
        &["conflict"],
    )
    .await;
});

db_test!(
    students_filter_by_school_program_status_and_name,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let rt = app
        .create(
            &office,
            &format!("/api/v1/schools/{}/programs", id(&f.school)),
            &json!({ "name": "RT", "discipline": "respiratory_therapy", "degree_level": "associate" }),
        )
        .await;
        let south_program = app
            .create(
                &office,
                &format!("/api/v1/schools/{}/programs", id(&f.other_school)),
                &json!({ "name": "RAD", "discipline": "radiography", "degree_level": "associate" }),
            )
            .await;
        let kim = app
        .create(
            &office,
            "/api/v1/students",
            &json!({ "school_id": f.school["id"], "program_id": rt["id"], "first_name": "Jo", "last_name": "Kim",
                     "email": "jo.kim@north.edu", "enrollment_status": "withdrawn" }),
        )
        .await;
        let south = app
        .create(
            &office,
            "/api/v1/students",
            &json!({ "school_id": f.other_school["id"], "program_id": south_program["id"], "first_name": "Ana",
                     "last_name": "Silva", "email": "asilva@south.edu" }),
        )
        .await;
        let q = |query: &str| format!("/api/v1/students?{query}");
        let cases: Vec<(String, Vec<String>)> = vec![
            (q(""), vec![id(&f.student), id(&kim), id(&south)]),
            (
                q(&format!("school_id={}", id(&f.school))),
                vec![id(&f.student), id(&kim)],
            ),
            (q(&format!("program_id={}", id(&rt))), vec![id(&kim)]),
            (q("status=withdrawn"), vec![id(&kim)]),
            (q("status=enrolled"), vec![id(&f.student), id(&south)]),
            (q("status=graduated"), vec![]),
            (q("q=ana"), vec![id(&f.student), id(&south)]),
            (q("q=KIM"), vec![id(&kim)]),
            (q("q=south.edu"), vec![id(&south)]),
            (q("q=ana%20lopez"), vec![id(&f.student)]),
            (
                q(&format!(
                    "school_id={}&status=enrolled&q=ana",
                    id(&f.school)
                )),
                vec![id(&f.student)],
            ),
        ];
        for (path, expected) in cases {
            assert_eq!(ids(&app.get_ok(&office, &path).await), expected, "{path}");
        }
        for (query, code) in [
            ("status=dropped", "invalid_choice"),
            ("school_id=north", "invalid_id"),
            ("program_id=rad", "invalid_id"),
        ] {
            expect_problem(app.get(&office, &q(query)).await, 422, &[code]).await;
        }
    }
);
