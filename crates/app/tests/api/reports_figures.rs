//! The office's reports over HTTP (issue 17 part 2): each report's figures built from
//! records made through the API, each total checked against the list it summarises (the
//! link the report gives), the CSV (byte-order mark, the same rows) and the XLSX read back
//! (figures as numbers, text as text — a value starting with `=` is never a formula),
//! every invalid filter at once, and only the office.
use crate::helpers::*;
use crate::rules_world::{
    approval, clear, clinical, decide, placed as place, submit, transition, world_of,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Sessions that outlast the clock moving by weeks.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

fn move_to(app: &TestApp, at: &str) {
    let at = chrono::DateTime::parse_from_rfc3339(at)
        .expect("an instant")
        .with_timezone(&chrono::Utc);
    app.clock.advance(at - app.clock.now());
}

/// Every item of an API list, following its cursor (500 a page).
pub async fn all_items(app: &TestApp, who: &Caller, path: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut out = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit=500&cursor={c}"),
            None => format!("{path}{sep}limit=500"),
        };
        let page = app.get_ok(who, &url).await;
        out.extend(items(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

/// The rows of a report as (column key → value) objects.
fn rows(r: &Value) -> Vec<Value> {
    r["rows"].as_array().expect("rows").clone()
}

/// The row whose `key` column is `value`.
fn row<'a>(r: &'a Value, key: &str, value: &str) -> &'a Value {
    r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value}: {r}"))
}

/// The report's list (its `total.api_list`), read whole.
async fn listed(app: &TestApp, who: &Caller, r: &Value) -> Vec<Value> {
    let path = r["total"]["api_list"]
        .as_str()
        .unwrap_or_else(|| panic!("a list to reconcile with: {r}"));
    all_items(app, who, path).await
}

fn distinct_students(list: &[Value]) -> usize {
    list.iter()
        .filter_map(|p| p["student_id"].as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// The XLSX's "Report" sheet as rows of cells, read back with calamine.
pub fn xlsx_rows(bytes: &[u8]) -> Vec<Vec<calamine::Data>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX");
    let range = book.worksheet_range("Report").expect("a Report sheet");
    assert!(
        book.worksheet_formula("Report")
            .expect("formulas read")
            .used_cells()
            .next()
            .is_none(),
        "no formula anywhere"
    );
    range.rows().map(|r| r.to_vec()).collect()
}

/// The CSV, the XLSX and the JSON of a report say the same: the same header (the column
/// keys) and, row by row, the same values.
async fn exports_match(app: &TestApp, who: &Caller, name: &str, query: &str, r: &Value) {
    let keys: Vec<String> = r["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_string())
        .collect();
    let csv = csv_text(
        app.get(who, &format!("/api/v1/reports/{name}/csv?{query}"))
            .await,
    )
    .await;
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], keys.join(","), "{csv}");
    assert_eq!(lines.len(), rows(r).len() + 1, "{csv}");
    let res = app
        .get(who, &format!("/api/v1/reports/{name}/xlsx?{query}"))
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml"),
        "{:?}",
        res.headers()
    );
    let sheet = xlsx_rows(&res.bytes().await.unwrap());
    assert_eq!(sheet.len(), rows(r).len() + 1);
    let header: Vec<String> = sheet[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, keys);
    for (i, json_row) in rows(r).iter().enumerate() {
        for (j, k) in keys.iter().enumerate() {
            let cell = sheet[i + 1]
                .get(j)
                .cloned()
                .unwrap_or(calamine::Data::Empty);
            match &json_row[k] {
                Value::Number(n) => assert_eq!(
                    cell,
                    calamine::Data::Float(n.as_f64().unwrap()),
                    "row {i} {k}"
                ),
                Value::String(s) => {
                    assert_eq!(cell, calamine::Data::String(s.clone()), "row {i} {k}")
                }
                Value::Null => assert_eq!(cell, calamine::Data::Empty, "row {i} {k}"),
                other => panic!("unexpected {other}"),
            }
        }
    }
}

crate::db_test!(
    placed_students_and_capacity_agree_with_the_placements_list,
    |app| async move {
        let w = world_of(&app, 6, 6, 5).await;
        // Students 0 and 1: February–March 2027; student 0 again in June (one student still).
        place(&app, &w, &[&w.students[0], &w.students[1]]).await;
        let mut june = clinical(&w, &[&w.students[0]]);
        june["starts_on"] = json!("2027-06-01");
        june["ends_on"] = json!("2027-06-30");
        let r = submit(&app, &w, &june).await;
        expect_status(
            decide(&app, &w.office, &r, &approval(&w, &[&w.students[0]])).await,
            200,
        )
        .await;
        // Student 2: placed, then cancelled — counted nowhere.
        let cancelled = place(&app, &w, &[&w.students[2]]).await.remove(0);
        expect_status(
            transition(
                &app,
                &w.office,
                &cancelled,
                &json!({ "to": "cancelled", "reason": "changed plans" }),
            )
            .await,
            200,
        )
        .await;
        // An unnamed seat: holds a seat (capacity), counts no student.
        let mut slot = clinical(&w, &[]);
        slot["slots"] = json!(1);
        let r = submit(&app, &w, &slot).await;
        let seat = json!({ "decision": "approve", "placements": [
        { "department_id": w.f.department["id"], "preceptor_id": w.preceptor["id"] } ] });
        expect_status(decide(&app, &w.office, &r, &seat).await, 200).await;

        let r = app
            .get_ok(&w.office, "/api/v1/reports/placed?year=2027")
            .await;
        assert_eq!(r["report"], "placed");
        assert_eq!(r["total"]["value"], 2, "{r}");
        assert!(
            r["counts"].as_str().unwrap().contains("Distinct students"),
            "{r}"
        );
        let radiography = row(&r, "key", "radiography");
        assert_eq!(radiography["students"], 2, "{r}");
        assert_eq!(radiography["one_year_back"], 0);
        assert_eq!(radiography["two_years_back"], 0);
        // The total is the distinct students of the list it links to.
        let list = listed(&app, &w.office, &r).await;
        assert!(
            r["total"]["list"]
                .as_str()
                .unwrap()
                .starts_with("/placements?from=2027-01-01&to=2027-12-31"),
            "{r}"
        );
        assert_eq!(distinct_students(&list) as i64, 2, "{list:?}");
        assert_eq!(
            list.len(),
            4,
            "three named placements and the seat: {list:?}"
        );
        assert!(list.iter().all(|p| p["status"] != "cancelled"));
        // Grouped otherwise, filtered: the list follows the filter.
        let by_school = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/reports/placed?year=2027&by=school&school_id={}",
                    id(&w.f.school)
                ),
            )
            .await;
        assert_eq!(row(&by_school, "key", &id(&w.f.school))["students"], 2);
        let other = app
            .get_ok(
                &w.office,
                &format!(
                    "/api/v1/reports/placed?year=2027&school_id={}",
                    id(&w.f.other_school)
                ),
            )
            .await;
        assert_eq!(other["total"]["value"], 0);
        assert!(rows(&other).is_empty());
        assert!(listed(&app, &w.office, &other).await.is_empty());
        let by_site = app
        .get_ok(&w.office, &format!("/api/v1/reports/placed?year=2027&by=site&site_id={}&degree_level=associate&kind=clinical&discipline=radiography", id(&w.f.site)))
        .await;
        assert_eq!(by_site["total"]["value"], 2, "{by_site}");
        assert_eq!(
            distinct_students(&listed(&app, &w.office, &by_site).await),
            2
        );
        let none = app
            .get_ok(
                &w.office,
                "/api/v1/reports/placed?year=2027&degree_level=doctoral",
            )
            .await;
        assert_eq!(none["total"]["value"], 0);
        assert!(listed(&app, &w.office, &none).await.is_empty());
        exports_match(&app, &w.office, "placed", "year=2027", &r).await;

        // Capacity in February: the two named placements and the seat in every week.
        let q = "from=2027-02-01&to=2027-02-28";
        let c = app
            .get_ok(&w.office, &format!("/api/v1/reports/capacity?{q}"))
            .await;
        let dept = id(&w.f.department);
        let weeks: Vec<&Value> = c["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["department_id"] == dept.as_str())
            .collect();
        assert_eq!(weeks.len(), 4, "{c}");
        assert_eq!(weeks[0]["week"], "2027-02-01");
        for wk in &weeks {
            assert_eq!(wk["held"], 3, "{c}");
            assert_eq!(wk["capacity"], 6);
            assert_eq!(wk["use_percent"], 50.0);
        }
        // The total is the number of placements in the linked list (June's is outside).
        assert_eq!(c["total"]["value"], 3, "{c}");
        assert_eq!(listed(&app, &w.office, &c).await.len(), 3);
        // June: the one placement; March 29 to April 4 overlaps the end of February–March.
        let j = app
            .get_ok(
                &w.office,
                "/api/v1/reports/capacity?from=2027-03-29&to=2027-06-06",
            )
            .await;
        let held: Vec<i64> = j["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["department_id"] == dept.as_str())
            .map(|x| x["held"].as_i64().unwrap())
            .collect();
        assert_eq!(held[0], 3, "the week of 29 March");
        assert_eq!(held[1], 0);
        assert_eq!(*held.last().unwrap(), 1, "the week of 31 May");
        assert_eq!(j["total"]["value"], 4);
        assert_eq!(listed(&app, &w.office, &j).await.len(), 4);
        exports_match(&app, &w.office, "capacity", q, &c).await;
    }
);

crate::db_test!(
    invalid_filters_are_refused_all_at_once_and_only_the_office_reads,
    |app| async move {
        let w = world_of(&app, 2, 2, 1).await;
        let res = app
        .get(&w.office, "/api/v1/reports/placed?year=abc&kind=surgical&degree_level=phd&site_id=%20x%20y&by=colour")
        .await;
        let mut got = crate::requests::refused(res, 422).await;
        got.sort();
        assert_eq!(
            got,
            [
                "invalid_choice",
                "invalid_choice",
                "invalid_choice",
                "invalid_id",
                "invalid_year"
            ]
        );
        for (q, code) in [
            ("from=2027-13-01&to=2027-02-01", "invalid_date"),
            ("from=2027-03-01&to=2027-02-01", "invalid_period"),
            ("from=2027-03-01", "invalid_period"),
            ("year=2027&from=2027-01-01&to=2027-02-01", "invalid_period"),
            ("from=2020-01-01&to=2027-01-01", "invalid_period"),
        ] {
            for tail in ["", "/csv", "/xlsx"] {
                let res = app
                    .get(&w.office, &format!("/api/v1/reports/capacity{tail}?{q}"))
                    .await;
                assert_eq!(crate::requests::refused(res, 422).await, [code], "{q}");
            }
        }
        expect_problem(
            app.get(&w.office, "/api/v1/reports/nonsense").await,
            404,
            &["not_found"],
        )
        .await;
        let stud = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        for who in [&w.school, &stud] {
            for name in [
                "placed",
                "capacity",
                "turnaround",
                "holdups",
                "hours",
                "evaluations",
                "agreements",
            ] {
                for tail in ["", "/csv", "/xlsx"] {
                    expect_problem(
                        app.get(who, &format!("/api/v1/reports/{name}{tail}")).await,
                        403,
                        &["forbidden"],
                    )
                    .await;
                }
                // Forbidden before any filter is read.
                expect_problem(
                    app.get(who, &format!("/api/v1/reports/{name}?year=abc"))
                        .await,
                    403,
                    &["forbidden"],
                )
                .await;
            }
        }
        // Every report answers on an empty period, with its total and how it counts.
        for name in [
            "placed",
            "capacity",
            "turnaround",
            "holdups",
            "hours",
            "evaluations",
            "agreements",
        ] {
            let r = app
                .get_ok(&w.office, &format!("/api/v1/reports/{name}?year=2030"))
                .await;
            assert_eq!(r["report"], name);
            assert_eq!(r["total"]["value"], 0, "{r}");
            assert!(!r["counts"].as_str().unwrap().is_empty());
        }
    }
);

crate::db_test_with!(
    turnaround_and_holdups_agree_with_their_records,
    long_sessions,
    |app| async move {
        let w = world_of(&app, 6, 6, 4).await;
        // Two requests submitted on 4 January, decided on 6 and 9 January (2 and 5 days).
        let a = submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let b = submit(&app, &w, &clinical(&w, &[&w.students[1]])).await;
        let c = submit(&app, &w, &clinical(&w, &[&w.students[2]])).await;
        move_to(&app, "2027-01-06T09:00:00Z");
        let pa = expect_status(
            decide(&app, &w.office, &a, &approval(&w, &[&w.students[0]])).await,
            200,
        )
        .await["placements"][0]
            .clone();
        move_to(&app, "2027-01-09T09:00:00Z");
        let pb = expect_status(
            decide(&app, &w.office, &b, &approval(&w, &[&w.students[1]])).await,
            200,
        )
        .await["placements"][0]
            .clone();
        // Student 0 is cleared on 12 January: 6 days after the approval.
        move_to(&app, "2027-01-12T09:00:00Z");
        let s0 = app
            .user("student", json!({ "student_id": w.students[0]["id"] }))
            .await;
        clear(&app, &w, &s0, &id(&w.students[0]), &pa).await;
        // Request c is still undecided: not counted.

        let r = app
            .get_ok(&w.office, "/api/v1/reports/turnaround?year=2027")
            .await;
        let jan = row(&r, "month", "2027-01");
        assert_eq!(jan["requests_decided"], 2, "{r}");
        // Nearest rank: of 2 and 5 days the median is 2, the 90th percentile 5.
        assert_eq!(jan["decision_median_days"], 2.0, "{r}");
        assert_eq!(jan["decision_p90_days"], 5.0, "{r}");
        assert_eq!(jan["placements_cleared"], 1, "{r}");
        assert_eq!(jan["clearance_median_days"], 6.0, "{r}");
        assert_eq!(r["total"]["value"], 2);
        let decided = listed(&app, &w.office, &r).await;
        assert_eq!(decided.len(), 2, "{decided:?}");
        assert!(!decided.iter().any(|x| x["id"] == c["id"]));
        // Decided in 2026: none.
        let before = app
            .get_ok(&w.office, "/api/v1/reports/turnaround?year=2026")
            .await;
        assert_eq!(before["total"]["value"], 0);
        assert!(listed(&app, &w.office, &before).await.is_empty());
        exports_match(&app, &w.office, "turnaround", "year=2027", &r).await;

        // Holdups: student 1's placement misses everything; one of its uploads is rejected.
        let s1 = app
            .user("student", json!({ "student_id": w.students[1]["id"] }))
            .await;
        let doc = expect_status(
            crate::rules_world::upload(
                &app,
                &s1,
                &id(&w.students[1]),
                &[("requirement_code", "mmr"), ("completed_on", "2026-11-01")],
            )
            .await,
            201,
        )
        .await;
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/documents/{}/review", id(&doc)),
                &json!({ "outcome": "rejected", "note": "unreadable" }),
            )
            .await,
            200,
        )
        .await;
        let h = app
            .get_ok(&w.office, "/api/v1/reports/holdups?year=2027")
            .await;
        let tb = h["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["requirement_code"] == "mmr")
            .unwrap_or_else(|| panic!("{h}"))
            .clone();
        assert_eq!(tb["rejected"], 1, "{h}");
        assert_eq!(tb["missing"], 0, "{h}");
        let checklist = items(
            &app.get_ok(
                &w.office,
                &format!(
                    "/api/v1/students/{}/requirements?placement_id={}",
                    id(&w.students[1]),
                    id(&pb)
                ),
            )
            .await,
        );
        let missing = checklist.iter().filter(|i| i["state"] == "missing").count() as i64;
        let missing_in_report: i64 = rows(&h)
            .iter()
            .map(|x| x["missing"].as_i64().unwrap())
            .sum();
        assert_eq!(
            missing_in_report, missing,
            "only student 1's placement misses anything: {h}"
        );
        // One placement held up; the not-cleared list holds it (and not the cleared one).
        assert_eq!(h["total"]["value"], 1, "{h}");
        let not_cleared = listed(&app, &w.office, &h).await;
        assert!(
            not_cleared.iter().any(|p| p["id"] == pb["id"]),
            "{not_cleared:?}"
        );
        assert!(!not_cleared.iter().any(|p| p["id"] == pa["id"]));
        assert_eq!(not_cleared.len(), 1);
        exports_match(&app, &w.office, "holdups", "year=2027", &h).await;
    }
);

crate::db_test_with!(
    hours_evaluations_and_agreements_agree_with_their_records,
    long_sessions,
    |app| async move {
        let w = world_of(&app, 6, 6, 4).await;
        let placements = place(
            &app,
            &w,
            &[
                &w.students[0],
                &w.students[1],
                &w.students[2],
                &w.students[3],
            ],
        )
        .await;
        let mut students = vec![];
        for (i, p) in placements.iter().enumerate() {
            let s = app
                .user("student", json!({ "student_id": w.students[i]["id"] }))
                .await;
            clear(&app, &w, &s, &id(&w.students[i]), p).await;
            students.push(s);
        }
        move_to(&app, "2027-02-10T12:00:00Z");
        for p in &placements {
            expect_status(
                transition(&app, &w.office, p, &json!({ "to": "active" })).await,
                200,
            )
            .await;
        }
        // Student 0 logs 7.5 + 8 hours, student 1 6 hours; the preceptor approves the 8.
        let log = |i: usize, date: &'static str, hours: f64| {
            let app = &app;
            let who = &students[i];
            let p = &placements[i];
            async move {
                app.create(
                    who,
                    &format!("/api/v1/placements/{}/time-entries", id(p)),
                    &json!({ "date": date, "hours": hours, "activity": "=HYPERLINK(\"x\")" }),
                )
                .await
            }
        };
        log(0, "2027-02-02", 7.5).await;
        let eight = log(0, "2027-02-03", 8.0).await;
        log(1, "2027-02-04", 6.0).await;
        let preceptor = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        expect_status(
            app.post(
                &preceptor,
                "/api/v1/time-entries/approve",
                &json!({ "ids": [eight["id"]], "decision": "approve" }),
            )
            .await,
            200,
        )
        .await;
        let q = "from=2027-02-01&to=2027-02-28";
        let h = app
            .get_ok(&w.office, &format!("/api/v1/reports/hours?{q}"))
            .await;
        let program = row(&h, "program_id", &id(&w.f.program));
        assert_eq!(program["hours_logged"], 21.5, "{h}");
        assert_eq!(program["hours_approved"], 8.0, "{h}");
        assert_eq!(program["entries"], 3);
        assert_eq!(h["total"]["value"], 3);
        let entries = listed(&app, &w.office, &h).await;
        assert_eq!(entries.len(), 3, "{entries:?}");
        let logged: f64 = entries.iter().map(|e| e["hours"].as_f64().unwrap()).sum();
        assert_eq!(logged, 21.5);
        // A day outside the period is left out of both.
        let march = app
            .get_ok(
                &w.office,
                "/api/v1/reports/hours?from=2027-03-01&to=2027-03-31",
            )
            .await;
        assert_eq!(march["total"]["value"], 0);
        assert!(listed(&app, &w.office, &march).await.is_empty());
        exports_match(&app, &w.office, "hours", q, &h).await;

        // Evaluations: midterms signed for three placements (scores 4, 3 and 5 on average)...
        let sign = |p: &Value, answers: Value| {
            let app = &app;
            let preceptor = &preceptor;
            let path = format!("/api/v1/placements/{}/evaluations", id(p));
            async move {
                let e = expect_status(
                    app.post(
                        preceptor,
                        &path,
                        &json!({ "point": "midterm", "answers": answers }),
                    )
                    .await,
                    201,
                )
                .await;
                expect_status(
                    app.post(
                        preceptor,
                        &format!("/api/v1/evaluations/{}/sign", id(&e)),
                        &json!({}),
                    )
                    .await,
                    200,
                )
                .await
            }
        };
        let answers = |n: i64| {
            json!({ "safety": n, "technical_skill": n, "clinical_reasoning": n, "communication": n,
        "professionalism": n, "confidentiality": "met", "goals": "=1+1" })
        };
        sign(&placements[0], answers(4)).await;
        sign(&placements[1], answers(3)).await;
        let e = app
            .get_ok(&w.office, "/api/v1/reports/evaluations?year=2027")
            .await;
        // ...two first: withheld.
        let dept = row(&e, "id", &id(&w.f.department));
        assert_eq!(dept["mean_score"], Value::Null, "{e}");
        assert_eq!(dept["evaluations"], "fewer than 3");
        assert_eq!(e["total"]["value"], 2);
        sign(&placements[2], answers(5)).await;
        let e = app
            .get_ok(&w.office, "/api/v1/reports/evaluations?year=2027")
            .await;
        let dept = row(&e, "id", &id(&w.f.department));
        assert_eq!(dept["evaluations"], 3, "{e}");
        assert_eq!(dept["mean_score"], 4.0, "{e}");
        let prec = row(&e, "id", &id(&w.preceptor));
        assert_eq!(prec["group"], "preceptor");
        assert_eq!(prec["mean_score"], 4.0);
        assert_eq!(e["total"]["value"], 3);
        exports_match(&app, &w.office, "evaluations", "year=2027", &e).await;

        // Agreements: the world's (2026–2028) and the other school's, one ending in 2026 only.
        let other = app
        .create(&w.office, &format!("/api/v1/schools/{}/agreements", id(&w.f.other_school)),
            &json!({ "status": "active", "effective_on": "2025-01-01", "expires_on": "2026-12-31" }))
        .await;
        let a = app
            .get_ok(&w.office, "/api/v1/reports/agreements?year=2027")
            .await;
        let mine = row(&a, "agreement_id", &id(&w.agreement));
        assert_eq!(mine["expires_on"], "2028-12-31");
        // Days left count from today (10 February 2027).
        assert_eq!(mine["days_left"], 690, "{a}");
        assert!(!rows(&a).iter().any(|x| x["agreement_id"] == other["id"]));
        let in_2026 = app
            .get_ok(&w.office, "/api/v1/reports/agreements?year=2026")
            .await;
        assert!(
            rows(&in_2026)
                .iter()
                .any(|x| x["agreement_id"] == other["id"])
        );
        // The total is the agreements in force; the school's list holds them.
        let school_q = format!("year=2027&school_id={}", id(&w.f.school));
        let a = app
            .get_ok(&w.office, &format!("/api/v1/reports/agreements?{school_q}"))
            .await;
        assert_eq!(a["total"]["value"], 1, "{a}");
        let list = listed(&app, &w.office, &a).await;
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0]["id"], w.agreement["id"]);
        exports_match(&app, &w.office, "agreements", &school_q, &a).await;
    }
);

crate::db_test!(
    a_cell_starting_with_equals_is_text_in_csv_and_xlsx,
    |app| async move {
        let w = world_of(&app, 2, 2, 1).await;
        let evil = app
        .create(&w.office, "/api/v1/schools", &json!({ "name": "=HYPERLINK(\"http://x\",\"y\")", "city": "Boston", "state": "MA" }))
        .await;
        app.create(&w.office, &format!("/api/v1/schools/{}/agreements", id(&evil)),
        &json!({ "status": "active", "effective_on": "2027-01-01", "expires_on": "2027-12-31" })).await;
        let q = format!("year=2027&school_id={}", id(&evil));
        let csv = csv_text(
            app.get(&w.office, &format!("/api/v1/reports/agreements/csv?{q}"))
                .await,
        )
        .await;
        assert!(
            csv.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
            "{csv}"
        );
        let res = app
            .get(&w.office, &format!("/api/v1/reports/agreements/xlsx?{q}"))
            .await;
        let sheet = xlsx_rows(&res.bytes().await.unwrap());
        assert_eq!(
            sheet[1][2],
            calamine::Data::String("=HYPERLINK(\"http://x\",\"y\")".into())
        );
    }
);

/// A page as `who` sees it in a browser (the session's cookie).
async fn web(app: &TestApp, who: &Caller, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", format!("practicum_session={}", who.token))
        .send()
        .await
        .expect("request")
}

crate::db_test!(
    the_report_pages_show_how_they_count_and_link_their_list,
    |app| async move {
        let w = world_of(&app, 4, 4, 2).await;
        place(&app, &w, &[&w.students[0]]).await;
        let page = expect_page(web(&app, &w.office, "/reports").await, 200).await;
        for name in [
            "placed",
            "capacity",
            "turnaround",
            "holdups",
            "hours",
            "evaluations",
            "agreements",
        ] {
            assert!(
                page.contains(&format!("href=\"/reports/{name}\"")),
                "{name}"
            );
        }
        let page = expect_page(
            web(&app, &w.office, "/reports/placed?year=2027&by=school").await,
            200,
        )
        .await;
        assert!(page.contains("How it counts"));
        assert!(
            page.contains("Distinct students placed in 2027: 1"),
            "{page}"
        );
        assert!(
            page.contains("href=\"/placements?from=2027-01-01&#38;to=2027-12-31&#38;placed=true\""),
            "{page}"
        );
        assert!(page.contains("<svg") && page.contains("role=\"img\""));
        assert!(page.contains("/reports/placed?year=2027&#38;by=school&#38;format=csv"));
        assert!(page.contains("/reports/placed?year=2027&#38;by=school&#38;format=xlsx"));
        // The placements page the total links to shows that many distinct students.
        let list = expect_page(
            web(
                &app,
                &w.office,
                "/placements?from=2027-01-01&to=2027-12-31&placed=true",
            )
            .await,
            200,
        )
        .await;
        assert!(list.contains(&full_name(&w.students[0])), "{list}");
        let csv = csv_text(
            web(
                &app,
                &w.office,
                "/reports/placed?year=2027&by=school&format=csv",
            )
            .await,
        )
        .await;
        assert!(
            csv.starts_with("key,name,two_years_back,one_year_back,students\r\n"),
            "{csv}"
        );
        let res = web(&app, &w.office, "/reports/capacity?year=2027&format=xlsx").await;
        assert_eq!(res.status(), 200);
        assert!(!xlsx_rows(&res.bytes().await.unwrap()).is_empty());
        for name in [
            "capacity",
            "turnaround",
            "holdups",
            "hours",
            "evaluations",
            "agreements",
        ] {
            expect_page(
                web(&app, &w.office, &format!("/reports/{name}?year=2027")).await,
                200,
            )
            .await;
        }
        expect_page(web(&app, &w.office, "/reports/placed?year=abc").await, 422).await;
        // The form sends the year it shows beside the dates a reader typed: the page takes the
        // dates; the API, which has no form, refuses both at once.
        let page = expect_page(
            web(
                &app,
                &w.office,
                "/reports/placed?year=2027&from=2027-03-01&to=2027-06-30",
            )
            .await,
            200,
        )
        .await;
        assert!(
            page.contains("2027-03-01") || page.contains("1 March 2027"),
            "{page}"
        );
        expect_problem(
            app.get(
                &w.office,
                "/api/v1/reports/placed?year=2027&from=2027-03-01&to=2027-06-30",
            )
            .await,
            422,
            &["invalid_period"],
        )
        .await;
        expect_page(web(&app, &w.school, "/reports/placed").await, 403).await;
        expect_page(web(&app, &w.office, "/reports/nonsense").await, 404).await;
    }
);
