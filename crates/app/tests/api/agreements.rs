//! Affiliation agreements and their signed documents: the office writes, a school reads its own.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn agreements_of(school: &Value) -> String {
    format!("/api/v1/schools/{}/agreements", id(school))
}

fn active() -> Value {
    json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" })
}

db_test!(
    the_office_creates_reads_and_changes_agreements,
    |app| async move {
        let c = cast(&app).await;
        for (_, who) in c.office_roles() {
            let a = app
                .create(
                    who,
                    &agreements_of(&c.f.school),
                    &json!({ "effective_on": "2027-01-01", "expires_on": "2027-12-31" }),
                )
                .await;
            assert_eq!(a["status"], "draft", "a new agreement is a draft");
            assert_eq!(a["school_id"], c.f.school["id"]);
            assert_eq!(a["disciplines"], json!([]), "empty = every discipline");
            assert!(a["note"].is_null());
            assert!(a.get("document_name").is_none(), "no document yet");
            let path = format!("/api/v1/agreements/{}", id(&a));
            assert_eq!(app.get_ok(who, &path).await, a);
            let changed = expect_status(
            app.patch(
                who,
                &path,
                &json!({ "status": "active", "disciplines": ["radiography"], "note": "renewed" }),
            )
            .await,
            200,
        )
        .await;
            assert_eq!(changed["status"], "active");
            assert_eq!(changed["disciplines"], json!(["radiography"]));
            assert_eq!(changed["note"], "renewed");
            assert_eq!(changed["effective_on"], "2027-01-01");
            assert_eq!(app.get_ok(who, &path).await, changed);
            let ended = expect_status(
                app.patch(who, &path, &json!({ "status": "terminated", "note": null }))
                    .await,
                200,
            )
            .await;
            assert_eq!(ended["status"], "terminated");
            assert!(ended["note"].is_null());
        }
        let listed = app.get_ok(&c.office, &agreements_of(&c.f.school)).await;
        assert_eq!(items(&listed).len(), 2);
        assert!(
            items(
                &app.get_ok(&c.office, &agreements_of(&c.f.other_school))
                    .await
            )
            .is_empty()
        );
    }
);

db_test!(a_school_reads_only_its_own_agreements, |app| async move {
    let c = cast(&app).await;
    let own = app
        .create(&c.office, &agreements_of(&c.f.school), &active())
        .await;
    let other = app
        .create(&c.office, &agreements_of(&c.f.other_school), &active())
        .await;
    let own_path = format!("/api/v1/agreements/{}", id(&own));
    let other_path = format!("/api/v1/agreements/{}", id(&other));
    assert_eq!(app.get_ok(&c.school, &own_path).await, own);
    assert_eq!(
        ids(&app.get_ok(&c.school, &agreements_of(&c.f.school)).await),
        [id(&own)]
    );
    assert_eq!(
        ids(&app.get_ok(&c.school, "/api/v1/agreements").await),
        [id(&own)]
    );
    // Another school's: as if it did not exist.
    for path in [
        other_path.clone(),
        agreements_of(&c.f.other_school),
        format!("{other_path}/document"),
        format!("/api/v1/agreements/{NO_SUCH_ID}"),
        format!("/api/v1/schools/{NO_SUCH_ID}/agreements"),
        "/api/v1/agreements/x".to_string(),
        "/api/v1/schools/x/agreements".to_string(),
    ] {
        expect_problem(app.get(&c.school, &path).await, 404, &["not_found"]).await;
    }
    let filtered = app
        .get_ok(
            &c.school,
            &format!("/api/v1/agreements?school_id={}", id(&c.f.other_school)),
        )
        .await;
    assert!(
        items(&filtered).is_empty(),
        "a filter cannot widen the scope"
    );
    // A school never writes agreements, not even its own.
    for res in [
        app.post(&c.school, &agreements_of(&c.f.school), &active())
            .await,
        app.patch(&c.school, &own_path, &json!({ "status": "terminated" }))
            .await,
        app.upload(
            &c.school,
            &format!("{own_path}/document"),
            "a.pdf",
            PDF.to_vec(),
        )
        .await,
    ] {
        expect_problem(res, 403, &["forbidden"]).await;
    }
    assert_eq!(app.get_ok(&c.office, &own_path).await, own);
});

db_test!(other_roles_never_see_agreements, |app| async move {
    let c = cast(&app).await;
    let a = app
        .create(&c.office, &agreements_of(&c.f.school), &active())
        .await;
    let path = format!("/api/v1/agreements/{}", id(&a));
    let stored = expect_status(
        app.upload(
            &c.office,
            &format!("{path}/document"),
            "signed.pdf",
            PDF.to_vec(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(stored["document_name"], "signed.pdf", "{stored}");
    for (role, who) in c.outsiders() {
        if role == "school_coordinator" {
            continue;
        }
        for res in [
            app.get(who, "/api/v1/agreements").await,
            app.get(who, &agreements_of(&c.f.school)).await,
            app.get(who, &path).await,
            app.get(who, &format!("{path}/document")).await,
            app.post(who, &agreements_of(&c.f.school), &active()).await,
            app.patch(who, &path, &json!({ "status": "draft" })).await,
            app.upload(who, &format!("{path}/document"), "a.pdf", PDF.to_vec())
                .await,
        ] {
            let body = expect_status(res, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
});

db_test!(
    agreements_of_unknown_schools_and_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/schools/{NO_SUCH_ID}/agreements"),
            "/api/v1/schools/not-a-uuid/agreements".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.post(&office, &path, &active()).await,
                404,
                &["not_found"],
            )
            .await;
        }
        for path in [
            format!("/api/v1/agreements/{NO_SUCH_ID}"),
            "/api/v1/agreements/not-a-uuid".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "status": "active" }))
                    .await,
                404,
                &["not_found"],
            )
            .await;
            expect_problem(
                app.get(&office, &format!("{path}/document")).await,
                404,
                &["not_found"],
            )
            .await;
            expect_problem(
                app.upload(&office, &format!("{path}/document"), "a.pdf", PDF.to_vec())
                    .await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(
    bad_agreement_input_is_refused_with_its_code,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let path = agreements_of(&f.school);
        let cases = [
            (json!({}), vec!["required", "required"]),
            (
                json!({ "effective_on": "2027-02-30", "expires_on": "tomorrow" }),
                vec!["invalid_date", "invalid_date"],
            ),
            (
                json!({ "effective_on": 20270101, "expires_on": "2027/12/31" }),
                vec!["invalid_date", "invalid_date"],
            ),
            (
                json!({ "effective_on": "2027-06-01", "expires_on": "2027-05-31" }),
                vec!["invalid_period"],
            ),
            (
                json!({ "status": "signed", "effective_on": "2027-01-01", "expires_on": "2027-12-31" }),
                vec!["invalid_choice"],
            ),
            (
                json!({ "status": null, "effective_on": "2027-01-01", "expires_on": "2027-12-31" }),
                vec!["required"],
            ),
            (
                json!({ "effective_on": "2027-01-01", "expires_on": "2027-12-31", "disciplines": ["astrology"] }),
                vec!["unknown_discipline"],
            ),
            (
                json!({ "effective_on": "2027-01-01", "expires_on": "2027-12-31", "disciplines": "radiography" }),
                vec!["invalid_type"],
            ),
            (
                json!({ "effective_on": "2027-01-01", "expires_on": "2027-12-31", "note": 5 }),
                vec!["invalid_type"],
            ),
            (
                json!({ "effective_on": "2027-01-01", "expires_on": "2027-12-31", "school_id": f.other_school["id"] }),
                vec!["unknown_field"],
            ),
            (
                json!({ "status": "signed", "effective_on": "2027-06-01", "expires_on": "2027-05-31",
                    "disciplines": ["astrology"], "renewal": true }),
                vec![
                    "invalid_choice",
                    "invalid_period",
                    "unknown_discipline",
                    "unknown_field",
                ],
            ),
        ];
        for (body, expected) in cases {
            expect_problem(app.post(&office, &path, &body).await, 422, &expected).await;
        }
        // A one-day agreement is a valid period.
        let a = app
            .create(
                &office,
                &path,
                &json!({ "effective_on": "2027-03-01", "expires_on": "2027-03-01" }),
            )
            .await;
        // A PATCH is checked against the fields it leaves alone.
        let one = format!("/api/v1/agreements/{}", id(&a));
        expect_problem(
            app.patch(&office, &one, &json!({ "expires_on": "2027-02-28" }))
                .await,
            422,
            &["invalid_period"],
        )
        .await;
        expect_problem(
            app.patch(&office, &one, &json!({ "school_id": f.other_school["id"] }))
                .await,
            422,
            &["unknown_field"],
        )
        .await;
        assert_eq!(app.get_ok(&office, &one).await, a);
        assert_eq!(items(&app.get_ok(&office, &path).await).len(), 1);
    }
);

db_test!(
    agreements_filter_by_school_status_and_expiry,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let north = agreements_of(&f.school);
        let south = agreements_of(&f.other_school);
        // Today is 2027-01-04.
        let mk = |status: &str, from: &str, to: &str| json!({ "status": status, "effective_on": from, "expires_on": to });
        let today = app
            .create(&office, &north, &mk("active", "2025-01-01", "2027-01-04"))
            .await;
        let in_30 = app
            .create(&office, &north, &mk("active", "2025-01-01", "2027-02-03"))
            .await;
        let in_31 = app
            .create(&office, &south, &mk("active", "2025-01-01", "2027-02-04"))
            .await;
        let later = app
            .create(&office, &south, &mk("active", "2025-01-01", "2029-01-01"))
            .await;
        let expired = app
            .create(&office, &north, &mk("active", "2025-01-01", "2027-01-03"))
            .await;
        let draft = app
            .create(&office, &north, &mk("draft", "2027-01-01", "2027-01-20"))
            .await;
        let ended = app
            .create(
                &office,
                &south,
                &mk("terminated", "2025-01-01", "2027-01-10"),
            )
            .await;
        let q = |query: &str| format!("/api/v1/agreements?{query}");
        let cases: Vec<(String, Vec<String>)> = vec![
            (
                q(""),
                vec![
                    id(&today),
                    id(&in_30),
                    id(&in_31),
                    id(&later),
                    id(&expired),
                    id(&draft),
                    id(&ended),
                ],
            ),
            (q("expiring_within_days=0"), vec![id(&today)]),
            (q("expiring_within_days=30"), vec![id(&today), id(&in_30)]),
            (
                q("expiring_within_days=31"),
                vec![id(&today), id(&in_30), id(&in_31)],
            ),
            (
                q(&format!(
                    "expiring_within_days=31&school_id={}",
                    id(&f.other_school)
                )),
                vec![id(&in_31)],
            ),
            (q("status=draft"), vec![id(&draft)]),
            (q("status=terminated"), vec![id(&ended)]),
            (
                q(&format!("status=active&school_id={}", id(&f.school))),
                vec![id(&today), id(&in_30), id(&expired)],
            ),
            (q(&format!("school_id={NO_SUCH_ID}")), vec![]),
        ];
        for (path, expected) in cases {
            assert_eq!(ids(&app.get_ok(&office, &path).await), expected, "{path}");
        }
        for (query, code) in [
            ("expiring_within_days=soon", "invalid_number"),
            ("expiring_within_days=-1", "invalid_number"),
            ("expiring_within_days=1.5", "invalid_number"),
            (
                "expiring_within_days=99999999999999999999",
                "invalid_number",
            ),
            ("status=signed", "invalid_choice"),
            ("school_id=north", "invalid_id"),
        ] {
            expect_problem(app.get(&office, &q(query)).await, 422, &[code]).await;
        }
    }
);

db_test!(
    the_signed_document_is_uploaded_and_downloaded,
    |app| async move {
        let c = cast(&app).await;
        let a = app
            .create(&c.office, &agreements_of(&c.f.school), &active())
            .await;
        let doc = format!("/api/v1/agreements/{}/document", id(&a));
        expect_problem(app.get(&c.office, &doc).await, 404, &["not_found"]).await;
        expect_problem(app.get(&c.school, &doc).await, 404, &["not_found"]).await;

        // Refused uploads leave nothing behind.
        expect_problem(
            app.upload(
                &c.office,
                &doc,
                "signed.pdf",
                b"<html>%PDF-</html>".to_vec(),
            )
            .await,
            422,
            &["file_type_not_allowed"],
        )
        .await;
        expect_problem(
            app.upload(&c.office, &doc, "signed.pdf", Vec::new()).await,
            422,
            &["file_required"],
        )
        .await;
        let no_file = reqwest::multipart::Form::new().text("note", "no file here");
        let res = app
            .client
            .post(app.url(&doc))
            .bearer_auth(&c.office.token)
            .multipart(no_file)
            .send()
            .await
            .unwrap();
        expect_problem(res, 422, &["file_required"]).await;
        let res = app
            .raw(
                &c.office,
                reqwest::Method::POST,
                &doc,
                Some("application/json"),
                b"{}".to_vec(),
            )
            .await;
        expect_problem(res, 400, &["invalid_json"]).await;
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 1, b' ');
        expect_problem(
            app.upload(&c.office, &doc, "big.pdf", big).await,
            422,
            &["file_too_large"],
        )
        .await;
        expect_problem(app.get(&c.office, &doc).await, 404, &["not_found"]).await;

        // Well past the 1 MiB JSON cap but under the 10 MiB upload cap: accepted.
        let mut pdf = PDF.to_vec();
        pdf.resize(3 * 1024 * 1024, b'%');
        let stored = expect_status(
            app.upload(
                &c.office,
                &doc,
                "../../etc/Signed \"2027\".pdf",
                pdf.clone(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(stored["id"], a["id"]);
        assert_eq!(
            stored["document_name"], "Signed 2027.pdf",
            "no path, no quotes"
        );
        assert_eq!(stored["document_size"], pdf.len());
        assert!(stored.get("document_sha256").is_none());
        assert_eq!(
            app.get_ok(&c.school, &format!("/api/v1/agreements/{}", id(&a)))
                .await["document_name"],
            "Signed 2027.pdf"
        );
        for who in [&c.office, &c.admin, &c.school] {
            let res = app.get(who, &doc).await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.headers()["content-type"], "application/pdf");
            assert_eq!(res.headers()["x-content-type-options"], "nosniff");
            let disposition = res.headers()["content-disposition"].to_str().unwrap();
            assert_eq!(disposition, "attachment; filename=\"Signed 2027.pdf\"");
            assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
        }
        expect_problem(app.get(&c.other_school, &doc).await, 404, &["not_found"]).await;

        // A new upload replaces the old one.
        expect_status(
            app.upload(&c.admin, &doc, "v2.pdf", PDF.to_vec()).await,
            200,
        )
        .await;
        let res = app.get(&c.school, &doc).await;
        assert_eq!(res.bytes().await.unwrap().to_vec(), PDF);
        // Editing the agreement keeps its document.
        let patched = expect_status(
            app.patch(
                &c.office,
                &format!("/api/v1/agreements/{}", id(&a)),
                &json!({ "note": "countersigned" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(patched["document_name"], "v2.pdf");
        assert_eq!(app.get(&c.office, &doc).await.status(), 200);
    }
);
