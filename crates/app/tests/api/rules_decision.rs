//! The decision's own rules over HTTP: a preceptor's leave overlapping the placement by one day
//! (at the start, in the middle, at the end), department capacity for internships, for unnamed
//! seats and at capacity 0, and the codes `slots_mismatch`, `student_placed_twice` and
//! `outside_request_period`. Every refusal leaves the request open, no placement and no audit row.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

/// Asserts a refused decision changed nothing: the request is still submitted, no placement
/// exists, the audit trail is as it was.
async fn nothing_changed(app: &TestApp, w: &World, admin: &Caller, r: &Value, trail: &[Value]) {
    assert_eq!(request_status(app, w, r).await, "submitted");
    assert!(placements(app, w).await.is_empty(), "no placement");
    assert_eq!(audit_trail(app, admin).await, trail, "no audit row");
}

db_test!(
    leave_overlapping_by_one_day_at_the_start_middle_or_end_is_refused,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let dept = w.f.department.clone();
        let leaves = [
            ("start", "2027-01-15", "2027-02-01"),
            ("middle", "2027-03-01", "2027-03-01"),
            ("end", "2027-03-31", "2027-04-15"),
        ];
        let mut on_leave = vec![];
        for (at, from, to) in leaves {
            let p = staff(
                &app,
                &w.office,
                &dept,
                "radiography",
                4,
                json!({ "leave": [{ "starts_on": from, "ends_on": to }] }),
            )
            .await;
            assert_eq!(p["leave"][0]["starts_on"], from, "{p}");
            on_leave.push((at, p));
        }
        let trail = audit_trail(&app, &admin).await;
        for (at, p) in &on_leave {
            let mut body = approval(&w, &[&w.students[0]]);
            body["placements"][0]["preceptor_id"] = p["id"].clone();
            let problem = expect_problem(
                decide(&app, &w.office, &r, &body).await,
                422,
                &["preceptor_on_leave"],
            )
            .await;
            assert_eq!(
                problem["errors"][0]["field"], "placements[0].preceptor_id",
                "leave at the {at}: {problem}"
            );
            nothing_changed(&app, &w, &admin, &r, &trail).await;
        }
        // Leave ending the day before and starting the day after: no overlap.
        let around = staff(
            &app,
            &w.office,
            &dept,
            "radiography",
            4,
            json!({ "leave": [{ "starts_on": "2027-01-15", "ends_on": "2027-01-31" },
                              { "starts_on": "2027-04-01", "ends_on": "2027-04-15" }] }),
        )
        .await;
        let mut body = approval(&w, &[&w.students[0]]);
        body["placements"][0]["preceptor_id"] = around["id"].clone();
        let made = approve(&app, &w, &r, &body).await;
        assert_eq!(made[0]["preceptor_id"], around["id"]);
        assert_eq!(live_placements(&app, &w).await, [sid(&made[0])]);
    }
);

db_test!(
    leave_added_after_approval_refuses_the_next_placement_only_on_its_days,
    |app| async move {
        // A preceptor's leave written later applies to later decisions.
        let w = world(&app, 4, 4).await;
        let first = placed(&app, &w, &[&w.students[0]]).await;
        let patched = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", sid(&w.preceptor)),
                &json!({ "leave": [{ "starts_on": "2027-03-15", "ends_on": "2027-03-15" }] }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(patched["leave"][0]["starts_on"], "2027-03-15", "{patched}");
        let r = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        expect_problem(
            decide(&app, &w.office, &r, &approval(&w, &[&w.students[1]])).await,
            422,
            &["preceptor_on_leave"],
        )
        .await;
        // The same request placed before the leave day (inside the period): accepted.
        let mut before = approval(&w, &[&w.students[1]]);
        before["placements"][0]["ends_on"] = json!("2027-03-14");
        let made = approve(&app, &w, &r, &before).await;
        assert_eq!(made[0]["ends_on"], "2027-03-14");
        let mut live = live_placements(&app, &w).await;
        live.sort();
        let mut want = vec![sid(&first[0]), sid(&made[0])];
        want.sort();
        assert_eq!(live, want);
    }
);

db_test!(
    internships_take_department_seats_like_clinicals,
    |app| async move {
        let w = world(&app, 1, 4).await;
        let admin = app.admin().await;
        // An internship takes the only seat.
        let intern = submit(&app, &w, &internship(&w, &[&w.students[0]])).await;
        let seat = json!({ "decision": "approve", "placements": [
            { "student_id": w.students[0]["id"], "department_id": w.f.department["id"] }] });
        let made = approve(&app, &w, &intern, &seat).await;
        assert_eq!(made[0]["kind"], "internship");
        assert_eq!(made[0]["preceptor_id"], Value::Null);
        // A clinical with a free preceptor, and another internship: the department is full.
        let clinical_r = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let trail = audit_trail(&app, &admin).await;
        let problem = expect_problem(
            decide(
                &app,
                &w.office,
                &clinical_r,
                &approval(&w, &[&w.students[1]]),
            )
            .await,
            409,
            &["department_at_capacity"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains("Mon 1 Feb 2027"),
            "{problem}"
        );
        let second = submit(&app, &w, &internship(&w, &[&w.students[2]])).await;
        let trail2 = audit_trail(&app, &admin).await;
        assert_eq!(trail2.len(), trail.len() + 1, "only the submission");
        let seat2 = json!({ "decision": "approve", "placements": [
            { "student_id": w.students[2]["id"], "department_id": w.f.department["id"] }] });
        expect_problem(
            decide(&app, &w.office, &second, &seat2).await,
            409,
            &["department_at_capacity"],
        )
        .await;
        assert_eq!(audit_trail(&app, &admin).await, trail2);
        assert_eq!(live_placements(&app, &w).await, [sid(&made[0])]);
        assert_eq!(request_status(&app, &w, &clinical_r).await, "submitted");
        assert_eq!(request_status(&app, &w, &second).await, "submitted");
        // The internship in another department: room there.
        let other = department(&app, &w, "CT", 1).await;
        let mut elsewhere = seat2.clone();
        elsewhere["placements"][0]["department_id"] = other["id"].clone();
        let made2 = approve(&app, &w, &second, &elsewhere).await;
        assert_eq!(made2[0]["department_id"], other["id"]);
    }
);

db_test!(unnamed_seats_hold_department_capacity, |app| async move {
    let w = world(&app, 2, 10).await;
    let admin = app.admin().await;
    let mut body = clinical(&w, &[&w.students[0]]);
    body["slots"] = json!(2);
    let r = submit(&app, &w, &body).await;
    let seat = json!({ "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] });
    let mut three = approval(&w, &[&w.students[0]]);
    three["placements"]
        .as_array_mut()
        .expect("placements")
        .extend([seat.clone(), seat.clone()]);
    let trail = audit_trail(&app, &admin).await;
    // One named student and two unnamed seats do not fit into two places.
    let problem = expect_problem(
        decide(&app, &w.office, &r, &three).await,
        409,
        &["department_at_capacity"],
    )
    .await;
    assert_eq!(
        problem["errors"][0]["field"], "placements[2].department_id",
        "{problem}"
    );
    nothing_changed(&app, &w, &admin, &r, &trail).await;
    // With a third place they do; the seats are unnamed.
    expect_status(
        app.patch(
            &w.office,
            &format!("/api/v1/departments/{}", sid(&w.f.department)),
            &json!({ "capacity": 3 }),
        )
        .await,
        200,
    )
    .await;
    let made = approve(&app, &w, &r, &three).await;
    assert_eq!(made.iter().filter(|p| p["student_id"].is_null()).count(), 2);
    // The unnamed seats hold their places: a fourth student finds the department full.
    let next = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
    expect_problem(
        decide(&app, &w.office, &next, &approval(&w, &[&w.students[1]])).await,
        409,
        &["department_at_capacity"],
    )
    .await;
    assert_eq!(live_placements(&app, &w).await.len(), 3);
    // Cancelling one unnamed seat frees its place.
    let unnamed = made
        .iter()
        .find(|p| p["student_id"].is_null())
        .expect("an unnamed seat");
    let cancelled = expect_status(
        transition(
            &app,
            &w.office,
            unnamed,
            &json!({ "to": "cancelled", "reason": "not needed" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    let again = approve(&app, &w, &next, &approval(&w, &[&w.students[1]])).await;
    assert_eq!(again[0]["student_id"], w.students[1]["id"]);
    assert_eq!(live_placements(&app, &w).await.len(), 3);
});

db_test!(
    a_department_of_capacity_zero_takes_nobody,
    |app| async move {
        let w = world(&app, 0, 4).await;
        let admin = app.admin().await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let trail = audit_trail(&app, &admin).await;
        let problem = expect_problem(
            decide(&app, &w.office, &r, &approval(&w, &[&w.students[0]])).await,
            409,
            &["department_at_capacity"],
        )
        .await;
        let message = problem["errors"][0]["message"].as_str().expect("a message");
        assert!(
            message.contains("Mon 1 Feb 2027") && message.contains("0 students"),
            "{problem}"
        );
        nothing_changed(&app, &w, &admin, &r, &trail).await;
        // Not for an internship, not for an unnamed seat, not for one day.
        let intern = submit(&app, &w, &internship(&w, &[&w.students[1]])).await;
        let body = json!({ "decision": "approve", "placements": [
            { "student_id": w.students[1]["id"], "department_id": w.f.department["id"] }] });
        expect_problem(
            decide(&app, &w.office, &intern, &body).await,
            409,
            &["department_at_capacity"],
        )
        .await;
        let mut slot = clinical(&w, &[]);
        slot["slots"] = json!(1);
        slot["ends_on"] = json!("2027-02-01");
        let s = submit(&app, &w, &slot).await;
        let seat = json!({ "decision": "approve", "placements": [
            { "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] }] });
        expect_problem(
            decide(&app, &w.office, &s, &seat).await,
            409,
            &["department_at_capacity"],
        )
        .await;
        assert!(placements(&app, &w).await.is_empty());
        // The office may still waitlist it, with a reason.
        let waitlisted = expect_status(
            decide(
                &app,
                &w.office,
                &r,
                &json!({ "decision": "waitlist", "reason": "no room this term" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(waitlisted["status"], "waitlisted");
        assert_eq!(waitlisted["placements"], json!([]), "{waitlisted}");
    }
);

db_test!(
    a_decision_must_place_exactly_the_unnamed_slots,
    |app| async move {
        let w = world(&app, 10, 10).await;
        let admin = app.admin().await;
        let mut body = clinical(&w, &[&w.students[0]]);
        body["slots"] = json!(2);
        let r = submit(&app, &w, &body).await;
        let seat =
            json!({ "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] });
        let trail = audit_trail(&app, &admin).await;
        for unnamed in [0, 1, 3] {
            let mut d = approval(&w, &[&w.students[0]]);
            for _ in 0..unnamed {
                d["placements"]
                    .as_array_mut()
                    .expect("placements")
                    .push(seat.clone());
            }
            let problem = expect_problem(
                decide(&app, &w.office, &r, &d).await,
                422,
                &["slots_mismatch"],
            )
            .await;
            assert!(
                problem["errors"][0]["message"]
                    .as_str()
                    .expect("a message")
                    .contains(&format!("the decision places {unnamed}")),
                "{problem}"
            );
            nothing_changed(&app, &w, &admin, &r, &trail).await;
        }
        // A request with no slots: an unnamed seat is a mismatch too, with the named student.
        let plain = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let trail = audit_trail(&app, &admin).await;
        let mut d = approval(&w, &[&w.students[1]]);
        d["placements"]
            .as_array_mut()
            .expect("placements")
            .push(seat.clone());
        expect_problem(
            decide(&app, &w.office, &plain, &d).await,
            422,
            &["slots_mismatch"],
        )
        .await;
        assert_eq!(audit_trail(&app, &admin).await, trail);
        // Exactly two: approved.
        let mut d = approval(&w, &[&w.students[0]]);
        d["placements"]
            .as_array_mut()
            .expect("placements")
            .extend([seat.clone(), seat]);
        let made = approve(&app, &w, &r, &d).await;
        assert_eq!(made.iter().filter(|p| p["student_id"].is_null()).count(), 2);
    }
);

db_test!(
    a_student_placed_twice_in_one_decision_is_refused,
    |app| async move {
        let w = world(&app, 10, 10).await;
        let admin = app.admin().await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0], &w.students[1]])).await;
        let trail = audit_trail(&app, &admin).await;
        // The first student twice (consecutive halves, so no overlap), the second once.
        let mut d = approval(&w, &[&w.students[0], &w.students[0], &w.students[1]]);
        d["placements"][0]["ends_on"] = json!("2027-02-28");
        d["placements"][1]["starts_on"] = json!("2027-03-01");
        let problem = expect_problem(
            decide(&app, &w.office, &r, &d).await,
            422,
            &["student_placed_twice"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains(&format!("{} is placed twice", full_name(&w.students[0]))),
            "{problem}"
        );
        nothing_changed(&app, &w, &admin, &r, &trail).await;
        // Twice, and the other one left out: both named.
        let d = approval(&w, &[&w.students[0], &w.students[0]]);
        expect_problem(
            decide(&app, &w.office, &r, &d).await,
            422,
            &["student_placed_twice", "student_missing_from_decision"],
        )
        .await;
        nothing_changed(&app, &w, &admin, &r, &trail).await;
        let made = approve(
            &app,
            &w,
            &r,
            &approval(&w, &[&w.students[0], &w.students[1]]),
        )
        .await;
        assert_eq!(made.len(), 2);
    }
);

db_test!(
    a_placement_outside_the_request_period_and_window_is_refused,
    |app| async move {
        let w = world(&app, 10, 10).await;
        let admin = app.admin().await;
        let mut body = clinical(&w, &[&w.students[0]]);
        body["start_window_weeks"] = json!(2);
        let r = submit(&app, &w, &body).await;
        let trail = audit_trail(&app, &admin).await;
        // The request runs 1 February – 31 March and may slip two weeks: to 14 April.
        for (from, to) in [
            ("2027-01-31", "2027-03-30"),
            ("2027-02-15", "2027-04-15"),
            ("2027-01-25", "2027-04-20"),
        ] {
            let mut d = approval(&w, &[&w.students[0]]);
            d["placements"][0]["starts_on"] = json!(from);
            d["placements"][0]["ends_on"] = json!(to);
            let problem = expect_problem(
                decide(&app, &w.office, &r, &d).await,
                422,
                &["outside_request_period"],
            )
            .await;
            assert_eq!(
                problem["errors"][0]["field"], "placements[0].starts_on",
                "{from}–{to}: {problem}"
            );
            nothing_changed(&app, &w, &admin, &r, &trail).await;
        }
        // Without a window the last day is the request's own.
        let mut tight = clinical(&w, &[&w.students[1]]);
        tight["start_window_weeks"] = json!(0);
        let t = submit(&app, &w, &tight).await;
        let mut d = approval(&w, &[&w.students[1]]);
        d["placements"][0]["starts_on"] = json!("2027-02-02");
        d["placements"][0]["ends_on"] = json!("2027-04-01");
        expect_problem(
            decide(&app, &w.office, &t, &d).await,
            422,
            &["outside_request_period"],
        )
        .await;
        assert!(placements(&app, &w).await.is_empty());
        // Two weeks late, ending on the window's last day: accepted.
        let mut d = approval(&w, &[&w.students[0]]);
        d["placements"][0]["starts_on"] = json!("2027-02-15");
        d["placements"][0]["ends_on"] = json!("2027-04-14");
        let made = approve(&app, &w, &r, &d).await;
        assert_eq!(made[0]["starts_on"], "2027-02-15");
        assert_eq!(made[0]["ends_on"], "2027-04-14");
    }
);
