//! Issue 17 part 1 over HTTP: the office's dashboard on its home. Records are built through
//! the API in every state; each number on the home is followed to its list, which must show
//! exactly that many rows (page, CSV, and the API list where there is one). Issue 18 point 4:
//! the counts come from the database, so they hold past a list's first page.
use crate::db_test_with;
use crate::helpers::*;
use crate::rules_world::*;
use serde_json::{Value, json};

/// Sessions that outlast the clock moving by days.
fn long_sessions(c: &mut practicum::config::Config) {
    c.session_idle = std::time::Duration::from_secs(365 * 86400);
    c.session_absolute = std::time::Duration::from_secs(365 * 86400);
}

fn to(status: &str) -> Value {
    json!({ "to": status })
}

/// A clinical for `student` from `starts` to `ends` with `preceptor`, approved: proposed.
async fn placed_on(
    app: &TestApp,
    w: &World,
    student: &Value,
    starts: &str,
    ends: &str,
    preceptor: &Value,
) -> Value {
    let mut body = clinical(w, &[student]);
    body["starts_on"] = json!(starts);
    body["ends_on"] = json!(ends);
    let r = submit(app, w, &body).await;
    let mut a = approval(w, &[student]);
    a["placements"][0]["preceptor_id"] = preceptor["id"].clone();
    approve(app, w, &r, &a).await[0].clone()
}

async fn student_caller(app: &TestApp, s: &Value) -> Caller {
    app.user("student", json!({ "student_id": s["id"] })).await
}

/// Confirmed by the school, then cleared (every requirement met).
async fn confirm_and_clear(app: &TestApp, w: &World, s: &Value, p: &Value) {
    expect_status(transition(app, &w.school, p, &to("confirmed")).await, 200).await;
    let who = student_caller(app, s).await;
    clear(app, w, &who, &sid(s), p).await;
}

/// A document the student sent, waiting for review.
async fn send_bls(app: &TestApp, s: &Value) {
    let who = student_caller(app, s).await;
    let fields = [
        ("requirement_code", "bls"),
        ("completed_on", "2026-12-15"),
        ("expires_on", "2028-12-31"),
    ];
    let doc = expect_status(upload(app, &who, &sid(s), &fields).await, 201).await;
    assert_eq!(doc["status"], "submitted", "{doc}");
}

/// The dashboard's numbers on the home: (figure, link, count), in page order.
fn figures(home: &str) -> Vec<(String, String, i64)> {
    home.split("data-figure=\"")
        .skip(1)
        .map(|chunk| {
            let key = chunk
                .split('"')
                .next()
                .expect("a figure's name")
                .to_string();
            let href = chunk
                .split("href=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("a figure's link")
                .replace("&amp;", "&")
                .replace("&#38;", "&");
            let count = chunk
                .split("<span class=\"tile-value\">")
                .nth(1)
                .and_then(|s| s.split('<').next())
                .and_then(|s| s.parse().ok())
                .expect("a figure's number");
            (key, href, count)
        })
        .collect()
}

/// A page's response with the office's cookie.
async fn get_page(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
}

/// The rows of a list's CSV download (the header line left out).
async fn csv_rows(app: &TestApp, cookie: &str, href: &str) -> usize {
    let csv = csv_text(get_page(app, cookie, &format!("{href}&format=csv")).await).await;
    csv.lines().filter(|l| !l.trim().is_empty()).count() - 1
}

/// "N shown" on a list page, with no next page.
fn shown(html: &str) -> Option<usize> {
    let line = html.split("<p class=\"count\">").nth(1)?;
    assert!(
        !line.split("</p>").next()?.contains("next page"),
        "one page holds the list: {line}"
    );
    line.split(' ').next()?.parse().ok()
}

/// The API list answering a figure's rows, where the API has one.
fn api_of(href: &str) -> Option<String> {
    let (path, query) = href.split_once('?')?;
    let path = match path {
        "/placements" => "/api/v1/placements",
        "/requests" => "/api/v1/placement-requests",
        "/documents" => "/api/v1/documents",
        "/programs" => "/api/v1/programs",
        "/offboarding" => "/api/v1/offboarding",
        "/agreements" => "/api/v1/agreements",
        "/students" => "/api/v1/students",
        _ => return None,
    };
    let query = query
        .replace("at_risk=yes", "at_risk=true")
        .replace("expiring=", "expiring_within_days=");
    Some(format!("{path}?{query}"))
}

db_test_with!(
    every_number_on_the_office_home_links_to_exactly_its_rows,
    long_sessions,
    |app| async move {
        // Monday 4 January 2027; the dashboard is read on Tuesday 12 January.
        let w = world_of(&app, 10, 10, 6).await;
        let s = w.students.clone();
        // A second preceptor, whose leave will put one placement at risk.
        let other = staff(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            10,
            json!({}),
        )
        .await;

        // Active from today to 29 January, with a day logged and never approved.
        let active = placed_on(&app, &w, &s[0], "2027-01-04", "2027-01-29", &w.preceptor).await;
        confirm_and_clear(&app, &w, &s[0], &active).await;
        expect_status(
            transition(&app, &w.office, &active, &to("active")).await,
            200,
        )
        .await;
        let ana = student_caller(&app, &s[0]).await;
        app.create(
            &ana,
            &format!("/api/v1/placements/{}/time-entries", sid(&active)),
            &json!({ "date": "2027-01-04", "hours": 7.5, "activity": "Positioning" }),
        )
        .await;
        // Completed today (a one-day placement): its offboarding is due today.
        let done = placed_on(&app, &w, &s[1], "2027-01-04", "2027-01-04", &w.preceptor).await;
        confirm_and_clear(&app, &w, &s[1], &done).await;
        expect_status(transition(&app, &w.office, &done, &to("active")).await, 200).await;
        expect_status(
            transition(
                &app,
                &w.office,
                &done,
                &json!({ "to": "completed", "reason": "completed on paper" }),
            )
            .await,
            200,
        )
        .await;
        // Cleared, starting 25 January.
        let cleared = placed_on(&app, &w, &s[2], "2027-01-25", "2027-03-31", &w.preceptor).await;
        confirm_and_clear(&app, &w, &s[2], &cleared).await;
        // Onboarding (confirmed, not cleared), starting 22 January.
        let onboarding = placed_on(&app, &w, &s[3], "2027-01-22", "2027-03-31", &w.preceptor).await;
        expect_status(
            transition(&app, &w.school, &onboarding, &to("confirmed")).await,
            200,
        )
        .await;
        // Proposed, starting 1 February, with the preceptor on leave: at risk.
        let at_risk = placed_on(&app, &w, &s[4], "2027-02-01", "2027-03-31", &other).await;
        expect_status(
            app.patch(
                &w.office,
                &format!("/api/v1/staff/{}", sid(&other)),
                &json!({ "leave": [{ "starts_on": "2027-02-08", "ends_on": "2027-02-12" }] }),
            )
            .await,
            200,
        )
        .await;
        // Proposed, starting 14 January.
        placed_on(&app, &w, &s[5], "2027-01-14", "2027-03-31", &w.preceptor).await;
        // Two documents waiting for review, one request waiting for a decision.
        send_bls(&app, &s[4]).await;
        send_bls(&app, &s[5]).await;
        submit(&app, &w, &clinical(&w, &[&s[0]])).await;
        // An agreement and an accreditation that end within 90 days (the other school's).
        app.create(
            &w.office,
            &format!("/api/v1/schools/{}/agreements", sid(&w.f.other_school)),
            &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2027-03-01" }),
        )
        .await;
        app.create(
            &w.office,
            &format!("/api/v1/schools/{}/programs", sid(&w.f.other_school)),
            &json!({ "name": "BS Radiography", "discipline": "radiography", "degree_level": "baccalaureate",
                     "accredited_until": "2027-02-20" }),
        )
        .await;
        app.clock.advance(chrono::Duration::days(8));

        let cookie = page_login(&app, &w.office).await;
        let (status, home) = page(&app, &cookie, "/").await;
        assert_eq!(status, 200);
        assert!(
            home.contains("Spring 2027"),
            "the page says which term: {home}"
        );
        let found = figures(&home);
        let count_of = |key: &str| {
            found
                .iter()
                .find(|(k, ..)| k == key)
                .map(|(_, _, n)| *n)
                .unwrap_or_else(|| panic!("no figure {key}: {found:?}"))
        };
        let expected = [
            ("state-proposed", 2),
            ("state-onboarding", 1),
            ("state-cleared", 1),
            ("state-active", 1),
            ("state-completed", 1),
            ("at-risk", 1),
            ("pipeline-7", 1),
            ("pipeline-14", 2),
            ("pipeline-30", 3),
            ("documents", 2),
            ("requests", 1),
            ("agreements", 1),
            ("accreditations", 1),
            ("hours-overdue", 1),
            // The one-day placement's midterm and final, due on 4 January, never signed.
            ("evaluations-overdue", 2),
            ("offboarding-overdue", 4),
            ("students-enrolled", 6),
        ];
        for (key, n) in expected {
            assert_eq!(count_of(key), n, "{key}: {found:?}");
        }
        assert_eq!(found.len(), expected.len(), "{found:?}");
        // How long the oldest has waited, and what the pipeline misses most, in words.
        assert!(home.contains("oldest waiting 8 days"), "{home}");
        assert!(home.contains("most missing: "), "{home}");

        // Every number opens a list of exactly that many rows.
        for (key, href, n) in &found {
            let n = *n as usize;
            let res = get_page(&app, &cookie, href).await;
            let html = expect_page(res, 200).await;
            if let Some(listed) = shown(&html) {
                assert_eq!(listed, n, "{key}: {href} shows {listed}");
            }
            assert_eq!(
                csv_rows(&app, &cookie, href).await,
                n,
                "{key}: {href} as CSV"
            );
            if let Some(api) = api_of(href) {
                let rows = app.all_pages(&w.office, &api, 2).await;
                assert_eq!(rows.len(), n, "{key}: {api}");
            }
        }
        // The at-risk link lists the placement at risk, the onboarding one the confirmed one.
        let href = |key: &str| {
            found
                .iter()
                .find(|(k, ..)| k == key)
                .map(|(_, h, _)| h.clone())
                .unwrap_or_default()
        };
        let api = api_of(&href("at-risk")).unwrap_or_default();
        assert_eq!(ids(&app.get_ok(&w.office, &api).await), [sid(&at_risk)]);
        let api = api_of(&href("state-onboarding")).unwrap_or_default();
        assert_eq!(ids(&app.get_ok(&w.office, &api).await), [sid(&onboarding)]);
        let api = api_of(&href("state-cleared")).unwrap_or_default();
        assert_eq!(ids(&app.get_ok(&w.office, &api).await), [sid(&cleared)]);
        // `confirmed` is the stored state: it lists the onboarding and the cleared ones.
        let mut confirmed = ids(&app
            .get_ok(&w.office, "/api/v1/placements?status=confirmed&limit=100")
            .await);
        confirmed.sort();
        let mut want = vec![sid(&onboarding), sid(&cleared)];
        want.sort();
        assert_eq!(confirmed, want);
        // A page's views are derived from facts read for the whole page (service::facts):
        // each is what a read of that placement alone answers, risks and clearance included,
        // on any page size.
        for limit in [1, 2, 100] {
            let listed = app.all_pages(&w.office, "/api/v1/placements", limit).await;
            assert_eq!(listed.len(), 6, "{listed:?}");
            for item in &listed {
                let alone = app
                    .get_ok(&w.office, &format!("/api/v1/placements/{}", sid(item)))
                    .await;
                assert_eq!(item, &alone, "page of {limit}");
            }
            assert!(
                listed
                    .iter()
                    .any(|p| p["risks"].as_array().is_some_and(|r| !r.is_empty())),
                "{listed:?}"
            );
        }
        // The filters are on the lists' filter forms.
        let html = expect_page(get_page(&app, &cookie, &href("at-risk")).await, 200).await;
        assert!(html.contains("name=\"at_risk\""), "{html}");
        assert!(html.contains("<option value=\"onboarding\""), "{html}");
        let html = expect_page(get_page(&app, &cookie, &href("hours-overdue")).await, 200).await;
        assert!(html.contains("name=\"overdue\""), "{html}");
        assert!(html.contains("/hours?overdue=yes&#38;format=csv"), "{html}");
        let html = expect_page(get_page(&app, &cookie, &href("accreditations")).await, 200).await;
        assert!(
            html.contains("name=\"accreditation_ending_within\""),
            "{html}"
        );
        // A window that is not a number is refused, on the API and the page alike.
        expect_problem(
            app.get(
                &w.office,
                "/api/v1/programs?accreditation_ending_within=soon",
            )
            .await,
            422,
            &["invalid_number"],
        )
        .await;
        // The dashboard is the office's: others' homes show none of it.
        let school_cookie = page_login(&app, &w.school).await;
        let (_, school_home) = page(&app, &school_cookie, "/").await;
        assert!(figures(&school_home).is_empty(), "{school_home}");
    }
);

db_test_with!(
    the_home_counts_past_a_lists_first_page,
    long_sessions,
    |app| async move {
        let w = world_of(&app, 10, 10, 1).await;
        // More requests waiting than a list page holds (50).
        let body = clinical(&w, &[&w.students[0]]);
        for _ in 0..53 {
            submit(&app, &w, &body).await;
        }
        // The store's count, the home's number and every page of the list agree.
        let mut tx = app.state.db.read().await.expect("a transaction");
        let (counted, oldest) = practicum::db::dashboard::requests_waiting(&mut tx)
            .await
            .expect("a count");
        drop(tx);
        assert_eq!(counted, 53);
        assert!(oldest.is_some());
        let cookie = page_login(&app, &w.office).await;
        let (_, home) = page(&app, &cookie, "/").await;
        let (_, href, n) = figures(&home)
            .into_iter()
            .find(|(k, ..)| k == "requests")
            .expect("the requests figure");
        assert_eq!(n, 53, "{home}");
        assert_eq!(csv_rows(&app, &cookie, &href).await, 53);
        let first = expect_page(get_page(&app, &cookie, &href).await, 200).await;
        assert!(first.contains("more on the next page"), "{first}");
        let api = api_of(&href).expect("an API list");
        assert_eq!(app.all_pages(&w.office, &api, 20).await.len(), 53);
        assert!(home.contains("oldest waiting since today"), "{home}");
    }
);
