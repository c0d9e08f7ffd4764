//! Pages that speak the office's words (issue 14 points 4 and 5), over HTTP on both
//! databases: error pages inside the layout with the navigation, the request page's ranked
//! preferences by site and department, the decision form's offers, the queue newest first.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::json;

db_test!(
    error_pages_keep_the_layout_and_the_navigation,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let office = page_login(&app, &w.office).await;
        let (status, html) = page(
            &app,
            &office,
            "/requests/00000000-0000-7000-8000-000000000000",
        )
        .await;
        assert_eq!(status, 404, "{html}");
        assert!(html.contains(r#"<nav aria-label="Main""#), "{html}");
        assert!(html.contains(r#"href="/requests""#), "{html}");
        // A role the page is not for: 403, with its own navigation.
        let student = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let cookie = page_login(&app, &student).await;
        let (status, html) = page(&app, &cookie, "/requests").await;
        assert_eq!(status, 403, "{html}");
        assert!(html.contains(r#"<nav aria-label="Main""#), "{html}");
        assert!(html.contains("My placements"), "{html}");
        // Nobody signed in: the bare page, no navigation.
        let (status, html) = page(&app, "", "/no-such-page").await;
        assert_eq!(status, 404);
        assert!(!html.contains(r#"<nav aria-label="Main""#), "{html}");
    }
);

db_test!(
    the_request_page_and_the_decision_form_speak_in_names,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let later = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let school = page_login(&app, &w.school).await;
        let (status, html) = page(&app, &school, &format!("/requests/{}", id(&r))).await;
        assert_eq!(status, 200);
        let dept = w.f.department["name"].as_str().unwrap_or("");
        let site = w.f.site["name"].as_str().unwrap_or("");
        assert!(
            html.contains(&format!("1. {site} — {dept}")),
            "the school sees its preference: {html}"
        );
        assert!(html.contains("Clinical"), "{html}");
        let office = page_login(&app, &w.office).await;
        let (status, html) = page(&app, &office, &format!("/requests/{}/decide", id(&r))).await;
        assert_eq!(status, 200);
        assert!(html.contains("Would pass every check"), "{html}");
        assert!(
            html.contains("The school&#39;s preferences: 1.")
                || html.contains("The school's preferences: 1."),
            "{html}"
        );
        assert!(html.contains("of 4 seats free (preference 1)"), "{html}");
        assert!(html.contains("of 4 free"), "{html}");
        let preceptor_label = html
            .split(r#"<label for="f-d0_preceptor">"#)
            .nth(1)
            .and_then(|s| s.split("</label>").next())
            .unwrap_or("");
        assert!(!preceptor_label.contains("optional"), "{preceptor_label}");
        // The queue: newest first, the other way by the column's link.
        let (_, html) = page(&app, &office, "/requests").await;
        let first = html.find(&id(&later)).unwrap_or(usize::MAX);
        let second = html.find(&id(&r)).unwrap_or(0);
        assert!(first < second, "newest first");
        assert!(html.contains(r#"aria-sort="descending""#), "{html}");
        let (_, html) = page(&app, &office, "/requests?sort=oldest").await;
        assert!(html.find(&id(&r)).unwrap_or(usize::MAX) < html.find(&id(&later)).unwrap_or(0));
    }
);

fn move_to(app: &TestApp, day: &str) {
    let at = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .expect("a date")
        .and_hms_opt(9, 0, 0)
        .expect("a time")
        .and_utc();
    let by = at - app.clock.now();
    assert!(
        by >= chrono::Duration::zero(),
        "the clock only moves forward"
    );
    app.clock.advance(by);
}

db_test!(
    placements_filter_by_start_window_and_clearance_and_start_only_when_cleared,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let p = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        move_to(&app, "2027-01-20");
        let office = page_login(&app, &w.office).await;
        let listed = |html: &str| html.contains(&format!("/placements/{}", id(&p)));
        let (status, html) = page(
            &app,
            &office,
            "/placements?starting=14&clearance=not_cleared",
        )
        .await;
        assert_eq!(status, 200);
        assert!(listed(&html), "starts in 12 days, not cleared: {html}");
        let (_, html) = page(&app, &office, "/placements?starting=7").await;
        assert!(!listed(&html), "not within 7 days");
        let (_, html) = page(&app, &office, "/placements?clearance=cleared").await;
        assert!(!listed(&html), "not cleared");
        let (status, _) = page(&app, &office, "/placements?starting=5").await;
        assert_eq!(status, 422, "a window is 7, 14, 30 or 60 days");
        // Its first day has come, but the student is not cleared: no Start button.
        move_to(&app, "2027-02-02");
        let office = page_login(&app, &w.office).await;
        let (_, html) = page(&app, &office, &format!("/placements/{}", id(&p))).await;
        assert!(!html.contains("Start the placement"), "{html}");
        assert!(html.contains("once the student is cleared"), "{html}");
    }
);

db_test!(a_records_history_reads_in_words, |app| async move {
    let w = world(&app, 4, 4).await;
    let path = format!("/api/v1/agreements/{}", id(&w.agreement));
    expect_status(
        app.patch(&w.office, &path, &json!({ "expires_on": "2029-06-30" }))
            .await,
        200,
    )
    .await;
    let admin = app.admin().await;
    let cookie = page_login(&app, &admin).await;
    let (status, html) = page(
        &app,
        &cookie,
        &format!("/history/agreement/{}", id(&w.agreement)),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Expires: Sun 31 Dec 2028 → Sat 30 Jun 2029"),
        "{html}"
    );
    assert!(!html.contains("2028-12-31"), "no ISO dates: {html}");
});

/// The text a person reads: tags and attribute values left out.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let body = html.split("<main").nth(1).unwrap_or(html);
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

db_test!(
    pages_show_names_not_the_codes_the_records_keep,
    |app| async move {
        let w = world(&app, 2, 2).await;
        let office = page_login(&app, &w.office).await;
        expect_status(
            app.post_anon(
                "/api/v1/inquiries",
                &json!({ "name": "Sam Seeker", "email": "sam@example.org", "is_student": false,
                         "interest": "clinical" }),
            )
            .await,
            201,
        )
        .await;
        // A document sent, so the documents page's "Documents sent" has a row to name.
        let student_id = id(&w.students[0]);
        let fields = [
            ("requirement_code", "hepatitis_b"),
            ("completed_on", "2026-12-01"),
        ];
        expect_status(upload(&app, &w.office, &student_id, &fields).await, 201).await;
        let attested = json!({ "requirement_code": "background_check", "student_ids": [student_id],
                               "completed_on": "2026-12-01" });
        expect_status(
            app.post(&w.school, "/api/v1/attestations", &attested).await,
            201,
        )
        .await;
        let inquiries = app.get_ok(&w.office, "/api/v1/inquiries").await;
        let inquiry = format!("/inquiries/{}", id(&items(&inquiries)[0]));
        let student = id(&w.students[0]);
        let pages = [
            "/requirements".to_string(),
            format!("/students/{student}/documents"),
            "/inquiries".to_string(),
            inquiry,
            format!("/history/student/{student}"),
        ];
        let codes = [
            "student_upload",
            "school_attestation",
            "office_action",
            "signed_in_system",
            "placement_request",
            "hepatitis_b",
            "occupational_therapy",
        ];
        for path in &pages {
            let (status, html) = page(&app, &office, path).await;
            assert_eq!(status, 200, "{path}: {html}");
            let text = visible_text(&html);
            for code in codes {
                // The requirements list has a Code column on purpose: the code is what
                // imports and the API name a requirement by.
                if path == "/requirements" && code == "hepatitis_b" {
                    continue;
                }
                assert!(!text.contains(code), "{path} shows {code}: {text}");
            }
        }
        let (_, html) = page(&app, &office, &format!("/students/{student}/documents")).await;
        let sent = visible_text(html.split_once("Documents sent").map_or("", |(_, t)| t));
        assert!(sent.contains("Hepatitis B (3 doses"), "{sent}");
        assert!(sent.contains("Attested by the school"), "{sent}");
        assert!(sent.contains("Criminal background check"), "{sent}");
        assert!(!sent.contains("attestation"), "{sent}");
        let (_, csv) = page(&app, &office, "/documents?status=submitted&format=csv").await;
        assert!(csv.contains("hepatitis_b"), "the CSV keeps the code: {csv}");
        let (_, html) = page(&app, &office, "/documents").await;
        let text = visible_text(&html);
        assert!(
            text.contains("Hepatitis B (3 doses"),
            "the review queue: {text}"
        );
        assert!(!text.contains("hepatitis_b"), "the review queue: {text}");
        // A placement's kind and an evaluation form's, in words.
        let placement = placed(&app, &w, &[&w.students[1]]).await[0].clone();
        let (status, html) = page(&app, &office, &format!("/placements/{}", id(&placement))).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("<dt>Kind</dt><dd>Clinical</dd>"), "{html}");
        let (status, html) = page(&app, &office, "/evaluation-forms").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("<td>Clinical</td>"), "{html}");
        assert!(!html.contains("<td>clinical</td>"), "{html}");
        assert!(!html.contains("<td>internship</td>"), "{html}");
        let (_, html) = page(&app, &office, "/requirements").await;
        assert!(visible_text(&html).contains("The student uploads a document"));
        let (_, html) = page(&app, &office, "/inquiries").await;
        assert!(visible_text(&html).contains("Job shadowing (observership)"));
    }
);

db_test!(
    the_provisioning_list_names_what_each_student_still_lacks,
    |app| async move {
        let w = world(&app, 2, 2).await;
        placed(&app, &w, &[&w.students[0]]).await;
        // The placement starts on 2027-02-01: three weeks on, it is within the 14 days.
        app.clock.advance(chrono::Duration::days(21));
        let office = page_login(&app, &w.office).await;
        let (status, html) = page(&app, &office, "/provisioning").await;
        assert_eq!(status, 200, "{html}");
        let text = visible_text(&html);
        assert!(text.contains("not cleared"), "{text}");
        assert!(text.contains("Hepatitis B (3 doses"), "{text}");
        assert!(text.contains("Tuberculosis screening"), "{text}");
        for code in ["hepatitis_b", "tuberculosis", "background_check"] {
            assert!(!text.contains(code), "shows {code}: {text}");
        }
    }
);

db_test!(
    the_placements_page_and_the_api_filter_alike,
    |app| async move {
        // One parser for both (`input::placements::filter`): a student's placements, and a
        // malformed day or id refused with 422 on the page as in the API.
        let w = world(&app, 4, 4).await;
        let first = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        let second = placed(&app, &w, &[&w.students[1]]).await[0].clone();
        let office = page_login(&app, &w.office).await;
        let mine = format!("/placements?student_id={}", id(&w.students[0]));
        let (status, html) = page(&app, &office, &mine).await;
        assert_eq!(status, 200);
        assert!(
            html.contains(&format!("/placements/{}", id(&first))),
            "{html}"
        );
        assert!(
            !html.contains(&format!("/placements/{}", id(&second))),
            "{html}"
        );
        let api = app.get_ok(&w.office, &format!("/api/v1{mine}")).await;
        assert_eq!(ids(&api), vec![id(&first)]);
        for bad in [
            "/placements?from=2027-02-30",
            "/placements?student_id=nobody",
        ] {
            let (status, _) = page(&app, &office, bad).await;
            assert_eq!(status, 422, "{bad} on the page");
            let res = app.get(&w.office, &format!("/api/v1{bad}")).await;
            assert_eq!(res.status().as_u16(), 422, "{bad} in the API");
        }
    }
);
