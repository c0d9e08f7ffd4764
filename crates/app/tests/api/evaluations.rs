//! Issue 16 points 1-3 over HTTP: evaluation forms as data (seeded, checked with every problem
//! at once, versioned once in use), the supervisor's midterm and final (due days from the
//! placement, fill, sign and lock, the student's acknowledgement, corrections as versions with
//! history, the PDF read back), reminders once due and once late, who sees which (404 outside
//! the scope, 403 for a role that never may), and the student's site evaluation: read by its
//! author alone, shown to the office only as aggregates of at least 3.
use crate::db_test;
use crate::helpers::*;
use crate::requests::{World, approval, clinical, decide, submit, world};
use serde_json::{Value, json};

/// A confirmed clinical placement (1 Feb - 31 Mar 2027) of the world's `n`th student.
async fn confirmed(app: &TestApp, w: &World, n: usize) -> Value {
    let students = [&w.students[n]];
    let r = submit(app, w, &clinical(w, &students)).await;
    let p = expect_status(
        decide(app, &w.office, &r, &approval(w, &students)).await,
        200,
    )
    .await["placements"][0]
        .clone();
    expect_status(
        app.post(
            &w.school,
            &format!("/api/v1/placements/{}/transition", id(&p)),
            &json!({ "to": "confirmed" }),
        )
        .await,
        200,
    )
    .await;
    p
}

/// The world's preceptor signed in.
async fn preceptor_of(app: &TestApp, w: &World) -> Caller {
    app.user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await
}

async fn student_of(app: &TestApp, w: &World, n: usize) -> Caller {
    app.user("student", json!({ "student_id": w.students[n]["id"] }))
        .await
}

fn slots_path(p: &Value) -> String {
    format!("/api/v1/placements/{}/evaluations", id(p))
}

fn eval_path(e: &Value, tail: &str) -> String {
    format!("/api/v1/evaluations/{}{tail}", id(e))
}

/// Every required answer of the default clinical midterm form.
fn midterm_answers() -> Value {
    json!({ "safety": 4, "technical_skill": 3, "clinical_reasoning": 3, "communication": 5,
            "professionalism": 4, "confidentiality": "met", "goals": "Position patients with less help" })
}

/// Every required answer of the default site evaluation.
fn site_answers(score: i64) -> Value {
    json!({ "site_welcome": score, "site_learning": score, "site_safety": 5, "supervisor_available": score,
            "supervisor_feedback": 4, "recommend": true, "comments": "Dr. X was kind to me" })
}

/// The same person signed in again (after the clock moved past their session).
async fn relogin(app: &TestApp, who: &Caller) -> Caller {
    app.login(who.user["email"].as_str().unwrap(), DEMO_PASSWORD)
        .await
}

/// The caller's notifications of one kind.
async fn notices(app: &TestApp, who: &Caller, kind: &str) -> Vec<Value> {
    items(&app.get_ok(who, "/api/v1/notifications").await)
        .into_iter()
        .filter(|n| n["kind"] == kind)
        .collect()
}

/// `evaluations.json` of a student's data export, as `who` takes it.
async fn exported_evaluations(app: &TestApp, who: &Caller, student: &Value) -> Value {
    use std::io::Read;
    let res = app
        .get(who, &format!("/api/v1/students/{}/export", id(student)))
        .await;
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.expect("the archive").to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut f = zip.by_name("evaluations.json").expect("evaluations.json");
    let mut out = vec![];
    f.read_to_end(&mut out).expect("read");
    serde_json::from_slice(&out).expect("json")
}

/// The text of a PDF, read back with a PDF library, and its page count.
fn pdf_text(bytes: &[u8]) -> (String, usize) {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("its text");
    (text, pages.len())
}

db_test!(
    templates_are_seeded_checked_and_versioned_once_in_use,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let all = items(&app.get_ok(&w.office, "/api/v1/evaluation-templates").await);
        let names: Vec<&str> = all.iter().filter_map(|t| t["name"].as_str()).collect();
        assert_eq!(all.len(), 6, "{names:?}");
        for (kind, point) in [
            ("clinical", "midterm"),
            ("clinical", "final"),
            ("clinical", "site"),
            ("internship", "midterm"),
            ("internship", "final"),
            ("internship", "site"),
        ] {
            assert!(
                all.iter().any(|t| t["kind"] == kind && t["point"] == point),
                "{kind} {point}"
            );
        }
        // Everyone reads the forms; only the office writes them.
        let preceptor = preceptor_of(&app, &w).await;
        app.get_ok(&preceptor, "/api/v1/evaluation-templates").await;
        let good = json!({ "name": "Radiography final", "kind": "clinical", "discipline": "radiography", "point": "final",
            "sections": [{ "title": "Imaging", "items": [
                { "key": "positioning", "label": "Positions the patient", "type": "scale", "required": true,
                  "anchors": [{ "value": 1, "label": "unsafe" }, { "value": 5, "label": "independent" }] },
                { "key": "notes", "label": "Notes", "type": "text" } ] }] });
        expect_problem(
            app.post(&preceptor, "/api/v1/evaluation-templates", &good)
                .await,
            403,
            &["forbidden"],
        )
        .await;
        // Every problem at once, each named by its path.
        let bad = json!({ "kind": "surgical", "discipline": "astrology", "point": "weekly", "colour": 1,
            "sections": [{ "title": "A", "items": [
                { "key": "x", "label": "X", "type": "scale", "anchors": [{ "value": 3, "label": "c" }] },
                { "key": "x", "label": "Y", "type": "dial" } ] }] });
        let problem = expect_status(
            app.post(&w.office, "/api/v1/evaluation-templates", &bad)
                .await,
            422,
        )
        .await;
        let fields: Vec<String> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{}:{}",
                    e["field"].as_str().unwrap_or(""),
                    e["code"].as_str().unwrap_or("")
                )
            })
            .collect();
        for f in [
            "name:required",
            "kind:invalid_choice",
            "discipline:unknown_discipline",
            "point:invalid_choice",
            "colour:unknown_field",
            "sections[0].items[0].anchors:invalid_template",
            "sections[0].items[1].key:duplicate_item_key",
            "sections[0].items[1].type:invalid_choice",
        ] {
            assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
        }
        // A discipline's own form wins over the kind's general one.
        let own = app
            .create(&w.office, "/api/v1/evaluation-templates", &good)
            .await;
        assert_eq!(own["version"], 1);
        // Changed while unused: in place, same id and version.
        let renamed = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/evaluation-templates/{}", id(&own)),
                &json!({ "name": "Radiography final evaluation" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (renamed["id"].clone(), renamed["version"].clone()),
            (own["id"].clone(), json!(1))
        );
        // Filled on, then changed: a new version; the filled one keeps the old.
        let p = confirmed(&app, &w, 0).await;
        let slots = items(&app.get_ok(&preceptor, &slots_path(&p)).await);
        let fin = slots.iter().find(|s| s["point"] == "final").unwrap();
        assert_eq!(fin["template_id"], own["id"]);
        let e = app
            .create(
                &preceptor,
                &slots_path(&p),
                &json!({ "point": "final", "answers": { "positioning": 5 } }),
            )
            .await;
        assert_eq!(e["template"]["id"], own["id"]);
        let v2 = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/evaluation-templates/{}", id(&own)),
                &json!({ "sections": [{ "title": "Imaging", "items": [
                    { "key": "positioning", "label": "Positions the patient safely", "type": "yes_no", "required": true }] }] }),
            )
            .await,
            200,
        )
        .await;
        assert_ne!(v2["id"], own["id"]);
        assert_eq!(v2["version"], 2);
        assert_eq!(v2["family_id"], own["family_id"]);
        let old = app
            .get_ok(
                &w.office,
                &format!("/api/v1/evaluation-templates/{}", id(&own)),
            )
            .await;
        assert_eq!(old["is_current"], false);
        assert_eq!(old["sections"][0]["items"][0]["type"], "scale");
        let kept = app.get_ok(&preceptor, &eval_path(&e, "")).await;
        assert_eq!(kept["template"]["id"], own["id"]);
        assert_eq!(kept["answers"]["positioning"], 5);
        // The old version is no longer changed.
        expect_problem(
            app.patch(
                &w.office,
                &format!("/api/v1/evaluation-templates/{}", id(&own)),
                &json!({ "name": "again" }),
            )
            .await,
            409,
            &["invalid_transition"],
        )
        .await;
        // Every endpoint is in the OpenAPI document.
        let doc = app
            .client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        for path in [
            "/api/v1/evaluation-templates",
            "/api/v1/evaluation-templates/{id}",
            "/api/v1/evaluations",
            "/api/v1/placements/{id}/evaluations",
            "/api/v1/evaluations/{id}",
            "/api/v1/evaluations/{id}/sign",
            "/api/v1/evaluations/{id}/acknowledge",
            "/api/v1/evaluations/{id}/corrections",
            "/api/v1/evaluations/{id}/pdf",
            "/api/v1/reports/site-evaluations",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{path} in the OpenAPI document"
            );
        }
        let every = items(
            &app.get_ok(&w.office, "/api/v1/evaluation-templates?all_versions=true")
                .await,
        );
        assert_eq!(every.len(), 8);
    }
);

db_test!(
    the_preceptor_fills_and_signs_the_student_acknowledges_and_corrections_keep_history,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = confirmed(&app, &w, 0).await;
        let preceptor = preceptor_of(&app, &w).await;
        let student = student_of(&app, &w, 0).await;
        // Due days from the placement: the midpoint and the last day.
        let slots = items(&app.get_ok(&preceptor, &slots_path(&p)).await);
        let points: Vec<(&str, &str, &str)> = slots
            .iter()
            .map(|s| {
                (
                    s["point"].as_str().unwrap(),
                    s["due_on"].as_str().unwrap(),
                    s["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            points,
            [
                ("midterm", "2027-03-02", "not_started"),
                ("final", "2027-03-31", "not_started")
            ]
        );
        assert!(
            slots
                .iter()
                .all(|s| s["role"] == "author" && s["urgency"] == "not_yet")
        );
        // The student sees their own site evaluation too; the preceptor never does.
        let theirs = items(&app.get_ok(&student, &slots_path(&p)).await);
        assert_eq!(theirs.len(), 3);
        assert_eq!(theirs[2]["point"], "site");
        assert_eq!(theirs[2]["role"], "author");
        // On the preceptor's list of things to do.
        let todo = items(&app.get_ok(&preceptor, "/api/v1/evaluations").await);
        assert_eq!(todo.len(), 2);

        // Only the assigned supervisor evaluates: another preceptor 404, the office 403.
        let other_staff = crate::requests::preceptor(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            2,
            json!({}),
        )
        .await;
        let other = app
            .user("preceptor", json!({ "staff_id": other_staff["id"] }))
            .await;
        let start = json!({ "point": "midterm", "answers": { "safety": 4, "technical_skill": 9, "bogus": 1 } });
        expect_problem(
            app.post(&other, &slots_path(&p), &start).await,
            404,
            &["not_found"],
        )
        .await;
        expect_problem(
            app.post(&w.office, &slots_path(&p), &start).await,
            403,
            &["forbidden"],
        )
        .await;
        let manager = app
            .user(
                "department_manager",
                json!({ "staff_id": other_staff["id"] }),
            )
            .await;
        expect_problem(
            app.get(&manager, &slots_path(&p)).await,
            403,
            &["forbidden"],
        )
        .await;
        // Every answer problem at once.
        let problem = expect_status(app.post(&preceptor, &slots_path(&p), &start).await, 422).await;
        let mut got = codes(&problem);
        got.sort();
        assert_eq!(got, ["invalid_answer", "unknown_item"]);
        let e = app
            .create(
                &preceptor,
                &slots_path(&p),
                &json!({ "point": "midterm", "answers": { "safety": 4 } }),
            )
            .await;
        assert_eq!(e["status"], "draft");
        expect_problem(
            app.post(&preceptor, &slots_path(&p), &json!({ "point": "midterm" }))
                .await,
            409,
            &["evaluation_exists"],
        )
        .await;
        // A draft is the evaluator's: the student and the school do not open it.
        expect_problem(
            app.get(&student, &eval_path(&e, "")).await,
            404,
            &["not_found"],
        )
        .await;
        expect_problem(
            app.get(&w.school, &eval_path(&e, "")).await,
            404,
            &["not_found"],
        )
        .await;
        // Signing needs every required answer.
        let problem = expect_status(
            app.post(&preceptor, &eval_path(&e, "/sign"), &json!({}))
                .await,
            422,
        )
        .await;
        assert!(
            codes(&problem).iter().all(|c| c == "answer_required"),
            "{problem}"
        );
        assert_eq!(codes(&problem).len(), 6);
        let filled = expect_status(
            app.patch(
                &preceptor,
                &eval_path(&e, ""),
                &json!({ "answers": midterm_answers() }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(filled["answers"]["communication"], 5);
        let signed = expect_status(
            app.post(&preceptor, &eval_path(&e, "/sign"), &json!({}))
                .await,
            200,
        )
        .await;
        assert_eq!(signed["status"], "signed");
        assert_eq!(signed["signed_by_name"], preceptor.user["name"]);
        assert!(signed["signed_at"].is_string());
        // Signed is locked.
        expect_problem(
            app.patch(
                &preceptor,
                &eval_path(&e, ""),
                &json!({ "answers": { "safety": 5 } }),
            )
            .await,
            409,
            &["evaluation_signed"],
        )
        .await;
        expect_problem(
            app.post(&preceptor, &eval_path(&e, "/sign"), &json!({}))
                .await,
            409,
            &["evaluation_signed"],
        )
        .await;
        // The school reads its students' evaluations; another school does not.
        app.get_ok(&w.school, &eval_path(&e, "")).await;
        // A read by anyone but the student is in the student's disclosure log.
        let log = items(
            &app.get_ok(
                &w.office,
                &format!("/api/v1/students/{}/disclosures", id(&w.students[0])),
            )
            .await,
        );
        assert!(
            log.iter().any(|d| d["what"] == "evaluation"
                && d["record_id"] == e["id"]
                && d["viewer_role"] == "school_coordinator"),
            "{log:?}"
        );
        let other_school = app
            .user(
                "school_coordinator",
                json!({ "school_id": w.f.other_school["id"] }),
            )
            .await;
        expect_problem(
            app.get(&other_school, &eval_path(&e, "")).await,
            404,
            &["not_found"],
        )
        .await;
        // The student acknowledges: only they, once, with a comment.
        expect_problem(
            app.post(&preceptor, &eval_path(&e, "/acknowledge"), &json!({}))
                .await,
            403,
            &["forbidden"],
        )
        .await;
        let acked = expect_status(
            app.post(
                &student,
                &eval_path(&e, "/acknowledge"),
                &json!({ "comment": "I disagree about communication" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(acked["status"], "acknowledged");
        assert_eq!(acked["student_comment"], "I disagree about communication");
        expect_problem(
            app.post(&student, &eval_path(&e, "/acknowledge"), &json!({}))
                .await,
            409,
            &["already_acknowledged"],
        )
        .await;
        // A correction needs a reason and is a new version; the old one is kept.
        expect_problem(
            app.post(
                &preceptor,
                &eval_path(&e, "/corrections"),
                &json!({ "answers": { "safety": 5 } }),
            )
            .await,
            422,
            &["reason_required"],
        )
        .await;
        let corrected = expect_status(
            app.post(
                &preceptor,
                &eval_path(&e, "/corrections"),
                &json!({ "reason": "Safety was scored on the wrong row", "answers": { "safety": 5 } }),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(corrected["version"], 2);
        assert_eq!(corrected["answers"]["safety"], 5);
        assert_eq!(corrected["status"], "signed");
        assert_eq!(
            corrected["correction_reason"],
            "Safety was scored on the wrong row"
        );
        let history = corrected["history"].as_array().unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0]["version"], 1);
        assert_eq!(history[0]["answers"]["safety"], 4);
        assert_eq!(
            history[0]["student_comment"],
            "I disagree about communication"
        );
        // The new version waits for the student again.
        let todo = items(&app.get_ok(&student, "/api/v1/evaluations").await);
        assert!(
            todo.iter()
                .any(|s| s["id"] == e["id"] && s["status"] == "signed"),
            "{todo:?}"
        );
        expect_status(
            app.post(&student, &eval_path(&e, "/acknowledge"), &json!({}))
                .await,
            200,
        )
        .await;

        // The student's data export holds the signed evaluation with its earlier version.
        let exported = exported_evaluations(&app, &student, &w.students[0]).await;
        assert_eq!(exported[0]["version"], 2);
        assert_eq!(exported[0]["history"][0]["version"], 1);

        // The PDF, read back: who, the form's words, the signature, the correction.
        let res = app.get(&student, &eval_path(&e, "/pdf")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let bytes = res.bytes().await.unwrap();
        let (text, pages) = pdf_text(&bytes);
        assert!(pages >= 1);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in [
            "Midterm evaluation",
            &full_name(&w.students[0]),
            "Patient care and safety",
            "5 \u{2013} independent",
            "Position patients with less help",
            "Safety was scored on the wrong row",
            "Signed by",
            "acknowledging is not agreeing",
        ] {
            assert!(flat.contains(needle), "{needle:?} not in {flat}");
        }
        expect_problem(
            app.get(&other_school, &eval_path(&e, "/pdf")).await,
            404,
            &["not_found"],
        )
        .await;
    }
);

db_test!(
    reminders_go_once_when_due_and_once_when_late,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = confirmed(&app, &w, 0).await;
        let preceptor = preceptor_of(&app, &w).await;
        // A cancelled placement owes nothing.
        let gone = confirmed(&app, &w, 1).await;
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placements/{}/transition", id(&gone)),
                &json!({ "to": "cancelled", "reason": "The student withdrew" }),
            )
            .await,
            200,
        )
        .await;
        expect_problem(
            app.post(
                &preceptor,
                &slots_path(&gone),
                &json!({ "point": "midterm" }),
            )
            .await,
            409,
            &["evaluation_not_due"],
        )
        .await;
        let sweep = || async {
            practicum::jobs::reminders::run_once(&app.state)
                .await
                .expect("sweep")
                .evaluations
        };
        assert_eq!(sweep().await, 0);
        // 2 Mar 2027: the midterm is due (the test clock starts on Mon 4 Jan 2027).
        app.clock.advance(chrono::Duration::days(57));
        // Sessions do not last that long: everyone signs in again.
        let preceptor = relogin(&app, &preceptor).await;
        let reminders = |kind: &'static str| notices(&app, &preceptor, kind);
        assert_eq!(sweep().await, 1);
        assert_eq!(sweep().await, 0, "once");
        let due = reminders("evaluation_due").await;
        assert_eq!(due.len(), 1);
        assert!(
            due[0]["message"].as_str().unwrap().contains("midterm"),
            "{due:?}"
        );
        let slots = items(&app.get_ok(&preceptor, &slots_path(&p)).await);
        assert_eq!(slots[0]["urgency"], "due");
        // A week later it is late: told once more.
        app.clock.advance(chrono::Duration::days(7));
        let preceptor = relogin(&app, &preceptor).await;
        let reminders = |kind: &'static str| notices(&app, &preceptor, kind);
        assert_eq!(sweep().await, 1);
        assert_eq!(sweep().await, 0, "once");
        assert_eq!(reminders("evaluation_late").await.len(), 1);
        let slots = items(&app.get_ok(&preceptor, &slots_path(&p)).await);
        assert_eq!(slots[0]["urgency"], "late");
        // Signed before its day, the final is never reminded; the student's site evaluation is.
        let fin = app
            .create(
                &preceptor,
                &slots_path(&p),
                &json!({ "point": "final", "answers": midterm_answers() }),
            )
            .await;
        let mut answers = midterm_answers();
        answers["entry_level"] = json!(true);
        expect_status(
            app.patch(
                &preceptor,
                &eval_path(&fin, ""),
                &json!({ "answers": answers }),
            )
            .await,
            200,
        )
        .await;
        expect_status(
            app.post(&preceptor, &eval_path(&fin, "/sign"), &json!({}))
                .await,
            200,
        )
        .await;
        let student = student_of(&app, &w, 0).await;
        app.clock.advance(chrono::Duration::days(22)); // 31 Mar
        let student = relogin(&app, &student).await;
        let preceptor = relogin(&app, &preceptor).await;
        let reminders = |kind: &'static str| notices(&app, &preceptor, kind);
        assert_eq!(sweep().await, 1);
        let told = items(&app.get_ok(&student, "/api/v1/notifications").await);
        assert!(
            told.iter().any(|n| n["kind"] == "evaluation_due"
                && n["message"].as_str().unwrap().contains("site")),
            "{told:?}"
        );
        assert_eq!(reminders("evaluation_due").await.len(), 1);
    }
);

db_test!(
    a_site_evaluation_is_read_by_its_author_alone_and_counted_only_in_threes,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let preceptor = preceptor_of(&app, &w).await;
        let mut submitted = Vec::new();
        for n in 0..3 {
            let p = confirmed(&app, &w, n).await;
            let student = student_of(&app, &w, n).await;
            // Not the supervisor's to write.
            expect_problem(
                app.post(&preceptor, &slots_path(&p), &json!({ "point": "site" }))
                    .await,
                404,
                &["not_found"],
            )
            .await;
            let e = app
                .create(
                    &student,
                    &slots_path(&p),
                    &json!({ "point": "site", "answers": site_answers(2 + n as i64) }),
                )
                .await;
            let done = expect_status(
                app.post(&student, &eval_path(&e, "/sign"), &json!({}))
                    .await,
                200,
            )
            .await;
            assert_eq!(done["status"], "signed");
            // Submitted is final for the student too.
            expect_problem(
                app.post(
                    &student,
                    &eval_path(&e, "/corrections"),
                    &json!({ "reason": "typo" }),
                )
                .await,
                403,
                &["forbidden"],
            )
            .await;
            submitted.push((p, e, student));
            let report = app
                .get_ok(&w.office, "/api/v1/reports/site-evaluations")
                .await;
            let dept = &report["by_department"][0];
            let sup = &report["by_supervisor"][0];
            if n < 2 {
                // One or two responses: withheld, not even counted.
                for g in [dept, sup] {
                    assert_eq!(g["withheld"], true, "{report}");
                    assert!(
                        g["responses"].is_null() && g["items"].as_array().unwrap().is_empty(),
                        "{report}"
                    );
                }
            } else {
                assert_eq!(dept["withheld"], false);
                assert_eq!(dept["responses"], 3);
                assert_eq!(dept["name"], w.f.department["name"]);
                assert_eq!(sup["id"], w.preceptor["id"]);
                let welcome = dept["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["key"] == "site_welcome")
                    .unwrap();
                assert_eq!(welcome["mean"], 3.0);
                let recommend = dept["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|i| i["key"] == "recommend")
                    .unwrap();
                assert_eq!(recommend["yes"], 3);
                // Free text never leaves a response.
                assert!(!report.to_string().contains("Dr. X was kind"), "{report}");
            }
        }
        // Nobody but the author reads one: not the office, the admin, the school, the preceptor,
        // another student; the placement's list leaves it out for them.
        let (p, e, author) = &submitted[0];
        let admin = app.admin().await;
        let other_student = student_of(&app, &w, 1).await;
        for who in [&w.office, &admin, &w.school, &preceptor, &other_student] {
            expect_problem(app.get(who, &eval_path(e, "")).await, 404, &["not_found"]).await;
            expect_problem(
                app.get(who, &eval_path(e, "/pdf")).await,
                404,
                &["not_found"],
            )
            .await;
        }
        for who in [&w.office, &admin, &w.school, &preceptor] {
            let slots = items(&app.get_ok(who, &slots_path(p)).await);
            assert!(slots.iter().all(|s| s["point"] != "site"), "{slots:?}");
        }
        let mine = app.get_ok(author, &eval_path(e, "")).await;
        assert_eq!(mine["answers"]["comments"], "Dr. X was kind to me");
        // The audit trail keeps that it was written, never what.
        let audit = app
            .get_ok(&admin, &format!("/api/v1/audit?record_id={}", id(e)))
            .await;
        assert!(!audit.to_string().contains("Dr. X was kind"), "{audit}");
        // The student's data export holds it for the student, never in the office's copy.
        let own = exported_evaluations(&app, author, &w.students[0]).await;
        assert_eq!(own[0]["id"], e["id"]);
        assert_eq!(own[0]["answers"]["comments"], "Dr. X was kind to me");
        let office_copy = exported_evaluations(&app, &w.office, &w.students[0]).await;
        assert_eq!(office_copy, json!([]));
        // The preceptor and the school never read the report.
        expect_problem(
            app.get(&preceptor, "/api/v1/reports/site-evaluations")
                .await,
            403,
            &["forbidden"],
        )
        .await;
        expect_problem(
            app.get(&w.school, "/api/v1/reports/site-evaluations").await,
            403,
            &["forbidden"],
        )
        .await;
    }
);

db_test!(
    an_internship_is_evaluated_by_its_faculty_member_with_the_site_mentors_comment,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let faculty = app
            .user("faculty", json!({ "school_id": w.f.school["id"] }))
            .await;
        let mentor_staff = crate::requests::preceptor(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            2,
            json!({}),
        )
        .await;
        let mentor = app
            .user("preceptor", json!({ "staff_id": mentor_staff["id"] }))
            .await;
        let mut body = clinical(&w, &[&w.students[0]]);
        body["kind"] = json!("internship");
        body["course"] = json!({ "code": "HCA 490", "title": "Practicum", "credits": 3 });
        body["faculty_supervisor"] =
            json!({ "name": faculty.user["name"], "email": faculty.user["email"] });
        let r = submit(&app, &w, &body).await;
        let decision = json!({ "decision": "approve", "placements": [{ "student_id": w.students[0]["id"],
            "department_id": w.f.department["id"], "site_mentor_id": mentor_staff["id"] }] });
        let p =
            expect_status(decide(&app, &w.office, &r, &decision).await, 200).await["placements"][0]
                .clone();
        expect_status(
            app.post(
                &w.school,
                &format!("/api/v1/placements/{}/transition", id(&p)),
                &json!({ "to": "confirmed" }),
            )
            .await,
            200,
        )
        .await;
        let slots = items(&app.get_ok(&faculty, &slots_path(&p)).await);
        assert_eq!(slots.len(), 2);
        assert!(slots.iter().all(|s| s["role"] == "author"));
        let e = app
            .create(
                &faculty,
                &slots_path(&p),
                &json!({ "point": "midterm", "answers": { "quality_of_work": 4 } }),
            )
            .await;
        assert!(
            e["template"]["name"]
                .as_str()
                .unwrap()
                .starts_with("Internship")
        );
        // The site mentor adds their input, never the answers; the faculty member not the comment.
        expect_problem(
            app.patch(
                &mentor,
                &eval_path(&e, ""),
                &json!({ "answers": { "initiative": 1 } }),
            )
            .await,
            422,
            &["read_only"],
        )
        .await;
        expect_problem(
            app.patch(
                &faculty,
                &eval_path(&e, ""),
                &json!({ "mentor_comment": "mine" }),
            )
            .await,
            422,
            &["read_only"],
        )
        .await;
        let commented = expect_status(
            app.patch(
                &mentor,
                &eval_path(&e, ""),
                &json!({ "mentor_comment": "Reliable and curious" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(commented["mentor_comment"], "Reliable and curious");
        expect_problem(
            app.post(&mentor, &eval_path(&e, "/sign"), &json!({})).await,
            403,
            &["forbidden"],
        )
        .await;
        // The clinical preceptor role of the world is a stranger here.
        let preceptor = preceptor_of(&app, &w).await;
        expect_problem(
            app.get(&preceptor, &eval_path(&e, "")).await,
            404,
            &["not_found"],
        )
        .await;
    }
);
