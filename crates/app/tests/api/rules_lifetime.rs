//! Issue 12, points 1-3: the rules hold for the whole life of a placement. Every fact a
//! placement depends on is checked again at each forward move (confirm, naming the student,
//! activate) and a write that breaks one lists the placements it puts at risk; a student is in
//! one place at a time (approving, naming, planning); `active` means started.
use crate::db_test;
use crate::db_test_with;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

fn to(status: &str) -> Value {
    json!({ "to": status })
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
}

/// Sessions that outlast the clock moving by months.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

/// An HTML page as the office sees it, signed in through the page login.
async fn office_page(app: &TestApp, w: &World, path: &str) -> String {
    let cookie = page_login(app, &w.office).await;
    let (status, html) = page(app, &cookie, path).await;
    assert_eq!(status, 200, "{path}: {html}");
    html
}

/// A clinical for `students` from `from` to `until`, approved into `department` with the
/// world's preceptor; the placements.
async fn placed_in(
    app: &TestApp,
    w: &World,
    students: &[&Value],
    department: &Value,
    from: &str,
    until: &str,
) -> Vec<Value> {
    let mut body = clinical(w, students);
    body["starts_on"] = json!(from);
    body["ends_on"] = json!(until);
    body["preferences"] = json!([{ "site_id": w.f.site["id"] }]);
    let r = submit(app, w, &body).await;
    let mut decision = approval(w, students);
    for p in decision["placements"].as_array_mut().expect("placements") {
        p["department_id"] = department["id"].clone();
    }
    approve(app, w, &r, &decision).await
}

/// The same, but the decision's answer as it comes (for refusals).
async fn approving(
    app: &TestApp,
    w: &World,
    students: &[&Value],
    department: &Value,
    from: &str,
    until: &str,
) -> reqwest::Response {
    let mut body = clinical(w, students);
    body["starts_on"] = json!(from);
    body["ends_on"] = json!(until);
    body["preferences"] = json!([{ "site_id": w.f.site["id"] }]);
    let r = submit(app, w, &body).await;
    let mut decision = approval(w, students);
    for p in decision["placements"].as_array_mut().expect("placements") {
        p["department_id"] = department["id"].clone();
    }
    decide(app, &w.office, &r, &decision).await
}

async fn get_placement(app: &TestApp, w: &World, p: &Value) -> Value {
    app.get_ok(&w.office, &format!("/api/v1/placements/{}", sid(p)))
        .await
}

fn risk_codes(p: &Value) -> Vec<String> {
    let mut codes: Vec<String> = p["risks"]
        .as_array()
        .unwrap_or_else(|| panic!("a placement with `risks`: {p}"))
        .iter()
        .map(|r| r["code"].as_str().expect("a code").to_string())
        .collect();
    codes.sort();
    codes
}

/// The codes the write's `affected_placements` lists for placement `p` (none: not listed; the
/// field is left out when no placement is at risk).
fn affected(answer: &Value, p: &Value) -> Vec<String> {
    let empty = vec![];
    let list = match &answer["affected_placements"] {
        Value::Null => &empty,
        v => v.as_array().unwrap_or_else(|| panic!("a list: {answer}")),
    };
    list.iter()
        .find(|a| a["id"] == p["id"])
        .map(risk_codes)
        .unwrap_or_default()
}

/// A fact of the world, broken by one PATCH and put right by another, and the code it fails.
struct Fact {
    path: String,
    broken: Value,
    restored: Value,
    code: &'static str,
}

fn facts(w: &World) -> Vec<Fact> {
    let agreement = format!("/api/v1/agreements/{}", sid(&w.agreement));
    let program = format!("/api/v1/programs/{}", sid(&w.f.program));
    let preceptor = format!("/api/v1/staff/{}", sid(&w.preceptor));
    let department = format!("/api/v1/departments/{}", sid(&w.f.department));
    let fact = |path: &str, broken: Value, restored: Value, code| Fact {
        path: path.to_string(),
        broken,
        restored,
        code,
    };
    vec![
        fact(
            &agreement,
            json!({ "status": "terminated" }),
            json!({ "status": "active" }),
            "agreement_not_active",
        ),
        fact(
            &agreement,
            json!({ "expires_on": "2027-03-15" }),
            json!({ "expires_on": "2028-12-31" }),
            "agreement_does_not_cover_dates",
        ),
        fact(
            &agreement,
            json!({ "disciplines": ["sonography"] }),
            json!({ "disciplines": [] }),
            "agreement_does_not_cover_discipline",
        ),
        fact(
            &program,
            json!({ "accredited_until": "2027-03-10" }),
            json!({ "accredited_until": "2030-06-30" }),
            "program_not_accredited",
        ),
        fact(
            &preceptor,
            json!({ "license_expires_on": "2027-03-10" }),
            json!({ "license_expires_on": "2029-01-01" }),
            "preceptor_license_expired",
        ),
        fact(
            &preceptor,
            json!({ "leave": [{ "starts_on": "2027-03-08", "ends_on": "2027-03-12" }] }),
            json!({ "leave": [] }),
            "preceptor_on_leave",
        ),
        fact(
            &preceptor,
            json!({ "discipline": "sonography" }),
            json!({ "discipline": "radiography" }),
            "preceptor_discipline_mismatch",
        ),
        fact(
            &department,
            json!({ "disciplines": ["sonography"] }),
            json!({ "disciplines": ["radiography"] }),
            "department_does_not_host_discipline",
        ),
    ]
}

/// The student's enrollment, which only applies once a student is named.
fn enrollment(student: &Value) -> Fact {
    Fact {
        path: format!("/api/v1/students/{}", sid(student)),
        broken: json!({ "enrollment_status": "withdrawn" }),
        restored: json!({ "enrollment_status": "enrolled" }),
        code: "student_not_enrolled",
    }
}

/// Breaks the fact: the write succeeds and its answer lists `p` with the fact's code.
async fn break_fact(app: &TestApp, w: &World, f: &Fact, p: &Value) {
    let answer = expect_status(app.patch(&w.office, &f.path, &f.broken).await, 200).await;
    assert_eq!(
        affected(&answer, p),
        [f.code],
        "{} {}: {answer}",
        f.path,
        f.broken
    );
    assert_eq!(risk_codes(&get_placement(app, w, p).await), [f.code]);
}

/// Puts the fact right: the answer no longer lists `p`, which has no risk left.
async fn restore_fact(app: &TestApp, w: &World, f: &Fact, p: &Value) {
    let answer = expect_status(app.patch(&w.office, &f.path, &f.restored).await, 200).await;
    assert!(affected(&answer, p).is_empty(), "{answer}");
    assert!(risk_codes(&get_placement(app, w, p).await).is_empty());
}

async fn notifications_of(app: &TestApp, who: &Caller, kind: &str) -> Vec<Value> {
    app.all_pages(who, "/api/v1/notifications", 100)
        .await
        .into_iter()
        .filter(|n| n["kind"] == kind)
        .collect()
}

db_test_with!(
    p1_the_issue_example_an_agreement_terminated_after_approval,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        assert_eq!(p["risks"], json!([]), "{p}");
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        // The office terminates the school's only agreement: the write succeeds and lists
        // the placement it puts at risk.
        let answer = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&w.agreement)),
                &json!({ "status": "terminated" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(answer["status"], "terminated");
        assert_eq!(affected(&answer, &p), ["agreement_not_active"], "{answer}");
        // The placement carries the risk, with when it was noticed.
        let seen = get_placement(&app, &w, &p).await;
        assert_eq!(risk_codes(&seen), ["agreement_not_active"], "{seen}");
        assert!(seen["risks"][0]["since"].is_string(), "{seen}");
        assert!(!seen["risks"][0]["detail"].as_str().unwrap_or("").is_empty());
        // The office and the school are told once.
        assert_eq!(
            notifications_of(&app, &w.office, "placement_at_risk")
                .await
                .len(),
            1
        );
        assert_eq!(
            notifications_of(&app, &w.school, "placement_at_risk")
                .await
                .len(),
            1
        );
        // The placement page warns; the office's home lists it.
        let page = office_page(&app, &w, &format!("/placements/{}", sid(&p))).await;
        assert!(page.contains("At risk"), "{page}");
        assert!(page.contains("agreement_not_active"), "{page}");
        let home = office_page(&app, &w, "/").await;
        assert!(home.contains("Placements at risk"), "{home}");
        assert!(home.contains(&format!("/placements/{}", sid(&p))), "{home}");
        // The API lists it among the placements at risk.
        let listed = app
            .get_ok(&w.office, "/api/v1/placements?at_risk=true")
            .await;
        assert_eq!(ids(&listed), [sid(&p)], "{listed}");
        expect_problem(
            app.get(&w.office, "/api/v1/placements?at_risk=maybe").await,
            422,
            &["invalid_boolean"],
        )
        .await;
        // On its first day, activating it is refused with the code.
        move_to(&app, "2027-03-01");
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["agreement_not_active"],
        )
        .await;
        assert_eq!(get_placement(&app, &w, &p).await["status"], "cleared");
        // Another write that leaves it at risk tells no one again.
        let again = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&w.agreement)),
                &json!({ "note": "terminated by the board" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(affected(&again, &p), ["agreement_not_active"], "{again}");
        assert_eq!(
            notifications_of(&app, &w.office, "placement_at_risk")
                .await
                .len(),
            1
        );
        assert_eq!(
            notifications_of(&app, &w.school, "placement_at_risk")
                .await
                .len(),
            1
        );
        // Put right, it starts.
        let back = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&w.agreement)),
                &json!({ "status": "active" }),
            )
            .await,
            200,
        )
        .await;
        assert!(back.get("affected_placements").is_none(), "{back}");
        let active = expect_status(transition(&app, &w.office, &p, &to("active")).await, 200).await;
        assert_eq!(active["status"], "active");
        assert_eq!(active["risks"], json!([]));
    }
);

db_test_with!(
    p1_the_issue_example_a_student_withdrawn_after_approval,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        // The school withdraws the student: it succeeds and says what is at risk.
        let answer = expect_status(
            app.patch(
                &w.school,
                &format!("/api/v1/students/{}", sid(&w.students[0])),
                &json!({ "enrollment_status": "withdrawn" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(affected(&answer, &p), ["student_not_enrolled"], "{answer}");
        assert_eq!(
            notifications_of(&app, &w.office, "placement_at_risk")
                .await
                .len(),
            1
        );
        assert_eq!(
            notifications_of(&app, &w.school, "placement_at_risk")
                .await
                .len(),
            1
        );
        move_to(&app, "2027-03-01");
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["student_not_enrolled"],
        )
        .await;
        // The school's view of the placement shows the risk too.
        let theirs = app
            .get_ok(&w.school, &format!("/api/v1/placements/{}", sid(&p)))
            .await;
        assert_eq!(risk_codes(&theirs), ["student_not_enrolled"]);
    }
);

db_test!(
    p1_every_fact_is_checked_again_at_confirm,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        let mut all = facts(&w);
        all.push(enrollment(&w.students[0]));
        for f in &all {
            break_fact(&app, &w, f, &p).await;
            expect_problem(
                transition(&app, &w.school, &p, &to("confirmed")).await,
                409,
                &[f.code],
            )
            .await;
            assert_eq!(get_placement(&app, &w, &p).await["status"], "proposed");
            restore_fact(&app, &w, f, &p).await;
        }
        // Two facts broken at once: both codes.
        break_fact(&app, &w, &all[0], &p).await;
        expect_status(
            app.patch(&w.office, &all[3].path, &all[3].broken).await,
            200,
        )
        .await;
        expect_problem(
            transition(&app, &w.school, &p, &to("confirmed")).await,
            409,
            &["agreement_not_active", "program_not_accredited"],
        )
        .await;
        expect_status(
            app.patch(&w.office, &all[0].path, &all[0].restored).await,
            200,
        )
        .await;
        expect_status(
            app.patch(&w.office, &all[3].path, &all[3].restored).await,
            200,
        )
        .await;
        let confirmed =
            expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        assert_eq!(confirmed["status"], "onboarding");
    }
);

db_test_with!(
    p1_every_fact_is_checked_again_at_activation,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        move_to(&app, "2027-03-01");
        let mut all = facts(&w);
        all.push(enrollment(&w.students[0]));
        for f in &all {
            break_fact(&app, &w, f, &p).await;
            expect_problem(
                transition(&app, &w.office, &p, &to("active")).await,
                409,
                &[f.code],
            )
            .await;
            restore_fact(&app, &w, f, &p).await;
        }
        let active = expect_status(transition(&app, &w.office, &p, &to("active")).await, 200).await;
        assert_eq!(active["status"], "active");
    }
);

db_test!(
    p1_every_fact_is_checked_again_when_the_student_is_named,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let mut body = clinical(&w, &[]);
        body["starts_on"] = json!("2027-03-01");
        body["ends_on"] = json!("2027-03-26");
        body["slots"] = json!(1);
        let r = submit(&app, &w, &body).await;
        let seat = approve(
            &app,
            &w,
            &r,
            &json!({ "decision": "approve", "placements": [{ "department_id": w.f.department["id"],
                     "preceptor_id": w.preceptor["id"] }] }),
        )
        .await
        .remove(0);
        let name = |who: &Value| json!({ "student_id": who["id"] });
        let path = format!("/api/v1/placements/{}", sid(&seat));
        for f in &facts(&w) {
            break_fact(&app, &w, f, &seat).await;
            expect_problem(
                app.patch(&w.school, &path, &name(&w.students[0])).await,
                409,
                &[f.code],
            )
            .await;
            restore_fact(&app, &w, f, &seat).await;
        }
        // The student's own eligibility: not enrolled.
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/students/{}", sid(&w.students[1])),
                &json!({ "enrollment_status": "graduated" }),
            )
            .await,
            200,
        )
        .await;
        expect_problem(
            app.patch(&w.school, &path, &name(&w.students[1])).await,
            409,
            &["student_not_enrolled"],
        )
        .await;
        let named = expect_status(
            app.patch(&w.school, &path, &name(&w.students[0])).await,
            200,
        )
        .await;
        assert_eq!(named["student_id"], w.students[0]["id"]);
        assert_eq!(named["risks"], json!([]));
    }
);

db_test!(
    p1_capacity_lowered_puts_the_later_placement_at_risk,
    |app| async move {
        let w = world(&app, 2, 2).await;
        let first = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        let second = placed_in(
            &app,
            &w,
            &[&w.students[1]],
            &w.f.department,
            "2027-03-15",
            "2027-04-09",
        )
        .await
        .remove(0);
        // Each list below is read before the next write and again after it: the list keeps
        // each department's, preceptor's and student's open placements while nothing is
        // written (db::facts_kept::FactsKept), and each write here changes what they hold.
        let listed_risks = |query: &'static str, p: &Value| {
            let (app, w, p) = (&app, &w, p.clone());
            async move { risk_codes(&item_of(&listed_twice(app, w, query).await, &p)) }
        };
        assert!(listed_risks("", &second).await.is_empty());
        assert!(ids(&listed_twice(&app, &w, "at_risk=true").await).is_empty());
        // The department takes one student at a time now: the earlier placement keeps its
        // seat, the later one is at risk.
        let dept = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/departments/{}", sid(&w.f.department)),
                &json!({ "capacity": 1 }),
            )
            .await,
            200,
        )
        .await;
        assert!(affected(&dept, &first).is_empty(), "{dept}");
        assert_eq!(
            affected(&dept, &second),
            ["department_at_capacity"],
            "{dept}"
        );
        assert!(listed_risks("", &first).await.is_empty());
        assert_eq!(listed_risks("", &second).await, ["department_at_capacity"]);
        assert_eq!(
            ids(&listed_twice(&app, &w, "at_risk=true").await),
            [sid(&second)]
        );
        expect_status(
            transition(&app, &w.school, &first, &to("confirmed")).await,
            200,
        )
        .await;
        expect_problem(
            transition(&app, &w.school, &second, &to("confirmed")).await,
            409,
            &["department_at_capacity"],
        )
        .await;
        // The preceptor takes one student now: the same.
        let staff = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", sid(&w.preceptor)),
                &json!({ "max_students": 1 }),
            )
            .await,
            200,
        )
        .await;
        assert!(affected(&staff, &first).is_empty(), "{staff}");
        assert_eq!(
            affected(&staff, &second),
            ["department_at_capacity", "preceptor_at_capacity"],
            "{staff}"
        );
        assert_eq!(
            listed_risks("", &second).await,
            ["department_at_capacity", "preceptor_at_capacity"]
        );
        expect_problem(
            transition(&app, &w.school, &second, &to("confirmed")).await,
            409,
            &["department_at_capacity", "preceptor_at_capacity"],
        )
        .await;
        // Cancelling the first frees both: the second may go on.
        expect_status(
            transition(
                &app,
                &w.office,
                &first,
                &json!({ "to": "cancelled", "reason": "moved" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(get_placement(&app, &w, &second).await["risks"], json!([]));
        assert!(listed_risks("", &second).await.is_empty());
        assert!(listed_risks("status=proposed", &second).await.is_empty());
        assert!(ids(&listed_twice(&app, &w, "at_risk=true").await).is_empty());
        expect_status(
            transition(&app, &w.school, &second, &to("confirmed")).await,
            200,
        )
        .await;
    }
);

db_test!(
    p1_a_completed_or_cancelled_placement_carries_no_risk,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        expect_status(
            transition(
                &app,
                &w.office,
                &p,
                &json!({ "to": "cancelled", "reason": "not needed" }),
            )
            .await,
            200,
        )
        .await;
        let answer = expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&w.agreement)),
                &json!({ "status": "terminated" }),
            )
            .await,
            200,
        )
        .await;
        assert!(answer.get("affected_placements").is_none(), "{answer}");
        assert_eq!(get_placement(&app, &w, &p).await["risks"], json!([]));
        assert!(
            notifications_of(&app, &w.office, "placement_at_risk")
                .await
                .is_empty()
        );
    }
);

db_test!(
    p2_the_issue_example_two_departments_in_march_is_refused,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let b = department(&app, &w, "Radiology B", 4).await;
        // The preceptor works in the fixture's department; B gets its own.
        let b_preceptor = staff(&app, &w.office, &b, "radiography", 4, json!({})).await;
        let first = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-02-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        let mut body = clinical(&w, &[&w.students[0]]);
        body["starts_on"] = json!("2027-03-01");
        body["ends_on"] = json!("2027-04-23");
        let r = submit(&app, &w, &body).await;
        let refused = expect_problem(
            decide(
                &app,
                &w.office,
                &r,
                &json!({ "decision": "approve", "placements": [{ "student_id": w.students[0]["id"],
                         "department_id": b["id"], "preceptor_id": b_preceptor["id"] }] }),
            )
            .await,
            409,
            &["student_double_booked"],
        )
        .await;
        let message = refused["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let name = full_name(&w.students[0]);
        assert!(
            message.contains(&format!("{name} is already placed from ")),
            "{refused}"
        );
        assert!(!message.contains(&sid(&first)), "names, not ids: {refused}");
        assert!(
            message.contains("Mon 1 Mar 2027 to Fri 26 Mar 2027 (another placement, Mon 1 Feb 2027 to Fri 26 Mar 2027)"),
            "{refused}"
        );
        assert_eq!(request_status(&app, &w, &r).await, "submitted");
        assert_eq!(placements(&app, &w).await.len(), 1);
    }
);

db_test!(
    p2_overlap_on_the_first_day_the_last_day_or_inside_is_refused_back_to_back_is_not,
    |app| async move {
        let w = world(&app, 8, 8).await;
        let s = &w.students[0];
        let first = placed_in(&app, &w, &[s], &w.f.department, "2027-03-01", "2027-03-31")
            .await
            .remove(0);
        for (from, until, shared) in [
            // Starts on the other's last day.
            (
                "2027-03-31",
                "2027-04-30",
                "Wed 31 Mar 2027 to Wed 31 Mar 2027",
            ),
            // Ends on the other's first day.
            (
                "2027-02-01",
                "2027-03-01",
                "Mon 1 Mar 2027 to Mon 1 Mar 2027",
            ),
            // Inside it.
            (
                "2027-03-08",
                "2027-03-12",
                "Mon 8 Mar 2027 to Fri 12 Mar 2027",
            ),
            // Around it.
            (
                "2027-02-15",
                "2027-04-15",
                "Mon 1 Mar 2027 to Wed 31 Mar 2027",
            ),
        ] {
            let refused = expect_problem(
                approving(&app, &w, &[s], &w.f.department, from, until).await,
                409,
                &["student_double_booked"],
            )
            .await;
            let message = refused["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .to_string();
            assert!(
                message.contains(&full_name(s))
                    && message.contains(shared)
                    && !message.contains(&sid(&first)),
                "{refused}"
            );
        }
        // The day after it ends, and the day before it starts: fine.
        placed_in(&app, &w, &[s], &w.f.department, "2027-04-01", "2027-04-30").await;
        placed_in(&app, &w, &[s], &w.f.department, "2027-02-01", "2027-02-28").await;
        // A cancelled placement holds no day.
        expect_status(
            transition(
                &app,
                &w.office,
                &first,
                &json!({ "to": "cancelled", "reason": "moved" }),
            )
            .await,
            200,
        )
        .await;
        placed_in(&app, &w, &[s], &w.f.department, "2027-03-08", "2027-03-12").await;
    }
);

db_test!(
    p2_naming_a_student_placed_elsewhere_on_those_days_is_refused,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let first = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        let mut body = clinical(&w, &[]);
        body["starts_on"] = json!("2027-03-22");
        body["ends_on"] = json!("2027-04-16");
        body["slots"] = json!(1);
        let r = submit(&app, &w, &body).await;
        let seat = approve(
            &app,
            &w,
            &r,
            &json!({ "decision": "approve", "placements": [{ "department_id": w.f.department["id"],
                     "preceptor_id": w.preceptor["id"] }] }),
        )
        .await
        .remove(0);
        let path = format!("/api/v1/placements/{}", sid(&seat));
        let refused = expect_problem(
            app.patch(
                &w.school,
                &path,
                &json!({ "student_id": w.students[0]["id"] }),
            )
            .await,
            409,
            &["student_double_booked"],
        )
        .await;
        let message = refused["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_string();
        let name = full_name(&w.students[0]);
        assert!(
            message.contains(&format!("{name} is already placed from ")),
            "{refused}"
        );
        assert!(!message.contains(&sid(&first)), "names, not ids: {refused}");
        assert!(
            message.contains("Mon 22 Mar 2027 to Fri 26 Mar 2027"),
            "{refused}"
        );
        assert!(get_placement(&app, &w, &seat).await["student_id"].is_null());
        // Another student is free then.
        expect_status(
            app.patch(
                &w.school,
                &path,
                &json!({ "student_id": w.students[1]["id"] }),
            )
            .await,
            200,
        )
        .await;
    }
);

db_test!(
    p2_planning_offers_only_the_starts_when_the_student_is_free,
    |app| async move {
        let w = world(&app, 8, 8).await;
        // Placed by hand from 1 February to 12 March.
        placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-02-01",
            "2027-03-12",
        )
        .await;
        // Asked for 1-26 March, with up to four weeks' later start: the plan starts it on
        // 15 March at the earliest, two weeks later.
        let mut movable = clinical(&w, &[&w.students[0]]);
        movable["starts_on"] = json!("2027-03-01");
        movable["ends_on"] = json!("2027-03-26");
        movable["start_window_weeks"] = json!(4);
        let movable = submit(&app, &w, &movable).await;
        // Asked for February with no window: the student is placed then; left out.
        let mut fixed = clinical(&w, &[&w.students[0]]);
        fixed["starts_on"] = json!("2027-02-08");
        fixed["ends_on"] = json!("2027-02-26");
        let fixed = submit(&app, &w, &fixed).await;
        // Another student's request is planned as asked.
        let mut other = clinical(&w, &[&w.students[1]]);
        other["starts_on"] = json!("2027-02-08");
        other["ends_on"] = json!("2027-02-26");
        let other = submit(&app, &w, &other).await;
        let run = plan(&app, &w.office).await;
        let m = planned(&run, &movable);
        assert_eq!(m["outcome"], "placed", "{run}");
        let starts = m["assignments"][0]["starts_on"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(starts.as_str() >= "2027-03-15", "{run}");
        assert_ne!(planned(&run, &fixed)["outcome"], "placed", "{run}");
        assert_eq!(planned(&run, &other)["outcome"], "placed", "{run}");
        // Accepting it makes the placements; none double-books the student.
        let outcome = expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/planning-runs/{}/accept", sid(&run)),
                &json!({}),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(outcome["failed"], json!([]), "{outcome}");
        let mut mine: Vec<(String, String)> = placements(&app, &w)
            .await
            .iter()
            .filter(|p| p["student_id"] == w.students[0]["id"])
            .map(|p| {
                (
                    p["starts_on"].as_str().unwrap_or("").to_string(),
                    p["ends_on"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        mine.sort();
        assert_eq!(mine.len(), 2, "{mine:?}");
        assert!(mine[0].1 < mine[1].0, "{mine:?}");
    }
);

db_test_with!(
    p3_active_before_the_first_day_is_refused_not_started,
    long_sessions,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        let page_path = format!("/placements/{}", sid(&p));
        // Today is 4 January: refused, and the page offers no "Start".
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["not_started"],
        )
        .await;
        let page = office_page(&app, &w, &page_path).await;
        assert!(!page.contains("Start the placement"), "{page}");
        // The day before: still refused.
        move_to(&app, "2027-02-28");
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["not_started"],
        )
        .await;
        // The first day: offered, and it starts.
        move_to(&app, "2027-03-01");
        let page = office_page(&app, &w, &page_path).await;
        assert!(page.contains("Start the placement"), "{page}");
        let active = expect_status(transition(&app, &w.office, &p, &to("active")).await, 200).await;
        assert_eq!(active["status"], "active");
    }
);

db_test!(
    p3_not_started_comes_with_every_other_failed_fact,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/programs/{}", sid(&w.f.program)),
                &json!({ "accredited_until": "2027-03-10" }),
            )
            .await,
            200,
        )
        .await;
        // Every code at once.
        expect_problem(
            transition(&app, &w.office, &p, &to("active")).await,
            409,
            &["not_started", "program_not_accredited"],
        )
        .await;
        assert_eq!(get_placement(&app, &w, &p).await["status"], "cleared");
    }
);

/// The placements list as the office reads it, asked twice in a row (the second answer is
/// the one kept from the first: `http::api::kept`), then a third time at another size (a
/// page not asked before: each row answered from what was kept for it since the last write,
/// `service::placements::list_answers`, or from the views kept, `list_views`); all three
/// must agree.
async fn listed_twice(app: &TestApp, w: &World, query: &str) -> Value {
    let path = format!("/api/v1/placements?{query}");
    let first = app.get_ok(&w.office, &path).await;
    let again = app.get_ok(&w.office, &path).await;
    assert_eq!(first, again, "{path}");
    let sep = if query.is_empty() { "" } else { "&" };
    let resized_path = format!("{path}{sep}limit=97");
    let resized = app.get_ok(&w.office, &resized_path).await;
    assert_eq!(first["items"], resized["items"], "{resized_path}");
    // Walked page after page, again and again: after a few pages its ids come from the
    // listing kept whole (db::listings), which must agree after each write too.
    for _ in 0..3 {
        let walked = app.all_pages(&w.office, &path, 1).await;
        assert_eq!(Value::Array(walked), first["items"], "{path} in pages of 1");
    }
    resized
}

db_test_with!(
    the_list_shows_each_change_of_a_placement_at_once,
    long_sessions,
    |app| async move {
        // The list keeps the views it derived while nothing is written; each write below
        // changes what the placement's view derives from, and the very next list shows it.
        let w = world(&app, 4, 4).await;
        let ana = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        let p = placed_in(
            &app,
            &w,
            &[&w.students[0]],
            &w.f.department,
            "2027-03-01",
            "2027-03-26",
        )
        .await
        .remove(0);
        let listed = listed_twice(&app, &w, "").await;
        let item = |list: &Value| item_of(list, &p);
        assert_eq!(item(&listed)["status"], "proposed");

        // Confirmed by the school (a transition).
        expect_status(transition(&app, &w.school, &p, &to("confirmed")).await, 200).await;
        assert_eq!(
            ids(&listed_twice(&app, &w, "status=onboarding").await),
            [sid(&p)]
        );
        assert_eq!(
            item(&listed_twice(&app, &w, "").await)["status"],
            "onboarding"
        );
        assert!(ids(&listed_twice(&app, &w, "clearance=cleared").await).is_empty());

        // Cleared (uploads reviewed, attestations, signatures, ticks: each a write).
        clear(&app, &w, &ana, &sid(&w.students[0]), &p).await;
        assert_eq!(
            ids(&listed_twice(&app, &w, "clearance=cleared").await),
            [sid(&p)]
        );
        assert!(ids(&listed_twice(&app, &w, "status=onboarding").await).is_empty());
        assert!(ids(&listed_twice(&app, &w, "at_risk=true").await).is_empty());

        // Put at risk by a write to another record (the school's agreement).
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/agreements/{}", sid(&w.agreement)),
                &json!({ "status": "terminated" }),
            )
            .await,
            200,
        )
        .await;
        let at_risk = listed_twice(&app, &w, "at_risk=true").await;
        assert_eq!(ids(&at_risk), [sid(&p)]);
        assert_eq!(risk_codes(&item(&at_risk)), ["agreement_not_active"]);

        // A new day with nothing written: the view is derived again for it.
        move_to(&app, "2027-03-02");
        let later = listed_twice(&app, &w, "").await;
        assert_eq!(item(&later), get_placement(&app, &w, &p).await);
    }
);

db_test!(
    a_long_list_walked_page_after_page_reads_as_each_placement_does,
    |app| async move {
        // 120 placements, pages of 7: each later page that misses reads the 150 after it, in
        // two halves at once (service::placements::list_answers), with each department's,
        // preceptor's and student's facts kept while nothing is written. Every placement
        // walked must read as its own record does (derived from the store alone), before and
        // after writes that change the seats held ahead of many of them.
        let (w, placed) = placed_120(&app).await;
        let dept = &w.f.department;
        let walked_as_read = |label: &'static str| {
            let (app, w) = (&app, &w);
            async move {
                let walked = app.all_pages(&w.office, "/api/v1/placements", 7).await;
                assert_eq!(walked.len(), 120, "{label}");
                let mut at_risk = 0;
                for item in &walked {
                    assert_eq!(item, &get_placement(app, w, item).await, "{label}");
                    at_risk += usize::from(!risk_codes(item).is_empty());
                }
                at_risk
            }
        };
        assert_eq!(walked_as_read("as placed").await, 0);
        // Fewer seats and slots: the later placements in each period are at risk.
        for (path, body) in [
            (
                format!("/api/v1/departments/{}", sid(dept)),
                json!({ "capacity": 40 }),
            ),
            (
                format!("/api/v1/staff/{}", sid(&w.preceptor)),
                json!({ "max_students": 45 }),
            ),
        ] {
            expect_status(app.patch(&w.office, &path, &body).await, 200).await;
            assert!(walked_as_read("fewer seats").await > 0);
        }
        let before = walked_as_read("again, nothing written").await;
        // Cancelling early placements frees seats held ahead of the later ones.
        for p in &placed[..20] {
            expect_status(
                transition(
                    &app,
                    &w.office,
                    p,
                    &json!({ "to": "cancelled", "reason": "moved" }),
                )
                .await,
                200,
            )
            .await;
        }
        assert!(walked_as_read("after cancelling").await < before);
    }
);

/// A world of 60 students with 120 placements in its department over four overlapping
/// periods (capacity and preceptor's maximum 200: none at risk).
async fn placed_120(app: &TestApp) -> (World, Vec<Value>) {
    let w = world_of(app, 200, 200, 60).await;
    let students: Vec<&Value> = w.students.iter().collect();
    let mut placed = vec![];
    for (group, from, until) in [
        (&students[..30], "2027-03-01", "2027-03-26"),
        (&students[30..], "2027-03-15", "2027-04-09"),
        (&students[..30], "2027-05-03", "2027-05-28"),
        (&students[30..], "2027-05-10", "2027-06-04"),
    ] {
        placed.extend(placed_in(app, &w, group, &w.f.department, from, until).await);
    }
    assert_eq!(placed.len(), 120);
    (w, placed)
}

/// A pool of two connections.
fn two_connections(c: &mut practicum::config::Config) {
    c.db_max_connections = 2;
}

db_test_with!(
    walks_at_once_on_two_connections_each_read_the_whole_list,
    two_connections,
    |app| async move {
        // Four clients walk 120 placements at once in pages of 7 on a pool of two
        // connections. A later page that misses derives what it reads ahead in two halves,
        // the second on a connection of its own, while the other clients wait for those
        // rows: a caller holding its connection while it waits would leave that half's task
        // waiting for the pool until its timeout, and the walks would fail.
        let (w, _) = placed_120(&app).await;
        for round in 0..2 {
            // A write first, so that nothing derived before is kept.
            expect_status(
                app.patch(
                    &w.office,
                    &format!("/api/v1/departments/{}", sid(&w.f.department)),
                    &json!({ "capacity": 50 - round }),
                )
                .await,
                200,
            )
            .await;
            let walks = (0..4).map(|_| app.all_pages(&w.office, "/api/v1/placements", 7));
            let walked = futures_util::future::join_all(walks).await;
            let whole = app.get_ok(&w.office, "/api/v1/placements?limit=500").await;
            for walk in walked {
                assert_eq!(Value::Array(walk), whole["items"], "round {round}");
            }
        }
    }
);

/// A pool of one connection.
fn one_connection(c: &mut practicum::config::Config) {
    c.db_max_connections = 1;
}

db_test_with!(
    a_page_of_kept_rows_is_answered_without_a_connection,
    one_connection,
    |app| async move {
        // Walked once, a list's ids (the listing kept whole, db::listings) and rows (row
        // answers) are kept: a page of them at another size needs nothing from the store, so
        // it takes no connection from the pool (Db::read_latest_lazily) and is answered even
        // while every connection is busy, here the only one, held by the test.
        let (w, _) = placed_120(&app).await;
        // The notices the placements queued are sent first: each send is a write, which makes
        // what was kept stale.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let mut tx = app.state.db.read().await.expect("a transaction");
            let due = practicum::db::mail_queue::any_due(&mut tx, app.clock.now())
                .await
                .expect("the queue");
            drop(tx);
            if !due {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the notices were never sent"
            );
            tokio::task::yield_now().await;
        }
        for list in ["/api/v1/placements", "/api/v1/students"] {
            // Walked until a walk sees no write (a send under way may still commit), and again
            // until its listing was kept: a whole read is spaced from the last one of the same
            // listing by ten times what that took (db::listings::SPACING), so on a loaded
            // machine a walk right after one a write interrupted may not be kept yet.
            let (walked, again) = loop {
                let before = app.state.db.write_generation();
                let walked = app.all_pages(&w.office, list, 7).await;
                assert!(
                    std::time::Instant::now() < deadline,
                    "{list}: never answered without a connection"
                );
                if app.state.db.write_generation() != before {
                    continue;
                }
                assert!(
                    walked.len() > 27,
                    "{list}: {} rows, a few pages",
                    walked.len()
                );
                let held = app
                    .state
                    .db
                    .read_latest()
                    .await
                    .expect("the pool's one connection");
                let again = tokio::time::timeout(
                    std::time::Duration::from_secs(3),
                    app.all_pages(&w.office, list, 9),
                )
                .await;
                drop(held);
                if let Ok(again) = again {
                    break (walked, again);
                }
            };
            assert_eq!(again, walked, "{list}");
        }
    }
);
