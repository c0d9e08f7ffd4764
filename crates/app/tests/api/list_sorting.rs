//! Lists sort by column (issue 14 point 4): a header link sorts ascending, a second click
//! descending, the CSV keeps the order, pages follow each other without gaps or repeats, and
//! an unknown key falls back to creation order. Over HTTP, on both databases.
use crate::db_test;
use crate::helpers::*;
use crate::rules_world::{page, page_login};
use serde_json::json;

/// The first column of a CSV export, header left out.
fn first_column(csv: &str) -> Vec<String> {
    csv.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| match l.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or("").to_string(),
            None => l.split(',').next().unwrap_or("").to_string(),
        })
        .collect()
}

db_test!(
    lists_sort_by_column_both_ways_and_page_in_that_order,
    |app| async move {
        let office = app.coordinator().await;
        let f = fixture(&app, &office).await;
        // Made in an order that is neither alphabetical nor reversed.
        for (first, last) in [
            ("Zoe", "Mills"),
            ("Amy", "Baker"),
            ("Kai", "Young"),
            ("Lea", "Diaz"),
        ] {
            app.create(
            &office,
            "/api/v1/students",
            &json!({ "school_id": f.school["id"], "program_id": f.program["id"], "first_name": first,
                     "last_name": last, "email": format!("{}@north.edu", first.to_lowercase()) }),
        )
        .await;
        }
        let cookie = page_login(&app, &office).await;
        let names = |csv: String| first_column(&csv);
        let get_csv = |path: String| {
            let app = &app;
            let cookie = cookie.clone();
            async move {
                let res = app
                    .client
                    .get(app.url(&path))
                    .header("cookie", cookie)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(res.status(), 200, "{path}");
                res.text().await.expect("csv")
            }
        };
        let up = names(get_csv("/students?sort=name&format=csv".into()).await);
        assert_eq!(
            up,
            [
                "Baker, Amy",
                "Diaz, Lea",
                "Lopez, Ana",
                "Mills, Zoe",
                "Young, Kai"
            ],
            "by last name"
        );
        let down = names(get_csv("/students?sort=name&dir=desc&format=csv".into()).await);
        let mut reversed = up.clone();
        reversed.reverse();
        assert_eq!(down, reversed);
        // By email, and an unknown key: creation order (the fixture's student first).
        let by_email = names(get_csv("/students?sort=email&format=csv".into()).await);
        assert_eq!(by_email[0], "Baker, Amy");
        let unknown = names(get_csv("/students?sort=nonsense&format=csv".into()).await);
        assert_eq!(unknown[0], "Lopez, Ana");

        // The page: the header links sort, the current column says so, and two pages of 2 and
        // one of 1 follow each other in order.
        let (status, html) = page(&app, &cookie, "/students?sort=name&limit=2").await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(r#"aria-sort="ascending""#), "{html}");
        assert!(html.contains("sort=name&#38;dir=desc"), "{html}");
        let mut seen = vec![];
        let mut path = "/students?sort=name&limit=2".to_string();
        for _ in 0..5 {
            let (status, html) = page(&app, &cookie, &path).await;
            assert_eq!(status, 200);
            for n in &up {
                if html.contains(&format!(">{n}</a>")) {
                    seen.push(n.clone());
                }
            }
            let next = html
                .split("\" rel=\"next\"")
                .next()
                .filter(|before| before.len() < html.len())
                .and_then(|before| before.rsplit("href=\"").next())
                .map(|href| href.replace("&#38;", "&").replace("&amp;", "&"));
            match next {
                Some(href) => {
                    assert!(href.contains("cursor=o%3A"), "{href}");
                    path = href;
                }
                None => break,
            }
        }
        seen.dedup();
        assert_eq!(seen, up, "pages in order, none twice, none left out");

        // Other lists: schools by name descending, departments by capacity, placements by period.
        let schools = names(get_csv("/schools?sort=name&dir=desc&format=csv".into()).await);
        assert_eq!(schools, ["South College", "North College"]);
        app.create(
        &office,
        "/api/v1/departments",
        &json!({ "site_id": f.site["id"], "name": "Emergency", "setting": "emergency", "capacity": 9,
                 "disciplines": ["radiography"] }),
    )
    .await;
        let depts = names(get_csv("/departments?sort=capacity&dir=desc&format=csv".into()).await);
        assert_eq!(depts, ["Emergency", "Radiology"]);
        // Every key of every list is valid SQL on this database, both ways.
        let keys: &[(&str, &[&str])] = &[
            (
                "/placements",
                &[
                    "student",
                    "school",
                    "department",
                    "supervisor",
                    "period",
                    "status",
                ],
            ),
            (
                "/students",
                &[
                    "name",
                    "email",
                    "school",
                    "program",
                    "enrollment",
                    "graduation",
                ],
            ),
            (
                "/staff",
                &["name", "department", "discipline", "students", "licence"],
            ),
            ("/agreements", &["school", "status", "effective", "expires"]),
            (
                "/programs",
                &[
                    "name",
                    "school",
                    "discipline",
                    "degree",
                    "accreditor",
                    "accredited",
                ],
            ),
            ("/departments", &["name", "site", "setting", "capacity"]),
            ("/schools", &["name", "city", "state"]),
            ("/users", &["name", "email", "role", "created"]),
            ("/sites", &["name"]),
        ];
        let admin = page_login(&app, &app.admin().await).await;
        for (list, list_keys) in keys {
            let who = if *list == "/users" { &admin } else { &cookie };
            for key in *list_keys {
                for dir in ["asc", "desc"] {
                    let path = format!("{list}?sort={key}&dir={dir}");
                    let (status, html) = page(&app, who, &path).await;
                    assert_eq!(status, 200, "{path}: {html}");
                }
            }
        }
    }
);
