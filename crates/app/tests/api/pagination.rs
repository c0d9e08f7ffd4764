//! Every directory list pages the same way: `?limit=` (default 50, 1 to 500), `?cursor=`, and
//! `next_cursor` until the last page.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

/// Five more of each directory record, so each list has several pages of two.
async fn populate(app: &TestApp, c: &Cast) {
    let office = &c.office;
    for i in 0..5 {
        app.create(
            office,
            "/api/v1/sites",
            &json!({ "name": format!("Site {i}") }),
        )
        .await;
        app.create(
            office,
            "/api/v1/departments",
            &json!({ "site_id": c.f.site["id"], "name": format!("Dept {i}"), "setting": "office", "capacity": 1, "disciplines": ["health_administration"] }),
        )
        .await;
        app.create(
            office,
            "/api/v1/schools",
            &json!({ "name": format!("School {i}"), "city": "C", "state": "MA" }),
        )
        .await;
        app.create(
            office,
            &format!("/api/v1/schools/{}/agreements", id(&c.f.school)),
            &json!({ "effective_on": "2027-01-01", "expires_on": format!("2027-0{}-01", i + 2) }),
        )
        .await;
        app.create(
            office,
            &format!("/api/v1/schools/{}/programs", id(&c.f.school)),
            &json!({ "name": format!("Program {i}"), "discipline": "radiography", "degree_level": "associate" }),
        )
        .await;
        app.create(
            office,
            "/api/v1/students",
            &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"], "first_name": format!("S{i}"),
                     "last_name": "Page", "email": format!("s{i}@north.edu") }),
        )
        .await;
        app.create(
            office,
            "/api/v1/staff",
            &json!({ "name": format!("Staff {i}"), "email": format!("staff{i}@h.test"), "department_id": c.f.department["id"] }),
        )
        .await;
        app.create(
            &c.admin,
            "/api/v1/users",
            &json!({ "email": format!("u{i}@test.example"), "name": format!("User {i}"), "role": "coordinator" }),
        )
        .await;
    }
}

/// The page of 2 of `path` after `cursor` (a row's id or not) is the two ids of `all` (the
/// whole list, in id order) that follow it in id order.
async fn page_after(app: &TestApp, who: &Caller, path: &str, all: &[String], cursor: &str) {
    let page = app
        .get_ok(who, &format!("{path}?limit=2&cursor={cursor}"))
        .await;
    let after: Vec<String> = all
        .iter()
        .filter(|i| i.as_str() > cursor)
        .take(2)
        .cloned()
        .collect();
    assert_eq!(ids(&page), after, "{path}?cursor={cursor}");
}

fn lists(c: &Cast) -> Vec<String> {
    vec![
        "/api/v1/sites".into(),
        "/api/v1/departments".into(),
        "/api/v1/schools".into(),
        "/api/v1/agreements".into(),
        format!("/api/v1/schools/{}/agreements", id(&c.f.school)),
        "/api/v1/programs".into(),
        format!("/api/v1/schools/{}/programs", id(&c.f.school)),
        "/api/v1/students".into(),
        "/api/v1/staff".into(),
        "/api/v1/users".into(),
        "/api/v1/audit".into(),
    ]
}

db_test!(
    every_list_pages_through_all_its_records_once,
    |app| async move {
        let c = cast(&app).await;
        populate(&app, &c).await;
        for path in lists(&c) {
            let whole = app.get_ok(&c.admin, &format!("{path}?limit=500")).await;
            assert!(
                whole["next_cursor"].is_null(),
                "{path}: fits in one page of 500"
            );
            let all = ids(&whole);
            assert!(all.len() >= 5, "{path}: {} items", all.len());
            if path == "/api/v1/students" {
                // Read as one row of ids and tags (db::page::page_tags): still in id order.
                let mut in_order = all.clone();
                in_order.sort();
                assert_eq!(all, in_order, "{path}: in id order");
            }
            for limit in [1, 2, 3] {
                let paged: Vec<String> = app
                    .all_pages(&c.admin, &path, limit)
                    .await
                    .iter()
                    .map(|v| id(v).to_string())
                    .collect();
                assert_eq!(paged, all, "{path} in pages of {limit}");
            }
            // A page exactly as long as the list has no next page.
            let exact = app
                .get_ok(&c.admin, &format!("{path}?limit={}", all.len()))
                .await;
            assert_eq!(ids(&exact), all);
            assert!(exact["next_cursor"].is_null(), "{path}");
            let first = app.get_ok(&c.admin, &format!("{path}?limit=2")).await;
            assert_eq!(
                first["next_cursor"],
                json!(all[1]),
                "{path}: the cursor is the last id"
            );
            // The largest page is allowed, and holds the whole (short) list.
            let largest = app.get_ok(&c.admin, &format!("{path}?limit=500")).await;
            assert_eq!(ids(&largest), all, "{path}");
            assert!(largest["next_cursor"].is_null(), "{path}");
            // A cursor past the end, or one that names nothing, is a page of what follows it
            // in id order (empty past the end), not an error.
            for cursor in [all.last().unwrap().as_str(), "zzzz", "0", NO_SUCH_ID] {
                page_after(&app, &c.admin, &path, &all, cursor).await;
            }
            let past = app
                .get_ok(&c.admin, &format!("{path}?cursor={}", all.last().unwrap()))
                .await;
            assert!(
                items(&past).is_empty() && past["next_cursor"].is_null(),
                "{path}"
            );
        }
    }
);

db_test!(
    an_invalid_limit_answers_422_on_every_list,
    |app| async move {
        let c = cast(&app).await;
        populate(&app, &c).await;
        for path in lists(&c) {
            for bad in ["0", "-1", "501", "1000000", "ten", "2.5", "1e2", "%20x"] {
                let res = app.get(&c.admin, &format!("{path}?limit={bad}")).await;
                let body = expect_problem(res, 422, &["invalid_limit"]).await;
                assert_eq!(body["errors"][0]["field"], "limit", "{path}?limit={bad}");
            }
            // Empty is the default.
            let empty = app.get_ok(&c.admin, &format!("{path}?limit=")).await;
            let default = app.get_ok(&c.admin, &path).await;
            assert_eq!(ids(&empty), ids(&default), "{path}?limit=");
            assert!(
                !items(&empty).is_empty(),
                "{path}: the cast fills every list"
            );
        }
    }
);

db_test!(the_default_page_is_50, |app| async move {
    let office = app.coordinator().await;
    for i in 0..51 {
        app.create(
            &office,
            "/api/v1/sites",
            &json!({ "name": format!("Site {i:02}") }),
        )
        .await;
    }
    let first = app.get_ok(&office, "/api/v1/sites").await;
    assert_eq!(items(&first).len(), 50);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let rest = app
        .get_ok(&office, &format!("/api/v1/sites?cursor={cursor}"))
        .await;
    assert_eq!(items(&rest).len(), 1);
    assert_eq!(rest["items"][0]["name"], "Site 50");
    assert!(rest["next_cursor"].is_null());
});

db_test!(filters_and_cursors_combine, |app| async move {
    let office = app.coordinator().await;
    let f = fixture(&app, &office).await;
    for i in 0..5 {
        app.create(
            &office,
            "/api/v1/students",
            &json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": format!("Kim{i}"),
                     "last_name": "Lee", "email": format!("kim{i}@north.edu"),
                     "enrollment_status": if i % 2 == 0 { "enrolled" } else { "leave" } }),
        )
        .await;
    }
    let on_leave = app
        .all_pages(&office, "/api/v1/students?status=leave&q=kim", 1)
        .await;
    let names: Vec<&str> = on_leave
        .iter()
        .map(|s: &Value| s["first_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kim1", "Kim3"]);
    let enrolled = app
        .all_pages(&office, "/api/v1/students?status=enrolled", 2)
        .await;
    assert_eq!(enrolled.len(), 4, "Ana and Kim0, Kim2, Kim4");
});

db_test!(
    a_list_walked_again_and_again_agrees_after_each_write,
    |app| async move {
        let c = cast(&app).await;
        populate(&app, &c).await;
        let students = "/api/v1/students";
        let before = app.walked_as_one(&c.office, students, &[1, 2, 3]).await;
        assert!(before.len() >= 6, "{} students", before.len());
        let school_before = app.walked_as_one(&c.school, students, &[1, 2, 3]).await;

        // A new student is in the very next walk, the office's and their school's.
        let new = app
            .create(
                &c.office,
                students,
                &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"], "first_name": "Nell",
                         "last_name": "New", "email": "nell@north.edu" }),
            )
            .await;
        let after = app.walked_as_one(&c.office, students, &[1, 2, 3]).await;
        assert_eq!(after.len(), before.len() + 1);
        assert!(after.contains(&id(&new).to_string()));
        let school_after = app.walked_as_one(&c.school, students, &[1, 2, 3]).await;
        assert_eq!(school_after.len(), school_before.len() + 1);

        // A change to one row shows in the walk (its answer and tag are new).
        expect_status(
            app.patch(
                &c.office,
                &format!("{students}/{}", before[2]),
                &json!({ "last_name": "Renamed" }),
            )
            .await,
            200,
        )
        .await;
        let walked = app.all_pages(&c.office, students, 2).await;
        let renamed = walked
            .iter()
            .find(|s| s["id"] == json!(before[2]))
            .expect("still listed");
        assert_eq!(renamed["last_name"], "Renamed");
        app.walked_as_one(&c.office, students, &[1, 2, 3]).await;

        // A cursor the kept listing does not hold is still a page of what follows it.
        page_after(&app, &c.office, students, &after, NO_SUCH_ID).await;

        // The other lists answered from kept listings agree the same way.
        for path in [
            "/api/v1/placement-requests",
            "/api/v1/placements",
            "/api/v1/documents?status=submitted",
        ] {
            app.walked_as_one(&c.office, path, &[1, 2, 3]).await;
        }
    }
);
