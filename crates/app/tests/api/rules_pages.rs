//! The pages' scope, signed in through the page login: another role's student, placement and
//! history pages answer 404 (out of scope) or 403 (never theirs), never the record; and the
//! reports answer 403 to every role outside the office, as JSON, CSV and page.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::json;

const NOT_FOUND: &str = "There is no such record.";
const NOT_ALLOWED: &str = "Your role may not take this action.";

db_test!(
    other_roles_get_404_for_a_students_and_a_placements_page,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let p = placed(&app, &w, &[&w.students[0]]).await[0].clone();
        let ana = sid(&w.students[0]);
        let other_student = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        let other_school = app
            .user(
                "school_coordinator",
                json!({ "school_id": w.f.other_school["id"] }),
            )
            .await;
        let faculty = app
            .user("faculty", json!({ "school_id": w.f.school["id"] }))
            .await;
        let ct = department(&app, &w, "CT", 4).await;
        let ct_staff = staff(
            &app,
            &w.office,
            &ct,
            "radiography",
            0,
            json!({ "is_preceptor": false }),
        )
        .await;
        let ct_manager = app
            .user("department_manager", json!({ "staff_id": ct_staff["id"] }))
            .await;
        let idle_staff = staff(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            4,
            json!({}),
        )
        .await;
        let idle = app
            .user("preceptor", json!({ "staff_id": idle_staff["id"] }))
            .await;
        let pages = [
            format!("/students/{ana}"),
            format!("/placements/{}", sid(&p)),
        ];
        for (who, c) in [
            ("another student", &other_student),
            ("another school's coordinator", &other_school),
            ("a faculty member who does not supervise her", &faculty),
            ("another department's manager", &ct_manager),
            ("a preceptor she is not placed with", &idle),
        ] {
            let cookie = page_login(&app, c).await;
            for path in &pages {
                let (status, html) = page(&app, &cookie, path).await;
                assert_eq!(status, 404, "{who} on {path}");
                assert!(html.contains(NOT_FOUND), "{who} on {path}: {html}");
                assert!(!html.contains("Lopez"), "{who} on {path} sees her name");
            }
        }
        // Those she is placed with, she herself and her school see both pages.
        let preceptor = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let me = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        for c in [&preceptor, &me, &w.school, &w.office] {
            let cookie = page_login(&app, c).await;
            for path in &pages {
                let (status, html) = page(&app, &cookie, path).await;
                assert_eq!(status, 200, "{} on {path}", c.user["role"]);
                assert!(html.contains("Ana Lopez"), "{} on {path}", c.user["role"]);
            }
        }
        // Records that do not exist, and ids that are not ids.
        let cookie = page_login(&app, &w.office).await;
        for path in [
            format!("/students/{NO_SUCH_ID}"),
            format!("/placements/{NO_SUCH_ID}"),
            "/students/nope".to_string(),
            "/placements/nope".to_string(),
        ] {
            let (status, html) = page(&app, &cookie, &path).await;
            assert_eq!(status, 404, "{path}");
            assert!(html.contains(NOT_FOUND), "{path}");
        }
    }
);

db_test!(history_pages_are_the_offices_alone, |app| async move {
    let w = world(&app, 4, 4).await;
    let p = placed(&app, &w, &[&w.students[0]]).await[0].clone();
    let ana = sid(&w.students[0]);
    let other_student = app
        .user("student", json!({ "student_id": w.students[1]["id"] }))
        .await;
    let me = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let other_school = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.other_school["id"] }),
        )
        .await;
    let faculty = app
        .user("faculty", json!({ "school_id": w.f.school["id"] }))
        .await;
    let preceptor = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    let manager_staff = staff(
        &app,
        &w.office,
        &w.f.department,
        "radiography",
        0,
        json!({ "is_preceptor": false }),
    )
    .await;
    let manager = app
        .user(
            "department_manager",
            json!({ "staff_id": manager_staff["id"] }),
        )
        .await;
    let histories = [
        format!("/history/student/{ana}"),
        format!("/history/placement/{}", sid(&p)),
        format!(
            "/history/placement_request/{}",
            p["request_id"].as_str().expect("a request")
        ),
        format!("/history/school/{}", sid(&w.f.school)),
    ];
    // Every role outside the office, her own and her school's included: the action is
    // never theirs (403), and nothing of the record shows.
    for (who, c) in [
        ("another student", &other_student),
        ("the student herself", &me),
        ("another school's coordinator", &other_school),
        ("her school's coordinator", &w.school),
        ("a faculty member", &faculty),
        ("her preceptor", &preceptor),
        ("her department's manager", &manager),
    ] {
        let cookie = page_login(&app, c).await;
        for path in &histories {
            let (status, html) = page(&app, &cookie, path).await;
            assert_eq!(status, 403, "{who} on {path}");
            assert!(html.contains(NOT_ALLOWED), "{who} on {path}: {html}");
            assert!(
                !html.contains("transition") && !html.contains("Lopez"),
                "{who} on {path}"
            );
        }
        // The API's audit list says the same.
        let res = app
            .get(
                c,
                &format!("/api/v1/audit?record_type=placement&record_id={}", sid(&p)),
            )
            .await;
        expect_problem(res, 403, &["forbidden"]).await;
    }
    // The office reads the placement's history; a record with none shows none.
    let admin = app.admin().await;
    for c in [&w.office, &admin] {
        let cookie = page_login(&app, c).await;
        let (status, html) = page(&app, &cookie, &histories[1]).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("History of this placement") && html.contains("create"),
            "{html}"
        );
        let (status, html) = page(&app, &cookie, &format!("/history/placement/{NO_SUCH_ID}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("No changes recorded."), "{html}");
        let (status, html) = page(&app, &cookie, "/history/placement/nope").await;
        assert_eq!(status, 404);
        assert!(html.contains(NOT_FOUND));
    }
});

db_test!(
    every_role_outside_the_office_gets_403_for_the_reports,
    |app| async move {
        let c = cast(&app).await;
        let mut outsiders = c.outsiders();
        outsiders.push(("another school's coordinator", &c.other_school));
        for (who, caller) in outsiders {
            for path in [
                "/api/v1/reports/summary?year=2027",
                "/api/v1/reports/summary.csv?year=2027",
            ] {
                expect_problem(app.get(caller, path).await, 403, &["forbidden"]).await;
            }
            // Even a bad year is refused for the role first.
            expect_problem(
                app.get(caller, "/api/v1/reports/summary?year=abc").await,
                403,
                &["forbidden"],
            )
            .await;
            let cookie = page_login(&app, caller).await;
            for path in [
                "/reports",
                "/reports?year=2027&format=csv",
                "/reports/placed?year=2027",
                "/reports/capacity?year=2027&format=xlsx",
            ] {
                let (status, html) = page(&app, &cookie, path).await;
                assert_eq!(status, 403, "{who} on {path}");
                assert!(html.contains(NOT_ALLOWED), "{who} on {path}: {html}");
                assert!(
                    !html.contains("dimension,key,label,students"),
                    "{who} on {path}"
                );
            }
        }
        for (_, caller) in c.office_roles() {
            let s = app
                .get_ok(caller, "/api/v1/reports/summary?year=2027")
                .await;
            assert_eq!(s["year"], 2027);
            assert_eq!(s["total"], 0);
            let cookie = page_login(&app, caller).await;
            let (status, html) = page(&app, &cookie, "/reports").await;
            assert_eq!(status, 200);
            assert!(html.contains("Students placed, year over year"), "{html}");
            let (status, html) = page(&app, &cookie, "/reports/placed?year=2027").await;
            assert_eq!(status, 200);
            assert!(
                html.contains("Distinct students placed in 2027: 0"),
                "{html}"
            );
        }
    }
);
