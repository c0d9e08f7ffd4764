//! Signing (issue 14 point 3): a student signs the confidentiality agreement only as the office
//! wrote it — the text kept in versions, each edit a new one — and the signature names the
//! version read; a text changed since it was shown is not signed; with no text there is nothing
//! to sign; a student who signs on paper is cleared by the office uploading the signed form,
//! reviewed like any document.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::json;

db_test!(
    a_signature_names_the_version_of_the_text_the_student_read,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let placement = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        // Anyone signed in reads the text the product ships, version 1.
        let v1 = app
            .get_ok(&ana, "/api/v1/agreement-texts/confidentiality")
            .await;
        assert_eq!(v1["version"], 1);
        assert!(
            v1["body"].as_str().unwrap().contains("confidential"),
            "{v1}"
        );

        // Only the office writes it; each edit is a new version; bad text is refused at once.
        let put = |who: &Caller, body: serde_json::Value| {
            let app = &app;
            let who = who.clone();
            async move {
                app.client
                    .put(app.url("/api/v1/agreement-texts/confidentiality"))
                    .bearer_auth(&who.token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        expect_problem(put(&ana, json!({ "body": "x" })).await, 403, &["forbidden"]).await;
        expect_problem(
            put(&w.office, json!({ "body": "  " })).await,
            422,
            &["required"],
        )
        .await;
        let res = app
            .client
            .put(app.url("/api/v1/agreement-texts/badge"))
            .bearer_auth(&w.office.token)
            .json(&json!({ "body": "Wear it." }))
            .send()
            .await
            .unwrap();
        expect_problem(res, 422, &["not_signed_in_system"]).await;
        let v2 = expect_status(
            put(
                &w.office,
                json!({ "body": "Version two: I keep patients' information to myself." }),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(v2["version"], 2);

        // Signing what was shown before the edit is refused; nothing is kept.
        let path = format!("/api/v1/placements/{}/signatures", sid(&placement));
        let res = app
            .post(
                &ana,
                &path,
                &json!({ "requirement_code": "confidentiality", "name": "Ana Lopez", "version": 1 }),
            )
            .await;
        expect_problem(res, 409, &["agreement_text_changed"]).await;
        let states = checklist(&app, &ana, &sid(&w.students[0]), Some(&placement)).await;
        assert!(
            states
                .iter()
                .any(|(c, s)| c == "confidentiality" && s != "verified"),
            "{states:?}"
        );
        // The current version signs, and the signature says which.
        let doc = expect_status(
            app.post(
                &ana,
                &path,
                &json!({ "requirement_code": "confidentiality", "name": "Ana Lopez", "version": 2 }),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(doc["signed_text_version"], 2, "{doc}");
        assert_eq!(doc["signer_name"], "Ana Lopez");
        // The old version stays readable: what someone signed before can be shown.
        let old = app
            .get_ok(&ana, "/api/v1/agreement-texts/confidentiality?version=1")
            .await;
        assert_eq!(old["body"], v1["body"]);
        expect_problem(
            app.get(&ana, "/api/v1/agreement-texts/confidentiality?version=9")
                .await,
            404,
            &["not_found"],
        )
        .await;
    }
);

db_test!(
    a_student_who_signed_on_paper_is_cleared_by_the_reviewed_upload,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let placement = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        let student_id = sid(&w.students[0]);
        let fields = [
            ("requirement_code", "confidentiality"),
            ("completed_on", "2026-12-01"),
            ("placement_id", placement["id"].as_str().unwrap()),
        ];
        // The school cannot stand in for the student's signature; the office can, with the form.
        let res = upload(&app, &w.school, &student_id, &fields).await;
        expect_problem(res, 422, &["not_satisfiable_this_way"]).await;
        let doc = expect_status(upload(&app, &w.office, &student_id, &fields).await, 201).await;
        assert_eq!(doc["status"], "submitted", "{doc}");
        let before = checklist(&app, &w.office, &student_id, Some(&placement)).await;
        assert!(
            before
                .iter()
                .any(|(c, s)| c == "confidentiality" && s == "submitted"),
            "{before:?}"
        );
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/documents/{}/review", doc["id"].as_str().unwrap()),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        let after = checklist(&app, &w.office, &student_id, Some(&placement)).await;
        assert!(
            after
                .iter()
                .any(|(c, s)| c == "confidentiality" && s == "verified"),
            "{after:?}"
        );
    }
);
