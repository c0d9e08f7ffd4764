//! Attendance and hours (issue 15 point 4): the student logs days and absences on an active
//! placement, the supervisor approves or returns them (one or many, all or nothing), approved
//! entries are locked, totals count against the required hours, a CSV, the 7-day reminder
//! once, and every role's scope.
use crate::helpers::*;
use crate::rules_world::{World, clear, department, placed, staff, transition, world};
use serde_json::{Value, json};

/// Sessions that outlast the clock moving by weeks.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

/// An active clinical placement (2027-02-01 – 2027-03-31, 32 hours a week) with the clock on
/// Wednesday 10 February 2027; its student and preceptor signed in.
struct Active {
    w: World,
    student: Caller,
    preceptor: Caller,
    placement: Value,
}

impl Active {
    fn entries(&self) -> String {
        format!("/api/v1/placements/{}/time-entries", id(&self.placement))
    }

    fn entry(&self, e: &Value) -> String {
        format!("{}/{}", self.entries(), id(e))
    }

    fn hours(&self) -> String {
        format!("/api/v1/placements/{}/hours", id(&self.placement))
    }
}

fn move_to(app: &TestApp, at: &str) {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .expect("an instant")
        .with_timezone(&chrono::Utc);
    app.clock.advance(at - app.clock.now());
}

async fn active(app: &TestApp) -> Active {
    let w = world(app, 4, 4).await;
    let placement = placed(app, &w, &[&w.students[0]]).await.remove(0);
    let student = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    clear(app, &w, &student, &id(&w.students[0]), &placement).await;
    move_to(app, "2027-02-10T12:00:00Z");
    let started = expect_status(
        transition(app, &w.office, &placement, &json!({ "to": "active" })).await,
        200,
    )
    .await;
    assert_eq!(started["status"], "active", "{started}");
    let preceptor = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    Active {
        w,
        student,
        preceptor,
        placement,
    }
}

fn day(date: &str, hours: f64) -> Value {
    json!({ "date": date, "hours": hours, "activity": "Positioning for chest films" })
}

async fn log(app: &TestApp, a: &Active, body: &Value) -> Value {
    app.create(&a.student, &a.entries(), body).await
}

async fn decide(app: &TestApp, who: &Caller, body: &Value) -> reqwest::Response {
    app.post(who, "/api/v1/time-entries/approve", body).await
}

crate::db_test_with!(
    a_student_logs_hours_and_clock_times_and_an_absence,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        let first = log(&app, &a, &day("2027-02-02", 7.5)).await;
        assert_eq!(first["hours"], 7.5);
        assert_eq!(first["status"], "pending");
        assert_eq!(first["kind"], "worked");
        let clocked = log(
            &app,
            &a,
            &json!({ "date": "2027-02-01", "clock_in": "07:00", "clock_out": "15:30",
                     "activity": "Orientation", "notes": "Met the team" }),
        )
        .await;
        assert_eq!(clocked["hours"], 8.5, "derived from the clock: {clocked}");
        assert_eq!(clocked["clock_in"], "07:00");
        let today = log(&app, &a, &day("2027-02-10", 4.0)).await;
        assert_eq!(today["date"], "2027-02-10", "today may be logged");
        let absence = log(
            &app,
            &a,
            &json!({ "date": "2027-02-03", "kind": "absence", "absence_reason": "Flu",
                     "make_up_on": "2027-04-09" }),
        )
        .await;
        assert_eq!(absence["hours"], 0.0);
        assert_eq!(absence["make_up_on"], "2027-04-09");
        let list = app.get_ok(&a.student, &a.entries()).await;
        let dates: Vec<String> = items(&list)
            .iter()
            .map(|e| e["date"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(
            dates,
            ["2027-02-01", "2027-02-02", "2027-02-03", "2027-02-10"]
        );
        let h = app.get_ok(&a.student, &a.hours()).await;
        assert_eq!(h["pending_hours"], 20.0, "{h}");
        assert_eq!(h["approved_hours"], 0.0);
        assert_eq!(h["absences"], 1);
        // 32 hours a week over 59 days.
        assert_eq!(h["required_hours"], 269.72, "{h}");
        assert_eq!(h["hours_per_week"], 32);
        // Each is audited.
        let trail = crate::rules_world::actions(&app, &a.w.office, "time_entry", &id(&first)).await;
        assert_eq!(trail, ["create"]);
        // The student changes a pending entry: from hours to a clock.
        let changed = expect_status(
            app.patch(
                &a.student,
                &a.entry(&first),
                &json!({ "clock_in": "08:00", "clock_out": "12:00" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(changed["hours"], 4.0, "{changed}");
        expect_status(
            app.raw(
                &a.student,
                reqwest::Method::DELETE,
                &a.entry(&today),
                None,
                vec![],
            )
            .await,
            204,
        )
        .await;
        let h = app.get_ok(&a.student, &a.hours()).await;
        assert_eq!(h["pending_hours"], 12.5, "{h}");
    }
);

crate::db_test_with!(
    every_problem_of_an_entry_is_answered_at_once,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        expect_problem(
            app.post(
                &a.student,
                &a.entries(),
                &json!({ "date": "2027-02-20", "hours": 25, "clock_in": "7am", "colour": "red" }),
            )
            .await,
            422,
            &[
                "unknown_field",
                "hours_out_of_range",
                "invalid_time",
                "required",
                "date_in_future",
            ],
        )
        .await;
        expect_problem(
            app.post(
                &a.student,
                &a.entries(),
                &json!({ "date": "2027-01-15", "clock_in": "15:00", "clock_out": "07:00",
                         "activity": "Film review", "absence_reason": "none" }),
            )
            .await,
            422,
            &[
                "date_outside_placement",
                "clock_out_before_clock_in",
                "not_applicable",
            ],
        )
        .await;
        expect_problem(
            app.post(
                &a.student,
                &a.entries(),
                &json!({ "date": "2027-02-09", "hours": 8, "clock_in": "07:00", "clock_out": "15:00",
                         "activity": "Film review" }),
            )
            .await,
            422,
            &["hours_and_clock"],
        )
        .await;
        expect_problem(
            app.post(
                &a.student,
                &a.entries(),
                &json!({ "date": "2027-02-08", "kind": "absence", "hours": 3, "make_up_on": "2027-05-01" }),
            )
            .await,
            422,
            &["required", "not_applicable", "make_up_outside_window"],
        )
        .await;
        expect_problem(
            app.post(
                &a.student,
                &a.entries(),
                &json!({ "hours": 0, "activity": "x" }),
            )
            .await,
            422,
            &["required", "hours_out_of_range"],
        )
        .await;
        // One entry per day.
        let kept = log(&app, &a, &day("2027-02-04", 8.0)).await;
        expect_problem(
            app.post(&a.student, &a.entries(), &day("2027-02-04", 2.0))
                .await,
            409,
            &["entry_exists"],
        )
        .await;
        // Not JSON: 400; a path id that is not a UUID: 404.
        expect_status(
            app.raw(
                &a.student,
                reqwest::Method::POST,
                &a.entries(),
                Some("text/plain"),
                b"8h".to_vec(),
            )
            .await,
            400,
        )
        .await;
        expect_status(
            app.post(
                &a.student,
                "/api/v1/placements/nope/time-entries",
                &day("2027-02-05", 1.0),
            )
            .await,
            404,
        )
        .await;
        // A completed placement takes no more hours.
        expect_status(
            transition(
                &app,
                &a.w.office,
                &a.placement,
                &json!({ "to": "completed", "reason": "hours kept on paper" }),
            )
            .await,
            200,
        )
        .await;
        expect_problem(
            app.post(&a.student, &a.entries(), &day("2027-02-05", 8.0))
                .await,
            409,
            &["placement_not_active"],
        )
        .await;
        expect_problem(
            app.patch(&a.student, &a.entry(&kept), &json!({ "hours": 6 }))
                .await,
            409,
            &["placement_not_active"],
        )
        .await;
        expect_problem(
            app.raw(
                &a.student,
                reqwest::Method::DELETE,
                &a.entry(&kept),
                None,
                vec![],
            )
            .await,
            409,
            &["placement_not_active"],
        )
        .await;
    }
);

crate::db_test_with!(
    a_placement_not_started_takes_no_hours,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let placement = placed(&app, &w, &[&w.students[1]]).await.remove(0);
        let student = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        move_to(&app, "2027-02-10T12:00:00Z");
        expect_problem(
            app.post(
                &student,
                &format!("/api/v1/placements/{}/time-entries", id(&placement)),
                &day("2027-02-02", 8.0),
            )
            .await,
            409,
            &["placement_not_active"],
        )
        .await;
    }
);

crate::db_test_with!(
    the_supervisor_approves_and_returns_one_or_many_and_approved_entries_lock,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        let e1 = log(&app, &a, &day("2027-02-01", 8.0)).await;
        let e2 = log(&app, &a, &day("2027-02-02", 8.0)).await;
        let e3 = log(&app, &a, &day("2027-02-03", 6.0)).await;
        let e4 = log(&app, &a, &day("2027-02-04", 7.0)).await;
        // One approved.
        let done = expect_status(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [id(&e1)], "decision": "approve", "note": "Good work" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(items(&done)[0]["status"], "approved", "{done}");
        assert_eq!(items(&done)[0]["decided_by"], "Test preceptor");
        assert_eq!(items(&done)[0]["decision_note"], "Good work");
        // Returning needs a note.
        expect_problem(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [id(&e2)], "decision": "return" }),
            )
            .await,
            422,
            &["reason_required"],
        )
        .await;
        let back = expect_status(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [id(&e2)], "decision": "return", "note": "You left at noon" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(items(&back)[0]["status"], "returned");
        // Approved is locked: no change, no delete, no second decision.
        expect_problem(
            app.patch(&a.student, &a.entry(&e1), &json!({ "hours": 9 }))
                .await,
            409,
            &["entry_locked"],
        )
        .await;
        expect_problem(
            app.raw(
                &a.student,
                reqwest::Method::DELETE,
                &a.entry(&e1),
                None,
                vec![],
            )
            .await,
            409,
            &["entry_locked"],
        )
        .await;
        // A returned entry, corrected, waits again.
        let fixed = expect_status(
            app.patch(&a.student, &a.entry(&e2), &json!({ "hours": 4 }))
                .await,
            200,
        )
        .await;
        assert_eq!(fixed["status"], "pending");
        assert_eq!(fixed["hours"], 4.0);
        // A batch with problems changes nothing and names every one.
        let refused = expect_problem(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [id(&e2), id(&e3), id(&e1), NO_SUCH_ID], "decision": "approve" }),
            )
            .await,
            422,
            &["entry_locked", "unknown_time_entry"],
        )
        .await;
        let fields: Vec<&str> = refused["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(fields, ["ids[2]", "ids[3]"], "{refused}");
        let h = app.get_ok(&a.preceptor, &a.hours()).await;
        assert_eq!(h["approved_hours"], 8.0, "nothing changed: {h}");
        expect_problem(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [], "decision": "maybe", "extra": 1 }),
            )
            .await,
            422,
            &["required", "invalid_choice", "unknown_field"],
        )
        .await;
        // The batch, all at once.
        let both = expect_status(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [id(&e2), id(&e3)], "decision": "approve" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(items(&both).len(), 2);
        // The office approves too.
        expect_status(
            decide(
                &app,
                &a.w.office,
                &json!({ "ids": [id(&e4)], "decision": "approve" }),
            )
            .await,
            200,
        )
        .await;
        let h = app.get_ok(&a.student, &a.hours()).await;
        assert_eq!(h["approved_hours"], 25.0, "{h}");
        assert_eq!(h["pending_hours"], 0.0);
        assert_eq!(h["percent_approved"], 9, "25 of 269.72: {h}");
        let trail = crate::rules_world::actions(&app, &a.w.office, "time_entry", &id(&e2)).await;
        assert_eq!(trail, ["create", "return", "update", "approve"]);
    }
);

crate::db_test_with!(
    the_entries_download_as_csv,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        log(
            &app,
            &a,
            &json!({ "date": "2027-02-01", "hours": 8, "activity": "=HYPERLINK(\"x\")", "notes": "José, día uno" }),
        )
        .await;
        let csv = csv_text(app.get(&a.w.school, &format!("{}.csv", a.entries())).await).await;
        let mut lines = csv.split("\r\n");
        assert_eq!(
            lines.next(),
            Some(
                "date,kind,hours,clock_in,clock_out,activity,notes,absence_reason,make_up_on,status,decision_note,decided_by,decided_at"
            )
        );
        assert_eq!(
            lines.next(),
            Some("2027-02-01,worked,8,,,\"'=HYPERLINK(\"\"x\"\")\",\"José, día uno\",,,pending,,,")
        );
        // Outside the caller's scope, no CSV either.
        let other = app
            .user(
                "school_coordinator",
                json!({ "school_id": a.w.f.other_school["id"] }),
            )
            .await;
        expect_status(app.get(&other, &format!("{}.csv", a.entries())).await, 404).await;
    }
);

crate::db_test_with!(
    entries_waiting_seven_days_remind_the_supervisor_once,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        let waiting = log(&app, &a, &day("2027-02-08", 8.0)).await;
        let approved = log(&app, &a, &day("2027-02-09", 8.0)).await;
        expect_status(
            decide(
                &app,
                &a.preceptor,
                &json!({ "ids": [id(&approved)], "decision": "approve" }),
            )
            .await,
            200,
        )
        .await;
        let sweep = || async {
            practicum::jobs::reminders::run_once(&app.state)
                .await
                .expect("the sweep runs")
                .hours_reminders
        };
        move_to(&app, "2027-02-17T11:59:00Z");
        assert_eq!(sweep().await, 0, "6 days 23 hours 59 minutes: not yet");
        move_to(&app, "2027-02-17T12:00:00Z");
        assert_eq!(sweep().await, 1, "7 days");
        assert_eq!(sweep().await, 0, "once");
        move_to(&app, "2027-02-25T12:00:00Z");
        assert_eq!(sweep().await, 0, "still once");
        let notes = app.get_ok(&a.preceptor, "/api/v1/notifications").await;
        let hours: Vec<Value> = items(&notes)
            .into_iter()
            .filter(|n| n["kind"] == "hours_to_approve")
            .collect();
        assert_eq!(hours.len(), 1, "{notes}");
        let message = hours[0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("1 time entry"), "{message}");
        assert!(message.contains("Ana Lopez"), "{message}");
        assert_eq!(
            hours[0]["link"],
            format!("/placements/{}/hours", id(&a.placement))
        );
        // And by e-mail.
        let email = a.preceptor.user["email"]
            .as_str()
            .expect("an email")
            .to_string();
        let outbox = app.state.config.outbox_dir();
        poll(std::time::Duration::from_secs(10), || {
            let outbox = outbox.clone();
            let email = email.clone();
            async move {
                let found = std::fs::read_dir(&outbox).ok()?.flatten().any(|f| {
                    let text = mail_text(&std::fs::read_to_string(f.path()).unwrap_or_default());
                    text.contains(&email) && text.contains("waiting for your approval")
                });
                found.then_some(())
            }
        })
        .await;
        // An entry changed after its return waits from its change.
        let _ = waiting;
    }
);

crate::db_test_with!(
    every_role_sees_only_its_scope_and_only_supervisors_decide,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        let e = log(&app, &a, &day("2027-02-01", 8.0)).await;
        let office = &a.w.office;
        let school = &a.w.school;
        let other_school = app
            .user(
                "school_coordinator",
                json!({ "school_id": a.w.f.other_school["id"] }),
            )
            .await;
        let other_student = app
            .user("student", json!({ "student_id": a.w.students[1]["id"] }))
            .await;
        let other_staff = staff(&app, office, &a.w.f.department, "radiography", 2, json!({})).await;
        let other_preceptor = app
            .user("preceptor", json!({ "staff_id": other_staff["id"] }))
            .await;
        let manager_staff = app
            .create(
                office,
                "/api/v1/staff",
                &json!({ "name": "Mo", "email": crate::requests::unique("mo"),
                                                       "department_id": a.w.f.department["id"] }),
            )
            .await;
        let manager = app
            .user(
                "department_manager",
                json!({ "staff_id": manager_staff["id"] }),
            )
            .await;
        let elsewhere = department(&app, &a.w, "Ultrasound", 2).await;
        let far_staff = app
            .create(
                office,
                "/api/v1/staff",
                &json!({ "name": "Flo", "email": crate::requests::unique("flo"),
                                                       "department_id": elsewhere["id"] }),
            )
            .await;
        let far_manager = app
            .user("department_manager", json!({ "staff_id": far_staff["id"] }))
            .await;
        let faculty = app
            .user("faculty", json!({ "school_id": a.w.f.school["id"] }))
            .await;
        let admin = app.admin().await;

        // Who reads the entries and the totals.
        for (who, caller) in [
            ("student", &a.student),
            ("school", school),
            ("preceptor", &a.preceptor),
            ("manager", &manager),
            ("office", office),
            ("admin", &admin),
        ] {
            let list = expect_status(app.get(caller, &a.entries()).await, 200).await;
            assert_eq!(ids(&list), [id(&e)], "{who}");
            expect_status(app.get(caller, &a.hours()).await, 200).await;
        }
        for (who, caller) in [
            ("other school", &other_school),
            ("other student", &other_student),
            ("other preceptor", &other_preceptor),
            ("manager elsewhere", &far_manager),
            ("faculty not supervising", &faculty),
        ] {
            expect_problem(app.get(caller, &a.entries()).await, 404, &["not_found"]).await;
            expect_problem(app.get(caller, &a.hours()).await, 404, &["not_found"]).await;
            let all = app.get_ok(caller, "/api/v1/time-entries").await;
            assert!(items(&all).is_empty(), "{who}: {all}");
        }
        // The lists across placements, scoped the same way.
        for caller in [school, &a.preceptor, &manager, office] {
            let all = app
                .get_ok(caller, "/api/v1/time-entries?status=pending")
                .await;
            assert_eq!(ids(&all), [id(&e)]);
        }
        // Only the student logs, changes and deletes; another student's placement is not found.
        for caller in [school, &a.preceptor, &manager, office, &admin] {
            expect_problem(
                app.post(caller, &a.entries(), &day("2027-02-02", 8.0))
                    .await,
                403,
                &["forbidden"],
            )
            .await;
            expect_problem(
                app.patch(caller, &a.entry(&e), &json!({ "hours": 1 }))
                    .await,
                403,
                &["forbidden"],
            )
            .await;
        }
        expect_problem(
            app.post(&other_student, &a.entries(), &day("2027-02-02", 8.0))
                .await,
            404,
            &["not_found"],
        )
        .await;
        expect_problem(
            app.patch(&other_student, &a.entry(&e), &json!({ "hours": 1 }))
                .await,
            404,
            &["not_found"],
        )
        .await;
        expect_problem(
            app.raw(
                &other_student,
                reqwest::Method::DELETE,
                &a.entry(&e),
                None,
                vec![],
            )
            .await,
            404,
            &["not_found"],
        )
        .await;
        // The school, the department and the student read only; others' supervisors see no entry.
        let approve = json!({ "ids": [id(&e)], "decision": "approve" });
        for caller in [school, &manager, &a.student, &other_student] {
            expect_problem(decide(&app, caller, &approve).await, 403, &["forbidden"]).await;
        }
        for caller in [&other_preceptor, &faculty] {
            expect_problem(
                decide(&app, caller, &approve).await,
                422,
                &["unknown_time_entry"],
            )
            .await;
        }
        let h = app.get_ok(office, &a.hours()).await;
        assert_eq!(h["approved_hours"], 0.0, "{h}");
        expect_status(decide(&app, &a.preceptor, &approve).await, 200).await;
    }
);

crate::db_test_with!(
    a_faculty_member_approves_their_interns_hours,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let body = crate::rules_world::internship(&w, &[&w.students[0]]);
        let request = crate::rules_world::submit(&app, &w, &body).await;
        let placement = crate::rules_world::approve(
            &app,
            &w,
            &request,
            &json!({ "decision": "approve", "placements": [{ "student_id": w.students[0]["id"],
                     "department_id": w.f.department["id"] }] }),
        )
        .await
        .remove(0);
        // The faculty supervisor's account is made at approval: they accept the invitation.
        let faculty_email = body["faculty_supervisor"]["email"]
            .as_str()
            .expect("email")
            .to_string();
        let token = crate::requests::invitation_token(&app, &faculty_email).await;
        expect_status(
            app.post_anon(
                &format!("/api/v1/invitations/{token}/accept"),
                &json!({ "password": "a-long-enough-password" }),
            )
            .await,
            200,
        )
        .await;
        let faculty = app.login(&faculty_email, "a-long-enough-password").await;
        let student = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        clear(&app, &w, &student, &id(&w.students[0]), &placement).await;
        move_to(&app, "2027-02-10T12:00:00Z");
        expect_status(
            transition(&app, &w.office, &placement, &json!({ "to": "active" })).await,
            200,
        )
        .await;
        let path = format!("/api/v1/placements/{}/time-entries", id(&placement));
        let e = app.create(&student, &path, &day("2027-02-01", 6.0)).await;
        // The preceptor of the department has no say in an internship.
        let h = app
            .get_ok(
                &faculty,
                &format!("/api/v1/placements/{}/hours", id(&placement)),
            )
            .await;
        assert_eq!(h["pending_hours"], 6.0, "{h}");
        expect_status(
            decide(
                &app,
                &faculty,
                &json!({ "ids": [id(&e)], "decision": "approve" }),
            )
            .await,
            200,
        )
        .await;
    }
);

crate::db_test_with!(
    the_pages_log_hours_and_approve_them_in_bulk,
    long_sessions,
    |app| async move {
        use crate::rule_pages::{page, post_form};
        let a = active(&app).await;
        let hours_page = format!("/placements/{}/hours", id(&a.placement));
        let (status, html, token) = page(&app, &a.student, &hours_page).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("Log hours") && html.contains("<progress"),
            "{html}"
        );
        // A refused form comes back with every problem and what was typed.
        let (status, html) = post_form(
            &app,
            &a.student,
            &hours_page,
            &[
                ("csrf_token", &token),
                ("date", "2027-02-20"),
                ("kind", "worked"),
                ("hours", "30"),
                ("activity", "Film review"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(
            html.contains("There is a problem") && html.contains("in the future"),
            "{html}"
        );
        assert!(html.contains("more than 0 and at most 24"), "{html}");
        assert!(html.contains("value=\"Film review\""), "kept: {html}");
        for (date, hours) in [("2027-02-01", "8"), ("2027-02-02", "7.5")] {
            let (status, html) = post_form(
                &app,
                &a.student,
                &hours_page,
                &[
                    ("csrf_token", &token),
                    ("date", date),
                    ("kind", "worked"),
                    ("hours", hours),
                    ("activity", "Film review"),
                ],
            )
            .await;
            assert_eq!(status, 303, "{html}");
        }
        // The preceptor ticks both and approves them.
        let (status, html, ptoken) = page(&app, &a.preceptor, "/hours").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Hours to approve") && html.contains("Approve selected"),
            "{html}"
        );
        let list = app.get_ok(&a.preceptor, &a.entries()).await;
        let picked = ids(&list);
        let mut fields = vec![
            ("csrf_token", ptoken.as_str()),
            ("decision", "approve"),
            ("back", "/hours"),
        ];
        for i in &picked {
            fields.push(("ids", i.as_str()));
        }
        let (status, html) = post_form(&app, &a.preceptor, "/hours/decide", &fields).await;
        assert_eq!(status, 303, "{html}");
        let h = app.get_ok(&a.student, &a.hours()).await;
        assert_eq!(h["approved_hours"], 15.5, "{h}");
        // The school reads the totals but has nothing to approve; another school sees nothing.
        let (status, html, _) = page(&app, &a.w.school, "/hours").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("15.5") && !html.contains("Approve selected"),
            "{html}"
        );
        // The placement's status is the coloured badge every other list shows.
        assert!(
            html.contains(r#"<span class="badge badge-ok">active</span>"#),
            "{html}"
        );
        let (status, html, _) = page(&app, &a.w.school, &hours_page).await;
        assert_eq!(status, 200);
        assert!(
            !html.contains("Log hours</button>") && !html.contains("Approve selected"),
            "{html}"
        );
        let other = app
            .user(
                "school_coordinator",
                json!({ "school_id": a.w.f.other_school["id"] }),
            )
            .await;
        let (status, _, _) = page(&app, &other, &hours_page).await;
        assert_eq!(status, 404);
        // The placement page shows the totals and the way to them.
        let (_, html, _) = page(
            &app,
            &a.student,
            &format!("/placements/{}", id(&a.placement)),
        )
        .await;
        assert!(
            html.contains("15.5 of 269.72 required hours approved"),
            "{html}"
        );
        // A returned entry is put right on its own page; an approved one cannot be opened.
        let third = log(&app, &a, &day("2027-02-03", 9.0)).await;
        expect_status(
            decide(&app, &a.preceptor, &json!({ "ids": [id(&third)], "decision": "return", "note": "Nine? You left at four" }))
                .await,
            200,
        )
        .await;
        let edit = format!("{hours_page}/{}/edit", id(&third));
        let (status, html, etoken) = page(&app, &a.student, &edit).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("You left at four") && html.contains("value=\"9\""),
            "{html}"
        );
        let (status, html) = post_form(
            &app,
            &a.student,
            &edit,
            &[
                ("csrf_token", &etoken),
                ("date", "2027-02-03"),
                ("kind", "worked"),
                ("hours", ""),
                ("clock_in", "08:00"),
                ("clock_out", "16:00"),
                ("activity", "Film review"),
                ("notes", ""),
            ],
        )
        .await;
        assert_eq!(status, 303, "{html}");
        let fixed = app.get_ok(&a.student, &a.entries()).await;
        let fixed = items(&fixed)
            .into_iter()
            .find(|e| e["id"] == third["id"])
            .expect("the entry");
        assert_eq!(fixed["status"], "pending", "{fixed}");
        assert_eq!(fixed["hours"], 8.0, "{fixed}");
        let (status, _, _) = page(
            &app,
            &a.student,
            &format!("{hours_page}/{}/edit", picked[0]),
        )
        .await;
        assert_eq!(status, 409, "approved: locked");
        let (status, _, _) = page(&app, &a.preceptor, &edit).await;
        assert_eq!(status, 403, "only the student changes entries");
        // The page's CSV is the API's.
        let res = app
            .client
            .get(app.url(&format!("{hours_page}?format=csv")))
            .header("cookie", format!("practicum_session={}", a.w.school.token))
            .send()
            .await
            .expect("request");
        assert!(csv_text(res).await.starts_with("date,kind,hours"));
    }
);

/// A role's home page as HTML, signed in on a page session.
async fn home_of(app: &TestApp, who: &Caller) -> String {
    let cookie = crate::rules_world::page_login(app, who).await;
    let (status, html) = crate::rules_world::page(app, &cookie, "/").await;
    assert_eq!(status, 200, "{html}");
    html
}

/// The count a home tile shows for `label`.
fn tile(html: &str, label: &str) -> Option<String> {
    let before = html
        .split(&format!(r#"<span class="tile-label">{label}</span>"#))
        .next()?;
    if before.len() == html.len() {
        return None;
    }
    let value = before.rsplit(r#"<span class="tile-value">"#).next()?;
    Some(value.split('<').next()?.to_string())
}

crate::db_test_with!(
    every_home_has_its_days_work,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        // Shifts on Mon 8, Tue 9 and Wed 10 February (today), 07:00–15:30.
        let shifts = format!("/api/v1/placements/{}/shifts", id(&a.placement));
        for date in ["2027-02-08", "2027-02-09", "2027-02-10"] {
            app.create(
                &a.w.office,
                &shifts,
                &json!({ "date": date, "starts_at": "07:00", "ends_at": "15:30" }),
            )
            .await;
        }
        log(&app, &a, &day("2027-02-08", 8.0)).await;

        let html = home_of(&app, &a.student).await;
        let site = a.w.f.site["name"].as_str().unwrap_or_default();
        let dept = a.w.f.department["name"].as_str().unwrap_or_default();
        assert_eq!(
            tile(&html, &format!("today at {site} — {dept}")).as_deref(),
            Some("07:00–15:30"),
            "{html}"
        );
        assert_eq!(
            tile(&html, "shift days in the last 30 without hours logged").as_deref(),
            Some("2"),
            "9 and 10 February: {html}"
        );
        assert_eq!(
            tile(&html, "days logged, waiting for approval").as_deref(),
            Some("1")
        );
        assert!(html.contains(r#"href="/hours""#));

        let html = home_of(&app, &a.preceptor).await;
        assert_eq!(
            tile(&html, "students on shift with you today").as_deref(),
            Some("1"),
            "{html}"
        );
        assert_eq!(
            tile(&html, "hour entries waiting for you").as_deref(),
            Some("1")
        );
        assert!(
            html.contains("Today&#39;s shifts") || html.contains("Today's shifts"),
            "{html}"
        );

        let manager_staff = app
            .create(
                &a.w.office,
                "/api/v1/staff",
                &json!({ "name": "Mo Manager", "email": "mo.manager@h.test",
                         "department_id": a.w.f.department["id"] }),
            )
            .await;
        let manager = app
            .user(
                "department_manager",
                json!({ "staff_id": manager_staff["id"] }),
            )
            .await;
        let html = home_of(&app, &manager).await;
        assert_eq!(
            tile(&html, "students on site today").as_deref(),
            Some("1"),
            "{html}"
        );
        assert!(html.contains(r#"href="/on-site""#));
    }
);

/// The text of a PDF, read back.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("its text")
}

crate::db_test_with!(
    a_placement_completes_with_its_hours_and_final_evaluation_and_gets_a_certificate,
    long_sessions,
    |app| async move {
        let a = active(&app).await;
        let complete = json!({ "to": "completed" });
        let path = format!("/api/v1/placements/{}/transition", id(&a.placement));
        // Neither the hours (32 a week over two months) nor the final evaluation: both said.
        let refused = expect_status(app.post(&a.w.office, &path, &complete).await, 409).await;
        let mut got = codes(&refused);
        got.sort();
        assert_eq!(
            got,
            ["final_evaluation_missing", "hours_not_approved"],
            "{refused}"
        );
        assert!(
            refused.to_string().contains("0 of the"),
            "the hours in words: {refused}"
        );
        // No certificate before completion.
        let cert = format!("/api/v1/placements/{}/certificate", id(&a.placement));
        assert_eq!(app.get(&a.student, &cert).await.status(), 404);

        // The final evaluation, signed by the preceptor.
        let slots = format!("/api/v1/placements/{}/evaluations", id(&a.placement));
        let answers = json!({ "safety": 4, "technical_skill": 3, "clinical_reasoning": 3, "communication": 5,
            "professionalism": 4, "confidentiality": "met", "goals": "Less help", "entry_level": true });
        let e = app
            .create(
                &a.preceptor,
                &slots,
                &json!({ "point": "final", "answers": answers }),
            )
            .await;
        expect_status(
            app.post(
                &a.preceptor,
                &format!("/api/v1/evaluations/{}/sign", id(&e)),
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        let still = expect_status(app.post(&a.w.office, &path, &complete).await, 409).await;
        assert_eq!(codes(&still), ["hours_not_approved"], "{still}");
        // The office completes it otherwise, with a reason kept in its history.
        let done = expect_status(
            app.post(
                &a.w.office,
                &path,
                &json!({ "to": "completed", "reason": "hours kept on paper by the school" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(done["status"], "completed");
        let history = app
            .get_ok(
                &a.w.office,
                &format!(
                    "/api/v1/audit?record_type=placement&record_id={}",
                    id(&a.placement)
                ),
            )
            .await;
        assert!(
            history
                .to_string()
                .contains("hours kept on paper by the school"),
            "{history}"
        );

        // The certificate: the student reads it as a PDF; its words read back.
        let res = app.get(&a.student, &cert).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap_or(""),
            "application/pdf"
        );
        let text = pdf_text(&res.bytes().await.expect("the PDF"));
        let student = crate::helpers::full_name(&a.w.students[0]);
        for want in [
            "Certificate of completion",
            student.as_str(),
            a.w.f.school["name"].as_str().unwrap_or("?"),
            a.w.f.department["name"].as_str().unwrap_or("?"),
            "Mon 1 Feb 2027",
            "Wed 31 Mar 2027",
            "Approved hours",
        ] {
            assert!(text.contains(want), "{want} in: {text}");
        }
        let cert_id = text
            .split("Certificate id")
            .nth(1)
            .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
            .unwrap_or_default();
        assert_eq!(cert_id.len(), 36, "{text}");
        // The office looks it up by its id; nobody else may, and outsiders never see the PDF.
        let found = app
            .get_ok(&a.w.office, &format!("/api/v1/certificates/{cert_id}"))
            .await;
        assert_eq!(found["placement_id"], a.placement["id"]);
        assert_eq!(found["student"], student);
        assert_eq!(
            app.get(&a.student, &format!("/api/v1/certificates/{cert_id}"))
                .await
                .status(),
            404
        );
        let other = app
            .user(
                "school_coordinator",
                json!({ "school_id": a.w.f.other_school["id"] }),
            )
            .await;
        assert_eq!(app.get(&other, &cert).await.status(), 404);
        assert_eq!(app.get(&a.w.school, &cert).await.status(), 200);

        // The placement's page links the certificate, and the link answers.
        let placement_page = format!("/placements/{}", id(&a.placement));
        let cert_page = format!("{placement_page}/certificate");
        let (status, html, _) = crate::rule_pages::page(&app, &a.student, &placement_page).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!(r#"href="{cert_page}""#)), "{html}");
        let (status, _, _) = crate::rule_pages::page(&app, &a.student, &cert_page).await;
        assert_eq!(status, 200);
        // A placement completed before certificates were issued (migration 0024) has none:
        // its page says so instead of linking to a page that answers 404.
        another_process(
            &app,
            "DELETE FROM certificates WHERE placement_id = $1",
            &[id(&a.placement).as_str()],
        )
        .await;
        let (status, html, _) = crate::rule_pages::page(&app, &a.student, &placement_page).await;
        assert_eq!(status, 200);
        assert!(
            !html.contains(&cert_page)
                && html.contains("None: completed before certificates were issued"),
            "{html}"
        );
    }
);
