//! Placements over HTTP: who sees which, the lifecycle (each legal and illegal move, who may
//! make it), cancelling frees capacity, naming a slot's student, and the audit trail.
use crate::db_test;
use crate::helpers::*;
use crate::requests::{
    World, approval, clinical, decide, placed, preceptor, refused, student, submit, world,
};
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = items(v).iter().map(id).collect();
    out.sort();
    out
}

fn path(p: &Value) -> String {
    format!("/api/v1/placements/{}", id(p))
}

fn to(status: &str) -> Value {
    json!({ "to": status })
}

async fn transition(app: &TestApp, who: &Caller, p: &Value, body: &Value) -> reqwest::Response {
    app.post(who, &format!("{}/transition", path(p)), body)
        .await
}

async fn actions(app: &TestApp, w: &World, record_type: &str, record_id: &str) -> Vec<String> {
    let trail = app
        .get_ok(
            &w.office,
            &format!("/api/v1/audit?record_type={record_type}&record_id={record_id}"),
        )
        .await;
    items(&trail)
        .iter()
        .map(|e| e["action"].as_str().expect("an action").to_string())
        .collect()
}

db_test!(every_role_reads_only_its_placements, |app| async move {
    let w = world(&app, 4, 2).await;
    // A second department with its own preceptor and manager.
    let ct = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": "CT", "setting": "imaging", "capacity": 4,
                     "disciplines": ["radiography"] }),
        )
        .await;
    let ct_preceptor = preceptor(&app, &w.office, &ct, "radiography", 2, json!({})).await;

    let a = placed(&app, &w, &[&w.students[0]]).await["placements"][0].clone();
    let r = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
    let body = json!({ "decision": "approve", "placements": [{ "student_id": w.students[1]["id"],
        "department_id": ct["id"], "preceptor_id": ct_preceptor["id"] }] });
    let b =
        expect_status(decide(&app, &w.office, &r, &body).await, 200).await["placements"][0].clone();

    let student_a = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let student_c = app
        .user("student", json!({ "student_id": w.students[2]["id"] }))
        .await;
    let prec_a = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    let prec_b = app
        .user("preceptor", json!({ "staff_id": ct_preceptor["id"] }))
        .await;
    let manager_staff = preceptor(
        &app,
        &w.office,
        &w.f.department,
        "radiography",
        0,
        json!({ "is_preceptor": false }),
    )
    .await;
    let manager_a = app
        .user(
            "department_manager",
            json!({ "staff_id": manager_staff["id"] }),
        )
        .await;
    let other_school = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.other_school["id"] }),
        )
        .await;

    let both = {
        let mut v = vec![id(&a), id(&b)];
        v.sort();
        v
    };
    let list = "/api/v1/placements";
    assert_eq!(ids(&app.get_ok(&w.office, list).await), both);
    assert_eq!(ids(&app.get_ok(&w.school, list).await), both);
    assert_eq!(ids(&app.get_ok(&student_a, list).await), [id(&a)]);
    assert!(ids(&app.get_ok(&student_c, list).await).is_empty());
    assert_eq!(ids(&app.get_ok(&prec_a, list).await), [id(&a)]);
    assert_eq!(ids(&app.get_ok(&prec_b, list).await), [id(&b)]);
    assert_eq!(ids(&app.get_ok(&manager_a, list).await), [id(&a)]);
    assert!(ids(&app.get_ok(&other_school, list).await).is_empty());
    // A filter never widens the scope.
    assert!(
        ids(&app
            .get_ok(&prec_a, &format!("{list}?department_id={}", id(&ct)))
            .await)
        .is_empty()
    );
    assert!(
        ids(&app
            .get_ok(
                &student_a,
                &format!("{list}?student_id={}", id(&w.students[1]))
            )
            .await)
        .is_empty()
    );

    for (who, sees_a, sees_b) in [
        (&w.office, true, true),
        (&w.school, true, true),
        (&student_a, true, false),
        (&student_c, false, false),
        (&prec_a, true, false),
        (&prec_b, false, true),
        (&manager_a, true, false),
        (&other_school, false, false),
    ] {
        for (p, sees) in [(&a, sees_a), (&b, sees_b)] {
            let res = app.get(who, &path(p)).await;
            let want = if sees { 200 } else { 404 };
            assert_eq!(res.status(), want, "{} reading {}", who.user["role"], id(p));
        }
    }
    let seen = app.get_ok(&student_a, &path(&a)).await;
    assert_eq!(seen["status"], "proposed");
    assert!(seen["clearance"]["status"].is_string());

    // Filters.
    assert_eq!(
        ids(&app
            .get_ok(&w.office, &format!("{list}?department_id={}", id(&ct)))
            .await),
        [id(&b)]
    );
    assert_eq!(
        ids(&app
            .get_ok(
                &w.office,
                &format!("{list}?student_id={}", id(&w.students[0]))
            )
            .await),
        [id(&a)]
    );
    assert_eq!(
        ids(&app
            .get_ok(&w.office, &format!("{list}?status=proposed"))
            .await),
        both
    );
    assert!(
        ids(&app
            .get_ok(&w.office, &format!("{list}?status=active"))
            .await)
        .is_empty()
    );
    assert!(
        ids(&app
            .get_ok(&w.office, &format!("{list}?from=2027-04-01"))
            .await)
        .is_empty()
    );
    assert_eq!(
        app.get(&w.office, &format!("{list}?status=lost"))
            .await
            .status(),
        422
    );
    expect_problem(
        app.get(&w.office, "/api/v1/placements/not-a-uuid").await,
        404,
        &["not_found"],
    )
    .await;
});

db_test!(the_lifecycle_moves_and_refusals, |app| async move {
    let w = world(&app, 4, 4).await;
    let decided = placed(&app, &w, &[&w.students[0], &w.students[1]]).await;
    let p = decided["placements"][0].clone();
    let q = decided["placements"][1].clone();

    // From proposed: completed is not a move; active needs clearance.
    assert_eq!(
        refused(transition(&app, &w.office, &p, &to("completed")).await, 409).await,
        ["invalid_transition"]
    );
    assert_eq!(
        refused(transition(&app, &w.office, &p, &to("active")).await, 409).await,
        ["not_cleared"]
    );
    assert_eq!(
        app.get_ok(&w.office, &path(&p)).await["status"],
        "proposed",
        "a refusal changes nothing"
    );
    // Unknown targets and fields.
    assert_eq!(
        transition(&app, &w.office, &p, &to("onboarding"))
            .await
            .status(),
        422
    );
    assert_eq!(
        transition(&app, &w.office, &p, &to("proposed"))
            .await
            .status(),
        422
    );
    assert_eq!(
        refused(
            transition(
                &app,
                &w.office,
                &p,
                &json!({ "to": "confirmed", "why": "x" })
            )
            .await,
            422
        )
        .await,
        ["unknown_field"]
    );

    // Who may move it: never a preceptor, a student or a department manager.
    let prec = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    let stud = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    let mgr_staff = preceptor(
        &app,
        &w.office,
        &w.f.department,
        "radiography",
        0,
        json!({ "is_preceptor": false }),
    )
    .await;
    let mgr = app
        .user("department_manager", json!({ "staff_id": mgr_staff["id"] }))
        .await;
    for who in [&prec, &stud, &mgr] {
        expect_problem(
            transition(&app, who, &p, &to("confirmed")).await,
            403,
            &["forbidden"],
        )
        .await;
        let cancel = json!({ "to": "cancelled", "reason": "x" });
        expect_problem(
            transition(&app, who, &p, &cancel).await,
            403,
            &["forbidden"],
        )
        .await;
    }
    // Another school: not found.
    let other = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.other_school["id"] }),
        )
        .await;
    expect_problem(
        transition(&app, &other, &p, &to("confirmed")).await,
        404,
        &["not_found"],
    )
    .await;

    // The school confirms: it reads onboarding while clearance is pending.
    let confirmed =
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
    assert_eq!(confirmed["status"], "onboarding");
    assert_eq!(confirmed["clearance"]["status"], "pending");
    assert_eq!(
        app.get_ok(&w.school, &path(&p)).await["status"],
        "onboarding"
    );
    let listed = app
        .get_ok(&w.office, "/api/v1/placements?status=onboarding")
        .await;
    assert_eq!(ids(&listed), [id(&p)]);
    assert_eq!(
        refused(transition(&app, &w.school, &p, &to("confirmed")).await, 409).await,
        ["invalid_transition"]
    );
    // The school never starts or completes a placement.
    expect_problem(
        transition(&app, &w.school, &p, &to("active")).await,
        403,
        &["forbidden"],
    )
    .await;
    expect_problem(
        transition(&app, &w.school, &p, &to("completed")).await,
        403,
        &["forbidden"],
    )
    .await;
    // The office cannot start it before clearance.
    assert_eq!(
        refused(transition(&app, &w.office, &p, &to("active")).await, 409).await,
        ["not_cleared"]
    );
    assert_eq!(
        refused(transition(&app, &w.office, &p, &to("completed")).await, 409).await,
        ["invalid_transition"]
    );
    assert_eq!(
        app.get_ok(&w.office, &path(&p)).await["status"],
        "onboarding"
    );

    // Cancel: a reason is required, from the school as from the office.
    for who in [&w.school, &w.office] {
        assert_eq!(
            refused(transition(&app, who, &p, &to("cancelled")).await, 422).await,
            ["reason_required"]
        );
    }
    let cancelled = expect_status(
        transition(
            &app,
            &w.school,
            &p,
            &json!({ "to": "cancelled", "reason": "the student moved away" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "the student moved away");
    for target in ["confirmed", "active", "completed"] {
        assert_eq!(
            refused(transition(&app, &w.office, &p, &to(target)).await, 409).await,
            ["invalid_transition"],
            "{target}"
        );
    }
    let again = json!({ "to": "cancelled", "reason": "again" });
    assert_eq!(
        refused(transition(&app, &w.office, &p, &again).await, 409).await,
        ["invalid_transition"]
    );

    // The office cancels a proposed one directly.
    let cancelled = expect_status(
        transition(
            &app,
            &w.office,
            &q,
            &json!({ "to": "cancelled", "reason": "no longer needed" }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");

    // Every step is in the placement's history.
    assert_eq!(
        actions(&app, &w, "placement", &id(&p)).await,
        ["create", "transition:confirmed", "transition:cancelled"]
    );
    assert_eq!(
        actions(&app, &w, "placement", &id(&q)).await,
        ["create", "transition:cancelled"]
    );
    let trail = app
        .get_ok(
            &w.office,
            &format!("/api/v1/audit?record_type=placement&record_id={}", id(&p)),
        )
        .await;
    let last = &trail["items"][2];
    assert_eq!(last["actor_id"], w.school.user["id"]);
    assert_eq!(last["before"]["status"], "confirmed");
    assert_eq!(last["after"]["status"], "cancelled");
});

db_test!(
    cancelling_frees_the_seat_and_the_preceptor,
    |app| async move {
        let w = world(&app, 1, 1).await;
        let first = placed(&app, &w, &[&w.students[0]]).await["placements"][0].clone();
        let r = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let decision = approval(&w, &[&w.students[1]]);
        let mut got = refused(decide(&app, &w.office, &r, &decision).await, 409).await;
        got.sort();
        assert_eq!(got, ["department_at_capacity", "preceptor_at_capacity"]);
        expect_status(
            transition(
                &app,
                &w.office,
                &first,
                &json!({ "to": "cancelled", "reason": "student withdrew" }),
            )
            .await,
            200,
        )
        .await;
        let ok = expect_status(decide(&app, &w.office, &r, &decision).await, 200).await;
        assert_eq!(ok["placements"][0]["status"], "proposed");
    }
);

db_test!(schools_name_the_student_of_a_slot_seat, |app| async move {
    let w = world(&app, 4, 4).await;
    let mut body = clinical(&w, &[]);
    body["slots"] = json!(1);
    let r = submit(&app, &w, &body).await;
    let decision = json!({ "decision": "approve", "placements": [
        { "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] } ] });
    let decided = expect_status(decide(&app, &w.office, &r, &decision).await, 200).await;
    let seat = decided["placements"][0].clone();
    assert_eq!(seat["student_id"], Value::Null);

    let withdrawn = student(
        &app,
        &w.office,
        &w.f.school,
        &w.f.program,
        "Gone",
        "withdrawn",
    )
    .await;
    let res = app
        .patch(
            &w.school,
            &path(&seat),
            &json!({ "student_id": withdrawn["id"] }),
        )
        .await;
    // Naming is a forward move: a failed eligibility rule is a clash with the placement's
    // state, 409 with every failed code (issue 12; it was 422).
    assert_eq!(refused(res, 409).await, ["student_not_enrolled"]);
    // A student of another school.
    let program = app
        .create(
            &w.office,
            &format!("/api/v1/schools/{}/programs", id(&w.f.other_school)),
            &json!({ "name": "AS Radiography", "discipline": "radiography", "degree_level": "associate",
                     "accredited_until": "2030-06-30" }),
        )
        .await;
    let stranger = student(
        &app,
        &w.office,
        &w.f.other_school,
        &program,
        "Far",
        "enrolled",
    )
    .await;
    let res = app
        .patch(
            &w.school,
            &path(&seat),
            &json!({ "student_id": stranger["id"] }),
        )
        .await;
    assert_eq!(refused(res, 409).await, ["student_not_in_program"]);
    let res = app
        .patch(
            &w.school,
            &path(&seat),
            &json!({ "student_id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(refused(res, 422).await, ["unknown_student"]);
    assert_eq!(
        app.get_ok(&w.school, &path(&seat)).await["student_id"],
        Value::Null
    );
    // Not the preceptor, not another school.
    let prec = app
        .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
        .await;
    let res = app
        .patch(
            &prec,
            &path(&seat),
            &json!({ "student_id": w.students[0]["id"] }),
        )
        .await;
    expect_problem(res, 403, &["forbidden"]).await;
    let other = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.other_school["id"] }),
        )
        .await;
    let res = app
        .patch(
            &other,
            &path(&seat),
            &json!({ "student_id": w.students[0]["id"] }),
        )
        .await;
    expect_problem(res, 404, &["not_found"]).await;

    let named = expect_status(
        app.patch(
            &w.school,
            &path(&seat),
            &json!({ "student_id": w.students[0]["id"] }),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(named["student_id"], w.students[0]["id"]);
    let res = app
        .patch(
            &w.school,
            &path(&seat),
            &json!({ "student_id": w.students[1]["id"] }),
        )
        .await;
    assert_eq!(refused(res, 409).await, ["student_already_named"]);
    // The student now sees it; the change is in the history.
    let stud = app
        .user("student", json!({ "student_id": w.students[0]["id"] }))
        .await;
    app.get_ok(&stud, &path(&seat)).await;
    assert_eq!(
        actions(&app, &w, "placement", &id(&seat)).await,
        ["create", "name_student"]
    );
});

db_test!(
    supervisors_see_only_the_students_placed_with_them,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let p = placed(&app, &w, &[&w.students[0]]).await["placements"][0].clone();
        let prec = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let mgr_staff = preceptor(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            0,
            json!({ "is_preceptor": false }),
        )
        .await;
        let mgr = app
            .user("department_manager", json!({ "staff_id": mgr_staff["id"] }))
            .await;
        for who in [&prec, &mgr] {
            let mine = app
                .get_ok(who, &format!("/api/v1/students/{}", id(&w.students[0])))
                .await;
            assert_eq!(mine["id"], w.students[0]["id"], "{}", who.user["role"]);
            let res = app
                .get(who, &format!("/api/v1/students/{}", id(&w.students[1])))
                .await;
            expect_problem(res, 404, &["not_found"]).await;
            let list = app.get_ok(who, "/api/v1/students").await;
            assert_eq!(ids(&list), [id(&w.students[0])], "{}", who.user["role"]);
        }
        // A preceptor with nobody placed sees nobody.
        let idle_staff = preceptor(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            2,
            json!({}),
        )
        .await;
        let idle = app
            .user("preceptor", json!({ "staff_id": idle_staff["id"] }))
            .await;
        expect_problem(
            app.get(&idle, &format!("/api/v1/students/{}", id(&w.students[0])))
                .await,
            404,
            &["not_found"],
        )
        .await;
        assert!(ids(&app.get_ok(&idle, "/api/v1/students").await).is_empty());
        // Once the placement is cancelled, the student is no longer theirs.
        expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &json!({ "to": "cancelled", "reason": "changed plans" }),
            )
            .await,
            200,
        )
        .await;
        expect_problem(
            app.get(&prec, &format!("/api/v1/students/{}", id(&w.students[0])))
                .await,
            404,
            &["not_found"],
        )
        .await;
    }
);

db_test!(one_placement_moves_once_even_at_once, |app| async move {
    let w = world(&app, 50, 50).await;
    let school2 = app
        .user(
            "school_coordinator",
            json!({ "school_id": w.f.school["id"] }),
        )
        .await;
    for round in 0..5 {
        let p = placed(&app, &w, &[&w.students[0]]).await["placements"][0].clone();
        let body = to("confirmed");
        let (x, y) = tokio::join!(
            transition(&app, &w.school, &p, &body),
            transition(&app, &school2, &p, &body)
        );
        let mut got = vec![outcome(x).await, outcome(y).await];
        got.sort();
        assert_eq!(
            got,
            [(200, vec![]), (409, vec!["invalid_transition".to_string()])],
            "round {round}"
        );
        assert_eq!(
            actions(&app, &w, "placement", &id(&p)).await,
            ["create", "transition:confirmed"],
            "round {round}"
        );
        expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &json!({ "to": "cancelled", "reason": "next round" }),
            )
            .await,
            200,
        )
        .await;

        // Two coordinators naming the student of one seat at once.
        let mut slot = clinical(&w, &[]);
        slot["slots"] = json!(1);
        let r = submit(&app, &w, &slot).await;
        let d = json!({ "decision": "approve", "placements": [
            { "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] } ] });
        let seat = expect_status(decide(&app, &w.office, &r, &d).await, 200).await["placements"][0]
            .clone();
        let (a, b) = (
            json!({ "student_id": w.students[1]["id"] }),
            json!({ "student_id": w.students[2]["id"] }),
        );
        let seat_path = path(&seat);
        let (x, y) = tokio::join!(
            app.patch(&w.school, &seat_path, &a),
            app.patch(&school2, &seat_path, &b)
        );
        let mut got = vec![outcome(x).await, outcome(y).await];
        got.sort();
        assert_eq!(got[0].0, 200, "round {round}: {got:?}");
        assert_eq!(
            got[1],
            (409, vec!["student_already_named".to_string()]),
            "round {round}"
        );
        expect_status(
            transition(
                &app,
                &w.office,
                &seat,
                &json!({ "to": "cancelled", "reason": "next round" }),
            )
            .await,
            200,
        )
        .await;
    }
});

db_test!(
    a_reason_given_to_confirm_is_not_a_cancel_reason,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let p = placed(&app, &w, &[&w.students[0]]).await["placements"][0].clone();
        let confirmed = expect_status(
            transition(
                &app,
                &w.school,
                &p,
                &json!({ "to": "confirmed", "reason": "the student accepted" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(confirmed["cancel_reason"], Value::Null);
        let cancelled = expect_status(
            transition(
                &app,
                &w.school,
                &p,
                &json!({ "to": "cancelled", "reason": "moved away" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(cancelled["cancel_reason"], "moved away");
    }
);
