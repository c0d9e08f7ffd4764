//! Sites: the office creates, reads and renames them; nobody else sees them.
use crate::db_test;
use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

db_test!(
    the_office_creates_reads_and_renames_sites,
    |app| async move {
        let c = cast(&app).await;
        for (role, who) in c.office_roles() {
            let site = app
                .create(
                    who,
                    "/api/v1/sites",
                    &json!({ "name": format!("  {role} campus ") }),
                )
                .await;
            assert_eq!(site["name"], format!("{role} campus"), "trimmed");
            let path = format!("/api/v1/sites/{}", id(&site));
            assert_eq!(app.get_ok(who, &path).await, site);
            let renamed = expect_status(
                app.patch(who, &path, &json!({ "name": format!("{role} hospital") }))
                    .await,
                200,
            )
            .await;
            assert_eq!(renamed["name"], format!("{role} hospital"));
            assert_eq!(renamed["id"], site["id"]);
            assert_eq!(app.get_ok(who, &path).await["name"], renamed["name"]);
            // An empty PATCH changes nothing.
            let same = expect_status(app.patch(who, &path, &json!({})).await, 200).await;
            assert_eq!(same, renamed);
        }
        let all = app.get_ok(&c.admin, "/api/v1/sites").await;
        // The fixture's site and one per office role.
        assert_eq!(items(&all).len(), 3);
        assert!(all["next_cursor"].is_null());
    }
);

db_test!(no_one_outside_the_office_touches_sites, |app| async move {
    let c = cast(&app).await;
    let path = format!("/api/v1/sites/{}", id(&c.f.site));
    for (role, who) in c.outsiders() {
        for res in [
            app.get(who, "/api/v1/sites").await,
            app.get(who, &path).await,
            app.post(who, "/api/v1/sites", &json!({ "name": "Mine" }))
                .await,
            app.patch(who, &path, &json!({ "name": "Mine" })).await,
            // Authorization comes before the body is read.
            app.raw(who, Method::POST, "/api/v1/sites", None, b"junk".to_vec())
                .await,
        ] {
            let body = expect_problem(res, 403, &["forbidden"]).await;
            assert!(body["detail"].is_string(), "{role}");
        }
    }
    let unchanged = app.get_ok(&c.office, &path).await;
    assert_eq!(unchanged["name"], "General Hospital");
});

db_test!(
    unknown_and_malformed_site_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/sites/{NO_SUCH_ID}"),
            "/api/v1/sites/not-a-uuid".to_string(),
            "/api/v1/sites/1".to_string(),
            "/api/v1/sites/%27%20OR%201=1".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "name": "X" })).await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(bad_site_input_is_refused_with_its_code, |app| async move {
    let office = app.coordinator().await;
    let cases = [
        (json!({}), vec!["required"]),
        (json!({ "name": "" }), vec!["required"]),
        (json!({ "name": "   " }), vec!["required"]),
        (json!({ "name": null }), vec!["required"]),
        (json!({ "name": 12 }), vec!["invalid_type"]),
        (json!({ "name": ["a"] }), vec!["invalid_type"]),
        (json!({ "name": "x".repeat(501) }), vec!["too_long"]),
        (json!({ "name": "a\u{0}b" }), vec!["invalid_characters"]),
        (json!({ "name": "bell\u{7}" }), vec!["invalid_characters"]),
        (
            json!({ "name": "Fine", "colour": "red" }),
            vec!["unknown_field"],
        ),
        // Several problems at once, each listed.
        (
            json!({ "colour": "red", "size": 3 }),
            vec!["unknown_field", "unknown_field", "required"],
        ),
    ];
    for (body, expected) in cases {
        let problem = expect_problem(
            app.post(&office, "/api/v1/sites", &body).await,
            422,
            &expected,
        )
        .await;
        assert_eq!(problem["type"], "/api/problems/validation");
        for e in problem["errors"].as_array().unwrap() {
            assert!(e["field"].is_string() && e["message"].is_string(), "{e}");
        }
    }
    // 500 characters is fine.
    app.create(
        &office,
        "/api/v1/sites",
        &json!({ "name": "y".repeat(500) }),
    )
    .await;
    let site = app
        .create(&office, "/api/v1/sites", &json!({ "name": "Main" }))
        .await;
    let path = format!("/api/v1/sites/{}", id(&site));
    expect_problem(
        app.patch(&office, &path, &json!({ "name": null })).await,
        422,
        &["required"],
    )
    .await;
    expect_problem(
        app.patch(&office, &path, &json!({ "id": NO_SUCH_ID }))
            .await,
        422,
        &["unknown_field"],
    )
    .await;
    assert_eq!(app.get_ok(&office, &path).await["name"], "Main");
    assert_eq!(
        items(&app.get_ok(&office, "/api/v1/sites").await).len(),
        2,
        "no refused site was stored"
    );
});

db_test!(
    site_bodies_must_be_json_objects_under_1_mib,
    |app| async move {
        let office = app.coordinator().await;
        let site = app
            .create(&office, "/api/v1/sites", &json!({ "name": "Main" }))
            .await;
        let one = format!("/api/v1/sites/{}", id(&site));
        for (method, path) in [
            (Method::POST, "/api/v1/sites"),
            (Method::PATCH, one.as_str()),
        ] {
            for (ct, body) in [
                (Some("application/json"), b"{".to_vec()),
                (Some("application/json"), b"".to_vec()),
                (Some("application/json"), b"[1, 2]".to_vec()),
                (Some("application/json"), b"\"name\"".to_vec()),
                (Some("application/json"), b"null".to_vec()),
                (Some("application/json"), vec![0xff, 0xfe, 0x00]),
                (Some("text/plain"), br#"{"name":"x"}"#.to_vec()),
                (
                    Some("application/x-www-form-urlencoded"),
                    b"name=x".to_vec(),
                ),
                (None, br#"{"name":"x"}"#.to_vec()),
            ] {
                let res = app.raw(&office, method.clone(), path, ct, body).await;
                expect_problem(res, 400, &["invalid_json"]).await;
            }
            let big = serde_json::to_vec(&json!({ "name": "x".repeat(1024 * 1024) })).unwrap();
            let res = app
                .raw(&office, method.clone(), path, Some("application/json"), big)
                .await;
            expect_problem(res, 413, &["body_too_large"]).await;
            // `application/<x>+json` is JSON too.
            let res = app
                .raw(
                    &office,
                    method.clone(),
                    path,
                    Some("application/merge-patch+json; charset=utf-8"),
                    br#"{"name": 5}"#.to_vec(),
                )
                .await;
            expect_problem(res, 422, &["invalid_type"]).await;
        }
        assert_eq!(items(&app.get_ok(&office, "/api/v1/sites").await).len(), 1);
    }
);

db_test!(site_names_are_unique, |app| async move {
    let office = app.coordinator().await;
    app.create(&office, "/api/v1/sites", &json!({ "name": "North" }))
        .await;
    let south = app
        .create(&office, "/api/v1/sites", &json!({ "name": "South" }))
        .await;
    let body = expect_problem(
        app.post(&office, "/api/v1/sites", &json!({ "name": "North" }))
            .await,
        409,
        &["conflict"],
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "name");
    expect_problem(
        app.patch(
            &office,
            &format!("/api/v1/sites/{}", id(&south)),
            &json!({ "name": "North" }),
        )
        .await,
        409,
        &["conflict"],
    )
    .await;
    // Renaming a site to its own name is no clash.
    expect_status(
        app.patch(
            &office,
            &format!("/api/v1/sites/{}", id(&south)),
            &json!({ "name": "South" }),
        )
        .await,
        200,
    )
    .await;
});

db_test!(sites_filter_by_name, |app| async move {
    let office = app.coordinator().await;
    for name in ["North Campus", "South Campus", "Annex 100%", "under_score"] {
        app.create(&office, "/api/v1/sites", &json!({ "name": name }))
            .await;
    }
    let names = |v: &serde_json::Value| -> Vec<String> {
        items(v)
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_string())
            .collect()
    };
    let found = app.get_ok(&office, "/api/v1/sites?q=CAMPUS").await;
    assert_eq!(names(&found), ["North Campus", "South Campus"]);
    let found = app.get_ok(&office, "/api/v1/sites?q=north").await;
    assert_eq!(names(&found), ["North Campus"]);
    let found = app.get_ok(&office, "/api/v1/sites?q=nowhere").await;
    assert!(items(&found).is_empty());
    // An empty q is no filter.
    assert_eq!(
        items(&app.get_ok(&office, "/api/v1/sites?q=").await).len(),
        4
    );
    // Wildcards in q are taken literally.
    for (q, expected) in [
        ("%25", vec!["Annex 100%"]),
        ("100%25", vec!["Annex 100%"]),
        ("_", vec!["under_score"]),
        ("r_s", vec!["under_score"]),
        ("%5C", vec![]),
        ("%27", vec![]),
        ("%22%3B--", vec![]),
    ] {
        let found = app.get_ok(&office, &format!("/api/v1/sites?q={q}")).await;
        assert_eq!(names(&found), expected, "q={q}");
    }
    // A NUL can match nothing (and PostgreSQL cannot compare it): a bad request.
    expect_problem(
        app.get(&office, "/api/v1/sites?q=a%00").await,
        400,
        &["invalid_json"],
    )
    .await;
});
