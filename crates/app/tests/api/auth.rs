//! Sign-in, sessions and throttling.
use crate::db_test;
use crate::helpers::*;
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
        assert_eq!(a.status(), 401);
        assert_eq!(b.status(), 401);
        assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
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
    assert_eq!(app.get(&admin, "/api/v1/me").await.status(), 401);
});

db_test!(
    sessions_end_when_idle_and_at_their_absolute_limit,
    |app| async move {
        let admin = app.admin().await;
        app.clock.advance(chrono::Duration::minutes(29));
        app.get_ok(&admin, "/api/v1/me").await;
        app.clock.advance(chrono::Duration::minutes(31));
        assert_eq!(
            app.get(&admin, "/api/v1/me").await.status(),
            401,
            "idle for 31 minutes"
        );

        let other = app.admin().await;
        for _ in 0..25 {
            app.clock.advance(chrono::Duration::minutes(28));
            app.get_ok(&other, "/api/v1/me").await;
        }
        app.clock.advance(chrono::Duration::minutes(28));
        assert_eq!(
            app.get(&other, "/api/v1/me").await.status(),
            401,
            "past 12 hours, however active"
        );
    }
);

#[tokio::test]
async fn failed_sign_ins_are_throttled_with_retry_after() {
    let app = spawn_with(Backend::Sqlite, |c| {
        c.login_max_failures = 3;
        c.login_base_delay = std::time::Duration::from_secs(30);
    })
    .await
    .unwrap();
    let admin = app.admin().await;
    let email = admin.user["email"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": email, "password": "wrong-password" }),
            )
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": "wrong-password" }),
        )
        .await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=31).contains(&wait), "{wait}");
    // Even the right password waits.
    let res = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), 429);
    app.clock.advance(chrono::Duration::seconds(31));
    let res = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(res.status(), 200);
}

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
    assert_eq!(
        app.client
            .get(app.url("/api/docs/"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
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
        assert_eq!(res.status(), 403);
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
        assert_eq!(res.status(), 403);
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
