//! Sign-in throttling that cannot be turned against users, the client address behind a
//! trusted proxy, and the refusal of common and breached passwords (issue 13 point 2).
use crate::helpers::*;
use crate::{db_test, db_test_with};
use serde_json::{Value, json};

/// A sign-in attempt, with `X-Forwarded-For` when `xff` is given.
async fn attempt(
    app: &TestApp,
    email: &str,
    password: &str,
    xff: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }));
    if let Some(x) = xff {
        req = req.header("x-forwarded-for", x);
    }
    req.send().await.expect("request")
}

fn email_of(c: &Caller) -> String {
    c.user["email"].as_str().unwrap().to_string()
}

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

db_test_with!(
    a_flood_of_made_up_emails_does_not_stop_a_real_sign_in_from_that_address,
    |c| {
        c.login_max_failures = 3;
        c.login_address_max_failures = 4;
    },
    |app| async move {
        let admin = app.admin().await;
        let mut throttled = 0;
        for i in 0..12 {
            let res = attempt(
                &app,
                &format!("made-up-{i}@test.example"),
                "wrong-password",
                None,
            )
            .await;
            match res.status().as_u16() {
                401 => {}
                429 => {
                    assert!(retry_after(&res) >= 1);
                    expect_problem(res, 429, &["too_many_attempts"]).await;
                    throttled += 1;
                }
                s => panic!("unexpected {s}"),
            }
        }
        assert_eq!(
            throttled, 8,
            "past its ceiling the address's wrong passwords wait"
        );
        // The right password of a real account that is not itself throttled signs in.
        let res = attempt(&app, &email_of(&admin), DEMO_PASSWORD, None).await;
        let body = expect_status(res, 200).await;
        assert!(body["token"].is_string());
        // A wrong password for that real account from the flooded address still waits.
        let res = attempt(&app, &email_of(&admin), "wrong-password", None).await;
        expect_problem(res, 429, &["too_many_attempts"]).await;
    }
);

db_test_with!(
    guessing_one_account_from_many_addresses_is_throttled,
    |c| {
        c.login_max_failures = 3;
        c.login_base_delay = std::time::Duration::from_secs(30);
        c.trusted_proxies = vec![practicum::net::IpRange::parse("127.0.0.1").unwrap()];
    },
    |app| async move {
        let admin = app.admin().await;
        let email = email_of(&admin);
        for i in 0..3 {
            let xff = format!("198.51.100.{i}");
            let res = attempt(&app, &email, "wrong-password", Some(&xff)).await;
            expect_problem(res, 401, &["unauthenticated"]).await;
        }
        // A fresh address, even with the right password: the account waits.
        let res = attempt(&app, &email, DEMO_PASSWORD, Some("198.51.100.99")).await;
        let wait = retry_after(&res);
        assert!((29..=30).contains(&wait), "{wait}");
        expect_problem(res, 429, &["too_many_attempts"]).await;
        // Another account from those same addresses is not affected.
        let other = app.coordinator().await;
        let res = attempt(&app, &email_of(&other), DEMO_PASSWORD, Some("198.51.100.0")).await;
        expect_status(res, 200).await;
        app.clock.advance(chrono::Duration::seconds(31));
        let res = attempt(&app, &email, DEMO_PASSWORD, Some("198.51.100.99")).await;
        expect_status(res, 200).await;
    }
);

db_test_with!(
    failure_counts_decay_with_time,
    |c| {
        c.login_max_failures = 2;
        c.login_base_delay = std::time::Duration::from_secs(30);
        c.login_decay = std::time::Duration::from_secs(10 * 60);
    },
    |app| async move {
        let admin = app.admin().await;
        let email = email_of(&admin);
        for _ in 0..2 {
            let res = attempt(&app, &email, "wrong-password", None).await;
            expect_problem(res, 401, &["unauthenticated"]).await;
        }
        expect_problem(
            attempt(&app, &email, DEMO_PASSWORD, None).await,
            429,
            &["too_many_attempts"],
        )
        .await;
        // 25 minutes: both failures have leaked away, so one more is free again.
        app.clock.advance(chrono::Duration::minutes(25));
        let res = attempt(&app, &email, "wrong-password", None).await;
        expect_problem(res, 401, &["unauthenticated"]).await;
        expect_status(attempt(&app, &email, DEMO_PASSWORD, None).await, 200).await;
    }
);

db_test_with!(
    a_success_resets_the_account_count,
    |c| {
        c.login_max_failures = 3;
        c.login_base_delay = std::time::Duration::from_secs(30);
    },
    |app| async move {
        let admin = app.admin().await;
        let email = email_of(&admin);
        for round in 0..3 {
            for _ in 0..2 {
                let res = attempt(&app, &email, "wrong-password", None).await;
                expect_problem(res, 401, &["unauthenticated"]).await;
            }
            let res = attempt(&app, &email, DEMO_PASSWORD, None).await;
            assert_eq!(
                res.status(),
                200,
                "round {round}: 2 failures after a success"
            );
        }
    }
);

/// The address the server saw for the session of `token`.
pub async fn session_address(app: &TestApp, token: &str) -> Value {
    let res = app
        .client
        .get(app.url("/api/v1/me/sessions"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let body = expect_status(res, 200).await;
    let current = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .cloned()
        .unwrap();
    current["ip"].clone()
}

db_test_with!(
    forwarded_for_is_honoured_only_from_a_trusted_proxy,
    |c| {
        c.login_address_max_failures = 2;
        c.trusted_proxies = vec![practicum::net::IpRange::parse("127.0.0.0/8").unwrap()];
    },
    |app| async move {
        let admin = app.admin().await;
        let email = email_of(&admin);
        let res = attempt(&app, &email, DEMO_PASSWORD, Some("203.0.113.7, 127.0.0.5")).await;
        let body = expect_status(res, 200).await;
        assert_eq!(
            session_address(&app, body["token"].as_str().unwrap()).await,
            "203.0.113.7"
        );
        // Each forwarded client has its own address bucket.
        for _ in 0..2 {
            let res = attempt(
                &app,
                "nobody@test.example",
                "wrong-password",
                Some("203.0.113.8"),
            )
            .await;
            expect_problem(res, 401, &["unauthenticated"]).await;
        }
        let res = attempt(
            &app,
            "nobody2@test.example",
            "wrong-password",
            Some("203.0.113.8"),
        )
        .await;
        expect_problem(res, 429, &["too_many_attempts"]).await;
        let res = attempt(
            &app,
            "nobody2@test.example",
            "wrong-password",
            Some("203.0.113.9"),
        )
        .await;
        expect_problem(res, 401, &["unauthenticated"]).await;
    }
);

db_test_with!(
    a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored,
    |c| {
        c.login_address_max_failures = 2;
    },
    |app| async move {
        let admin = app.admin().await;
        let email = email_of(&admin);
        let res = attempt(&app, &email, DEMO_PASSWORD, Some("203.0.113.7")).await;
        let body = expect_status(res, 200).await;
        assert_eq!(
            session_address(&app, body["token"].as_str().unwrap()).await,
            "127.0.0.1"
        );
        // A new forged address per attempt does not escape the peer's bucket.
        for i in 0..2 {
            let xff = format!("192.0.2.{i}");
            let res = attempt(&app, "nobody@test.example", "wrong-password", Some(&xff)).await;
            expect_problem(res, 401, &["unauthenticated"]).await;
        }
        let res = attempt(
            &app,
            "nobody@test.example",
            "wrong-password",
            Some("192.0.2.77"),
        )
        .await;
        expect_problem(res, 429, &["too_many_attempts"]).await;
    }
);

db_test!(
    common_and_breached_passwords_are_refused_in_words,
    |app| async move {
        let admin = app.admin().await;
        for (password, code) in [
            ("Password2024!", "password_breached"),
            ("qwertyuiop", "password_breached"),
            ("1234567890", "password_breached"),
            ("zzzzzzzzzzzz", "weak_password"),
            ("short", "weak_password"),
        ] {
            let res = app
            .post(
                &admin,
                "/api/v1/users",
                &json!({ "email": format!("u-{code}@test.example"), "name": "U", "role": "coordinator",
                         "password": password }),
            )
            .await;
            let body = expect_problem(res, 422, &[code]).await;
            let message = body["errors"][0]["message"].as_str().unwrap();
            assert!(message.len() > 20, "said in words: {message}");
            if code == "password_breached" {
                assert!(message.contains("breaches"), "{message}");
            }
        }
        let res = app
            .post(
                &admin,
                "/api/v1/users",
                &json!({ "email": "fine@test.example", "name": "U", "role": "coordinator",
                     "password": "orbit lantern staple meadow" }),
            )
            .await;
        expect_status(res, 201).await;
    }
);
