//! Departments: the office runs them; a department manager reads their own.
use crate::db_test;
use crate::helpers::*;
use crate::rule_pages::{page, post_form};
use serde_json::{Value, json};

fn dept(site: &Value, name: &str) -> Value {
    json!({ "site_id": site["id"], "name": name, "setting": "inpatient", "capacity": 3,
            "disciplines": ["radiography"] })
}

db_test!(
    the_office_creates_reads_and_changes_departments,
    |app| async move {
        let c = cast(&app).await;
        for (role, who) in c.office_roles() {
            let d = app
                .create(who, "/api/v1/departments", &dept(&c.f.site, role))
                .await;
            assert_eq!(d["site_id"], c.f.site["id"]);
            assert_eq!(d["setting"], "inpatient");
            assert_eq!(d["capacity"], 3);
            assert_eq!(d["disciplines"], json!(["radiography"]));
            let path = format!("/api/v1/departments/{}", id(&d));
            assert_eq!(app.get_ok(who, &path).await, d);
            let changed = expect_status(
                app.patch(
                    who,
                    &path,
                    &json!({ "capacity": 0, "setting": "critical_care",
                         "disciplines": ["respiratory_therapy", "radiography", "radiography"] }),
                )
                .await,
                200,
            )
            .await;
            assert_eq!(changed["capacity"], 0, "a closed department has 0 seats");
            assert_eq!(changed["setting"], "critical_care");
            assert_eq!(changed["name"], role, "untouched fields stay");
            let stored = app.get_ok(who, &path).await;
            let mut hosted: Vec<&str> = stored["disciplines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
                .collect();
            hosted.sort();
            assert_eq!(hosted, ["radiography", "respiratory_therapy"]);
            // The list replaces the old one.
            let fewer = expect_status(
                app.patch(who, &path, &json!({ "disciplines": ["radiography"] }))
                    .await,
                200,
            )
            .await;
            assert_eq!(fewer["disciplines"], json!(["radiography"]));
            assert_eq!(app.get_ok(who, &path).await, fewer);
        }
    }
);

db_test!(
    a_department_manager_reads_only_their_own,
    |app| async move {
        let c = cast(&app).await;
        let other = app
            .create(
                &c.office,
                "/api/v1/departments",
                &dept(&c.f.site, "Pharmacy"),
            )
            .await;
        let own = format!("/api/v1/departments/{}", id(&c.f.department));
        assert_eq!(app.get_ok(&c.manager, &own).await, c.f.department);
        expect_problem(
            app.get(&c.manager, &format!("/api/v1/departments/{}", id(&other)))
                .await,
            404,
            &["not_found"],
        )
        .await;
        let listed = app.get_ok(&c.manager, "/api/v1/departments").await;
        assert_eq!(ids(&listed), [id(&c.f.department)]);
        // Filters cannot widen the scope.
        let listed = app
            .get_ok(
                &c.manager,
                &format!("/api/v1/departments?site_id={}&q=pharm", id(&c.f.site)),
            )
            .await;
        assert!(items(&listed).is_empty());
        // Reading is all: no changes, no new departments.
        expect_problem(
            app.patch(&c.manager, &own, &json!({ "capacity": 40 }))
                .await,
            403,
            &["forbidden"],
        )
        .await;
        expect_problem(
            app.post(&c.manager, "/api/v1/departments", &dept(&c.f.site, "Mine"))
                .await,
            403,
            &["forbidden"],
        )
        .await;
        assert_eq!(app.get_ok(&c.office, &own).await["capacity"], 4);
    }
);

db_test!(other_roles_never_see_departments, |app| async move {
    let c = cast(&app).await;
    let path = format!("/api/v1/departments/{}", id(&c.f.department));
    for (role, who) in c.outsiders() {
        if role == "department_manager" {
            continue;
        }
        for res in [
            app.get(who, "/api/v1/departments").await,
            app.get(who, &path).await,
            app.post(who, "/api/v1/departments", &dept(&c.f.site, "X"))
                .await,
            app.patch(who, &path, &json!({ "capacity": 9 })).await,
        ] {
            let body = expect_status(res, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
});

db_test!(
    unknown_and_malformed_department_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/departments/{NO_SUCH_ID}"),
            "/api/v1/departments/radiology".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "capacity": 1 })).await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(
    bad_department_input_is_refused_with_its_code,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let site = &f.site["id"];
        let cases = [
            (
                json!({}),
                vec!["required", "required", "required", "required", "required"],
            ),
            (
                json!({ "site_id": "nope", "name": "D", "setting": "imaging", "capacity": 1, "disciplines": ["radiography"] }),
                vec!["invalid_id"],
            ),
            (
                json!({ "site_id": 7, "name": "D", "setting": "imaging", "capacity": 1, "disciplines": ["radiography"] }),
                vec!["invalid_id"],
            ),
            (
                json!({ "site_id": NO_SUCH_ID, "name": "D", "setting": "imaging", "capacity": 1, "disciplines": ["radiography"] }),
                vec!["unknown_site"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "attic", "capacity": 1, "disciplines": ["radiography"] }),
                vec!["invalid_choice"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "Imaging", "capacity": 1, "disciplines": ["radiography"] }),
                vec!["invalid_choice"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": -1, "disciplines": ["radiography"] }),
                vec!["must_be_positive"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": 100_001, "disciplines": ["radiography"] }),
                vec!["must_be_positive"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": "many", "disciplines": ["radiography"] }),
                vec!["invalid_number"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": 2.5, "disciplines": ["radiography"] }),
                vec!["invalid_number"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": 1,
                    "disciplines": ["astrology", "radiography", "alchemy"] }),
                vec!["unknown_discipline", "unknown_discipline"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": 1, "disciplines": "radiography" }),
                vec!["invalid_type"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": 1, "disciplines": [3] }),
                vec!["invalid_type"],
            ),
            (
                json!({ "site_id": site, "name": "D", "setting": "imaging", "capacity": 1, "beds": 30, "disciplines": ["radiography"] }),
                vec!["unknown_field"],
            ),
            (
                json!({ "site_id": "nope", "name": "", "setting": "attic", "capacity": -1,
                    "disciplines": ["astrology"], "beds": 30 }),
                vec![
                    "invalid_id",
                    "required",
                    "invalid_choice",
                    "must_be_positive",
                    "unknown_discipline",
                    "unknown_field",
                ],
            ),
        ];
        for (body, expected) in cases {
            expect_problem(
                app.post(&office, "/api/v1/departments", &body).await,
                422,
                &expected,
            )
            .await;
        }
        let path = format!("/api/v1/departments/{}", id(&f.department));
        expect_problem(
            app.patch(
                &office,
                &path,
                &json!({ "site_id": NO_SUCH_ID, "capacity": -3, "setting": null }),
            )
            .await,
            422,
            &["unknown_site", "must_be_positive", "required"],
        )
        .await;
        assert_eq!(app.get_ok(&office, &path).await, f.department, "unchanged");
        let listed = app.get_ok(&office, "/api/v1/departments").await;
        assert_eq!(items(&listed).len(), 1, "nothing refused was stored");
    }
);

db_test!(
    department_names_are_unique_within_a_site,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let body = expect_problem(
            app.post(&office, "/api/v1/departments", &dept(&f.site, "Radiology"))
                .await,
            409,
            &["conflict"],
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "name");
        let other_site = app
            .create(&office, "/api/v1/sites", &json!({ "name": "East" }))
            .await;
        let east = app
            .create(
                &office,
                "/api/v1/departments",
                &dept(&other_site, "Radiology"),
            )
            .await;
        // Moving it to the site that already has a Radiology clashes.
        expect_problem(
            app.patch(
                &office,
                &format!("/api/v1/departments/{}", id(&east)),
                &json!({ "site_id": f.site["id"] }),
            )
            .await,
            409,
            &["conflict"],
        )
        .await;
    }
);

db_test!(
    departments_filter_by_site_discipline_setting_and_name,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let east = app
            .create(&office, "/api/v1/sites", &json!({ "name": "East" }))
            .await;
        let icu = app
        .create(
            &office,
            "/api/v1/departments",
            &json!({ "site_id": east["id"], "name": "Medical ICU", "setting": "critical_care", "capacity": 2,
                     "disciplines": ["respiratory_therapy"] }),
        )
        .await;
        let rad = app
        .create(
            &office,
            "/api/v1/departments",
            &json!({ "site_id": east["id"], "name": "East Radiology", "setting": "imaging", "capacity": 2,
                     "disciplines": ["radiography", "respiratory_therapy"] }),
        )
        .await;
        let q = |query: &str| format!("/api/v1/departments?{query}");
        let cases: Vec<(String, Vec<String>)> = vec![
            (q(""), vec![id(&f.department), id(&icu), id(&rad)]),
            (
                q(&format!("site_id={}", id(&east))),
                vec![id(&icu), id(&rad)],
            ),
            (
                q("discipline=radiography"),
                vec![id(&f.department), id(&rad)],
            ),
            (
                q("discipline=respiratory_therapy"),
                vec![id(&icu), id(&rad)],
            ),
            (q("setting=imaging"), vec![id(&f.department), id(&rad)]),
            (q("q=radiology"), vec![id(&f.department), id(&rad)]),
            (
                q(&format!("site_id={}&setting=imaging&q=EAST", id(&east))),
                vec![id(&rad)],
            ),
            (q("discipline=astrology"), vec![]),
            (q(&format!("site_id={NO_SUCH_ID}")), vec![]),
        ];
        for (path, expected) in cases {
            assert_eq!(ids(&app.get_ok(&office, &path).await), expected, "{path}");
        }
        expect_problem(
            app.get(&office, &q("site_id=east")).await,
            422,
            &["invalid_id"],
        )
        .await;
        expect_problem(
            app.get(&office, &q("setting=attic")).await,
            422,
            &["invalid_choice"],
        )
        .await;
    }
);

db_test!(
    a_department_is_refused_without_the_disciplines_it_hosts,
    |app| async move {
        let c = cast(&app).await;
        // Without them it could never take a student: every approval into it would fail later
        // with department_does_not_host_discipline. Refused at once instead, field by field.
        let base = json!({ "site_id": c.f.site["id"], "name": "Pharmacy", "setting": "pharmacy", "capacity": 2 });
        let mut empty = base.clone();
        empty["disciplines"] = json!([]);
        let mut null = base.clone();
        null["disciplines"] = Value::Null;
        for (_, who) in c.office_roles() {
            for body in [&base, &empty, &null] {
                let problem = expect_problem(
                    app.post(who, "/api/v1/departments", body).await,
                    422,
                    &["required"],
                )
                .await;
                assert_eq!(problem["errors"][0]["field"], "disciplines", "{problem}");
            }
        }
        // Every other problem is still reported with it.
        let mut bad = base.clone();
        bad["capacity"] = json!(-1);
        expect_problem(
            app.post(&c.office, "/api/v1/departments", &bad).await,
            422,
            &["must_be_positive", "required"],
        )
        .await;
        let listed = app.get_ok(&c.office, "/api/v1/departments").await;
        assert_eq!(
            ids(&listed),
            [id(&c.f.department)],
            "nothing refused was stored"
        );

        // Nor can an update leave a department hosting nothing.
        let path = format!("/api/v1/departments/{}", id(&c.f.department));
        let problem = expect_problem(
            app.patch(&c.office, &path, &json!({ "disciplines": [] }))
                .await,
            422,
            &["required"],
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "disciplines");
        assert_eq!(
            app.get_ok(&c.office, &path).await,
            c.f.department,
            "unchanged"
        );

        // With one, it is created and hosts it.
        let mut one = base.clone();
        one["disciplines"] = json!(["pharmacy"]);
        let d = app.create(&c.office, "/api/v1/departments", &one).await;
        assert_eq!(d["disciplines"], json!(["pharmacy"]));
    }
);

db_test!(
    the_department_form_refuses_a_department_hosting_nothing,
    |app| async move {
        let c = cast(&app).await;
        let (status, form, token) = page(&app, &c.office, "/departments/new").await;
        assert_eq!(status, 200);
        assert!(form.contains("Disciplines hosted"), "{form}");
        let fields = [
            ("csrf_token", token.as_str()),
            ("site_id", c.f.site["id"].as_str().unwrap_or_default()),
            ("name", "Pharmacy"),
            ("setting", "pharmacy"),
            ("capacity", "2"),
        ];
        let (status, body) = post_form(&app, &c.office, "/departments", &fields).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("There is a problem"), "{body}");
        assert!(
            body.contains("a department hosts at least one discipline"),
            "the problem shows beside the field: {body}"
        );
        let listed = app.get_ok(&c.office, "/api/v1/departments").await;
        assert_eq!(ids(&listed), [id(&c.f.department)], "nothing stored");

        let mut with_one = fields.to_vec();
        with_one.push(("disciplines", "pharmacy"));
        let (status, body) = post_form(&app, &c.office, "/departments", &with_one).await;
        assert_eq!(status, 303, "{body}");
        let listed = app.get_ok(&c.office, "/api/v1/departments").await;
        let created = items(&listed)
            .into_iter()
            .find(|d| d["name"] == "Pharmacy")
            .unwrap_or_else(|| panic!("created: {listed}"));
        assert_eq!(created["disciplines"], json!(["pharmacy"]));
    }
);
