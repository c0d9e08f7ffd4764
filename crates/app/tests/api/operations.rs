//! For the operations team (issue 13 point 7): `practicum backup` and `practicum restore` round
//! trip to byte-identical data on both databases and refuse what they must; a document whose
//! file is missing answers 404 `file_missing` and shows on the office home; `/healthz` and
//! `/readyz`; JSON log lines.
use crate::audit_chain::{cli, raw};
use crate::db_test;
use crate::helpers::*;
use crate::rule_pages::page;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const PDF: &[u8] = b"%PDF-1.4\n% a titer result\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n a scanned card";

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("practicum-{name}-{}", uuid::Uuid::now_v7()))
}

/// `practicum <args>` with no `--data-dir`/`--database` of the app's own.
async fn run(args: &[&str], path_env: Option<&str>) -> (i32, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_practicum"));
    cmd.args(args);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    let out = cmd.output().await.expect("run practicum");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// The paths whose answers must be the same after a round trip.
fn compared(student_id: &str) -> Vec<String> {
    [
        "/api/v1/sites",
        "/api/v1/departments",
        "/api/v1/schools",
        "/api/v1/programs",
        "/api/v1/students",
        "/api/v1/staff",
        "/api/v1/users",
        "/api/v1/placements",
        "/api/v1/requirements",
    ]
    .iter()
    .map(|p| format!("{p}?limit=500"))
    .chain([
        format!("/api/v1/students/{student_id}/documents"),
        format!("/api/v1/students/{student_id}/requirements"),
        "/api/v1/audit?limit=500".to_string(),
    ])
    .collect()
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest"))
        .expect("JSON")
}

db_test!(
    a_backup_restores_to_the_same_data_and_files,
    |app| async move {
        let c = cast(&app).await;
        let sid = id(&c.f.student);
        let d1 = upload_tdap(&app, &c.office, &sid, PDF, "titer.pdf").await;
        let d2 = upload_tdap(&app, &c.student, &sid, PNG, "card.png").await;
        let to = temp("backup");
        // Online: the server is running and answering.
        let (code, out, err) = cli(&app, &["backup", "--to", to.to_str().unwrap()]).await;
        assert_eq!(code, 0, "{out}{err}");
        let m = manifest(&to);
        assert_eq!(m["format"], "practicum-backup/1");
        let pg = app.state.config.database.is_some();
        assert_eq!(m["backend"], if pg { "postgres" } else { "sqlite" });
        let files = m["files"].as_array().unwrap();
        assert_eq!(files.len(), 3, "the database and two uploads: {m}");
        for f in files {
            let bytes = std::fs::read(to.join(f["path"].as_str().unwrap())).unwrap();
            assert_eq!(f["bytes"], bytes.len());
            assert_eq!(f["sha256"], practicum::files::sha256_hex(&bytes));
        }

        // Into a fresh data directory (and, on PostgreSQL, a fresh database).
        let dir = temp("restored");
        let mut args = vec![
            "restore".to_string(),
            "--from".into(),
            to.display().to_string(),
            "--data-dir".into(),
            dir.display().to_string(),
        ];
        let fresh_db = match &app.state.config.database {
            Some(url) => Some(fresh_pg_database(url).await),
            None => None,
        };
        if let Some(url) = &fresh_db {
            args.extend(["--database".to_string(), url.clone()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out) = run(&args, None).await;
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("every SHA-256 matched"), "{out}");

        let (d, db) = (dir.clone(), fresh_db.clone());
        let backend = if pg {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let restored = spawn_with(backend, move |config| {
            config.data_dir = d;
            config.database = db;
        })
        .await
        .expect("a server on the restored data");
        for path in compared(&sid) {
            assert_eq!(
                restored.get_ok(&c.admin, &path).await,
                app.get_ok(&c.admin, &path).await,
                "{path}"
            );
        }
        // The name search's index came along (SQLite's FTS5 index is keyed apart from the
        // rowids VACUUM INTO may renumber): the student is found by name on the restored store.
        let name = c.f.student["last_name"].as_str().expect("a last name");
        let search = format!(
            "/api/v1/students?{}",
            serde_urlencoded::to_string([("q", name)]).expect("a query string")
        );
        let found = ids(&restored.get_ok(&c.admin, &search).await);
        assert!(found.contains(&sid), "{search}: {found:?}");
        assert_eq!(found, ids(&app.get_ok(&c.admin, &search).await), "{search}");
        for (doc, bytes) in [(&d1, PDF), (&d2, PNG)] {
            let res = restored
                .get(&c.office, &format!("/api/v1/documents/{}/file", id(doc)))
                .await;
            assert_eq!(res.status(), 200);
            assert_eq!(res.bytes().await.unwrap().as_ref(), bytes, "byte-identical");
        }
        let (code, out, err) = cli(&restored, &["audit", "verify"]).await;
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains(m["audit_head"].as_str().unwrap()), "{out}");
        let _ = std::fs::remove_dir_all(&to);
        let _ = std::fs::remove_dir_all(&dir);
    }
);

db_test!(
    restore_refuses_a_changed_backup_or_a_used_target,
    |app| async move {
        let c = cast(&app).await;
        upload_tdap(&app, &c.office, &id(&c.f.student), PDF, "titer.pdf").await;
        let to = temp("backup");
        let (code, out, err) = cli(&app, &["backup", "--to", to.to_str().unwrap()]).await;
        assert_eq!(code, 0, "{out}{err}");
        // A backup never overwrites.
        let (code, out, err) = cli(&app, &["backup", "--to", to.to_str().unwrap()]).await;
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("is not empty"), "{err}");

        // Into the app's own, used, data directory (and database).
        let (code, out, err) = cli(&app, &["restore", "--from", to.to_str().unwrap()]).await;
        assert_eq!(code, 2, "{out}{err}");
        let said = if app.state.config.database.is_some() {
            "already holds files"
        } else {
            "is not empty"
        };
        assert!(err.contains(said), "{err}");
        if let Some(url) = &app.state.config.database {
            // The files directory empty, the database not.
            let dir = temp("restored");
            let (code, out) = run(
                &[
                    "restore",
                    "--from",
                    to.to_str().unwrap(),
                    "--data-dir",
                    dir.to_str().unwrap(),
                    "--database",
                    url,
                ],
                None,
            )
            .await;
            assert_eq!(code, 2, "{out}");
            assert!(
                out.contains("table(s): restore into an empty database"),
                "{out}"
            );
        }

        // A changed file is named, and nothing is written.
        let m = manifest(&to);
        let upload = m["files"][1]["path"].as_str().unwrap().to_string();
        assert!(upload.starts_with("files/"), "{upload}");
        let mut bytes = std::fs::read(to.join(&upload)).unwrap();
        bytes.push(b'!');
        std::fs::write(to.join(&upload), bytes).unwrap();
        let dir = temp("restored");
        let mut args = vec![
            "restore",
            "--from",
            to.to_str().unwrap(),
            "--data-dir",
            dir.to_str().unwrap(),
        ];
        let fresh = match &app.state.config.database {
            Some(url) => Some(fresh_pg_database(url).await),
            None => None,
        };
        if let Some(url) = &fresh {
            args.extend(["--database", url.as_str()]);
        }
        let (code, out) = run(&args, None).await;
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains(&format!("{upload} does not match the manifest")),
            "{out}"
        );
        assert!(!dir.exists(), "nothing was written");
        let _ = std::fs::remove_dir_all(&to);
    }
);

db_test!(
    backup_of_postgres_without_pg_dump_says_so,
    |app| async move {
        let to = temp("backup");
        let (code, out) = {
            let mut args = vec!["backup", "--to", to.to_str().unwrap()];
            let dir = app.state.config.data_dir.display().to_string();
            let url = app.state.config.database.clone().unwrap_or_default();
            args.extend(["--data-dir", dir.as_str()]);
            if !url.is_empty() {
                args.extend(["--database", url.as_str()]);
            }
            run(&args, Some("")).await
        };
        if app.state.config.database.is_some() {
            assert_eq!(code, 2, "{out}");
            assert!(out.contains("pg_dump is not installed"), "{out}");
        } else {
            // SQLite needs no other program.
            assert_eq!(code, 0, "{out}");
        }
        let _ = std::fs::remove_dir_all(&to);
    }
);

db_test!(
    a_document_whose_file_is_missing_answers_404_and_shows_as_damaged,
    |app| async move {
        let c = cast(&app).await;
        let sid = id(&c.f.student);
        let kept = upload_tdap(&app, &c.office, &sid, PDF, "kept.pdf").await;
        let lost = upload_tdap(&app, &c.office, &sid, PNG, "lost-card.png").await;
        let (status, html, _) = page(&app, &c.office, "/").await;
        assert_eq!(status, 200);
        assert!(!html.contains("Documents with a missing file"), "none yet");
        let sha = practicum::files::sha256_hex(PNG);
        let path = app.state.config.files_dir().join(&sha[..2]).join(&sha);
        std::fs::remove_file(&path).expect("the stored file");

        for who in [&c.office, &c.student] {
            let res = app
                .get(who, &format!("/api/v1/documents/{}/file", id(&lost)))
                .await;
            expect_problem(res, 404, &["file_missing"]).await;
        }
        let res = app
            .get(&c.office, &format!("/api/v1/documents/{}/file", id(&kept)))
            .await;
        assert_eq!(res.status(), 200);
        let (status, _, _) = page(
            &app,
            &c.office,
            &format!("/documents/{}/preview", id(&lost)),
        )
        .await;
        assert_eq!(status, 404, "the review page's preview too");

        let (status, html, _) = page(&app, &c.office, "/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Documents with a missing file"), "{html}");
        assert!(html.contains("documents with a missing file"), "the tile");
        assert!(html.contains("lost-card.png"), "{html}");
        assert!(html.contains("Tdap"), "the requirement by its name: {html}");
        assert!(!html.contains("tdap"), "not by its code: {html}");
        assert!(!html.contains("kept.pdf"), "only the damaged one");
    }
);

db_test!(health_and_readiness, |app| async move {
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(res.text().await.unwrap(), "ok\n");
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ready\n");
    // A migration the database has not seen: not ready, and /healthz still answers.
    raw(&app, &["DELETE FROM _sqlx_migrations WHERE version = 13"])
        .await
        .expect("forget a migration");
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let text = res.text().await.unwrap();
    assert!(text.contains("migrations not applied: 13"), "{text}");
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
});

db_test!(json_logs_carry_sign_ins_without_secrets, |app| async move {
    // A second server, the real binary, on the same database, logging JSON lines.
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_practicum"));
    cmd.args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--log-format",
        "json",
        "--data-dir",
    ])
    .arg(&app.state.config.data_dir)
    .env("RUST_LOG", "info")
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .kill_on_drop(true);
    if let Some(url) = &app.state.config.database {
        cmd.arg("--database").arg(url);
    }
    let admin = app.admin().await;
    let email = admin.user["email"].as_str().unwrap().to_string();
    let mut child = cmd.spawn().expect("serve");
    use tokio::io::AsyncBufReadExt;
    let mut stdout = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(std::time::Duration::from_secs(60), stdout.next_line())
        .await
        .expect("the server starts")
        .unwrap()
        .unwrap();
    let base = first
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .map(|a| format!("http://{a}"))
        .unwrap_or_else(|| panic!("{first}"));
    let post = |body: Value| {
        app.client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&body)
            .send()
    };
    assert_eq!(
        post(json!({ "email": email, "password": "Wrong-Secret-1" }))
            .await
            .unwrap()
            .status(),
        401
    );
    let ok = post(json!({ "email": email, "password": DEMO_PASSWORD }))
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let token = ok.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    child.start_kill().expect("stop the server we started");
    let out = child.wait_with_output().await.unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let said = |m: &str| lines.iter().find(|l| l["message"] == m).cloned();
    let refused = said("sign-in refused").unwrap_or_else(|| panic!("{log}"));
    assert_eq!(refused["email"], email.as_str());
    assert_eq!(refused["ip"], "127.0.0.1");
    assert!(said("signed in").is_some(), "{log}");
    for secret in ["Wrong-Secret-1", DEMO_PASSWORD, token.as_str()] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
});
