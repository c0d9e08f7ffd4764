//! Programs: the office runs them for every school; a school coordinator for their own school.
use crate::db_test;
use crate::helpers::*;
use crate::rule_pages::{page, post_form};
use serde_json::{Value, json};

fn programs_of(school: &Value) -> String {
    format!("/api/v1/schools/{}/programs", id(school))
}

fn bs_radiography() -> Value {
    json!({ "name": "BS Radiography", "discipline": "radiography", "degree_level": "baccalaureate" })
}

db_test!(
    the_office_creates_reads_and_changes_programs,
    |app| async move {
        let c = cast(&app).await;
        for (_, who) in c.office_roles() {
            let p = app
                .create(who, &programs_of(&c.f.other_school), &bs_radiography())
                .await;
            assert_eq!(p["school_id"], c.f.other_school["id"]);
            assert_eq!(
                p["accreditor"], "JRCERT",
                "the discipline's usual accreditor"
            );
            assert!(p["accredited_until"].is_null());
            let path = format!("/api/v1/programs/{}", id(&p));
            assert_eq!(app.get_ok(who, &path).await, p);
            let changed = expect_status(
            app.patch(
                who,
                &path,
                &json!({ "degree_level": "masters", "accreditor": "Regional", "accredited_until": "2031-06-30" }),
            )
            .await,
            200,
        )
        .await;
            assert_eq!(changed["degree_level"], "masters");
            assert_eq!(changed["accreditor"], "Regional");
            assert_eq!(changed["accredited_until"], "2031-06-30");
            assert_eq!(changed["name"], "BS Radiography");
            assert_eq!(app.get_ok(who, &path).await, changed);
            let cleared = expect_status(
                app.patch(who, &path, &json!({ "accredited_until": null }))
                    .await,
                200,
            )
            .await;
            assert!(cleared["accredited_until"].is_null());
        }
        let south = app.get_ok(&c.office, &programs_of(&c.f.other_school)).await;
        assert_eq!(items(&south).len(), 2);
        assert_eq!(
            items(&app.get_ok(&c.office, "/api/v1/programs").await).len(),
            3
        );
    }
);

db_test!(a_school_runs_only_its_own_programs, |app| async move {
    let c = cast(&app).await;
    let mine = app
        .create(&c.school, &programs_of(&c.f.school), &bs_radiography())
        .await;
    assert_eq!(mine["school_id"], c.f.school["id"]);
    let theirs = app
        .create(
            &c.office,
            &programs_of(&c.f.other_school),
            &bs_radiography(),
        )
        .await;
    let mine_path = format!("/api/v1/programs/{}", id(&mine));
    let theirs_path = format!("/api/v1/programs/{}", id(&theirs));
    expect_status(
        app.patch(
            &c.school,
            &mine_path,
            &json!({ "name": "BS Radiologic Sciences" }),
        )
        .await,
        200,
    )
    .await;
    let listed = app.get_ok(&c.school, "/api/v1/programs").await;
    assert_eq!(ids(&listed), [id(&c.f.program), id(&mine)]);
    let listed = app.get_ok(&c.school, &programs_of(&c.f.school)).await;
    assert_eq!(ids(&listed), [id(&c.f.program), id(&mine)]);
    let filtered = app
        .get_ok(
            &c.school,
            &format!("/api/v1/programs?school_id={}", id(&c.f.other_school)),
        )
        .await;
    assert!(
        items(&filtered).is_empty(),
        "a filter cannot widen the scope"
    );
    // Another school's programs: as if they did not exist.
    expect_problem(app.get(&c.school, &theirs_path).await, 404, &["not_found"]).await;
    expect_problem(
        app.patch(&c.school, &theirs_path, &json!({ "name": "Mine now" }))
            .await,
        404,
        &["not_found"],
    )
    .await;
    expect_problem(
        app.get(&c.school, &programs_of(&c.f.other_school)).await,
        404,
        &["not_found"],
    )
    .await;
    expect_problem(
        app.post(
            &c.school,
            &programs_of(&c.f.other_school),
            &bs_radiography(),
        )
        .await,
        404,
        &["not_found"],
    )
    .await;
    assert_eq!(app.get_ok(&c.office, &theirs_path).await, theirs);
    assert_eq!(
        items(&app.get_ok(&c.office, &programs_of(&c.f.other_school)).await).len(),
        1
    );
});

db_test!(other_roles_never_see_programs, |app| async move {
    let c = cast(&app).await;
    let path = format!("/api/v1/programs/{}", id(&c.f.program));
    for (role, who) in c.outsiders() {
        if role == "school_coordinator" {
            continue;
        }
        for res in [
            app.get(who, "/api/v1/programs").await,
            app.get(who, &programs_of(&c.f.school)).await,
            app.get(who, &path).await,
            app.post(who, &programs_of(&c.f.school), &bs_radiography())
                .await,
            app.patch(who, &path, &json!({ "name": "X" })).await,
        ] {
            let body = expect_status(res, 403).await;
            assert_eq!(codes(&body), ["forbidden"], "{role}");
        }
    }
});

db_test!(
    programs_of_unknown_schools_and_ids_answer_404,
    |app| async move {
        let office = app.coordinator().await;
        for path in [
            format!("/api/v1/schools/{NO_SUCH_ID}/programs"),
            "/api/v1/schools/nope/programs".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.post(&office, &path, &bs_radiography()).await,
                404,
                &["not_found"],
            )
            .await;
        }
        for path in [
            format!("/api/v1/programs/{NO_SUCH_ID}"),
            "/api/v1/programs/nope".to_string(),
        ] {
            expect_problem(app.get(&office, &path).await, 404, &["not_found"]).await;
            expect_problem(
                app.patch(&office, &path, &json!({ "name": "X" })).await,
                404,
                &["not_found"],
            )
            .await;
        }
    }
);

db_test!(
    bad_program_input_is_refused_with_its_code,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let path = programs_of(&f.school);
        let cases = [
            (json!({}), vec!["required", "required"]),
            (
                json!({ "name": "P", "discipline": "alchemy", "degree_level": "associate" }),
                vec!["unknown_discipline"],
            ),
            (
                json!({ "name": "P", "discipline": "radiography", "degree_level": "phd" }),
                vec!["invalid_choice"],
            ),
            (
                json!({ "name": "P", "discipline": "radiography", "degree_level": "associate", "accredited_until": "June 2030" }),
                vec!["invalid_date"],
            ),
            (
                json!({ "name": "P", "discipline": 4, "degree_level": "associate" }),
                vec!["invalid_type"],
            ),
            (
                json!({ "name": "P", "discipline": "radiography", "degree_level": "associate", "school_id": f.other_school["id"] }),
                vec!["unknown_field"],
            ),
            (
                json!({ "name": "", "discipline": "alchemy", "degree_level": "phd", "accredited_until": "2030-02-31", "credits": 60 }),
                vec![
                    "unknown_discipline",
                    "invalid_choice",
                    "invalid_date",
                    "unknown_field",
                ],
            ),
        ];
        for (body, expected) in cases {
            expect_problem(app.post(&office, &path, &body).await, 422, &expected).await;
        }
        let one = format!("/api/v1/programs/{}", id(&f.program));
        expect_problem(
            app.patch(
                &office,
                &one,
                &json!({ "discipline": "alchemy", "degree_level": null }),
            )
            .await,
            422,
            &["unknown_discipline", "required"],
        )
        .await;
        assert_eq!(app.get_ok(&office, &one).await, f.program);
        assert_eq!(items(&app.get_ok(&office, &path).await).len(), 1);
    }
);

db_test!(
    programs_filter_by_school_discipline_level_and_name,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        let rt = app
        .create(
            &office,
            &programs_of(&f.school),
            &json!({ "name": "BS Respiratory Care", "discipline": "respiratory_therapy", "degree_level": "baccalaureate" }),
        )
        .await;
        let south = app
            .create(&office, &programs_of(&f.other_school), &bs_radiography())
            .await;
        let q = |query: &str| format!("/api/v1/programs?{query}");
        let cases: Vec<(String, Vec<String>)> = vec![
            (q(""), vec![id(&f.program), id(&rt), id(&south)]),
            (
                q(&format!("school_id={}", id(&f.school))),
                vec![id(&f.program), id(&rt)],
            ),
            (
                q("discipline=radiography"),
                vec![id(&f.program), id(&south)],
            ),
            (q("degree_level=baccalaureate"), vec![id(&rt), id(&south)]),
            (q("q=respiratory"), vec![id(&rt)]),
            (
                q(&format!(
                    "school_id={}&discipline=radiography",
                    id(&f.other_school)
                )),
                vec![id(&south)],
            ),
            (
                format!("{}?degree_level=associate", programs_of(&f.school)),
                vec![id(&f.program)],
            ),
        ];
        for (path, expected) in cases {
            assert_eq!(ids(&app.get_ok(&office, &path).await), expected, "{path}");
        }
        for (path, code) in [
            (q("degree_level=phd"), "invalid_choice"),
            (q("school_id=north"), "invalid_id"),
            (
                format!("{}?degree_level=phd", programs_of(&f.school)),
                "invalid_choice",
            ),
            (
                format!("{}?limit=0", programs_of(&f.school)),
                "invalid_limit",
            ),
        ] {
            expect_problem(app.get(&office, &path).await, 422, &[code]).await;
        }
    }
);

db_test!(
    a_program_without_a_name_is_named_from_its_degree_and_discipline,
    |app| async move {
        let c = cast(&app).await;
        // API.md's body has no `name`: it is never required, for the office or the school.
        let cases = [
            (
                &c.office,
                json!({ "discipline": "radiography", "degree_level": "associate" }),
                "Associate in Radiography",
            ),
            (
                &c.school,
                json!({ "discipline": "respiratory_therapy", "degree_level": "baccalaureate",
                                "accredited_until": "2030-06-30" }),
                "Bachelor's in Respiratory therapy",
            ),
            (
                &c.admin,
                json!({ "name": null, "discipline": "physical_therapy", "degree_level": "doctoral" }),
                "Doctorate in Physical therapy",
            ),
        ];
        for (who, body, name) in cases {
            let p = app.create(who, &programs_of(&c.f.school), &body).await;
            assert_eq!(p["name"], name, "{p}");
            assert_eq!(p["discipline"], body["discipline"]);
            assert_eq!(p["degree_level"], body["degree_level"]);
            let path = format!("/api/v1/programs/{}", id(&p));
            assert_eq!(app.get_ok(who, &path).await, p, "stored as answered");
        }
        // A name given is kept; a blank one is none, as on the form.
        let named = app
            .create(&c.office, &programs_of(&c.f.school), &bs_radiography())
            .await;
        assert_eq!(named["name"], "BS Radiography");
        let blank = app
            .create(
                &c.office,
                &programs_of(&c.f.other_school),
                &json!({ "name": " ", "discipline": "radiography", "degree_level": "associate" }),
            )
            .await;
        assert_eq!(blank["name"], "Associate in Radiography");
        // An update that leaves the name out keeps it; `null` names it again from what it is now.
        let path = format!("/api/v1/programs/{}", id(&named));
        let kept = expect_status(
            app.patch(&c.office, &path, &json!({ "degree_level": "masters" }))
                .await,
            200,
        )
        .await;
        assert_eq!(kept["name"], "BS Radiography");
        let renamed = expect_status(
            app.patch(&c.office, &path, &json!({ "name": null })).await,
            200,
        )
        .await;
        assert_eq!(renamed["name"], "Master's in Radiography");
        // The derived name is a name like any other: listed and found.
        let found = app
            .get_ok(
                &c.office,
                &format!("{}?q=associate%20in", programs_of(&c.f.school)),
            )
            .await;
        let names: Vec<Value> = items(&found).iter().map(|p| p["name"].clone()).collect();
        assert_eq!(names, [json!("Associate in Radiography")]);
    }
);

db_test!(
    the_program_form_names_a_program_left_unnamed,
    |app| async move {
        let c = cast(&app).await;
        let (status, form, token) = page(
            &app,
            &c.school,
            &format!("/schools/{}/programs/new", id(&c.f.school)),
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            form.contains(r#"name="name" type="text" value="">"#),
            "the name is optional on the form: {form}"
        );
        let (status, body) = post_form(
            &app,
            &c.school,
            &format!("/schools/{}/programs", id(&c.f.school)),
            &[
                ("csrf_token", &token),
                ("name", ""),
                ("discipline", "radiography"),
                ("degree_level", "certificate"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        let listed = app.get_ok(&c.school, &programs_of(&c.f.school)).await;
        let created = items(&listed)
            .into_iter()
            .find(|p| p["degree_level"] == "certificate")
            .unwrap_or_else(|| panic!("created: {listed}"));
        assert_eq!(created["name"], "Certificate in Radiography");
    }
);
