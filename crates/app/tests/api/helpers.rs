//! Spawns the real server on a random port with a fresh database, and speaks HTTP to it.
use chrono::{TimeZone, Utc};
use practicum::{clock::Clock, config::Config, startup};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

pub use practicum::seed::DEMO_PASSWORD;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub clock: Clock,
    pub state: practicum::state::AppState,
    _dir: tempdir::TempDir,
}

mod tempdir {
    /// A directory removed when the test ends.
    pub struct TempDir(pub std::path::PathBuf);
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The fixed "now" of every test: a Monday.
pub fn test_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 4, 9, 0, 0)
        .single()
        .expect("valid time")
}

/// `None` when the backend is not available (PostgreSQL without `TEST_POSTGRES_URL`).
pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, |_| {}).await
}

pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let dir = std::env::temp_dir().join(format!("practicum-test-{}", uuid::Uuid::now_v7()));
    let mut config = Config::new(dir.clone());
    config.addr = "127.0.0.1:0".parse().expect("static address");
    // Every test signs in from 127.0.0.1; throttling gets its own tests.
    config.login_max_failures = 1000;
    config.login_address_max_failures = 1000;
    // The mail worker looks for due mail often, so tests waiting for the outbox are quick.
    config.mail_poll_interval = Duration::from_millis(20);
    // Tests run the reminder sweep by hand, at the fixed clock's time.
    config.reminder_interval = None;
    if backend == Backend::Postgres {
        let url = std::env::var("TEST_POSTGRES_URL").ok()?;
        config.database = Some(fresh_pg_database(&url).await);
    }
    tweak(&mut config);
    let clock = Clock::fixed(test_now());
    let app = startup::build(config, clock.clone())
        .await
        .expect("the app starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state.clone();
    tokio::spawn(app.run_until(std::future::pending()));
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Some(TestApp {
        base,
        client,
        clock,
        state,
        _dir: tempdir::TempDir(dir),
    })
}

/// A PostgreSQL test without `TEST_POSTGRES_URL` skips itself, unless
/// `PRACTICUM_REQUIRE_POSTGRES` is set (CI sets it), where a skip would let the PostgreSQL half
/// pass without running.
pub fn skip_postgres() {
    assert!(
        std::env::var_os("PRACTICUM_REQUIRE_POSTGRES").is_none(),
        "PRACTICUM_REQUIRE_POSTGRES is set but TEST_POSTGRES_URL is not"
    );
    eprintln!("skipped: TEST_POSTGRES_URL is not set");
}

/// A new, empty database on the server of `url` (a `postgres://` URL); its URL.
pub async fn fresh_pg_database(url: &str) -> String {
    use sqlx::Connection;
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("TEST_POSTGRES_URL is set but unreachable: {e}"));
    drop_old_test_databases(&mut conn).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (base, _) = url
        .rsplit_once('/')
        .expect("a database URL ends with /dbname");
    format!("{base}/{name}")
}

/// Drops the test databases earlier runs left behind (once a run): each test makes its own
/// and nothing drops it when the test ends, so a cluster used for a few hundred runs grew to
/// 16 GB. A name's UUID v7 says when it was made; those over two hours old are from runs that
/// have ended (a run takes minutes), so a run in progress beside this one keeps its own.
async fn drop_old_test_databases(conn: &mut sqlx::PgConnection) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for (name,) in names {
        let made = name
            .strip_prefix("t_")
            .and_then(|hex| uuid::Uuid::parse_str(hex).ok())
            .and_then(|u| u.get_timestamp())
            .map(|t| t.to_unix().0);
        if made.is_some_and(|secs| now.saturating_sub(secs) > 2 * 3600) {
            // Another run may be dropping it too: a failure here is no test's concern.
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name}"
            )))
            .execute(&mut *conn)
            .await;
        }
    }
}

/// One test body, run once per backend: `db_test!(name, |app| async move { ... })`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::helpers::spawn($crate::helpers::Backend::Sqlite)
                    .await
                    .expect("sqlite");
                $body.await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = $crate::helpers::spawn($crate::helpers::Backend::Postgres).await
                else {
                    $crate::helpers::skip_postgres();
                    return;
                };
                $body.await
            }
        }
    };
}

/// Like `db_test!`, with a change to the configuration first:
/// `db_test_with!(name, |c| c.login_max_failures = 3, |app| async move { ... })`.
#[macro_export]
macro_rules! db_test_with {
    ($name:ident, $tweak:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::helpers::spawn_with($crate::helpers::Backend::Sqlite, $tweak)
                    .await
                    .expect("sqlite");
                $body.await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) =
                    $crate::helpers::spawn_with($crate::helpers::Backend::Postgres, $tweak).await
                else {
                    $crate::helpers::skip_postgres();
                    return;
                };
                $body.await
            }
        }
    };
}

/// A signed-in API caller.
#[derive(Clone)]
pub struct Caller {
    pub token: String,
    pub user: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates a user straight through the store-backed CLI path and signs them in.
    pub async fn user(&self, role: &str, links: Value) -> Caller {
        let email = format!("{}-{}@test.example", role, uuid::Uuid::now_v7().simple());
        let mut body = json!({ "email": email, "name": format!("Test {role}"), "role": role, "password": DEMO_PASSWORD });
        if let Value::Object(l) = links {
            for (k, v) in l {
                body[k] = v;
            }
        }
        let Value::Object(map) = body else {
            unreachable!()
        };
        let actor = practicum::db::audit::Actor {
            user_id: None,
            label: "test".into(),
            ip: None,
            at: self.clock.now(),
        };
        practicum::service::users::create_user_as(
            &self.state,
            &actor,
            practicum::http::input::users::new_user(map),
        )
        .await
        .expect("user created");
        self.login(&email, DEMO_PASSWORD).await
    }

    pub async fn admin(&self) -> Caller {
        self.user("admin", json!({})).await
    }

    pub async fn coordinator(&self) -> Caller {
        self.user("coordinator", json!({})).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Caller {
        let res = self
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email}");
        let body: Value = res.json().await.expect("json");
        Caller {
            token: body["token"].as_str().expect("token").to_string(),
            user: body["user"].clone(),
        }
    }

    #[must_use = "check the answer: a request whose failure goes unseen hides what the test claims"]
    pub async fn post_anon(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    #[must_use = "check the answer: a request whose failure goes unseen hides what the test claims"]
    pub async fn get(&self, who: &Caller, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&who.token)
            .send()
            .await
            .expect("request")
    }

    #[must_use = "check the answer: a request whose failure goes unseen hides what the test claims"]
    pub async fn post(&self, who: &Caller, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(&who.token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    #[must_use = "check the answer: a request whose failure goes unseen hides what the test claims"]
    pub async fn patch(&self, who: &Caller, path: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(&who.token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Any method, any body bytes, any content type (or none): for bodies that are not JSON.
    #[must_use = "check the answer: a request whose failure goes unseen hides what the test claims"]
    pub async fn raw(
        &self,
        who: &Caller,
        method: reqwest::Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Response {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(&who.token)
            .body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        req.send().await.expect("request")
    }

    /// POST of a multipart form with one `file` part.
    #[must_use = "check the answer: a request whose failure goes unseen hides what the test claims"]
    pub async fn upload(
        &self,
        who: &Caller,
        path: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> Response {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()),
        );
        self.client
            .post(self.url(path))
            .bearer_auth(&who.token)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// Every item of a list, following `next_cursor` with pages of `limit`; also checks that
    /// no page is longer than `limit`.
    pub async fn all_pages(&self, who: &Caller, path: &str, limit: usize) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut out = Vec::new();
        let mut next = format!("{path}{sep}limit={limit}");
        loop {
            let page = self.get_ok(who, &next).await;
            let items = page["items"].as_array().expect("items").clone();
            assert!(items.len() <= limit, "{next}: {} items", items.len());
            out.extend(items);
            match page["next_cursor"].as_str() {
                Some(c) => {
                    assert!(out.len() < 10_000, "{path}: the cursor never ends");
                    next = format!("{path}{sep}limit={limit}&cursor={c}");
                }
                None => return out,
            }
        }
    }

    /// `path` walked in pages of each of `limits` is the list read as one page (`limit=500`),
    /// row for row: after a few pages a list's ids come from the listing kept whole
    /// (`db::listings`), which must agree with the store's own pages. The list's ids.
    pub async fn walked_as_one(&self, who: &Caller, path: &str, limits: &[usize]) -> Vec<String> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let whole = self.get_ok(who, &format!("{path}{sep}limit=500")).await;
        for limit in limits {
            let walked = self.all_pages(who, path, *limit).await;
            assert_eq!(
                serde_json::Value::Array(walked),
                whole["items"],
                "{path} in pages of {limit}"
            );
        }
        ids(&whole)
    }

    /// GET that must answer 200; returns the JSON.
    pub async fn get_ok(&self, who: &Caller, path: &str) -> Value {
        let res = self.get(who, path).await;
        expect_status(res, 200).await
    }

    /// POST that must answer 201; returns the JSON.
    pub async fn create(&self, who: &Caller, path: &str, body: &Value) -> Value {
        let res = self.post(who, path, body).await;
        expect_status(res, 201).await
    }
}

/// Asserts the status (showing the body when it differs) and returns the JSON body.
pub async fn expect_status(res: Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let text = res.text().await.expect("the body arrives");
    assert_eq!(got, status, "unexpected status; body: {text}");
    if text.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the body is not JSON ({e}): {text}"))
}

/// Asserts the status, that the body is a problem document with that status, and that its
/// error codes are exactly `expected` (in any order, each as often as listed).
pub async fn expect_problem(res: Response, status: u16, expected: &[&str]) -> Value {
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = expect_status(res, status).await;
    assert_eq!(ct, "application/problem+json", "body: {body}");
    assert_eq!(body["status"], status, "body: {body}");
    let mut got = codes(&body);
    got.sort();
    let mut want: Vec<String> = expected.iter().map(|c| c.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "body: {body}");
    body
}

/// The status of an answer and its error codes: none for a success (whose body must still be
/// JSON or empty), every code of the problem document for a refusal. For races, where either
/// outcome is expected and the test asserts which one each caller got.
pub async fn outcome(res: Response) -> (u16, Vec<String>) {
    let status = res.status().as_u16();
    let body = expect_status(res, status).await;
    if status >= 400 {
        (status, codes(&body))
    } else {
        (status, Vec::new())
    }
}

/// Asserts the status of a page (not an API answer): an HTML document, whose text it returns.
pub async fn expect_page(res: Response, status: u16) -> String {
    let got = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = res.text().await.expect("the page arrives");
    assert_eq!(got, status, "unexpected status; page: {text}");
    assert!(ct.starts_with("text/html"), "a page, not {ct}: {text}");
    assert!(text.contains("<html"), "an HTML document: {text}");
    text
}

/// The table of a CSV download: asserts 200 and that the body starts with the UTF-8
/// byte-order mark (every CSV the product serves does), and returns the text after it.
pub async fn csv_text(res: Response) -> String {
    let status = res.status().as_u16();
    let body = res.bytes().await.expect("the body arrives").to_vec();
    let text = String::from_utf8(body).expect("a CSV is UTF-8");
    assert_eq!(status, 200, "unexpected status; body: {text}");
    text.strip_prefix('\u{FEFF}')
        .unwrap_or_else(|| panic!("a CSV starts with the byte-order mark: {text:?}"))
        .to_string()
}

/// The text of an `.eml` file from the outbox as a person reads it: a message sent
/// quoted-printable (any line over 76 characters, such as a link under a long public base URL)
/// has its soft line breaks joined and its `=XX` escapes decoded.
pub fn mail_text(eml: &str) -> String {
    if !eml
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable")
    {
        return eml.to_string();
    }
    let joined = eml.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `id` of a record.
pub fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a record with an `id`: {v}"))
        .to_string()
}

/// The `items` of a list answer.
/// Panics when the answer is not a list answer, so "sees nothing" cannot pass on an error.
pub fn items(list: &Value) -> Vec<Value> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list answer with `items`: {list}"))
        .clone()
}

/// The item of a list answer with `record`'s id; panics, showing the list, when it is not there.
pub fn item_of(list: &Value, record: &Value) -> Value {
    items(list)
        .into_iter()
        .find(|i| i["id"] == record["id"])
        .unwrap_or_else(|| panic!("{} in {list}", record["id"]))
}

/// The ids of a list answer's items.
pub fn ids(list: &Value) -> Vec<String> {
    items(list).iter().map(id).collect()
}

/// An id no record has.
pub const NO_SUCH_ID: &str = "0191d3a0-0000-7000-8000-000000000000";

/// The error codes of a problem document, in order.
/// Panics when the document has no `errors` list or an error has no `code`: a problem
/// document always has both, so anything else is not the answer the test thinks it is.
pub fn codes(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a problem document with `errors`: {problem}"))
        .iter()
        .map(|e| {
            e["code"]
                .as_str()
                .unwrap_or_else(|| panic!("an error with a `code`: {e}"))
                .to_string()
        })
        .collect()
}

/// Polls `check` until it returns `Some`, or panics after `deadline`.
pub async fn poll<T, F, Fut>(deadline: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    loop {
        if let Some(t) = check().await {
            return t;
        }
        assert!(
            start.elapsed() < deadline,
            "condition not met within {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A small directory every test can build on.
pub struct Fixture {
    pub site: Value,
    pub department: Value,
    pub school: Value,
    pub other_school: Value,
    pub program: Value,
    pub student: Value,
}

pub async fn fixture(app: &TestApp, office: &Caller) -> Fixture {
    let site = app
        .create(
            office,
            "/api/v1/sites",
            &json!({ "name": "General Hospital" }),
        )
        .await;
    let department = app
        .create(
            office,
            "/api/v1/departments",
            &json!({ "site_id": site["id"], "name": "Radiology", "setting": "imaging", "capacity": 4,
                     "disciplines": ["radiography"] }),
        )
        .await;
    let school = app
        .create(
            office,
            "/api/v1/schools",
            &json!({ "name": "North College", "city": "Salem", "state": "MA" }),
        )
        .await;
    let other_school = app
        .create(
            office,
            "/api/v1/schools",
            &json!({ "name": "South College", "city": "Quincy", "state": "MA" }),
        )
        .await;
    let program = app
        .create(
            office,
            &format!("/api/v1/schools/{}/programs", school["id"].as_str().unwrap()),
            &json!({ "name": "AS Radiography", "discipline": "radiography", "degree_level": "associate",
                     "accredited_until": "2030-06-30" }),
        )
        .await;
    let student = app
        .create(
            office,
            "/api/v1/students",
            &json!({ "school_id": school["id"], "program_id": program["id"], "first_name": "Ana", "last_name": "Lopez",
                     "email": format!("ana-{}@north.edu", uuid::Uuid::now_v7().simple()) }),
        )
        .await;
    Fixture {
        site,
        department,
        school,
        other_school,
        program,
        student,
    }
}

/// Every role, signed in, linked to the fixture: the school coordinators of both schools, the
/// fixture's student, a preceptor and a department manager in the fixture's department, and a
/// faculty member of the fixture's school.
pub struct Cast {
    pub admin: Caller,
    pub office: Caller,
    pub school: Caller,
    pub other_school: Caller,
    pub student: Caller,
    pub preceptor: Caller,
    pub faculty: Caller,
    pub manager: Caller,
    pub preceptor_staff: Value,
    pub manager_staff: Value,
    pub f: Fixture,
}

impl Cast {
    /// The roles outside the education office, by name.
    pub fn outsiders(&self) -> Vec<(&'static str, &Caller)> {
        vec![
            ("school_coordinator", &self.school),
            ("student", &self.student),
            ("preceptor", &self.preceptor),
            ("faculty", &self.faculty),
            ("department_manager", &self.manager),
        ]
    }

    /// The education office: admin and coordinator.
    pub fn office_roles(&self) -> Vec<(&'static str, &Caller)> {
        vec![("admin", &self.admin), ("coordinator", &self.office)]
    }
}

pub async fn cast(app: &TestApp) -> Cast {
    let admin = app.admin().await;
    let office = app.coordinator().await;
    let f = fixture(app, &office).await;
    let preceptor_staff = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Pat Preceptor", "email": format!("pat-{}@h.test", uuid::Uuid::now_v7().simple()),
                     "department_id": f.department["id"], "discipline": "radiography", "is_preceptor": true,
                     "max_students": 2, "license_expires_on": "2029-01-01" }),
        )
        .await;
    let manager_staff = app
        .create(
            &office,
            "/api/v1/staff",
            &json!({ "name": "Mo Manager", "email": format!("mo-{}@h.test", uuid::Uuid::now_v7().simple()),
                     "department_id": f.department["id"] }),
        )
        .await;
    let school = app
        .user("school_coordinator", json!({ "school_id": f.school["id"] }))
        .await;
    let other_school = app
        .user(
            "school_coordinator",
            json!({ "school_id": f.other_school["id"] }),
        )
        .await;
    let student = app
        .user("student", json!({ "student_id": f.student["id"] }))
        .await;
    let preceptor = app
        .user("preceptor", json!({ "staff_id": preceptor_staff["id"] }))
        .await;
    let faculty = app
        .user("faculty", json!({ "school_id": f.school["id"] }))
        .await;
    let manager = app
        .user(
            "department_manager",
            json!({ "staff_id": manager_staff["id"] }),
        )
        .await;
    Cast {
        admin,
        office,
        school,
        other_school,
        student,
        preceptor,
        faculty,
        manager,
        preceptor_staff,
        manager_staff,
        f,
    }
}

/// A student's name as messages give it: "Ana Lopez".
pub fn full_name(student: &Value) -> String {
    format!(
        "{} {}",
        student["first_name"].as_str().unwrap_or(""),
        student["last_name"].as_str().unwrap_or("")
    )
}

/// Runs `sql` (binding `binds` as `$1`, `$2`, ...) through a connection of its own, outside
/// the server's pool and write count, as another process would; the rows it changed.
pub async fn another_process(app: &TestApp, sql: &str, binds: &[&str]) -> u64 {
    let other = practicum::db::Db::connect(&app.state.config.database_url(), 1)
        .await
        .expect("a second connection");
    let changed = match other.pool() {
        practicum::db::Pool::Sqlite(p) => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for b in binds {
                q = q.bind(*b);
            }
            q.execute(p).await.map(|r| r.rows_affected())
        }
        practicum::db::Pool::Postgres(p) => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for b in binds {
                q = q.bind(*b);
            }
            q.execute(p).await.map(|r| r.rows_affected())
        }
    }
    .expect("written");
    other.close().await;
    changed
}

/// The student's Tdap record, completed on 1 Dec 2026, sent by `who` with `file` named `name`
/// (`POST /api/v1/students/{id}/documents`); asserts 201 and answers the document.
pub async fn upload_tdap(
    app: &TestApp,
    who: &Caller,
    student_id: &str,
    file: &[u8],
    name: &str,
) -> Value {
    let form = reqwest::multipart::Form::new()
        .text("requirement_code", "tdap")
        .text("completed_on", "2026-12-01")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.to_vec()).file_name(name.to_string()),
        );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/students/{student_id}/documents")))
        .bearer_auth(&who.token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    expect_status(res, 201).await
}
