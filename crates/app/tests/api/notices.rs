//! Every notice reaches someone (issue 12, point 5): one test per row of `domain::notice`'s
//! table, with a student who has a sign-in and one who has only an address on file.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

struct World {
    office: Caller,
    school: Caller,
    f: Fixture,
    preceptor: Value,
}

/// An office, a school with an active agreement and its coordinator, a preceptor; the
/// fixture's student has no sign-in.
async fn world(app: &TestApp) -> World {
    let office = app.coordinator().await;
    let f = fixture(app, &office).await;
    app.create(
        &office,
        &format!("/api/v1/schools/{}/agreements", id(&f.school)),
        &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2029-12-31" }),
    )
    .await;
    let preceptor = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Pat", "email": format!("pat-{}@h.test", uuid::Uuid::now_v7().simple()),
                     "department_id": f.department["id"], "discipline": "radiography",
                     "is_preceptor": true, "max_students": 4 }),
        )
        .await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    World {
        office,
        school,
        f,
        preceptor,
    }
}

async fn request(app: &TestApp, w: &World, from: &str, to: &str) -> Value {
    app.create(
        &w.school,
        "/api/v1/placement-requests",
        &json!({ "kind": "clinical", "program_id": w.f.program["id"], "starts_on": from, "ends_on": to,
                 "hours_per_week": 32, "student_ids": [w.f.student["id"]] }),
    )
    .await
}

async fn approve(app: &TestApp, w: &World, r: &Value) -> Value {
    expect_status(
        app.post(
            &w.office,
            &format!("/api/v1/placement-requests/{}/decision", id(r)),
            &json!({ "decision": "approve", "placements": [{ "student_id": w.f.student["id"],
                     "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] }] }),
        )
        .await,
        200,
    )
    .await
}

/// Every mail queued to `to`, as (subject, body).
async fn mail_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    let mut tx = app.state.db.read().await.expect("a read transaction");
    practicum::db::mail_queue::all(&mut tx)
        .await
        .expect("the outbox is readable")
        .into_iter()
        .filter(|m| m.to_email == to)
        .map(|m| (m.subject, m.body))
        .collect()
}

/// The caller's notifications as (kind, message, read).
async fn notes(app: &TestApp, who: &Caller) -> Vec<(String, String, bool)> {
    items(&app.get_ok(who, "/api/v1/notifications?limit=500").await)
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().expect("a kind").to_string(),
                n["message"].as_str().expect("a message").to_string(),
                !n["read_at"].is_null(),
            )
        })
        .collect()
}

fn email_of(v: &Value) -> String {
    v["email"].as_str().expect("an email").to_string()
}

/// A document for the fixture's student, sent by `who` with these form fields; must be 201.
async fn upload(app: &TestApp, w: &World, who: &Caller, fields: &[(&str, &str)]) -> Value {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let form = form.part(
        "file",
        reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("card.pdf"),
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/students/{}/documents", id(&w.f.student))))
        .bearer_auth(&who.token)
        .multipart(form)
        .send()
        .await
        .expect("request");
    expect_status(res, 201).await
}

async fn upload_and_reject(app: &TestApp, w: &World, uploader: &Caller) -> Value {
    let doc = upload(
        app,
        w,
        uploader,
        &[("requirement_code", "mmr"), ("completed_on", "2026-11-01")],
    )
    .await;
    expect_status(
        app.post(
            &w.office,
            &format!("/api/v1/documents/{}/review", id(&doc)),
            &json!({ "outcome": "rejected", "note": "only one dose shown" }),
        )
        .await,
        200,
    )
    .await
}

db_test!(
    a_rejection_reaches_a_student_without_a_sign_in_and_their_school,
    |app| async move {
        let w = world(&app).await;
        approve(
            &app,
            &w,
            &request(&app, &w, "2027-02-01", "2027-04-30").await,
        )
        .await;
        upload_and_reject(&app, &w, &w.school).await;
        // The student has no sign-in: the address on their record hears it.
        let to_student = mail_to(&app, &email_of(&w.f.student)).await;
        let rejected: Vec<_> = to_student
            .iter()
            .filter(|(s, _)| s.contains("document needs another look"))
            .collect();
        assert_eq!(rejected.len(), 1, "{to_student:?}");
        assert!(
            rejected[0].1.contains("only one dose shown"),
            "{rejected:?}"
        );
        assert!(rejected[0].1.contains("/my-documents"), "{rejected:?}");
        // The school that uploaded it hears it in the app and by mail, naming the student.
        let school_notes = notes(&app, &w.school).await;
        assert!(
            school_notes.iter().any(|(k, m, _)| k == "document_rejected"
                && m.contains("Ana Lopez")
                && m.contains("only one dose shown")),
            "{school_notes:?}"
        );
        let to_school = mail_to(&app, &email_of(&w.school.user)).await;
        assert!(
            to_school.iter().any(|(s, _)| s
                == "Ana Lopez: the MMR (2 doses or positive titer) document was not accepted"),
            "{to_school:?}"
        );
    }
);

db_test!(
    a_rejection_reaches_a_student_with_a_sign_in_in_the_app,
    |app| async move {
        let w = world(&app).await;
        approve(
            &app,
            &w,
            &request(&app, &w, "2027-02-01", "2027-04-30").await,
        )
        .await;
        let student = app
            .user("student", json!({ "student_id": w.f.student["id"] }))
            .await;
        upload_and_reject(&app, &w, &student).await;
        let mine = notes(&app, &student).await;
        assert!(
            mine.iter()
                .any(|(k, m, _)| k == "document_rejected" && m.contains("only one dose shown")),
            "{mine:?}"
        );
        // By mail to the sign-in's address, not (also) the record's.
        assert_eq!(
            mail_to(&app, &email_of(&student.user))
                .await
                .iter()
                .filter(|(s, _)| s.contains("needs another look"))
                .count(),
            1
        );
        assert!(
            mail_to(&app, &email_of(&w.f.student))
                .await
                .iter()
                .all(|(s, _)| !s.contains("needs another look"))
        );
        assert!(
            notes(&app, &w.school)
                .await
                .iter()
                .any(|(k, _, _)| k == "document_rejected")
        );
    }
);

db_test!(
    a_decision_reaches_the_named_students_and_the_school_that_asked,
    |app| async move {
        let w = world(&app).await;
        approve(
            &app,
            &w,
            &request(&app, &w, "2027-02-01", "2027-04-30").await,
        )
        .await;
        let declined = request(&app, &w, "2027-06-01", "2027-06-30").await;
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placement-requests/{}/decision", id(&declined)),
                &json!({ "decision": "decline", "reason": "no seats in June" }),
            )
            .await,
            200,
        )
        .await;
        let school_notes: Vec<String> = notes(&app, &w.school)
            .await
            .into_iter()
            .filter(|(k, _, _)| k == "request_decided")
            .map(|(_, m, _)| m)
            .collect();
        assert_eq!(school_notes.len(), 2, "{school_notes:?}");
        assert!(
            school_notes
                .iter()
                .any(|m| m.contains("1 February 2027") && m.contains("was approved")),
            "{school_notes:?}"
        );
        assert!(
            school_notes
                .iter()
                .any(|m| m.contains("was declined (no seats in June)")),
            "{school_notes:?}"
        );
        let to_student = mail_to(&app, &email_of(&w.f.student)).await;
        let subjects: Vec<&str> = to_student.iter().map(|(s, _)| s.as_str()).collect();
        assert!(
            subjects.contains(&"Your placement request was approved")
                && subjects.contains(&"Your placement request was declined"),
            "{subjects:?}"
        );
    }
);

db_test!(
    fourteen_days_before_the_start_the_student_hears_too,
    |app| async move {
        let w = world(&app).await;
        approve(
            &app,
            &w,
            &request(&app, &w, "2027-01-15", "2027-03-31").await,
        )
        .await;
        let sent = practicum::jobs::reminders::run_once(&app.state)
            .await
            .expect("the sweep runs");
        assert_eq!(sent.start_notices, 1);
        let to_student = mail_to(&app, &email_of(&w.f.student)).await;
        let starting: Vec<_> = to_student
            .iter()
            .filter(|(s, _)| s == "Your placement starts in 14 days")
            .collect();
        assert_eq!(starting.len(), 1, "{to_student:?}");
        assert!(
            starting[0].1.contains("you are not cleared yet"),
            "{starting:?}"
        );
        assert!(
            notes(&app, &w.school)
                .await
                .iter()
                .any(|(k, m, _)| k == "student_blocked" && m.contains("Ana Lopez starts on")),
        );
    }
);

db_test!(
    an_upload_to_review_is_done_for_the_whole_office_once_reviewed,
    |app| async move {
        let w = world(&app).await;
        let second = app.coordinator().await;
        approve(
            &app,
            &w,
            &request(&app, &w, "2027-02-01", "2027-04-30").await,
        )
        .await;
        let unread_uploads = |who: Caller| {
            let app = &app;
            async move {
                notes(app, &who)
                    .await
                    .into_iter()
                    .filter(|(k, _, read)| k == "document_uploaded" && !read)
                    .count()
            }
        };
        assert_eq!(unread_uploads(w.office.clone()).await, 0);
        upload_and_reject(&app, &w, &w.school).await;
        // Reviewed (rejected) by the first coordinator: done for both.
        assert_eq!(unread_uploads(w.office.clone()).await, 0);
        assert_eq!(unread_uploads(second.clone()).await, 0);
        let seen = notes(&app, &second).await;
        assert!(
            seen.iter()
                .any(|(k, _, read)| k == "document_uploaded" && *read),
            "the upload was announced, and is now done: {seen:?}"
        );
    }
);

db_test!(
    a_document_lapsing_before_the_end_reaches_the_student_and_the_school,
    |app| async move {
        let w = world(&app).await;
        approve(
            &app,
            &w,
            &request(&app, &w, "2027-02-01", "2027-04-30").await,
        )
        .await;
        let doc = upload(
            &app,
            &w,
            &w.school,
            &[
                ("requirement_code", "bls"),
                ("completed_on", "2025-03-01"),
                ("expires_on", "2027-03-01"),
            ],
        )
        .await;
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/documents/{}/review", id(&doc)),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        let sent = practicum::jobs::reminders::run_once(&app.state)
            .await
            .expect("the sweep runs");
        assert_eq!(sent.lapses, 1);
        let to_student = mail_to(&app, &email_of(&w.f.student)).await;
        assert_eq!(
            to_student
                .iter()
                .filter(|(s, _)| s.starts_with("Renew your BLS"))
                .count(),
            1,
            "{to_student:?}"
        );
        let school_notes = notes(&app, &w.school).await;
        assert!(
            school_notes
                .iter()
                .any(|(k, m, _)| k == "document_lapses" && m.starts_with("Ana Lopez's BLS")),
            "{school_notes:?}"
        );
    }
);
