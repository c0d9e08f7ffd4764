//! The scaffolding the `rules_*` modules share, on top of `requests.rs`'s `World` (a school
//! with an agreement, a program, enrolled students, a department and a preceptor): more
//! departments, internships, decisions, counts, races, uploads and pages that fail loudly.
use crate::helpers::*;
use reqwest::Response;
use serde_json::{Value, json};
use std::sync::Arc;

pub use crate::helpers::id as sid;
pub use crate::requests::{
    World, approval, clinical, decide, preceptor as staff, student, submit, unique, world, world_of,
};

/// A department at the fixture's site hosting radiography.
pub async fn department(app: &TestApp, w: &World, name: &str, capacity: i64) -> Value {
    let d = app
        .create(
            &w.office,
            "/api/v1/departments",
            &json!({ "site_id": w.f.site["id"], "name": name, "setting": "imaging", "capacity": capacity,
                     "disciplines": ["radiography"] }),
        )
        .await;
    assert_eq!(d["capacity"], capacity, "{d}");
    d
}

/// The same request as an internship, with its course and faculty supervisor.
pub fn internship(w: &World, students: &[&Value]) -> Value {
    let mut body = clinical(w, students);
    body["kind"] = json!("internship");
    body["course"] = json!({ "code": "RAD 290", "title": "Imaging practicum", "credits": 3 });
    body["faculty_supervisor"] = json!({ "name": "Dr. Faye", "email": unique("faye") });
    body
}

/// Approves `body` for `request`; returns the placements it created (as many as asked).
pub async fn approve(app: &TestApp, w: &World, request: &Value, body: &Value) -> Vec<Value> {
    let d = expect_status(decide(app, &w.office, request, body).await, 200).await;
    assert_eq!(d["status"], "approved", "{d}");
    let placements = d["placements"].as_array().expect("placements").clone();
    assert_eq!(
        placements.len(),
        body["placements"].as_array().expect("asked").len(),
        "{d}"
    );
    placements
}

/// Submits a clinical for the students and approves it; returns the placements.
pub async fn placed(app: &TestApp, w: &World, students: &[&Value]) -> Vec<Value> {
    let r = submit(app, w, &clinical(w, students)).await;
    approve(app, w, &r, &approval(w, students)).await
}

/// Every placement the office sees (all pages).
pub async fn placements(app: &TestApp, w: &World) -> Vec<Value> {
    app.all_pages(&w.office, "/api/v1/placements", 500).await
}

/// The ids of the placements that are not cancelled (the ones that hold a seat or are done).
pub async fn live_placements(app: &TestApp, w: &World) -> Vec<String> {
    placements(app, w)
        .await
        .iter()
        .filter(|p| p["status"] != "cancelled")
        .map(sid)
        .collect()
}

/// A request as the office reads it.
pub async fn request_status(app: &TestApp, w: &World, request: &Value) -> String {
    let r = app
        .get_ok(
            &w.office,
            &format!("/api/v1/placement-requests/{}", sid(request)),
        )
        .await;
    r["status"].as_str().expect("a status").to_string()
}

/// Every audit event, oldest first (all pages), as the admin reads them.
pub async fn audit_trail(app: &TestApp, admin: &Caller) -> Vec<Value> {
    app.all_pages(admin, "/api/v1/audit", 500).await
}

/// The actions recorded for one record.
pub async fn actions(
    app: &TestApp,
    who: &Caller,
    record_type: &str,
    record_id: &str,
) -> Vec<String> {
    app.all_pages(
        who,
        &format!("/api/v1/audit?record_type={record_type}&record_id={record_id}"),
        500,
    )
    .await
    .iter()
    .map(|e| e["action"].as_str().expect("an action").to_string())
    .collect()
}

pub async fn transition(app: &TestApp, who: &Caller, p: &Value, body: &Value) -> Response {
    app.post(
        who,
        &format!("/api/v1/placements/{}/transition", sid(p)),
        body,
    )
    .await
}

/// One HTTP call of a race: who, method, path and JSON body.
pub struct Call {
    pub who: Caller,
    pub method: reqwest::Method,
    pub path: String,
    pub body: Value,
}

impl Call {
    pub fn post(who: &Caller, path: String, body: Value) -> Call {
        Call {
            who: who.clone(),
            method: reqwest::Method::POST,
            path,
            body,
        }
    }

    pub fn patch(who: &Caller, path: String, body: Value) -> Call {
        Call {
            who: who.clone(),
            method: reqwest::Method::PATCH,
            path,
            body,
        }
    }
}

/// Sends every call at once (each on its own task, released together by a barrier) and
/// answers (status, body) in the order of `calls`.
pub async fn race(app: &TestApp, calls: Vec<Call>) -> Vec<(u16, Value)> {
    let barrier = Arc::new(tokio::sync::Barrier::new(calls.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, c) in calls.into_iter().enumerate() {
        let client = app.client.clone();
        let url = app.url(&c.path);
        let barrier = barrier.clone();
        tasks.spawn(async move {
            let req = client
                .request(c.method, url)
                .bearer_auth(&c.who.token)
                .json(&c.body);
            barrier.wait().await;
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let text = res.text().await.expect("a body");
            let body = if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {text}"))
            };
            (i, status, body)
        });
    }
    let mut out: Vec<Option<(u16, Value)>> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (i, status, body) = done.expect("the call's task ends");
        if out.len() <= i {
            out.resize(i + 1, None);
        }
        out[i] = Some((status, body));
    }
    out.into_iter()
        .map(|x| x.expect("every call answered"))
        .collect()
}

/// (status, codes) of each answer, for comparing outcomes.
pub fn outcomes(answers: &[(u16, Value)]) -> Vec<(u16, Vec<String>)> {
    answers
        .iter()
        .map(|(s, b)| (*s, if *s >= 400 { codes(b) } else { Vec::new() }))
        .collect()
}

/// A PDF small enough for any upload.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// Uploads evidence for a student as `who`.
pub async fn upload(
    app: &TestApp,
    who: &Caller,
    student_id: &str,
    fields: &[(&str, &str)],
) -> Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("card.pdf"),
    );
    app.client
        .post(app.url(&format!("/api/v1/students/{student_id}/documents")))
        .bearer_auth(&who.token)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// Each applicable requirement's state for a student (one placement, or all open ones).
pub async fn checklist(
    app: &TestApp,
    who: &Caller,
    student_id: &str,
    placement: Option<&Value>,
) -> Vec<(String, String)> {
    let q = placement
        .map(|p| format!("?placement_id={}", sid(p)))
        .unwrap_or_default();
    let list = app
        .get_ok(
            who,
            &format!("/api/v1/students/{student_id}/requirements{q}"),
        )
        .await;
    items(&list)
        .iter()
        .map(|i| {
            (
                i["requirement_code"].as_str().expect("a code").to_string(),
                i["state"].as_str().expect("a state").to_string(),
            )
        })
        .collect()
}

pub fn state_of(list: &[(String, String)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| c == code)
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| "absent".into())
}

/// Satisfies every requirement of the placement the way the catalog says (uploads verified,
/// the school's attestations, the student's signature, the office's ticks), with evidence
/// dated 2026-12-15 and cards valid to the end of 2028; answers the placement, now cleared.
pub async fn clear(
    app: &TestApp,
    w: &World,
    student: &Caller,
    student_id: &str,
    placement: &Value,
) -> Value {
    let list = app
        .get_ok(
            &w.office,
            &format!(
                "/api/v1/students/{student_id}/requirements?placement_id={}",
                sid(placement)
            ),
        )
        .await;
    assert!(!items(&list).is_empty(), "{list}");
    for item in items(&list) {
        let code = item["requirement_code"].as_str().expect("a code");
        if item["state"] == "verified" {
            continue;
        }
        match item["satisfied_by"].as_str().expect("satisfied_by") {
            "student_upload" => {
                let mut fields = vec![("requirement_code", code), ("completed_on", "2026-12-15")];
                if code == "bls" {
                    fields.push(("expires_on", "2028-12-31"));
                }
                let doc = expect_status(upload(app, student, student_id, &fields).await, 201).await;
                let reviewed = expect_status(
                    app.post(
                        &w.office,
                        &format!("/api/v1/documents/{}/review", sid(&doc)),
                        &json!({ "outcome": "verified" }),
                    )
                    .await,
                    200,
                )
                .await;
                assert_eq!(reviewed["status"], "verified", "{reviewed}");
            }
            "school_attestation" => {
                let mut body = json!({ "requirement_code": code, "student_ids": [student_id],
                                       "completed_on": "2026-12-01" });
                if code == "liability_insurance" {
                    body["expires_on"] = json!("2028-12-31");
                }
                let docs = expect_status(
                    app.post(&w.school, "/api/v1/attestations", &body).await,
                    201,
                )
                .await;
                assert_eq!(docs.as_array().expect("documents").len(), 1, "{docs}");
            }
            "signed_in_system" => {
                let doc = expect_status(
                    app.post(
                        student,
                        &format!("/api/v1/placements/{}/signatures", sid(placement)),
                        &json!({ "requirement_code": code, "name": "Ana Lopez" }),
                    )
                    .await,
                    201,
                )
                .await;
                assert_eq!(doc["status"], "verified", "{doc}");
            }
            other => {
                assert_eq!(other, "office_action", "{item}");
                let doc = expect_status(
                    app.post(
                        &w.office,
                        &format!("/api/v1/placements/{}/provisioning", sid(placement)),
                        &json!({ "requirement_code": code }),
                    )
                    .await,
                    201,
                )
                .await;
                assert_eq!(doc["status"], "verified", "{doc}");
            }
        }
    }
    let p = app
        .get_ok(&w.office, &format!("/api/v1/placements/{}", sid(placement)))
        .await;
    assert_eq!(p["clearance"]["status"], "cleared", "{p}");
    p
}

/// A session cookie from the page login (GET /login for the CSRF token, POST the form).
pub async fn page_login(app: &TestApp, who: &Caller) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = client.get(app.url("/login")).send().await.expect("request");
    assert_eq!(res.status(), 200);
    let pre = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let html = res.text().await.expect("the login page");
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSRF token on the login page")
        .to_string();
    let email = who.user["email"].as_str().expect("an email");
    let mut req = client
        .post(app.url("/login"))
        .header("origin", app.url(""))
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", email),
            ("password", DEMO_PASSWORD),
        ]);
    if !pre.is_empty() {
        req = req.header("cookie", pre);
    }
    let res = req.send().await.expect("request");
    assert_eq!(res.status(), 303, "the page login of {email}");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("practicum_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// GET a page with a session cookie: (status, HTML).
pub async fn page(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = app
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    (status, res.text().await.expect("a page"))
}

/// Starts a planning run of the spring term (February–May 2027) and waits, polling with a
/// deadline, until it has an answer.
pub async fn plan(app: &TestApp, office: &Caller) -> Value {
    let started = expect_status(
        app.post(
            office,
            "/api/v1/planning-runs",
            &json!({ "starts_on": "2027-02-01", "ends_on": "2027-05-28", "time_limit_seconds": 20,
                     "max_iterations": 2000, "seed": 7 }),
        )
        .await,
        202,
    )
    .await;
    assert_eq!(started["status"], "running", "{started}");
    let path = format!("/api/v1/planning-runs/{}", sid(&started));
    let run = poll(std::time::Duration::from_secs(60), || async {
        let run = app.get_ok(office, &path).await;
        (run["status"] != "running").then_some(run)
    })
    .await;
    assert_eq!(run["status"], "done", "{run}");
    run
}

/// The plan's outcome for one request.
pub fn planned(run: &Value, request: &Value) -> Value {
    run["proposal"]["requests"]
        .as_array()
        .expect("the proposal's requests")
        .iter()
        .find(|r| r["request_id"] == request["id"])
        .cloned()
        .expect("the request is in the plan")
}
