//! Issue 13 point 6: the disclosure log (FERPA 34 CFR 99.32) — every read of a student's
//! record, documents, checklist or files by someone other than the student, with who, what,
//! when and why; the student reads it, the office exports it; and the student's data as one
//! ZIP.
use crate::db_test;
use crate::helpers::*;
use crate::rule_pages::page;
use crate::rules_world::*;
use serde_json::{Value, json};
use std::io::Read;

async fn log(app: &TestApp, who: &Caller, student: &str) -> Vec<Value> {
    items(
        &app.get_ok(who, &format!("/api/v1/students/{student}/disclosures"))
            .await,
    )
}

fn entry<'a>(log: &'a [Value], viewer: &Caller, what: &str) -> Option<&'a Value> {
    log.iter()
        .find(|e| e["viewer_user_id"] == viewer.user["id"] && e["what"] == what)
}

db_test!(
    every_read_of_a_students_record_by_someone_else_is_logged_with_why,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let ana_id = sid(&ana);
        let placement = placed(&app, &w, &[&ana]).await[0].clone();
        let doc = sid(&expect_status(
            upload(
                &app,
                &w.office,
                &ana_id,
                &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            )
            .await,
            201,
        )
        .await);
        let student = app
            .user("student", json!({ "student_id": ana["id"] }))
            .await;
        let preceptor = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        // Nothing read yet by anyone else (creating and uploading are not reads).
        assert_eq!(log(&app, &student, &ana_id).await, Vec::<Value>::new());

        // Her own reads are not disclosures.
        app.get_ok(&student, &format!("/api/v1/students/{ana_id}"))
            .await;
        app.get_ok(&student, &format!("/api/v1/students/{ana_id}/documents"))
            .await;
        assert!(log(&app, &student, &ana_id).await.is_empty());

        app.clock.advance(chrono::Duration::minutes(1));
        app.get_ok(&preceptor, &format!("/api/v1/students/{ana_id}"))
            .await;
        app.get_ok(
            &preceptor,
            &format!("/api/v1/students/{ana_id}/requirements"),
        )
        .await;
        app.clock.advance(chrono::Duration::minutes(1));
        app.get_ok(&w.school, &format!("/api/v1/students/{ana_id}/documents"))
            .await;
        app.clock.advance(chrono::Duration::minutes(1));
        let file = app
            .get(&w.office, &format!("/api/v1/documents/{doc}/file"))
            .await;
        assert_eq!(file.status(), 200);
        // A refused read is no disclosure: the preceptor may not list her documents.
        let res = app
            .get(&preceptor, &format!("/api/v1/students/{ana_id}/documents"))
            .await;
        assert_eq!(res.status(), 404);

        let entries = log(&app, &student, &ana_id).await;
        assert_eq!(entries.len(), 4, "{entries:?}");
        assert_eq!(entries[0]["what"], "file", "newest first: {entries:?}");
        let by_preceptor = entry(&entries, &preceptor, "record").expect("the preceptor's read");
        assert_eq!(
            by_preceptor["placement_id"], placement["id"],
            "{by_preceptor}"
        );
        assert_eq!(by_preceptor["viewer_role"], "preceptor");
        assert_eq!(by_preceptor["viewer_name"], preceptor.user["name"]);
        assert!(
            by_preceptor["reason"]
                .as_str()
                .is_some_and(|r| r.contains("Radiology")),
            "the placement that gave access, in words: {by_preceptor}"
        );
        assert!(
            entry(&entries, &preceptor, "checklist").is_some(),
            "{entries:?}"
        );
        let by_school = entry(&entries, &w.school, "documents").expect("the school's read");
        assert!(
            by_school["reason"]
                .as_str()
                .is_some_and(|r| r.contains("North College")),
            "{by_school}"
        );
        let by_office = entry(&entries, &w.office, "file").expect("the office's download");
        assert_eq!(by_office["record_id"], json!(doc));
        assert!(by_office["placement_id"].is_null());

        // Who may read the log: the student and the office; not another student (404), nor
        // the school or the preceptor (403).
        assert_eq!(log(&app, &w.office, &ana_id).await.len(), 4);
        let bo = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        let path = format!("/api/v1/students/{ana_id}/disclosures");
        assert_eq!(app.get(&bo, &path).await.status(), 404);
        assert_eq!(app.get(&w.school, &path).await.status(), 403);
        assert_eq!(app.get(&preceptor, &path).await.status(), 403);

        // The page, for her and for the office, and the office's CSV export of it.
        let (status, html, _) =
            page(&app, &student, &format!("/students/{ana_id}/disclosures")).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Onboarding checklist"), "{html}");
        let (_, profile, _) = page(&app, &student, "/profile").await;
        assert!(
            profile.contains(&format!("/students/{ana_id}/disclosures")),
            "{profile}"
        );
        let csv = csv_text(
            app.client
                .get(app.url(&format!("/students/{ana_id}/disclosures?format=csv")))
                .header("cookie", format!("practicum_session={}", w.office.token))
                .send()
                .await
                .expect("request"),
        )
        .await;
        assert!(csv.contains("preceptor"), "{csv}");
        assert_eq!(csv.lines().count(), 5, "a header and four reads: {csv}");
    }
);

db_test!(
    a_student_downloads_all_their_data_as_one_zip,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = w.students[0].clone();
        let ana_id = sid(&ana);
        let placement = placed(&app, &w, &[&ana]).await[0].clone();
        let doc = sid(&expect_status(
            upload(
                &app,
                &w.office,
                &ana_id,
                &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            )
            .await,
            201,
        )
        .await);
        app.get_ok(&w.school, &format!("/api/v1/students/{ana_id}"))
            .await;
        let student = app
            .user("student", json!({ "student_id": ana["id"] }))
            .await;
        let res = app
            .get(&student, &format!("/api/v1/students/{ana_id}/export"))
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/zip")
        );
        let bytes = res.bytes().await.expect("the archive").to_vec();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
        let mut read = |name: &str| -> Vec<u8> {
            let mut f = zip
                .by_name(name)
                .unwrap_or_else(|_| panic!("{name} in the archive"));
            let mut out = vec![];
            f.read_to_end(&mut out).expect("read");
            out
        };
        let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8");
        assert!(text(read("README.txt")).contains("disclosures.json"));
        let me: Value = serde_json::from_slice(&read("student.json")).expect("json");
        assert_eq!(me["email"], ana["email"]);
        assert_eq!(me["enrollments"].as_array().map(Vec::len), Some(1));
        let placements: Value = serde_json::from_slice(&read("placements.json")).expect("json");
        assert_eq!(placements[0]["id"], placement["id"]);
        let docs: Value = serde_json::from_slice(&read("documents.json")).expect("json");
        assert_eq!(docs[0]["id"], json!(doc));
        assert_eq!(read(&format!("files/{doc}-card.pdf")), PDF);
        let seen: Value = serde_json::from_slice(&read("disclosures.json")).expect("json");
        assert_eq!(
            seen.as_array().map(Vec::len),
            Some(1),
            "the school's read: {seen}"
        );
        let checklist: Value = serde_json::from_slice(&read("checklist.json")).expect("json");
        assert!(
            checklist.as_array().is_some_and(|c| !c.is_empty()),
            "{checklist}"
        );
        // Her own export is not a disclosure; the office's is.
        assert_eq!(log(&app, &student, &ana_id).await.len(), 1);
        let res = app
            .get(&w.office, &format!("/api/v1/students/{ana_id}/export"))
            .await;
        assert_eq!(res.status(), 200);
        assert!(entry(&log(&app, &student, &ana_id).await, &w.office, "export").is_some());
        // Nobody else takes it.
        let bo = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        let path = format!("/api/v1/students/{ana_id}/export");
        assert_eq!(app.get(&bo, &path).await.status(), 404);
        assert_eq!(app.get(&w.school, &path).await.status(), 403);
        // The page link downloads the same archive with the session cookie.
        let res = app
            .client
            .get(app.url(&format!("/students/{ana_id}/export")))
            .header("cookie", format!("practicum_session={}", student.token))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200);
    }
);

// Issue 13 point 8: the OpenAPI document lists every error answer of every operation as an
// RFC 9457 problem, so a generated client handles them (the CI's schemathesis run checks the
// answers against it: .ci/api-fuzz.sh).
db_test!(
    every_operation_documents_its_problems_as_problem_json,
    |app| async move {
        let doc: Value = app
            .client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        let paths = doc["paths"].as_object().expect("paths");
        let mut operations = 0;
        for (path, item) in paths {
            for (method, op) in item.as_object().expect("an item") {
                if !["get", "post", "patch", "put", "delete"].contains(&method.as_str()) {
                    continue;
                }
                operations += 1;
                let mut statuses = vec!["400", "401", "403", "404", "422", "429", "500", "503"];
                if method != "get" && method != "delete" {
                    statuses.extend(["409", "413"]);
                }
                for status in statuses {
                    let schema = &op["responses"][status]["content"]["application/problem+json"]["schema"]
                        ["$ref"];
                    assert_eq!(
                        schema, "#/components/schemas/Problem",
                        "{method} {path} documents {status} as a problem"
                    );
                }
                for (status, r) in op["responses"].as_object().expect("responses") {
                    assert!(
                        status.starts_with('2')
                            || r["content"].get("application/json").is_none()
                            || r["content"]["application/json"]["schema"]["$ref"]
                                != "#/components/schemas/Problem",
                        "{method} {path} {status}: a problem is never application/json"
                    );
                }
            }
        }
        assert!(operations > 80, "{operations} operations");
    }
);
