//! Deciding by hand (issue 14 point 4): the office asks what it may choose from
//! (`GET /api/v1/placement-requests/{id}/choices`) — each department's free seats and each
//! preceptor's department, free slots, licence and leave over the request's period, those who
//! would pass every check first, a suggestion per place — and the suggestion is approved on
//! the first try; refusals name people and read dates as "Mon 1 Mar 2027".
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

async fn choices(app: &TestApp, who: &Caller, r: &Value) -> Value {
    app.get_ok(
        who,
        &format!("/api/v1/placement-requests/{}/choices", id(r)),
    )
    .await
}

fn by_id<'a>(list: &'a Value, id: &Value) -> &'a Value {
    list.as_array()
        .and_then(|l| l.iter().find(|x| x["id"] == *id))
        .unwrap_or(&Value::Null)
}

db_test!(
    the_office_sees_who_would_pass_and_approves_the_suggestion_first_time,
    |app| async move {
        let w = world(&app, 2, 1).await;
        let dept = w.f.department.clone();
        // Listed before the good preceptor by name, but neither would pass.
        let on_leave = staff(
            &app,
            &w.office,
            &dept,
            "radiography",
            2,
            json!({ "name": "Aaron Abbott", "leave": [{ "starts_on": "2027-03-01", "ends_on": "2027-03-05" }] }),
        )
        .await;
        let lapsing = staff(
            &app,
            &w.office,
            &dept,
            "radiography",
            2,
            json!({ "name": "Abby Adams", "license_expires_on": "2027-03-15" }),
        )
        .await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let c = choices(&app, &w.office, &r).await;
        // The school's preference, in names.
        assert_eq!(c["preferences"][0]["rank"], 1, "{c}");
        assert_eq!(c["preferences"][0]["department_name"], dept["name"], "{c}");
        assert_eq!(c["departments"][0]["id"], dept["id"], "{c}");
        assert_eq!(c["departments"][0]["free"], 2, "{c}");
        assert_eq!(c["departments"][0]["preference"], 1, "{c}");
        // The one who passes comes first, with the department's name and free slots.
        let first = &c["preceptors"][0];
        assert_eq!(first["id"], w.preceptor["id"], "{c}");
        assert_eq!(first["passes"], true, "{c}");
        assert_eq!(first["free"], 1, "{c}");
        assert_eq!(first["department_name"], dept["name"], "{c}");
        let leave = by_id(&c["preceptors"], &on_leave["id"]);
        assert_eq!(leave["passes"], false, "{c}");
        assert_eq!(leave["leave"][0]["starts_on"], "2027-03-01", "{c}");
        assert_eq!(leave["problems"][0]["code"], "preceptor_on_leave", "{c}");
        let lapse = by_id(&c["preceptors"], &lapsing["id"]);
        assert_eq!(lapse["license_expires_on"], "2027-03-15", "{c}");
        assert_eq!(
            lapse["problems"][0]["code"], "preceptor_license_expired",
            "{c}"
        );
        assert!(
            lapse["problems"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("Abby Adams's licence lapses on Mon 15 Mar 2027, before the placement ends on Wed 31 Mar 2027"),
            "{c}"
        );
        // The suggestion is approved as it stands.
        let s = &c["suggestions"][0];
        assert_eq!(s["student_id"], w.students[0]["id"], "{c}");
        assert_eq!(s["preceptor_id"], w.preceptor["id"], "{c}");
        let placed = approve(
            &app,
            &w,
            &r,
            &json!({ "decision": "approve", "placements": [{ "student_id": s["student_id"],
                     "department_id": s["department_id"], "preceptor_id": s["preceptor_id"] }] }),
        )
        .await;
        assert_eq!(placed.len(), 1);
        // The next request sees one seat and no free slot left with that preceptor.
        let next = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let c = choices(&app, &w.office, &next).await;
        assert_eq!(c["departments"][0]["free"], 1, "{c}");
        let full = by_id(&c["preceptors"], &w.preceptor["id"]);
        assert_eq!(full["passes"], false, "{c}");
        assert_eq!(full["free"], 0, "{c}");
        assert_eq!(full["problems"][0]["code"], "preceptor_at_capacity", "{c}");
        assert!(
            c["suggestions"][0]["preceptor_id"].is_null(),
            "nobody passes, nobody suggested: {c}"
        );
        // Only the office decides.
        let res = app
            .get(
                &w.school,
                &format!("/api/v1/placement-requests/{}/choices", id(&next)),
            )
            .await;
        assert_eq!(res.status().as_u16(), 403);
    }
);

db_test!(
    a_refused_decision_names_people_and_reads_dates_in_words,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let on_leave = staff(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            2,
            json!({ "name": "Aaron Abbott", "leave": [{ "starts_on": "2027-03-01", "ends_on": "2027-03-05" }] }),
        )
        .await;
        let r = submit(&app, &w, &clinical(&w, &[&w.students[0], &w.students[1]])).await;
        // A student left out is named.
        let problem = expect_problem(
            decide(&app, &w.office, &r, &approval(&w, &[&w.students[0]])).await,
            422,
            &["student_missing_from_decision"],
        )
        .await;
        let text = problem.to_string();
        assert!(
            text.contains(&format!("{} needs a placement", full_name(&w.students[1]))),
            "{problem}"
        );
        assert!(!text.contains(&sid(&w.students[1])), "no ids: {problem}");
        // A preceptor on leave: their name and the leave in words.
        let mut body = approval(&w, &[&w.students[0], &w.students[1]]);
        body["placements"][0]["preceptor_id"] = on_leave["id"].clone();
        let problem = expect_problem(
            decide(&app, &w.office, &r, &body).await,
            422,
            &["preceptor_on_leave"],
        )
        .await;
        let text = problem.to_string();
        assert!(
            text.contains("Aaron Abbott is on leave from Mon 1 Mar 2027 to Fri 5 Mar 2027"),
            "{problem}"
        );
        assert!(!text.contains("2027-03-01"), "no ISO dates: {problem}");
    }
);
