//! Schools: the office runs them; a school coordinator sees their own school only.
use crate::db_test;
use crate::helpers::*;
use serde_json::json;

db_test!(
    the_office_creates_reads_and_changes_schools,
    |app| async move {
        let c = cast(&app).await;
        for (role, who) in c.office_roles() {
            let s = app
                .create(
                    who,
                    "/api/v1/schools",
                    &json!({ "name": format!("{role} College"), "city": "Lowell", "state": "MA" }),
                )
                .await;
            let path = format!("/api/v1/schools/{}", id(&s));
            assert_eq!(app.get_ok(who, &path).await, s);
            let changed = expect_status(
                app.patch(who, &path, &json!({ "city": "Worcester" })).await,
                200,
            )
            .await;
            assert_eq!(changed["city"], "Worcester");
            assert_eq!(changed["name"], format!("{role} College"));
            assert_eq!(changed["state"], "MA");
            assert_eq!(app.get_ok(who, &path).await, changed);
        }
        let all = app.get_ok(&c.office, "/api/v1/schools").await;
        assert_eq!(items(&all).len(), 4);
    }
);

db_test!(
    a_school_coordinator_sees_only_their_school,
    |app| async move {
        let c = cast(&app).await;
        let own = format!("/api/v1/schools/{}", id(&c.f.school));
        let other = format!("/api/v1/schools/{}", id(&c.f.other_school));
        assert_eq!(app.get_ok(&c.school, &own).await, c.f.school);
        expect_problem(app.get(&c.school, &other).await, 404, &["not_found"]).await;
        expect_problem(
            app.get(&c.school, &format!("/api/v1/schools/{NO_SUCH_ID}"))
                .await,
            404,
            &["not_found"],
        )
        .await;
        assert_eq!(
            ids(&app.get_ok(&c.school, "/api/v1/schools").await),
            [id(&c.f.school)]
        );
        assert_eq!(
            ids(&app.get_ok(&c.other_school, "/api/v1/schools").await),
            [id(&c.f.other_school)]
        );
        let found = app.get_ok(&c.school, "/api/v1/schools?q=south").await;
        assert!(items(&found).is_empty(), "q cannot reach another school");
        // Reading is all.
        for res in [
            app.patch(&c.school, &own, &json!({ "name": "Renamed" }))
                .await,
            app.post(
                &c.school,
                "/api/v1/schools",
                &json!({ "name": "New", "city": "A", "state": "MA" }),
            )
            .await,
        ] {
            expect_problem(res, 403, &["forbidden"]).await;
        }
        assert_eq!(app.get_ok(&c.office, &own).await["name"], "North College");
    }
);

db_test!(other_roles_never_see_schools, |app| async move {
    let c = cast(&app).await;
    let path = format!("/api/v1/schools/{}", id(&c.f.school));
    for (role, who) in c.outsiders() {
        if role == "school_coordinator" {
            continue;
        }
        for res in [
            app.get(who, "/api/v1/schools").await,
            app.get(who, &path).await,
            app.post(
                who,
                "/api/v1/schools",
                &json!({ "name": "X", "city": "A", "state": "MA" }),
            )
            .await,
            app.patch(who, &path, &json!({ "city": "X" })).await,
        ] {
            let body = expect_status(res, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
});

db_test!(
    unknown_and_malformed_school_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/schools/{NO_SUCH_ID}"),
            "/api/v1/schools/north-college".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "city": "X" })).await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(
    bad_school_input_is_refused_with_its_code,
    |app| async move {
        let office = app.coordinator().await;
        let cases = [
            (json!({}), vec!["required", "required", "required"]),
            (
                json!({ "name": "S", "city": "", "state": null }),
                vec!["required", "required"],
            ),
            (
                json!({ "name": "S", "city": 3, "state": true }),
                vec!["invalid_type", "invalid_type"],
            ),
            (
                json!({ "name": "S".repeat(501), "city": "C", "state": "MA" }),
                vec!["too_long"],
            ),
            (
                json!({ "name": "S", "city": "C", "state": "MA", "country": "US" }),
                vec!["unknown_field"],
            ),
        ];
        for (body, expected) in cases {
            expect_problem(
                app.post(&office, "/api/v1/schools", &body).await,
                422,
                &expected,
            )
            .await;
        }
        let s = app
            .create(
                &office,
                "/api/v1/schools",
                &json!({ "name": "North", "city": "Salem", "state": "MA" }),
            )
            .await;
        let path = format!("/api/v1/schools/{}", id(&s));
        expect_problem(
            app.patch(&office, &path, &json!({ "name": "", "zip": "01970" }))
                .await,
            422,
            &["required", "unknown_field"],
        )
        .await;
        assert_eq!(app.get_ok(&office, &path).await, s);
        // Names are unique.
        let body = expect_problem(
            app.post(
                &office,
                "/api/v1/schools",
                &json!({ "name": "North", "city": "Boston", "state": "MA" }),
            )
            .await,
            409,
            &["conflict"],
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "name");
        let south = app
            .create(
                &office,
                "/api/v1/schools",
                &json!({ "name": "South", "city": "Quincy", "state": "MA" }),
            )
            .await;
        expect_problem(
            app.patch(
                &office,
                &format!("/api/v1/schools/{}", id(&south)),
                &json!({ "name": "North" }),
            )
            .await,
            409,
            &["conflict"],
        )
        .await;
    }
);

db_test!(schools_filter_by_name, |app| async move {
    let office = app.coordinator().await;
    for name in ["Bay State College", "Bay Path University", "Salem State"] {
        app.create(
            &office,
            "/api/v1/schools",
            &json!({ "name": name, "city": "X", "state": "MA" }),
        )
        .await;
    }
    let count = |v: serde_json::Value| items(&v).len();
    assert_eq!(count(app.get_ok(&office, "/api/v1/schools?q=bay").await), 2);
    assert_eq!(
        count(app.get_ok(&office, "/api/v1/schools?q=STATE").await),
        2
    );
    assert_eq!(
        count(app.get_ok(&office, "/api/v1/schools?q=%20path%20").await),
        1
    );
    assert_eq!(
        count(app.get_ok(&office, "/api/v1/schools?q=yale").await),
        0
    );
});
