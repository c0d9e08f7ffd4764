//! Letters (issue 17 part 3): the placement confirmation to the school, the student's welcome
//! letter and the agreement renewal notice, as PDFs read back with `lopdf` (each fact in its
//! words), made from the office's texts with named fields (an edit changes the letter, is
//! audited; a bad text is refused with every unknown field named), and who reads which.
use crate::helpers::*;
use crate::rules_world::{World, approve, clinical, page, page_login, sid, submit, world};
use serde_json::{Value, json};

/// The text of a PDF, read back, its whitespace folded to single spaces (a fact may wrap).
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("its text");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// PUT of a JSON body.
async fn put(app: &TestApp, who: &Caller, path: &str, body: &Value) -> reqwest::Response {
    app.raw(
        who,
        reqwest::Method::PUT,
        path,
        Some("application/json"),
        serde_json::to_vec(body).expect("JSON"),
    )
    .await
}

/// A letter as a PDF, read back; fails unless it is one.
async fn letter(app: &TestApp, who: &Caller, path: &str) -> String {
    let res = app.get(who, path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let bytes = res.bytes().await.expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    pdf_text(&bytes)
}

/// The world's site with its address and arrival notes, and a placement of the first student
/// with a weekly pattern (Mondays and Wednesdays, 07:00–15:30), so its first shift is Monday
/// 1 February 2027.
struct Letters {
    w: World,
    placement: Value,
    student: Caller,
}

impl Letters {
    fn path(&self, kind: &str) -> String {
        format!("/api/v1/placements/{}/letters/{kind}", sid(&self.placement))
    }

    fn renewal(&self) -> String {
        format!(
            "/api/v1/agreements/{}/letters/renewal",
            sid(&self.w.agreement)
        )
    }
}

async fn setup(app: &TestApp) -> Letters {
    let w = world(app, 4, 4).await;
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/sites/{}", sid(&w.f.site)),
            &json!({ "address": "1 Hospital Drive, Salem MA 01970",
                     "arrival_notes": "Park in the visitor garage, level 2. Pick up your badge at the Gray lobby desk from 6:30." }),
        )
        .await,
        200,
    )
    .await;
    let mut body = clinical(&w, &[&w.students[0]]);
    body["shifts"] = json!([{ "weekday": "mon", "starts_at": "07:00", "ends_at": "15:30" },
                            { "weekday": "wed", "starts_at": "08:00", "ends_at": "16:00" }]);
    let r = submit(app, &w, &body).await;
    let placement = approve(
        app,
        &w,
        &r,
        &crate::rules_world::approval(&w, &[&w.students[0]]),
    )
    .await
    .remove(0);
    let student = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    Letters {
        w,
        placement,
        student,
    }
}

/// The names of the checklist items not verified yet, as the office reads them.
async fn open_items(app: &TestApp, l: &Letters) -> Vec<String> {
    let list = app
        .get_ok(
            &l.w.office,
            &format!(
                "/api/v1/students/{}/requirements?placement_id={}",
                sid(&l.w.students[0]),
                sid(&l.placement)
            ),
        )
        .await;
    let open: Vec<String> = items(&list)
        .iter()
        .filter(|i| i["state"] != "verified")
        .map(|i| i["name"].as_str().expect("a name").to_string())
        .collect();
    assert!(!open.is_empty(), "a new student has items to do: {list}");
    open
}

crate::db_test!(
    each_letter_as_a_pdf_says_who_where_when_and_what_is_open,
    |app| async move {
        let l = setup(&app).await;
        let student = full_name(&l.w.students[0]);
        let open = open_items(&app, &l).await;

        // To the school: who, where, when, the supervisor, what is still to do.
        let text = letter(&app, &l.w.office, &l.path("placement_confirmation")).await;
        for fact in [
            student.as_str(),
            "North College",
            "Test school_coordinator",
            "AS Radiography",
            "General Hospital",
            "1 Hospital Drive, Salem MA 01970",
            "Radiology",
            "Monday 1 February 2027, 07:00 to 15:30",
            "Wednesday 31 March 2027",
            "Pat Preceptor",
            "clinical placement",
        ] {
            assert!(text.contains(fact), "{fact:?} in the confirmation: {text}");
        }
        for item in &open {
            assert!(text.contains(item.as_str()), "{item:?} open: {text}");
        }
        assert!(!text.contains('{'), "every field filled: {text}");

        // To the student: the address, the department, the first shift, whom to ask for,
        // parking and badge pick-up, the open checklist.
        let text = letter(&app, &l.student, &l.path("welcome")).await;
        for fact in [
            "Welcome to General Hospital",
            "Dear Ana",
            "1 Hospital Drive, Salem MA 01970",
            "Radiology",
            "Your first shift: Monday 1 February 2027, 07:00 to 15:30",
            "Ask for: Pat Preceptor, at the Radiology front desk",
            "Park in the visitor garage, level 2",
            "badge at the Gray lobby desk",
        ] {
            assert!(
                text.contains(fact),
                "{fact:?} in the welcome letter: {text}"
            );
        }
        for item in &open {
            assert!(text.contains(item.as_str()), "{item:?} open: {text}");
        }

        // The renewal notice: the dates in words and the placements running past expiry.
        let text = letter(&app, &l.w.office, &l.renewal()).await;
        for fact in [
            "expires on Sunday 31 December 2028",
            "North College",
            "every discipline",
            "None at present",
        ] {
            assert!(text.contains(fact), "{fact:?} in the notice: {text}");
        }
        expect_status(
            app.patch(
                &l.w.office,
                &format!("/api/v1/agreements/{}", sid(&l.w.agreement)),
                &json!({ "expires_on": "2027-03-15" }),
            )
            .await,
            200,
        )
        .await;
        let text = letter(&app, &l.w.school, &l.renewal()).await;
        for fact in [
            "expires on Monday 15 March 2027 (in 70 days)",
            &format!("{student}, Radiology, Monday 1 February 2027 to Wednesday 31 March 2027"),
        ] {
            assert!(text.contains(fact), "{fact:?} in the notice: {text}");
        }

        // The same letter as JSON: subject and paragraphs, filled in.
        let json = app
            .get_ok(&l.w.office, &format!("{}?format=json", l.path("welcome")))
            .await;
        assert_eq!(json["kind"], "welcome");
        assert_eq!(
            json["subject"], "Welcome to General Hospital, Ana",
            "{json}"
        );
        assert_eq!(json["to"][0], student.as_str());
        expect_problem(
            app.get(&l.w.office, &format!("{}?format=docx", l.path("welcome")))
                .await,
            422,
            &["invalid_choice"],
        )
        .await;
    }
);

crate::db_test!(
    the_office_edits_a_text_and_the_letter_follows,
    |app| async move {
        let l = setup(&app).await;
        let admin = app.admin().await;
        let shipped = app
            .get_ok(&l.w.office, "/api/v1/letter-templates/welcome")
            .await;
        assert_eq!(shipped["is_default"], true, "{shipped}");
        let fields: Vec<&str> = shipped["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter_map(|f| f["name"].as_str())
            .collect();
        for f in [
            "student_name",
            "site_address",
            "first_shift",
            "open_checklist",
        ] {
            assert!(fields.contains(&f), "{f}: {shipped}");
        }
        assert!(!fields.contains(&"agreement_expires_on"));
        let all = app.get_ok(&l.w.office, "/api/v1/letter-templates").await;
        assert_eq!(items(&all).len(), 3, "{all}");
        assert_eq!(all["next_cursor"], Value::Null);

        let saved = expect_status(
            put(&app, &l.w.office, "/api/v1/letter-templates/welcome", &json!({
                    "subject": "Your first day at {site_name}, {student_first_name}",
                    "body": "Hello {student_name},\n\nBring your lead apron on {first_shift}.\nAsk for {supervisor_name}.\n\n{{not a field}}"
                }))
            .await,
            200,
        )
        .await;
        assert_eq!(saved["is_default"], false, "{saved}");
        assert_eq!(saved["updated_by"], "Test coordinator");
        let text = letter(&app, &l.student, &l.path("welcome")).await;
        for fact in [
            "Your first day at General Hospital, Ana",
            "Bring your lead apron on Monday 1 February 2027, 07:00 to 15:30.",
            "Ask for Pat Preceptor.",
            "{not a field}",
        ] {
            assert!(text.contains(fact), "{fact:?}: {text}");
        }
        assert!(
            !text.contains("Ask for: Pat Preceptor, at"),
            "the shipped text is gone: {text}"
        );
        // The confirmation keeps its own text.
        let text = letter(&app, &l.w.school, &l.path("placement_confirmation")).await;
        assert!(text.contains("Placement confirmed"), "{text}");
        // Audited like the settings: before and after.
        let trail = app
            .get_ok(
                &admin,
                "/api/v1/audit?record_type=letter_template&record_id=00000000-0000-4000-8000-000000000172",
            )
            .await;
        let events = items(&trail);
        assert_eq!(events.len(), 1, "{trail}");
        assert_eq!(events[0]["action"], "update");
        let shown = events[0].to_string();
        assert!(
            shown.contains("Welcome to {site_name}") && shown.contains("lead apron"),
            "{shown}"
        );
    }
);

crate::db_test!(
    a_bad_text_is_refused_with_every_unknown_field_named,
    |app| async move {
        let l = setup(&app).await;
        let res = put(
            &app,
            &l.w.office,
            "/api/v1/letter-templates/placement_confirmation",
            &json!({
                "subject": "About {studnt_name}",
                "body": "{agreement_expires_on} and {colour}, {colour} again, and { an open brace",
                "signature": "x"
            }),
        )
        .await;
        let problem = expect_problem(
            res,
            422,
            &[
                "unknown_field",
                "unknown_letter_field",
                "unknown_letter_field",
                "unknown_letter_field",
                "invalid_template",
            ],
        )
        .await;
        let shown = problem.to_string();
        for name in [
            "{studnt_name}",
            "{agreement_expires_on}",
            "{colour}",
            "signature",
        ] {
            assert!(shown.contains(name), "{name} named: {shown}");
        }
        // Nothing was kept.
        let t = app
            .get_ok(
                &l.w.office,
                "/api/v1/letter-templates/placement_confirmation",
            )
            .await;
        assert_eq!(t["is_default"], true, "{t}");
        // Both parts required; an unknown kind names nothing; only the office writes.
        expect_problem(
            put(
                &app,
                &l.w.office,
                "/api/v1/letter-templates/welcome",
                &json!({ "body": "" }),
            )
            .await,
            422,
            &["required", "required"],
        )
        .await;
        expect_status(
            app.get(&l.w.office, "/api/v1/letter-templates/reference")
                .await,
            404,
        )
        .await;
        for who in [&l.w.school, &l.student] {
            expect_status(app.get(who, "/api/v1/letter-templates/welcome").await, 403).await;
            expect_status(
                put(
                    &app,
                    who,
                    "/api/v1/letter-templates/welcome",
                    &json!({ "subject": "x", "body": "y" }),
                )
                .await,
                403,
            )
            .await;
        }
    }
);

crate::db_test!(
    each_letter_is_read_by_those_it_is_written_to,
    |app| async move {
        let l = setup(&app).await;
        let other_school = app
            .user(
                "school_coordinator",
                json!({ "school_id": l.w.f.other_school["id"] }),
            )
            .await;
        let other_student = app
            .user("student", json!({ "student_id": l.w.students[1]["id"] }))
            .await;
        let preceptor = app
            .user("preceptor", json!({ "staff_id": l.w.preceptor["id"] }))
            .await;
        let confirmation = l.path("placement_confirmation");
        let welcome = l.path("welcome");
        // The office reads every letter; the school its student's confirmation; the student
        // their own welcome letter.
        for (who, path) in [
            (&l.w.office, &confirmation),
            (&l.w.office, &welcome),
            (&l.w.school, &confirmation),
            (&l.student, &welcome),
        ] {
            letter(&app, who, path).await;
        }
        // Anyone else: 404, as if there were none.
        for (who, path) in [
            (&other_school, &confirmation),
            (&l.w.school, &welcome),
            (&l.student, &confirmation),
            (&other_student, &welcome),
            (&other_student, &confirmation),
            (&preceptor, &welcome),
            (&preceptor, &confirmation),
        ] {
            expect_status(app.get(who, path).await, 404).await;
        }
        expect_status(
            app.get(
                &l.w.office,
                &format!(
                    "/api/v1/placements/{}/letters/agreement_renewal",
                    sid(&l.placement)
                ),
            )
            .await,
            404,
        )
        .await;
        expect_status(
            app.get(&l.w.office, "/api/v1/placements/not-an-id/letters/welcome")
                .await,
            404,
        )
        .await;
        // The renewal notice: the office and the agreement's school; another school 404.
        letter(&app, &l.w.school, &l.renewal()).await;
        expect_status(app.get(&other_school, &l.renewal()).await, 404).await;
        // A cancelled placement has no letters.
        expect_status(
            crate::rules_world::transition(
                &app,
                &l.w.office,
                &l.placement,
                &json!({ "to": "cancelled", "reason": "The student withdrew" }),
            )
            .await,
            200,
        )
        .await;
        expect_problem(
            app.get(&l.w.office, &welcome).await,
            409,
            &["placement_closed"],
        )
        .await;
    }
);

crate::db_test!(
    the_pages_link_print_and_edit_the_letters,
    |app| async move {
        let l = setup(&app).await;
        let office = page_login(&app, &l.w.office).await;
        let school = page_login(&app, &l.w.school).await;
        let student = page_login(&app, &l.student).await;
        let placement = format!("/placements/{}", sid(&l.placement));
        let confirmation = format!("{placement}/letters/placement_confirmation");
        let welcome = format!("{placement}/letters/welcome");
        // Each sees the links to the letters written to them, and only those.
        for (cookie, shows, hides) in [
            (&office, vec![&confirmation, &welcome], vec![]),
            (&school, vec![&confirmation], vec![&welcome]),
            (&student, vec![&welcome], vec![&confirmation]),
        ] {
            let (status, html) = page(&app, cookie, &placement).await;
            assert_eq!(status, 200);
            for href in shows {
                assert!(html.contains(href.as_str()), "{href} linked: {html}");
            }
            for href in hides {
                assert!(!html.contains(href.as_str()), "{href} not linked");
            }
        }
        // The printable page and its PDF.
        let (status, html) = page(&app, &office, &confirmation).await;
        assert_eq!(status, 200);
        for fact in [
            "Placement confirmed: Ana Lopez at General Hospital",
            "Monday 1 February 2027, 07:00 to 15:30",
            "Download PDF",
            "?format=pdf",
        ] {
            assert!(html.contains(fact), "{fact:?}: {html}");
        }
        let res = app
            .client
            .get(app.url(&format!("{confirmation}?format=pdf")))
            .header("cookie", &office)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200);
        let disposition = res
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"placement-confirmation-ana-lopez"),
            "{disposition}"
        );
        let text = pdf_text(&res.bytes().await.expect("a PDF"));
        assert!(text.contains("Pat Preceptor"), "{text}");
        let (status, _) = page(&app, &school, &welcome).await;
        assert_eq!(status, 404);
        // The agreement page links its renewal notice.
        let agreement = format!("/agreements/{}", sid(&l.w.agreement));
        let (_, html) = page(&app, &school, &agreement).await;
        assert!(
            html.contains(&format!("{agreement}/letters/renewal")),
            "{html}"
        );
        // The office's text beside its named fields and a preview.
        let (status, html) = page(&app, &office, "/settings/letters/welcome").await;
        assert_eq!(status, 200);
        for fact in [
            "{first_shift}",
            "{open_checklist}",
            "Preview with example values",
            "Welcome to General Hospital, Ana",
        ] {
            assert!(html.contains(fact), "{fact:?}: {html}");
        }
        let (status, _) = page(&app, &school, "/settings/letters/welcome").await;
        assert_eq!(status, 403);
    }
);
