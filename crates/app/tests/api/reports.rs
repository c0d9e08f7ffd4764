//! The summary report over HTTP: distinct students placed in a year, by each dimension, as
//! JSON and CSV; only for the office.
use crate::db_test;
use crate::helpers::*;
use crate::requests::{
    approval, clinical, decide, placed, preceptor, refused, student, submit, world,
};
use serde_json::{Value, json};

/// The buckets of a dimension as (key, students), in the report's order.
fn buckets(v: &Value) -> Vec<(String, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().to_string(),
                b["students"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn sorted(mut v: Vec<(String, i64)>) -> Vec<(String, i64)> {
    v.sort();
    v
}

db_test!(
    the_summary_counts_distinct_placed_students,
    |app| async move {
        let w = world(&app, 6, 6).await;
        // Student 0: two clinicals in 2027 (February–March and June) — one student.
        placed(&app, &w, &[&w.students[0]]).await;
        let mut june = clinical(&w, &[&w.students[0]]);
        june["starts_on"] = json!("2027-06-01");
        june["ends_on"] = json!("2027-06-30");
        let r = submit(&app, &w, &june).await;
        expect_status(
            decide(&app, &w.office, &r, &approval(&w, &[&w.students[0]])).await,
            200,
        )
        .await;
        // Student 1: placed, then cancelled — not counted.
        let cancelled = placed(&app, &w, &[&w.students[1]]).await;
        expect_status(
            app.post(
                &w.office,
                &format!(
                    "/api/v1/placements/{}/transition",
                    id(&cancelled["placements"][0])
                ),
                &json!({ "to": "cancelled", "reason": "changed plans" }),
            )
            .await,
            200,
        )
        .await;
        // An unnamed seat counts nobody.
        let mut slot = clinical(&w, &[]);
        slot["slots"] = json!(1);
        let r = submit(&app, &w, &slot).await;
        let seat = json!({ "decision": "approve", "placements": [
        { "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] } ] });
        expect_status(decide(&app, &w.office, &r, &seat).await, 200).await;
        // Student 2: a confirmed placement crossing into 2028.
        let mut winter = clinical(&w, &[&w.students[2]]);
        winter["starts_on"] = json!("2027-12-01");
        winter["ends_on"] = json!("2028-01-31");
        let r = submit(&app, &w, &winter).await;
        let d = expect_status(
            decide(&app, &w.office, &r, &approval(&w, &[&w.students[2]])).await,
            200,
        )
        .await;
        expect_status(
            app.post(
                &w.school,
                &format!("/api/v1/placements/{}/transition", id(&d["placements"][0])),
                &json!({ "to": "confirmed" }),
            )
            .await,
            200,
        )
        .await;

        // Another school: a baccalaureate health administration program, an internship in
        // the administration department.
        let admin_dept = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": "Administration", "setting": "office", "capacity": 2,
                     "disciplines": ["health_administration"] }),
        )
        .await;
        let south = &w.f.other_school;
        app.create(
        &w.office,
        &format!("/api/v1/schools/{}/agreements", id(south)),
        &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
    )
    .await;
        let mha = app
            .create(
                &w.office,
                &format!("/api/v1/schools/{}/programs", id(south)),
                &json!({ "name": "BS Health Administration", "discipline": "health_administration",
                     "degree_level": "baccalaureate", "accredited_until": "2030-06-30" }),
            )
            .await;
        let intern = student(&app, &w.office, south, &mha, "Ines", "enrolled").await;
        let r = app
        .create(
            &w.office,
            "/api/v1/placement-requests",
            &json!({ "kind": "internship", "school_id": south["id"], "program_id": mha["id"],
                     "starts_on": "2027-05-03", "ends_on": "2027-07-30", "hours_per_week": 20,
                     "student_ids": [intern["id"]],
                     "course": { "code": "HCA 490", "title": "Practicum in Health Administration", "credits": 3 },
                     "faculty_supervisor": { "name": "Dr. Adam Inn", "email": format!("adam-{}@south.edu", uuid::Uuid::now_v7().simple()) } }),
        )
        .await;
        let mentor = preceptor(
            &app,
            &w.office,
            &admin_dept,
            "health_administration",
            1,
            json!({ "is_preceptor": false }),
        )
        .await;
        let d = json!({ "decision": "approve", "placements": [{ "student_id": intern["id"],
        "department_id": admin_dept["id"], "site_mentor_id": mentor["id"] }] });
        expect_status(decide(&app, &w.office, &r, &d).await, 200).await;

        let s = app
            .get_ok(&w.office, "/api/v1/reports/summary?year=2027")
            .await;
        assert_eq!(s["year"], 2027);
        assert_eq!(s["total"], 3, "{s}");
        assert_eq!(
            sorted(buckets(&s["by_discipline"])),
            [
                ("health_administration".to_string(), 1),
                ("radiography".to_string(), 2)
            ]
        );
        assert_eq!(
            buckets(&s["by_discipline"])[0].0,
            "radiography",
            "largest first"
        );
        assert_eq!(
            sorted(buckets(&s["by_degree_level"])),
            [
                ("associate".to_string(), 2),
                ("baccalaureate".to_string(), 1)
            ]
        );
        assert_eq!(
            sorted(buckets(&s["by_school"])),
            sorted(vec![(id(&w.f.school), 2), (id(south), 1)])
        );
        assert_eq!(
            sorted(buckets(&s["by_department"])),
            sorted(vec![(id(&w.f.department), 2), (id(&admin_dept), 1)])
        );
        assert_eq!(
            sorted(buckets(&s["by_kind"])),
            [("clinical".to_string(), 2), ("internship".to_string(), 1)]
        );
        let labels: Vec<&str> = s["by_school"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels, ["North College", "South College"]);
        assert!(
            s["by_department"][0]["label"]
                .as_str()
                .unwrap()
                .contains("Radiology"),
            "{}",
            s["by_department"]
        );

        // 2028: only the winter placement overlaps; 2026 has nobody.
        let next = app
            .get_ok(&w.office, "/api/v1/reports/summary?year=2028")
            .await;
        assert_eq!(next["total"], 1);
        assert_eq!(buckets(&next["by_kind"]), [("clinical".to_string(), 1)]);
        let before = app
            .get_ok(&w.office, "/api/v1/reports/summary?year=2026")
            .await;
        assert_eq!(before["total"], 0);
        assert_eq!(before["by_discipline"], json!([]));
        // Without a year: this year (2027).
        assert_eq!(
            app.get_ok(&w.office, "/api/v1/reports/summary").await["total"],
            3
        );

        // The CSV of the same.
        let res = app
            .get(&w.office, "/api/v1/reports/summary.csv?year=2027")
            .await;
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"),
            "{:?}",
            res.headers()
        );
        let csv = csv_text(res).await;
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "dimension,key,label,students");
        assert!(lines.contains(&"total,,All students,3"), "{csv}");
        assert!(lines.contains(&"kind,clinical,Clinical,2"), "{csv}");
        assert!(lines.contains(&"kind,internship,Internship,1"), "{csv}");
        assert!(
            lines.contains(&format!("school,{},North College,2", id(&w.f.school)).as_str()),
            "{csv}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("degree_level,baccalaureate,")),
            "{csv}"
        );
        // One line per bucket, plus the header and the total.
        let per_dimension: usize = [
            "by_discipline",
            "by_degree_level",
            "by_school",
            "by_department",
            "by_kind",
        ]
        .iter()
        .map(|d| s[d].as_array().unwrap().len())
        .sum();
        assert_eq!(lines.len(), 2 + per_dimension, "{csv}");
    }
);

db_test!(only_the_office_reads_the_summary, |app| async move {
    let w = world(&app, 4, 4).await;
    let stud = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let prec = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    for who in [&w.school, &stud, &prec] {
        for path in [
            "/api/v1/reports/summary?year=2027",
            "/api/v1/reports/summary.csv?year=2027",
        ] {
            expect_problem(app.get(who, path).await, 403, &["forbidden"]).await;
        }
    }
    let admin = app.admin().await;
    assert_eq!(
        app.get_ok(&admin, "/api/v1/reports/summary?year=2027")
            .await["total"],
        0
    );
    for bad in ["abc", "1899", "20270"] {
        let res = app
            .get(&w.office, &format!("/api/v1/reports/summary?year={bad}"))
            .await;
        assert_eq!(refused(res, 422).await, ["invalid_year"], "year={bad:?}");
    }
    let res = app
        .get(&w.office, "/api/v1/reports/summary.csv?year=abc")
        .await;
    assert_eq!(refused(res, 422).await, ["invalid_year"]);
});
