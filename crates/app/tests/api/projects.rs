//! Issue 16 point 4 over HTTP: an internship's objectives and milestones proposed by the
//! student, agreed by the faculty member and the site mentor (who and when; an edit to the plan
//! clears the agreements and says so), milestone progress, the deliverable sniffed and capped
//! and accepted or returned by the faculty member, who sees it (404 for anyone else), and a
//! clinical's 409.
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use crate::requests::invitation_token;
use crate::rules_world::*;
use serde_json::{Value, json};

/// An internship of the world's first student with a site mentor, and its parties signed in.
struct Intern {
    w: World,
    placement: Value,
    student: Caller,
    faculty: Caller,
    mentor: Caller,
}

async fn intern(app: &TestApp) -> Intern {
    let w = world(app, 4, 2).await;
    let mentor_staff = staff(
        app,
        &w.office,
        &w.f.department,
        "radiography",
        1,
        json!({ "is_preceptor": false, "name": "Sam Mentor" }),
    )
    .await;
    let mut body = internship(&w, &[&w.students[0]]);
    let faculty_email = unique("faculty");
    body["faculty_supervisor"] = json!({ "name": "Dr. Fay Culty", "email": faculty_email });
    let r = submit(app, &w, &body).await;
    let placement = approve(
        app,
        &w,
        &r,
        &json!({ "decision": "approve", "placements": [
            { "student_id": w.students[0]["id"], "department_id": w.f.department["id"],
              "site_mentor_id": mentor_staff["id"] } ] }),
    )
    .await[0]
        .clone();
    let token = invitation_token(app, &faculty_email).await;
    expect_status(
        app.post_anon(
            &format!("/api/v1/invitations/{token}/accept"),
            &json!({ "password": "a-long-enough-password" }),
        )
        .await,
        200,
    )
    .await;
    let faculty = app.login(&faculty_email, "a-long-enough-password").await;
    let student = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let mentor = app
        .user("preceptor", json!({ "staff_id": mentor_staff["id"] }))
        .await;
    Intern {
        w,
        placement,
        student,
        faculty,
        mentor,
    }
}

fn project_path(p: &Value) -> String {
    format!("/api/v1/placements/{}/project", sid(p))
}

fn item_path(p: &Value, item: &Value) -> String {
    format!("{}/items/{}", project_path(p), sid(item))
}

async fn add(app: &TestApp, who: &Caller, p: &Value, body: Value) -> Value {
    expect_status(
        app.post(who, &format!("{}/items", project_path(p)), &body)
            .await,
        201,
    )
    .await
}

async fn agree(app: &TestApp, who: &Caller, p: &Value) -> Value {
    expect_status(
        app.post(who, &format!("{}/agree", project_path(p)), &json!({}))
            .await,
        200,
    )
    .await
}

/// A small PDF (the bytes start as a PDF does).
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

db_test!(
    the_student_proposes_both_agree_and_an_edit_clears_the_agreements,
    |app| async move {
        let i = intern(&app).await;
        let p = &i.placement;
        // An empty project to begin with; nothing to agree to yet.
        let empty = app.get_ok(&i.student, &project_path(p)).await;
        assert_eq!(empty["objectives"], json!([]));
        assert_eq!(empty["agreed"], false);
        assert_eq!(empty["needs_site_mentor"], true);
        expect_problem(
            app.post(
                &i.faculty,
                &format!("{}/agree", project_path(p)),
                &json!({}),
            )
            .await,
            409,
            &["project_empty"],
        )
        .await;
        // Every problem at once.
        let res = app
            .post(
                &i.student,
                &format!("{}/items", project_path(p)),
                &json!({ "kind": "objective", "due_on": "2027-02-20", "status": "soon", "colour": "red" }),
            )
            .await;
        let mut got = codes(&expect_status(res, 422).await);
        got.sort();
        // The objective's due date, its status word, its title, the stray field.
        assert_eq!(
            got,
            [
                "invalid_choice",
                "invalid_choice",
                "required",
                "unknown_field"
            ]
        );
        let res = app
            .post(
                &i.student,
                &format!("{}/items", project_path(p)),
                &json!({ "kind": "milestone", "title": "Draft" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 422).await), ["required"]);

        let objective = add(
            &app,
            &i.student,
            p,
            json!({ "kind": "objective", "title": "Map the imaging scheduling workflow" }),
        )
        .await;
        assert_eq!(objective["status"], Value::Null);
        let milestone = add(
            &app,
            &i.student,
            p,
            json!({ "kind": "milestone", "title": "Current-state map", "due_on": "2027-02-26" }),
        )
        .await;
        assert_eq!(milestone["status"], "planned");

        // The student does not agree to their own plan; the faculty member and the mentor do.
        expect_problem(
            app.post(
                &i.student,
                &format!("{}/agree", project_path(p)),
                &json!({}),
            )
            .await,
            403,
            &["forbidden"],
        )
        .await;
        let half = agree(&app, &i.faculty, p).await;
        assert_eq!(half["faculty_agreement"]["name"], "Dr. Fay Culty");
        assert_eq!(half["faculty_agreement"]["at"], "2027-01-04T09:00:00Z");
        assert_eq!(half["site_mentor_agreement"], Value::Null);
        assert_eq!(half["agreed"], false);
        let both = agree(&app, &i.mentor, p).await;
        assert_eq!(both["agreed"], true, "{both}");
        assert_eq!(both["site_mentor_agreement"]["name"], i.mentor.user["name"]);
        assert_eq!(both["objectives"].as_array().unwrap().len(), 1);
        assert_eq!(both["milestones"].as_array().unwrap().len(), 1);

        // Progress is not a change to the plan: the agreements stay.
        let moved = expect_status(
            app.patch(
                &i.student,
                &item_path(p, &milestone),
                &json!({ "status": "in_progress" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(moved["status"], "in_progress");
        let bad = app
            .patch(
                &i.student,
                &item_path(p, &milestone),
                &json!({ "status": "finished" }),
            )
            .await;
        assert_eq!(codes(&expect_status(bad, 422).await), ["invalid_choice"]);
        assert_eq!(
            app.get_ok(&i.faculty, &project_path(p)).await["agreed"],
            true
        );

        // A new title after the agreement clears both, and says who changed what.
        expect_status(
            app.patch(
                &i.student,
                &item_path(p, &objective),
                &json!({ "title": "Map and time the scheduling workflow" }),
            )
            .await,
            200,
        )
        .await;
        let reset = app.get_ok(&i.mentor, &project_path(p)).await;
        assert_eq!(reset["agreed"], false, "{reset}");
        assert_eq!(reset["faculty_agreement"], Value::Null);
        assert_eq!(reset["site_mentor_agreement"], Value::Null);
        let reason = reset["agreement_reset"]["reason"].as_str().unwrap();
        assert!(reason.contains("renamed"), "{reason}");
        assert!(
            reason.contains("Map and time the scheduling workflow"),
            "{reason}"
        );
        assert_eq!(reset["agreement_reset"]["by"], i.student.user["name"]);

        // Agreed again, then a removed milestone clears it again.
        agree(&app, &i.faculty, p).await;
        assert_eq!(agree(&app, &i.mentor, p).await["agreed"], true);
        let res = app
            .client
            .delete(app.url(&item_path(p, &milestone)))
            .bearer_auth(&i.student.token)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 204);
        let after = app.get_ok(&i.office_caller(), &project_path(p)).await;
        assert_eq!(after["agreed"], false);
        assert_eq!(after["milestones"], json!([]));
        assert!(
            after["agreement_reset"]["reason"]
                .as_str()
                .unwrap()
                .contains("removed the milestone")
        );
        // Every write is in the audit trail.
        let admin = app.admin().await;
        let acts = actions(&app, &admin, "project", &sid(p)).await;
        assert!(
            acts.iter().filter(|a| *a == "agree").count() >= 4,
            "{acts:?}"
        );
        assert!(acts.contains(&"agreement_reset".to_string()), "{acts:?}");
        let item_acts = actions(&app, &admin, "project_item", &sid(&milestone)).await;
        assert_eq!(item_acts, ["create", "update", "delete"]);
    }
);

impl Intern {
    fn office_caller(&self) -> Caller {
        self.w.office.clone()
    }
}

db_test_with!(
    the_deliverable_is_sniffed_capped_and_accepted_or_returned,
    |c: &mut practicum::config::Config| c.upload_limit = 4096,
    |app| async move {
        let i = intern(&app).await;
        let p = &i.placement;
        let path = format!("{}/deliverable", project_path(p));
        // A program named .pdf is not a PDF.
        let res = app
            .upload(
                &i.student,
                &path,
                "report.pdf",
                b"MZ\x90\x00 not a pdf".to_vec(),
            )
            .await;
        assert_eq!(
            codes(&expect_status(res, 422).await),
            ["file_type_not_allowed"]
        );
        // Past the cap: refused, nothing kept.
        let mut big = pdf("big");
        big.extend(std::iter::repeat_n(b'x', 5000));
        let res = app.upload(&i.student, &path, "big.pdf", big).await;
        assert_eq!(codes(&expect_status(res, 422).await), ["file_too_large"]);
        assert_eq!(
            app.get_ok(&i.student, &project_path(p)).await["deliverable"],
            Value::Null
        );
        // Nothing to review yet.
        expect_problem(
            app.post(
                &i.faculty,
                &format!("{path}/review"),
                &json!({ "outcome": "accepted" }),
            )
            .await,
            409,
            &["deliverable_not_submitted"],
        )
        .await;
        // Only the student uploads.
        expect_problem(
            app.upload(&i.faculty, &path, "r.pdf", pdf("faculty")).await,
            403,
            &["forbidden"],
        )
        .await;
        let sent = expect_status(
            app.upload(&i.student, &path, "../Final report.pdf", pdf("first"))
                .await,
            200,
        )
        .await;
        assert_eq!(sent["deliverable"]["status"], "submitted");
        assert_eq!(sent["deliverable"]["file_name"], "Final report.pdf");
        // Returning needs a note; only the faculty member reviews.
        let res = app
            .post(
                &i.faculty,
                &format!("{path}/review"),
                &json!({ "outcome": "returned" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 422).await), ["reason_required"]);
        let res = app
            .post(
                &i.faculty,
                &format!("{path}/review"),
                &json!({ "outcome": "maybe", "x": 1 }),
            )
            .await;
        let mut got = codes(&expect_status(res, 422).await);
        got.sort();
        assert_eq!(got, ["invalid_choice", "unknown_field"]);
        for who in [&i.student, &i.mentor, &i.w.office] {
            expect_problem(
                app.post(
                    who,
                    &format!("{path}/review"),
                    &json!({ "outcome": "accepted" }),
                )
                .await,
                403,
                &["forbidden"],
            )
            .await;
        }
        let returned = expect_status(
            app.post(
                &i.faculty,
                &format!("{path}/review"),
                &json!({ "outcome": "returned", "note": "Add the timing data" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(returned["deliverable"]["status"], "returned");
        assert_eq!(returned["deliverable"]["note"], "Add the timing data");
        assert_eq!(returned["deliverable"]["reviewed_by"], "Dr. Fay Culty");
        // A new version, accepted; after that it is final.
        expect_status(
            app.upload(&i.student, &path, "final.pdf", pdf("second"))
                .await,
            200,
        )
        .await;
        let accepted = expect_status(
            app.post(
                &i.faculty,
                &format!("{path}/review"),
                &json!({ "outcome": "accepted" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(accepted["deliverable"]["status"], "accepted");
        expect_problem(
            app.upload(&i.student, &path, "again.pdf", pdf("third"))
                .await,
            409,
            &["deliverable_accepted"],
        )
        .await;
        // The parties download it.
        for who in [&i.mentor, &i.w.office, &i.student] {
            let res = app.get(who, &path).await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.bytes().await.unwrap().to_vec(), pdf("second"));
        }
        let admin = app.admin().await;
        let acts = actions(&app, &admin, "project", &sid(p)).await;
        assert_eq!(
            acts,
            [
                "upload_deliverable",
                "return_deliverable",
                "upload_deliverable",
                "accept_deliverable"
            ]
        );
    }
);

db_test!(
    only_its_parties_see_a_project_and_a_clinical_has_none,
    |app| async move {
        let i = intern(&app).await;
        let p = &i.placement;
        add(
            &app,
            &i.student,
            p,
            json!({ "kind": "objective", "title": "Learn" }),
        )
        .await;
        for who in [&i.student, &i.faculty, &i.mentor, &i.w.office] {
            app.get_ok(who, &project_path(p)).await;
        }
        // The school, the department, another student and another supervisor: nothing there.
        let manager_staff = staff(
            &app,
            &i.w.office,
            &i.w.f.department,
            "radiography",
            1,
            json!({}),
        )
        .await;
        let manager = app
            .user(
                "department_manager",
                json!({ "staff_id": manager_staff["id"] }),
            )
            .await;
        let other_student = app
            .user("student", json!({ "student_id": i.w.students[1]["id"] }))
            .await;
        let preceptor = app
            .user("preceptor", json!({ "staff_id": i.w.preceptor["id"] }))
            .await;
        let other_faculty = app
            .user("faculty", json!({ "school_id": i.w.f.school["id"] }))
            .await;
        for who in [
            &i.w.school,
            &manager,
            &other_student,
            &preceptor,
            &other_faculty,
        ] {
            expect_problem(app.get(who, &project_path(p)).await, 404, &["not_found"]).await;
        }
        // Roles that never change a project: 403 before anything else.
        for who in [&i.w.school, &manager] {
            expect_problem(
                app.post(who, &format!("{}/items", project_path(p)), &json!({}))
                    .await,
                403,
                &["forbidden"],
            )
            .await;
        }
        // Someone else's student or supervisor changing it: 404.
        for who in [&other_student, &preceptor] {
            expect_problem(
                app.post(
                    who,
                    &format!("{}/items", project_path(p)),
                    &json!({ "kind": "objective", "title": "Mine" }),
                )
                .await,
                404,
                &["not_found"],
            )
            .await;
        }
        // A clinical has no project.
        let clinical = placed(&app, &i.w, &[&i.w.students[2]]).await[0].clone();
        expect_problem(
            app.get(&i.w.office, &project_path(&clinical)).await,
            409,
            &["not_an_internship"],
        )
        .await;
        expect_problem(
            app.post(
                &i.w.office,
                &format!("{}/items", project_path(&clinical)),
                &json!({ "kind": "objective", "title": "x" }),
            )
            .await,
            409,
            &["not_an_internship"],
        )
        .await;
        // Not an id: 404.
        expect_problem(
            app.get(&i.w.office, "/api/v1/placements/nope/project")
                .await,
            404,
            &["not_found"],
        )
        .await;
    }
);

db_test!(
    the_project_page_shows_the_plan_to_its_parties_only,
    |app| async move {
        let i = intern(&app).await;
        let p = &i.placement;
        add(
            &app,
            &i.student,
            p,
            json!({ "kind": "objective", "title": "Learn scheduling" }),
        )
        .await;
        agree(&app, &i.faculty, p).await;
        let path = format!("/placements/{}/project", sid(p));
        // The placement page links it for the student; the project page shows the plan and
        // who agreed, in words.
        let student = page_login(&app, &i.student).await;
        let (status, html) = page(&app, &student, &format!("/placements/{}", sid(p))).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("href=\"{path}\"")), "{html}");
        let (status, html) = page(&app, &student, &path).await;
        assert_eq!(status, 200);
        assert!(html.contains("Learn scheduling"), "{html}");
        assert!(html.contains("agreed by Dr. Fay Culty"), "{html}");
        assert!(html.contains("Upload the final deliverable"), "{html}");
        assert!(!html.contains("Agree to the plan"), "{html}");
        // The mentor may agree; the school sees nothing.
        let mentor = page_login(&app, &i.mentor).await;
        let (status, html) = page(&app, &mentor, &path).await;
        assert_eq!(status, 200);
        assert!(html.contains("Agree to the plan"), "{html}");
        let school = page_login(&app, &i.w.school).await;
        assert_eq!(page(&app, &school, &path).await.0, 404);
        assert_eq!(page(&app, &school, "/offboarding").await.0, 403);
        let office = page_login(&app, &i.w.office).await;
        let (status, html) = page(&app, &office, "/offboarding").await;
        assert_eq!(status, 200);
        assert!(html.contains("Nothing to offboard matches."), "{html}");
    }
);
