//! Two-step sign-in (issue 13 point 4): enrol a TOTP authenticator, confirm it, sign in with a
//! code, a wrong one, a reused one, a recovery code once, disable; code attempts throttled per
//! account; required of admins and coordinators by the office's setting (API 403 until they
//! enrol, pages sent to enrolment). Codes are computed here with totp-rs from the secret the
//! enrolment answered, at the test clock's time (`app.clock`).
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use serde_json::json;

/// The code an authenticator holding `secret` shows at the test clock's instant, moved by
/// `offset_steps` time steps of 30 s.
pub fn code_at(app: &TestApp, secret: &str, offset_steps: i64) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret).expect("a base32 secret");
    let totp = totp_rs::Builder::new()
        .with_secret(bytes)
        .build()
        .expect("an RFC 6238 authenticator");
    let t = app.clock.now().timestamp() + offset_steps * 30;
    totp.generate(t as u64).to_string()
}

/// Enrols `who` and confirms with the current code: (secret, recovery codes).
pub async fn enrol(app: &TestApp, who: &Caller) -> (String, Vec<String>) {
    let e = expect_status(app.post(who, "/api/v1/me/mfa/totp", &json!({})).await, 201).await;
    let secret = e["secret"].as_str().expect("the secret").to_string();
    let code = code_at(app, &secret, 0);
    let r = expect_status(
        app.post(who, "/api/v1/me/mfa/totp/confirm", &json!({ "code": code }))
            .await,
        200,
    )
    .await;
    let codes = r["recovery_codes"]
        .as_array()
        .expect("recovery codes")
        .iter()
        .map(|c| c.as_str().expect("text").to_string())
        .collect();
    (secret, codes)
}

/// A right password for a user with an authenticator: the 401 `mfa_required` and its token.
pub async fn password_step(app: &TestApp, email: &str) -> String {
    let res = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": DEMO_PASSWORD }),
        )
        .await;
    let body = expect_problem(res, 401, &["mfa_required"]).await;
    assert!(body["expires_in"].as_i64().unwrap_or(0) > 0, "{body}");
    body["mfa_token"]
        .as_str()
        .expect("an mfa_token")
        .to_string()
}

pub async fn second_step(app: &TestApp, mfa_token: &str, code: &str) -> reqwest::Response {
    app.post_anon(
        "/api/v1/auth/login/mfa",
        &json!({ "mfa_token": mfa_token, "code": code }),
    )
    .await
}

pub fn email(who: &Caller) -> String {
    who.user["email"].as_str().expect("an email").to_string()
}

fn step() -> chrono::Duration {
    chrono::Duration::seconds(30)
}

db_test!(enrol_sign_in_with_codes_and_disable, |app| async move {
    let who = app.coordinator().await;
    let status = app.get_ok(&who, "/api/v1/me/mfa").await;
    assert_eq!(status["totp_enabled"], false, "{status}");
    assert_eq!(status["required"], false, "{status}");

    // Enrol: a secret, its otpauth URL and a QR code drawn by the server.
    let e = expect_status(app.post(&who, "/api/v1/me/mfa/totp", &json!({})).await, 201).await;
    let secret = e["secret"].as_str().expect("secret").to_string();
    assert!(
        e["otpauth_url"]
            .as_str()
            .unwrap_or("")
            .starts_with("otpauth://totp/"),
        "{e}"
    );
    assert!(
        e["otpauth_url"].as_str().unwrap_or("").contains(&secret),
        "{e}"
    );
    assert!(
        e["qr_svg"].as_str().unwrap_or("").starts_with("<svg"),
        "{e}"
    );
    // Until confirmed, the password alone still signs in.
    app.login(&email(&who), DEMO_PASSWORD).await;

    // A wrong first code does not confirm; a right one answers ten distinct recovery codes.
    let wrong = format!(
        "{:06}",
        (code_at(&app, &secret, 0).parse::<u32>().unwrap_or(0) + 1) % 1_000_000
    );
    expect_problem(
        app.post(
            &who,
            "/api/v1/me/mfa/totp/confirm",
            &json!({ "code": wrong }),
        )
        .await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    let code = code_at(&app, &secret, 0);
    let confirm = || {
        app.client
            .post(app.url("/api/v1/me/mfa/totp/confirm"))
            .bearer_auth(&who.token)
            .header("idempotency-key", "confirm-1")
            .json(&json!({ "code": code }))
            .send()
    };
    let r = expect_status(confirm().await.expect("request"), 200).await;
    let recovery: Vec<String> = r["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(recovery.len(), 10, "{r}");
    // The codes are shown once: an Idempotency-Key does not keep them for a replay.
    let again = confirm().await.expect("request");
    assert!(again.headers().get("idempotent-replayed").is_none());
    expect_problem(again, 409, &["mfa_already_enabled"]).await;
    let distinct: std::collections::HashSet<_> = recovery.iter().collect();
    assert_eq!(distinct.len(), 10);
    let status = app.get_ok(&who, "/api/v1/me/mfa").await;
    assert_eq!(status["totp_enabled"], true, "{status}");
    assert_eq!(status["recovery_codes_left"], 10, "{status}");
    assert!(
        !status.to_string().contains(&secret),
        "the secret is never answered again"
    );
    // Starting again while on is refused: the secret is never shown again.
    expect_problem(
        app.post(&who, "/api/v1/me/mfa/totp", &json!({})).await,
        409,
        &["mfa_already_enabled"],
    )
    .await;

    // Sign-in now asks for a code. The code that confirmed was of this step: refused as reused.
    let challenge = password_step(&app, &email(&who)).await;
    expect_problem(
        second_step(&app, &challenge, &code).await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    // A wrong code is refused; the challenge stays good.
    expect_problem(
        second_step(&app, &challenge, &wrong).await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    expect_problem(
        second_step(&app, &challenge, "not a code").await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    // The next step's code signs in, and the answer is the login's.
    app.clock.advance(step());
    let next = code_at(&app, &secret, 0);
    let body = expect_status(second_step(&app, &challenge, &next).await, 200).await;
    assert_eq!(body["user"]["email"], email(&who), "{body}");
    let signed_in = Caller {
        token: body["token"].as_str().expect("token").to_string(),
        user: body["user"].clone(),
    };
    assert_eq!(
        app.get_ok(&signed_in, "/api/v1/me").await["id"],
        who.user["id"]
    );
    // The challenge is spent.
    app.clock.advance(step());
    let later = code_at(&app, &secret, 0);
    expect_problem(
        second_step(&app, &challenge, &later).await,
        401,
        &["unauthenticated"],
    )
    .await;

    // The same code again, in a new sign-in: refused. So is the step before (inside the ±1
    // window, but not after the last one used); the current one is accepted.
    let challenge = password_step(&app, &email(&who)).await;
    expect_problem(
        second_step(&app, &challenge, &next).await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    expect_status(second_step(&app, &challenge, &later).await, 200).await;

    // A recovery code signs in once (typed in capitals, without its dash), and only once.
    let challenge = password_step(&app, &email(&who)).await;
    let typed = recovery[3].replace('-', "").to_uppercase();
    expect_status(second_step(&app, &challenge, &typed).await, 200).await;
    let challenge = password_step(&app, &email(&who)).await;
    expect_problem(
        second_step(&app, &challenge, &recovery[3]).await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    assert_eq!(
        app.get_ok(&who, "/api/v1/me/mfa").await["recovery_codes_left"],
        9
    );

    // A challenge lasts five minutes.
    app.clock.advance(chrono::Duration::minutes(6));
    let fresh = code_at(&app, &secret, 0);
    expect_problem(
        second_step(&app, &challenge, &fresh).await,
        401,
        &["unauthenticated"],
    )
    .await;

    // Disabling takes a right code; then the password alone signs in again.
    expect_problem(
        app.post(
            &who,
            "/api/v1/me/mfa/totp/disable",
            &json!({ "code": wrong }),
        )
        .await,
        422,
        &["mfa_code_invalid"],
    )
    .await;
    expect_status(
        app.post(
            &who,
            "/api/v1/me/mfa/totp/disable",
            &json!({ "code": fresh }),
        )
        .await,
        204,
    )
    .await;
    expect_problem(
        app.post(
            &who,
            "/api/v1/me/mfa/totp/disable",
            &json!({ "code": fresh }),
        )
        .await,
        409,
        &["mfa_not_enabled"],
    )
    .await;
    app.login(&email(&who), DEMO_PASSWORD).await;
    let status = app.get_ok(&who, "/api/v1/me/mfa").await;
    assert_eq!(status["totp_enabled"], false, "{status}");
    assert_eq!(status["recovery_codes_left"], 0, "{status}");
});

db_test_with!(
    code_attempts_are_throttled_per_account,
    |c| c.login_max_failures = 3,
    |app| async move {
        let who = app.admin().await;
        let other = app.coordinator().await;
        let (secret, _) = enrol(&app, &who).await;
        let (other_secret, _) = enrol(&app, &other).await;
        app.clock.advance(step());
        let challenge = password_step(&app, &email(&who)).await;
        for _ in 0..3 {
            expect_problem(
                second_step(&app, &challenge, "000000").await,
                422,
                &["mfa_code_invalid"],
            )
            .await;
        }
        // Locked: even the right code waits.
        let right = code_at(&app, &secret, 0);
        let res = second_step(&app, &challenge, &right).await;
        assert!(res.headers().get("retry-after").is_some());
        expect_problem(res, 429, &["too_many_attempts"]).await;
        // Another account is not held up by this one's failures.
        let theirs = password_step(&app, &email(&other)).await;
        expect_status(
            second_step(&app, &theirs, &code_at(&app, &other_secret, 0)).await,
            200,
        )
        .await;
        // Once the wait is over, the right code signs in and clears the count.
        app.clock.advance(chrono::Duration::seconds(2));
        expect_status(second_step(&app, &challenge, &right).await, 200).await;
    }
);

/// A session cookie and the sign-in page's CSRF cookie, from the sign-in form: the answer to
/// the password step (a redirect home, or the page of the second step).
async fn page_password(app: &TestApp, email: &str) -> (reqwest::Response, String) {
    let res = app
        .client
        .get(app.url("/login"))
        .send()
        .await
        .expect("request");
    let pre = cookies(&res);
    let html = res.text().await.expect("the sign-in page");
    let csrf = field_value(&html, "csrf_token");
    let res = app
        .client
        .post(app.url("/login"))
        .header("origin", app.url(""))
        .header("cookie", &pre)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .expect("request");
    (res, pre)
}

pub fn cookies(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn field_value(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("a {name} field: {html}"))
        .to_string()
}

async fn page_get(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

db_test!(
    required_by_the_setting_for_admin_and_coordinator,
    |app| async move {
        let admin = app.admin().await;
        let coordinator = app.coordinator().await;
        let school = app
            .create(
                &admin,
                "/api/v1/schools",
                &json!({ "name": "North College", "city": "Oslo", "state": "NA" }),
            )
            .await;
        let school_user = app
            .user("school_coordinator", json!({ "school_id": id(&school) }))
            .await;
        let s = expect_status(
            app.patch(
                &admin,
                "/api/v1/settings",
                &json!({ "require_mfa_for_office": true }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(s["require_mfa_for_office"], true, "{s}");

        // The API: 403 mfa_enrollment_required on anything but enrolling, for both office roles.
        for who in [&admin, &coordinator] {
            expect_problem(
                app.get(who, "/api/v1/students").await,
                403,
                &["mfa_enrollment_required"],
            )
            .await;
            expect_problem(
                app.get(who, "/api/v1/settings").await,
                403,
                &["mfa_enrollment_required"],
            )
            .await;
            assert_eq!(app.get_ok(who, "/api/v1/me").await["id"], who.user["id"]);
            assert_eq!(app.get_ok(who, "/api/v1/me/mfa").await["required"], true);
        }
        // Other roles are not held up.
        expect_status(app.get(&school_user, "/api/v1/students").await, 200).await;
        assert_eq!(
            app.get_ok(&school_user, "/api/v1/me/mfa").await["required"],
            false
        );

        // The pages: every page sends the admin to enrol; the enrolment page itself opens.
        let (res, _) = page_password(&app, &email(&admin)).await;
        assert_eq!(res.status(), 303);
        let session = cookies(&res);
        for path in ["/", "/students", "/settings", "/profile"] {
            let res = page_get(&app, &session, path).await;
            assert_eq!(res.status(), 303, "{path}");
            assert_eq!(location(&res), "/profile/mfa", "{path}");
        }
        let html = expect_page(page_get(&app, &session, "/profile/mfa").await, 200).await;
        assert!(html.contains("requires two-step sign-in"), "{html}");
        // Enrol through the page: start, scan (the QR code is an inline SVG), confirm.
        let csrf = field_value(&html, "csrf_token");
        let res = app
            .client
            .post(app.url("/profile/mfa/start"))
            .header("cookie", &session)
            .header("origin", app.url(""))
            .form(&[("csrf_token", csrf.as_str())])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 303);
        let html = expect_page(page_get(&app, &session, "/profile/mfa").await, 200).await;
        assert!(html.contains("<svg"), "{html}");
        let secret = html
            .split("<code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .expect("the key to type")
            .to_string();
        let code = code_at(&app, &secret, 0);
        let res = app
            .client
            .post(app.url("/profile/mfa/confirm"))
            .header("cookie", &session)
            .header("origin", app.url(""))
            .form(&[("csrf_token", csrf.as_str()), ("code", code.as_str())])
            .send()
            .await
            .expect("request");
        let html = expect_page(res, 200).await;
        assert_eq!(
            html.matches("<li><code>").count(),
            10,
            "ten recovery codes: {html}"
        );
        // Enrolled: pages and the API open.
        expect_page(page_get(&app, &session, "/").await, 200).await;
        expect_status(app.get(&admin, "/api/v1/students").await, 200).await;
        // The coordinator enrols over the API; then the API opens for them too.
        enrol(&app, &coordinator).await;
        expect_status(app.get(&coordinator, "/api/v1/students").await, 200).await;

        // Signing in on the page now asks for the code after the password.
        app.clock.advance(step());
        let (res, pre) = page_password(&app, &email(&admin)).await;
        let html = expect_page(res, 200).await;
        assert!(html.contains("name=\"mfa_token\""), "{html}");
        let token = field_value(&html, "mfa_token");
        let csrf = field_value(&html, "csrf_token");
        let post_code = |code: String| {
            let (pre, token, csrf) = (pre.clone(), token.clone(), csrf.clone());
            let app = &app;
            async move {
                app.client
                    .post(app.url("/login/mfa"))
                    .header("cookie", pre)
                    .header("origin", app.url(""))
                    .form(&[("csrf_token", csrf), ("mfa_token", token), ("code", code)])
                    .send()
                    .await
                    .expect("request")
            }
        };
        let html = expect_page(post_code("000000".into()).await, 422).await;
        assert!(html.contains("not right"), "{html}");
        let res = post_code(code_at(&app, &secret, 0)).await;
        assert_eq!(res.status(), 303);
        let session = cookies(&res);
        assert!(session.contains("practicum_session="), "{session}");
        expect_page(page_get(&app, &session, "/").await, 200).await;
    }
);

// The profile page links to two-step sign-in for any role; the settings page shows the switch.
db_test!(the_pages_show_two_step_sign_in, |app| async move {
    let admin = app.admin().await;
    let (res, _) = page_password(&app, &email(&admin)).await;
    let session = cookies(&res);
    let html = expect_page(page_get(&app, &session, "/profile").await, 200).await;
    assert!(html.contains("href=\"/profile/mfa\""), "{html}");
    let html = expect_page(page_get(&app, &session, "/settings").await, 200).await;
    assert!(html.contains("name=\"require_mfa_for_office\""), "{html}");
    let html = expect_page(page_get(&app, &session, "/profile/mfa").await, 200).await;
    assert!(html.contains("Set up two-step sign-in"), "{html}");
});
