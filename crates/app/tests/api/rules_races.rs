//! Races of eight callers at once: approvals against one remaining seat, approvals against a
//! capacity change, and a planning run's accept against manual approvals. Each asserts the
//! codes of every answer and the placements that exist afterwards, not only the statuses.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

/// A request for one student over `start`..=`end`.
fn one(w: &World, s: &Value, start: chrono::NaiveDate, end: chrono::NaiveDate) -> Value {
    let mut body = clinical(w, &[s]);
    body["starts_on"] = json!(start.to_string());
    body["ends_on"] = json!(end.to_string());
    body
}

fn period(round: i64) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let start = chrono::NaiveDate::from_ymd_opt(2027, 2, 1).expect("a date")
        + chrono::Duration::days(10 * round);
    (start, start + chrono::Duration::days(9))
}

/// The live placements of the department over the period.
async fn held(
    app: &TestApp,
    w: &World,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
) -> Vec<Value> {
    app.all_pages(
        &w.office,
        &format!(
            "/api/v1/placements?department_id={}&from={start}&to={end}",
            sid(&w.f.department)
        ),
        500,
    )
    .await
    .into_iter()
    .filter(|p| p["status"] != "cancelled")
    .collect()
}

async fn coordinators(app: &TestApp, n: usize) -> Vec<Caller> {
    let mut out = vec![];
    for _ in 0..n {
        out.push(app.coordinator().await);
    }
    out
}

db_test!(eight_approvals_race_for_the_last_seat, |app| async move {
    let w = world_of(&app, 1, 50, 8).await;
    let office = coordinators(&app, 8).await;
    for round in 0..3 {
        let (start, end) = period(round);
        let mut requests = vec![];
        for s in &w.students {
            requests.push(submit(&app, &w, &one(&w, s, start, end)).await);
        }
        let calls = requests
            .iter()
            .zip(&w.students)
            .zip(&office)
            .map(|((r, s), who)| {
                Call::post(
                    who,
                    format!("/api/v1/placement-requests/{}/decision", sid(r)),
                    approval(&w, &[s]),
                )
            })
            .collect();
        let answers = race(&app, calls).await;
        let mut got = outcomes(&answers);
        got.sort();
        let mut want = vec![(409, vec!["department_at_capacity".to_string()]); 7];
        want.insert(0, (200, vec![]));
        assert_eq!(got, want, "round {round}: {answers:?}");
        let winner = answers
            .iter()
            .position(|(s, _)| *s == 200)
            .expect("one winner");
        let placement = answers[winner].1["placements"][0].clone();
        assert_eq!(placement["student_id"], w.students[winner]["id"]);
        let now: Vec<String> = held(&app, &w, start, end).await.iter().map(sid).collect();
        assert_eq!(
            now,
            [sid(&placement)],
            "round {round}: one placement holds the seat"
        );
        for (i, r) in requests.iter().enumerate() {
            let want = if i == winner { "approved" } else { "submitted" };
            assert_eq!(
                request_status(&app, &w, r).await,
                want,
                "round {round}, request {i}"
            );
        }
    }
    assert_eq!(live_placements(&app, &w).await.len(), 3);
});

db_test!(seven_approvals_race_a_capacity_increase, |app| async move {
    // The only seat is taken; while seven approvals run, the office makes room for one more.
    let w = world_of(&app, 1, 50, 8).await;
    let office = coordinators(&app, 7).await;
    let dept = format!("/api/v1/departments/{}", sid(&w.f.department));
    for round in 0..3 {
        let (start, end) = period(round);
        let reset = expect_status(
            app.patch(&w.office, &dept, &json!({ "capacity": 1 })).await,
            200,
        )
        .await;
        assert_eq!(reset["capacity"], 1);
        let first = submit(&app, &w, &one(&w, &w.students[0], start, end)).await;
        let holder = approve(&app, &w, &first, &approval(&w, &[&w.students[0]])).await;
        let mut requests = vec![];
        for s in &w.students[1..] {
            requests.push(submit(&app, &w, &one(&w, s, start, end)).await);
        }
        let mut calls: Vec<Call> = requests
            .iter()
            .zip(&w.students[1..])
            .zip(&office)
            .map(|((r, s), who)| {
                Call::post(
                    who,
                    format!("/api/v1/placement-requests/{}/decision", sid(r)),
                    approval(&w, &[s]),
                )
            })
            .collect();
        calls.push(Call::patch(
            &w.office,
            dept.clone(),
            json!({ "capacity": 2 }),
        ));
        let answers = race(&app, calls).await;
        let (patch_status, patched) = &answers[7];
        assert_eq!(
            (*patch_status, patched["capacity"].clone()),
            (200, json!(2)),
            "{patched}"
        );
        let approvals = outcomes(&answers[..7]);
        let won = approvals.iter().filter(|(s, _)| *s == 200).count();
        assert!(
            won <= 1,
            "round {round}: at most the one new seat: {approvals:?}"
        );
        assert_eq!(
            approvals
                .iter()
                .filter(|o| **o == (409, vec!["department_at_capacity".to_string()]))
                .count(),
            7 - won,
            "round {round}: {approvals:?}"
        );
        let now = held(&app, &w, start, end).await;
        assert_eq!(now.len(), 1 + won, "round {round}");
        assert!(now.iter().any(|p| p["id"] == holder[0]["id"]));
        // If no approval came after the increase, the new seat is still free.
        let loser = approvals
            .iter()
            .position(|(s, _)| *s == 409)
            .expect("a refused approval");
        let next = decide(
            &app,
            &w.office,
            &requests[loser],
            &approval(&w, &[&w.students[loser + 1]]),
        )
        .await;
        let expected = if won == 0 {
            (200, vec![])
        } else {
            (409, vec!["department_at_capacity".to_string()])
        };
        assert_eq!(outcome(next).await, expected, "round {round}");
        assert_eq!(
            held(&app, &w, start, end).await.len(),
            2,
            "round {round}: full at two"
        );
    }
});

db_test!(seven_approvals_race_a_capacity_decrease, |app| async move {
    // Four free seats cut to one while seven approvals run: those before the cut fit (up
    // to four); after it, only one fits if none came before. Never more than four, never none.
    let w = world_of(&app, 4, 50, 7).await;
    let office = coordinators(&app, 7).await;
    let dept = format!("/api/v1/departments/{}", sid(&w.f.department));
    for round in 0..3 {
        let (start, end) = period(round);
        let reset = expect_status(
            app.patch(&w.office, &dept, &json!({ "capacity": 4 })).await,
            200,
        )
        .await;
        assert_eq!(reset["capacity"], 4);
        let mut requests = vec![];
        for s in &w.students {
            requests.push(submit(&app, &w, &one(&w, s, start, end)).await);
        }
        let mut calls: Vec<Call> = requests
            .iter()
            .zip(&w.students)
            .zip(&office)
            .map(|((r, s), who)| {
                Call::post(
                    who,
                    format!("/api/v1/placement-requests/{}/decision", sid(r)),
                    approval(&w, &[s]),
                )
            })
            .collect();
        calls.push(Call::patch(
            &w.office,
            dept.clone(),
            json!({ "capacity": 1 }),
        ));
        let answers = race(&app, calls).await;
        assert_eq!(
            (answers[7].0, answers[7].1["capacity"].clone()),
            (200, json!(1))
        );
        let approvals = outcomes(&answers[..7]);
        let won = approvals.iter().filter(|(s, _)| *s == 200).count();
        assert!((1..=4).contains(&won), "round {round}: {approvals:?}");
        assert_eq!(
            approvals
                .iter()
                .filter(|o| **o == (409, vec!["department_at_capacity".to_string()]))
                .count(),
            7 - won,
            "round {round}: {approvals:?}"
        );
        let now: Vec<String> = held(&app, &w, start, end).await.iter().map(sid).collect();
        assert_eq!(now.len(), won, "round {round}");
        for (status, body) in &answers[..7] {
            let created = body["placements"][0]["id"].as_str().map(String::from);
            assert_eq!(created.is_some(), *status == 200, "{body}");
            assert!(created.is_none_or(|id| now.contains(&id)), "{body}");
        }
    }
});

db_test!(
    a_plan_accepted_while_seven_coordinators_approve_places_one,
    |app| async move {
        let w = world_of(&app, 1, 50, 8).await;
        let office = coordinators(&app, 7).await;
        let planned_request = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let run = plan(&app, &w.office).await;
        assert_eq!(
            planned(&run, &planned_request)["outcome"],
            "placed",
            "{run}"
        );
        // Seven more requests for the same weeks, after the plan was made.
        let mut requests = vec![];
        for s in &w.students[1..] {
            requests.push(submit(&app, &w, &clinical(&w, &[s])).await);
        }
        let mut calls: Vec<Call> = requests
            .iter()
            .zip(&w.students[1..])
            .zip(&office)
            .map(|((r, s), who)| {
                Call::post(
                    who,
                    format!("/api/v1/placement-requests/{}/decision", sid(r)),
                    approval(&w, &[s]),
                )
            })
            .collect();
        calls.push(Call::post(
            &w.office,
            format!("/api/v1/planning-runs/{}/accept", sid(&run)),
            json!({}),
        ));
        let answers = race(&app, calls).await;
        let (accept_status, accepted) = &answers[7];
        assert_eq!(*accept_status, 200, "{accepted}");
        let approved = accepted["approved"].as_array().expect("approved").clone();
        let failed = accepted["failed"].as_array().expect("failed").clone();
        assert_eq!(approved.len() + failed.len(), 1, "{accepted}");
        assert!(
            failed.iter().all(|f| f["code"] == "department_at_capacity"
                && f["request_id"] == planned_request["id"]),
            "{accepted}"
        );
        assert!(
            approved.iter().all(|r| *r == planned_request["id"]),
            "{accepted}"
        );
        let manual = outcomes(&answers[..7]);
        let manual_won = manual.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            manual_won + approved.len(),
            1,
            "exactly one gets the seat: {manual:?} {accepted}"
        );
        assert_eq!(
            manual
                .iter()
                .filter(|o| **o == (409, vec!["department_at_capacity".to_string()]))
                .count(),
            7 - manual_won,
            "{manual:?}"
        );
        let live = live_placements(&app, &w).await;
        assert_eq!(live.len(), 1, "one placement in all");
        let all = placements(&app, &w).await;
        let winner_request = all[0]["request_id"].clone();
        let expected_winner = if approved.is_empty() {
            answers[..7]
                .iter()
                .zip(&requests)
                .find(|((s, _), _)| *s == 200)
                .map(|(_, r)| r["id"].clone())
                .expect("a manual winner")
        } else {
            planned_request["id"].clone()
        };
        assert_eq!(winner_request, expected_winner);
        let planned_status = request_status(&app, &w, &planned_request).await;
        assert_eq!(planned_status == "approved", !approved.is_empty());
    }
);

db_test!(
    a_plan_accepted_while_seven_coordinators_approve_the_same_request_decides_it_once,
    |app| async move {
        let w = world_of(&app, 4, 50, 2).await;
        let office = coordinators(&app, 7).await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let run = plan(&app, &w.office).await;
        assert_eq!(planned(&run, &r)["outcome"], "placed", "{run}");
        let decision = format!("/api/v1/placement-requests/{}/decision", sid(&r));
        let mut calls: Vec<Call> = office
            .iter()
            .map(|who| Call::post(who, decision.clone(), approval(&w, &[&w.students[0]])))
            .collect();
        calls.push(Call::post(
            &w.office,
            format!("/api/v1/planning-runs/{}/accept", sid(&run)),
            json!({}),
        ));
        let answers = race(&app, calls).await;
        let (accept_status, accepted) = &answers[7];
        assert_eq!(*accept_status, 200, "{accepted}");
        let approved = accepted["approved"].as_array().expect("approved").clone();
        let failed = accepted["failed"].as_array().expect("failed").clone();
        assert_eq!(approved.len() + failed.len(), 1, "{accepted}");
        assert!(
            failed
                .iter()
                .all(|f| f["code"] == "invalid_transition" && f["request_id"] == r["id"]),
            "{accepted}"
        );
        let manual = outcomes(&answers[..7]);
        let manual_won = manual.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            manual_won + approved.len(),
            1,
            "decided once: {manual:?} {accepted}"
        );
        assert_eq!(
            manual
                .iter()
                .filter(|o| **o == (409, vec!["invalid_transition".to_string()]))
                .count(),
            7 - manual_won,
            "{manual:?}"
        );
        assert_eq!(request_status(&app, &w, &r).await, "approved");
        let all = placements(&app, &w).await;
        assert_eq!(all.len(), 1, "one placement: {all:?}");
        assert_eq!(all[0]["student_id"], w.students[0]["id"]);
        let decisions = actions(&app, &w.office, "placement_request", &sid(&r))
            .await
            .into_iter()
            .filter(|a| a.starts_with("decision:"))
            .count();
        assert_eq!(decisions, 1, "one decision in the request's history");
    }
);
