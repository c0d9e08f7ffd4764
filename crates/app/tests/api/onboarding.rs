//! Onboarding: requirement rules, uploads checked and stored once, review, attestation,
//! signatures, provisioning, clearance derived on read and reused across placements.
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use serde_json::{Value, json};

/// A bad upload: its fields, its bytes, the code it must be refused with.
type BadUpload<'a> = (Vec<(&'a str, &'a str)>, Vec<u8>, &'a str);

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

struct Setup {
    office: Caller,
    school: Caller,
    student: Caller,
    student_id: String,
    placement: Value,
    f: Fixture,
    preceptor: Value,
}

/// One approved clinical placement (2027-02-01 – 2027-04-30) for the fixture's student.
async fn setup(app: &TestApp) -> Setup {
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
            &json!({ "name": "Pat", "email": format!("pat-{}@h.test", uuid::Uuid::now_v7().simple()), "department_id": f.department["id"],
                     "discipline": "radiography", "is_preceptor": true, "max_students": 4 }),
        )
        .await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    let placement = place(
        app,
        &office,
        &school,
        &f,
        &preceptor,
        "2027-02-01",
        "2027-04-30",
    )
    .await;
    let student = app
        .user("student", json!({ "student_id": f.student["id"] }))
        .await;
    Setup {
        office,
        school,
        student,
        student_id: id(&f.student),
        placement,
        f,
        preceptor,
    }
}

async fn place(
    app: &TestApp,
    office: &Caller,
    school: &Caller,
    f: &Fixture,
    preceptor: &Value,
    from: &str,
    to: &str,
) -> Value {
    let r = app
        .create(
            school,
            "/api/v1/placement-requests",
            &json!({ "kind": "clinical", "program_id": f.program["id"], "starts_on": from, "ends_on": to, "hours_per_week": 32,
                     "student_ids": [f.student["id"]] }),
        )
        .await;
    let d = expect_status(
        app.post(
            office,
            &format!("/api/v1/placement-requests/{}/decision", id(&r)),
            &json!({ "decision": "approve", "placements": [{ "student_id": f.student["id"], "department_id": f.department["id"],
                     "preceptor_id": preceptor["id"] }] }),
        )
        .await,
        200,
    )
    .await;
    d["placements"][0].clone()
}

async fn upload(
    app: &TestApp,
    who: &Caller,
    student_id: &str,
    fields: &[(&str, &str)],
    file: Vec<u8>,
    name: &str,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file).file_name(name.to_string()),
    );
    app.client
        .post(app.url(&format!("/api/v1/students/{student_id}/documents")))
        .bearer_auth(&who.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn checklist(
    app: &TestApp,
    who: &Caller,
    student_id: &str,
    placement: Option<&Value>,
) -> Vec<(String, String)> {
    let q = placement
        .map(|p| format!("?placement_id={}", id(p)))
        .unwrap_or_default();
    let list = app
        .get_ok(
            who,
            &format!("/api/v1/students/{student_id}/requirements{q}"),
        )
        .await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["requirement_code"].as_str().unwrap().into(),
                i["state"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn state_of(list: &[(String, String)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| c == code)
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| "absent".into())
}

/// Uploads and verifies every student-uploaded item, attests the school's, signs, provisions.
async fn clear_everything(app: &TestApp, s: &Setup, placement: &Value) {
    let items = app
        .get_ok(
            &s.office,
            &format!(
                "/api/v1/students/{}/requirements?placement_id={}",
                s.student_id,
                id(placement)
            ),
        )
        .await;
    for item in items["items"].as_array().unwrap() {
        let code = item["requirement_code"].as_str().unwrap();
        if item["state"] == "verified" {
            continue;
        }
        match item["satisfied_by"].as_str().unwrap() {
            "student_upload" => {
                let mut fields = vec![("requirement_code", code), ("completed_on", "2026-12-15")];
                if code == "bls" {
                    fields.push(("expires_on", "2028-12-31"));
                }
                let doc = expect_status(
                    upload(
                        app,
                        &s.student,
                        &s.student_id,
                        &fields,
                        PDF.to_vec(),
                        "card.pdf",
                    )
                    .await,
                    201,
                )
                .await;
                expect_status(
                    app.post(
                        &s.office,
                        &format!("/api/v1/documents/{}/review", id(&doc)),
                        &json!({ "outcome": "verified" }),
                    )
                    .await,
                    200,
                )
                .await;
            }
            "school_attestation" => {
                let mut body = json!({ "requirement_code": code, "student_ids": [s.student_id], "completed_on": "2026-12-01" });
                if code == "liability_insurance" {
                    body["expires_on"] = json!("2027-12-31");
                }
                expect_status(
                    app.post(&s.school, "/api/v1/attestations", &body).await,
                    201,
                )
                .await;
            }
            "signed_in_system" => {
                let path = format!("/api/v1/placements/{}/signatures", id(placement));
                expect_status(
                    app.post(
                        &s.student,
                        &path,
                        &json!({ "requirement_code": code, "name": "Ana Lopez" }),
                    )
                    .await,
                    201,
                )
                .await;
            }
            _ => {
                let path = format!("/api/v1/placements/{}/provisioning", id(placement));
                expect_status(
                    app.post(&s.office, &path, &json!({ "requirement_code": code }))
                        .await,
                    201,
                )
                .await;
            }
        }
    }
}

/// Sessions that outlast the clock moving by weeks.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

crate::db_test_with!(
    a_placement_starts_only_once_cleared,
    long_sessions,
    |app| async move {
        let s = setup(&app).await;
        let list = checklist(&app, &s.student, &s.student_id, None).await;
        assert!(
            list.len() >= 15,
            "a clinical carries the whole list: {list:?}"
        );
        assert!(list.iter().all(|(_, st)| st == "missing"));
        assert_eq!(
            state_of(&list, "influenza"),
            "missing",
            "a February placement is in flu season"
        );
        let path = format!("/api/v1/placements/{}/transition", id(&s.placement));
        expect_status(
            app.post(&s.school, &path, &json!({ "to": "confirmed" }))
                .await,
            200,
        )
        .await;
        assert_eq!(
            codes(
                &expect_status(
                    app.post(&s.office, &path, &json!({ "to": "active" })).await,
                    409
                )
                .await
            ),
            ["not_cleared"]
        );

        clear_everything(&app, &s, &s.placement).await;
        let p = app
            .get_ok(
                &s.office,
                &format!("/api/v1/placements/{}", id(&s.placement)),
            )
            .await;
        assert_eq!(p["clearance"]["status"], "cleared", "{p}");
        assert_eq!(p["status"], "cleared");
        // `active` means started (issue 12): the clock moves to the placement's first day.
        let first_day = p["starts_on"].as_str().expect("a start").to_string();
        let at = chrono::NaiveDate::parse_from_str(&first_day, "%Y-%m-%d")
            .expect("a date")
            .and_hms_opt(9, 0, 0)
            .expect("a time")
            .and_utc();
        app.clock.advance(at - app.clock.now());
        let active = expect_status(
            app.post(&s.office, &path, &json!({ "to": "active" })).await,
            200,
        )
        .await;
        assert_eq!(active["status"], "active");
    }
);

db_test!(documents_are_reused_across_placements, |app| async move {
    let s = setup(&app).await;
    clear_everything(&app, &s, &s.placement).await;
    let second = place(
        &app,
        &s.office,
        &s.school,
        &s.f,
        &s.preceptor,
        "2027-05-03",
        "2027-06-25",
    )
    .await;
    let list = checklist(&app, &s.student, &s.student_id, Some(&second)).await;
    for code in [
        "mmr",
        "varicella",
        "hepatitis_b",
        "tdap",
        "tuberculosis",
        "bls",
        "background_check",
        "hipaa_safety",
    ] {
        assert_eq!(
            state_of(&list, code),
            "verified",
            "{code} is not asked again"
        );
    }
    for code in ["confidentiality", "badge", "orientation"] {
        assert_eq!(state_of(&list, code), "missing", "{code} is per placement");
    }
    assert_eq!(
        state_of(&list, "influenza"),
        "absent",
        "a May–June placement needs no flu shot"
    );
});

db_test!(
    bad_uploads_are_refused_and_nothing_is_stored,
    |app| async move {
        let s = setup(&app).await;
        let sid = s.student_id.clone();
        let cases: Vec<BadUpload> = vec![
            (
                vec![("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
                b"GIF89a....".to_vec(),
                "file_type_not_allowed",
            ),
            (
                vec![("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
                b"<html>%PDF-</html>".to_vec(),
                "file_type_not_allowed",
            ),
            (
                vec![("requirement_code", "tdap"), ("completed_on", "2027-06-01")],
                PDF.to_vec(),
                "completed_in_future",
            ),
            (
                vec![
                    ("requirement_code", "bls"),
                    ("completed_on", "2026-06-01"),
                    ("expires_on", "2026-01-01"),
                ],
                PDF.to_vec(),
                "expires_before_completion",
            ),
            (
                vec![("requirement_code", "bls"), ("completed_on", "2026-06-01")],
                PDF.to_vec(),
                "expiry_required",
            ),
            (
                vec![
                    ("requirement_code", "astrology"),
                    ("completed_on", "2026-06-01"),
                ],
                PDF.to_vec(),
                "unknown_requirement",
            ),
            (
                vec![
                    ("requirement_code", "background_check"),
                    ("completed_on", "2026-06-01"),
                ],
                PDF.to_vec(),
                "not_satisfiable_this_way",
            ),
            (
                vec![("requirement_code", "tdap"), ("completed_on", "someday")],
                PDF.to_vec(),
                "invalid_date",
            ),
        ];
        for (fields, file, code) in cases {
            let body = expect_status(
                upload(&app, &s.student, &sid, &fields, file, "x.pdf").await,
                422,
            )
            .await;
            assert!(codes(&body).contains(&code.to_string()), "{code}: {body}");
        }
        let docs = app
            .get_ok(&s.office, &format!("/api/v1/students/{sid}/documents"))
            .await;
        assert_eq!(docs["items"].as_array().unwrap().len(), 0, "nothing stored");
        let files = app.state.config.files_dir();
        assert!(
            !files.exists() || std::fs::read_dir(&files).unwrap().next().is_none(),
            "no file kept"
        );
        // Another student's school cannot upload for them; a preceptor cannot either.
        let other_school = app
            .user(
                "school_coordinator",
                json!({ "school_id": s.f.other_school["id"] }),
            )
            .await;
        let res = upload(
            &app,
            &other_school,
            &sid,
            &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            PDF.to_vec(),
            "t.pdf",
        )
        .await;
        expect_problem(res, 404, &["not_found"]).await;
    }
);

#[tokio::test]
async fn an_upload_over_the_limit_is_refused() {
    let app = spawn_with(Backend::Sqlite, |c| c.upload_limit = 4096)
        .await
        .unwrap();
    let s = setup(&app).await;
    let mut big = PDF.to_vec();
    big.extend(std::iter::repeat_n(b'x', 5000));
    let body = expect_status(
        upload(
            &app,
            &s.student,
            &s.student_id,
            &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            big,
            "big.pdf",
        )
        .await,
        422,
    )
    .await;
    assert_eq!(codes(&body), ["file_too_large"]);
}

db_test_with!(
    a_refused_upload_shows_its_form_again_with_why_and_the_limit,
    |c: &mut practicum::config::Config| c.upload_limit = 4096,
    |app| async move {
        let s = setup(&app).await;
        let docs = format!("/students/{}/documents", s.student_id);
        let fields = [("requirement_code", "tdap"), ("completed_on", "2026-12-01")];
        // Over the limit by a little (read part by part) and by a lot (refused whole).
        for size in [5_000, 200_000] {
            let mut big = PDF.to_vec();
            big.extend(std::iter::repeat_n(b'x', size));
            let (status, html) = crate::rule_pages::page_upload(
                &app, &s.student, &docs, &docs, &fields, big, "big.pdf",
            )
            .await;
            assert_eq!(status, 422, "{html}");
            assert!(html.contains("larger than 4 KB"), "{size}: {html}");
            assert!(html.contains("There is a problem"), "{html}");
            assert!(
                html.contains(r#"<nav aria-label="Main""#),
                "inside the layout"
            );
            assert!(
                html.contains(&format!(r#"action="{docs}""#)),
                "the form again"
            );
            assert!(html.contains("at most 4 KB"), "the limit in the hint");
            assert!(
                html.contains(r#"value="2026-12-01""#),
                "{size}: kept: {html}"
            );
        }
        // Not a PDF or an image: the form again, what was typed kept.
        let (status, html) = crate::rule_pages::page_upload(
            &app,
            &s.student,
            &docs,
            &docs,
            &fields,
            b"GIF89a not a pdf".to_vec(),
            "card.pdf",
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains(r#"value="2026-12-01""#), "kept: {html}");
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
        // Nothing was kept.
        let list = app
            .get_ok(
                &s.office,
                &format!("/api/v1/students/{}/documents", s.student_id),
            )
            .await;
        assert_eq!(items(&list).len(), 0, "{list}");

        // The agreement's signed copy, over the limit.
        let agreements = app
            .get_ok(
                &s.office,
                &format!("/api/v1/agreements?school_id={}", id(&s.f.school)),
            )
            .await;
        let agreement = format!("/agreements/{}", id(&items(&agreements)[0]));
        let mut big = PDF.to_vec();
        big.extend(std::iter::repeat_n(b'x', 5_000));
        let (status, html) = crate::rule_pages::page_upload(
            &app,
            &s.office,
            &agreement,
            &format!("{agreement}/document"),
            &[],
            big,
            "signed.pdf",
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(
            html.contains("File: the file is larger than 4 KB"),
            "{html}"
        );
        assert!(html.contains("Upload the signed agreement"), "{html}");

        // An import file over the limit.
        let mut big = b"first_name,last_name,email\n".to_vec();
        big.extend(std::iter::repeat_n(b'x', 5_000));
        let (status, html) = crate::rule_pages::page_upload(
            &app,
            &s.office,
            "/imports/students",
            "/imports/students/preview",
            &[],
            big,
            "students.csv",
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("larger than 4 KB"), "{html}");
    }
);

db_test!(review_rejection_expiry_and_file_access, |app| async move {
    let s = setup(&app).await;
    let sid = s.student_id.clone();
    let doc = expect_status(
        upload(
            &app,
            &s.student,
            &sid,
            &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            PDF.to_vec(),
            "tdap.pdf",
        )
        .await,
        201,
    )
    .await;
    assert_eq!(doc["status"], "submitted");
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "tdap"),
        "submitted"
    );
    let queue = app.get_ok(&s.office, "/api/v1/documents").await;
    assert_eq!(queue["items"][0]["id"], doc["id"]);
    expect_problem(
        app.get(&s.school, "/api/v1/documents").await,
        403,
        &["forbidden"],
    )
    .await;
    let review = format!("/api/v1/documents/{}/review", id(&doc));
    assert_eq!(
        codes(
            &expect_status(
                app.post(&s.office, &review, &json!({ "outcome": "rejected" }))
                    .await,
                422
            )
            .await
        ),
        ["reason_required"]
    );
    expect_status(
        app.post(
            &s.office,
            &review,
            &json!({ "outcome": "rejected", "note": "unreadable scan" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        codes(
            &expect_status(
                app.post(&s.office, &review, &json!({ "outcome": "verified" }))
                    .await,
                409
            )
            .await
        ),
        ["invalid_transition"]
    );
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "tdap"),
        "rejected"
    );
    let p = app
        .get_ok(
            &s.office,
            &format!("/api/v1/placements/{}", id(&s.placement)),
        )
        .await;
    assert_eq!(p["clearance"]["status"], "blocked");

    // A BLS card that lapses before the last day (30 April).
    let bls = expect_status(
        upload(
            &app,
            &s.student,
            &sid,
            &[
                ("requirement_code", "bls"),
                ("completed_on", "2025-03-01"),
                ("expires_on", "2027-03-31"),
            ],
            PDF.to_vec(),
            "bls.pdf",
        )
        .await,
        201,
    )
    .await;
    expect_status(
        app.post(
            &s.office,
            &format!("/api/v1/documents/{}/review", id(&bls)),
            &json!({ "outcome": "verified" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "bls"),
        "expires_during_placement"
    );
    let p = app
        .get_ok(
            &s.office,
            &format!("/api/v1/placements/{}", id(&s.placement)),
        )
        .await;
    assert!(
        p["clearance"]["expiring"]
            .as_array()
            .unwrap()
            .contains(&json!("bls"))
    );

    // The file: to the student, their school and the office; as an attachment, never sniffed.
    let path = format!("/api/v1/documents/{}/file", id(&bls));
    let res = app.get(&s.student, &path).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().to_vec(), PDF);
    let checklist = app
        .get_ok(&s.school, &format!("/api/v1/students/{sid}/requirements"))
        .await;
    assert!(
        items(&checklist)
            .iter()
            .any(|r| r["requirement_code"] == "bls"),
        "{checklist}"
    );
    let res = app.get(&s.school, &path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.expect("the file").to_vec(), PDF);
    let other_school = app
        .user(
            "school_coordinator",
            json!({ "school_id": s.f.other_school["id"] }),
        )
        .await;
    expect_problem(app.get(&other_school, &path).await, 404, &["not_found"]).await;
    let preceptor = app
        .user("preceptor", json!({ "staff_id": s.preceptor["id"] }))
        .await;
    expect_problem(app.get(&preceptor, &path).await, 404, &["not_found"]).await;
});

db_test!(rules_are_data_the_office_edits, |app| async move {
    let s = setup(&app).await;
    let sid = s.student_id.clone();
    let rules = app.get_ok(&s.office, "/api/v1/requirements").await;
    let covid = rules["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "covid19")
        .unwrap()
        .clone();
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "covid19"),
        "missing"
    );
    // Exempt the department: gone on the next read.
    let path = format!("/api/v1/requirements/{}", id(&covid));
    expect_status(app.patch(&s.office, &path, &json!({ "applies_to": { "kinds": ["clinical"], "exempt_departments": [s.f.department["id"]] } })).await, 200).await;
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "covid19"),
        "absent"
    );
    // Only at another site: gone; back for all: there.
    expect_status(
        app.patch(
            &s.office,
            &path,
            &json!({ "applies_to": { "sites": ["0191d3a0-0000-7000-8000-000000000000"] } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "covid19"),
        "absent"
    );
    expect_status(
        app.patch(
            &s.office,
            &path,
            &json!({ "applies_to": { "disciplines": ["radiography"] } }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "covid19"),
        "missing"
    );
    // A site that wants TB within 90 days of the start.
    let tb = app
        .create(
            &s.office,
            "/api/v1/requirements",
            &json!({ "code": "tb_recent", "name": "TB within 90 days of start", "category": "test", "satisfied_by": "student_upload",
                     "validity": { "kind": "within_days_before_start", "value": 90 }, "applies_to": { "sites": [s.f.site["id"]] } }),
        )
        .await;
    assert_eq!(tb["active"], true);
    let old = expect_status(
        upload(
            &app,
            &s.student,
            &sid,
            &[
                ("requirement_code", "tb_recent"),
                ("completed_on", "2026-10-01"),
            ],
            PDF.to_vec(),
            "tb.pdf",
        )
        .await,
        201,
    )
    .await;
    expect_status(
        app.post(
            &s.office,
            &format!("/api/v1/documents/{}/review", id(&old)),
            &json!({ "outcome": "verified" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "tb_recent"),
        "missing",
        "123 days before the start is too early"
    );
    let recent = expect_status(
        upload(
            &app,
            &s.student,
            &sid,
            &[
                ("requirement_code", "tb_recent"),
                ("completed_on", "2027-01-02"),
            ],
            PDF.to_vec(),
            "tb2.pdf",
        )
        .await,
        201,
    )
    .await;
    expect_status(
        app.post(
            &s.office,
            &format!("/api/v1/documents/{}/review", id(&recent)),
            &json!({ "outcome": "verified" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        state_of(&checklist(&app, &s.student, &sid, None).await, "tb_recent"),
        "verified"
    );
    // Bad rules and roles.
    let bad = json!({ "code": "X Y", "name": "", "category": "magic", "satisfied_by": "anyone", "validity": { "kind": "forever" } });
    let got =
        codes(&expect_status(app.post(&s.office, "/api/v1/requirements", &bad).await, 422).await);
    for c in [
        "invalid_code",
        "required",
        "invalid_choice",
        "invalid_validity",
    ] {
        assert!(got.contains(&c.to_string()), "{c} in {got:?}");
    }
    expect_problem(
        app.post(&s.school, "/api/v1/requirements", &json!({}))
            .await,
        403,
        &["forbidden"],
    )
    .await;
    let res = app.post(&s.school, "/api/v1/attestations", &json!({ "requirement_code": "tdap", "student_ids": [sid], "completed_on": "2026-12-01" })).await;
    assert_eq!(
        codes(&expect_status(res, 422).await),
        ["not_satisfiable_this_way"]
    );
});

db_test!(
    the_review_page_previews_the_file_inline_for_the_office_only,
    |app| async move {
        let s = setup(&app).await;
        // The smallest PNG there is: signature, IHDR, IDAT and IEND chunks.
        let png: Vec<u8> = [
        &b"\x89PNG\r\n\x1a\n"[..],
        b"\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
        b"\x00\x00\x00\x0dIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\x0d\n-\xb4",
        b"\x00\x00\x00\x00IEND\xaeB`\x82",
    ]
    .concat();
        let mut ids = vec![];
        for (bytes, name) in [(png, "card.png"), (PDF.to_vec(), "titer.pdf")] {
            let doc = expect_status(
                upload(
                    &app,
                    &s.student,
                    &s.student_id,
                    &[("requirement_code", "mmr"), ("completed_on", "2026-11-01")],
                    bytes,
                    name,
                )
                .await,
                201,
            )
            .await;
            ids.push(id(&doc));
        }
        let get = |who: &Caller, path: String| {
            let app = &app;
            let cookie = format!("practicum_session={}", who.token);
            async move {
                app.client
                    .get(app.url(&path))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let page = get(&s.office, format!("/documents/{}", ids[0]))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!("<img src=\"/documents/{}/preview\"", ids[0])));
        let page = get(&s.office, format!("/documents/{}", ids[1]))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&format!(
            "<object data=\"/documents/{}/preview\" type=\"application/pdf\"",
            ids[1]
        )));
        let res = get(&s.office, format!("/documents/{}/preview", ids[1])).await;
        assert_eq!(res.status(), 200);
        let h = res.headers();
        assert_eq!(h["content-type"], "application/pdf");
        assert!(
            h["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline")
        );
        assert_eq!(h["x-frame-options"], "SAMEORIGIN");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("sandbox;"));
        assert!(csp.contains("frame-ancestors 'self'") && csp.contains("default-src 'none'"));
        // The download stays an attachment, and pages stay unframeable.
        let res = get(&s.office, format!("/documents/{}/file", ids[1])).await;
        assert!(
            res.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        // The preview is the office's: the school and the student get 403, not the file.
        for who in [&s.school, &s.student] {
            let res = get(who, format!("/documents/{}/preview", ids[0])).await;
            expect_page(res, 403).await;
        }
        let res = get(
            &s.office,
            format!("/documents/{}/preview", uuid::Uuid::now_v7()),
        )
        .await;
        expect_page(res, 404).await;
    }
);

async fn mail(app: &TestApp) -> Vec<practicum::db::mail_queue::QueuedMail> {
    let mut tx = app.state.db.read().await.unwrap();
    practicum::db::mail_queue::all(&mut tx).await.unwrap()
}

async fn sweep(app: &TestApp) -> practicum::jobs::reminders::Sent {
    practicum::jobs::reminders::run_once(&app.state)
        .await
        .expect("the sweep runs")
}

async fn kinds(app: &TestApp, who: &Caller) -> Vec<String> {
    let list = app.get_ok(who, "/api/v1/notifications").await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

db_test!(
    a_student_is_told_once_that_a_document_lapses_during_the_placement,
    |app| async move {
        let s = setup(&app).await;
        let sid = s.student_id.clone();
        let bls = expect_status(
            upload(
                &app,
                &s.student,
                &sid,
                &[
                    ("requirement_code", "bls"),
                    ("completed_on", "2025-03-01"),
                    ("expires_on", "2027-03-31"),
                ],
                PDF.to_vec(),
                "bls.pdf",
            )
            .await,
            201,
        )
        .await;
        // Submitted, not verified: nothing to warn about yet.
        assert_eq!(sweep(&app).await.lapses, 0);
        expect_status(
            app.post(
                &s.office,
                &format!("/api/v1/documents/{}/review", id(&bls)),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(sweep(&app).await.lapses, 1);
        assert_eq!(sweep(&app).await.lapses, 0, "told once");
        let k = kinds(&app, &s.student).await;
        assert_eq!(k.iter().filter(|k| *k == "document_lapses").count(), 1);
        let m = mail(&app).await;
        let to_student: Vec<_> = m
            .iter()
            .filter(|x| x.subject.contains("Renew your BLS"))
            .collect();
        assert_eq!(to_student.len(), 1);
        assert!(to_student[0].body.contains("Fri 30 Apr 2027"));
    }
);

crate::db_test_with!(
    the_school_hears_fourteen_days_before_the_start_once,
    // The clock moves by days; sessions must outlast it.
    |c| {
        c.session_idle = std::time::Duration::from_secs(90 * 86400);
        c.session_absolute = std::time::Duration::from_secs(90 * 86400);
    },
    |app| async move {
        let s = setup(&app).await;
        // 4 January: the placement starts on 1 February, 28 days away.
        assert_eq!(sweep(&app).await.start_notices, 0);
        app.clock.advance(chrono::Duration::days(15));
        let sent = sweep(&app).await;
        assert_eq!(sent.start_notices, 1);
        assert_eq!(sweep(&app).await.start_notices, 0, "told once");
        // Newest first: the start notice, then the decision that created the placement.
        let k = kinds(&app, &s.school).await;
        assert_eq!(
            k,
            vec!["student_blocked".to_string(), "request_decided".to_string()]
        );
        let list = app.get_ok(&s.school, "/api/v1/notifications").await;
        let message = list["items"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("Ana Lopez starts on Mon 1 Feb 2027 and is not cleared yet: "),
            "{message}"
        );
        // What is missing, by name (issue 14 point 5): "Tdap vaccination", never "tdap".
        let what = message.split("not cleared yet: ").nth(1).unwrap_or("");
        assert!(what.ends_with(" still to do"), "{message}");
        for word in what.trim_end_matches(" still to do").split(", ") {
            assert!(
                word.contains(' ') || word.chars().next().is_some_and(char::is_uppercase),
                "{word} reads as a code in: {message}"
            );
            assert!(!word.contains('_'), "{message}");
        }
        assert!(
            mail(&app)
                .await
                .iter()
                .any(|x| x.subject == "Ana Lopez: 14 days to the start")
        );
        // The other school's coordinator and the student hear nothing of it.
        let other_school = app
            .user(
                "school_coordinator",
                json!({ "school_id": s.f.other_school["id"] }),
            )
            .await;
        for who in [&s.student, &other_school] {
            assert!(
                !kinds(&app, who)
                    .await
                    .contains(&"student_blocked".to_string())
            );
        }
        assert!(
            kinds(&app, &s.school)
                .await
                .contains(&"student_blocked".to_string()),
            "the school's own coordinator is told"
        );
    }
);

crate::db_test_with!(
    the_office_gets_one_digest_of_uploads_per_interval,
    // The clock moves by days; sessions must outlast it.
    |c| {
        c.session_idle = std::time::Duration::from_secs(90 * 86400);
        c.session_absolute = std::time::Duration::from_secs(90 * 86400);
    },
    |app| async move {
        let s = setup(&app).await;
        let sid = s.student_id.clone();
        for code in ["tdap", "mmr"] {
            expect_status(
                upload(
                    &app,
                    &s.student,
                    &sid,
                    &[("requirement_code", code), ("completed_on", "2026-11-01")],
                    PDF.to_vec(),
                    "card.pdf",
                )
                .await,
                201,
            )
            .await;
        }
        // Each upload is in the app at once, but not one email each.
        assert_eq!(
            kinds(&app, &s.office)
                .await
                .iter()
                .filter(|k| *k == "document_uploaded")
                .count(),
            2
        );
        assert!(
            !mail(&app)
                .await
                .iter()
                .any(|m| m.subject.contains("to review"))
        );
        assert_eq!(sweep(&app).await.digests, 1);
        let digests: Vec<_> = mail(&app)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("to review"))
            .collect();
        assert_eq!(digests.len(), 1);
        assert_eq!(digests[0].subject, "2 document(s) to review");
        assert!(digests[0].body.contains("Ana Lopez: Tdap"));
        // Within the hour nothing more is sent; after it, only what is new.
        assert_eq!(sweep(&app).await.digests, 0);
        app.clock.advance(chrono::Duration::minutes(61));
        assert_eq!(sweep(&app).await.digests, 0, "nothing new, no email");
        app.clock.advance(chrono::Duration::minutes(1));
        expect_status(
            upload(
                &app,
                &s.student,
                &sid,
                &[
                    ("requirement_code", "varicella"),
                    ("completed_on", "2026-11-01"),
                ],
                PDF.to_vec(),
                "v.pdf",
            )
            .await,
            201,
        )
        .await;
        app.clock.advance(chrono::Duration::minutes(61));
        assert_eq!(sweep(&app).await.digests, 1);
        let last = mail(&app)
            .await
            .into_iter()
            .rfind(|m| m.subject.contains("to review"))
            .unwrap();
        assert_eq!(last.subject, "1 document(s) to review");
    }
);

crate::db_test_with!(
    with_no_digest_each_upload_is_emailed_at_once,
    |c| c.upload_digest = std::time::Duration::ZERO,
    |app| async move {
        let s = setup(&app).await;
        expect_status(
            upload(
                &app,
                &s.student,
                &s.student_id,
                &[("requirement_code", "tdap"), ("completed_on", "2026-11-01")],
                PDF.to_vec(),
                "card.pdf",
            )
            .await,
            201,
        )
        .await;
        assert!(
            mail(&app)
                .await
                .iter()
                .any(|m| m.subject == "A document to review")
        );
        assert_eq!(sweep(&app).await.digests, 0);
    }
);

db_test!(
    a_documents_kept_answer_follows_every_write_to_it,
    |app| async move {
        // Each read asks a page never asked before (its own limit), so only the documents'
        // own kept answers (by row tag) can answer it, never a whole kept page.
        let s = setup(&app).await;
        let sid = s.student_id.clone();
        let mut limit = 60;
        let mut fresh = |status: &str| {
            limit -= 1;
            format!("/api/v1/documents?status={status}&limit={limit}")
        };
        let doc = expect_status(
            upload(
                &app,
                &s.student,
                &sid,
                &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
                PDF.to_vec(),
                "tdap.pdf",
            )
            .await,
            201,
        )
        .await;
        let second = expect_status(
            upload(
                &app,
                &s.student,
                &sid,
                &[
                    ("requirement_code", "bls"),
                    ("completed_on", "2026-11-30"),
                    ("expires_on", "2028-11-30"),
                ],
                PDF.to_vec(),
                "bls.pdf",
            )
            .await,
            201,
        )
        .await;
        let queued = app.get_ok(&s.office, &fresh("submitted")).await;
        assert_eq!(
            item_of(&queued, &doc),
            doc,
            "the queue answers the document as uploaded"
        );
        assert_eq!(item_of(&queued, &second), second);
        // Oldest first (db::page::page_tags reads the page as one row, in its order).
        let queue_ids = ids(&queued);
        let mut in_order = queue_ids.clone();
        in_order.sort();
        assert_eq!(queue_ids, in_order);
        // Read twice, the second from what was kept: the same.
        let again = app.get_ok(&s.office, &fresh("submitted")).await;
        assert_eq!(item_of(&again, &doc), doc);

        expect_status(
            app.post(
                &s.office,
                &format!("/api/v1/documents/{}/review", id(&doc)),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        assert!(!ids(&app.get_ok(&s.office, &fresh("submitted")).await).contains(&id(&doc)));
        let verified = item_of(&app.get_ok(&s.office, &fresh("verified")).await, &doc);
        assert_eq!(verified["status"], "verified", "{verified}");
        assert!(verified["reviewed_at"].is_string(), "{verified}");

        // Another process writes the row by hand: the next page shows it.
        let changed = another_process(
            &app,
            "UPDATE documents SET review_note = 'checked by hand' WHERE id = $1",
            &[&id(&doc)],
        )
        .await;
        assert_eq!(changed, 1);
        // Within the watch's poll: the page's ids and tags may come from the listing kept
        // whole until a write (db::listings), as every kept value.
        let (app_ref, office, doc_ref) = (&app, &s.office, &doc);
        let by_hand = poll(std::time::Duration::from_secs(10), || {
            let path = fresh("verified");
            async move {
                let now = item_of(&app_ref.get_ok(office, &path).await, doc_ref);
                (now["review_note"] == "checked by hand").then_some(now)
            }
        })
        .await;
        let mut rest = by_hand.clone();
        rest["review_note"] = verified["review_note"].clone();
        if verified.get("review_note").is_none() {
            rest.as_object_mut().map(|o| o.remove("review_note"));
        }
        assert_eq!(rest, verified, "only the note changed");
    }
);
