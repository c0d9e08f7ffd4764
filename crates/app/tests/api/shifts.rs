//! Issue 15 points 1-3 over HTTP: a placement's shifts generated from the request's weekly
//! pattern, the rules of moving, cancelling and adding a day (every problem at once), who sees
//! and changes which (404 outside the scope, 403 for a role that never may), the private
//! calendar feed read back with a standard parser (stable UIDs, a cancelled day gone, a new
//! link kills the old), and who is on site on a day (JSON and CSV).
use crate::db_test;
use crate::helpers::*;
use crate::requests::{World, approval, clinical, decide, preceptor, submit, world};
use icalendar::Component;
use serde_json::{Value, json};

/// The world's clinical (1 Feb - 31 Mar 2027) with a Monday and Wednesday pattern.
fn with_pattern(w: &World, students: &[&Value]) -> Value {
    let mut body = clinical(w, students);
    body["shifts"] = json!([
        { "weekday": "mon", "starts_at": "07:00", "ends_at": "15:30" },
        { "weekday": "wed", "starts_at": "07:00", "ends_at": "15:30" }
    ]);
    body
}

/// A placement of the first student, approved from a request with the pattern.
async fn placement(app: &TestApp, w: &World) -> Value {
    let students = [&w.students[0]];
    let r = submit(app, w, &with_pattern(w, &students)).await;
    expect_status(
        decide(app, &w.office, &r, &approval(w, &students)).await,
        200,
    )
    .await["placements"][0]
        .clone()
}

fn shifts_path(p: &Value) -> String {
    format!("/api/v1/placements/{}/shifts", id(p))
}

fn shift_path(p: &Value, s: &Value) -> String {
    format!("{}/{}", shifts_path(p), id(s))
}

async fn shifts(app: &TestApp, who: &Caller, p: &Value) -> Vec<Value> {
    items(&app.get_ok(who, &shifts_path(p)).await)
}

db_test!(
    shifts_are_generated_from_the_weekly_pattern,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        let all = shifts(&app, &w.office, &p).await;
        // Nine Mondays (1 Feb - 29 Mar) and nine Wednesdays (3 Feb - 31 Mar).
        assert_eq!(all.len(), 18, "{all:?}");
        assert_eq!(all[0]["date"], "2027-02-01");
        assert_eq!(all[1]["date"], "2027-02-03");
        assert_eq!(all[17]["date"], "2027-03-31");
        for s in &all {
            assert_eq!(s["starts_at"], "07:00");
            assert_eq!(s["ends_at"], "15:30");
            assert_eq!(s["kind"], "regular");
            assert_eq!(s["status"], "scheduled");
            assert_eq!(s["department_id"], w.f.department["id"]);
            assert_eq!(s["supervisor_id"], w.preceptor["id"]);
        }
        // A request without a pattern gives a placement without shifts.
        let students = [&w.students[1]];
        let r = submit(&app, &w, &clinical(&w, &students)).await;
        let bare = expect_status(
            decide(&app, &w.office, &r, &approval(&w, &students)).await,
            200,
        )
        .await["placements"][0]
            .clone();
        assert!(shifts(&app, &w.office, &bare).await.is_empty());
    }
);

db_test!(
    moving_adding_and_cancelling_days_follow_the_rules,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        let all = shifts(&app, &w.office, &p).await;
        let monday = all[0].clone();
        let wednesday = all[1].clone();

        // Move Monday 1 Feb to Tuesday 2 Feb.
        let moved = expect_status(
            app.patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "date": "2027-02-02" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(moved["date"], "2027-02-02");
        assert_eq!(moved["id"], monday["id"]);
        // Onto Wednesday's hours: overlap, 409.
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "date": "2027-02-03" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 409).await), ["shift_overlaps"]);
        // Outside the period as a regular day: 422, with every other problem at once.
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "date": "2027-04-05", "starts_at": "9:00", "colour": "red" }),
            )
            .await;
        let mut got = codes(&expect_status(res, 422).await);
        got.sort();
        // The start that could not be read keeps its value, so the day is checked too.
        assert_eq!(
            got,
            ["invalid_time", "shift_outside_placement", "unknown_field"]
        );
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "date": "2027-04-05" }),
            )
            .await;
        assert_eq!(
            codes(&expect_status(res, 422).await),
            ["shift_outside_placement"]
        );
        // Equal times and a 17-hour day are refused.
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "starts_at": "15:30" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 422).await), ["invalid_shift"]);
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "starts_at": "06:00", "ends_at": "23:00" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 422).await), ["shift_too_long"]);

        // A make-up day after the placement: up to 28 days after its last day.
        let made = expect_status(
            app.post(
                &w.office,
                &shifts_path(&p),
                &json!({ "date": "2027-04-10", "starts_at": "08:00", "ends_at": "12:00" }),
            )
            .await,
            201,
        )
        .await;
        assert_eq!(made["kind"], "make_up");
        assert_eq!(made["supervisor_id"], w.preceptor["id"]);
        let res = app
            .post(
                &w.office,
                &shifts_path(&p),
                &json!({ "date": "2027-04-29", "starts_at": "08:00", "ends_at": "12:00" }),
            )
            .await;
        assert_eq!(
            codes(&expect_status(res, 422).await),
            ["make_up_outside_window"]
        );
        // Every field problem at once.
        let res = app
        .post(
            &w.office,
            &shifts_path(&p),
            &json!({ "date": "someday", "starts_at": "25:00", "kind": "bonus", "department_id": "x", "extra": 1 }),
        )
        .await;
        let mut got = codes(&expect_status(res, 422).await);
        got.sort();
        assert_eq!(
            got,
            [
                "invalid_choice",
                "invalid_date",
                "invalid_id",
                "invalid_time",
                "required",
                "unknown_field"
            ]
        );
        // An unknown department or supervisor is named as such.
        let res = app
        .post(
            &w.office,
            &shifts_path(&p),
            &json!({ "date": "2027-02-05", "starts_at": "08:00", "ends_at": "12:00",
                     "department_id": uuid::Uuid::now_v7().to_string(), "supervisor_id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
        let mut got = codes(&expect_status(res, 422).await);
        got.sort();
        assert_eq!(got, ["unknown_department", "unknown_staff"]);

        // Cancel Wednesday: a reason is required.
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &wednesday),
                &json!({ "status": "cancelled" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 422).await), ["reason_required"]);
        let cancelled = expect_status(
            app.patch(
                &w.office,
                &shift_path(&p, &wednesday),
                &json!({ "status": "cancelled", "reason": "Hospital closed for the storm" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancel_reason"], "Hospital closed for the storm");
        // A cancelled day frees its hours: Monday's shift may now move onto them.
        expect_status(
            app.patch(
                &w.office,
                &shift_path(&p, &monday),
                &json!({ "date": "2027-02-03" }),
            )
            .await,
            200,
        )
        .await;
        // A cancelled day is not moved until it is put back; putting it back checks overlaps.
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &wednesday),
                &json!({ "starts_at": "09:00" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 409).await), ["shift_cancelled"]);
        let res = app
            .patch(
                &w.office,
                &shift_path(&p, &wednesday),
                &json!({ "status": "scheduled" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 409).await), ["shift_overlaps"]);
        let back = expect_status(
            app.patch(
                &w.office,
                &shift_path(&p, &wednesday),
                &json!({ "status": "scheduled", "starts_at": "16:00", "ends_at": "20:00" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(back["status"], "scheduled");
        assert!(back["cancel_reason"].is_null());

        // Every change is audited.
        let trail = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/audit?record_type=shift&record_id={}",
                    id(&wednesday)
                ),
            )
            .await;
        let actions: Vec<String> = items(&trail)
            .iter()
            .filter_map(|e| e["action"].as_str().map(str::to_string))
            .collect();
        assert!(
            actions.iter().any(|a| a == "cancel") && actions.iter().any(|a| a == "restore"),
            "{actions:?}"
        );

        // Days gone by are the office's to change: the preceptor may not, the office may.
        app.clock.advance(chrono::Duration::days(40)); // 13 Feb 2027
        // (Sessions idle out over 40 days: everyone signs in again.)
        let prec = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let office = app.coordinator().await;
        let res = app
            .patch(
                &prec,
                &shift_path(&p, &all[2]),
                &json!({ "starts_at": "08:00" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 409).await), ["shift_in_past"]);
        expect_status(
            app.patch(
                &office,
                &shift_path(&p, &all[2]),
                &json!({ "starts_at": "08:00" }),
            )
            .await,
            200,
        )
        .await;

        // A cancelled placement's days no longer change.
        expect_status(
            app.post(
                &office,
                &format!("/api/v1/placements/{}/transition", id(&p)),
                &json!({ "to": "cancelled", "reason": "withdrawn" }),
            )
            .await,
            200,
        )
        .await;
        let res = app
            .post(
                &office,
                &shifts_path(&p),
                &json!({ "date": "2027-03-20", "starts_at": "08:00", "ends_at": "12:00" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 409).await), ["placement_closed"]);
    }
);

db_test!(
    each_role_sees_and_changes_only_its_own_shifts,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        let first = shifts(&app, &w.office, &p).await[0].clone();
        let ct = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": "CT", "setting": "imaging", "capacity": 4,
                     "disciplines": ["radiography"] }),
        )
        .await;
        let other_preceptor = preceptor(&app, &w.office, &ct, "radiography", 2, json!({})).await;
        let manager_staff = preceptor(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            0,
            json!({ "is_preceptor": false }),
        )
        .await;
        let other_manager_staff = preceptor(
            &app,
            &w.office,
            &ct,
            "radiography",
            0,
            json!({ "is_preceptor": false }),
        )
        .await;
        let student = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let other_student = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        let prec = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let other_prec = app
            .user("preceptor", json!({ "staff_id": other_preceptor["id"] }))
            .await;
        let manager = app
            .user(
                "department_manager",
                json!({ "staff_id": manager_staff["id"] }),
            )
            .await;
        let other_manager = app
            .user(
                "department_manager",
                json!({ "staff_id": other_manager_staff["id"] }),
            )
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

        for (who, c) in [
            ("student", &student),
            ("school", &w.school),
            ("preceptor", &prec),
            ("manager", &manager),
            ("office", &w.office),
        ] {
            assert_eq!(shifts(&app, c, &p).await.len(), 18, "{who}");
        }
        for (who, c) in [
            ("other student", &other_student),
            ("other school", &other_school),
            ("other preceptor", &other_prec),
            ("other manager", &other_manager),
            ("faculty of the school, not this placement's", &faculty),
        ] {
            let res = app.get(c, &shifts_path(&p)).await;
            assert_eq!(
                codes(&expect_status(res, 404).await),
                ["not_found"],
                "{who}"
            );
        }
        // Writes: a role that never may is 403; a supervisor of another placement 404.
        let body = json!({ "date": "2027-02-05", "starts_at": "08:00", "ends_at": "12:00" });
        for (who, c) in [
            ("student", &student),
            ("school", &w.school),
            ("manager", &manager),
        ] {
            let res = app.post(c, &shifts_path(&p), &body).await;
            assert_eq!(
                codes(&expect_status(res, 403).await),
                ["forbidden"],
                "{who}"
            );
            let res = app
                .patch(c, &shift_path(&p, &first), &json!({ "starts_at": "08:00" }))
                .await;
            assert_eq!(
                codes(&expect_status(res, 403).await),
                ["forbidden"],
                "{who}"
            );
        }
        let res = app.post(&other_prec, &shifts_path(&p), &body).await;
        assert_eq!(codes(&expect_status(res, 404).await), ["not_found"]);
        let res = app
            .patch(
                &other_prec,
                &shift_path(&p, &first),
                &json!({ "starts_at": "08:00" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 404).await), ["not_found"]);
        // The placement's own preceptor adds a make-up day and moves one.
        expect_status(app.post(&prec, &shifts_path(&p), &body).await, 201).await;
        expect_status(
            app.patch(
                &prec,
                &shift_path(&p, &first),
                &json!({ "starts_at": "08:00" }),
            )
            .await,
            200,
        )
        .await;
        // A shift id under another placement, or ids that are not ids, name nothing.
        let students = [&w.students[2]];
        let r = submit(&app, &w, &with_pattern(&w, &students)).await;
        let q = expect_status(
            decide(&app, &w.office, &r, &approval(&w, &students)).await,
            200,
        )
        .await["placements"][0]
            .clone();
        let res = app
            .patch(
                &w.office,
                &shift_path(&q, &first),
                &json!({ "starts_at": "08:00" }),
            )
            .await;
        assert_eq!(codes(&expect_status(res, 404).await), ["not_found"]);
        let res = app
            .patch(
                &w.office,
                &format!("{}/not-an-id", shifts_path(&p)),
                &json!({ "starts_at": "08:00" }),
            )
            .await;
        assert_eq!(res.status().as_u16(), 404);
        // Everyone gets the shifts they see and no other: the other student's schedule page has
        // none of this placement's.
        let page = expect_page(
            app.client
                .get(app.url("/schedule?date=2027-02-01"))
                .header(
                    "cookie",
                    format!("practicum_session={}", other_student.token),
                )
                .send()
                .await
                .expect("request"),
            200,
        )
        .await;
        assert!(page.contains("No shifts in this period."), "{page}");
        let page = expect_page(
            app.client
                .get(app.url("/schedule?date=2027-02-01&view=month"))
                .header("cookie", format!("practicum_session={}", student.token))
                .send()
                .await
                .expect("request"),
            200,
        )
        .await;
        assert!(page.contains("February 2027"), "{page}");
        assert!(page.contains("07:00–15:30 Radiology"), "{page}");
        // The office's calendar filters by department: none of these are in CT.
        let page = expect_page(
            app.client
                .get(app.url(&format!(
                    "/schedule?date=2027-02-01&department_id={}",
                    id(&ct)
                )))
                .header("cookie", format!("practicum_session={}", w.office.token))
                .send()
                .await
                .expect("request"),
            200,
        )
        .await;
        assert!(page.contains("No shifts in this period."), "{page}");
        // The endpoints are in the OpenAPI document.
        let spec: Value = app
            .client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        for path in [
            "/api/v1/placements/{id}/shifts",
            "/api/v1/placements/{id}/shifts/{shift_id}",
            "/api/v1/on-site",
            "/api/v1/me/calendar-feed",
        ] {
            assert!(spec["paths"].get(path).is_some(), "{path} is documented");
        }
    }
);

/// The events of a feed as (UID, DTSTART as written).
fn events(text: &str) -> Vec<(String, String)> {
    let cal: icalendar::Calendar = text.parse().expect("the feed parses as iCalendar");
    cal.components
        .iter()
        .filter_map(|c| c.as_event())
        .map(|e| {
            (
                e.get_uid().expect("every event has a UID").to_string(),
                e.property_value("DTSTART").unwrap_or("").to_string(),
            )
        })
        .collect()
}

async fn feed(app: &TestApp, url: &str) -> reqwest::Response {
    let path = &url[url.find("/calendar/").expect("a feed URL")..];
    // No session: the token is the key.
    app.client.get(app.url(path)).send().await.expect("request")
}

async fn new_link(app: &TestApp, who: &Caller) -> String {
    let res = app.post(who, "/api/v1/me/calendar-feed", &json!({})).await;
    expect_status(res, 201).await["url"]
        .as_str()
        .expect("a url")
        .to_string()
}

db_test!(
    the_calendar_feed_reads_back_with_stable_uids,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        let all = shifts(&app, &w.office, &p).await;
        let student = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let url = new_link(&app, &student).await;
        assert!(url.ends_with(".ics"), "{url}");
        let res = feed(&app, &url).await;
        assert_eq!(res.status().as_u16(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let before = events(&res.text().await.expect("text"));
        let shift_uids: Vec<&(String, String)> = before
            .iter()
            .filter(|(u, _)| u.starts_with("shift-"))
            .collect();
        assert_eq!(shift_uids.len(), 18, "{before:?}");
        assert_eq!(
            before
                .iter()
                .filter(|(u, _)| u.starts_with(&format!("placement-{}@", id(&p))))
                .count(),
            1
        );
        let uid_of = |s: &Value| format!("shift-{}@", id(s));
        let first = before
            .iter()
            .find(|(u, _)| u.starts_with(&uid_of(&all[0])))
            .expect("the first shift is in the feed");
        // The office's zone is UTC by default: 07:00 on 1 Feb is 07:00Z.
        assert_eq!(first.1, "20270201T070000Z");

        // Move the first shift and cancel the second.
        expect_status(
            app.patch(
                &w.office,
                &shift_path(&p, &all[0]),
                &json!({ "date": "2027-02-02" }),
            )
            .await,
            200,
        )
        .await;
        expect_status(
            app.patch(
                &w.office,
                &shift_path(&p, &all[1]),
                &json!({ "status": "cancelled", "reason": "closure" }),
            )
            .await,
            200,
        )
        .await;
        let after = events(&feed(&app, &url).await.text().await.expect("text"));
        assert_eq!(
            after
                .iter()
                .filter(|(u, _)| u.starts_with("shift-"))
                .count(),
            17,
            "moved, not doubled; the cancelled day gone"
        );
        let moved: Vec<&(String, String)> = after
            .iter()
            .filter(|(u, _)| u.starts_with(&uid_of(&all[0])))
            .collect();
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].1, "20270202T070000Z");
        assert!(!after.iter().any(|(u, _)| u.starts_with(&uid_of(&all[1]))));

        // The other student's feed has none of it.
        let other = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        let theirs = events(
            &feed(&app, &new_link(&app, &other).await)
                .await
                .text()
                .await
                .expect("text"),
        );
        assert!(theirs.is_empty(), "{theirs:?}");

        // A new link kills the old one; a made-up token is 404 too.
        let renewed = new_link(&app, &student).await;
        assert_ne!(renewed, url);
        assert_eq!(feed(&app, &url).await.status().as_u16(), 404);
        assert_eq!(feed(&app, &renewed).await.status().as_u16(), 200);
        let res = app
            .client
            .get(app.url("/calendar/not-a-token.ics"))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 404);
        // A cancelled placement leaves the feed, its shifts with it.
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/placements/{}/transition", id(&p)),
                &json!({ "to": "cancelled", "reason": "withdrawn" }),
            )
            .await,
            200,
        )
        .await;
        let gone = events(&feed(&app, &renewed).await.text().await.expect("text"));
        assert!(gone.is_empty(), "{gone:?}");
    }
);

db_test!(who_is_on_site_today, |app| async move {
    let w = world(&app, 4, 2).await;
    let p = placement(&app, &w).await;
    // Proposed placements bring nobody; a confirmed one does.
    let on = |date: &str| format!("/api/v1/on-site?date={date}");
    assert!(items(&app.get_ok(&w.office, &on("2027-02-01")).await).is_empty());
    expect_status(
        app.post(
            &w.office,
            &format!("/api/v1/placements/{}/transition", id(&p)),
            &json!({ "to": "confirmed" }),
        )
        .await,
        200,
    )
    .await;
    let day = app.get_ok(&w.office, &on("2027-02-01")).await;
    assert_eq!(day["date"], "2027-02-01");
    let rows = items(&day);
    assert_eq!(rows.len(), 1, "{day}");
    let r = &rows[0];
    assert_eq!(r["student_name"], full_name(&w.students[0]));
    assert_eq!(r["department_name"], "Radiology");
    assert_eq!(r["site_name"], "General Hospital");
    assert_eq!(r["starts_at"], "07:00");
    assert_eq!(r["supervisor_name"], "Pat Preceptor");
    assert_eq!(r["placement_id"], p["id"]);
    // No evidence yet: not cleared, so marked.
    assert_ne!(r["clearance"], "cleared");
    assert_eq!(r["needs_attention"], true);
    // Tuesday: nobody.
    assert!(items(&app.get_ok(&w.office, &on("2027-02-02")).await).is_empty());
    // A cancelled day takes the student off that day's list.
    let first = shifts(&app, &w.office, &p).await[0].clone();
    expect_status(
        app.patch(
            &w.office,
            &shift_path(&p, &first),
            &json!({ "status": "cancelled", "reason": "holiday" }),
        )
        .await,
        200,
    )
    .await;
    assert!(items(&app.get_ok(&w.office, &on("2027-02-01")).await).is_empty());
    assert_eq!(
        items(&app.get_ok(&w.office, &on("2027-02-03")).await).len(),
        1
    );

    // The department's manager sees it; another department's does not; others may not ask.
    let manager_staff = preceptor(
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
    assert_eq!(
        items(&app.get_ok(&manager, &on("2027-02-03")).await).len(),
        1
    );
    let ct = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": "CT", "setting": "imaging", "capacity": 4,
                     "disciplines": ["radiography"] }),
        )
        .await;
    let ct_staff = preceptor(
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
    assert!(items(&app.get_ok(&ct_manager, &on("2027-02-03")).await).is_empty());
    // A filter never widens the scope.
    assert!(
        items(
            &app.get_ok(
                &ct_manager,
                &format!("{}&department_id={}", on("2027-02-03"), id(&w.f.department))
            )
            .await
        )
        .is_empty()
    );
    let student = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let prec = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    for c in [&student, &prec, &w.school] {
        let res = app.get(c, &on("2027-02-03")).await;
        assert_eq!(codes(&expect_status(res, 403).await), ["forbidden"]);
    }
    let res = app.get(&w.office, "/api/v1/on-site?date=3 Feb").await;
    assert_eq!(codes(&expect_status(res, 422).await), ["invalid_date"]);

    // The page, and its CSV with the byte-order mark.
    let page = expect_page(
        app.client
            .get(app.url("/on-site?date=2027-02-03"))
            .header("cookie", format!("practicum_session={}", w.office.token))
            .send()
            .await
            .expect("request"),
        200,
    )
    .await;
    assert!(page.contains(&full_name(&w.students[0])), "{page}");
    assert!(page.contains("check before entry"), "{page}");
    let csv = csv_text(
        app.client
            .get(app.url("/on-site?date=2027-02-03&format=csv"))
            .header("cookie", format!("practicum_session={}", manager.token))
            .send()
            .await
            .expect("request"),
    )
    .await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Student,Site,Department,Hours,Supervisor,Clearance,Badge,Risks,Attention"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].starts_with(&format!(
            "{},General Hospital,Radiology,07:00–15:30,Pat Preceptor,not cleared",
            full_name(&w.students[0])
        )),
        "{csv}"
    );
});

db_test!(
    placements_made_before_shifts_get_theirs_at_migrate,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        // As if the placement had been made before migration 0019.
        crate::audit_chain::raw(
            &app,
            &[&format!(
                "DELETE FROM shifts WHERE placement_id = '{}'",
                id(&p)
            )],
        )
        .await
        .expect("delete");
        assert!(shifts(&app, &w.office, &p).await.is_empty());
        app.state.db.migrate().await.expect("migrate (backfill)");
        assert_eq!(shifts(&app, &w.office, &p).await.len(), 18);
        // Idempotent: a placement with shifts is left alone.
        app.state.db.migrate().await.expect("again");
        assert_eq!(shifts(&app, &w.office, &p).await.len(), 18);
    }
);

db_test!(
    the_feed_writes_the_office_time_zone_in_utc,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        let first = shifts(&app, &w.office, &p).await[0].clone();
        let admin = app.admin().await;
        expect_status(
            app.patch(
                &admin,
                "/api/v1/settings",
                &json!({ "time_zone": "America/New_York" }),
            )
            .await,
            200,
        )
        .await;
        let prec = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let text = feed(&app, &new_link(&app, &prec).await)
            .await
            .text()
            .await
            .expect("text");
        assert!(text.contains("X-WR-TIMEZONE:America/New_York"), "{text}");
        let evs = events(&text);
        let ev = evs
            .iter()
            .find(|(u, _)| u.starts_with(&format!("shift-{}@", id(&first))))
            .expect("the shift");
        // 07:00 in Boston in February is 12:00 UTC.
        assert_eq!(ev.1, "20270201T120000Z");
        // The preceptor's summary names the student.
        assert!(
            text.contains(&format!("SUMMARY:Shift: {}", full_name(&w.students[0]))),
            "{text}"
        );
    }
);

db_test!(
    the_placement_page_says_the_sites_address_and_what_to_do_on_arrival,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let p = placement(&app, &w).await;
        let site = format!("/api/v1/sites/{}", id(&w.f.site));
        // Additive fields: null until recorded, then kept, then cleared by null.
        let before = app.get_ok(&w.office, &site).await;
        assert!(before["address"].is_null(), "{before}");
        let after = expect_status(
            app.patch(
                &w.office,
                &site,
                &json!({ "address": "55 Fruit Street, Boston, MA 02114",
                         "arrival_notes": "Badge pick-up at the Gray lobby desk from 6:30." }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(after["address"], "55 Fruit Street, Boston, MA 02114");
        assert_eq!(after["name"], before["name"], "the name kept");
        let bad = app.patch(&w.office, &site, &json!({ "address": 7 })).await;
        assert_eq!(bad.status(), 422);
        let student = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let cookie = crate::rules_world::page_login(&app, &student).await;
        let (status, html) =
            crate::rules_world::page(&app, &cookie, &format!("/placements/{}", id(&p))).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("55 Fruit Street, Boston, MA 02114"), "{html}");
        assert!(
            html.contains("Badge pick-up at the Gray lobby desk"),
            "{html}"
        );
        let cleared = expect_status(
            app.patch(&w.office, &site, &json!({ "address": null }))
                .await,
            200,
        )
        .await;
        assert!(cleared["address"].is_null(), "{cleared}");
        assert_eq!(cleared["arrival_notes"], after["arrival_notes"]);
    }
);
