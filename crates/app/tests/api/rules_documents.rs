//! A student's evidence and the people around it: every other role trying to read, upload,
//! review and download another student's documents; the refusal paths of signatures,
//! provisioning and attestations; and refused writes leaving no audit row.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

/// A placement of the world's first student (Ana) with the world's preceptor, her uploaded
/// Tdap card, and callers for every role around her.
struct Around {
    w: World,
    admin: Caller,
    ana: Caller,
    placement: Value,
    doc: Value,
    /// Name, caller: nobody here is placed with Ana or supervises her.
    strangers: Vec<(&'static str, Caller)>,
    /// Her preceptor and the manager of her department.
    supervisors: Vec<(&'static str, Caller)>,
}

async fn around(app: &TestApp) -> Around {
    let w = world(app, 4, 4).await;
    let admin = app.admin().await;
    let placement = placed(app, &w, &[&w.students[0]]).await[0].clone();
    let ana = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let doc = expect_status(
        upload(
            app,
            &ana,
            &sid(&w.students[0]),
            &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
        )
        .await,
        201,
    )
    .await;
    assert_eq!(doc["status"], "submitted", "{doc}");
    let other_student = app
        .user("student", json!({ "student_id": w.students[1]["id"] }))
        .await;
    let other_school = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.other_school["id"] }),
        )
        .await;
    let faculty = app
        .user("faculty", json!({ "school_id": w.f.school["id"] }))
        .await;
    let ct = department(app, &w, "CT", 4).await;
    let ct_manager_staff = staff(
        app,
        &w.office,
        &ct,
        "radiography",
        0,
        json!({ "is_preceptor": false }),
    )
    .await;
    let ct_manager = app
        .user(
            "department_manager",
            json!({ "staff_id": ct_manager_staff["id"] }),
        )
        .await;
    let idle_staff = staff(app, &w.office, &w.f.department, "radiography", 4, json!({})).await;
    let idle_preceptor = app
        .user("preceptor", json!({ "staff_id": idle_staff["id"] }))
        .await;
    let preceptor = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    let manager_staff = staff(
        app,
        &w.office,
        &w.f.department,
        "radiography",
        0,
        json!({ "is_preceptor": false }),
    )
    .await;
    let manager = app
        .user(
            "department_manager",
            json!({ "staff_id": manager_staff["id"] }),
        )
        .await;
    Around {
        admin,
        ana,
        placement,
        doc,
        strangers: vec![
            ("another student", other_student),
            ("another school's coordinator", other_school),
            ("a faculty member of her school", faculty),
            ("another department's manager", ct_manager),
            ("a preceptor she is not placed with", idle_preceptor),
        ],
        supervisors: vec![
            ("her preceptor", preceptor),
            ("her department's manager", manager),
        ],
        w,
    }
}

db_test!(
    no_other_role_reads_uploads_reviews_or_downloads_a_students_documents,
    |app| async move {
        let a = around(&app).await;
        let ana_id = sid(&a.w.students[0]);
        let docs = format!("/api/v1/students/{ana_id}/documents");
        let reqs = format!("/api/v1/students/{ana_id}/requirements");
        let file = format!("/api/v1/documents/{}/file", sid(&a.doc));
        let review = format!("/api/v1/documents/{}/review", sid(&a.doc));
        let trail = audit_trail(&app, &a.admin).await;
        for (who, c) in &a.strangers {
            // Outside their scope: as if she did not exist.
            expect_problem(app.get(c, &docs).await, 404, &["not_found"]).await;
            expect_problem(app.get(c, &reqs).await, 404, &["not_found"]).await;
            expect_problem(app.get(c, &file).await, 404, &["not_found"]).await;
            let res = upload(
                &app,
                c,
                &ana_id,
                &[("requirement_code", "mmr"), ("completed_on", "2026-12-01")],
            )
            .await;
            assert_eq!(res.status(), 404, "{who} uploads");
            expect_problem(res, 404, &["not_found"]).await;
            // Reviewing is the office's alone: 403 whatever the scope.
            let res = app
                .post(c, &review, &json!({ "outcome": "verified" }))
                .await;
            assert_eq!(res.status(), 403, "{who} reviews");
            expect_problem(res, 403, &["forbidden"]).await;
        }
        for (who, c) in &a.supervisors {
            // They see the student placed with them and her checklist...
            let list = app.get_ok(c, &reqs).await;
            assert!(!items(&list).is_empty(), "{who}: {list}");
            // ...but may not add evidence (403: they see her, the action is never theirs),
            // review it, or download the file (404: not medical evidence for them).
            let res = upload(
                &app,
                c,
                &ana_id,
                &[("requirement_code", "mmr"), ("completed_on", "2026-12-01")],
            )
            .await;
            assert_eq!(res.status(), 403, "{who} uploads");
            expect_problem(res, 403, &["forbidden"]).await;
            let res = app
                .post(c, &review, &json!({ "outcome": "verified" }))
                .await;
            assert_eq!(res.status(), 403, "{who} reviews");
            expect_problem(res, 403, &["forbidden"]).await;
            let res = app.get(c, &file).await;
            assert_eq!(res.status(), 404, "{who} downloads");
            expect_problem(res, 404, &["not_found"]).await;
        }
        // Nothing was stored, reviewed or recorded by any of it.
        let stored = app.get_ok(&a.w.office, &docs).await;
        assert_eq!(ids(&stored), [sid(&a.doc)]);
        assert_eq!(items(&stored)[0]["status"], "submitted");
        assert_eq!(audit_trail(&app, &a.admin).await, trail);
        // Ana, her school and the office do read the file.
        for c in [&a.ana, &a.w.school, &a.w.office] {
            let res = app.get(c, &file).await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.bytes().await.expect("the file").to_vec(), PDF);
        }
        // The placement is still hers, untouched.
        let p = app
            .get_ok(
                &a.w.office,
                &format!("/api/v1/placements/{}", sid(&a.placement)),
            )
            .await;
        assert_eq!(p["status"], "proposed");
    }
);

db_test!(
    signatures_are_the_students_own_and_for_signed_items_only,
    |app| async move {
        let a = around(&app).await;
        let path = format!("/api/v1/placements/{}/signatures", sid(&a.placement));
        let sign = json!({ "requirement_code": "confidentiality", "name": "Ana Lopez" });
        let trail = audit_trail(&app, &a.admin).await;
        // Nobody else signs for her, the office and her school included: not found.
        let mut others: Vec<&Caller> = a
            .strangers
            .iter()
            .chain(&a.supervisors)
            .map(|(_, c)| c)
            .collect();
        others.extend([&a.w.office, &a.w.school, &a.admin]);
        for c in others {
            expect_problem(app.post(c, &path, &sign).await, 404, &["not_found"]).await;
        }
        // Not an item signed in the system; no such item; no name; an unknown field.
        let res = app
            .post(
                &a.ana,
                &path,
                &json!({ "requirement_code": "badge", "name": "Ana Lopez" }),
            )
            .await;
        expect_problem(res, 422, &["not_satisfiable_this_way"]).await;
        let res = app
            .post(
                &a.ana,
                &path,
                &json!({ "requirement_code": "astrology", "name": "Ana Lopez" }),
            )
            .await;
        expect_problem(res, 422, &["unknown_requirement"]).await;
        let res = app
            .post(
                &a.ana,
                &path,
                &json!({ "requirement_code": "confidentiality" }),
            )
            .await;
        expect_problem(res, 422, &["required"]).await;
        let res = app
            .post(
                &a.ana,
                &path,
                &json!({ "requirement_code": "confidentiality", "name": "Ana", "ip": "1.2.3.4" }),
            )
            .await;
        expect_problem(res, 422, &["unknown_field"]).await;
        // Another student's placement, an unknown one, a path that is not an id.
        let theirs = placed(&app, &a.w, &[&a.w.students[1]]).await[0].clone();
        let trail_after_theirs = audit_trail(&app, &a.admin).await;
        assert!(trail_after_theirs.len() > trail.len());
        let res = app
            .post(
                &a.ana,
                &format!("/api/v1/placements/{}/signatures", sid(&theirs)),
                &sign,
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;
        let res = app
            .post(
                &a.ana,
                &format!("/api/v1/placements/{NO_SUCH_ID}/signatures"),
                &sign,
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;
        let res = app
            .post(&a.ana, "/api/v1/placements/nope/signatures", &sign)
            .await;
        expect_problem(res, 404, &["not_found"]).await;
        assert_eq!(
            audit_trail(&app, &a.admin).await,
            trail_after_theirs,
            "no refusal is recorded"
        );
        let docs = format!("/api/v1/students/{}/documents", sid(&a.w.students[0]));
        assert_eq!(ids(&app.get_ok(&a.w.office, &docs).await), [sid(&a.doc)]);
        // Her own signature goes through and is recorded once.
        let signed = app.create(&a.ana, &path, &sign).await;
        assert_eq!(signed["status"], "verified");
        assert_eq!(signed["source"], "signature");
        assert_eq!(signed["signer_name"], "Ana Lopez");
        assert_eq!(signed["placement_id"], a.placement["id"]);
        assert_eq!(
            audit_trail(&app, &a.admin).await.len(),
            trail_after_theirs.len() + 1
        );
    }
);

db_test!(
    provisioning_is_the_offices_for_named_students_and_office_steps,
    |app| async move {
        let a = around(&app).await;
        let path = format!("/api/v1/placements/{}/provisioning", sid(&a.placement));
        let badge = json!({ "requirement_code": "badge" });
        let trail = audit_trail(&app, &a.admin).await;
        // No other role ticks a step: 403 whatever the scope, Ana and her school included.
        let mut others: Vec<&Caller> = a
            .strangers
            .iter()
            .chain(&a.supervisors)
            .map(|(_, c)| c)
            .collect();
        others.extend([&a.ana, &a.w.school]);
        for c in others {
            expect_problem(app.post(c, &path, &badge).await, 403, &["forbidden"]).await;
        }
        // Not an office step; no such step; no code.
        let res = app
            .post(
                &a.w.office,
                &path,
                &json!({ "requirement_code": "confidentiality" }),
            )
            .await;
        expect_problem(res, 422, &["not_satisfiable_this_way"]).await;
        let res = app
            .post(
                &a.w.office,
                &path,
                &json!({ "requirement_code": "astrology" }),
            )
            .await;
        expect_problem(res, 422, &["unknown_requirement"]).await;
        expect_problem(
            app.post(&a.w.office, &path, &json!({})).await,
            422,
            &["required"],
        )
        .await;
        // An unknown placement.
        let res = app
            .post(
                &a.w.office,
                &format!("/api/v1/placements/{NO_SUCH_ID}/provisioning"),
                &badge,
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;
        assert_eq!(
            audit_trail(&app, &a.admin).await,
            trail,
            "no refusal is recorded"
        );
        // An unnamed seat: name the student first.
        let mut body = clinical(&a.w, &[]);
        body["slots"] = json!(1);
        let r = submit(&app, &a.w, &body).await;
        let seat = approve(
            &app,
            &a.w,
            &r,
            &json!({ "decision": "approve", "placements": [
            { "department_id": a.w.f.department["id"], "preceptor_id": a.w.preceptor["id"] }] }),
        )
        .await[0]
            .clone();
        let trail = audit_trail(&app, &a.admin).await;
        let res = app
            .post(
                &a.w.office,
                &format!("/api/v1/placements/{}/provisioning", sid(&seat)),
                &badge,
            )
            .await;
        expect_problem(res, 409, &["student_not_named"]).await;
        assert_eq!(audit_trail(&app, &a.admin).await, trail);
        // The office ticks Ana's badge.
        let done = app.create(&a.w.office, &path, &badge).await;
        assert_eq!(done["status"], "verified");
        assert_eq!(done["source"], "office");
        assert_eq!(done["student_id"], a.w.students[0]["id"]);
        let list = checklist(
            &app,
            &a.w.office,
            &sid(&a.w.students[0]),
            Some(&a.placement),
        )
        .await;
        assert_eq!(state_of(&list, "badge"), "verified");
    }
);

db_test!(
    attestations_are_a_schools_for_its_own_students_all_or_nothing,
    |app| async move {
        let a = around(&app).await;
        let ana = sid(&a.w.students[0]);
        let bo = sid(&a.w.students[1]);
        let attest = |ids: Vec<&str>| {
            json!({ "requirement_code": "background_check", "student_ids": ids,
                                              "completed_on": "2026-12-01" })
        };
        let trail = audit_trail(&app, &a.admin).await;
        // Roles that never attest: 403.
        let mut never: Vec<&Caller> = a
            .strangers
            .iter()
            .chain(&a.supervisors)
            .filter(|(_, c)| c.user["role"] != "school_coordinator")
            .map(|(_, c)| c)
            .collect();
        never.push(&a.ana);
        for c in never {
            let res = app
                .post(c, "/api/v1/attestations", &attest(vec![&ana]))
                .await;
            assert_eq!(res.status(), 403, "{}", c.user["role"]);
            expect_problem(res, 403, &["forbidden"]).await;
        }
        // Another school's coordinator: the student is not theirs.
        let (_, other_school) = a
            .strangers
            .iter()
            .find(|(_, c)| c.user["role"] == "school_coordinator")
            .expect("another school's coordinator");
        let res = app
            .post(other_school, "/api/v1/attestations", &attest(vec![&ana]))
            .await;
        expect_problem(res, 422, &["unknown_student"]).await;
        // All or nothing: one of hers and one that is not.
        let program = app
            .create(
                &a.w.office,
                &format!("/api/v1/schools/{}/programs", sid(&a.w.f.other_school)),
                &json!({ "name": "AS Radiography", "discipline": "radiography", "degree_level": "associate",
                         "accredited_until": "2030-06-30" }),
            )
            .await;
        let stranger = student(
            &app,
            &a.w.office,
            &a.w.f.other_school,
            &program,
            "Far",
            "enrolled",
        )
        .await;
        let trail = {
            let now = audit_trail(&app, &a.admin).await;
            assert_eq!(now.len(), trail.len() + 2, "the program and the student");
            now
        };
        let res = app
            .post(
                &a.w.school,
                "/api/v1/attestations",
                &attest(vec![&ana, &sid(&stranger)]),
            )
            .await;
        expect_problem(res, 422, &["unknown_student"]).await;
        let res = app
            .post(
                &a.w.school,
                "/api/v1/attestations",
                &attest(vec![&ana, NO_SUCH_ID]),
            )
            .await;
        expect_problem(res, 422, &["unknown_student"]).await;
        // Not attestable; in the future; an insurance without its end; no students.
        let res = app.post(&a.w.school, "/api/v1/attestations",
            &json!({ "requirement_code": "tdap", "student_ids": [ana], "completed_on": "2026-12-01" })).await;
        expect_problem(res, 422, &["not_satisfiable_this_way"]).await;
        let res = app.post(&a.w.school, "/api/v1/attestations",
            &json!({ "requirement_code": "background_check", "student_ids": [ana, bo], "completed_on": "2027-01-05" })).await;
        expect_problem(res, 422, &["completed_in_future"]).await;
        let res = app.post(&a.w.school, "/api/v1/attestations",
            &json!({ "requirement_code": "liability_insurance", "student_ids": [ana], "completed_on": "2026-12-01" })).await;
        expect_problem(res, 422, &["expiry_required"]).await;
        let res = app.post(&a.w.school, "/api/v1/attestations",
            &json!({ "requirement_code": "background_check", "student_ids": [], "completed_on": "2026-12-01" })).await;
        expect_problem(res, 422, &["required"]).await;
        // Nothing recorded for anyone.
        assert_eq!(audit_trail(&app, &a.admin).await, trail);
        for s in [&ana, &bo] {
            let docs = app
                .get_ok(&a.w.office, &format!("/api/v1/students/{s}/documents"))
                .await;
            assert!(
                items(&docs)
                    .iter()
                    .all(|d| d["requirement_code"] != "background_check"),
                "{docs}"
            );
        }
        // Her school attests both at once.
        let made = app
            .create(
                &a.w.school,
                "/api/v1/attestations",
                &attest(vec![&ana, &bo]),
            )
            .await;
        let made = made.as_array().expect("documents").clone();
        assert_eq!(made.len(), 2);
        assert!(
            made.iter()
                .all(|d| d["status"] == "verified" && d["source"] == "attestation")
        );
        assert_eq!(audit_trail(&app, &a.admin).await.len(), trail.len() + 2);
    }
);

db_test!(
    refused_reviews_and_uploads_leave_no_audit_row,
    |app| async move {
        let a = around(&app).await;
        let ana = sid(&a.w.students[0]);
        let review = format!("/api/v1/documents/{}/review", sid(&a.doc));
        let trail = audit_trail(&app, &a.admin).await;
        // A rejection without a reason, an unknown outcome, an unknown document.
        expect_problem(
            app.post(&a.w.office, &review, &json!({ "outcome": "rejected" }))
                .await,
            422,
            &["reason_required"],
        )
        .await;
        expect_problem(
            app.post(&a.w.office, &review, &json!({ "outcome": "maybe" }))
                .await,
            422,
            &["invalid_choice"],
        )
        .await;
        let res = app
            .post(
                &a.w.office,
                &format!("/api/v1/documents/{NO_SUCH_ID}/review"),
                &json!({ "outcome": "verified" }),
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;
        // Uploads refused by their rules.
        let res = upload(
            &app,
            &a.ana,
            &ana,
            &[("requirement_code", "tdap"), ("completed_on", "2027-02-01")],
        )
        .await;
        expect_problem(res, 422, &["completed_in_future"]).await;
        let res = upload(
            &app,
            &a.ana,
            &ana,
            &[
                ("requirement_code", "confidentiality"),
                ("completed_on", "2026-12-01"),
            ],
        )
        .await;
        expect_problem(res, 422, &["not_satisfiable_this_way"]).await;
        assert_eq!(audit_trail(&app, &a.admin).await, trail);
        let stored = app
            .get_ok(&a.w.office, &format!("/api/v1/students/{ana}/documents"))
            .await;
        assert_eq!(ids(&stored), [sid(&a.doc)]);
        // Reviewed once; a second review is a clash and is not recorded either.
        let verified = expect_status(
            app.post(&a.w.office, &review, &json!({ "outcome": "verified" }))
                .await,
            200,
        )
        .await;
        assert_eq!(verified["status"], "verified");
        let trail = audit_trail(&app, &a.admin).await;
        let last = trail.last().expect("the review");
        assert_eq!(last["action"], "review:verified");
        assert_eq!(last["record_id"], a.doc["id"]);
        let res = app
            .post(
                &a.w.office,
                &review,
                &json!({ "outcome": "rejected", "note": "changed my mind" }),
            )
            .await;
        expect_problem(res, 409, &["invalid_transition"]).await;
        assert_eq!(audit_trail(&app, &a.admin).await, trail);
        let doc = app
            .get_ok(&a.w.office, &format!("/api/v1/students/{ana}/documents"))
            .await;
        assert_eq!(items(&doc)[0]["status"], "verified");
    }
);
