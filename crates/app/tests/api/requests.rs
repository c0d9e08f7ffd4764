//! Placement requests over HTTP: who may submit and see them, every eligibility and field code,
//! live eligibility, naming students, withdrawing, and the office's decisions (supervisor and
//! capacity checks, all or nothing, concurrent approvals, faculty invitations).
//!
//! `World` and its helpers are shared with the placements and reports modules.
use crate::db_test;
use crate::helpers::*;
use reqwest::Response;
use serde_json::{Value, json};

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}@test.example", uuid::Uuid::now_v7().simple())
}

/// A school with an active agreement (2026–2028, all disciplines), an accredited radiography
/// program, `n` enrolled students, a radiography department of `capacity` seats and one
/// radiography preceptor there taking `max` students; the office and the school's coordinator.
pub struct World {
    pub office: Caller,
    pub school: Caller,
    pub f: Fixture,
    pub agreement: Value,
    pub preceptor: Value,
    pub students: Vec<Value>,
}

pub async fn world(app: &TestApp, capacity: i64, max: i64) -> World {
    world_of(app, capacity, max, 4).await
}

pub async fn world_of(app: &TestApp, capacity: i64, max: i64, n: usize) -> World {
    let office = app.coordinator().await;
    let f = fixture(app, &office).await;
    let dept = expect_status(
        app.patch(
            &office,
            &format!("/api/v1/departments/{}", id(&f.department)),
            &json!({ "capacity": capacity }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(dept["capacity"], capacity, "{dept}");
    let agreement = app
        .create(
            &office,
            &format!("/api/v1/schools/{}/agreements", id(&f.school)),
            &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
        )
        .await;
    let preceptor = preceptor(app, &office, &f.department, "radiography", max, json!({})).await;
    let mut students = vec![f.student.clone()];
    for i in 1..n {
        students.push(
            student(
                app,
                &office,
                &f.school,
                &f.program,
                &format!("S{i}"),
                "enrolled",
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
        agreement,
        preceptor,
        students,
    }
}

/// A preceptor of `discipline` in `department`; `extra` overrides fields.
pub async fn preceptor(
    app: &TestApp,
    office: &Caller,
    department: &Value,
    discipline: &str,
    max: i64,
    extra: Value,
) -> Value {
    let mut body = json!({ "name": "Pat Preceptor", "email": unique("staff"), "department_id": department["id"],
                           "discipline": discipline, "is_preceptor": true, "max_students": max,
                           "license_expires_on": "2029-01-01" });
    if let Value::Object(m) = extra {
        for (k, v) in m {
            body[k] = v;
        }
    }
    let s = app.create(office, "/api/v1/staff", &body).await;
    assert_eq!(s["department_id"], department["id"], "{s}");
    s
}

pub async fn student(
    app: &TestApp,
    office: &Caller,
    school: &Value,
    program: &Value,
    first: &str,
    status: &str,
) -> Value {
    let s = app
        .create(
            office,
            "/api/v1/students",
            &json!({ "school_id": school["id"], "program_id": program["id"], "first_name": first,
                     "last_name": "Test", "email": unique("student"), "enrollment_status": status }),
        )
        .await;
    assert_eq!(s["enrollment_status"], status, "{s}");
    s
}

/// A clinical request for these students, February–March 2027, preferring the department.
pub fn clinical(w: &World, students: &[&Value]) -> Value {
    json!({ "kind": "clinical", "program_id": w.f.program["id"], "starts_on": "2027-02-01", "ends_on": "2027-03-31",
            "hours_per_week": 32, "student_ids": students.iter().map(|s| s["id"].clone()).collect::<Vec<_>>(),
            "preferences": [{ "site_id": w.f.site["id"], "department_id": w.f.department["id"] }] })
}

/// An approval placing each student in the department with the world's preceptor.
pub fn approval(w: &World, students: &[&Value]) -> Value {
    json!({ "decision": "approve", "placements": students.iter().map(|s| json!({
        "student_id": s["id"], "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] })).collect::<Vec<_>>() })
}

pub async fn submit(app: &TestApp, w: &World, body: &Value) -> Value {
    let r = app
        .create(&w.school, "/api/v1/placement-requests", body)
        .await;
    assert_eq!(r["status"], "submitted", "{r}");
    r
}

pub async fn decide(app: &TestApp, who: &Caller, request: &Value, body: &Value) -> Response {
    app.post(
        who,
        &format!("/api/v1/placement-requests/{}/decision", id(request)),
        body,
    )
    .await
}

/// Submits a clinical for the students and approves it; returns the approved request.
pub async fn placed(app: &TestApp, w: &World, students: &[&Value]) -> Value {
    let r = submit(app, w, &clinical(w, students)).await;
    expect_status(
        decide(app, &w.office, &r, &approval(w, students)).await,
        200,
    )
    .await
}

/// The codes of a 422 (or other status) answer.
pub async fn refused(res: Response, status: u16) -> Vec<String> {
    codes(&expect_status(res, status).await)
}

// ---------------------------------------------------------------- submit, see, list

db_test!(school_and_office_submit_others_may_not, |app| async move {
    let w = world(&app, 4, 2).await;
    let mine = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    assert_eq!(mine["status"], "submitted");
    assert_eq!(
        mine["school_id"], w.f.school["id"],
        "school_id defaults to the coordinator's own"
    );
    assert_eq!(mine["student_ids"], json!([w.students[0]["id"]]));

    let mut body = clinical(&w, &[&w.students[1]]);
    body["school_id"] = w.f.school["id"].clone();
    let by_office = app
        .create(&w.office, "/api/v1/placement-requests", &body)
        .await;
    assert_eq!(by_office["status"], "submitted");

    // The office must say which school.
    let no_school = app
        .post(
            &w.office,
            "/api/v1/placement-requests",
            &clinical(&w, &[&w.students[1]]),
        )
        .await;
    assert!(
        refused(no_school, 422)
            .await
            .contains(&"required".to_string())
    );

    // A school coordinator cannot submit for another school.
    let mut theirs = clinical(&w, &[&w.students[1]]);
    theirs["school_id"] = w.f.other_school["id"].clone();
    let res = app
        .post(&w.school, "/api/v1/placement-requests", &theirs)
        .await;
    assert!(
        refused(res, 422)
            .await
            .contains(&"unknown_school".to_string())
    );

    let staff = preceptor(
        &app,
        &w.office,
        &w.f.department,
        "radiography",
        1,
        json!({}),
    )
    .await;
    let prec = app
        .user("preceptor", json!({ "staff_id": staff["id"] }))
        .await;
    let stud = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    for who in [&prec, &stud] {
        let res = app
            .post(
                who,
                "/api/v1/placement-requests",
                &clinical(&w, &[&w.students[0]]),
            )
            .await;
        expect_problem(res, 403, &["forbidden"]).await;
        let res = app.get(who, "/api/v1/placement-requests").await;
        expect_problem(res, 403, &["forbidden"]).await;
    }

    // Another school's coordinator: the request does not exist for them.
    let other = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.other_school["id"] }),
        )
        .await;
    let path = format!("/api/v1/placement-requests/{}", id(&mine));
    expect_problem(app.get(&other, &path).await, 404, &["not_found"]).await;
    expect_problem(
        app.post(&other, &format!("{path}/withdraw"), &json!({}))
            .await,
        404,
        &["not_found"],
    )
    .await;
    expect_problem(
        app.patch(&other, &path, &json!({ "slots": 1 })).await,
        404,
        &["not_found"],
    )
    .await;
    assert!(items(&app.get_ok(&other, "/api/v1/placement-requests").await).is_empty());
    // The submitting school and the office see it.
    assert_eq!(app.get_ok(&w.school, &path).await["id"], mine["id"]);
    assert_eq!(app.get_ok(&w.office, &path).await["id"], mine["id"]);
    // Not a UUID, or unknown: 404.
    expect_problem(
        app.get(&w.office, "/api/v1/placement-requests/nope").await,
        404,
        &["not_found"],
    )
    .await;
    expect_problem(
        app.get(
            &w.office,
            &format!("/api/v1/placement-requests/{}", uuid::Uuid::now_v7()),
        )
        .await,
        404,
        &["not_found"],
    )
    .await;
});

db_test!(
    the_queue_walked_page_after_page_agrees_oldest_or_newest_first,
    |app| async move {
        let w = world_of(&app, 8, 8, 6).await;
        let mut submitted = Vec::new();
        for s in &w.students {
            submitted.push(id(&submit(&app, &w, &clinical(&w, &[s])).await).to_string());
        }
        // Two decided (their answers are kept by row tag), the rest open.
        for r in &submitted[..2] {
            let r = json!({ "id": r });
            expect_status(
                decide(
                    &app,
                    &w.office,
                    &r,
                    &json!({ "decision": "decline", "reason": "No seat this term" }),
                )
                .await,
                200,
            )
            .await;
        }
        for who in [&w.office, &w.school] {
            let oldest = app
                .walked_as_one(who, "/api/v1/placement-requests", &[1, 2, 1, 2])
                .await;
            assert_eq!(oldest, submitted);
            let newest = app
                .walked_as_one(who, "/api/v1/placement-requests?sort=newest", &[1, 2, 1, 2])
                .await;
            let mut reversed = submitted.clone();
            reversed.reverse();
            assert_eq!(newest, reversed);
        }
        // One more: first of the newest, last of the oldest, in the very next walks.
        let late = id(&submit(&app, &w, &clinical(&w, &[&w.students[0]])).await).to_string();
        let newest = app
            .walked_as_one(
                &w.office,
                "/api/v1/placement-requests?sort=newest",
                &[1, 2, 1, 2],
            )
            .await;
        assert_eq!(newest.first(), Some(&late));
        let oldest = app
            .walked_as_one(&w.office, "/api/v1/placement-requests", &[1, 2, 1, 2])
            .await;
        assert_eq!(oldest.last(), Some(&late));
        let open = app
            .walked_as_one(
                &w.office,
                "/api/v1/placement-requests?open=true",
                &[1, 2, 1, 2],
            )
            .await;
        assert_eq!(open.len(), submitted.len() - 2 + 1);
    }
);

db_test!(the_queue_filters_and_runs_oldest_first, |app| async move {
    let w = world(&app, 4, 2).await;
    let a = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    let mut intern = clinical(&w, &[&w.students[1]]);
    intern["kind"] = json!("internship");
    intern["course"] = json!({ "code": "RAD 290", "title": "Imaging practicum", "credits": 3 });
    intern["faculty_supervisor"] = json!({ "name": "Dr. Faye", "email": unique("faye") });
    let b = submit(&app, &w, &intern).await;
    let c = submit(&app, &w, &clinical(&w, &[&w.students[2]])).await;
    expect_status(
        app.post(
            &w.school,
            &format!("/api/v1/placement-requests/{}/withdraw", id(&c)),
            &json!({ "reason": "changed plans" }),
        )
        .await,
        200,
    )
    .await;

    let ids = |v: Value| -> Vec<Value> { items(&v).iter().map(|r| r["id"].clone()).collect() };
    let all = ids(app.get_ok(&w.office, "/api/v1/placement-requests").await);
    assert_eq!(
        all,
        [a["id"].clone(), b["id"].clone(), c["id"].clone()],
        "oldest first"
    );
    assert_eq!(
        ids(app
            .get_ok(&w.office, "/api/v1/placement-requests?status=submitted")
            .await),
        [a["id"].clone(), b["id"].clone()]
    );
    assert_eq!(
        ids(app
            .get_ok(&w.office, "/api/v1/placement-requests?status=withdrawn")
            .await),
        [c["id"].clone()]
    );
    assert_eq!(
        ids(app
            .get_ok(&w.office, "/api/v1/placement-requests?kind=internship")
            .await),
        [b["id"].clone()]
    );
    assert_eq!(
        ids(app
            .get_ok(
                &w.office,
                "/api/v1/placement-requests?kind=clinical&status=submitted"
            )
            .await),
        [a["id"].clone()]
    );
    assert_eq!(
        ids(app
            .get_ok(
                &w.office,
                &format!("/api/v1/placement-requests?school_id={}", id(&w.f.school))
            )
            .await)
        .len(),
        3
    );
    assert!(
        ids(app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/placement-requests?school_id={}",
                    id(&w.f.other_school)
                )
            )
            .await)
        .is_empty()
    );
    // The school's own list is the same queue, and a school_id filter cannot widen it.
    assert_eq!(
        ids(app.get_ok(&w.school, "/api/v1/placement-requests").await).len(),
        3
    );
    assert!(
        ids(app
            .get_ok(
                &w.school,
                &format!(
                    "/api/v1/placement-requests?school_id={}",
                    id(&w.f.other_school)
                )
            )
            .await)
        .is_empty()
    );
    // Paging keeps the order.
    let first = app
        .get_ok(&w.office, "/api/v1/placement-requests?limit=2")
        .await;
    assert_eq!(ids(first.clone()), [a["id"].clone(), b["id"].clone()]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    assert_eq!(
        ids(app
            .get_ok(
                &w.office,
                &format!("/api/v1/placement-requests?limit=2&cursor={cursor}")
            )
            .await),
        [c["id"].clone()]
    );
    // Bad filters are named.
    let res = app
        .get(&w.office, "/api/v1/placement-requests?status=lost")
        .await;
    assert_eq!(res.status(), 422);
    let res = app
        .get(&w.office, "/api/v1/placement-requests?kind=shadowing")
        .await;
    assert_eq!(res.status(), 422);
});

// ---------------------------------------------------------------- eligibility

/// A school of its own for one eligibility case: a program (`program` fields over an
/// accredited associate radiography program), one student of `status`, and an agreement
/// when given.
struct Case {
    school: Value,
    program: Value,
    student: Value,
}

async fn case(
    app: &TestApp,
    office: &Caller,
    agreement: Option<Value>,
    program: Value,
    status: &str,
) -> Case {
    let school = app
        .create(
            office,
            "/api/v1/schools",
            &json!({ "name": format!("School {}", uuid::Uuid::now_v7().simple()), "city": "Lowell", "state": "MA" }),
        )
        .await;
    let mut p = json!({ "name": "AS Radiography", "discipline": "radiography", "degree_level": "associate",
                        "accredited_until": "2030-06-30" });
    if let Value::Object(m) = program {
        for (k, v) in m {
            p[k] = v;
        }
    }
    let program = app
        .create(
            office,
            &format!("/api/v1/schools/{}/programs", id(&school)),
            &p,
        )
        .await;
    if let Some(a) = agreement {
        app.create(
            office,
            &format!("/api/v1/schools/{}/agreements", id(&school)),
            &a,
        )
        .await;
    }
    let student = student(app, office, &school, &program, "Case", status).await;
    Case {
        school,
        program,
        student,
    }
}

fn active() -> Value {
    json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" })
}

fn case_request(c: &Case) -> Value {
    json!({ "kind": "clinical", "school_id": c.school["id"], "program_id": c.program["id"],
            "starts_on": "2027-02-01", "ends_on": "2027-03-31", "hours_per_week": 32,
            "student_ids": [c.student["id"]] })
}

async fn submit_codes(app: &TestApp, office: &Caller, body: &Value) -> Vec<String> {
    refused(
        app.post(office, "/api/v1/placement-requests", body).await,
        422,
    )
    .await
}

db_test!(each_eligibility_code_on_its_own, |app| async move {
    let office = app.coordinator().await;

    // The baseline is eligible.
    let ok = case(&app, &office, Some(active()), json!({}), "enrolled").await;
    app.create(&office, "/api/v1/placement-requests", &case_request(&ok))
        .await;

    let c = case(&app, &office, None, json!({}), "enrolled").await;
    assert_eq!(
        submit_codes(&app, &office, &case_request(&c)).await,
        ["no_agreement"]
    );

    for status in ["draft", "terminated"] {
        let mut a = active();
        a["status"] = json!(status);
        let c = case(&app, &office, Some(a), json!({}), "enrolled").await;
        assert_eq!(
            submit_codes(&app, &office, &case_request(&c)).await,
            ["agreement_not_active"],
            "{status} agreement"
        );
    }

    // The agreement lapses in the middle of the period.
    let mut a = active();
    a["expires_on"] = json!("2027-02-15");
    let c = case(&app, &office, Some(a), json!({}), "enrolled").await;
    assert_eq!(
        submit_codes(&app, &office, &case_request(&c)).await,
        ["agreement_does_not_cover_dates"]
    );
    // ... or starts after the period has begun.
    let mut a = active();
    a["effective_on"] = json!("2027-03-01");
    let c = case(&app, &office, Some(a), json!({}), "enrolled").await;
    assert_eq!(
        submit_codes(&app, &office, &case_request(&c)).await,
        ["agreement_does_not_cover_dates"]
    );

    let mut a = active();
    a["disciplines"] = json!(["sonography", "respiratory_therapy"]);
    let c = case(&app, &office, Some(a), json!({}), "enrolled").await;
    assert_eq!(
        submit_codes(&app, &office, &case_request(&c)).await,
        ["agreement_does_not_cover_discipline"]
    );
    // Listing the program's discipline covers it.
    let mut a = active();
    a["disciplines"] = json!(["sonography", "radiography"]);
    let c = case(&app, &office, Some(a), json!({}), "enrolled").await;
    app.create(&office, "/api/v1/placement-requests", &case_request(&c))
        .await;

    // Accreditation ends before the last day; or there is none on record.
    let c = case(
        &app,
        &office,
        Some(active()),
        json!({ "accredited_until": "2027-03-30" }),
        "enrolled",
    )
    .await;
    assert_eq!(
        submit_codes(&app, &office, &case_request(&c)).await,
        ["program_not_accredited"]
    );
    let c = case(
        &app,
        &office,
        Some(active()),
        json!({ "accredited_until": null }),
        "enrolled",
    )
    .await;
    assert_eq!(
        submit_codes(&app, &office, &case_request(&c)).await,
        ["program_not_accredited"]
    );
    // Accredited through the last day exactly is enough.
    let c = case(
        &app,
        &office,
        Some(active()),
        json!({ "accredited_until": "2027-03-31" }),
        "enrolled",
    )
    .await;
    app.create(&office, "/api/v1/placement-requests", &case_request(&c))
        .await;

    for status in ["withdrawn", "graduated", "leave"] {
        let c = case(&app, &office, Some(active()), json!({}), status).await;
        assert_eq!(
            submit_codes(&app, &office, &case_request(&c)).await,
            ["student_not_enrolled"],
            "a {status} student"
        );
    }

    // A student of another program at the same school, and one of another school.
    let c = case(&app, &office, Some(active()), json!({}), "enrolled").await;
    let other_program = app
        .create(
            &office,
            &format!("/api/v1/schools/{}/programs", id(&c.school)),
            &json!({ "name": "BS Radiography", "discipline": "radiography", "degree_level": "baccalaureate",
                     "accredited_until": "2030-06-30" }),
        )
        .await;
    let stranger = student(
        &app,
        &office,
        &c.school,
        &other_program,
        "Other",
        "enrolled",
    )
    .await;
    let mut body = case_request(&c);
    body["student_ids"] = json!([stranger["id"]]);
    assert_eq!(
        submit_codes(&app, &office, &body).await,
        ["student_not_in_program"]
    );
    let elsewhere = case(&app, &office, Some(active()), json!({}), "enrolled").await;
    body["student_ids"] = json!([elsewhere.student["id"]]);
    assert_eq!(
        submit_codes(&app, &office, &body).await,
        ["student_not_in_program"]
    );

    // Internships need a course and a faculty supervisor.
    let c = case(&app, &office, Some(active()), json!({}), "enrolled").await;
    let mut intern = case_request(&c);
    intern["kind"] = json!("internship");
    intern["faculty_supervisor"] = json!({ "name": "Dr. Faye", "email": unique("faye") });
    assert_eq!(
        submit_codes(&app, &office, &intern).await,
        ["course_required"]
    );
    let mut intern = case_request(&c);
    intern["kind"] = json!("internship");
    intern["course"] = json!({ "code": "RAD 290", "title": "Practicum", "credits": 3 });
    assert_eq!(
        submit_codes(&app, &office, &intern).await,
        ["faculty_supervisor_required"]
    );

    // Periods: backwards, and in the past (today is 2027-01-04; today itself is fine).
    let mut body = case_request(&c);
    body["ends_on"] = json!("2027-01-31");
    assert_eq!(submit_codes(&app, &office, &body).await, ["invalid_period"]);
    let mut body = case_request(&c);
    body["starts_on"] = json!("2027-01-03");
    assert_eq!(submit_codes(&app, &office, &body).await, ["invalid_period"]);
    let mut body = case_request(&c);
    body["starts_on"] = json!("2027-01-04");
    app.create(&office, "/api/v1/placement-requests", &body)
        .await;
});

db_test!(
    three_failed_rules_answer_three_codes_at_once,
    |app| async move {
        let office = app.coordinator().await;
        let c = case(
            &app,
            &office,
            Some(active()),
            json!({ "accredited_until": "2027-02-28" }),
            "withdrawn",
        )
        .await;
        let mut body = case_request(&c);
        body["kind"] = json!("internship");
        body["faculty_supervisor"] = json!({ "name": "Dr. Faye", "email": unique("faye") });
        let problem = expect_status(
            app.post(&office, "/api/v1/placement-requests", &body).await,
            422,
        )
        .await;
        let mut got = codes(&problem);
        got.sort();
        assert_eq!(
            got,
            [
                "course_required",
                "program_not_accredited",
                "student_not_enrolled"
            ]
        );
        assert_eq!(problem["status"], 422);
        for e in problem["errors"].as_array().unwrap() {
            assert!(e["field"].is_string() && e["message"].is_string(), "{e}");
        }
        // Nothing was stored.
        assert!(items(&app.get_ok(&office, "/api/v1/placement-requests").await).is_empty());
    }
);

db_test!(field_codes_are_named, |app| async move {
    let w = world(&app, 4, 2).await;
    let post = |body: Value| {
        let app = &app;
        let w = &w;
        async move {
            refused(
                app.post(&w.school, "/api/v1/placement-requests", &body)
                    .await,
                422,
            )
            .await
        }
    };

    assert_eq!(post(clinical(&w, &[])).await, ["no_students"]);
    // Unnamed slots alone are a request.
    let mut slots = clinical(&w, &[]);
    slots["slots"] = json!(2);
    let r = submit(&app, &w, &slots).await;
    assert_eq!(r["slots"], 2);

    let mut body = clinical(&w, &[&w.students[0]]);
    let pref = json!({ "site_id": w.f.site["id"] });
    body["preferences"] = json!([pref, pref, pref, pref]);
    assert_eq!(post(body).await, ["too_many_preferences"]);

    let elsewhere = app
        .create(
            &w.office,
            "/api/v1/sites",
            &json!({ "name": "East Campus" }),
        )
        .await;
    let mut body = clinical(&w, &[&w.students[0]]);
    body["preferences"] =
        json!([{ "site_id": elsewhere["id"], "department_id": w.f.department["id"] }]);
    assert_eq!(post(body).await, ["department_not_at_site"]);

    for shift in [
        json!({ "weekday": "someday", "starts_at": "07:00", "ends_at": "15:30" }),
        json!({ "weekday": "mon", "starts_at": "7am", "ends_at": "15:30" }),
        json!({ "weekday": "mon", "starts_at": "07:00", "ends_at": "24:30" }),
        json!({ "weekday": "mon", "starts_at": "07:00", "ends_at": "07:00" }),
    ] {
        let mut body = clinical(&w, &[&w.students[0]]);
        body["shifts"] = json!([shift]);
        assert_eq!(post(body).await, ["invalid_shift"], "{shift}");
    }
    // A good shift is kept.
    let mut body = clinical(&w, &[&w.students[0]]);
    body["shifts"] = json!([{ "weekday": "sat", "starts_at": "19:00", "ends_at": "07:00" }]);
    let r = submit(&app, &w, &body).await;
    assert_eq!(r["shifts"][0]["weekday"], "sat");

    let mut body = clinical(&w, &[&w.students[0]]);
    body["colour"] = json!("blue");
    assert_eq!(post(body).await, ["unknown_field"]);

    // Field problems come together too.
    let mut body = clinical(&w, &[]);
    body["colour"] = json!("blue");
    body["shifts"] = json!([{ "weekday": "xyz", "starts_at": "07:00", "ends_at": "15:00" }]);
    let mut got = post(body).await;
    got.sort();
    assert_eq!(got, ["invalid_shift", "no_students", "unknown_field"]);

    // Not JSON: 400, never 500.
    let res = app
        .client
        .post(app.url("/api/v1/placement-requests"))
        .bearer_auth(&w.school.token)
        .header("content-type", "application/json")
        .body("{ not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
});

db_test!(eligibility_is_live_on_every_read, |app| async move {
    let w = world(&app, 4, 2).await;
    let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    let path = format!("/api/v1/placement-requests/{}", id(&r));
    assert_eq!(app.get_ok(&w.office, &path).await["eligibility"], json!([]));
    // The list keeps what it derived while nothing is written (`with_eligibility_all`): read
    // twice here, then after each write below.
    let listed_codes = || async {
        let listed = app.get_ok(&w.office, "/api/v1/placement-requests").await;
        let item = item_of(&listed, &r);
        codes(&json!({ "errors": item["eligibility"] }))
    };
    for _ in 0..2 {
        assert!(listed_codes().await.is_empty());
    }
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/agreements/{}", id(&w.agreement)),
            &json!({ "status": "terminated" }),
        )
        .await,
        200,
    )
    .await;
    for who in [&w.office, &w.school] {
        let live = app.get_ok(who, &path).await;
        assert_eq!(
            codes(&json!({ "errors": live["eligibility"] })),
            ["agreement_not_active"]
        );
        assert_eq!(
            live["status"], "submitted",
            "the request itself is unchanged"
        );
    }
    let listed = app.get_ok(&w.office, "/api/v1/placement-requests").await;
    assert_eq!(
        listed["items"][0]["eligibility"][0]["code"],
        "agreement_not_active"
    );
    // The office cannot approve it now.
    let res = decide(&app, &w.office, &r, &approval(&w, &[&w.students[0]])).await;
    assert_eq!(refused(res, 422).await, ["agreement_not_active"]);
    // A student withdrawn since submission shows too, once the agreement is back.
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/agreements/{}", id(&w.agreement)),
            &json!({ "status": "active" }),
        )
        .await,
        200,
    )
    .await;
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/students/{}", id(&w.students[0])),
            &json!({ "enrollment_status": "withdrawn" }),
        )
        .await,
        200,
    )
    .await;
    let live = app.get_ok(&w.office, &path).await;
    assert_eq!(
        codes(&json!({ "errors": live["eligibility"] })),
        ["student_not_enrolled"]
    );
    assert_eq!(listed_codes().await, ["student_not_enrolled"]);
    // Enrolled again: the list shows it eligible at once.
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/students/{}", id(&w.students[0])),
            &json!({ "enrollment_status": "enrolled" }),
        )
        .await,
        200,
    )
    .await;
    assert!(listed_codes().await.is_empty());
});

// ---------------------------------------------------------------- naming students, withdrawing

db_test!(
    schools_name_students_for_slots_then_withdraw,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let mut body = clinical(&w, &[&w.students[0]]);
        body["slots"] = json!(2);
        let r = submit(&app, &w, &body).await;
        let path = format!("/api/v1/placement-requests/{}", id(&r));

        let named = expect_status(
            app.patch(
                &w.school,
                &path,
                &json!({ "student_ids": [w.students[0]["id"], w.students[1]["id"]] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(named["slots"], 1, "naming takes a place from the slots");
        assert_eq!(named["student_ids"].as_array().unwrap().len(), 2);
        let seen = app.get_ok(&w.school, &path).await;
        assert_eq!(seen["slots"], 1);
        assert_eq!(seen["student_ids"].as_array().unwrap().len(), 2);

        // A withdrawn student cannot be named; nothing changes.
        let gone = student(
            &app,
            &w.office,
            &w.f.school,
            &w.f.program,
            "Gone",
            "withdrawn",
        )
        .await;
        let res = app
            .patch(
                &w.school,
                &path,
                &json!({ "student_ids": [w.students[0]["id"], w.students[1]["id"], gone["id"]] }),
            )
            .await;
        assert_eq!(refused(res, 422).await, ["student_not_enrolled"]);
        assert_eq!(app.get_ok(&w.school, &path).await["slots"], 1);

        // Approve: two named students and one unnamed seat.
        let mut decision = approval(&w, &[&w.students[0], &w.students[1]]);
        decision["placements"].as_array_mut().unwrap().push(
            json!({ "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] }),
        );
        let decided = expect_status(decide(&app, &w.office, &r, &decision).await, 200).await;
        assert_eq!(decided["placements"].as_array().unwrap().len(), 3);
        assert_eq!(
            decided["placements"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["student_id"].is_null())
                .count(),
            1
        );

        let res = app
            .patch(
                &w.school,
                &path,
                &json!({ "student_ids": [w.students[2]["id"]] }),
            )
            .await;
        assert_eq!(refused(res, 409).await, ["invalid_transition"]);
        let res = app
            .post(&w.school, &format!("{path}/withdraw"), &json!({}))
            .await;
        assert_eq!(
            refused(res, 409).await,
            ["invalid_transition"],
            "an approved request stays"
        );

        // Withdraw another request: by the school, once.
        let other = submit(&app, &w, &clinical(&w, &[&w.students[2]])).await;
        let wpath = format!("/api/v1/placement-requests/{}/withdraw", id(&other));
        let withdrawn = expect_status(app.post(&w.school, &wpath, &json!({})).await, 200).await;
        assert_eq!(withdrawn["status"], "withdrawn");
        assert_eq!(
            refused(app.post(&w.school, &wpath, &json!({})).await, 409).await,
            ["invalid_transition"]
        );
        assert_eq!(
            refused(app.post(&w.office, &wpath, &json!({})).await, 409).await,
            ["invalid_transition"]
        );
        // A withdrawn request cannot be decided.
        let res = decide(&app, &w.office, &other, &approval(&w, &[&w.students[2]])).await;
        assert_eq!(refused(res, 409).await, ["invalid_transition"]);
        // The office withdraws too.
        let third = submit(&app, &w, &clinical(&w, &[&w.students[3]])).await;
        let by_office = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placement-requests/{}/withdraw", id(&third)),
                &json!({ "reason": "the school asked by phone" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(by_office["status"], "withdrawn");
        assert_eq!(by_office["decision_reason"], "the school asked by phone");
    }
);

// ---------------------------------------------------------------- decisions

db_test!(decline_and_waitlist_need_a_reason, |app| async move {
    let w = world(&app, 4, 2).await;
    let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    for decision in ["decline", "waitlist"] {
        let res = decide(&app, &w.office, &r, &json!({ "decision": decision })).await;
        assert_eq!(refused(res, 422).await, ["reason_required"], "{decision}");
        let res = decide(
            &app,
            &w.office,
            &r,
            &json!({ "decision": decision, "reason": "  " }),
        )
        .await;
        assert_eq!(res.status(), 422, "a blank reason is no reason");
    }
    let res = decide(&app, &w.office, &r, &json!({ "decision": "approve" })).await;
    assert_eq!(refused(res, 422).await, ["placements_required"]);
    let res = decide(&app, &w.office, &r, &json!({ "decision": "maybe" })).await;
    assert_eq!(res.status(), 422);
    // Only the office decides.
    let res = decide(
        &app,
        &w.school,
        &r,
        &json!({ "decision": "decline", "reason": "x" }),
    )
    .await;
    expect_problem(res, 403, &["forbidden"]).await;

    let declined = expect_status(
        decide(
            &app,
            &w.office,
            &r,
            &json!({ "decision": "decline", "reason": "no seats in March" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(declined["status"], "declined");
    let seen = app
        .get_ok(&w.school, &format!("/api/v1/placement-requests/{}", id(&r)))
        .await;
    assert_eq!(seen["status"], "declined");
    assert_eq!(seen["decision_reason"], "no seats in March");
    assert!(seen["decided_at"].is_string());
    for again in [
        json!({ "decision": "approve", "placements": approval(&w, &[&w.students[0]])["placements"] }),
        json!({ "decision": "waitlist", "reason": "later" }),
        json!({ "decision": "decline", "reason": "again" }),
    ] {
        let res = decide(&app, &w.office, &r, &again).await;
        assert_eq!(refused(res, 409).await, ["invalid_transition"]);
    }

    // Waitlisted, then approved.
    let r2 = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
    let waiting = expect_status(
        decide(
            &app,
            &w.office,
            &r2,
            &json!({ "decision": "waitlist", "reason": "full until March" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(waiting["status"], "waitlisted");
    let approved = expect_status(
        decide(&app, &w.office, &r2, &approval(&w, &[&w.students[1]])).await,
        200,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    // The history of the request.
    let trail = app
        .get_ok(
            &w.office,
            &format!(
                "/api/v1/audit?record_type=placement_request&record_id={}",
                id(&r2)
            ),
        )
        .await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submit", "decision:waitlist", "decision:approve"]);
    let last = &trail["items"][2];
    assert_eq!(last["before"]["status"], "waitlisted");
    assert_eq!(last["after"]["status"], "approved");
});

db_test!(
    approving_a_clinical_creates_proposed_placements,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0], &w.students[1]])).await;
        let decided = expect_status(
            decide(
                &app,
                &w.office,
                &r,
                &approval(&w, &[&w.students[0], &w.students[1]]),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(decided["status"], "approved");
        let placements = decided["placements"].as_array().unwrap();
        assert_eq!(placements.len(), 2);
        for (p, s) in placements.iter().zip(&w.students) {
            assert_eq!(p["status"], "proposed");
            assert_eq!(p["student_id"], s["id"]);
            assert_eq!(p["request_id"], r["id"]);
            assert_eq!(p["kind"], "clinical");
            assert_eq!(p["department_id"], w.f.department["id"]);
            assert_eq!(p["preceptor_id"], w.preceptor["id"]);
            assert_eq!(p["school_id"], w.f.school["id"]);
            assert_eq!(p["program_id"], w.f.program["id"]);
            assert_eq!(p["starts_on"], "2027-02-01");
            assert_eq!(p["ends_on"], "2027-03-31");
            // Nothing is verified yet: pending (what is missing is the onboarding catalog's).
            assert_eq!(p["clearance"]["status"], "pending");
            assert!(p["clearance"]["missing"].is_array(), "{}", p["clearance"]);
            assert_eq!(p["clearance"]["expiring"], json!([]));
        }
        // The school sees the placements at once.
        let mine = app
            .get_ok(
                &w.school,
                &format!("/api/v1/placements?request_id={}", id(&r)),
            )
            .await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 2);
        // Every placement's creation is in its history, and the decision in the request's.
        for p in placements {
            let trail = app
                .get_ok(
                    &w.office,
                    &format!("/api/v1/audit?record_type=placement&record_id={}", id(p)),
                )
                .await;
            assert_eq!(trail["items"][0]["action"], "create");
            assert_eq!(trail["items"][0]["actor_id"], w.office.user["id"]);
        }
        let trail = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/audit?record_type=placement_request&record_id={}",
                    id(&r)
                ),
            )
            .await;
        let actions: Vec<&str> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["submit", "decision:approve"]);
    }
);

db_test!(preceptor_rules_each_have_a_code, |app| async move {
    let w = world(&app, 4, 2).await;
    let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    let with = |preceptor: Option<&Value>| {
        let mut body = approval(&w, &[&w.students[0]]);
        match preceptor {
            Some(p) => body["placements"][0]["preceptor_id"] = p["id"].clone(),
            None => {
                body["placements"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("preceptor_id");
            }
        }
        body
    };
    let dept = &w.f.department;
    let cases = [
        (None, "preceptor_required"),
        (
            Some(preceptor(&app, &w.office, dept, "sonography", 2, json!({})).await),
            "preceptor_discipline_mismatch",
        ),
        (
            Some(
                preceptor(
                    &app,
                    &w.office,
                    dept,
                    "radiography",
                    2,
                    json!({ "is_preceptor": false }),
                )
                .await,
            ),
            "preceptor_discipline_mismatch",
        ),
        (
            // The licence lapses the day before the last day.
            Some(
                preceptor(
                    &app,
                    &w.office,
                    dept,
                    "radiography",
                    2,
                    json!({ "license_expires_on": "2027-03-30" }),
                )
                .await,
            ),
            "preceptor_license_expired",
        ),
        (
            Some(
                preceptor(
                    &app,
                    &w.office,
                    dept,
                    "radiography",
                    2,
                    json!({ "leave": [{ "starts_on": "2027-03-31", "ends_on": "2027-04-30" }] }),
                )
                .await,
            ),
            "preceptor_on_leave",
        ),
    ];
    for (p, code) in &cases {
        let res = decide(&app, &w.office, &r, &with(p.as_ref())).await;
        assert_eq!(refused(res, 422).await, [*code]);
    }
    // Licence valid through the last day, leave after the period: fine.
    let good = preceptor(&app, &w.office, dept, "radiography", 2,
        json!({ "license_expires_on": "2027-03-31", "leave": [{ "starts_on": "2027-04-01", "ends_on": "2027-04-30" }] })).await;
    // Refusals left the request open and created nothing.
    let seen = app
        .get_ok(&w.office, &format!("/api/v1/placement-requests/{}", id(&r)))
        .await;
    assert_eq!(seen["status"], "submitted");
    assert!(items(&app.get_ok(&w.office, "/api/v1/placements").await).is_empty());
    expect_status(decide(&app, &w.office, &r, &with(Some(&good))).await, 200).await;
});

db_test!(departments_must_host_the_discipline, |app| async move {
    let w = world(&app, 4, 2).await;
    let pharmacy = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": "Pharmacy", "setting": "pharmacy", "capacity": 4,
                     "disciplines": ["pharmacy"] }),
        )
        .await;
    let p = preceptor(&app, &w.office, &pharmacy, "radiography", 2, json!({})).await;
    let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
    let body = json!({ "decision": "approve", "placements": [{ "student_id": w.students[0]["id"],
        "department_id": pharmacy["id"], "preceptor_id": p["id"] }] });
    let res = decide(&app, &w.office, &r, &body).await;
    assert_eq!(
        refused(res, 422).await,
        ["department_does_not_host_discipline"]
    );
    // A preceptor who works elsewhere.
    let body = json!({ "decision": "approve", "placements": [{ "student_id": w.students[0]["id"],
        "department_id": w.f.department["id"], "preceptor_id": p["id"] }] });
    let res = decide(&app, &w.office, &r, &body).await;
    assert_eq!(refused(res, 422).await, ["preceptor_not_in_department"]);
    // A student who is not in the request, and one left out.
    let body = approval(&w, &[&w.students[1]]);
    let mut got = refused(decide(&app, &w.office, &r, &body).await, 422).await;
    got.sort();
    assert_eq!(
        got,
        ["student_missing_from_decision", "student_not_in_request"]
    );
});

db_test!(capacity_codes_and_all_or_nothing, |app| async move {
    // One seat in the department, and the preceptor takes one student.
    let w = world(&app, 1, 1).await;
    placed(&app, &w, &[&w.students[0]]).await;

    // Another preceptor, another request overlapping by one day: the department is full.
    let second = preceptor(
        &app,
        &w.office,
        &w.f.department,
        "radiography",
        3,
        json!({}),
    )
    .await;
    let mut body = clinical(&w, &[&w.students[1]]);
    body["starts_on"] = json!("2027-03-31");
    body["ends_on"] = json!("2027-04-30");
    let r = submit(&app, &w, &body).await;
    let mut decision = approval(&w, &[&w.students[1]]);
    decision["placements"][0]["preceptor_id"] = second["id"].clone();
    let res = decide(&app, &w.office, &r, &decision).await;
    assert_eq!(refused(res, 409).await, ["department_at_capacity"]);
    // The day after the first one ends, the seat is free.
    let mut body = clinical(&w, &[&w.students[1]]);
    body["starts_on"] = json!("2027-04-01");
    body["ends_on"] = json!("2027-04-30");
    let after = submit(&app, &w, &body).await;
    expect_status(decide(&app, &w.office, &after, &decision).await, 200).await;

    // A bigger department; the first preceptor is still busy in February and March.
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/departments/{}", id(&w.f.department)),
            &json!({ "capacity": 5 }),
        )
        .await,
        200,
    )
    .await;
    let r = submit(&app, &w, &clinical(&w, &[&w.students[2]])).await;
    let res = decide(&app, &w.office, &r, &approval(&w, &[&w.students[2]])).await;
    assert_eq!(refused(res, 409).await, ["preceptor_at_capacity"]);

    // All or nothing: two students, the first fits with the second preceptor, the second
    // does not (the first preceptor is full). Nothing is created.
    let before = items(&app.get_ok(&w.office, "/api/v1/placements").await).len();
    let r = submit(&app, &w, &clinical(&w, &[&w.students[2], &w.students[3]])).await;
    let mut decision = approval(&w, &[&w.students[2], &w.students[3]]);
    decision["placements"][0]["preceptor_id"] = second["id"].clone();
    let res = decide(&app, &w.office, &r, &decision).await;
    assert_eq!(refused(res, 409).await, ["preceptor_at_capacity"]);
    assert_eq!(
        items(&app.get_ok(&w.office, "/api/v1/placements").await).len(),
        before
    );
    let seen = app
        .get_ok(&w.office, &format!("/api/v1/placement-requests/{}", id(&r)))
        .await;
    assert_eq!(seen["status"], "submitted");
    // A rule failure and a capacity failure together: 422 listing both.
    decision["placements"][0]
        .as_object_mut()
        .unwrap()
        .remove("preceptor_id");
    let mut got = refused(decide(&app, &w.office, &r, &decision).await, 422).await;
    got.sort();
    assert_eq!(got, ["preceptor_at_capacity", "preceptor_required"]);
    // Both with the second preceptor (takes 3, has 1): fine.
    decision["placements"][0]["preceptor_id"] = second["id"].clone();
    decision["placements"][1]["preceptor_id"] = second["id"].clone();
    let ok = expect_status(decide(&app, &w.office, &r, &decision).await, 200).await;
    assert_eq!(ok["placements"].as_array().unwrap().len(), 2);
});

db_test!(
    two_students_in_one_decision_count_against_each_other,
    |app| async move {
        let w = world(&app, 1, 4).await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0], &w.students[1]])).await;
        let res = decide(
            &app,
            &w.office,
            &r,
            &approval(&w, &[&w.students[0], &w.students[1]]),
        )
        .await;
        assert_eq!(refused(res, 409).await, ["department_at_capacity"]);
        assert!(items(&app.get_ok(&w.office, "/api/v1/placements").await).is_empty());
        // Consecutive periods inside the request's share the seat.
        let mut decision = approval(&w, &[&w.students[0], &w.students[1]]);
        decision["placements"][0]["ends_on"] = json!("2027-02-28");
        decision["placements"][1]["starts_on"] = json!("2027-03-01");
        let ok = expect_status(decide(&app, &w.office, &r, &decision).await, 200).await;
        assert_eq!(ok["placements"][0]["ends_on"], "2027-02-28");
        assert_eq!(ok["placements"][1]["starts_on"], "2027-03-01");
    }
);

// ---------------------------------------------------------------- concurrency

db_test!(
    concurrent_approvals_never_overbook_the_last_seat,
    |app| async move {
        let w = world(&app, 1, 50).await;
        let other = app.coordinator().await;
        for round in 0..10 {
            // Each round a fresh ten-day period, so the one seat is free again.
            let start = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()
                + chrono::Duration::days(10 * round);
            let end = start + chrono::Duration::days(9);
            let mut a = clinical(&w, &[&w.students[0]]);
            let mut b = clinical(&w, &[&w.students[1]]);
            for r in [&mut a, &mut b] {
                r["starts_on"] = json!(start.to_string());
                r["ends_on"] = json!(end.to_string());
            }
            let ra = submit(&app, &w, &a).await;
            let rb = submit(&app, &w, &b).await;
            let (da, db) = (
                approval(&w, &[&w.students[0]]),
                approval(&w, &[&w.students[1]]),
            );
            let (x, y) = tokio::join!(
                decide(&app, &w.office, &ra, &da),
                decide(&app, &other, &rb, &db)
            );
            let mut got = vec![outcome(x).await, outcome(y).await];
            got.sort();
            assert_eq!(got[0].0, 200, "round {round}: {got:?}");
            assert_eq!(
                got[1],
                (409, vec!["department_at_capacity".to_string()]),
                "round {round}"
            );
            let held = app
                .get_ok(
                    &w.office,
                    &format!(
                        "/api/v1/placements?department_id={}&from={start}&to={end}",
                        id(&w.f.department)
                    ),
                )
                .await;
            assert_eq!(held["items"].as_array().unwrap().len(), 1, "round {round}");
        }
    }
);

db_test!(
    concurrent_approvals_never_overbook_a_preceptor,
    |app| async move {
        // Room in the department; the preceptor is the last seat.
        let w = world(&app, 10, 1).await;
        let other = app.coordinator().await;
        for round in 0..5 {
            let start = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()
                + chrono::Duration::days(10 * round);
            let end = start + chrono::Duration::days(9);
            let mut a = clinical(&w, &[&w.students[0]]);
            let mut b = clinical(&w, &[&w.students[1]]);
            for r in [&mut a, &mut b] {
                r["starts_on"] = json!(start.to_string());
                r["ends_on"] = json!(end.to_string());
            }
            let ra = submit(&app, &w, &a).await;
            let rb = submit(&app, &w, &b).await;
            let (da, db) = (
                approval(&w, &[&w.students[0]]),
                approval(&w, &[&w.students[1]]),
            );
            let (x, y) = tokio::join!(
                decide(&app, &w.office, &ra, &da),
                decide(&app, &other, &rb, &db)
            );
            let mut got = vec![x.status().as_u16(), y.status().as_u16()];
            got.sort();
            assert_eq!(got, [200, 409], "round {round}");
        }
    }
);

// ---------------------------------------------------------------- internships

/// The invitation token written to the outbox for `email`.
pub async fn invitation_token(app: &TestApp, email: &str) -> String {
    let outbox = app.state.config.outbox_dir();
    let mail = poll(std::time::Duration::from_secs(5), || {
        let outbox = outbox.clone();
        async move {
            let found: Vec<(std::path::PathBuf, String)> = std::fs::read_dir(&outbox)
                .ok()?
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, mail_text(&t))))
                .filter(|(_, t)| t.contains(email))
                .collect();
            found.into_iter().next()
        }
    })
    .await;
    assert_eq!(
        mail.0.extension().and_then(|e| e.to_str()),
        Some("eml"),
        "{:?}",
        mail.0
    );
    mail.1
        .split("/invitations/")
        .nth(1)
        .expect("a link /invitations/<token>")
        .split_whitespace()
        .next()
        .expect("a token")
        .to_string()
}

db_test!(
    internship_approval_invites_the_faculty_supervisor,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let faculty_email = unique("faculty");
        let mut body = clinical(&w, &[&w.students[0], &w.students[1]]);
        body["kind"] = json!("internship");
        body["course"] = json!({ "code": "RAD 290", "title": "Imaging practicum", "credits": 3 });
        body["faculty_supervisor"] = json!({ "name": "Dr. Fay Culty", "email": faculty_email });
        let r = submit(&app, &w, &body).await;
        assert_eq!(r["course"]["code"], "RAD 290");
        // No preceptor needed for an internship; a site mentor may be named.
        let mentor = preceptor(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            1,
            json!({ "is_preceptor": false }),
        )
        .await;
        let decision = json!({ "decision": "approve", "placements": [
        { "student_id": w.students[0]["id"], "department_id": w.f.department["id"], "site_mentor_id": mentor["id"] },
        { "student_id": w.students[1]["id"], "department_id": w.f.department["id"] } ] });
        let decided = expect_status(decide(&app, &w.office, &r, &decision).await, 200).await;
        let placements = decided["placements"].as_array().unwrap();
        assert_eq!(placements[0]["kind"], "internship");
        assert_eq!(placements[0]["preceptor_id"], Value::Null);
        assert_eq!(placements[0]["site_mentor_id"], mentor["id"]);
        assert_eq!(placements[0]["faculty_supervisor"]["email"], faculty_email);

        // An intern of the same school under another supervisor.
        let mut other = clinical(&w, &[&w.students[2]]);
        other["kind"] = json!("internship");
        other["course"] = json!({ "code": "RAD 291", "title": "Other practicum", "credits": 2 });
        other["faculty_supervisor"] =
            json!({ "name": "Dr. Other", "email": unique("other-faculty") });
        let r2 = submit(&app, &w, &other).await;
        let d2 = json!({ "decision": "approve", "placements": [
        { "student_id": w.students[2]["id"], "department_id": w.f.department["id"] } ] });
        expect_status(decide(&app, &w.office, &r2, &d2).await, 200).await;

        let token = invitation_token(&app, &faculty_email).await;
        // The faculty user exists but cannot sign in yet.
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": faculty_email, "password": DEMO_PASSWORD }),
            )
            .await;
        assert_ne!(res.status(), 200);
        let accept = format!("/api/v1/invitations/{token}/accept");
        assert_eq!(
            refused(
                app.post_anon(&accept, &json!({ "password": "short" }))
                    .await,
                422
            )
            .await,
            ["weak_password"]
        );
        // A common or breached password is refused in words, whatever its case and ends.
        assert_eq!(
            refused(
                app.post_anon(&accept, &json!({ "password": "Password2024!" }))
                    .await,
                422
            )
            .await,
            ["password_breached"]
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
        expect_problem(
            app.post_anon(
                "/api/v1/invitations/not-a-token/accept",
                &json!({ "password": "a-long-enough-password" }),
            )
            .await,
            404,
            &["not_found"],
        )
        .await;
        let faculty = app.login(&faculty_email, "a-long-enough-password").await;
        assert_eq!(faculty.user["role"], "faculty");
        let mine = app.get_ok(&faculty, "/api/v1/placements").await;
        let mut got: Vec<Value> = items(&mine)
            .iter()
            .map(|p| p["student_id"].clone())
            .collect();
        got.sort_by_key(|v| v.to_string());
        let mut want = vec![w.students[0]["id"].clone(), w.students[1]["id"].clone()];
        want.sort_by_key(|v| v.to_string());
        assert_eq!(got, want, "only their own interns");
        app.get_ok(
            &faculty,
            &format!("/api/v1/placements/{}", id(&placements[0])),
        )
        .await;
        app.get_ok(
            &faculty,
            &format!("/api/v1/students/{}", id(&w.students[0])),
        )
        .await;
        expect_problem(
            app.get(
                &faculty,
                &format!("/api/v1/students/{}", id(&w.students[2])),
            )
            .await,
            404,
            &["not_found"],
        )
        .await;
        // Faculty never decide or submit.
        expect_problem(
            app.get(&faculty, "/api/v1/placement-requests").await,
            403,
            &["forbidden"],
        )
        .await;
    }
);

db_test!(
    a_second_internship_reuses_the_faculty_user,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let faculty_email = unique("faculty");
        let intern = |s: &Value| {
            let mut body = clinical(&w, &[s]);
            body["kind"] = json!("internship");
            body["course"] =
                json!({ "code": "RAD 290", "title": "Imaging practicum", "credits": 3 });
            body["faculty_supervisor"] = json!({ "name": "Dr. Fay Culty", "email": faculty_email });
            body
        };
        let approve = |s: &Value| {
            json!({ "decision": "approve", "placements": [
        { "student_id": s["id"], "department_id": w.f.department["id"] } ] })
        };
        let r = submit(&app, &w, &intern(&w.students[0])).await;
        expect_status(
            decide(&app, &w.office, &r, &approve(&w.students[0])).await,
            200,
        )
        .await;
        let token = invitation_token(&app, &faculty_email).await;
        expect_status(
            app.post_anon(
                &format!("/api/v1/invitations/{token}/accept"),
                &json!({ "password": "a-long-enough-password" }),
            )
            .await,
            200,
        )
        .await;
        let r = submit(&app, &w, &intern(&w.students[1])).await;
        expect_status(
            decide(&app, &w.office, &r, &approve(&w.students[1])).await,
            200,
        )
        .await;
        let faculty = app.login(&faculty_email, "a-long-enough-password").await;
        assert_eq!(
            items(&app.get_ok(&faculty, "/api/v1/placements").await).len(),
            2
        );

        // A supervisor email that belongs to a user of another role is refused, not hijacked.
        let mut taken = intern(&w.students[2]);
        taken["faculty_supervisor"]["email"] = w.school.user["email"].clone();
        let r = submit(&app, &w, &taken).await;
        let res = decide(&app, &w.office, &r, &approve(&w.students[2])).await;
        assert_eq!(refused(res, 422).await, ["faculty_email_taken"]);
    }
);

db_test!(a_request_is_decided_once_even_at_once, |app| async move {
    // Plenty of room: only the request's own status stands between two decisions.
    let w = world(&app, 50, 50).await;
    let other = app.coordinator().await;
    // Each round in months of its own: a student is in one place at a time.
    let in_round = |mut body: Value, round: u32| {
        body["starts_on"] = json!(format!("2027-{:02}-01", 2 + 2 * round));
        body["ends_on"] = json!(format!("2027-{:02}-28", 3 + 2 * round));
        body
    };
    for round in 0..5 {
        let r = submit(&app, &w, &in_round(clinical(&w, &[&w.students[0]]), round)).await;
        let body = approval(&w, &[&w.students[0]]);
        let (x, y) = tokio::join!(
            decide(&app, &w.office, &r, &body),
            decide(&app, &other, &r, &body)
        );
        let mut got = vec![outcome(x).await, outcome(y).await];
        got.sort();
        assert_eq!(got[0].0, 200, "round {round}: {got:?}");
        assert_eq!(
            got[1],
            (409, vec!["invalid_transition".to_string()]),
            "round {round}"
        );
        let made = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placements?request_id={}", id(&r)),
            )
            .await;
        assert_eq!(
            made["items"].as_array().unwrap().len(),
            1,
            "round {round}: one placement"
        );
        // Approve and withdraw at once: one of them wins, never both.
        let r = submit(&app, &w, &in_round(clinical(&w, &[&w.students[1]]), round)).await;
        let (approve, withdraw, empty) = (
            approval(&w, &[&w.students[1]]),
            format!("/api/v1/placement-requests/{}/withdraw", id(&r)),
            json!({}),
        );
        let (x, y) = tokio::join!(
            decide(&app, &w.office, &r, &approve),
            app.post(&w.school, &withdraw, &empty)
        );
        let mut got = vec![x.status().as_u16(), y.status().as_u16()];
        got.sort();
        assert_eq!(got, [200, 409], "round {round}");
        let seen = app
            .get_ok(&w.office, &format!("/api/v1/placement-requests/{}", id(&r)))
            .await;
        let made = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placements?request_id={}", id(&r)),
            )
            .await;
        let n = made["items"].as_array().unwrap().len();
        match seen["status"].as_str() {
            Some("approved") => assert_eq!(n, 1, "round {round}"),
            Some("withdrawn") => {
                assert_eq!(n, 0, "round {round}: a withdrawn request has no placements")
            }
            s => panic!("round {round}: {s:?}"),
        }
    }
});

// The list builds each request's students and preferences in its one statement; it must show
// them as the request's own read does: every student in the same order, the preferences in
// rank order with a site-only one kept as such, and a request with none of either.
db_test!(
    the_list_shows_a_request_as_its_read_does,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let mut body = clinical(&w, &[&w.students[2], &w.students[0], &w.students[1]]);
        body["preferences"] = json!([
            { "site_id": w.f.site["id"] },
            { "site_id": w.f.site["id"], "department_id": w.f.department["id"] }
        ]);
        let many = submit(&app, &w, &body).await;
        let mut body = clinical(&w, &[]);
        body["slots"] = json!(2);
        body["preferences"] = json!([]);
        body.as_object_mut().unwrap().remove("student_ids");
        let none = submit(&app, &w, &body).await;
        for who in [&w.office, &w.school] {
            let listed = app.get_ok(who, "/api/v1/placement-requests?limit=50").await;
            for r in [&many, &none] {
                let item = item_of(&listed, r);
                let read = app
                    .get_ok(who, &format!("/api/v1/placement-requests/{}", id(r)))
                    .await;
                assert_eq!(item, read);
            }
        }
        let read = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placement-requests/{}", id(&many)),
            )
            .await;
        assert_eq!(
            read["student_ids"].as_array().map(Vec::len),
            Some(3),
            "{read}"
        );
        assert_eq!(
            read["preferences"].as_array().map(Vec::len),
            Some(2),
            "{read}"
        );
        assert!(read["preferences"][0]["department_id"].is_null(), "{read}");
    }
);

db_test!(
    a_requests_kept_answer_follows_every_write_to_it,
    |app| async move {
        // Each read asks a page never asked before (its own limit), so only the requests' own
        // kept answers (by row tag) can answer it, never a whole kept page.
        let w = world(&app, 4, 4).await;
        let limit = std::cell::Cell::new(400);
        let fresh = || {
            limit.set(limit.get() - 1);
            format!("/api/v1/placement-requests?limit={}", limit.get())
        };
        let request = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        // Open: no tag, its live eligibility derived on each read. A student put on leave
        // makes it ineligible on the next read.
        let open = item_of(&app.get_ok(&w.office, &fresh()).await, &request);
        assert_eq!(open["status"], "submitted");
        assert_eq!(open["eligibility"], json!([]), "{open}");
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", id(&w.students[0])),
                &json!({ "enrollment_status": "leave" }),
            )
            .await,
            200,
        )
        .await;
        let ineligible = item_of(&app.get_ok(&w.office, &fresh()).await, &request);
        assert_ne!(ineligible["eligibility"], json!([]), "{ineligible}");
        assert_eq!(
            item_of(&app.get_ok(&w.office, &fresh()).await, &request),
            ineligible,
            "read again (kept while nothing is written)"
        );
        // Another process writes what the open request's answer shows: seen within the
        // watch's poll, as every answer kept until a write is.
        another_process(
            &app,
            "UPDATE placement_requests SET notes = 'open, by hand' WHERE id = $1",
            &[&id(&request)],
        )
        .await;
        poll(std::time::Duration::from_secs(10), || async {
            let now = item_of(&app.get_ok(&w.office, &fresh()).await, &request);
            (now["notes"] == "open, by hand").then_some(())
        })
        .await;

        // Decided: closed, answered from what was kept until its row or children change.
        expect_status(
            decide(
                &app,
                &w.office,
                &request,
                &json!({ "decision": "decline", "reason": "no seats in June" }),
            )
            .await,
            200,
        )
        .await;
        let declined = item_of(&app.get_ok(&w.office, &fresh()).await, &request);
        assert_eq!(declined["status"], "declined", "{declined}");
        assert_eq!(declined["decision_reason"], "no seats in June");
        assert_eq!(
            item_of(&app.get_ok(&w.office, &fresh()).await, &request),
            declined
        );
        let rid = id(&request);
        let second = id(&w.students[1]);
        let writes: [(&str, &[&str]); 3] = [
            (
                "UPDATE placement_requests SET notes = 'written by hand' WHERE id = $1",
                &[&rid],
            ),
            (
                "INSERT INTO request_students (request_id, student_id) VALUES ($1, $2)",
                &[&rid, &second],
            ),
            (
                "DELETE FROM request_preferences WHERE request_id = $1",
                &[&rid],
            ),
        ];
        // Another process's write is seen within the watch's poll: a page's ids and tags may
        // come from the listing kept whole until a write (db::listings), as every kept value.
        let mut last = declined;
        for (sql, binds) in writes {
            assert_eq!(another_process(&app, sql, binds).await, 1, "{sql}");
            last = poll(std::time::Duration::from_secs(10), || async {
                let now = item_of(&app.get_ok(&w.office, &fresh()).await, &request);
                (now != last).then_some(now)
            })
            .await;
        }
        assert_eq!(last["notes"], "written by hand", "{last}");
        assert_eq!(
            last["student_ids"].as_array().map(Vec::len),
            Some(2),
            "{last}"
        );
        assert_eq!(last["preferences"], json!([]), "{last}");
    }
);
