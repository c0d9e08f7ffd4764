//! Bulk import (issue 14 point 1): students, staff and users from CSV and XLSX, every row
//! checked first, all or nothing (or only the valid rows), people matched by email.
use crate::db_test;
use crate::helpers::*;
use serde_json::Value;

const STUDENTS: &str = "First name, Last name ,EMAIL,School,Program,Expected graduation\n\
Mia,Chen,Mia.Chen@North.edu,North College,AS Radiography,2028-05-15\n\
Raj,Patel,raj@north.edu,north  college,as radiography,\n";

async fn import(
    app: &TestApp,
    who: &Caller,
    path: &str,
    file: &str,
    bytes: &[u8],
) -> reqwest::Response {
    app.upload(who, path, file, bytes.to_vec()).await
}

pub(crate) async fn students_named(app: &TestApp, who: &Caller, q: &str) -> Vec<Value> {
    items(&app.get_ok(who, &format!("/api/v1/students?q={q}")).await)
}

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

db_test!(
    a_valid_csv_and_xlsx_import_with_accounts,
    |app| async move {
        let c = cast(&app).await;
        let r = expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/students",
                "s.csv",
                STUDENTS.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (
                r["rows"].as_u64(),
                r["created"].as_u64(),
                r["updated"].as_u64()
            ),
            (Some(2), Some(2), Some(0)),
            "{r}"
        );
        assert_eq!(r["accounts_created"], 2);
        assert_eq!(r["written"], true);
        let mia = students_named(&app, &c.office, "mia.chen").await;
        assert_eq!(mia.len(), 1);
        assert_eq!(mia[0]["school_id"], c.f.school["id"]);
        assert_eq!(mia[0]["program_id"], c.f.program["id"]);
        assert_eq!(mia[0]["email"], "mia.chen@north.edu");
        assert_eq!(mia[0]["expected_graduation"], "2028-05-15");
        // The student's account is linked to the record: nobody pastes an id.
        let users = items(&app.get_ok(&c.admin, "/api/v1/users?q=mia.chen").await);
        assert_eq!(users.len(), 1);
        assert_eq!(users[0]["role"], "student");
        assert_eq!(users[0]["student_id"], mia[0]["id"]);

        let book = xlsx(&[
            &[
                "first name",
                "last name",
                "e-mail",
                "school",
                "programme",
                "status",
            ],
            &[
                "Zoe",
                "Ng",
                "zoe@north.edu",
                "North College",
                "AS Radiography",
                "Leave",
            ],
        ]);
        let r = expect_status(
            import(&app, &c.office, "/api/v1/imports/students", "s.xlsx", &book).await,
            200,
        )
        .await;
        assert_eq!(r["created"], 1, "{r}");
        let zoe = students_named(&app, &c.office, "zoe@north").await;
        assert_eq!(zoe[0]["enrollment_status"], "leave");
    }
);

db_test!(
    row_errors_all_at_once_and_nothing_written,
    |app| async move {
        let c = cast(&app).await;
        let file = "First name,Last name,Email,School,Program\n\
Ok,Row,ok@north.edu,North College,AS Radiography\n\
Bad,Email,not-an-email,North College,AS Radiography\n\
No,Program,np@north.edu,North College,Basket Weaving\n\
,Nameless,nn@north.edu,North College,AS Radiography\n\
Dup,Row,ok@north.edu,North College,AS Radiography\n";
        let res = import(
            &app,
            &c.office,
            "/api/v1/imports/students",
            "s.csv",
            file.as_bytes(),
        )
        .await;
        let p = expect_problem(
            res,
            422,
            &[
                "invalid_email",
                "unknown_program",
                "required",
                "duplicate_in_file",
            ],
        )
        .await;
        let at = |code: &str| {
            p["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .find(|e| e["code"] == code)
                .map(|e| {
                    (
                        e["line"].as_u64().unwrap_or(0),
                        e["column"].as_str().unwrap_or("").to_string(),
                    )
                })
        };
        assert_eq!(at("invalid_email"), Some((3, "Email".into())), "{p}");
        assert_eq!(at("unknown_program"), Some((4, "Program".into())));
        assert_eq!(at("required"), Some((5, "First name".into())));
        assert_eq!(at("duplicate_in_file"), Some((6, "Email".into())));
        assert!(
            students_named(&app, &c.office, "ok@north").await.is_empty(),
            "nothing written"
        );

        // A dry run answers the same problems as a report, and writes nothing either.
        let r = expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/students?dry_run=true",
                "s.csv",
                file.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (
                r["rows"].as_u64(),
                r["valid"].as_u64(),
                r["written"].as_bool()
            ),
            (Some(5), Some(1), Some(false))
        );
        assert_eq!(r["errors"].as_array().map(Vec::len), Some(4));
        assert!(students_named(&app, &c.office, "ok@north").await.is_empty());

        // A file missing a required column is refused whole.
        let res = import(
            &app,
            &c.office,
            "/api/v1/imports/students",
            "s.csv",
            b"First name,Email,Colour\nA,a@b.org,red\n",
        )
        .await;
        expect_problem(
            res,
            422,
            &["missing_column", "missing_column", "unknown_column"],
        )
        .await;
        let res = import(
            &app,
            &c.office,
            "/api/v1/imports/students",
            "s.exe",
            b"MZ\x90\x00\x00binary",
        )
        .await;
        expect_problem(res, 422, &["file_type_not_allowed"]).await;

        // valid_only writes only the valid rows and lists the others.
        let r = expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/students?valid_only=true",
                "s.csv",
                file.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (r["created"].as_u64(), r["errors"].as_array().map(Vec::len)),
            (Some(1), Some(4)),
            "{r}"
        );
        assert_eq!(students_named(&app, &c.office, "ok@north").await.len(), 1);
        assert!(students_named(&app, &c.office, "nn@north").await.is_empty());
    }
);

db_test!(
    a_second_import_updates_the_same_people_by_email,
    |app| async move {
        let c = cast(&app).await;
        expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/students",
                "s.csv",
                STUDENTS.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        let again = STUDENTS
            .replace("Mia,Chen,", "Mia,Chen-Wu,")
            .replace("2028-05-15", "2029-01-31");
        let r = expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/students",
                "s.csv",
                again.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (
                r["created"].as_u64(),
                r["updated"].as_u64(),
                r["unchanged"].as_u64(),
                r["accounts_created"].as_u64()
            ),
            (Some(0), Some(1), Some(1), Some(0)),
            "{r}"
        );
        let mia = students_named(&app, &c.office, "mia.chen").await;
        assert_eq!(mia.len(), 1, "no duplicate");
        assert_eq!(mia[0]["last_name"], "Chen-Wu");
        assert_eq!(mia[0]["expected_graduation"], "2029-01-31");
        let users = items(&app.get_ok(&c.admin, "/api/v1/users?q=mia.chen").await);
        assert_eq!(users.len(), 1);
        assert_eq!(users[0]["name"], "Mia Chen-Wu");
        // The fixture's student, already there with an account of someone else's email? No: an
        // email that is another person's account is refused on its row.
        let taken = format!(
            "First name,Last name,Email,Program\nX,Y,{},AS Radiography\n",
            c.admin.user["email"].as_str().unwrap_or("")
        );
        let res = import(
            &app,
            &c.office,
            &format!("/api/v1/imports/students?school_id={}", id(&c.f.school)),
            "s.csv",
            taken.as_bytes(),
        )
        .await;
        expect_problem(res, 422, &["email_taken"]).await;
    }
);

db_test!(a_school_imports_only_its_own_students, |app| async move {
    let c = cast(&app).await;
    let own = "First name,Last name,Email,Program\nKim,Lee,kim@north.edu,AS Radiography\n";
    let r = expect_status(
        import(
            &app,
            &c.school,
            "/api/v1/imports/students",
            "s.csv",
            own.as_bytes(),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(r["created"], 1, "{r}");
    assert_eq!(
        students_named(&app, &c.school, "kim@north").await[0]["school_id"],
        c.f.school["id"]
    );
    // Naming another school is refused on the row, and nothing is written.
    let other = "First name,Last name,Email,School,Program\nAl,Bo,al@south.edu,South College,AS Radiography\n";
    let res = import(
        &app,
        &c.school,
        "/api/v1/imports/students",
        "s.csv",
        other.as_bytes(),
    )
    .await;
    expect_problem(res, 422, &["unknown_program", "unknown_school"]).await;
    // The other school's coordinator cannot reach this school's program by name either.
    let res = import(
        &app,
        &c.other_school,
        "/api/v1/imports/students",
        "s.csv",
        own.as_bytes(),
    )
    .await;
    let (status, _) = outcome(res).await;
    assert_eq!(status, 422);
    // Staff and users are the office's and the admin's.
    for (path, who) in [
        ("/api/v1/imports/staff", &c.school),
        ("/api/v1/imports/users", &c.school),
        ("/api/v1/imports/users", &c.office),
        ("/api/v1/imports/students", &c.student),
    ] {
        let res = import(&app, who, path, "s.csv", b"Name,Email\nA,a@b.org\n").await;
        expect_problem(res, 403, &["forbidden"]).await;
    }
});

db_test!(
    staff_and_users_import_and_templates_download,
    |app| async move {
        let c = cast(&app).await;
        let staff = "Name,Email,Department,Role,Discipline,Max students,License expires\n\
Dr Ada Grey,ada@hospital.org,General Hospital — Radiology,Preceptor,radiography,2,2030-01-01\n\
Sam Hill,sam@hospital.org,radiology,Manager,,,\n";
        let r = expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/staff",
                "st.csv",
                staff.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (r["created"].as_u64(), r["accounts_created"].as_u64()),
            (Some(2), Some(2)),
            "{r}"
        );
        let ada = items(&app.get_ok(&c.office, "/api/v1/staff?q=ada@hospital").await);
        assert_eq!(ada[0]["is_preceptor"], true);
        assert_eq!(ada[0]["department_id"], c.f.department["id"]);
        let r = expect_status(
            import(
                &app,
                &c.office,
                "/api/v1/imports/staff",
                "st.csv",
                staff.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            (r["created"].as_u64(), r["updated"].as_u64()),
            (Some(0), Some(2))
        );

        let users = "Email,Name,Role,School\nfac@north.edu,Fay Cole,Faculty,North College\nboss@hospital.org,Bo Ss,coordinator,\nx@y.org,X,student,\n";
        let res = import(
            &app,
            &c.admin,
            "/api/v1/imports/users",
            "u.csv",
            users.as_bytes(),
        )
        .await;
        expect_problem(res, 422, &["link_required"]).await;
        let r = expect_status(
            import(
                &app,
                &c.admin,
                "/api/v1/imports/users?valid_only=true",
                "u.csv",
                users.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(r["created"], 2, "{r}");
        let fay = items(&app.get_ok(&c.admin, "/api/v1/users?q=fac@north").await);
        assert_eq!(fay[0]["school_id"], c.f.school["id"]);

        for kind in ["students", "staff", "users"] {
            let res = app
                .get(&c.admin, &format!("/api/v1/imports/{kind}/template"))
                .await;
            let text = csv_text(res).await;
            assert!(text.contains("Email"), "{text}");
            let res = app
                .get(
                    &c.admin,
                    &format!("/api/v1/imports/{kind}/template?format=xlsx"),
                )
                .await;
            assert_eq!(res.status(), 200);
            let bytes = res.bytes().await.expect("bytes");
            assert!(bytes.starts_with(b"PK\x03\x04"));
            // The template itself imports: no rows, no problems.
            let r = expect_status(
                import(
                    &app,
                    &c.admin,
                    &format!("/api/v1/imports/{kind}?dry_run=true"),
                    "t.xlsx",
                    &bytes,
                )
                .await,
                200,
            )
            .await;
            assert_eq!(r["rows"], 0, "{r}");
        }
        expect_status(
            app.get(&c.admin, "/api/v1/imports/things/template").await,
            404,
        )
        .await;
    }
);

db_test!(
    an_import_that_updates_reviews_risks_and_keeps_the_audit_chain,
    |app| async move {
        use crate::rules_world::{placed, world};
        let w = world(&app, 3, 3).await;
        let placement = placed(&app, &w, &[&w.students[0]]).await.remove(0);
        let program = w.f.program["name"].as_str().unwrap_or_default();
        let school = w.f.school["name"].as_str().unwrap_or_default();
        let row = |s: &Value, status: &str, graduation: &str, first: &str| {
            format!(
                "{first},{},{},{school},{program},{status},{graduation}\n",
                s["last_name"].as_str().unwrap_or_default(),
                s["email"].as_str().unwrap_or_default()
            )
        };
        // The placed student withdraws; the second graduates later; the third is renamed.
        let mut csv = String::from(
            "First name,Last name,Email,School,Program,Enrollment status,Expected graduation\n",
        );
        let s = &w.students;
        csv.push_str(&row(
            &s[0],
            "withdrawn",
            "2028-05-15",
            s[0]["first_name"].as_str().unwrap_or_default(),
        ));
        csv.push_str(&row(
            &s[1],
            "enrolled",
            "2029-12-20",
            s[1]["first_name"].as_str().unwrap_or_default(),
        ));
        csv.push_str(&row(&s[2], "enrolled", "2028-05-15", "Renamed"));
        let r = expect_status(
            import(
                &app,
                &w.office,
                "/api/v1/imports/students",
                "s.csv",
                csv.as_bytes(),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(r["updated"], 3, "{r}");
        assert_eq!(r["created"], 0, "{r}");
        let got = |i: usize| {
            let app = &app;
            let w = &w;
            async move {
                app.get_ok(
                    &w.office,
                    &format!("/api/v1/students/{}", id(&w.students[i])),
                )
                .await
            }
        };
        assert_eq!(got(0).await["enrollment_status"], "withdrawn");
        assert_eq!(got(1).await["expected_graduation"], "2029-12-20");
        assert_eq!(got(2).await["first_name"], "Renamed");
        // The withdrawn student's placement is at risk, as a one-record change would make it.
        let p = app
            .get_ok(&w.office, &format!("/api/v1/placements/{}", id(&placement)))
            .await;
        assert!(
            !p["risks"].as_array().map(Vec::is_empty).unwrap_or(true),
            "at risk: {p}"
        );
        // Noticed (reviewed) when the import wrote it, not only derived on reading.
        assert!(p["risks"][0]["since"].is_string(), "{p}");
        // Each update is in the trail, with its before and after, and the chain holds.
        let history = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/audit?record_type=student&record_id={}",
                    id(&w.students[1])
                ),
            )
            .await;
        assert!(
            items(&history).iter().any(|e| e["action"] == "update"),
            "{history}"
        );
        let (code, out, err) = crate::audit_chain::cli(&app, &["audit", "verify"]).await;
        assert_eq!(code, 0, "{out}{err}");
    }
);
