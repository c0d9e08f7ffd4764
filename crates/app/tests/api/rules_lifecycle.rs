//! The end of the lifecycle (`active → completed`, cancelling an active placement) and the fixed
//! clock moved past a document's lapse and past an agreement's expiry.
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

/// A clinical from today (Monday 4 January 2027) to 26 February, approved for `students`.
async fn from_today(app: &TestApp, w: &World, students: &[&Value], to: &str) -> Vec<Value> {
    let mut body = clinical(w, students);
    body["starts_on"] = json!("2027-01-04");
    body["ends_on"] = json!(to);
    let r = submit(app, w, &body).await;
    approve(app, w, &r, &approval(w, students)).await
}

fn to(status: &str) -> Value {
    json!({ "to": status })
}

/// Clears the placement and starts it: confirmed by the school, activated by the office.
async fn start(app: &TestApp, w: &World, student: &Caller, p: &Value) {
    let confirmed = expect_status(transition(app, &w.school, p, &to("confirmed")).await, 200).await;
    assert_eq!(confirmed["status"], "onboarding", "{confirmed}");
    let cleared = clear(app, w, student, &sid(&w.students[0]), p).await;
    assert_eq!(cleared["status"], "cleared");
    let active = expect_status(transition(app, &w.office, p, &to("active")).await, 200).await;
    assert_eq!(active["status"], "active", "{active}");
    assert_eq!(active["clearance"]["status"], "cleared");
}

/// Moves the fixed clock forward to 09:00 UTC on `day` (YYYY-MM-DD).
fn move_to(app: &TestApp, day: &str) {
    let at = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .expect("a date")
        .and_hms_opt(9, 0, 0)
        .expect("a time")
        .and_utc();
    let by = at - app.clock.now();
    assert!(
        by >= chrono::Duration::zero(),
        "the clock only moves forward"
    );
    app.clock.advance(by);
    assert_eq!(app.clock.now(), at);
}

/// Sessions that outlast the clock moving by months.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

db_test!(
    an_active_placement_completes_and_frees_its_seat,
    |app| async move {
        let w = world(&app, 1, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = from_today(&app, &w, &[&w.students[0]], "2027-02-26").await[0].clone();
        start(&app, &w, &ana, &p).await;
        // While it is active it holds the only seat.
        let mut body = clinical(&w, &[&w.students[1]]);
        body["starts_on"] = json!("2027-02-15");
        body["ends_on"] = json!("2027-03-12");
        let next = submit(&app, &w, &body).await;
        expect_problem(
            decide(&app, &w.office, &next, &approval(&w, &[&w.students[1]])).await,
            409,
            &["department_at_capacity"],
        )
        .await;
        // Never back, never confirmed again; the school never completes it.
        for back in ["confirmed", "active"] {
            expect_problem(
                transition(&app, &w.office, &p, &to(back)).await,
                409,
                &["invalid_transition"],
            )
            .await;
        }
        expect_problem(
            transition(&app, &w.school, &p, &to("completed")).await,
            403,
            &["forbidden"],
        )
        .await;
        let done = expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &serde_json::json!({ "to": "completed", "reason": "completed on paper" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(done["status"], "completed");
        assert_eq!(
            app.get_ok(&ana, &format!("/api/v1/placements/{}", sid(&p)))
                .await["status"],
            "completed"
        );
        // Completed is the end: not active again, not cancelled, not completed twice.
        for target in [
            to("active"),
            to("completed"),
            json!({ "to": "cancelled", "reason": "too late" }),
        ] {
            expect_problem(
                transition(&app, &w.office, &p, &target).await,
                409,
                &["invalid_transition"],
            )
            .await;
        }
        assert_eq!(
            actions(&app, &w.office, "placement", &sid(&p)).await,
            [
                "create",
                "transition:confirmed",
                "transition:active",
                // Completed without hours or a final evaluation: the office's reason first.
                "complete_otherwise",
                "transition:completed"
            ]
        );
        // A completed placement holds no seat.
        let made = approve(&app, &w, &next, &approval(&w, &[&w.students[1]])).await;
        assert_eq!(made[0]["status"], "proposed");
        let mut live = live_placements(&app, &w).await;
        live.sort();
        let mut want = vec![sid(&p), sid(&made[0])];
        want.sort();
        assert_eq!(live, want);
    }
);

db_test!(
    cancelling_an_active_placement_frees_the_seat_and_the_preceptor,
    |app| async move {
        let w = world(&app, 1, 1).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = from_today(&app, &w, &[&w.students[0]], "2027-02-26").await[0].clone();
        start(&app, &w, &ana, &p).await;
        let next = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        expect_problem(
            decide(&app, &w.office, &next, &approval(&w, &[&w.students[1]])).await,
            409,
            &["department_at_capacity", "preceptor_at_capacity"],
        )
        .await;
        // A reason is required; the student and the preceptor may not cancel it.
        expect_problem(
            transition(&app, &w.office, &p, &to("cancelled")).await,
            422,
            &["reason_required"],
        )
        .await;
        let preceptor = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        for c in [&ana, &preceptor] {
            let res = transition(&app, c, &p, &json!({ "to": "cancelled", "reason": "x" })).await;
            expect_problem(res, 403, &["forbidden"]).await;
        }
        assert_eq!(
            app.get_ok(&w.office, &format!("/api/v1/placements/{}", sid(&p)))
                .await["status"],
            "active"
        );
        let cancelled = expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &json!({ "to": "cancelled", "reason": "injury: cannot continue" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(cancelled["status"], "cancelled");
        assert_eq!(cancelled["cancel_reason"], "injury: cannot continue");
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["invalid_transition"],
        )
        .await;
        let trail = app
            .all_pages(
                &w.office,
                &format!("/api/v1/audit?record_type=placement&record_id={}", sid(&p)),
                100,
            )
            .await;
        let last = trail.last().expect("the cancellation");
        assert_eq!(last["action"], "transition:cancelled");
        assert_eq!(last["before"]["status"], "active");
        assert_eq!(last["after"]["status"], "cancelled");
        // The seat and the preceptor's slot are free again.
        let made = approve(&app, &w, &next, &approval(&w, &[&w.students[1]])).await;
        assert_eq!(made[0]["preceptor_id"], w.preceptor["id"]);
        assert_eq!(live_placements(&app, &w).await, [sid(&made[0])]);
    }
);

db_test_with!(
    a_cleared_placement_stays_cleared_as_the_clock_runs_to_its_last_day,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = from_today(&app, &w, &[&w.students[0]], "2027-03-31").await[0].clone();
        start(&app, &w, &ana, &p).await;
        let path = format!("/api/v1/placements/{}", sid(&p));
        // The flu shot of 15 December is valid to 31 March: the last day.
        for day in ["2027-03-30", "2027-03-31"] {
            move_to(&app, day);
            let seen = app.get_ok(&w.office, &path).await;
            assert_eq!(seen["status"], "active", "{day}: {seen}");
            assert_eq!(seen["clearance"]["status"], "cleared", "{day}: {seen}");
            assert_eq!(seen["clearance"]["expiring"], json!([]), "{day}: {seen}");
            let list = checklist(&app, &ana, &sid(&w.students[0]), Some(&p)).await;
            assert!(list.iter().all(|(_, s)| s == "verified"), "{day}: {list:?}");
        }
        let done = expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &serde_json::json!({ "to": "completed", "reason": "completed on paper" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(done["status"], "completed");
    }
);

db_test_with!(
    the_clock_past_a_documents_lapse_turns_it_from_expiring_to_expired,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let ana_id = sid(&w.students[0]);
        let p = from_today(&app, &w, &[&w.students[0]], "2027-03-31").await[0].clone();
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        // A BLS card to 15 February, verified, then everything else.
        let bls = expect_status(
            upload(
                &app,
                &ana,
                &ana_id,
                &[
                    ("requirement_code", "bls"),
                    ("completed_on", "2025-02-15"),
                    ("expires_on", "2027-02-15"),
                ],
            )
            .await,
            201,
        )
        .await;
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/documents/{}/review", sid(&bls)),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        let path = format!("/api/v1/placements/{}", sid(&p));
        let item = |list: Value| -> Value {
            items(&list)
                .iter()
                .find(|i| i["requirement_code"] == "bls")
                .cloned()
                .expect("the BLS item")
        };
        let reqs = format!(
            "/api/v1/students/{ana_id}/requirements?placement_id={}",
            sid(&p)
        );
        let before = item(app.get_ok(&w.office, &reqs).await);
        assert_eq!(before["state"], "expires_during_placement", "{before}");
        assert_eq!(before["lapses_on"], "2027-02-15");
        let seen = app.get_ok(&w.office, &path).await;
        assert_eq!(seen["clearance"]["status"], "blocked", "{seen}");
        assert_eq!(seen["clearance"]["expiring"], json!(["bls"]), "{seen}");
        assert_eq!(seen["status"], "onboarding");
        // Still valid on its last day; expired the day after.
        move_to(&app, "2027-02-15");
        assert_eq!(
            item(app.get_ok(&w.office, &reqs).await)["state"],
            "expires_during_placement"
        );
        move_to(&app, "2027-02-16");
        let after = item(app.get_ok(&w.office, &reqs).await);
        assert_eq!(after["state"], "expired", "{after}");
        assert_eq!(after["lapses_on"], "2027-02-15");
        let seen = app.get_ok(&w.office, &path).await;
        assert_eq!(seen["clearance"]["status"], "blocked", "{seen}");
        assert_eq!(seen["status"], "onboarding");
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["not_cleared"],
        )
        .await;
        // A new card, and everything else: cleared, and it starts.
        let renewed = expect_status(
            upload(
                &app,
                &ana,
                &ana_id,
                &[
                    ("requirement_code", "bls"),
                    ("completed_on", "2027-02-16"),
                    ("expires_on", "2029-02-16"),
                ],
            )
            .await,
            201,
        )
        .await;
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/documents/{}/review", sid(&renewed)),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            item(app.get_ok(&w.office, &reqs).await)["state"],
            "verified"
        );
        let cleared = clear(&app, &w, &ana, &ana_id, &p).await;
        assert_eq!(cleared["status"], "cleared");
        let active = expect_status(transition(&app, &w.office, &p, &to("active")).await, 200).await;
        assert_eq!(active["status"], "active");
    }
);

db_test_with!(
    the_clock_past_an_agreements_expiry,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let a = format!("/api/v1/agreements/{}", sid(&w.agreement));
        let ending = expect_status(
            app.patch(&w.office, &a, &json!({ "expires_on": "2027-03-31" }))
                .await,
            200,
        )
        .await;
        assert_eq!(ending["expires_on"], "2027-03-31");
        let expiring = app
            .get_ok(&w.office, "/api/v1/agreements?expiring_within_days=90")
            .await;
        assert_eq!(ids(&expiring), [sid(&w.agreement)]);
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        // The day after it expired.
        move_to(&app, "2027-04-01");
        let expiring = app
            .get_ok(&w.office, "/api/v1/agreements?expiring_within_days=90")
            .await;
        assert!(
            items(&expiring).is_empty(),
            "an expired agreement is no longer expiring: {expiring}"
        );
        let all = app.get_ok(&w.office, "/api/v1/agreements").await;
        assert_eq!(ids(&all), [sid(&w.agreement)], "it is still on record");
        // A new request after the expiry is not covered.
        let mut spring = clinical(&w, &[&w.students[1]]);
        spring["starts_on"] = json!("2027-04-05");
        spring["ends_on"] = json!("2027-05-28");
        let problem = expect_problem(
            app.post(&w.school, "/api/v1/placement-requests", &spring)
                .await,
            422,
            &["agreement_does_not_cover_dates"],
        )
        .await;
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .expect("a message")
                .contains("Mon 5 Apr 2027"),
            "{problem}"
        );
        // February–March was covered on every day: the office may still approve it, late.
        let made = approve(&app, &w, &r, &approval(&w, &[&w.students[0]])).await;
        assert_eq!(made[0]["ends_on"], "2027-03-31");
        // Renewed: the spring request goes in.
        expect_status(
            app.patch(&w.office, &a, &json!({ "expires_on": "2028-03-31" }))
                .await,
            200,
        )
        .await;
        let later = submit(&app, &w, &spring).await;
        assert_eq!(later["student_ids"], json!([w.students[1]["id"]]));
    }
);
