//! Issue 13 point 1: minimum necessary. Every role around a student against every part of
//! the student's onboarding (`domain::policy::OnboardingField`): the office, the student and
//! their school know all of it; her preceptor, her faculty supervisor and her department's
//! manager know whether she is cleared and what is missing or lapsing, never the documents,
//! their details, the office's notes or the files.
use crate::db_test;
use crate::helpers::*;
use crate::requests::invitation_token;
use crate::rules_world::*;
use serde_json::{Value, json};

const NOTE: &str = "Varicella titer negative: bring the booster record";

/// What one caller learns of Ana's onboarding, field by field.
#[derive(Debug, PartialEq)]
struct Known {
    clearance_status: bool,
    missing_items: bool,
    expiring_items: bool,
    item_detail: bool,
    documents: bool,
    review_notes: bool,
    files: bool,
}

async fn known(app: &TestApp, who: &Caller, ana: &str, placement: &Value, doc: &str) -> Known {
    let p = app
        .get_ok(who, &format!("/api/v1/placements/{}", sid(placement)))
        .await;
    let checklist = app
        .get_ok(who, &format!("/api/v1/students/{ana}/requirements"))
        .await;
    let states: Vec<String> = items(&checklist)
        .iter()
        .map(|i| i["state"].as_str().expect("a state").to_string())
        .collect();
    // Detail: a state other than met or missing, or a lapse date.
    let item_detail = states.iter().any(|s| s != "verified" && s != "missing")
        || items(&checklist).iter().any(|i| !i["lapses_on"].is_null());
    let list = app
        .get(who, &format!("/api/v1/students/{ana}/documents"))
        .await;
    let (documents, review_notes) = match list.status().as_u16() {
        200 => {
            let body: Value = list.json().await.expect("json");
            (true, body.to_string().contains(NOTE))
        }
        404 => (false, false),
        other => panic!("documents answered {other}"),
    };
    let file = app.get(who, &format!("/api/v1/documents/{doc}/file")).await;
    let files = match file.status().as_u16() {
        200 => true,
        404 => false,
        other => panic!("the file answered {other}"),
    };
    Known {
        clearance_status: p["clearance"]["status"].is_string(),
        missing_items: p["clearance"]["missing"].is_array()
            && states.iter().any(|s| s == "missing"),
        expiring_items: p["clearance"]["expiring"].is_array(),
        item_detail,
        documents,
        review_notes,
        files,
    }
}

db_test!(
    every_role_knows_only_its_part_of_a_students_onboarding,
    |app| async move {
        let w = world(&app, 4, 4).await;
        let admin = app.admin().await;
        let ana = w.students[0].clone();
        let ana_id = sid(&ana);
        let clinical_placement = placed(&app, &w, &[&ana]).await[0].clone();
        // An internship later in the year, supervised by a faculty member of her school.
        let mut body = internship(&w, &[&ana]);
        body["starts_on"] = json!("2027-05-03");
        body["ends_on"] = json!("2027-05-28");
        let faculty_email = body["faculty_supervisor"]["email"]
            .as_str()
            .expect("an email")
            .to_string();
        let r = submit(&app, &w, &body).await;
        let decision = json!({ "decision": "approve", "placements": [
            { "student_id": ana["id"], "department_id": w.f.department["id"] } ] });
        let internship_placement = approve(&app, &w, &r, &decision).await[0].clone();
        let token = invitation_token(&app, &faculty_email).await;
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
        // A rejected card with the office's note: the evidence says something about her health.
        let doc = expect_status(
            upload(
                &app,
                &w.office,
                &ana_id,
                &[("requirement_code", "tdap"), ("completed_on", "2026-12-01")],
            )
            .await,
            201,
        )
        .await;
        let doc = sid(&doc);
        expect_status(
            app.post(
                &w.office,
                &format!("/api/v1/documents/{doc}/review"),
                &json!({ "outcome": "rejected", "note": NOTE }),
            )
            .await,
            200,
        )
        .await;
        let student = app
            .user("student", json!({ "student_id": ana["id"] }))
            .await;
        let preceptor = app
            .user("preceptor", json!({ "staff_id": w.preceptor["id"] }))
            .await;
        let manager_staff = staff(
            &app,
            &w.office,
            &w.f.department,
            "radiography",
            0,
            json!({ "is_preceptor": false }),
        )
        .await;
        let manager = app
            .user(
                "department_manager",
                json!({ "staff_id": manager_staff["id"] }),
            )
            .await;

        let everything = Known {
            clearance_status: true,
            missing_items: true,
            expiring_items: true,
            item_detail: true,
            documents: true,
            review_notes: true,
            files: true,
        };
        let supervisor = Known {
            clearance_status: true,
            missing_items: true,
            expiring_items: true,
            item_detail: false,
            documents: false,
            review_notes: false,
            files: false,
        };
        let cases: Vec<(&str, &Caller, &Value, &Known)> = vec![
            ("admin", &admin, &clinical_placement, &everything),
            ("coordinator", &w.office, &clinical_placement, &everything),
            ("her school", &w.school, &clinical_placement, &everything),
            ("the student", &student, &clinical_placement, &everything),
            (
                "her preceptor",
                &preceptor,
                &clinical_placement,
                &supervisor,
            ),
            (
                "her faculty supervisor",
                &faculty,
                &internship_placement,
                &supervisor,
            ),
            (
                "her department's manager",
                &manager,
                &clinical_placement,
                &supervisor,
            ),
        ];
        for (who, caller, placement, want) in cases {
            let got = known(&app, caller, &ana_id, placement, &doc).await;
            assert_eq!(&got, want, "{who}");
        }
        // The supervisor's checklist still names what is missing, by requirement.
        let list = app
            .get_ok(
                &preceptor,
                &format!("/api/v1/students/{ana_id}/requirements"),
            )
            .await;
        let tdap = items(&list)
            .into_iter()
            .find(|i| i["requirement_code"] == "tdap")
            .expect("tdap on the checklist");
        assert_eq!(
            tdap["state"], "missing",
            "rejected shows as missing: {tdap}"
        );
        // Nor do the pages: the placement's onboarding page names what is missing, not what
        // the office found; the student's documents page is not theirs.
        let (status, html, _) = crate::rule_pages::page(
            &app,
            &preceptor,
            &format!("/placements/{}/onboarding", sid(&clinical_placement)),
        )
        .await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Tdap") || html.contains("tdap"), "{html}");
        assert!(
            !html.contains(NOTE) && !html.to_lowercase().contains("rejected"),
            "{html}"
        );
        let (status, _, _) =
            crate::rule_pages::page(&app, &preceptor, &format!("/students/{ana_id}/documents"))
                .await;
        assert_eq!(status, 404);
    }
);
