//! Sign-in, sessions and throttling.
use crate::helpers::*;
use crate::{db_test, db_test_with};
use serde_json::json;

db_test!(
    unknown_email_and_wrong_password_look_the_same,
    |app| async move {
        let admin = app.admin().await;
        let email = admin.user["email"].as_str().unwrap().to_string();
        let a = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": "nobody@test.example", "password": "whatever-long" }),
            )
            .await;
        let b = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": email, "password": "wrong-password" }),
            )
            .await;
        let a = expect_problem(a, 401, &["unauthenticated"]).await;
        let b = expect_problem(b, 401, &["unauthenticated"]).await;
        assert_eq!(a, b);
    }
);

db_test!(logout_revokes_the_token, |app| async move {
    let admin = app.admin().await;
    app.get_ok(&admin, "/api/v1/me").await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    expect_problem(
        app.get(&admin, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;
});

db_test!(
    sessions_end_when_idle_and_at_their_absolute_limit,
    |app| async move {
        let admin = app.admin().await;
        app.clock.advance(chrono::Duration::minutes(29));
        app.get_ok(&admin, "/api/v1/me").await;
        app.clock.advance(chrono::Duration::minutes(31));
        expect_problem(
            app.get(&admin, "/api/v1/me").await,
            401,
            &["unauthenticated"],
        )
        .await;

        let other = app.admin().await;
        for _ in 0..25 {
            app.clock.advance(chrono::Duration::minutes(28));
            app.get_ok(&other, "/api/v1/me").await;
        }
        app.clock.advance(chrono::Duration::minutes(28));
        expect_problem(
            app.get(&other, "/api/v1/me").await,
            401,
            &["unauthenticated"],
        )
        .await;
    }
);

db_test_with!(
    failed_sign_ins_are_throttled_with_retry_after,
    |c| {
        c.login_max_failures = 3;
        c.login_base_delay = std::time::Duration::from_secs(30);
    },
    |app| async move {
        let admin = app.admin().await;
        let email = admin.user["email"].as_str().unwrap().to_string();
        let attempt = |password: &'static str| {
            let email = email.clone();
            let app = &app;
            async move {
                app.post_anon(
                    "/api/v1/auth/login",
                    &json!({ "email": email, "password": password }),
                )
                .await
            }
        };
        for _ in 0..3 {
            expect_problem(attempt("wrong-password").await, 401, &["unauthenticated"]).await;
        }
        let retry_after = |res: &reqwest::Response| -> u64 {
            res.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap()
        };
        let res = attempt("wrong-password").await;
        let wait = retry_after(&res);
        assert!((30..=31).contains(&wait), "{wait}");
        expect_problem(res, 429, &["too_many_attempts"]).await;
        // Even the right password waits.
        let res = attempt(DEMO_PASSWORD).await;
        assert!(retry_after(&res) <= 31);
        expect_problem(res, 429, &["too_many_attempts"]).await;
        // Time passes; one more failure doubles the wait.
        app.clock.advance(chrono::Duration::seconds(31));
        expect_problem(attempt("wrong-password").await, 401, &["unauthenticated"]).await;
        let res = attempt(DEMO_PASSWORD).await;
        let wait = retry_after(&res);
        assert!((59..=61).contains(&wait), "doubled: {wait}");
        expect_problem(res, 429, &["too_many_attempts"]).await;
        app.clock.advance(chrono::Duration::seconds(61));
        let res = attempt(DEMO_PASSWORD).await;
        assert_eq!(res.status(), 200);
        // The session works.
        let token = res.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();
        let me = app
            .client
            .get(app.url("/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200);
    }
);

db_test!(sign_in_input_is_checked, |app| async move {
    let admin = app.admin().await;
    let email = admin.user["email"].as_str().unwrap().to_string();
    for (body, expected) in [
        (json!({}), vec!["required", "required"]),
        (json!({ "email": email }), vec!["required"]),
        (
            json!({ "email": email, "password": 12 }),
            vec!["invalid_type"],
        ),
        (
            json!({ "email": email, "password": DEMO_PASSWORD, "remember": true }),
            vec!["unknown_field"],
        ),
    ] {
        expect_problem(
            app.post_anon("/api/v1/auth/login", &body).await,
            422,
            &expected,
        )
        .await;
    }
    for body in ["", "{", "email=a&password=b", "[]"] {
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        expect_problem(res, 400, &["invalid_json"]).await;
    }
    // The address is not case-sensitive, and spaces around it do not matter.
    let signed_in = app
        .login(&format!("  {}  ", email.to_uppercase()), DEMO_PASSWORD)
        .await;
    let me = app.get_ok(&signed_in, "/api/v1/me").await;
    assert_eq!(me["id"], admin.user["id"]);
    assert_eq!(signed_in.user, me, "login answers the same user as /me");
    for key in ["password", "password_hash"] {
        assert!(signed_in.user.get(key).is_none());
    }
    // The password is: a differently cased password is wrong.
    let res = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": DEMO_PASSWORD.to_uppercase() }),
        )
        .await;
    expect_problem(res, 401, &["unauthenticated"]).await;
});

db_test!(me_tells_each_role_and_its_links, |app| async move {
    let c = cast(&app).await;
    let cases = [
        (&c.admin, "admin", "school_id", serde_json::Value::Null),
        (
            &c.school,
            "school_coordinator",
            "school_id",
            c.f.school["id"].clone(),
        ),
        (&c.faculty, "faculty", "school_id", c.f.school["id"].clone()),
        (
            &c.student,
            "student",
            "student_id",
            c.f.student["id"].clone(),
        ),
        (
            &c.preceptor,
            "preceptor",
            "staff_id",
            c.preceptor_staff["id"].clone(),
        ),
        (
            &c.manager,
            "department_manager",
            "staff_id",
            c.manager_staff["id"].clone(),
        ),
    ];
    for (who, role, link, value) in cases {
        let me = app.get_ok(who, "/api/v1/me").await;
        assert_eq!(me["role"], role);
        assert_eq!(me[link], value, "{role}");
        assert_eq!(me["email"], who.user["email"]);
    }
    for auth in [
        "Bearer",
        "Bearer ",
        "Basic abc",
        "bearer nonsense",
        "Token x",
    ] {
        let res = app
            .client
            .get(app.url("/api/v1/me"))
            .header("authorization", auth)
            .send()
            .await
            .unwrap();
        expect_problem(res, 401, &["unauthenticated"]).await;
    }
    // The scheme's case does not matter.
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", format!("BEARER {}", c.admin.token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
});

db_test!(logout_ends_only_that_session, |app| async move {
    let admin = app.admin().await;
    let email = admin.user["email"].as_str().unwrap().to_string();
    let laptop = app.login(&email, DEMO_PASSWORD).await;
    let logout = |token: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/logout"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(logout(admin.token.clone()).await.status(), 204);
    expect_problem(
        app.get(&admin, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;
    expect_problem(
        app.post(&admin, "/api/v1/sites", &json!({ "name": "After" }))
            .await,
        401,
        &["unauthenticated"],
    )
    .await;
    // The same token cannot end a session twice; nor can no token.
    expect_problem(logout(admin.token.clone()).await, 401, &["unauthenticated"]).await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, &["unauthenticated"]).await;
    // The user's other session goes on.
    app.get_ok(&laptop, "/api/v1/me").await;
    assert!(
        items(&app.get_ok(&laptop, "/api/v1/sites").await).is_empty(),
        "nothing was written after the logout"
    );
});

db_test!(an_ended_session_stays_ended, |app| async move {
    let admin = app.admin().await;
    // Exactly 30 minutes idle is still within the limit.
    app.clock.advance(chrono::Duration::minutes(30));
    app.get_ok(&admin, "/api/v1/me").await;
    app.clock.advance(chrono::Duration::minutes(31));
    expect_problem(
        app.get(&admin, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;
    // Even if the clock were turned back, the session is gone.
    app.clock.advance(chrono::Duration::minutes(-31));
    expect_problem(
        app.get(&admin, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;
    // Signing in again starts a fresh session.
    let again = app
        .login(admin.user["email"].as_str().unwrap(), DEMO_PASSWORD)
        .await;
    app.get_ok(&again, "/api/v1/me").await;
});

db_test!(security_headers_on_every_response, |app| async move {
    for path in [
        "/login",
        "/api/v1/disciplines",
        "/api/openapi.json",
        "/nowhere",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            !h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("script-src 'self' 'unsafe-inline'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
    }
    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/sites",
        "/api/v1/placement-requests/{id}/decision",
        "/api/v1/reports/summary",
        "/api/v1/inquiries",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is documented");
    }
    let docs = app
        .client
        .get(app.url("/api/docs/"))
        .send()
        .await
        .expect("request");
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.expect("the page arrives");
    assert!(html.contains("swagger-ui"), "{html}");
});

db_test!(
    page_forms_need_the_csrf_token_and_same_origin,
    |app| async move {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let admin = app.admin().await;
        let email = admin.user["email"].as_str().unwrap().to_string();
        let login_page = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = login_page
            .split("name=\"csrf_token\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let res = client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("email", email.as_str()),
                ("password", DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("practicum_session="))
            .unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        // Without the session's token: refused.
        let res = client
            .post(app.url("/sites"))
            .form(&[("name", "Forged")])
            .send()
            .await
            .unwrap();
        expect_page(res, 403).await;
        // With the token but from another site: refused.
        let page = client
            .get(app.url("/sites/new"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = page
            .split("name=\"csrf_token\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let res = client
            .post(app.url("/sites"))
            .header("origin", "https://evil.example")
            .form(&[("csrf_token", token.as_str()), ("name", "Forged")])
            .send()
            .await
            .unwrap();
        expect_page(res, 403).await;
        let res = client
            .post(app.url("/sites"))
            .form(&[("csrf_token", token.as_str()), ("name", "Real")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let sites = app.get_ok(&admin, "/api/v1/sites").await;
        assert_eq!(
            sites["items"].as_array().unwrap().len(),
            1,
            "only the real site exists"
        );
    }
);
