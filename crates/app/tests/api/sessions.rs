//! Sessions (issue 13 point 3): rotation at sign-in, the idle clock, a person's own sessions,
//! disabled accounts, HSTS and `__Host-` cookies; and load shedding (point 9).
use crate::helpers::*;
use crate::{db_test, db_test_with};
use serde_json::{Value, json};

fn email_of(c: &Caller) -> String {
    c.user["email"].as_str().unwrap().to_string()
}

async fn login_as(app: &TestApp, email: &str, user_agent: &str, bearer: Option<&str>) -> Caller {
    let mut req = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("user-agent", user_agent)
        .json(&json!({ "email": email, "password": DEMO_PASSWORD }));
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let body = expect_status(req.send().await.unwrap(), 200).await;
    Caller {
        token: body["token"].as_str().unwrap().to_string(),
        user: body["user"].clone(),
    }
}

/// The `Set-Cookie` values of an answer.
fn set_cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

/// `name=value` of the cookie called `name` among `cookies`.
fn cookie_value(cookies: &[String], name: &str) -> Option<String> {
    cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap()[name.len() + 1..].to_string())
}

/// Signs in through the page, sending `extra_cookie` too; answers the sign-in's `Set-Cookie`s.
async fn page_sign_in(
    app: &TestApp,
    email: &str,
    csrf_cookie: &str,
    extra_cookie: Option<String>,
) -> Vec<String> {
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    let cookies = set_cookies(&page);
    let csrf = cookie_value(&cookies, csrf_cookie).expect("the sign-in form sets its cookie");
    let html = page.text().await.unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut cookie = format!("{csrf_cookie}={csrf}");
    if let Some(extra) = extra_cookie {
        cookie.push_str("; ");
        cookie.push_str(&extra);
    }
    let res = app
        .client
        .post(app.url("/login"))
        .header("cookie", cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "signed in");
    set_cookies(&res)
}

async fn profile_status(app: &TestApp, cookie: &str) -> u16 {
    app.client
        .get(app.url("/profile"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

db_test!(
    a_new_sign_in_ends_the_session_it_was_given,
    |app| async move {
        let admin = app.admin().await;
        let email = email_of(&admin);
        // The API: a token presented with a sign-in stops working; the new one differs.
        let again = login_as(&app, &email, "test", Some(&admin.token)).await;
        assert_ne!(again.token, admin.token);
        expect_problem(
            app.get(&admin, "/api/v1/me").await,
            401,
            &["unauthenticated"],
        )
        .await;
        app.get_ok(&again, "/api/v1/me").await;
        // The pages: a session cookie sent with the sign-in form ends too.
        let first = page_sign_in(&app, &email, "practicum_login_csrf", None).await;
        let s1 = cookie_value(&first, "practicum_session").unwrap();
        let c1 = format!("practicum_session={s1}");
        assert_eq!(profile_status(&app, &c1).await, 200);
        let second = page_sign_in(&app, &email, "practicum_login_csrf", Some(c1.clone())).await;
        let s2 = cookie_value(&second, "practicum_session").unwrap();
        assert_ne!(s1, s2);
        assert_eq!(
            profile_status(&app, &c1).await,
            303,
            "the old cookie is signed out"
        );
        assert_eq!(
            profile_status(&app, &format!("practicum_session={s2}")).await,
            200
        );
    }
);

db_test_with!(
    a_session_in_use_outlives_a_short_idle_limit,
    |c| c.session_idle = std::time::Duration::from_secs(60),
    |app| async move {
        let admin = app.admin().await;
        let idle = app.login(&email_of(&admin), DEMO_PASSWORD).await;
        // Used every 40 s for 4 minutes: it lives on.
        for _ in 0..6 {
            app.clock.advance(chrono::Duration::seconds(40));
            app.get_ok(&admin, "/api/v1/me").await;
        }
        // The unused one ended after its minute.
        expect_problem(
            app.get(&idle, "/api/v1/me").await,
            401,
            &["unauthenticated"],
        )
        .await;
        app.clock.advance(chrono::Duration::seconds(61));
        expect_problem(
            app.get(&admin, "/api/v1/me").await,
            401,
            &["unauthenticated"],
        )
        .await;
    }
);

db_test!(people_list_and_end_their_own_sessions, |app| async move {
    let admin = app.admin().await;
    let email = email_of(&admin);
    let phone = login_as(
        &app,
        &email,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        None,
    )
    .await;
    let laptop = login_as(
        &app,
        &email,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
        None,
    )
    .await;
    let list = app.get_ok(&laptop, "/api/v1/me/sessions").await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let find = |device: &str| -> Value {
        items
            .iter()
            .find(|s| s["device"] == device)
            .cloned()
            .unwrap_or_else(|| panic!("{device} in {items:?}"))
    };
    let phone_session = find("Safari on iPhone");
    assert_eq!(phone_session["current"], false);
    assert_eq!(phone_session["ip"], "127.0.0.1");
    assert!(phone_session["created_at"].is_string() && phone_session["last_seen_at"].is_string());
    assert_eq!(find("Firefox on Windows")["current"], true);
    let phone_id = phone_session["id"].as_str().unwrap().to_string();

    // Someone else cannot end it, nor see it.
    let other = app.coordinator().await;
    let other_list = app.get_ok(&other, "/api/v1/me/sessions").await;
    assert_eq!(other_list["items"].as_array().unwrap().len(), 1);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/me/sessions/{phone_id}")))
        .bearer_auth(&other.token)
        .send()
        .await
        .unwrap();
    expect_problem(res, 404, &["not_found"]).await;
    app.get_ok(&phone, "/api/v1/me").await;

    // Its owner ends it: the phone is signed out at once.
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/me/sessions/{phone_id}")))
        .bearer_auth(&laptop.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    expect_problem(
        app.get(&phone, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;

    // Everywhere else: the others end, this one stays.
    let ended = app
        .post(&laptop, "/api/v1/me/sessions/end-others", &json!({}))
        .await;
    assert_eq!(expect_status(ended, 200).await["ended"], 1);
    expect_problem(
        app.get(&admin, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;
    app.get_ok(&laptop, "/api/v1/me").await;
    app.get_ok(&other, "/api/v1/me").await;

    // The profile page lists them too.
    let page = page_sign_in(&app, &email, "practicum_login_csrf", None).await;
    let s = cookie_value(&page, "practicum_session").unwrap();
    let html = app
        .client
        .get(app.url("/profile"))
        .header("cookie", format!("practicum_session={s}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Where you are signed in"), "{html}");
    assert!(html.contains("Firefox on Windows"), "{html}");
    assert!(html.contains("Sign out everywhere else") || html.contains("End the session on"));
});

db_test!(an_admin_disables_and_enables_an_account, |app| async move {
    let admin = app.admin().await;
    let coordinator = app.coordinator().await;
    let id = coordinator.user["id"].as_str().unwrap().to_string();
    let site = expect_status(
        app.post(
            &coordinator,
            "/api/v1/sites",
            &json!({ "name": "Kept Site" }),
        )
        .await,
        201,
    )
    .await;
    // Not for other roles.
    let other = app.coordinator().await;
    let path = format!("/api/v1/users/{id}");
    expect_problem(
        app.patch(&other, &path, &json!({ "disabled": true })).await,
        403,
        &["forbidden"],
    )
    .await;
    // Not oneself.
    let own = format!("/api/v1/users/{}", admin.user["id"].as_str().unwrap());
    expect_problem(
        app.patch(&admin, &own, &json!({ "disabled": true })).await,
        409,
        &["cannot_disable_self"],
    )
    .await;

    let user = expect_status(
        app.patch(&admin, &path, &json!({ "disabled": true })).await,
        200,
    )
    .await;
    assert_eq!(user["disabled"], true);
    // Its sessions end at once; it cannot sign in, with the answer of a wrong password.
    expect_problem(
        app.get(&coordinator, "/api/v1/me").await,
        401,
        &["unauthenticated"],
    )
    .await;
    let refused = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email_of(&coordinator), "password": DEMO_PASSWORD }),
        )
        .await;
    let refused = expect_problem(refused, 401, &["unauthenticated"]).await;
    let wrong = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email_of(&coordinator), "password": "wrong-password" }),
        )
        .await;
    assert_eq!(
        expect_problem(wrong, 401, &["unauthenticated"]).await,
        refused
    );
    // Its records stay.
    let kept = app
        .get_ok(
            &admin,
            &format!("/api/v1/sites/{}", site["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(kept["name"], "Kept Site");
    assert_eq!(app.get_ok(&admin, &path).await["disabled"], true);

    let user = expect_status(
        app.patch(&admin, &path, &json!({ "disabled": false }))
            .await,
        200,
    )
    .await;
    assert_eq!(user["disabled"], false);
    let back = app.login(&email_of(&coordinator), DEMO_PASSWORD).await;
    app.get_ok(&back, "/api/v1/me").await;
    expect_problem(
        app.patch(&admin, &path, &json!({ "disabled": "yes" }))
            .await,
        422,
        &["invalid_boolean"],
    )
    .await;
});

db_test_with!(
    secure_cookies_bring_hsts_and_host_prefixed_names,
    |c| c.secure_cookies = true,
    |app| async move {
        for path in [
            "/login",
            "/api/v1/disciplines",
            "/nowhere",
            "/api/openapi.json",
        ] {
            let res = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(
                res.headers()["strict-transport-security"],
                "max-age=63072000; includeSubDomains",
                "{path}"
            );
        }
        let admin = app.admin().await;
        let cookies =
            page_sign_in(&app, &email_of(&admin), "__Host-practicum_login_csrf", None).await;
        let session = cookies
            .iter()
            .find(|c| c.starts_with("__Host-practicum_session="))
            .expect("the session cookie has the __Host- name");
        for c in cookies.iter().filter(|c| c.starts_with("__Host-")) {
            assert!(c.contains("; Secure") && c.contains("; Path=/"), "{c}");
            assert!(!c.to_ascii_lowercase().contains("domain="), "{c}");
        }
        let value = cookie_value(&cookies, "__Host-practicum_session").unwrap();
        assert!(session.contains("HttpOnly"));
        assert_eq!(
            profile_status(&app, &format!("__Host-practicum_session={value}")).await,
            200
        );
        // The name without the prefix is not read.
        assert_eq!(
            profile_status(&app, &format!("practicum_session={value}")).await,
            303
        );
    }
);

db_test!(without_secure_cookies_there_is_no_hsts, |app| async move {
    let res = app.client.get(app.url("/login")).send().await.unwrap();
    assert!(!res.headers().contains_key("strict-transport-security"));
});

db_test_with!(
    past_the_in_flight_limit_requests_are_shed_with_retry_after,
    |c| c.max_in_flight = 1,
    |app| async move {
        use tokio::io::AsyncWriteExt;
        // Hold the one slot: a sign-in whose body never finishes arriving. Under load the
        // probe can reach the server before the held request does, take the slot, and have
        // the held one shed instead; so each try holds anew until a probe is the one shed.
        let addr = app.base.trim_start_matches("http://").to_string();
        let (shed, held) = poll(std::time::Duration::from_secs(10), || async {
            let mut held = tokio::net::TcpStream::connect(&addr).await.ok()?;
            held.write_all(
                format!(
                    "POST /api/v1/auth/login HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{"
                )
                .as_bytes(),
            )
            .await
            .ok()?;
            let res = app.client.get(app.url("/login")).send().await.ok()?;
            (res.status() == 503).then_some((res, held))
        })
        .await;
        assert_eq!(shed.headers()["retry-after"], "1");
        expect_problem(shed, 503, &["server_busy"]).await;
        // The held request ends; the slot frees and requests are served again.
        drop(held);
        poll(std::time::Duration::from_secs(10), || async {
            let res = app.client.get(app.url("/login")).send().await.ok()?;
            (res.status() == 200).then_some(())
        })
        .await;
    }
);

// A session used again and again with no write in between is answered from the store's cache
// of session rows (`db::sessions::SessionCache`). Every way it ends or changes shows on the
// very next request, whichever session or person made the change.
db_test!(a_busy_session_sees_its_end_at_once, |app| async move {
    let admin = app.admin().await;
    let hot = |c: &Caller| {
        let (app, c) = (&app, c.clone());
        async move {
            for _ in 0..3 {
                app.get_ok(&c, "/api/v1/me").await;
            }
        }
    };
    let gone = |c: &Caller| {
        let (app, c) = (&app, c.clone());
        async move { expect_problem(app.get(&c, "/api/v1/me").await, 401, &["unauthenticated"]).await }
    };

    // Signed out with its own token.
    let first = app.coordinator().await;
    hot(&first).await;
    let res = app.post(&first, "/api/v1/auth/logout", &json!({})).await;
    assert_eq!(res.status(), 204);
    gone(&first).await;

    // Its account disabled by an admin, while another person's session stays.
    let second = app.coordinator().await;
    let bystander = app.coordinator().await;
    hot(&second).await;
    hot(&bystander).await;
    let path = format!("/api/v1/users/{}", second.user["id"].as_str().unwrap());
    expect_status(
        app.patch(&admin, &path, &json!({ "disabled": true })).await,
        200,
    )
    .await;
    gone(&second).await;
    hot(&bystander).await;

    // Ended from another of the same person's sessions.
    let email = email_of(&bystander);
    let other_device = login_as(&app, &email, "test", None).await;
    hot(&bystander).await;
    let ended = app
        .post(&other_device, "/api/v1/me/sessions/end-others", &json!({}))
        .await;
    assert_eq!(expect_status(ended, 200).await["ended"], 1);
    gone(&bystander).await;
    hot(&other_device).await;
});

// Another process writes to the same database (a CLI command beside the server, or a second
// instance on the same PostgreSQL): the server has kept the session row and the placement
// views, and must see the change within its watch's poll (`db::watch`), not after the 30 s
// a kept value may otherwise last.
db_test!(another_process_s_write_is_seen_soon, |app| async move {
    let coordinator = app.coordinator().await;
    for _ in 0..3 {
        app.get_ok(&coordinator, "/api/v1/me").await;
    }
    // Its own connection, outside the server's pool and write count.
    let other = practicum::db::Db::connect(&app.state.config.database_url(), 1)
        .await
        .expect("a second connection");
    let id = coordinator.user["id"].as_str().unwrap().to_string();
    let mut tx = other.write().await.expect("a write");
    practicum::db::sessions::delete_all_for_user(&mut tx, &id, None)
        .await
        .expect("sessions ended");
    tx.commit().await.expect("committed");
    other.close().await;
    poll(std::time::Duration::from_secs(10), || async {
        let res = app.get(&coordinator, "/api/v1/me").await;
        (res.status() == 401).then_some(())
    })
    .await;
});
