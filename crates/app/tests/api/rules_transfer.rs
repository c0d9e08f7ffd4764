//! Issue 12 point 4: people move. A transfer moves an enrollment to another school or program
//! and keeps the person, their documents and history; the school they left keeps reading what
//! was created while the student was theirs; open placements under the old program become at
//! risk. A student may hold more than one enrollment, and a request is checked against the
//! enrollment in the program it names.
use crate::db_test;
use crate::helpers::*;
use crate::idempotency::form_key;
use crate::rule_pages::{page, post_form};
use crate::rules_world::*;
use serde_json::{Value, json};

/// A second school with an active agreement, an accredited program in `discipline` and its
/// coordinator.
async fn receiving_school(app: &TestApp, w: &World, discipline: &str) -> (Value, Value, Caller) {
    let school = app
        .create(
            &w.office,
            "/api/v1/schools",
            &json!({ "name": format!("School {}", uuid::Uuid::now_v7().simple()), "city": "Lowell", "state": "MA" }),
        )
        .await;
    let program = program_at(app, w, &school, discipline).await;
    app.create(
        &w.office,
        &format!("/api/v1/schools/{}/agreements", sid(&school)),
        &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
    )
    .await;
    let coordinator = app
        .user("school_coordinator", json!({ "school_id": school["id"] }))
        .await;
    (school, program, coordinator)
}

async fn program_at(app: &TestApp, w: &World, school: &Value, discipline: &str) -> Value {
    app.create(
        &w.office,
        &format!("/api/v1/schools/{}/programs", sid(school)),
        &json!({ "discipline": discipline, "degree_level": "certificate", "accredited_until": "2030-06-30" }),
    )
    .await
}

fn transfer_path(student: &Value) -> String {
    format!("/api/v1/students/{}/transfer", sid(student))
}

async fn document_ids(app: &TestApp, who: &Caller, student: &Value) -> Vec<String> {
    ids(&app
        .get_ok(who, &format!("/api/v1/students/{}/documents", sid(student)))
        .await)
}

/// Uploads and verifies one piece of evidence for the student as the office.
async fn verified(app: &TestApp, w: &World, student: &Value, code: &str) -> String {
    let doc = expect_status(
        upload(
            app,
            &w.office,
            &sid(student),
            &[
                ("requirement_code", code),
                ("completed_on", "2026-12-01"),
                ("expires_on", "2028-12-31"),
            ],
        )
        .await,
        201,
    )
    .await;
    expect_status(
        app.post(
            &w.office,
            &format!("/api/v1/documents/{}/review", sid(&doc)),
            &json!({ "outcome": "verified" }),
        )
        .await,
        200,
    )
    .await;
    sid(&doc)
}

db_test!(
    a_transfer_keeps_the_person_their_documents_and_their_history,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let before_doc = verified(&app, &w, &ana, "tdap").await;
        let (school_b, program_b, coordinator_b) = receiving_school(&app, &w, "radiography").await;
        app.clock.advance(chrono::Duration::minutes(2));

        let moved = expect_status(
            app.post(
                &w.office,
                &transfer_path(&ana),
                &json!({ "school_id": school_b["id"], "program_id": program_b["id"] }),
            )
            .await,
            200,
        )
        .await;
        // One person: the same record, now at the receiving school, with the history kept.
        assert_eq!(moved["id"], ana["id"], "{moved}");
        assert_eq!(moved["email"], ana["email"]);
        assert_eq!(moved["school_id"], school_b["id"], "{moved}");
        assert_eq!(moved["program_id"], program_b["id"], "{moved}");
        assert_eq!(moved["enrollment_status"], "enrolled");
        let enrollments = moved["enrollments"].as_array().expect("enrollments");
        assert_eq!(enrollments.len(), 2, "{moved}");
        assert_eq!(enrollments[0]["school_id"], w.f.school["id"]);
        assert_eq!(enrollments[0]["ended_reason"], "transferred", "{moved}");
        assert!(enrollments[0]["ended_at"].is_string(), "{moved}");
        assert_eq!(enrollments[1]["school_id"], school_b["id"]);
        assert!(enrollments[1].get("ended_at").is_none(), "{moved}");
        // The office's list shows the ended enrollment and the new one as the read does (the
        // list builds them as JSON in its statement: timestamps must come back the same).
        let listed = app
            .get_ok(
                &w.office,
                &format!("/api/v1/students?q={}", ana["last_name"].as_str().unwrap()),
            )
            .await;
        let item = item_of(&listed, &ana);
        assert_eq!(item["enrollments"], moved["enrollments"], "{listed}");

        // The receiving school sees the student and the evidence that came with them, and its
        // list finds them; the verified card counts for them without a second upload.
        let seen = app
            .get_ok(&coordinator_b, &format!("/api/v1/students/{}", sid(&ana)))
            .await;
        assert_eq!(seen["id"], ana["id"]);
        assert_eq!(
            document_ids(&app, &coordinator_b, &ana).await,
            std::slice::from_ref(&before_doc)
        );
        let listed = ids(&app.get_ok(&coordinator_b, "/api/v1/students").await);
        assert!(listed.contains(&sid(&ana)), "{listed:?}");

        // The school the student left still reads what was created while they were theirs...
        app.clock.advance(chrono::Duration::minutes(2));
        let after_doc = verified(&app, &w, &ana, "bls").await;
        let seen_by_a = app
            .get_ok(&w.school, &format!("/api/v1/students/{}", sid(&ana)))
            .await;
        assert_eq!(seen_by_a["id"], ana["id"]);
        assert_eq!(
            document_ids(&app, &w.school, &ana).await,
            std::slice::from_ref(&before_doc)
        );
        let file = app
            .get(&w.school, &format!("/api/v1/documents/{before_doc}/file"))
            .await;
        assert_eq!(
            file.status(),
            200,
            "the old school reads its own era's file"
        );
        let file = app
            .get(&w.school, &format!("/api/v1/documents/{after_doc}/file"))
            .await;
        assert_eq!(
            file.status(),
            404,
            "...but not what came after the student left"
        );
        // ...and may no longer change the student.
        let res = app
            .patch(
                &w.school,
                &format!("/api/v1/students/{}", sid(&ana)),
                &json!({ "first_name": "Anna" }),
            )
            .await;
        assert_eq!(res.status(), 404);
        // The new school has both documents; the person has one record.
        let mut both = vec![before_doc, after_doc];
        both.sort();
        let mut theirs = document_ids(&app, &coordinator_b, &ana).await;
        theirs.sort();
        assert_eq!(theirs, both);
        // A record with the same email is still refused: one person, one record.
        let res = app
            .post(
                &coordinator_b,
                "/api/v1/students",
                &json!({ "program_id": program_b["id"], "first_name": "Ana", "last_name": "Again",
                         "email": ana["email"] }),
            )
            .await;
        assert_eq!(res.status(), 409);
    }
);

db_test!(
    a_transfer_puts_the_open_placements_under_the_old_program_at_risk,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let placement = placed(&app, &w, &[&ana]).await[0].clone();
        let (school_b, program_b, _) = receiving_school(&app, &w, "radiography").await;
        let moved = expect_status(
            app.post(
                &w.office,
                &transfer_path(&ana),
                &json!({ "school_id": school_b["id"], "program_id": program_b["id"] }),
            )
            .await,
            200,
        )
        .await;
        let affected: Vec<&Value> = moved["affected_placements"]
            .as_array()
            .unwrap_or_else(|| panic!("affected placements listed: {moved}"))
            .iter()
            .filter(|a| a["id"] == placement["id"])
            .collect();
        assert_eq!(affected.len(), 1, "{moved}");
        assert!(
            affected[0]["risks"]
                .to_string()
                .contains("student_not_in_program"),
            "{moved}"
        );
        let p = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placements/{}", sid(&placement)),
            )
            .await;
        assert!(
            p["risks"].to_string().contains("student_not_in_program"),
            "{p}"
        );
        // The next forward move is refused with the code.
        expect_problem(
            transition(&app, &w.school, &placement, &json!({ "to": "confirmed" })).await,
            409,
            &["student_not_in_program"],
        )
        .await;
    }
);

db_test!(
    a_transfer_within_the_school_and_by_a_patch_of_the_program_keeps_the_history,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let second = program_at(&app, &w, &w.f.school, "phlebotomy").await;
        // The receiving school is the caller's own: `school_id` may be left out.
        let moved = expect_status(
            app.post(
                &w.school,
                &transfer_path(&ana),
                &json!({ "program_id": second["id"] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(moved["program_id"], second["id"], "{moved}");
        assert_eq!(moved["enrollments"].as_array().map(Vec::len), Some(2));
        // A PATCH of the program moves the enrollment the same way: history, not overwrite.
        let back = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&ana)),
                &json!({ "program_id": w.f.program["id"] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(back["program_id"], w.f.program["id"]);
        let history = back["enrollments"].as_array().expect("enrollments");
        assert_eq!(history.len(), 3, "{back}");
        assert_eq!(
            history
                .iter()
                .filter(|e| e["ended_reason"] == "transferred")
                .count(),
            2,
            "{back}"
        );
        // Changing the school by a PATCH still points to the transfer.
        let problem = expect_problem(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&ana)),
                &json!({ "school_id": w.f.other_school["id"] }),
            )
            .await,
            422,
            &["program_not_at_school", "read_only"],
        )
        .await;
        assert!(problem.to_string().contains("transfer"), "{problem}");
    }
);

db_test!(
    a_transfer_is_refused_with_every_problem_and_only_the_office_or_receiving_school_may_move,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let (school_b, program_b, coordinator_b) = receiving_school(&app, &w, "radiography").await;
        let (_, program_c, coordinator_c) = receiving_school(&app, &w, "radiography").await;
        let path = transfer_path(&ana);
        // Every problem at once.
        expect_problem(
            app.post(
                &w.office,
                &path,
                &json!({ "school_id": "nope", "colour": 1 }),
            )
            .await,
            422,
            &["invalid_id", "required", "unknown_field"],
        )
        .await;
        expect_problem(
            app.post(
                &w.office,
                &path,
                &json!({ "school_id": school_b["id"], "program_id": program_c["id"] }),
            )
            .await,
            422,
            &["program_not_at_school"],
        )
        .await;
        expect_problem(
            app.post(
                &w.office,
                &path,
                &json!({ "school_id": school_b["id"], "program_id": uuid::Uuid::now_v7().to_string() }),
            )
            .await,
            422,
            &["unknown_program"],
        )
        .await;
        expect_problem(
            app.post(
                &w.office,
                &path,
                &json!({ "school_id": w.f.school["id"], "program_id": w.f.program["id"] }),
            )
            .await,
            422,
            &["already_enrolled"],
        )
        .await;
        expect_problem(
            app.post(
                &w.office,
                &path,
                &json!({ "school_id": school_b["id"], "program_id": program_b["id"],
                         "enrollment_id": uuid::Uuid::now_v7().to_string() }),
            )
            .await,
            422,
            &["unknown_reference"],
        )
        .await;
        // A school receives into its own programs only, never pushes a student elsewhere.
        expect_problem(
            app.post(
                &coordinator_c,
                &path,
                &json!({ "school_id": school_b["id"], "program_id": program_b["id"] }),
            )
            .await,
            422,
            &["unknown_school"],
        )
        .await;
        // Those who do not manage students may not, and an unknown student is 404.
        let preceptor = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let res = app
            .post(
                &preceptor,
                &path,
                &json!({ "school_id": school_b["id"], "program_id": program_b["id"] }),
            )
            .await;
        assert_eq!(res.status(), 403);
        let res = app
            .post(
                &coordinator_b,
                &format!("/api/v1/students/{}/transfer", uuid::Uuid::now_v7()),
                &json!({ "program_id": program_b["id"] }),
            )
            .await;
        assert_eq!(res.status(), 404);
        // Nothing moved on any refusal.
        let still = app
            .get_ok(&w.office, &format!("/api/v1/students/{}", sid(&ana)))
            .await;
        assert_eq!(still["school_id"], w.f.school["id"]);
        assert_eq!(
            still["enrollments"].as_array().map(Vec::len),
            Some(1),
            "{still}"
        );
        // The receiving school moves the student into its own program.
        let moved = expect_status(
            app.post(
                &coordinator_b,
                &path,
                &json!({ "program_id": program_b["id"] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(moved["school_id"], school_b["id"], "{moved}");
    }
);

db_test!(
    a_student_holds_two_enrollments_and_a_request_is_checked_on_the_one_it_names,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        // A phlebotomy certificate at another school alongside the radiography degree.
        let (_, certificate, coordinator_b) = receiving_school(&app, &w, "phlebotomy").await;
        let path = format!("/api/v1/students/{}/enrollments", sid(&ana));
        let both = expect_status(
            app.post(
                &coordinator_b,
                &path,
                &json!({ "program_id": certificate["id"] }),
            )
            .await,
            201,
        )
        .await;
        let current: Vec<&Value> = both["enrollments"]
            .as_array()
            .expect("enrollments")
            .iter()
            .filter(|e| e.get("ended_at").is_none())
            .collect();
        assert_eq!(current.len(), 2, "{both}");
        // The primary enrollment (API v1's fields) is still the first.
        assert_eq!(both["program_id"], w.f.program["id"], "{both}");
        let second_id = current[1]["id"].as_str().expect("an id").to_string();
        expect_problem(
            app.post(
                &coordinator_b,
                &path,
                &json!({ "program_id": certificate["id"] }),
            )
            .await,
            422,
            &["already_enrolled"],
        )
        .await;
        // Both schools see the student; each asks for its own program.
        let theirs = ids(&app
            .get_ok(
                &coordinator_b,
                &format!("/api/v1/students?program_id={}", sid(&certificate)),
            )
            .await);
        assert_eq!(theirs, [sid(&ana)]);
        // The list carries the same enrollments, in the same order, as the student's own read
        // (the list builds them in its one statement).
        let listed = app
            .get_ok(
                &coordinator_b,
                &format!("/api/v1/students?program_id={}", sid(&certificate)),
            )
            .await;
        let one = app
            .get_ok(&coordinator_b, &format!("/api/v1/students/{}", sid(&ana)))
            .await;
        assert_eq!(
            listed["items"][0]["enrollments"], one["enrollments"],
            "{listed}"
        );
        assert_eq!(
            one["enrollments"].as_array().map(Vec::len),
            Some(2),
            "{one}"
        );
        let for_certificate = json!({ "kind": "clinical", "program_id": certificate["id"], "starts_on": "2027-05-03",
            "ends_on": "2027-05-28", "hours_per_week": 24, "student_ids": [ana["id"]] });
        let r = expect_status(
            app.post(
                &coordinator_b,
                "/api/v1/placement-requests",
                &for_certificate,
            )
            .await,
            201,
        )
        .await;
        assert_eq!(r["program_id"], certificate["id"]);
        submit(&app, &w, &clinical(&w, &[&ana])).await;
        // Withdrawn from the certificate: its requests are refused, the degree's are not.
        let withdrawn = expect_status(
            app.patch(
                &coordinator_b,
                &format!("/api/v1/enrollments/{second_id}"),
                &json!({ "enrollment_status": "withdrawn" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            withdrawn["enrollment_status"], "enrolled",
            "the primary is unchanged"
        );
        expect_problem(
            app.post(
                &coordinator_b,
                "/api/v1/placement-requests",
                &for_certificate,
            )
            .await,
            422,
            &["student_not_enrolled"],
        )
        .await;
        submit(&app, &w, &clinical(&w, &[&ana])).await;
        // A school changes only its own enrollments, and not the program of one.
        let res = app
            .patch(
                &w.school,
                &format!("/api/v1/enrollments/{second_id}"),
                &json!({ "enrollment_status": "enrolled" }),
            )
            .await;
        assert_eq!(res.status(), 404);
        expect_problem(
            app.patch(
                &coordinator_b,
                &format!("/api/v1/enrollments/{second_id}"),
                &json!({ "program_id": w.f.program["id"] }),
            )
            .await,
            422,
            &["read_only"],
        )
        .await;
        // A program at another school than the caller's: refused, nothing added.
        let res = app
            .post(
                &coordinator_b,
                &path,
                &json!({ "program_id": w.f.program["id"] }),
            )
            .await;
        assert_eq!(res.status(), 422);
    }
);

db_test!(
    the_pages_show_the_enrollments_and_move_a_student,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let (school_b, program_b, coordinator_b) = receiving_school(&app, &w, "radiography").await;
        let ana_id = sid(&ana);
        // The office's page of the student: the history table and the two actions.
        let (status, html, _) = page(&app, &w.office, &format!("/students/{ana_id}")).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("Enrollments") && html.contains("Current"),
            "{html}"
        );
        assert!(
            html.contains(&format!("/students/{ana_id}/transfer")),
            "{html}"
        );
        // The receiving school takes the student by their Practicum ID, shown on their profile.
        let student = app
            .user("student", json!({ "student_id": ana["id"] }))
            .await;
        let (_, profile, _) = page(&app, &student, "/profile").await;
        assert!(
            profile.contains(&ana_id),
            "the profile shows the Practicum ID: {profile}"
        );
        let (status, html, csrf) = page(&app, &coordinator_b, "/students/receive").await;
        assert_eq!(status, 200, "{html}");
        let key = form_key(&html);
        let program = sid(&program_b);
        // A made-up ID is a problem on the form, not an error page.
        let unknown = uuid::Uuid::now_v7().to_string();
        let (status, again) = post_form(
            &app,
            &coordinator_b,
            "/students/receive",
            &[
                ("csrf_token", &csrf),
                ("form_key", &key),
                ("student_id", &unknown),
                ("program_id", &program),
            ],
        )
        .await;
        assert_eq!(status, 422, "{again}");
        assert!(again.contains("no student with this ID"), "{again}");
        let (status, _) = post_form(
            &app,
            &coordinator_b,
            "/students/receive",
            &[
                ("csrf_token", &csrf),
                ("form_key", &key),
                ("student_id", &ana_id),
                ("program_id", &program),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let now = app
            .get_ok(&w.office, &format!("/api/v1/students/{ana_id}"))
            .await;
        assert_eq!(now["school_id"], school_b["id"], "{now}");
        // The page says where they came from; the school they left has no Transfer or Edit.
        let (_, html, _) = page(&app, &w.office, &format!("/students/{ana_id}")).await;
        assert!(html.contains("Transferred, "), "{html}");
        let (status, html, _) = page(&app, &w.school, &format!("/students/{ana_id}")).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            !html.contains(&format!("/students/{ana_id}/transfer")),
            "{html}"
        );
        assert!(
            !html.contains(&format!("/students/{ana_id}/edit")),
            "{html}"
        );
    }
);

// Issue 12 point 1: an edit page shows the open placements a change would put at risk before
// the change is kept; confirmed, it is kept and they are flagged.
db_test!(
    an_edit_page_shows_the_placements_at_risk_before_the_change_is_kept,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let placement = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        let agreement = sid(&w.agreement);
        let path = format!("/agreements/{agreement}");
        let (status, html, csrf) = page(&app, &w.office, &format!("{path}/edit")).await;
        assert_eq!(status, 200, "{html}");
        let terminate = [
            ("csrf_token", csrf.as_str()),
            ("status", "terminated"),
            ("effective_on", "2026-01-01"),
            ("expires_on", "2028-12-31"),
        ];
        // A harmless change is saved at once.
        let harmless = [
            ("csrf_token", csrf.as_str()),
            ("status", "active"),
            ("effective_on", "2026-01-01"),
            ("expires_on", "2028-12-31"),
            ("note", "renewed by phone"),
        ];
        let (status, _) = post_form(&app, &w.office, &path, &harmless).await;
        assert_eq!(status, 303);
        // Terminating it: the form again, naming the placement, and nothing saved.
        let (status, html) = post_form(&app, &w.office, &path, &terminate).await;
        assert_eq!(status, 409, "{html}");
        assert!(html.contains("puts 1 open placement at risk"), "{html}");
        assert!(
            html.contains(&format!("/placements/{}", sid(&placement))),
            "{html}"
        );
        assert!(html.contains("name=\"confirm_risks\""), "{html}");
        assert!(html.contains("Save anyway"), "{html}");
        let a = app
            .get_ok(&w.office, &format!("/api/v1/agreements/{agreement}"))
            .await;
        assert_eq!(
            a["status"], "active",
            "nothing saved before confirming: {a}"
        );
        let p = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placements/{}", sid(&placement)),
            )
            .await;
        assert_eq!(p["risks"], json!([]), "{p}");
        // Confirmed: kept, and the placement is at risk.
        let mut confirmed = terminate.to_vec();
        confirmed.push(("confirm_risks", "yes"));
        let (status, _) = post_form(&app, &w.office, &path, &confirmed).await;
        assert_eq!(status, 303);
        let a = app
            .get_ok(&w.office, &format!("/api/v1/agreements/{agreement}"))
            .await;
        assert_eq!(a["status"], "terminated");
        let p = app
            .get_ok(
                &w.office,
                &format!("/api/v1/placements/{}", sid(&placement)),
            )
            .await;
        assert!(
            p["risks"].to_string().contains("agreement_not_active"),
            "{p}"
        );
    }
);

db_test!(
    the_transfer_page_asks_before_putting_placements_at_risk,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let placement = placed(&app, &w, &[&ana]).await[0].clone();
        let (_, program_b, _) = receiving_school(&app, &w, "radiography").await;
        let path = format!("/students/{}/transfer", sid(&ana));
        let (status, html, csrf) = page(&app, &w.office, &path).await;
        assert_eq!(status, 200, "{html}");
        let key = form_key(&html);
        let program = sid(&program_b);
        let fields = [
            ("csrf_token", csrf.as_str()),
            ("form_key", key.as_str()),
            ("program_id", program.as_str()),
        ];
        let (status, html) = post_form(&app, &w.office, &path, &fields).await;
        assert_eq!(status, 409, "{html}");
        assert!(
            html.contains(&format!("/placements/{}", sid(&placement))),
            "{html}"
        );
        let still = app
            .get_ok(&w.office, &format!("/api/v1/students/{}", sid(&ana)))
            .await;
        assert_eq!(still["school_id"], w.f.school["id"], "not moved yet");
        let mut confirmed = fields.to_vec();
        confirmed.push(("confirm_risks", "yes"));
        let (status, html) = post_form(&app, &w.office, &path, &confirmed).await;
        assert_eq!(status, 303, "{html}");
        let moved = app
            .get_ok(&w.office, &format!("/api/v1/students/{}", sid(&ana)))
            .await;
        assert_eq!(moved["program_id"], program_b["id"]);
    }
);
