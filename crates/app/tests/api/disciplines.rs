//! The discipline catalog and the placement options: open to every signed-in role, and the
//! options say nothing about capacities or people.
use crate::db_test;
use crate::helpers::*;
use serde_json::json;

db_test!(every_role_reads_the_catalog, |app| async move {
    let c = cast(&app).await;
    let mut everyone = c.outsiders();
    everyone.extend(c.office_roles());
    let first = app.get_ok(&c.student, "/api/v1/disciplines").await;
    let catalog = items(&first);
    assert!(catalog.len() >= 30, "{} disciplines", catalog.len());
    assert!(first["next_cursor"].is_null());
    let radiography = catalog
        .iter()
        .find(|d| d["code"] == "radiography")
        .expect("radiography is in the catalog");
    assert_eq!(radiography["clinical"], true);
    assert_eq!(radiography["accreditor"], "JRCERT");
    assert!(radiography["name"].is_string());
    let hia = catalog
        .iter()
        .find(|d| d["clinical"] == false)
        .expect("some non-clinical disciplines");
    assert!(hia["code"].is_string());
    for (role, who) in everyone {
        assert_eq!(
            app.get_ok(who, "/api/v1/disciplines").await,
            first,
            "{role}"
        );
    }
    let res = app
        .client
        .get(app.url("/api/v1/disciplines"))
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, &["unauthenticated"]).await;
    let res = app
        .client
        .get(app.url("/api/v1/disciplines"))
        .bearer_auth("not-a-session")
        .send()
        .await
        .unwrap();
    expect_problem(res, 401, &["unauthenticated"]).await;
});

db_test!(
    placement_options_list_sites_and_departments_by_discipline,
    |app| async move {
        let c = cast(&app).await;
        // A second site hosting radiography, a department there that does not, and one at the
        // fixture's site that does.
        let east = app
            .create(&c.office, "/api/v1/sites", &json!({ "name": "A East" }))
            .await;
        let east_rad = app
        .create(
            &c.office,
            "/api/v1/departments",
            &json!({ "site_id": east["id"], "name": "X-Ray", "setting": "imaging", "capacity": 1,
                     "disciplines": ["radiography", "mri"] }),
        )
        .await;
        app.create(
        &c.office,
        "/api/v1/departments",
        &json!({ "site_id": east["id"], "name": "Pharmacy", "setting": "pharmacy", "capacity": 3,
                 "disciplines": ["pharmacy"] }),
    )
    .await;
        let ed = app
        .create(
            &c.office,
            "/api/v1/departments",
            &json!({ "site_id": c.f.site["id"], "name": "Emergency Imaging", "setting": "emergency", "capacity": 2,
                     "disciplines": ["radiography"] }),
        )
        .await;
        let expected = json!([
            { "site_id": east["id"], "site_name": "A East", "departments": [
                { "id": east_rad["id"], "name": "X-Ray", "setting": "imaging" } ] },
            { "site_id": c.f.site["id"], "site_name": "General Hospital", "departments": [
                { "id": ed["id"], "name": "Emergency Imaging", "setting": "emergency" },
                { "id": c.f.department["id"], "name": "Radiology", "setting": "imaging" } ] },
        ]);
        let mut everyone = c.outsiders();
        everyone.extend(c.office_roles());
        for (role, who) in everyone {
            let got = app
                .get_ok(who, "/api/v1/placement-options?discipline=radiography")
                .await;
            assert_eq!(got, expected, "{role}: no capacities, no people");
        }
        let mri = app
            .get_ok(&c.school, "/api/v1/placement-options?discipline=mri")
            .await;
        assert_eq!(mri[0]["departments"][0]["id"], east_rad["id"]);
        let none = app
            .get_ok(&c.school, "/api/v1/placement-options?discipline=audiology")
            .await;
        assert_eq!(none, json!([]));
        for (query, code) in [
            ("", "required"),
            ("?discipline=", "required"),
            ("?discipline=astrology", "unknown_discipline"),
        ] {
            let body = expect_problem(
                app.get(&c.school, &format!("/api/v1/placement-options{query}"))
                    .await,
                422,
                &[code],
            )
            .await;
            assert_eq!(body["errors"][0]["field"], "discipline");
        }
        let res = app
            .client
            .get(app.url("/api/v1/placement-options?discipline=radiography"))
            .send()
            .await
            .unwrap();
        expect_problem(res, 401, &["unauthenticated"]).await;
    }
);
