//! The front door end to end: submit, eligibility, decide, place under capacity (also when two
//! coordinators approve at once), move through the lifecycle, invite faculty, route inquiries,
//! report.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

/// A school with an active agreement, a radiography program, enrolled students, a
/// department of `capacity` seats and one preceptor taking `max` students.
struct World {
    office: Caller,
    school: Caller,
    f: Fixture,
    preceptor: Value,
    students: Vec<Value>,
}

async fn world(app: &TestApp, capacity: i64, max: i64) -> World {
    let office = app.coordinator().await;
    let f = fixture(app, &office).await;
    let department = expect_status(
        app.patch(
            &office,
            &format!("/api/v1/departments/{}", id(&f.department)),
            &json!({ "capacity": capacity }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(department["capacity"], capacity, "{department}");
    app.create(
        &office,
        &format!("/api/v1/schools/{}/agreements", id(&f.school)),
        &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
    )
    .await;
    let preceptor = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Pat Preceptor", "email": format!("pat-{}@h.test", uuid::Uuid::now_v7().simple()),
                     "department_id": f.department["id"], "discipline": "radiography", "is_preceptor": true,
                     "max_students": max, "license_expires_on": "2029-01-01" }),
        )
        .await;
    let mut students = vec![f.student.clone()];
    for i in 0..3 {
        students.push(
            app.create(
                &office,
                "/api/v1/students",
                &json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": format!("S{i}"),
                         "last_name": "Test", "email": format!("s{i}-{}@north.edu", uuid::Uuid::now_v7().simple()) }),
            )
            .await,
        );
    }
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    World {
        office,
        school,
        f,
        preceptor,
        students,
    }
}

fn request(w: &World, students: &[&Value]) -> Value {
    json!({ "kind": "clinical", "program_id": w.f.program["id"], "starts_on": "2027-02-01", "ends_on": "2027-03-31",
            "hours_per_week": 32, "student_ids": students.iter().map(|s| s["id"].clone()).collect::<Vec<_>>(),
            "preferences": [{ "site_id": w.f.site["id"], "department_id": w.f.department["id"] }] })
}

fn approve(w: &World, students: &[&Value]) -> Value {
    json!({ "decision": "approve", "placements": students.iter().map(|s| json!({
        "student_id": s["id"], "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] })).collect::<Vec<_>>() })
}

db_test!(a_school_submits_and_the_office_approves, |app| async move {
    let w = world(&app, 4, 2).await;
    let r = app
        .create(
            &w.school,
            "/api/v1/placement-requests",
            &request(&w, &[&w.students[0]]),
        )
        .await;
    assert_eq!(r["status"], "submitted");
    assert_eq!(
        r["school_id"], w.f.school["id"],
        "the school is the coordinator's own"
    );
    let seen = app
        .get_ok(&w.office, &format!("/api/v1/placement-requests/{}", id(&r)))
        .await;
    assert_eq!(seen["eligibility"], json!([]));
    let preceptor_user = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    expect_problem(
        app.post(
            &preceptor_user,
            "/api/v1/placement-requests",
            &request(&w, &[]),
        )
        .await,
        403,
        &["forbidden"],
    )
    .await;
    expect_problem(
        app.post(
            &w.school,
            &format!("/api/v1/placement-requests/{}/decision", id(&r)),
            &approve(&w, &[&w.students[0]]),
        )
        .await,
        403,
        &["forbidden"],
    )
    .await;
    let decided = expect_status(
        app.post(
            &w.office,
            &format!("/api/v1/placement-requests/{}/decision", id(&r)),
            &approve(&w, &[&w.students[0]]),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(decided["status"], "approved");
    let p = &decided["placements"][0];
    assert_eq!(p["status"], "proposed");
    assert_eq!(p["clearance"]["status"], "pending", "nothing verified yet");
    assert!(
        p["clearance"]["missing"]
            .as_array()
            .unwrap()
            .contains(&json!("tuberculosis"))
    );
    let again = app
        .post(
            &w.office,
            &format!("/api/v1/placement-requests/{}/decision", id(&r)),
            &json!({ "decision": "decline", "reason": "x" }),
        )
        .await;
    assert_eq!(
        codes(&expect_status(again, 409).await),
        ["invalid_transition"]
    );

    // The lifecycle.
    let t = |to: &str| json!({ "to": to });
    let path = format!(
        "/api/v1/placements/{}/transition",
        p["id"].as_str().unwrap()
    );
    assert_eq!(
        codes(&expect_status(app.post(&w.office, &path, &t("completed")).await, 409).await),
        ["invalid_transition"]
    );
    expect_problem(
        app.post(&preceptor_user, &path, &t("confirmed")).await,
        403,
        &["forbidden"],
    )
    .await;
    let confirmed = expect_status(app.post(&w.school, &path, &t("confirmed")).await, 200).await;
    assert_eq!(confirmed["status"], "onboarding");
    assert_eq!(
        codes(&expect_status(app.post(&w.office, &path, &t("active")).await, 409).await),
        ["not_cleared"]
    );
    expect_problem(
        app.post(&w.school, &path, &t("active")).await,
        403,
        &["forbidden"],
    )
    .await;
    assert_eq!(
        codes(&expect_status(app.post(&w.office, &path, &t("cancelled")).await, 422).await),
        ["reason_required"]
    );
    let cancelled = expect_status(
        app.post(
            &w.office,
            &path,
            &json!({ "to": "cancelled", "reason": "student withdrew" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    // Every step is in the record's history.
    let trail = app
        .get_ok(
            &w.office,
            &format!(
                "/api/v1/audit?record_type=placement&record_id={}",
                p["id"].as_str().unwrap()
            ),
        )
        .await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["create", "transition:confirmed", "transition:cancelled"]
    );
});

db_test!(eligibility_failures_come_all_at_once, |app| async move {
    let w = world(&app, 4, 2).await;
    let withdrawn = app
        .create(
            &w.office,
            "/api/v1/students",
            &json!({ "school_id": w.f.school["id"], "program_id": w.f.program["id"], "first_name": "W", "last_name": "D",
                     "email": "wd@north.edu", "enrollment_status": "withdrawn" }),
        )
        .await;
    let mut body = request(&w, &[&withdrawn]);
    body["kind"] = json!("internship");
    body["ends_on"] = json!("2031-01-01");
    let problem = expect_status(
        app.post(&w.school, "/api/v1/placement-requests", &body)
            .await,
        422,
    )
    .await;
    let got = codes(&problem);
    for code in [
        "agreement_does_not_cover_dates",
        "program_not_accredited",
        "student_not_enrolled",
        "course_required",
        "faculty_supervisor_required",
    ] {
        assert!(got.contains(&code.to_string()), "{code} in {got:?}");
    }
    let mut past = request(&w, &[&w.students[0]]);
    past["starts_on"] = json!("2026-12-01");
    assert_eq!(
        codes(
            &expect_status(
                app.post(&w.school, "/api/v1/placement-requests", &past)
                    .await,
                422
            )
            .await
        ),
        ["invalid_period"]
    );
    // An agreement terminated after submission shows on the next read.
    let r = app
        .create(
            &w.school,
            "/api/v1/placement-requests",
            &request(&w, &[&w.students[0]]),
        )
        .await;
    let agreements = app
        .get_ok(
            &w.office,
            &format!("/api/v1/schools/{}/agreements", id(&w.f.school)),
        )
        .await;
    let a = id(&agreements["items"][0]);
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/agreements/{a}"),
            &json!({ "status": "terminated" }),
        )
        .await,
        200,
    )
    .await;
    let live = app
        .get_ok(&w.school, &format!("/api/v1/placement-requests/{}", id(&r)))
        .await;
    assert_eq!(
        codes(&json!({ "errors": live["eligibility"] })),
        ["agreement_not_active"]
    );
    let refused = app
        .post(
            &w.office,
            &format!("/api/v1/placement-requests/{}/decision", id(&r)),
            &approve(&w, &[&w.students[0]]),
        )
        .await;
    assert!(
        codes(&expect_status(refused, 422).await).contains(&"agreement_not_active".to_string())
    );
});

db_test!(capacity_is_never_overbooked, |app| async move {
    let w = world(&app, 1, 3).await;
    let r1 = app
        .create(
            &w.school,
            "/api/v1/placement-requests",
            &request(&w, &[&w.students[0], &w.students[1]]),
        )
        .await;
    // Two students into one seat: all or nothing.
    let res = app
        .post(
            &w.office,
            &format!("/api/v1/placement-requests/{}/decision", id(&r1)),
            &approve(&w, &[&w.students[0], &w.students[1]]),
        )
        .await;
    assert_eq!(
        codes(&expect_status(res, 409).await),
        ["department_at_capacity"]
    );
    let placements = app.get_ok(&w.office, "/api/v1/placements").await;
    assert_eq!(
        placements["items"].as_array().unwrap().len(),
        0,
        "nothing was created"
    );
    // A preceptor of another discipline, and none at all.
    let other = app
        .create(
            &w.office,
            "/api/v1/staff",
            &json!({ "name": "Sono Grapher", "email": "sono@h.test", "department_id": w.f.department["id"],
                     "discipline": "sonography", "is_preceptor": true, "max_students": 1 }),
        )
        .await;
    let mut body = approve(&w, &[&w.students[0], &w.students[1]]);
    body["placements"][0]["preceptor_id"] = other["id"].clone();
    body["placements"][1]
        .as_object_mut()
        .unwrap()
        .remove("preceptor_id");
    let got = codes(
        &expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placement-requests/{}/decision", id(&r1)),
                &body,
            )
            .await,
            422,
        )
        .await,
    );
    assert!(
        got.contains(&"preceptor_discipline_mismatch".to_string())
            && got.contains(&"preceptor_required".to_string()),
        "{got:?}"
    );
});

db_test!(
    two_coordinators_approving_at_once_cannot_overbook,
    |app| async move {
        let w = world(&app, 1, 5).await;
        let second = app.coordinator().await;
        for round in 0..6 {
            // Each round: a fresh period, so the seat is free again.
            let month = 3 + round;
            let mut a = request(&w, &[&w.students[0]]);
            let mut b = request(&w, &[&w.students[1]]);
            for r in [&mut a, &mut b] {
                r["starts_on"] = json!(format!("2027-{month:02}-01"));
                r["ends_on"] = json!(format!("2027-{month:02}-20"));
            }
            let ra = app
                .create(&w.school, "/api/v1/placement-requests", &a)
                .await;
            let rb = app
                .create(&w.school, "/api/v1/placement-requests", &b)
                .await;
            let pa = format!("/api/v1/placement-requests/{}/decision", id(&ra));
            let pb = format!("/api/v1/placement-requests/{}/decision", id(&rb));
            let ba = approve(&w, &[&w.students[0]]);
            let bb = approve(&w, &[&w.students[1]]);
            let (x, y) = tokio::join!(app.post(&w.office, &pa, &ba), app.post(&second, &pb, &bb));
            let mut statuses = vec![x.status().as_u16(), y.status().as_u16()];
            statuses.sort();
            assert_eq!(
                statuses,
                [200, 409],
                "round {round}: exactly one gets the last seat"
            );
        }
    }
);

db_test!(
    internships_invite_their_faculty_supervisor,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let mut body = request(&w, &[&w.students[0]]);
        body["kind"] = json!("internship");
        body["course"] = json!({ "code": "HCA 490", "title": "Practicum in Health Administration", "credits": 3 });
        body["faculty_supervisor"] =
            json!({ "name": "Dr. Fay Culty", "email": "fay.culty@north.edu" });
        let r = app
            .create(&w.school, "/api/v1/placement-requests", &body)
            .await;
        let decision = json!({ "decision": "approve", "placements": [{ "student_id": w.students[0]["id"], "department_id": w.f.department["id"] }] });
        let decided = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placement-requests/{}/decision", id(&r)),
                &decision,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            decided["placements"][0]["faculty_supervisor"]["email"],
            "fay.culty@north.edu"
        );
        let outbox = app.state.config.outbox_dir();
        // The invitation is enqueued with the decision and sent by the mail worker.
        let mail = crate::helpers::poll(std::time::Duration::from_secs(10), || {
            let outbox = outbox.clone();
            async move {
                let mail = std::fs::read_dir(&outbox)
                    .ok()?
                    .filter_map(|e| e.ok())
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .map(|m| crate::helpers::mail_text(&m))
                    .filter(|m| m.contains("/invitations/"))
                    .collect::<Vec<_>>();
                (!mail.is_empty()).then_some(mail)
            }
        })
        .await;
        // One invitation (the decision's own notices to the student and school go too).
        assert_eq!(mail.len(), 1);
        let token = mail[0]
            .split("/invitations/")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let accept = format!("/api/v1/invitations/{token}/accept");
        assert_eq!(
            codes(
                &expect_status(
                    app.post_anon(&accept, &json!({ "password": "short" }))
                        .await,
                    422
                )
                .await
            ),
            ["weak_password"]
        );
        expect_status(
            app.post_anon(&accept, &json!({ "password": "a-long-enough-password" }))
                .await,
            200,
        )
        .await;
        expect_problem(
            app.post_anon(&accept, &json!({ "password": "another-long-password" }))
                .await,
            404,
            &["not_found"],
        )
        .await;
        let faculty = app
            .login("fay.culty@north.edu", "a-long-enough-password")
            .await;
        let mine = app.get_ok(&faculty, "/api/v1/placements").await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        app.get_ok(
            &faculty,
            &format!("/api/v1/students/{}", id(&w.students[0])),
        )
        .await;
        expect_problem(
            app.get(
                &faculty,
                &format!("/api/v1/students/{}", id(&w.students[1])),
            )
            .await,
            404,
            &["not_found"],
        )
        .await;
    }
);

db_test!(inquiries_are_routed_and_limited, |app| async move {
    let ask = |is_student: bool, interest: &str| json!({ "name": "Sam", "email": "sam@example.org", "is_student": is_student, "interest": interest });
    let a = expect_status(
        app.post_anon("/api/v1/inquiries", &ask(true, "clinical"))
            .await,
        201,
    )
    .await;
    assert_eq!(a["route"], "placement_request");
    let b = expect_status(
        app.post_anon("/api/v1/inquiries", &ask(false, "internship"))
            .await,
        201,
    )
    .await;
    assert_eq!(b["route"], "observership");
    let c = expect_status(
        app.post_anon("/api/v1/inquiries", &ask(false, "volunteer"))
            .await,
        201,
    )
    .await;
    assert_eq!(c["route"], "volunteer");
    let mut robot = ask(false, "volunteer");
    robot["website"] = json!("http://spam.example");
    expect_status(app.post_anon("/api/v1/inquiries", &robot).await, 201).await;
    let bad = json!({ "name": "", "email": "nope", "interest": "surgery" });
    let got = codes(&expect_status(app.post_anon("/api/v1/inquiries", &bad).await, 422).await);
    assert_eq!(got, ["required", "invalid_email", "invalid_choice"]);
    let office = app.coordinator().await;
    let inbox = app.get_ok(&office, "/api/v1/inquiries").await;
    assert_eq!(
        inbox["items"].as_array().unwrap().len(),
        3,
        "the robot's is not kept"
    );
    let first = id(&inbox["items"][0]);
    let updated = expect_status(
        app.patch(
            &office,
            &format!("/api/v1/inquiries/{first}"),
            &json!({ "status": "contacted" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["status"], "contacted");
    let school = app
        .user(
            "school_coordinator",
            json!({ "school_id": fixture(&app, &office).await.school["id"] }),
        )
        .await;
    expect_problem(
        app.get(&school, "/api/v1/inquiries").await,
        403,
        &["forbidden"],
    )
    .await;
    // Five an hour from one address (the default).
    for _ in 0..2 {
        expect_status(
            app.post_anon("/api/v1/inquiries", &ask(false, "volunteer"))
                .await,
            201,
        )
        .await;
    }
    expect_problem(
        app.post_anon("/api/v1/inquiries", &ask(false, "volunteer"))
            .await,
        429,
        &["too_many_attempts"],
    )
    .await;
});

db_test!(
    the_summary_counts_distinct_placed_students,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let r = app
            .create(
                &w.school,
                "/api/v1/placement-requests",
                &request(&w, &[&w.students[0], &w.students[1]]),
            )
            .await;
        let decided = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placement-requests/{}/decision", id(&r)),
                &approve(&w, &[&w.students[0], &w.students[1]]),
            )
            .await,
            200,
        )
        .await;
        let cancel = format!(
            "/api/v1/placements/{}/transition",
            decided["placements"][1]["id"].as_str().unwrap()
        );
        expect_status(
            app.post(
                &w.office,
                &cancel,
                &json!({ "to": "cancelled", "reason": "changed plans" }),
            )
            .await,
            200,
        )
        .await;
        let s = app
            .get_ok(&w.office, "/api/v1/reports/summary?year=2027")
            .await;
        assert_eq!(s["total"], 1, "a cancelled placement does not count");
        assert_eq!(s["by_discipline"][0]["key"], "radiography");
        assert_eq!(s["by_kind"][0]["students"], 1);
        assert_eq!(s["by_degree_level"][0]["key"], "associate");
        let empty = app
            .get_ok(&w.office, "/api/v1/reports/summary?year=2030")
            .await;
        assert_eq!(empty["total"], 0);
        let csv = csv_text(
            app.get(&w.office, "/api/v1/reports/summary.csv?year=2027")
                .await,
        )
        .await;
        assert!(csv.starts_with("dimension,key,label,students\r\n"), "{csv}");
        expect_problem(
            app.get(&w.school, "/api/v1/reports/summary?year=2027")
                .await,
            403,
            &["forbidden"],
        )
        .await;
        assert_eq!(
            codes(
                &expect_status(
                    app.get(&w.office, "/api/v1/reports/summary?year=abc").await,
                    422
                )
                .await
            ),
            ["invalid_year"]
        );
    }
);
