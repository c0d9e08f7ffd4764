//! Every link a page draws leads somewhere that answers. For each demo role, a crawl starts at
//! the home page and follows every same-origin link of every HTML page it reaches (the
//! downloads too: CSV, XLSX, PDF, iCalendar) and asks for every form's action, and fails,
//! naming every one at once, on a link that answers 404 (a page that is not there), 403 (a link shown to someone it refuses) or
//! any 5xx. Pages that differ only in the record they show are visited a few times each, not
//! once per record: the demo has hundreds of students.
use crate::db_test;
use crate::helpers::*;
use practicum::seed::{DEMO_USERS, seed_demo};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// How many different addresses of one shape (see [`shape`]) a crawl visits.
const PER_SHAPE: usize = 2;
/// A role's crawl stops after this many requests; it reaches far fewer in the demo.
const MOST_REQUESTS: usize = 1_500;

/// An address's shape: record ids and numbers in the path become `{}`, and the query keeps its
/// keys (and the `format` asked for, each download being its own page) but not their values.
/// `/students/0190…/documents?format=csv&sort=name` → `/students/{}/documents?format=csv&sort`.
fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|seg| {
            if seg.chars().any(|c| c.is_ascii_digit()) {
                "{}"
            } else {
                seg
            }
        })
        .collect();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == "format" {
            keys.insert(format!("format={v}"));
        } else {
            keys.insert(k.to_string());
        }
    }
    let keys: Vec<String> = keys.into_iter().collect();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// The same-origin links of an HTML page: every `href="/…"` (not `//host`), entities undone,
/// the fragment dropped.
fn links(html: &str) -> Vec<String> {
    attribute_paths(html, "href=\"")
}

/// Where the page's forms send what is filled in (`action="/…"`), for the same check: a form
/// whose address answers 404 cannot be sent.
fn form_actions(html: &str) -> Vec<String> {
    attribute_paths(html, "action=\"")
}

/// The same-origin addresses in one attribute (`href="` or `action="`) across a page.
fn attribute_paths(html: &str, attribute: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(attribute) {
        rest = &rest[at + attribute.len()..];
        let Some(end) = rest.find('"') else { break };
        let raw = &rest[..end];
        rest = &rest[end..];
        if !raw.starts_with('/') || raw.starts_with("//") {
            continue;
        }
        let url = unescape(raw);
        let url = url.split('#').next().unwrap_or_default().to_string();
        if !url.is_empty() {
            out.push(url);
        }
    }
    out
}

/// An attribute's text with its character references undone (askama writes `&` as `&#38;`).
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|e| *e <= 8) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn a_shape_keeps_the_page_and_forgets_the_record() {
    assert_eq!(
        shape("/students/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/documents?format=csv&sort=name"),
        "/students/{}/documents?format=csv&sort"
    );
    assert_eq!(shape("/placements"), "/placements?");
    assert_eq!(
        shape("/schedule?month=2026-12"),
        shape("/schedule?month=2027-01")
    );
    assert_eq!(
        links(
            r#"<a href="/a?x=1&amp;y=2#top">a</a> <a href="/c?f=1&#38;format=csv">c</a> <a href="https://x.example/">b</a> <link href="//cdn/x.css"> <a href="/b">"#
        ),
        vec!["/a?x=1&y=2", "/c?f=1&format=csv", "/b"]
    );
}

/// One role's crawl: the shapes it reached and the links that failed, as "status address
/// (linked from page)".
async fn crawl(app: &TestApp, who: &Caller) -> (BTreeSet<String>, Vec<String>) {
    // (address, the page that links it, whether it is a form's action).
    let mut queue: VecDeque<(String, String, bool)> =
        VecDeque::from([("/".to_string(), "sign-in".to_string(), false)]);
    // An address asked as a page and as a form's action is asked both ways.
    let mut seen: BTreeSet<(String, bool)> = BTreeSet::new();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut requests = 0;
    while let Some((url, from, action)) = queue.pop_front() {
        if !seen.insert((url.clone(), action)) {
            continue;
        }
        let kind = if action { "form " } else { "" };
        let count = per_shape
            .entry(format!("{kind}{}", shape(&url)))
            .or_default();
        if *count >= PER_SHAPE {
            continue;
        }
        *count += 1;
        requests += 1;
        if requests > MOST_REQUESTS {
            failures.push(format!("the crawl stopped after {MOST_REQUESTS} requests"));
            break;
        }
        // A form's address is asked with a method no route takes: one that exists answers
        // 405, one that does not 404. (A GET would fetch what the address also serves, such
        // as the file an upload form replaces, which may rightly be absent.)
        let method = if action {
            reqwest::Method::from_bytes(b"PROBE").expect("a method name")
        } else {
            reqwest::Method::GET
        };
        // As a browser asks: the session cookie (pages do not take the API's bearer token).
        let res = app
            .client
            .request(method, app.url(&url))
            .header("cookie", format!("practicum_session={}", who.token))
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        if action {
            if status != 405 {
                failures.push(format!(
                    "{status} {url} (a form's action on {from}): no such address"
                ));
            }
            continue;
        }
        if status == 404 || status == 403 || status >= 500 {
            let body = res.text().await.unwrap_or_default();
            failures.push(format!(
                "{status} {url} (linked from {from}): {}",
                body.chars().take(300).collect::<String>()
            ));
            continue;
        }
        if res.status().is_redirection() {
            if let Some(to) = res
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .filter(|l| l.starts_with('/') && !l.starts_with("//"))
            {
                queue.push_back((to.to_string(), url.clone(), false));
            }
            continue;
        }
        let html = res
            .headers()
            .get("content-type")
            .and_then(|c| c.to_str().ok())
            .is_some_and(|c| c.starts_with("text/html"));
        if !html {
            continue;
        }
        let text = res.text().await.unwrap_or_default();
        let found = links(&text).into_iter().map(|l| (l, false));
        let actions = form_actions(&text).into_iter().map(|l| (l, true));
        for (link, action) in found.chain(actions) {
            // Static assets are the binary's own; the sign-out and single sign-on starts
            // would end this session or leave for a provider.
            if link.starts_with("/static/") || link.starts_with("/sso/") || link == "/logout" {
                continue;
            }
            if !seen.contains(&(link.clone(), action)) {
                queue.push_back((link, url.clone(), action));
            }
        }
    }
    (per_shape.into_keys().collect(), failures)
}

db_test!(
    every_link_on_every_page_leads_somewhere_for_every_role,
    |app| async move {
        seed_demo(&app.state).await.expect("the demo loads");
        // The form check tells an address that exists from one that does not.
        let probe = reqwest::Method::from_bytes(b"PROBE").expect("a method name");
        for (path, status) in [("/logout", 405), ("/no/such/form", 404)] {
            let res = app
                .client
                .request(probe.clone(), app.url(path))
                .send()
                .await;
            assert_eq!(res.expect("request").status().as_u16(), status, "{path}");
        }
        // The demo holds no uploaded file: the student sends one, so the review queue, the
        // document's page, its file and its preview are crawled too.
        let (_, student_email) = DEMO_USERS
            .iter()
            .find(|(role, _)| *role == "student")
            .expect("a demo student");
        let student = app.login(student_email, DEMO_PASSWORD).await;
        let me = app.get_ok(&student, "/api/v1/me").await;
        let student_id = me["student_id"]
            .as_str()
            .expect("the demo student's record");
        let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        upload_tdap(&app, &student, student_id, pdf, "tdap.pdf").await;
        let mut failures = Vec::new();
        let mut reached: BTreeMap<&str, usize> = BTreeMap::new();
        for (role, email) in DEMO_USERS {
            let who = app.login(email, DEMO_PASSWORD).await;
            let (shapes, failed) = crawl(&app, &who).await;
            reached.insert(
                role,
                shapes.iter().filter(|s| !s.starts_with("form ")).count(),
            );
            failures.extend(failed.into_iter().map(|f| format!("{role}: {f}")));
        }
        assert!(
            failures.is_empty(),
            "{} links fail:\n{}",
            failures.len(),
            failures.join("\n")
        );
        // The crawl reached the pages, so its silence means something: every role has more
        // than its navigation, the office far more.
        for (role, n) in &reached {
            assert!(
                *n >= 8,
                "{role} reached only {n} kinds of page: {reached:?}"
            );
        }
        assert!(reached["coordinator"] >= 60, "{reached:?}");
        eprintln!("kinds of page reached: {reached:?}");
    }
);
