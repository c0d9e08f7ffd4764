//! Users: only an admin creates and lists them; each role carries its one link.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

db_test!(
    an_admin_creates_every_role_with_its_link,
    |app| async move {
        let c = cast(&app).await;
        let links: Vec<(&str, Value)> = vec![
            ("admin", json!({})),
            ("coordinator", json!({})),
            (
                "school_coordinator",
                json!({ "school_id": c.f.school["id"] }),
            ),
            ("faculty", json!({ "school_id": c.f.other_school["id"] })),
            ("student", json!({ "student_id": c.f.student["id"] })),
            ("preceptor", json!({ "staff_id": c.preceptor_staff["id"] })),
            (
                "department_manager",
                json!({ "staff_id": c.manager_staff["id"] }),
            ),
        ];
        for (role, link) in links {
            let email = format!("New.{role}@Test.example");
            let mut body = json!({ "email": email, "name": format!("New {role}"), "role": role, "password": PASSWORD });
            for (k, v) in link.as_object().unwrap() {
                body[k] = v.clone();
            }
            let user = app.create(&c.admin, "/api/v1/users", &body).await;
            assert_eq!(user["email"], email.to_lowercase());
            assert_eq!(user["role"], role);
            for (k, v) in link.as_object().unwrap() {
                assert_eq!(&user[k], v, "{role}");
            }
            for secret in ["password", "password_hash"] {
                assert!(user.get(secret).is_none(), "{role}: {secret}");
            }
            let got = app
                .get_ok(&c.admin, &format!("/api/v1/users/{}", id(&user)))
                .await;
            assert_eq!(got, user);
            // The new user signs in with their password and sees their links.
            let signed_in = app.login(&email, PASSWORD).await;
            let me = app.get_ok(&signed_in, "/api/v1/me").await;
            assert_eq!(me["id"], user["id"]);
            assert_eq!(me["role"], role);
            for (k, v) in link.as_object().unwrap() {
                assert_eq!(&me[k], v, "{role}");
            }
        }
        // Without a password, the user exists but cannot sign in.
        let quiet = app
        .create(
            &c.admin,
            "/api/v1/users",
            &json!({ "email": "nopass@test.example", "name": "No Pass", "role": "coordinator" }),
        )
        .await;
        assert_eq!(quiet["role"], "coordinator");
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": "nopass@test.example", "password": "anything-at-all" }),
            )
            .await;
        expect_problem(res, 401, &["unauthenticated"]).await;
    }
);

db_test!(only_an_admin_touches_users, |app| async move {
    let c = cast(&app).await;
    let me = format!("/api/v1/users/{}", c.office.user["id"].as_str().unwrap());
    let mut everyone = c.outsiders();
    everyone.push(("coordinator", &c.office));
    for (role, who) in everyone {
        for res in [
            app.get(who, "/api/v1/users").await,
            app.get(who, &me).await,
            app.post(
                who,
                "/api/v1/users",
                &json!({ "email": "x@test.example", "name": "X", "role": "admin", "password": PASSWORD }),
            )
            .await,
        ] {
            let body = expect_status(res, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
    // Nobody became an admin.
    let res = app
        .post_anon(
            "/api/v1/auth/login",
            &json!({ "email": "x@test.example", "password": PASSWORD }),
        )
        .await;
    expect_problem(res, 401, &["unauthenticated"]).await;
    for path in [
        format!("/api/v1/users/{NO_SUCH_ID}"),
        "/api/v1/users/admin".to_string(),
    ] {
        expect_problem(app.get(&c.admin, &path).await, 404, &["not_found"]).await;
    }
});

db_test!(bad_user_input_is_refused_with_its_code, |app| async move {
    let c = cast(&app).await;
    let base = |extra: Value| {
        let mut b = json!({ "email": "new@test.example", "name": "New", "role": "coordinator", "password": PASSWORD });
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (json!({}), vec!["required", "required", "required"]),
        (base(json!({ "email": "new" })), vec!["invalid_email"]),
        (base(json!({ "role": "superuser" })), vec!["invalid_choice"]),
        (base(json!({ "role": "Admin" })), vec!["invalid_choice"]),
        (base(json!({ "password": "short" })), vec!["weak_password"]),
        (
            base(json!({ "password": "x".repeat(1001) })),
            vec!["weak_password"],
        ),
        (
            base(json!({ "password": 1234567890 })),
            vec!["invalid_type"],
        ),
        (base(json!({ "is_admin": true })), vec!["unknown_field"]),
        (
            base(json!({ "password_hash": "$argon2id$..." })),
            vec!["unknown_field"],
        ),
        (
            base(json!({ "role": "school_coordinator" })),
            vec!["link_required"],
        ),
        (base(json!({ "role": "faculty" })), vec!["link_required"]),
        (base(json!({ "role": "student" })), vec!["link_required"]),
        (base(json!({ "role": "preceptor" })), vec!["link_required"]),
        (
            base(json!({ "role": "department_manager" })),
            vec!["link_required"],
        ),
        (
            base(json!({ "school_id": c.f.school["id"] })),
            vec!["link_not_allowed"],
        ),
        (
            base(
                json!({ "role": "student", "student_id": c.f.student["id"], "staff_id": c.preceptor_staff["id"] }),
            ),
            vec!["link_not_allowed"],
        ),
        (
            base(json!({ "role": "school_coordinator", "school_id": NO_SUCH_ID })),
            vec!["unknown_reference"],
        ),
        (
            base(json!({ "role": "student", "student_id": NO_SUCH_ID })),
            vec!["unknown_reference"],
        ),
        (
            base(json!({ "role": "preceptor", "staff_id": NO_SUCH_ID })),
            vec!["unknown_reference"],
        ),
        (
            base(json!({ "role": "school_coordinator", "school_id": "north" })),
            vec!["invalid_id"],
        ),
        (
            json!({ "email": "bad", "name": "", "role": "school_coordinator", "password": "short", "team": "x" }),
            vec![
                "invalid_email",
                "required",
                "weak_password",
                "link_required",
                "unknown_field",
            ],
        ),
    ];
    for (body, expected) in cases {
        expect_problem(
            app.post(&c.admin, "/api/v1/users", &body).await,
            422,
            &expected,
        )
        .await;
    }
    // Each refusal stored nothing: the address is still free.
    app.create(&c.admin, "/api/v1/users", &base(json!({})))
        .await;
    let body = expect_problem(
        app.post(
            &c.admin,
            "/api/v1/users",
            &base(json!({ "email": "NEW@test.example", "role": "admin" })),
        )
        .await,
        409,
        &["conflict"],
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
});

db_test!(users_list_filters_by_role_and_name, |app| async move {
    let c = cast(&app).await;
    let all = app.all_pages(&c.admin, "/api/v1/users", 3).await;
    assert_eq!(
        all.len(),
        8,
        "one user per role in the cast, two school coordinators"
    );
    assert!(all.iter().all(|u| u.get("password_hash").is_none()));
    let schools = app
        .get_ok(&c.admin, "/api/v1/users?role=school_coordinator")
        .await;
    let mut got = ids(&schools);
    got.sort();
    let mut want = vec![
        c.school.user["id"].as_str().unwrap().to_string(),
        c.other_school.user["id"].as_str().unwrap().to_string(),
    ];
    want.sort();
    assert_eq!(got, want);
    let by_email = app
        .get_ok(
            &c.admin,
            &format!(
                "/api/v1/users?q={}",
                c.student.user["email"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(ids(&by_email), [c.student.user["id"].as_str().unwrap()]);
    // An address with an underscore is found by its underscore.
    let by_role_word = app
        .get_ok(&c.admin, "/api/v1/users?q=school_coordinator-")
        .await;
    assert_eq!(items(&by_role_word).len(), 2);
    let by_name = app
        .get_ok(&c.admin, "/api/v1/users?q=test%20preceptor")
        .await;
    assert_eq!(ids(&by_name), [c.preceptor.user["id"].as_str().unwrap()]);
    expect_problem(
        app.get(&c.admin, "/api/v1/users?role=root").await,
        422,
        &["invalid_choice"],
    )
    .await;
});
