//! Invitations and passwords (issue 14 point 2): the office invites a student, a staff member,
//! a user, one or many at once; the e-mailed link (the public base URL, 7 days, once) sets the
//! password and signs the person in, linked to their record; "Forgot your password?" answers
//! the same for any address, is throttled, and its link works once for an hour and ends every
//! earlier session; changing one's password needs the current one and ends the other sessions;
//! "sign out everywhere" ends them all.
use crate::db_test;
use crate::helpers::*;
use crate::notifications::mail_containing;
use serde_json::{Value, json};

const BASE: &str = "https://placements.harbor.example/edu";

async fn set_base(app: &TestApp, admin: &Caller) {
    expect_status(
        app.patch(
            admin,
            "/api/v1/settings",
            &json!({ "public_base_url": BASE }),
        )
        .await,
        200,
    )
    .await;
}

/// The token of the newest link to `path_prefix` (e.g. "/invitations/") in mail to `email`.
async fn link_token(app: &TestApp, email: &str, path_prefix: &str) -> String {
    let needle = format!("{BASE}{path_prefix}");
    let mail = mail_containing(app, email).await;
    let mut tokens: Vec<String> = mail
        .iter()
        .filter(|m| m.contains(&needle))
        .filter_map(|m| {
            let start = m.find(&needle)? + needle.len();
            Some(
                m[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect(),
            )
        })
        .collect();
    tokens.sort();
    tokens.dedup();
    assert!(!tokens.is_empty(), "no link {needle} in {mail:?}");
    tokens.pop().unwrap()
}

async fn all_tokens(app: &TestApp, email: &str, path_prefix: &str) -> Vec<String> {
    let needle = format!("{BASE}{path_prefix}");
    mail_containing(app, email)
        .await
        .iter()
        .filter_map(|m| {
            let start = m.find(&needle)? + needle.len();
            Some(
                m[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>(),
            )
        })
        .collect()
}

db_test!(
    an_invited_student_sets_a_password_and_is_signed_in_linked_to_their_record,
    |app| async move {
        let admin = app.admin().await;
        set_base(&app, &admin).await;
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let sid = id(&f.student);
        let email = f.student["email"].as_str().unwrap().to_string();

        let inv = expect_status(
            app.post(
                &office,
                &format!("/api/v1/students/{sid}/invitation"),
                &json!({}),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(inv["email"], email);
        assert_eq!(inv["role"], "student");
        let first = link_token(&app, &email, "/invitations/").await;
        // Invited again: only the newest link works.
        expect_status(
            app.post(
                &office,
                &format!("/api/v1/students/{sid}/invitation"),
                &json!({}),
            )
            .await,
            201,
        )
        .await;
        let tokens = poll(std::time::Duration::from_secs(10), || {
            let app = &app;
            let email = email.clone();
            async move {
                let t = all_tokens(app, &email, "/invitations/").await;
                (t.len() >= 2).then_some(t)
            }
        })
        .await;
        let second = tokens.into_iter().find(|t| *t != first).unwrap();
        let accept = |token: String, password: &'static str| {
            let app = &app;
            async move {
                app.post_anon(
                    &format!("/api/v1/invitations/{token}/accept"),
                    &json!({ "password": password }),
                )
                .await
            }
        };
        expect_problem(
            accept(first, "a-long-enough-password").await,
            404,
            &["not_found"],
        )
        .await;
        // A weak password is refused and the link still works.
        expect_problem(
            accept(second.clone(), "password123").await,
            422,
            &["password_breached"],
        )
        .await;
        let body = expect_status(accept(second.clone(), "a-long-enough-password").await, 200).await;
        assert_eq!(body["email"], email);
        assert_eq!(
            body["user"]["student_id"], sid,
            "linked to the record: {body}"
        );
        let me = Caller {
            token: body["token"].as_str().unwrap().to_string(),
            user: body["user"].clone(),
        };
        let profile = app.get_ok(&me, &format!("/api/v1/students/{sid}")).await;
        assert_eq!(profile["id"], sid);
        // The link worked once; the person now signs in with the password.
        expect_problem(
            accept(second, "another-long-password").await,
            404,
            &["not_found"],
        )
        .await;
        app.login(&email, "a-long-enough-password").await;
        // Signed up: another invitation is refused, in words.
        expect_problem(
            app.post(
                &office,
                &format!("/api/v1/students/{sid}/invitation"),
                &json!({}),
            )
            .await,
            409,
            &["already_signed_up"],
        )
        .await;
    }
);

db_test!(
    an_invitation_link_runs_out_after_seven_days,
    |app| async move {
        let admin = app.admin().await;
        set_base(&app, &admin).await;
        let f = fixture(&app, &admin).await;
        let sid = id(&f.student);
        let email = f.student["email"].as_str().unwrap().to_string();
        expect_status(
            app.post(
                &admin,
                &format!("/api/v1/students/{sid}/invitation"),
                &json!({}),
            )
            .await,
            201,
        )
        .await;
        let token = link_token(&app, &email, "/invitations/").await;
        app.clock
            .advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));
        let res = app
            .post_anon(
                &format!("/api/v1/invitations/{token}/accept"),
                &json!({ "password": "a-long-enough-password" }),
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;
    }
);

db_test!(
    only_the_office_invites_and_staff_get_the_role_asked_for,
    |app| async move {
        let c = cast(&app).await;
        let sid = id(&c.f.student);
        for (_, who) in c.outsiders() {
            let res = app
                .post(
                    who,
                    &format!("/api/v1/students/{sid}/invitation"),
                    &json!({}),
                )
                .await;
            assert_eq!(res.status(), 403);
        }
        // Users are invited by an admin only.
        let uid = c.faculty.user["id"].as_str().unwrap().to_string();
        let res = app
            .post(
                &c.office,
                &format!("/api/v1/users/{uid}/invitation"),
                &json!({}),
            )
            .await;
        expect_problem(res, 403, &["forbidden"]).await;
        // Unknown records answer 404.
        let res = app
            .post(
                &c.office,
                "/api/v1/students/00000000-0000-0000-0000-000000000000/invitation",
                &json!({}),
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;

        // A staff member without an account: the account is made with the role asked for.
        let dept = id(&c.f.department);
        let mentor = app
            .create(
                &c.office,
                "/api/v1/staff",
                &json!({ "name": "Dana Mentor", "email": "dana.mentor@hospital.example", "department_id": dept,
                         "is_preceptor": false }),
            )
            .await;
        let res = app
            .post(
                &c.office,
                &format!("/api/v1/staff/{}/invitation", id(&mentor)),
                &json!({ "role": "admin" }),
            )
            .await;
        expect_problem(res, 422, &["invalid_choice"]).await;
        let inv = expect_status(
            app.post(
                &c.office,
                &format!("/api/v1/staff/{}/invitation", id(&mentor)),
                &json!({ "role": "department_manager" }),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(inv["role"], "department_manager");
        let user = app
            .get_ok(
                &c.admin,
                &format!("/api/v1/users/{}", inv["user_id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(user["staff_id"], id(&mentor));
    }
);

db_test!(
    many_are_invited_at_once_and_those_who_cannot_be_are_named,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let second = app
            .create(
                &office,
                "/api/v1/students",
                &json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": "Ben",
                         "last_name": "Okafor", "email": "ben.okafor@north.edu" }),
            )
            .await;
        let unknown = "00000000-0000-0000-0000-000000000000";
        let body = expect_status(
            app.post(
                &office,
                "/api/v1/invitations",
                &json!({ "student_ids": [id(&f.student), id(&second), unknown] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(body["invited"].as_array().unwrap().len(), 2, "{body}");
        let not: &Vec<Value> = body["not_invited"].as_array().unwrap();
        assert_eq!(not.len(), 1, "{body}");
        assert_eq!(not[0]["id"], unknown);
        assert_eq!(not[0]["code"], "not_found");
        expect_problem(
            app.post(&office, "/api/v1/invitations", &json!({})).await,
            422,
            &["required"],
        )
        .await;
    }
);

db_test!(
    a_forgotten_password_is_reset_once_within_the_hour_and_ends_every_session,
    |app| async move {
        let admin = app.admin().await;
        set_base(&app, &admin).await;
        let who = app.coordinator().await;
        let email = who.user["email"].as_str().unwrap().to_string();
        let other_session = app.login(&email, DEMO_PASSWORD).await;
        // The same answer for an address with an account and for one without.
        for address in [email.as_str(), "nobody@nowhere.example"] {
            let res = app
                .post_anon("/api/v1/auth/password-reset", &json!({ "email": address }))
                .await;
            assert_eq!(res.status(), 202, "{address}");
            assert_eq!(res.text().await.unwrap(), "");
        }
        let token = link_token(&app, &email, "/password/reset/").await;
        let reset = |password: &'static str| {
            let app = &app;
            let token = token.clone();
            async move {
                app.post_anon(
                    &format!("/api/v1/auth/password-reset/{token}"),
                    &json!({ "password": password }),
                )
                .await
            }
        };
        expect_problem(reset("short").await, 422, &["weak_password"]).await;
        let body = expect_status(reset("a-brand-new-password").await, 200).await;
        assert!(body["token"].is_string(), "{body}");
        // Every earlier session ended; the old password no longer signs in.
        for s in [&who, &other_session] {
            expect_problem(app.get(s, "/api/v1/me").await, 401, &["unauthenticated"]).await;
        }
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": email, "password": DEMO_PASSWORD }),
            )
            .await;
        expect_problem(res, 401, &["unauthenticated"]).await;
        app.login(&email, "a-brand-new-password").await;
        // Once only.
        expect_problem(reset("yet-another-password").await, 404, &["not_found"]).await;

        // A link runs out after an hour.
        let res = app
            .post_anon("/api/v1/auth/password-reset", &json!({ "email": email }))
            .await;
        assert_eq!(res.status(), 202);
        let later = poll(std::time::Duration::from_secs(10), || {
            let app = &app;
            let email = email.clone();
            let used = token.clone();
            async move {
                all_tokens(app, &email, "/password/reset/")
                    .await
                    .into_iter()
                    .find(|t| *t != used)
            }
        })
        .await;
        app.clock.advance(chrono::Duration::minutes(61));
        let res = app
            .post_anon(
                &format!("/api/v1/auth/password-reset/{later}"),
                &json!({ "password": "a-fourth-new-password" }),
            )
            .await;
        expect_problem(res, 404, &["not_found"]).await;
    }
);

db_test!(
    reset_requests_are_throttled_alike_for_every_address,
    |app| async move {
        for address in ["someone@nowhere.example", "Admin@Test.Example"] {
            let mut last = 0;
            for _ in 0..4 {
                last = app
                    .post_anon("/api/v1/auth/password-reset", &json!({ "email": address }))
                    .await
                    .status()
                    .as_u16();
            }
            assert_eq!(last, 429, "{address}");
        }
    }
);

db_test!(
    changing_the_password_needs_the_current_one_and_ends_the_other_sessions,
    |app| async move {
        let who = app.coordinator().await;
        let email = who.user["email"].as_str().unwrap().to_string();
        let other = app.login(&email, DEMO_PASSWORD).await;
        // Both problems at once.
        let res = app
            .post(
                &who,
                "/api/v1/me/password",
                &json!({ "current_password": "not-my-password", "new_password": "short" }),
            )
            .await;
        expect_problem(res, 422, &["current_password_wrong", "weak_password"]).await;
        expect_status(
            app.post(
                &who,
                "/api/v1/me/password",
                &json!({ "current_password": DEMO_PASSWORD, "new_password": "a-changed-password" }),
            )
            .await,
            204,
        )
        .await;
        app.get_ok(&who, "/api/v1/me").await;
        expect_problem(
            app.get(&other, "/api/v1/me").await,
            401,
            &["unauthenticated"],
        )
        .await;
        app.login(&email, "a-changed-password").await;
        let mail = mail_containing(&app, "Your Practicum password was changed").await;
        assert!(mail.iter().any(|m| m.contains(&email)), "{mail:?}");

        // Sign out everywhere: this session too.
        let third = app.login(&email, "a-changed-password").await;
        let ended = expect_status(
            app.post(&third, "/api/v1/me/sessions/end-all", &json!({}))
                .await,
            200,
        )
        .await;
        assert!(ended["ended"].as_u64().unwrap() >= 2, "{ended}");
        for s in [&who, &third] {
            expect_problem(app.get(s, "/api/v1/me").await, 401, &["unauthenticated"]).await;
        }
    }
);

db_test!(
    a_reset_does_not_stand_in_for_the_second_step,
    |app| async move {
        let admin = app.admin().await;
        set_base(&app, &admin).await;
        let who = app.coordinator().await;
        let email = who.user["email"].as_str().unwrap().to_string();
        let (secret, _) = crate::mfa::enrol(&app, &who).await;
        app.clock.advance(chrono::Duration::seconds(30));
        let res = app
            .post_anon("/api/v1/auth/password-reset", &json!({ "email": email }))
            .await;
        assert_eq!(res.status(), 202);
        let token = link_token(&app, &email, "/password/reset/").await;
        let body = expect_status(
            app.post_anon(
                &format!("/api/v1/auth/password-reset/{token}"),
                &json!({ "password": "a-brand-new-password" }),
            )
            .await,
            200,
        )
        .await;
        // No session: the answer is a challenge for the authenticator's code.
        assert!(body["token"].is_null(), "{body}");
        let challenge = body["mfa_token"]
            .as_str()
            .expect("an mfa_token")
            .to_string();
        let code = crate::mfa::code_at(&app, &secret, 0);
        expect_status(crate::mfa::second_step(&app, &challenge, &code).await, 200).await;
    }
);
