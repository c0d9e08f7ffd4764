//! Never a 500: every directory write and list is fed odd values in every field and filter, and
//! answers with a 2xx or a 4xx problem.
use crate::db_test;
use crate::helpers::*;
use reqwest::{Method, Response};
use serde_json::{Value, json};

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!(" "),
        json!("\u{0}"),
        json!("a\u{0}b"),
        json!("\u{202e}evil"),
        json!("😀"),
        json!("x".repeat(600)),
        json!("'; DROP TABLE students; --"),
        json!("0000-01-01"),
        json!("9999-12-31"),
        json!("+262142-12-31"),
        json!(NO_SUCH_ID),
        json!([]),
        json!([null]),
        json!(["\u{0}"]),
        json!([{ "starts_on": "2027-01-01", "ends_on": "\u{0}" }]),
        json!({}),
        json!({ "a": [1, { "b": null }] }),
    ]
}

/// A 2xx, or a 4xx problem document — never a 5xx.
async fn not_a_500(res: Response, what: &str) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    assert!(status < 500, "{what}: {status} {text}");
    if status >= 400 {
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert_eq!(body["status"], status, "{what}: {text}");
        assert!(!codes(&body).is_empty(), "{what}: {text}");
    }
}

db_test!(odd_field_values_never_cause_a_500, |app| async move {
    let c = cast(&app).await;
    let f = &c.f;
    let agreement = app
        .create(
            &c.office,
            &format!("/api/v1/schools/{}/agreements", id(&f.school)),
            &json!({ "status": "active", "effective_on": "2026-01-01", "expires_on": "2028-12-31" }),
        )
        .await;
    // (create path, a valid body, the path of an existing record of that kind)
    let writes: Vec<(String, Value, String)> = vec![
        (
            "/api/v1/sites".into(),
            json!({ "name": "S" }),
            format!("/api/v1/sites/{}", id(&f.site)),
        ),
        (
            "/api/v1/departments".into(),
            json!({ "site_id": f.site["id"], "name": "D", "setting": "office", "capacity": 1, "disciplines": ["radiography"] }),
            format!("/api/v1/departments/{}", id(&f.department)),
        ),
        (
            "/api/v1/schools".into(),
            json!({ "name": "S", "city": "C", "state": "MA" }),
            format!("/api/v1/schools/{}", id(&f.school)),
        ),
        (
            format!("/api/v1/schools/{}/agreements", id(&f.school)),
            json!({ "status": "draft", "effective_on": "2027-01-01", "expires_on": "2027-12-31", "disciplines": [], "note": "n" }),
            format!("/api/v1/agreements/{}", id(&agreement)),
        ),
        (
            format!("/api/v1/schools/{}/programs", id(&f.school)),
            json!({ "name": "P", "discipline": "radiography", "degree_level": "associate", "accreditor": "A",
                    "accredited_until": "2030-01-01" }),
            format!("/api/v1/programs/{}", id(&f.program)),
        ),
        (
            "/api/v1/students".into(),
            json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": "A", "last_name": "B",
                    "email": "odd@north.edu", "enrollment_status": "enrolled", "expected_graduation": "2028-01-01" }),
            format!("/api/v1/students/{}", id(&f.student)),
        ),
        (
            "/api/v1/staff".into(),
            json!({ "name": "N", "email": "odd@h.test", "department_id": f.department["id"], "discipline": "radiography",
                    "credential": "C", "license_number": "L", "license_expires_on": "2029-01-01", "is_preceptor": true,
                    "max_students": 1, "leave": [] }),
            format!("/api/v1/staff/{}", id(&c.preceptor_staff)),
        ),
    ];
    for (create, valid, one) in &writes {
        let fields: Vec<String> = valid.as_object().unwrap().keys().cloned().collect();
        for field in &fields {
            for v in odd_values() {
                let mut body = valid.clone();
                body[field] = v.clone();
                let what = format!("POST {create} {field}={v}");
                not_a_500(app.post(&c.office, create, &body).await, &what).await;
                let what = format!("PATCH {one} {field}={v}");
                not_a_500(app.patch(&c.office, one, &json!({ field: v })).await, &what).await;
            }
        }
        for key in ["", "\u{0}", "__proto__", "id", "NAME"] {
            let mut body = valid.clone();
            body[key] = json!(1);
            let what = format!("POST {create} key {key:?}");
            not_a_500(app.post(&c.office, create, &body).await, &what).await;
        }
    }
    let user = json!({ "email": "odd@test.example", "name": "N", "role": "school_coordinator", "password": "a-long-password",
                       "school_id": f.school["id"] });
    for field in user.as_object().unwrap().keys() {
        for v in odd_values() {
            let mut body = user.clone();
            body[field] = v.clone();
            let what = format!("POST /api/v1/users {field}={v}");
            not_a_500(app.post(&c.admin, "/api/v1/users", &body).await, &what).await;
        }
    }
    for field in ["email", "password"] {
        for v in odd_values() {
            let mut body = json!({ "email": "nobody@test.example", "password": "wrong-password" });
            body[field] = v.clone();
            let what = format!("login {field}={v}");
            not_a_500(app.post_anon("/api/v1/auth/login", &body).await, &what).await;
        }
    }
});

db_test!(odd_bodies_never_cause_a_500, |app| async move {
    let c = cast(&app).await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bodies: Vec<Vec<u8>> = vec![
        deep.into_bytes(),
        br#"{"name": 1e999}"#.to_vec(),
        br#"{"name": "\ud800"}"#.to_vec(),
        br#"{"name": "a", "name": "b"}"#.to_vec(),
        b"\xef\xbb\xbf{\"name\": \"bom\"}".to_vec(),
    ];
    let paths = [
        "/api/v1/sites",
        "/api/v1/departments",
        "/api/v1/schools",
        "/api/v1/students",
        "/api/v1/staff",
        "/api/v1/users",
        "/api/v1/auth/login",
    ];
    for path in paths {
        for body in &bodies {
            let res = app
                .raw(
                    &c.admin,
                    Method::POST,
                    path,
                    Some("application/json"),
                    body.clone(),
                )
                .await;
            not_a_500(
                res,
                &format!(
                    "POST {path} {:?}",
                    String::from_utf8_lossy(&body[..body.len().min(20)])
                ),
            )
            .await;
        }
    }
});

db_test!(odd_query_strings_never_cause_a_500, |app| async move {
    let c = cast(&app).await;
    let lists = [
        "/api/v1/sites",
        "/api/v1/departments",
        "/api/v1/schools",
        "/api/v1/agreements",
        "/api/v1/programs",
        "/api/v1/students",
        "/api/v1/staff",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/disciplines",
        "/api/v1/placement-options",
    ];
    let params = [
        "q",
        "cursor",
        "limit",
        "school_id",
        "program_id",
        "site_id",
        "department_id",
        "discipline",
        "setting",
        "status",
        "degree_level",
        "is_preceptor",
        "role",
        "record_type",
        "record_id",
        "expiring_within_days",
    ];
    let long = "x".repeat(4000);
    let values = [
        "%00",
        "a%00b",
        "%FF",
        "%E2%80%AE",
        "%27%3B--",
        "%25%5F%5C",
        "-1",
        "99999999999999999999999",
        long.as_str(),
        "%F0%9F%98%80",
        NO_SUCH_ID,
    ];
    for path in lists {
        for p in params {
            for v in values {
                let url = format!("{path}?{p}={v}");
                not_a_500(app.get(&c.admin, &url).await, &url).await;
            }
        }
        for raw in ["?=", "?&&", "?q", "?q=%", "?q=%zz", "?limit=1&limit=2"] {
            let url = format!("{path}{raw}");
            not_a_500(app.get(&c.admin, &url).await, &url).await;
        }
    }
    // Odd path ids.
    for path in [
        "/api/v1/sites/%00",
        "/api/v1/students/%FF",
        "/api/v1/schools/..%2F..%2Fetc",
        "/api/v1/agreements/%20/document",
    ] {
        not_a_500(app.get(&c.admin, path).await, path).await;
    }
});

db_test!(every_answer_carries_its_own_request_id, |app| async move {
    let office = app.coordinator().await;
    let mut seen = Vec::new();
    for path in [
        "/api/v1/sites",
        "/api/v1/no-such-thing",
        "/login",
        "/healthz-none",
    ] {
        let res = app.get(&office, path).await;
        let id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let id = id.unwrap_or_else(|| panic!("{path}: no x-request-id"));
        assert!(
            uuid::Uuid::parse_str(&id).is_ok(),
            "{path}: {id:?} is not a UUID"
        );
        assert!(!seen.contains(&id), "{path}: {id} was used before");
        seen.push(id);
    }
});
