//! Eligibility on every day of the period across several agreements, and eligibility again at
//! the decision: a student withdrawn or graduated, a program whose accreditation lapsed since
//! the request was submitted (DOMAIN.md rule 1, API.md "Eligibility").
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

async fn agreement(app: &TestApp, w: &World, school: &Value, body: Value) -> Value {
    let a = app
        .create(
            &w.office,
            &format!("/api/v1/schools/{}/agreements", sid(school)),
            &body,
        )
        .await;
    assert_eq!(a["status"], body["status"], "{a}");
    a
}

/// A school of its own with a radiography program and one enrolled student, and no agreement.
async fn bare_school(app: &TestApp, w: &World, discipline: &str) -> (Value, Value, Value) {
    let school = app
        .create(
            &w.office,
            "/api/v1/schools",
            &json!({ "name": format!("School {}", uuid::Uuid::now_v7().simple()), "city": "Lowell", "state": "MA" }),
        )
        .await;
    let program = app
        .create(
            &w.office,
            &format!("/api/v1/schools/{}/programs", sid(&school)),
            &json!({ "name": "A program", "discipline": discipline, "degree_level": "associate",
                     "accredited_until": "2030-06-30" }),
        )
        .await;
    assert_eq!(program["discipline"], discipline, "{program}");
    let s = student(app, &w.office, &school, &program, "Case", "enrolled").await;
    (school, program, s)
}

fn request_for(school: &Value, program: &Value, student: &Value) -> Value {
    json!({ "kind": "clinical", "school_id": school["id"], "program_id": program["id"],
            "starts_on": "2027-02-01", "ends_on": "2027-03-31", "hours_per_week": 32,
            "student_ids": [student["id"]] })
}

async fn requests_of(app: &TestApp, w: &World, school: &Value) -> Vec<Value> {
    app.all_pages(
        &w.office,
        &format!("/api/v1/placement-requests?school_id={}", sid(school)),
        100,
    )
    .await
}

db_test!(
    a_one_day_gap_between_two_agreements_is_refused,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let (school, program, s) = bare_school(&app, &w, "radiography").await;
        // Agreement one ends on 14 February, agreement two starts on 16 February.
        agreement(
            &app,
            &w,
            &school,
            json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2027-02-14" }),
        )
        .await;
        let second = agreement(
            &app,
            &w,
            &school,
            json!({ "status": "active", "effective_on": "2027-02-16", "expires_on": "2028-12-31" }),
        )
        .await;
        let body = request_for(&school, &program, &s);
        let problem = expect_problem(
            app.post(&w.office, "/api/v1/placement-requests", &body)
                .await,
            422,
            &["agreement_does_not_cover_dates"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains("Mon 15 Feb 2027"),
            "the uncovered day is named: {problem}"
        );
        assert!(
            requests_of(&app, &w, &school).await.is_empty(),
            "nothing stored"
        );
        // A gap on the last day of the period only: still refused.
        let (school2, program2, s2) = bare_school(&app, &w, "radiography").await;
        agreement(
            &app,
            &w,
            &school2,
            json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2027-03-30" }),
        )
        .await;
        agreement(
            &app,
            &w,
            &school2,
            json!({ "status": "active", "effective_on": "2027-04-01", "expires_on": "2028-12-31" }),
        )
        .await;
        let problem = expect_problem(
            app.post(
                &w.office,
                "/api/v1/placement-requests",
                &request_for(&school2, &program2, &s2),
            )
            .await,
            422,
            &["agreement_does_not_cover_dates"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains("Wed 31 Mar 2027"),
            "{problem}"
        );
        // Closing the gap (the second now starts on the 15th) makes the same request eligible.
        let patched = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&second)),
                &json!({ "effective_on": "2027-02-15" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(patched["effective_on"], "2027-02-15");
        let r = app
            .create(&w.office, "/api/v1/placement-requests", &body)
            .await;
        assert_eq!(r["status"], "submitted");
        let stored = requests_of(&app, &w, &school).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0]["id"], r["id"]);
    }
);

db_test!(
    back_to_back_agreements_cover_the_period_through_the_decision,
    |app| async move {
        let w = world(&app, 4, 4).await;
        // Replace the world's single agreement by two that meet: 14 and 15 February.
        let ended = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&w.agreement)),
                &json!({ "expires_on": "2027-02-14" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(ended["expires_on"], "2027-02-14");
        let body = clinical(&w, &[&w.students[0]]);
        expect_problem(
            app.post(&w.school, "/api/v1/placement-requests", &body)
                .await,
            422,
            &["agreement_does_not_cover_dates"],
        )
        .await;
        agreement(
            &app,
            &w,
            &w.f.school,
            json!({ "status": "active", "effective_on": "2027-02-15", "expires_on": "2028-12-31" }),
        )
        .await;
        let r = submit(&app, &w, &body).await;
        let seen = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placement-requests/{}", sid(&r)),
            )
            .await;
        assert_eq!(seen["eligibility"], json!([]), "{seen}");
        let made = approve(&app, &w, &r, &approval(&w, &[&w.students[0]])).await;
        assert_eq!(made[0]["starts_on"], "2027-02-01");
        assert_eq!(made[0]["ends_on"], "2027-03-31");
        assert_eq!(live_placements(&app, &w).await, [sid(&made[0])]);
    }
);

db_test!(
    an_agreement_covering_some_disciplines_refuses_the_others,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let (school, radiography, rad_student) = bare_school(&app, &w, "radiography").await;
        let sono_program = app
            .create(
                &w.office,
                &format!("/api/v1/schools/{}/programs", sid(&school)),
                &json!({ "name": "AS Sonography", "discipline": "sonography", "degree_level": "associate",
                         "accredited_until": "2030-06-30" }),
            )
            .await;
        let sono_student =
            student(&app, &w.office, &school, &sono_program, "Sono", "enrolled").await;
        agreement(
            &app,
            &w,
            &school,
            json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31",
                    "disciplines": ["radiography"] }),
        )
        .await;
        let r = app
            .create(
                &w.office,
                "/api/v1/placement-requests",
                &request_for(&school, &radiography, &rad_student),
            )
            .await;
        assert_eq!(r["status"], "submitted");
        expect_problem(
            app.post(
                &w.office,
                "/api/v1/placement-requests",
                &request_for(&school, &sono_program, &sono_student),
            )
            .await,
            422,
            &["agreement_does_not_cover_discipline"],
        )
        .await;
        // An all-disciplines agreement to 28 February covers sonography only until then: the
        // radiography-only agreement does not carry it through March.
        agreement(
            &app,
            &w,
            &school,
            json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2027-02-28" }),
        )
        .await;
        let problem = expect_problem(
            app.post(
                &w.office,
                "/api/v1/placement-requests",
                &request_for(&school, &sono_program, &sono_student),
            )
            .await,
            422,
            &["agreement_does_not_cover_dates"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains("Mon 1 Mar 2027"),
            "{problem}"
        );
        // February alone is covered for sonography.
        let mut february = request_for(&school, &sono_program, &sono_student);
        february["ends_on"] = json!("2027-02-28");
        let ok = app
            .create(&w.office, "/api/v1/placement-requests", &february)
            .await;
        assert_eq!(ok["status"], "submitted");
        let stored: Vec<String> = requests_of(&app, &w, &school)
            .await
            .iter()
            .map(sid)
            .collect();
        assert_eq!(stored, [sid(&r), sid(&ok)]);
    }
);

db_test!(
    a_student_withdrawn_or_graduated_since_submission_is_refused_at_the_decision,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0], &w.students[1]])).await;
        for (s, status) in [(&w.students[0], "withdrawn"), (&w.students[1], "graduated")] {
            let changed = expect_status(
                app.patch(
                    &w.office,
                    &format!("/api/v1/students/{}", sid(s)),
                    &json!({ "enrollment_status": status }),
                )
                .await,
                200,
            )
            .await;
            assert_eq!(changed["enrollment_status"], status);
        }
        let trail = audit_trail(&app, &admin).await;
        let decision = approval(&w, &[&w.students[0], &w.students[1]]);
        let problem = expect_problem(
            decide(&app, &w.office, &r, &decision).await,
            422,
            &["student_not_enrolled", "student_not_enrolled"],
        )
        .await;
        let messages = problem["errors"].to_string();
        assert!(
            messages.contains("withdrawn") && messages.contains("graduated"),
            "{problem}"
        );
        assert_eq!(request_status(&app, &w, &r).await, "submitted");
        assert!(placements(&app, &w).await.is_empty(), "nothing created");
        assert_eq!(
            audit_trail(&app, &admin).await,
            trail,
            "a refused decision writes no audit row"
        );
        // One back to enrolled: only the other is named.
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&w.students[0])),
                &json!({ "enrollment_status": "enrolled" }),
            )
            .await,
            200,
        )
        .await;
        let problem = expect_problem(
            decide(&app, &w.office, &r, &decision).await,
            422,
            &["student_not_enrolled"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains(&format!("{} is not enrolled", full_name(&w.students[1]))),
            "{problem}"
        );
        // A student on leave is not enrolled either; enrolled again, the decision goes through.
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&w.students[1])),
                &json!({ "enrollment_status": "leave" }),
            )
            .await,
            200,
        )
        .await;
        expect_problem(
            decide(&app, &w.office, &r, &decision).await,
            422,
            &["student_not_enrolled"],
        )
        .await;
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&w.students[1])),
                &json!({ "enrollment_status": "enrolled" }),
            )
            .await,
            200,
        )
        .await;
        let made = approve(&app, &w, &r, &decision).await;
        let mut got: Vec<String> = made
            .iter()
            .map(|p| p["student_id"].as_str().expect("named").to_string())
            .collect();
        got.sort();
        let mut want = vec![sid(&w.students[0]), sid(&w.students[1])];
        want.sort();
        assert_eq!(got, want);
    }
);

db_test!(
    a_program_whose_accreditation_lapsed_is_refused_at_the_decision,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let program = format!("/api/v1/programs/{}", sid(&w.f.program));
        // Accredited to the day before the last day.
        let lapsed = expect_status(
            app.patch(
                &w.office,
                &program,
                &json!({ "accredited_until": "2027-03-30" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(lapsed["accredited_until"], "2027-03-30");
        let seen = app
            .get_ok(
                &w.school,
                &format!("/api/v1/placement-requests/{}", sid(&r)),
            )
            .await;
        assert_eq!(
            codes(&json!({ "errors": seen["eligibility"] })),
            ["program_not_accredited"],
            "{seen}"
        );
        let trail = audit_trail(&app, &admin).await;
        let decision = approval(&w, &[&w.students[0]]);
        expect_problem(
            decide(&app, &w.office, &r, &decision).await,
            422,
            &["program_not_accredited"],
        )
        .await;
        // No accreditation on record at all.
        expect_status(
            app.patch(&w.office, &program, &json!({ "accredited_until": null }))
                .await,
            200,
        )
        .await;
        let after_patch = audit_trail(&app, &admin).await;
        assert_eq!(
            after_patch.len(),
            trail.len() + 1,
            "only the program's change"
        );
        expect_problem(
            decide(&app, &w.office, &r, &decision).await,
            422,
            &["program_not_accredited"],
        )
        .await;
        assert_eq!(audit_trail(&app, &admin).await, after_patch);
        assert_eq!(request_status(&app, &w, &r).await, "submitted");
        assert!(placements(&app, &w).await.is_empty());
        // Accredited through the last day exactly: approved.
        expect_status(
            app.patch(
                &w.office,
                &program,
                &json!({ "accredited_until": "2027-03-31" }),
            )
            .await,
            200,
        )
        .await;
        let made = approve(&app, &w, &r, &decision).await;
        assert_eq!(made[0]["student_id"], w.students[0]["id"]);
        assert_eq!(live_placements(&app, &w).await, [sid(&made[0])]);
    }
);
