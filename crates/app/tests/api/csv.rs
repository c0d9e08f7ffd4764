//! Every CSV the product serves, pages and API, opens right in Excel on Windows: UTF-8 with the
//! byte-order mark (EF BB BF) first, so "José" does not show as "JosÃ©"; formula-looking cells
//! stay defused.
use crate::db_test;
use crate::helpers::*;
use crate::planning::plan;
use crate::requests::{clinical, submit, world};
use serde_json::json;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The raw bytes of a download (no text decoding, which would drop the mark), after checking
/// it answered 200 as a CSV attachment.
async fn csv_bytes(app: &TestApp, who: &Caller, path: &str, cookie: bool) -> Vec<u8> {
    let req = app.client.get(app.url(path));
    let req = if cookie {
        req.header("cookie", format!("practicum_session={}", who.token))
    } else {
        req.bearer_auth(&who.token)
    };
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let disposition = res
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = res.bytes().await.expect("the body arrives").to_vec();
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    assert_eq!(ct, "text/csv; charset=utf-8", "{path}");
    assert!(
        disposition.starts_with("attachment;") && disposition.ends_with(".csv\""),
        "{path}: {disposition}"
    );
    body
}

/// The text after the mark, asserting the mark is there exactly once.
fn after_bom(path: &str, body: &[u8]) -> String {
    assert!(
        body.starts_with(BOM),
        "{path} starts with {:02X?}",
        &body[..body.len().min(8)]
    );
    let rest = &body[BOM.len()..];
    assert!(!rest.starts_with(BOM), "{path}: one mark, not two");
    String::from_utf8(rest.to_vec()).unwrap_or_else(|e| panic!("{path} is not UTF-8: {e}"))
}

db_test!(
    every_csv_download_starts_with_the_byte_order_mark,
    |app| async move {
        let w = world(&app, 4, 2).await;
        let admin = app.admin().await;
        // An accented name and a formula-looking one, to see both come through.
        let school = app
            .create(
                &w.office,
                "/api/v1/schools",
                &json!({ "name": "=HYPERLINK(\"http://evil.test\")", "city": "São José", "state": "CA" }),
            )
            .await;
        submit(&app, &w, &clinical(&w, &[&w.students[0]])).await;
        let run = plan(&app, &w, json!({})).await;
        assert_eq!(run["status"], "done", "{run}");

        let mut pages: Vec<String> = [
            "/schools",
            "/sites",
            "/departments",
            "/programs",
            "/agreements",
            "/students",
            "/staff",
            "/users",
            "/requests",
            "/placements",
            "/inquiries",
            "/documents",
            "/requirements",
            "/capacity",
            "/notifications",
        ]
        .iter()
        .map(|p| format!("{p}?format=csv"))
        .collect();
        pages.push(format!("/history/school/{}?format=csv", id(&school)));
        pages.push(format!("/planning/runs/{}?format=csv", id(&run)));
        pages.push("/reports?year=2027&format=csv".into());
        for path in &pages {
            let body = csv_bytes(&app, &admin, path, true).await;
            let text = after_bom(path, &body);
            assert!(text.ends_with("\r\n"), "{path}: {text}");
        }

        // The schools download keeps the accent as UTF-8 and the formula defused.
        let body = csv_bytes(&app, &admin, "/schools?format=csv", true).await;
        let text = after_bom("/schools", &body);
        assert!(
            text.lines()
                .any(|l| l.starts_with("\"'=HYPERLINK(\"\"http://evil.test\"\")\",São José,CA,")),
            "{text}"
        );

        // The API's report, for the office's coordinator and admin alike.
        for (_, who) in [("coordinator", &w.office), ("admin", &admin)] {
            let path = "/api/v1/reports/summary.csv?year=2027";
            let body = csv_bytes(&app, who, path, false).await;
            let text = after_bom(path, &body);
            assert!(
                text.starts_with("dimension,key,label,students\r\n"),
                "{text}"
            );
        }
    }
);
