//! The office edits onboarding rules on pages (the same service as the API), and a school
//! coordinator attests for several students in one step.
use crate::db_test;
use crate::helpers::*;
use serde_json::Value;

/// A page as `who` sees it, and the CSRF token it carries.
pub async fn page(app: &TestApp, who: &Caller, path: &str) -> (u16, String, String) {
    let res = app
        .client
        .get(app.url(path))
        .header("cookie", format!("practicum_session={}", who.token))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let html = res.text().await.unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string();
    (status, html, token)
}

/// Posts a form as `who` from the same origin; returns the status and body.
pub async fn post_form(
    app: &TestApp,
    who: &Caller,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let res = app
        .client
        .post(app.url(path))
        .header("cookie", format!("practicum_session={}", who.token))
        .header("origin", app.url(""))
        .form(fields)
        .send()
        .await
        .unwrap();
    (
        res.status().as_u16(),
        res.text().await.expect("the page arrives"),
    )
}

/// Posts a multipart form from a page (same origin, session cookie, the page's CSRF token).
pub async fn page_upload(
    app: &TestApp,
    who: &Caller,
    form_path: &str,
    action: &str,
    fields: &[(&str, &str)],
    file: Vec<u8>,
    file_name: &str,
) -> (u16, String) {
    let (status, html, token) = page(app, who, form_path).await;
    assert_eq!(status, 200, "{form_path}: {html}");
    let mut form = reqwest::multipart::Form::new().text("csrf_token", token);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file).file_name(file_name.to_string()),
    );
    let res = app
        .client
        .post(app.url(action))
        .header("cookie", format!("practicum_session={}", who.token))
        .header("origin", app.url(""))
        .multipart(form)
        .send()
        .await
        .expect("request");
    (res.status().as_u16(), res.text().await.expect("a page"))
}

fn find<'a>(list: &'a Value, code: &str) -> Option<&'a Value> {
    list["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["code"] == code))
}

db_test!(
    the_office_creates_and_edits_a_rule_on_pages,
    |app| async move {
        let office = app.coordinator().await;
        let (status, html, token) = page(&app, &office, "/requirements").await;
        assert_eq!(status, 200);
        assert!(html.contains("New requirement"));
        let (status, form, _) = page(&app, &office, "/requirements/new").await;
        assert_eq!(status, 200);
        for field in ["name=\"name\"", "name=\"code\"", "name=\"category\""] {
            assert!(form.contains(field), "the new-rule form has {field}");
        }
        // A bad number is refused with the form shown again, and nothing is stored.
        let (status, body) = post_form(
            &app,
            &office,
            "/requirements",
            &[
                ("csrf_token", &token),
                ("name", "Hepatitis B titer"),
                ("code", "hep_b_titer"),
                ("category", "immunization"),
                ("satisfied_by", "student_upload"),
                ("validity_kind", "years"),
                ("validity_value", "soon"),
                ("active", "true"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("There is a problem"));
        let list = app.get_ok(&office, "/api/v1/requirements").await;
        assert!(find(&list, "hep_b_titer").is_none());

        let (status, _) = post_form(
            &app,
            &office,
            "/requirements",
            &[
                ("csrf_token", &token),
                ("name", "Hepatitis B titer"),
                ("code", "hep_b_titer"),
                ("category", "immunization"),
                ("satisfied_by", "student_upload"),
                ("validity_kind", "years"),
                ("validity_value", "5"),
                ("kinds", "clinical"),
                ("active", "true"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let list = app.get_ok(&office, "/api/v1/requirements").await;
        let r = find(&list, "hep_b_titer").expect("created").clone();
        assert_eq!(r["validity"]["kind"], "years");
        assert_eq!(r["validity"]["value"], 5);
        assert_eq!(r["applies_to"]["kinds"][0], "clinical");

        // Edit: the TB-style rule, and retire it.
        let path = format!("/requirements/{}", r["id"].as_str().unwrap());
        let (status, html, _) = page(&app, &office, &path).await;
        assert_eq!(status, 200);
        assert!(html.contains("Hepatitis B titer"));
        let (status, _) = post_form(
            &app,
            &office,
            &path,
            &[
                ("csrf_token", &token),
                ("name", "Hepatitis B titer"),
                ("category", "immunization"),
                ("satisfied_by", "student_upload"),
                ("validity_kind", "within_days_before_start"),
                ("validity_value", "90"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let list = app.get_ok(&office, "/api/v1/requirements").await;
        let r = find(&list, "hep_b_titer").unwrap();
        assert_eq!(r["validity"]["kind"], "within_days_before_start");
        assert_eq!(r["validity"]["value"], 90);
        assert_eq!(r["active"], false);
        assert!(r["applies_to"]["kinds"].as_array().unwrap().is_empty());

        // A school coordinator may not see or change the rules.
        let f = fixture(&app, &office).await;
        let school = app
            .user(
                "school_coordinator",
                serde_json::json!({ "school_id": f.school["id"] }),
            )
            .await;
        let (status, _, _) = page(&app, &school, "/requirements").await;
        assert_eq!(status, 403);
    }
);

db_test!(
    a_school_attests_for_several_students_on_one_page,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let second = app
        .create(
            &office,
            "/api/v1/students",
            &serde_json::json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": "Bo",
                                 "last_name": "Reyes", "email": format!("bo-{}@north.edu", uuid::Uuid::now_v7().simple()) }),
        )
        .await;
        let school = app
            .user(
                "school_coordinator",
                serde_json::json!({ "school_id": f.school["id"] }),
            )
            .await;
        let (status, html, token) = page(&app, &school, "/attestations").await;
        assert_eq!(status, 200);
        assert!(html.contains("Criminal background check"));
        assert!(html.contains("Ana Lopez") && html.contains("Bo Reyes"));
        assert!(html.contains("No attestations yet."));
        let (a, b) = (
            f.student["id"].as_str().unwrap(),
            second["id"].as_str().unwrap(),
        );
        // A date in the future is refused; nothing is recorded.
        let (status, body) = post_form(
            &app,
            &school,
            "/attestations",
            &[
                ("csrf_token", &token),
                ("requirement_code", "background_check"),
                ("student_ids", a),
                ("student_ids", b),
                ("completed_on", "2099-01-01"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        let (status, _) = post_form(
            &app,
            &school,
            "/attestations",
            &[
                ("csrf_token", &token),
                ("requirement_code", "background_check"),
                ("student_ids", a),
                ("student_ids", b),
                ("completed_on", "2026-12-01"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        for sid in [a, b] {
            let docs = app
                .get_ok(&office, &format!("/api/v1/students/{sid}/documents"))
                .await;
            let list = items(&docs);
            assert!(
                list.iter()
                    .any(|d| d["requirement_code"] == "background_check"
                        && d["status"] == "verified"
                        && d["source"] == "attestation"),
                "{docs}"
            );
        }
        let (_, html, _) = page(&app, &school, "/attestations").await;
        assert_eq!(
            html.matches("<td>Criminal background check (CORI/SORI)</td>")
                .count(),
            2
        );
        assert!(html.contains("Test school_coordinator"));
        // Another school's coordinator sees none of it; a student may not attest.
        let other = app
            .user(
                "school_coordinator",
                serde_json::json!({ "school_id": f.other_school["id"] }),
            )
            .await;
        let (_, html, _) = page(&app, &other, "/attestations").await;
        assert!(html.contains("No attestations yet.") && !html.contains("Ana Lopez"));
        let student = app
            .user("student", serde_json::json!({ "student_id": a }))
            .await;
        let (status, _, _) = page(&app, &student, "/attestations").await;
        assert_eq!(status, 403);
    }
);
