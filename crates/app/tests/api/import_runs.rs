//! A large import runs in the background with its progress shown live, and a checked file
//! that is never imported is not kept (issue 14 point 1). Over HTTP, on both databases.
use crate::db_test_with;
use crate::helpers::*;
use crate::rule_pages::{page, page_upload, post_form};
use std::time::Duration;

/// A students file of `n` rows for the fixture's school and program.
fn students(n: usize) -> Vec<u8> {
    let mut csv = String::from("First name,Last name,Email,School,Program\n");
    for i in 0..n {
        csv.push_str(&format!(
            "Kim,Row{i},kim.row{i}@north.edu,North College,AS Radiography\n"
        ));
    }
    csv.into_bytes()
}

/// The token of the checked file, from the preview page's import form.
fn token_of(html: &str) -> String {
    html.split(r#"name="token" value=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string()
}

db_test_with!(
    a_large_import_runs_in_the_background_with_its_progress,
    |c: &mut practicum::config::Config| c.import_background_rows = 5,
    |app| async move {
        let office = app.coordinator().await;
        fixture(&app, &office).await;
        let (status, html) = page_upload(
            &app,
            &office,
            "/imports/students",
            "/imports/students/preview",
            &[],
            students(40),
            "students.csv",
        )
        .await;
        assert_eq!(status, 200, "{html}");
        let token = token_of(&html);
        assert_eq!(token.len(), 64, "{html}");
        let (_, _, csrf) = page(&app, &office, "/imports/students").await;
        let res = app
            .client
            .post(app.url("/imports/students"))
            .header("cookie", format!("practicum_session={}", office.token))
            .header("origin", app.url(""))
            .form(&[("csrf_token", csrf.as_str()), ("token", token.as_str())])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 303);
        let run = res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(run.starts_with("/imports/students/runs/"), "{run}");
        // Its status, polled with a deadline, ends done with every step counted.
        let status_path = format!("{run}/status");
        let last = poll(Duration::from_secs(30), || async {
            let (status, body, _) = page(&app, &office, &status_path).await;
            assert_eq!(status, 200, "{body}");
            let v: serde_json::Value = serde_json::from_str(&body).ok()?;
            (v["status"] == "done").then_some(v)
        })
        .await;
        assert_eq!(last["progress"]["percent"], 100, "{last}");
        assert_eq!(last["progress"]["rows"], 40, "{last}");
        let (status, html, _) = page(&app, &office, &run).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Imported 40 rows: 40 created"), "{html}");
        assert_eq!(
            items(
                &app.get_ok(&office, "/api/v1/students?q=kim&limit=100")
                    .await
            )
            .len(),
            40
        );
        // Someone else does not see the run; the checked file is gone once imported.
        let other = app.coordinator().await;
        let (status, _, _) = page(&app, &other, &run).await;
        assert_eq!(status, 404);
        let (status, html) = post_form(
            &app,
            &office,
            "/imports/students",
            &[("csrf_token", csrf.as_str()), ("token", token.as_str())],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("no longer kept"), "{html}");
    }
);

db_test_with!(
    a_checked_file_never_imported_is_not_kept,
    |c: &mut practicum::config::Config| c.import_preview_ttl = Duration::ZERO,
    |app| async move {
        let office = app.coordinator().await;
        fixture(&app, &office).await;
        let (status, html) = page_upload(
            &app,
            &office,
            "/imports/students",
            "/imports/students/preview",
            &[],
            students(3),
            "students.csv",
        )
        .await;
        assert_eq!(status, 200, "{html}");
        let token = token_of(&html);
        let kept = app.state.config.data_dir.join("imports").join(&token);
        assert!(kept.exists());
        let removed = practicum::service::imports::previews::forget_stale(&app.state).await;
        assert_eq!(removed, 1);
        assert!(!kept.exists());
        let (_, _, csrf) = page(&app, &office, "/imports/students").await;
        let (status, html) = post_form(
            &app,
            &office,
            "/imports/students",
            &[("csrf_token", csrf.as_str()), ("token", token.as_str())],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("upload it again"), "{html}");
        assert!(
            items(&app.get_ok(&office, "/api/v1/students?q=kim").await).is_empty(),
            "nothing imported"
        );
    }
);
