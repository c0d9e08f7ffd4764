//! The second step of signing in keeps the sign-in rules of issue 13 points 2, 3 and 5: a
//! challenge answered for an account turned off meanwhile signs no one in; the session it
//! starts is a new one (a token presented with it ends) from the client's address as a trusted
//! proxy forwards it; and every step — the password accepted, a wrong code, the session — is
//! an audit event naming how the person proved who they are, without the code.
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use crate::mfa::{code_at, email, enrol, password_step, second_step};
use crate::sign_in::session_address;
use serde_json::{Value, json};

async fn sign_in_events(app: &TestApp, admin: &Caller, user_id: &Value) -> Vec<Value> {
    app.all_pages(admin, "/api/v1/audit?record_type=user", 100)
        .await
        .into_iter()
        .filter(|e| e["action"].as_str().unwrap_or("").starts_with("sign"))
        .filter(|e| e["record_id"] == *user_id)
        .collect()
}

db_test!(
    a_challenge_answered_after_the_account_was_turned_off_signs_no_one_in,
    |app| async move {
        let admin = app.admin().await;
        let who = app.coordinator().await;
        let (secret, recovery) = enrol(&app, &who).await;
        app.clock.advance(chrono::Duration::seconds(30));
        let challenge = password_step(&app, &email(&who)).await;
        let path = format!("/api/v1/users/{}", who.user["id"].as_str().unwrap());
        expect_status(
            app.patch(&admin, &path, &json!({ "disabled": true })).await,
            200,
        )
        .await;
        // Neither the right code nor a recovery code completes the sign-in.
        let res = second_step(&app, &challenge, &code_at(&app, &secret, 0)).await;
        expect_problem(res, 401, &["unauthenticated"]).await;
        let res = second_step(&app, &challenge, &recovery[0]).await;
        expect_problem(res, 401, &["unauthenticated"]).await;
        // And a new password step is refused as for any account turned off.
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": email(&who), "password": DEMO_PASSWORD }),
            )
            .await;
        expect_problem(res, 401, &["unauthenticated"]).await;

        let events = sign_in_events(&app, &admin, &who.user["id"]).await;
        let actions: Vec<&str> = events
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "sign_in",
                "sign_in_second_step",
                "sign_in_failed",
                "sign_in_failed",
                "sign_in_failed"
            ],
            "{events:?}"
        );
        assert_eq!(events[1]["after"]["method"], "password", "{events:?}");
        assert!(
            events[2]["after"]["reason"]
                .as_str()
                .unwrap()
                .contains("turned off"),
            "{events:?}"
        );
    }
);

db_test_with!(
    the_second_step_starts_a_new_session_from_the_forwarded_client,
    |c| c.trusted_proxies = vec![practicum::net::IpRange::parse("127.0.0.0/8").unwrap()],
    |app| async move {
        let admin = app.admin().await;
        let who = app.coordinator().await;
        let (secret, _) = enrol(&app, &who).await;
        app.clock.advance(chrono::Duration::seconds(30));
        let challenge = password_step(&app, &email(&who)).await;
        let wrong = second_step(&app, &challenge, "000000").await;
        expect_problem(wrong, 422, &["mfa_code_invalid"]).await;

        // The second step comes through the proxy, with the token of the session before.
        let res = app
            .client
            .post(app.url("/api/v1/auth/login/mfa"))
            .bearer_auth(&who.token)
            .header("x-forwarded-for", "203.0.113.40")
            .json(&json!({ "mfa_token": challenge, "code": code_at(&app, &secret, 0) }))
            .send()
            .await
            .unwrap();
        let body = expect_status(res, 200).await;
        let token = body["token"].as_str().unwrap().to_string();
        assert_ne!(token, who.token);
        assert_eq!(session_address(&app, &token).await, "203.0.113.40");
        // The session the client held before is over: a new sign-in, a new session id.
        expect_problem(app.get(&who, "/api/v1/me").await, 401, &["unauthenticated"]).await;

        let events = sign_in_events(&app, &admin, &who.user["id"]).await;
        let last: Vec<(&str, &Value)> = events
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(|e| (e["action"].as_str().unwrap(), &e["after"]))
            .collect();
        assert_eq!(last[0].0, "sign_in_second_step", "{events:?}");
        assert_eq!(last[1].0, "sign_in_failed", "{events:?}");
        assert!(
            last[1].1["reason"].as_str().unwrap().contains("code"),
            "{events:?}"
        );
        assert_eq!(last[2].0, "sign_in", "{events:?}");
        assert_eq!(
            last[2].1["method"], "second step: authenticator code",
            "{events:?}"
        );
        assert_eq!(events.last().unwrap()["ip"], "203.0.113.40");
        let text = serde_json::to_string(&events).unwrap();
        assert!(
            !text.contains(&challenge),
            "the challenge token is not kept"
        );
        assert!(!text.contains(&token), "the session token is not kept");
    }
);
