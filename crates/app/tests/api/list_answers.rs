//! Issue 18, point 4: a list's answer is kept for its asker while no write has committed since
//! (`http::api::kept`). Kept or not, every list answers what reading the store would: each
//! asker their own scope, each write on the next read (another process's within the watch's
//! poll), and callers reading the same page at once one identical answer.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};
use std::time::Duration;

const STUDENTS: &str = "/api/v1/students?limit=50";

fn last_names(list: &Value) -> Vec<String> {
    items(list)
        .iter()
        .map(|s| s["last_name"].as_str().unwrap_or_default().to_string())
        .collect()
}

db_test!(a_kept_answer_is_its_askers_own, |app| async move {
    let c = cast(&app).await;
    let south_program = app
        .create(
            &c.office,
            &format!("/api/v1/schools/{}/programs", id(&c.f.other_school)),
            &json!({ "name": "AS Radiography", "discipline": "radiography", "degree_level": "associate",
                     "accredited_until": "2030-06-30" }),
        )
        .await;
    let south = app
        .create(
            &c.office,
            "/api/v1/students",
            &json!({ "school_id": c.f.other_school["id"], "program_id": south_program["id"], "first_name": "Sam", "last_name": "South",
                     "email": format!("sam-{}@south.edu", uuid::Uuid::now_v7().simple()) }),
        )
        .await;
    let north = id(&c.f.student);
    // Each asker twice, in turns, on the same path: the second read is the kept one.
    for _ in 0..2 {
        let office = app.get_ok(&c.office, STUDENTS).await;
        let school = app.get_ok(&c.school, STUDENTS).await;
        let other = app.get_ok(&c.other_school, STUDENTS).await;
        let student = app.get(&c.student, STUDENTS).await;
        assert!(ids(&office).contains(&north) && ids(&office).contains(&id(&south)));
        assert_eq!(ids(&school), vec![north.clone()]);
        assert_eq!(ids(&other), vec![id(&south)]);
        // Whatever the student's role answers here, it is never another school's student.
        if student.status() == 200 {
            let mine = expect_status(student, 200).await;
            assert!(!ids(&mine).contains(&id(&south)));
        }
    }
});

db_test!(a_kept_answer_follows_every_write, |app| async move {
    let c = cast(&app).await;
    let before = app.get_ok(&c.school, STUDENTS).await;
    assert_eq!(last_names(&before), vec!["Lopez"]);
    assert_eq!(app.get_ok(&c.school, STUDENTS).await, before);

    // A write by someone else (the office), then the school's next read.
    let added = app
        .create(
            &c.office,
            "/api/v1/students",
            &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"],
                     "first_name": "Bo", "last_name": "Baker",
                     "email": format!("bo-{}@north.edu", uuid::Uuid::now_v7().simple()) }),
        )
        .await;
    let after = app.get_ok(&c.school, STUDENTS).await;
    assert!(ids(&after).contains(&id(&added)), "{after}");
    let path = format!("/api/v1/students/{}", id(&added));
    expect_status(
        app.patch(&c.office, &path, &json!({ "last_name": "Barker" }))
            .await,
        200,
    )
    .await;
    let renamed = app.get_ok(&c.school, STUDENTS).await;
    assert_eq!(item_of(&renamed, &added)["last_name"], "Barker");

    // A write by another process, outside the server's pool and write count: seen within
    // the watch's poll, not after the 30 s a kept answer may otherwise last.
    app.get_ok(&c.school, STUDENTS).await;
    let other = practicum::db::Db::connect(&app.state.config.database_url(), 1)
        .await
        .expect("a second connection");
    let sql = "UPDATE students SET last_name = 'Elsewhere' WHERE id = $1";
    let changed = match other.pool() {
        practicum::db::Pool::Sqlite(p) => sqlx::query(sql)
            .bind(id(&added))
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        practicum::db::Pool::Postgres(p) => sqlx::query(sql)
            .bind(id(&added))
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
    .expect("updated");
    assert_eq!(changed, 1);
    other.close().await;
    poll(Duration::from_secs(10), || async {
        let list = app.get_ok(&c.school, STUDENTS).await;
        (item_of(&list, &added)["last_name"] == "Elsewhere").then_some(())
    })
    .await;
});

db_test!(
    callers_reading_a_page_at_once_get_one_answer,
    |app| async move {
        let c = cast(&app).await;
        for n in 0..5 {
            app.create(
            &c.office,
            "/api/v1/students",
            &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"], "first_name": "Cal", "last_name": format!("Crowd{n}"),
                     "email": format!("cal-{}@north.edu", uuid::Uuid::now_v7().simple()) }),
        )
        .await;
        }
        for path in [
            STUDENTS,
            "/api/v1/placement-requests?limit=50",
            "/api/v1/placements?limit=50",
            "/api/v1/documents?limit=50",
        ] {
            // Right after a write, so every caller misses and all but one wait for its answer.
            app.create(
                &c.office,
                "/api/v1/sites",
                &json!({ "name": format!("Annex {}", uuid::Uuid::now_v7().simple()) }),
            )
            .await;
            let reads = (0..16).map(|_| app.get_ok(&c.office, path));
            let answers = futures_util::future::join_all(reads).await;
            assert!(
                answers.iter().all(|a| a == &answers[0]),
                "{path}: the answers differ"
            );
            let fresh = app.get_ok(&c.office, path).await;
            assert_eq!(fresh, answers[0], "{path}");
        }
        // A bad query is never kept: it fails each time with its own problem.
        for _ in 0..2 {
            expect_problem(
                app.get(&c.office, "/api/v1/students?limit=zero").await,
                422,
                &["invalid_limit"],
            )
            .await;
        }
    }
);

db_test!(
    a_students_kept_answer_follows_every_change_to_it,
    |app| async move {
        // Each read asks a page never asked before (its own limit), so no whole answer kept
        // by `kept_json` answers it: only the students' own kept answers (by row tag) can.
        // Every listed student must read as their own record reads, after each kind of write.
        let c = cast(&app).await;
        let mut limit = 60;
        let mut fresh_list = || {
            limit -= 1;
            format!("/api/v1/students?limit={limit}")
        };
        let student = c.f.student.clone();
        let record = format!("/api/v1/students/{}", id(&student));
        let listed_as_read = |list: Value, read: Value| {
            let mut item = item_of(&list, &student);
            let mut read = read;
            for v in [&mut item, &mut read] {
                if let Some(o) = v.as_object_mut() {
                    o.remove("affected_placements");
                }
            }
            assert_eq!(item, read, "the list and the record differ");
            item
        };
        let listed = listed_as_read(
            app.get_ok(&c.office, &fresh_list()).await,
            app.get_ok(&c.office, &record).await,
        );
        assert_eq!(listed["last_name"], "Lopez");

        // Through the API: a name, then a transfer (an enrollment ended, another started).
        expect_status(
            app.patch(&c.office, &record, &json!({ "first_name": "Alexa" }))
                .await,
            200,
        )
        .await;
        let listed = listed_as_read(
            app.get_ok(&c.office, &fresh_list()).await,
            app.get_ok(&c.office, &record).await,
        );
        assert_eq!(listed["first_name"], "Alexa");
        let south_program = app
            .create(
                &c.office,
                &format!("/api/v1/schools/{}/programs", id(&c.f.other_school)),
                &json!({ "name": "AS Radiography", "discipline": "radiography", "degree_level": "associate",
                         "accredited_until": "2030-06-30" }),
            )
            .await;
        app.clock.advance(chrono::Duration::minutes(2));
        expect_status(
            app.post(
                &c.office,
                &format!("{record}/transfer"),
                &json!({ "school_id": c.f.other_school["id"], "program_id": south_program["id"] }),
            )
            .await,
            200,
        )
        .await;
        let listed = listed_as_read(
            app.get_ok(&c.office, &fresh_list()).await,
            app.get_ok(&c.office, &record).await,
        );
        assert_eq!(listed["school_id"], c.f.other_school["id"]);
        assert_eq!(listed["enrollments"].as_array().map(Vec::len), Some(2));

        // Another process, by hand: the student's row, then each kind of write to their
        // enrollments. The next read shows each at once (no watch poll needed: the tags are
        // read from the store on every page).
        let sid = id(&student);
        let writes: [(&str, &[&str]); 4] = [
            ("UPDATE students SET email = 'moved@elsewhere.edu' WHERE id = $1", &[&sid]),
            (
                "UPDATE enrollments SET status = 'leave' WHERE student_id = $1 AND ended_at IS NULL",
                &[&sid],
            ),
            (
                "INSERT INTO enrollments (id, student_id, school_id, program_id, status, started_at)
                 SELECT $2, student_id, school_id, program_id, 'enrolled', started_at FROM enrollments
                 WHERE student_id = $1 AND ended_at IS NULL",
                &[&sid, "0190aaaa-0000-7000-8000-000000000001"],
            ),
            (
                "DELETE FROM enrollments WHERE id = '0190aaaa-0000-7000-8000-000000000001'",
                &[],
            ),
        ];
        // Each write changes what the record reads (a delete restores an earlier read), and
        // the list shows it within the watch's poll: a page's ids and tags may come from the
        // listing kept whole until a write (db::listings), as every kept value.
        let mut seen = vec![listed];
        for (sql, binds) in writes {
            assert_eq!(another_process(&app, sql, binds).await, 1, "{sql}");
            let record_now = app.get_ok(&c.office, &record).await;
            let (app, c, last, listed_as_read) = (&app, &c, seen.last(), &listed_as_read);
            let listed = poll(Duration::from_secs(10), || {
                let (path, record_now) = (fresh_list(), record_now.clone());
                async move {
                    let listed = listed_as_read(app.get_ok(&c.office, &path).await, record_now);
                    (last != Some(&listed)).then_some(listed)
                }
            })
            .await;
            seen.push(listed);
        }
        let last = seen.last().expect("read");
        assert_eq!(last["email"], "moved@elsewhere.edu");
        assert_eq!(last["enrollments"].as_array().map(Vec::len), Some(2));
        assert_eq!(last["enrollments"][1]["enrollment_status"], "leave");
    }
);
