//! The demo hospital system: loads, signs in as every role, and has what the demo promises.
use crate::db_test;
use crate::helpers::*;
use practicum::seed::{DEMO_USERS, seed_demo};
use serde_json::Value;

/// Every item of a list, following cursors.
async fn all(app: &TestApp, who: &Caller, path: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{sep}limit=500&cursor={c}"),
            None => format!("{path}{sep}limit=500"),
        };
        let page = app.get_ok(who, &url).await;
        items.extend(crate::helpers::items(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return items,
        }
    }
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field].as_str().unwrap_or_default()
}

db_test!(
    the_demo_loads_once_and_signs_in_every_role,
    |app| async move {
        let started = std::time::Instant::now();
        seed_demo(&app.state).await.expect("the demo loads");
        eprintln!(
            "seeded on {} in {:?}",
            app.state.db.backend(),
            started.elapsed()
        );

        let mut callers = std::collections::HashMap::new();
        for (role, email) in DEMO_USERS {
            let who = app.login(email, DEMO_PASSWORD).await;
            let me = app.get_ok(&who, "/api/v1/me").await;
            assert_eq!(me["role"], *role, "{email}");
            callers.insert(*role, (who, me));
        }
        let (admin, _) = &callers["admin"];
        let today = test_now().date_naive().to_string();

        // The directory's size.
        assert_eq!(all(&app, admin, "/api/v1/sites").await.len(), 3);
        let departments = all(&app, admin, "/api/v1/departments").await;
        assert!(departments.len() >= 35, "{} departments", departments.len());
        for d in &departments {
            let cap = d["capacity"].as_i64().expect("a capacity");
            assert!((2..=8).contains(&cap), "{d}");
            assert!(
                !d["disciplines"].as_array().is_none_or(|a| a.is_empty()),
                "{d}"
            );
        }
        let schools = all(&app, admin, "/api/v1/schools").await;
        assert!(schools.len() >= 12, "{} schools", schools.len());
        let programs = all(&app, admin, "/api/v1/programs").await;
        assert!(programs.len() >= 25, "{} programs", programs.len());
        for level in [
            "certificate",
            "associate",
            "baccalaureate",
            "masters",
            "doctoral",
        ] {
            assert!(
                programs.iter().any(|p| p["degree_level"] == level),
                "{level}"
            );
        }
        let lapsed = programs
            .iter()
            .filter(|p| p["accredited_until"].as_str().is_some_and(|u| *u < *today))
            .count();
        assert_eq!(lapsed, 1, "one program's accreditation has lapsed");
        let students = all(&app, admin, "/api/v1/students").await;
        assert!(students.len() >= 180, "{} students", students.len());
        let enrolled = students
            .iter()
            .filter(|s| s["enrollment_status"] == "enrolled")
            .count();
        assert!(enrolled * 10 >= students.len() * 8, "mostly enrolled");
        for status in ["leave", "graduated", "withdrawn"] {
            assert!(
                students.iter().any(|s| s["enrollment_status"] == status),
                "{status}"
            );
        }
        let emails: std::collections::HashSet<&str> =
            students.iter().map(|s| str_of(s, "email")).collect();
        assert_eq!(emails.len(), students.len(), "unique student emails");
        let staff = all(&app, admin, "/api/v1/staff").await;
        assert!(staff.len() >= 70, "{} staff", staff.len());
        let preceptors: Vec<&Value> = staff.iter().filter(|s| s["is_preceptor"] == true).collect();
        assert!(preceptors.len() >= 45, "{} preceptors", preceptors.len());
        for p in &preceptors {
            let dept = departments
                .iter()
                .find(|d| d["id"] == p["department_id"])
                .expect("the preceptor's department");
            let hosted = dept["disciplines"].as_array().cloned().unwrap_or_default();
            assert!(hosted.contains(&p["discipline"]), "{p} works in {dept}");
            assert!(p["license_number"].is_string(), "{p}");
            let max = p["max_students"].as_i64().expect("a max_students");
            assert!((1..=2).contains(&max), "{p}");
        }
        assert!(
            preceptors
                .iter()
                .any(|p| p["leave"].as_array().is_some_and(|l| !l.is_empty())),
            "a preceptor on leave"
        );

        // Agreements: expiring, terminated, draft.
        let expiring = all(&app, admin, "/api/v1/agreements?expiring_within_days=60").await;
        assert!(!expiring.is_empty(), "an agreement expiring within 60 days");
        for status in ["terminated", "draft"] {
            let n = all(&app, admin, &format!("/api/v1/agreements?status={status}"))
                .await
                .len();
            assert_eq!(n, 1, "{status}");
        }
        let agreements = all(&app, admin, "/api/v1/agreements").await;
        assert!(
            agreements
                .iter()
                .any(|a| a["disciplines"].as_array().is_some_and(|d| d.is_empty()))
        );
        assert!(
            agreements
                .iter()
                .any(|a| a["disciplines"].as_array().is_some_and(|d| !d.is_empty()))
        );

        // Each role is linked as it should be.
        for role in ["admin", "coordinator"] {
            let me = &callers[role].1;
            for link in ["school_id", "staff_id", "student_id"] {
                assert!(me[link].is_null(), "{role} has no {link}");
            }
        }
        let (school_coord, me) = &callers["school_coordinator"];
        let school_id = str_of(me, "school_id").to_string();
        assert!(!school_id.is_empty());
        let own = all(&app, school_coord, "/api/v1/agreements").await;
        assert!(
            own.iter().any(|a| a["status"] == "active"
                && str_of(a, "effective_on") <= today.as_str()
                && str_of(a, "expires_on") >= today.as_str()),
            "the school coordinator's school has an active agreement"
        );
        let (student, me) = &callers["student"];
        let student_id = str_of(me, "student_id");
        let record = app
            .get_ok(student, &format!("/api/v1/students/{student_id}"))
            .await;
        assert_eq!(record["enrollment_status"], "enrolled");
        assert_eq!(record["school_id"], school_id.as_str());
        let me = &callers["preceptor"].1;
        let record = app
            .get_ok(admin, &format!("/api/v1/staff/{}", str_of(me, "staff_id")))
            .await;
        assert_eq!(record["is_preceptor"], true);
        assert!(str_of(&record, "license_expires_on") > today.as_str());
        let me = &callers["faculty"].1;
        assert!(me["school_id"].is_string(), "faculty is linked to a school");
        let (manager, me) = &callers["department_manager"];
        let record = app
            .get_ok(admin, &format!("/api/v1/staff/{}", str_of(me, "staff_id")))
            .await;
        let mine = all(&app, manager, "/api/v1/departments").await;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["id"], record["department_id"]);

        // The placement work: the office's queue, placements for every role, inquiries.
        let open = all(&app, admin, "/api/v1/placement-requests?open=true").await;
        assert!(open.len() >= 10, "{} open requests", open.len());
        assert!(
            open.iter().any(|r| r["status"] == "waitlisted"
                && r["decision_reason"].as_str().is_some_and(|s| !s.is_empty())),
            "a waitlisted request with its reason"
        );
        let ineligible: Vec<&Value> = open
            .iter()
            .filter(|r| r["eligibility"].as_array().is_some_and(|e| !e.is_empty()))
            .collect();
        assert!(!ineligible.is_empty(), "an open request now ineligible");
        assert!(
            ineligible.iter().any(|r| r["eligibility"]
                .to_string()
                .contains("agreement_does_not_cover_dates")),
            "{ineligible:?}"
        );
        let requests = all(&app, admin, "/api/v1/placement-requests").await;
        assert!(requests.len() >= 20, "{} requests", requests.len());
        for status in [
            "submitted",
            "approved",
            "waitlisted",
            "declined",
            "withdrawn",
        ] {
            assert!(
                requests.iter().any(|r| r["status"] == status),
                "a {status} request"
            );
        }
        for r in requests.iter().filter(|r| r["status"] == "declined") {
            assert!(r["decision_reason"].is_string(), "{r}");
        }
        let internships: Vec<&Value> = requests
            .iter()
            .filter(|r| r["kind"] == "internship")
            .collect();
        assert!(internships.len() >= 2, "{} internships", internships.len());
        for r in &internships {
            assert!(
                r["course"].is_object() && r["faculty_supervisor"].is_object(),
                "{r}"
            );
        }
        assert!(
            requests
                .iter()
                .any(|r| r["slots"].as_i64().unwrap_or_default() > 0),
            "a request with unnamed slots"
        );
        let placements = all(&app, admin, "/api/v1/placements").await;
        assert!(placements.len() >= 8, "{} placements", placements.len());
        let clinical: Vec<&Value> = placements
            .iter()
            .filter(|p| p["kind"] == "clinical")
            .collect();
        assert!(
            clinical.len() >= 4,
            "{} clinical placements",
            clinical.len()
        );
        for p in clinical {
            let preceptor = staff
                .iter()
                .find(|s| s["id"] == p["preceptor_id"])
                .expect("a clinical placement's preceptor");
            assert_eq!(preceptor["department_id"], p["department_id"], "{p}");
        }
        let stored = |status: &str| {
            let url = format!("/api/v1/placements?status={status}");
            let app = &app;
            async move { all(app, admin, &url).await.len() }
        };
        assert!(stored("completed").await >= 2, "completed placements");
        let confirmed = placements
            .iter()
            .filter(|p| p["status"] == "onboarding" || p["status"] == "cleared")
            .count();
        assert!(confirmed >= 1, "a confirmed placement");
        let year = &today[..4];
        let summary = app
            .get_ok(admin, &format!("/api/v1/reports/summary?year={year}"))
            .await;
        assert!(
            summary["total"].as_i64().expect("a total") >= 5,
            "{summary}"
        );
        for role in ["student", "preceptor", "faculty", "department_manager"] {
            let (who, _) = &callers[role];
            let mine = all(&app, who, "/api/v1/placements").await;
            assert!(!mine.is_empty(), "{role} sees a placement");
        }
        let (faculty, me) = &callers["faculty"];
        let interns = all(&app, faculty, "/api/v1/placements").await;
        assert!(
            interns.iter().all(|p| p["kind"] == "internship"),
            "{interns:?}"
        );
        assert!(
            interns
                .iter()
                .all(|p| p["faculty_supervisor"]["email"] == me["email"]),
            "{interns:?}"
        );
        let (student, me) = &callers["student"];
        let own = all(&app, student, "/api/v1/placements").await;
        assert!(own.iter().all(|p| p["student_id"] == me["student_id"]));
        let mine = all(&app, school_coord, "/api/v1/placement-requests").await;
        assert!(!mine.is_empty(), "the school coordinator's requests");
        assert!(mine.iter().all(|r| r["school_id"] == school_id.as_str()));
        // The capacity page shows Bayview's Diagnostic Imaging over-asked this term.
        let csv = csv_text(
            app.client
                .get(app.url("/capacity?format=csv"))
                .header("cookie", format!("practicum_session={}", admin.token))
                .send()
                .await
                .expect("request"),
        )
        .await;
        let imaging = csv
            .lines()
            .find(|l| l.starts_with("Diagnostic Imaging,Bayview Medical Center,"))
            .unwrap_or_else(|| panic!("{csv}"));
        let ratio: f64 = imaging
            .rsplit(',')
            .next()
            .and_then(|r| r.trim().parse().ok())
            .unwrap_or_else(|| panic!("a ratio: {imaging}"));
        assert!(ratio > 1.0, "{imaging}");
        let inquiries = all(&app, admin, "/api/v1/inquiries").await;
        assert!(inquiries.len() >= 5, "{} inquiries", inquiries.len());
        for route in ["placement_request", "observership", "volunteer"] {
            assert!(inquiries.iter().any(|i| i["route"] == route), "{route}");
        }
        for status in ["new", "contacted", "closed"] {
            assert!(inquiries.iter().any(|i| i["status"] == status), "{status}");
        }

        // A second load refuses and changes nothing.
        let again = seed_demo(&app.state).await;
        let err = again.expect_err("the demo is already there");
        assert!(err.to_string().contains("already"), "{err}");
        assert_eq!(all(&app, admin, "/api/v1/sites").await.len(), 3);
        assert_eq!(
            all(&app, admin, "/api/v1/students").await.len(),
            students.len()
        );
        assert_eq!(
            all(&app, admin, "/api/v1/placement-requests").await.len(),
            requests.len()
        );
        assert_eq!(
            all(&app, admin, "/api/v1/inquiries").await.len(),
            inquiries.len()
        );
    }
);
