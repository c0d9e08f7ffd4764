//! Search finds people however their names were typed: apostrophe forms (’ ‘ ʼ ` ´), accents
//! (precomposed or combining), case and quotation-mark forms, in every list that takes `q`,
//! on its API and on its page, on both databases; rows written before the search column
//! existed are found once the store has migrated.
use crate::db_test;
use crate::helpers::*;
use serde_json::{Value, json};

/// The ids a list answers for `q` (URL-encoded here, as a browser would send it).
async fn found(app: &TestApp, who: &Caller, list: &str, q: &str) -> Vec<String> {
    let query = serde_urlencoded::to_string([("q", q)]).expect("a query string");
    let mut got: Vec<String> = app
        .all_pages(who, &format!("{list}?{query}"), 500)
        .await
        .iter()
        .map(id)
        .collect();
    got.sort();
    got
}

fn sorted(records: &[&Value]) -> Vec<String> {
    let mut v: Vec<String> = records.iter().map(|r| id(r)).collect();
    v.sort();
    v
}

fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@test.example", uuid::Uuid::now_v7().simple())
}

/// Every way people type the apostrophe in O'Brien.
const O_BRIEN: [&str; 11] = [
    "O'Brien",        // typewriter
    "O\u{2019}Brien", // right single quotation mark, as phones and word processors type it
    "O\u{2018}Brien", // left single quotation mark
    "O\u{02BC}Brien", // modifier letter apostrophe
    "O`Brien",        // backtick
    "O\u{00B4}Brien", // acute accent
    "O\u{FF07}Brien", // fullwidth apostrophe
    "OBrien",
    "obrien",
    "O'BRIEN",
    "o\u{2019}brien",
];

db_test!(
    students_are_found_by_every_apostrophe_accent_case_and_quote_form,
    |app| async move {
        let c = cast(&app).await;
        let student = |first: &str, last: &str| {
            json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"], "first_name": first,
                    "last_name": last, "email": unique_email("s") })
        };
        let add = |body: Value| {
            let app = &app;
            let office = &c.office;
            async move { app.create(office, "/api/v1/students", &body).await }
        };
        // Entered with the typographic apostrophe, and with the typewriter one.
        let siobhan = add(student("Siobhán", "O\u{2019}Brien")).await;
        let liam = add(student("Liam", "O'Brien")).await;
        // One name, precomposed, decomposed (combining marks, as macOS sends it) and plain.
        let precomposed = add(student("José", "Müller")).await;
        let decomposed = add(student("Jose\u{0301}", "Mu\u{0308}ller")).await;
        let plain = add(student("JOSE", "MULLER")).await;
        // Nicknames in quotes, typed both ways.
        let bobby = add(student("Robert \u{201C}Bobby\u{201D}", "Tables")).await;
        let rob = add(student("Roberta \"Bobby\"", "Fields")).await;
        // Near misses, found by none of the above.
        let decoys = [
            add(student("Bryan", "Obi")).await,
            add(student("Josefina", "Mullins")).await,
        ];

        let list = "/api/v1/students";
        for q in O_BRIEN {
            assert_eq!(
                found(&app, &c.office, list, q).await,
                sorted(&[&siobhan, &liam]),
                "q={q:?}"
            );
        }
        for q in [
            "José Müller",
            "jose muller",
            "JOSÉ MÜLLER",
            "Jose\u{0301} Mu\u{0308}ller",
            "JOSE MULLER",
        ] {
            assert_eq!(
                found(&app, &c.office, list, q).await,
                sorted(&[&precomposed, &decomposed, &plain]),
                "q={q:?}"
            );
        }
        // An accent typed where the name has none is folded too.
        assert_eq!(
            found(&app, &c.office, list, "Siobhan").await,
            sorted(&[&siobhan])
        );
        assert_eq!(
            found(&app, &c.office, list, "SIOBHÁN O’BRIEN").await,
            sorted(&[&siobhan])
        );
        for q in [
            "\"Bobby\"",
            "\u{201C}Bobby\u{201D}",
            "\u{00AB}Bobby\u{00BB}",
            "'Bobby'",
            "\u{201E}bobby\u{201C}",
            "BOBBY",
        ] {
            assert_eq!(
                found(&app, &c.office, list, q).await,
                sorted(&[&bobby, &rob]),
                "q={q:?}"
            );
        }
        // Folding does not make everything match.
        for q in ["O'Brian", "Josh", "Bobbie", "O Brien"] {
            assert_eq!(
                found(&app, &c.office, list, q).await,
                Vec::<String>::new(),
                "q={q:?}"
            );
        }
        assert_eq!(
            found(&app, &c.office, list, "obi").await,
            sorted(&[&decoys[0]])
        );
        // A school sees its own students the same way.
        assert_eq!(
            found(&app, &c.school, list, "O'Brien").await,
            sorted(&[&siobhan, &liam])
        );
        // The e-mail address is searched as before.
        let email = siobhan["email"].as_str().expect("an email").to_uppercase();
        assert_eq!(
            found(&app, &c.office, list, &email).await,
            sorted(&[&siobhan])
        );
        // And a change of name is found under the new name only.
        let path = format!("/api/v1/students/{}", id(&liam));
        expect_status(
            app.patch(&c.office, &path, &json!({ "last_name": "Ó Briain" }))
                .await,
            200,
        )
        .await;
        assert_eq!(
            found(&app, &c.office, list, "O'Brien").await,
            sorted(&[&siobhan])
        );
        assert_eq!(
            found(&app, &c.office, list, "o briain").await,
            sorted(&[&liam])
        );
    }
);

/// One record named `name` in each list that takes `q` (besides students), and the list.
async fn one_of_each(app: &TestApp, c: &Cast, name: &str) -> Vec<(String, Value)> {
    let office = &c.office;
    let site = app
        .create(office, "/api/v1/sites", &json!({ "name": name }))
        .await;
    let department = app
        .create(
            office,
            "/api/v1/departments",
            &json!({ "site_id": site["id"], "name": name, "setting": "inpatient", "capacity": 1,
                     "disciplines": ["radiography"] }),
        )
        .await;
    let school = app
        .create(
            office,
            "/api/v1/schools",
            &json!({ "name": name, "city": "Cork", "state": "MA" }),
        )
        .await;
    let program = app
        .create(
            office,
            &format!("/api/v1/schools/{}/programs", id(&school)),
            &json!({ "name": name, "discipline": "radiography", "degree_level": "associate" }),
        )
        .await;
    let staff = app
        .create(
            office,
            "/api/v1/staff",
            &json!({ "name": name, "email": unique_email("staff"), "department_id": c.f.department["id"] }),
        )
        .await;
    let user = app
        .create(
            &c.admin,
            "/api/v1/users",
            &json!({ "name": name, "email": unique_email("user"), "role": "coordinator",
                     "password": DEMO_PASSWORD }),
        )
        .await;
    vec![
        ("/api/v1/sites".into(), site),
        ("/api/v1/departments".into(), department),
        ("/api/v1/schools".into(), school),
        ("/api/v1/programs".into(), program),
        ("/api/v1/staff".into(), staff),
        ("/api/v1/users".into(), user),
    ]
}

db_test!(
    every_list_with_a_search_folds_names_the_same_way,
    |app| async move {
        let c = cast(&app).await;
        let records = one_of_each(&app, &c, "Siobhán O\u{2019}Brien-Müller").await;
        let decoys = one_of_each(&app, &c, "Sinéad Obi-Mullins").await;
        let typed = [
            "O'Brien",
            "o\u{2018}brien",
            "O\u{02BC}BRIEN",
            "O`Brien",
            "O\u{00B4}Brien",
            "obrien-muller",
            "SIOBHAN",
            "Mu\u{0308}ller",
            "MÜLLER",
            "siobhán o'brien",
        ];
        for (list, record) in &records {
            for q in typed {
                assert_eq!(
                    found(&app, &c.admin, list, q).await,
                    [id(record)],
                    "{list} q={q:?}"
                );
            }
            assert_eq!(
                found(&app, &c.admin, list, "obi-mull").await.len(),
                1,
                "{list}: the decoy, by its own name"
            );
            assert!(found(&app, &c.admin, list, "O'Brian").await.is_empty());
        }
        assert_eq!(records.len(), decoys.len());
    }
);

db_test!(list_pages_search_the_same_way, |app| async move {
    let c = cast(&app).await;
    let name = "O\u{2019}Brien";
    one_of_each(&app, &c, &format!("Siobhán {name}")).await;
    one_of_each(&app, &c, "Sinéad Obi").await;
    app.create(
            &c.office,
            "/api/v1/students",
            &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"], "first_name": "Siobhán",
                     "last_name": "O\u{2019}Brien", "email": unique_email("s") }),
        )
        .await;
    for page in [
        "/students",
        "/staff",
        "/schools",
        "/sites",
        "/departments",
        "/programs",
        "/users",
    ] {
        for q in ["O'Brien", "siobhan obrien", "O`BRIEN"] {
            let query = serde_urlencoded::to_string([("q", q)]).expect("a query string");
            let html = expect_page(
                app.client
                    .get(app.url(&format!("{page}?{query}")))
                    .header("cookie", format!("practicum_session={}", c.admin.token))
                    .send()
                    .await
                    .expect("request"),
                200,
            )
            .await;
            // The filters' own options name every school; the table holds the rows found.
            let table = html
                .split_once("<table>")
                .and_then(|(_, t)| t.split_once("</table>"))
                .map(|(t, _)| t)
                .unwrap_or_else(|| panic!("{page} q={q:?} shows a table: {html}"));
            assert!(html.contains("1 shown"), "{page} q={q:?}: {html}");
            assert!(table.contains(name), "{page} q={q:?}: {table}");
            assert!(!table.contains("Obi"), "{page} q={q:?}: {table}");
        }
    }
});

/// Empties every row's search column and the students' word suffixes, as the migrations that
/// add them (0008 and 0037) leave the rows written before them.
async fn forget_search_columns(app: &TestApp) {
    let tables = practicum::db::search::Searchable::ALL.map(|t| t.table());
    let sql = tables
        .iter()
        .map(|t| format!("UPDATE {t} SET search = NULL"))
        .chain(["DELETE FROM students_search_suffixes".to_string()]);
    run_sql(app, sql).await;
}

/// Runs each statement on the test's store, outside the server's own writes.
async fn run_sql(app: &TestApp, statements: impl IntoIterator<Item = String>) {
    for sql in statements {
        match app.state.db.pool() {
            practicum::db::Pool::Sqlite(p) => {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(p)
                    .await
                    .expect("update");
            }
            practicum::db::Pool::Postgres(p) => {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(p)
                    .await
                    .expect("update");
            }
        }
    }
}

db_test!(
    rows_written_before_the_search_column_are_found_after_migrating,
    |app| async move {
        let c = cast(&app).await;
        let records = one_of_each(&app, &c, "Siobhán O\u{2019}Brien").await;
        let student = app
            .create(
                &c.office,
                "/api/v1/students",
                &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"], "first_name": "Siobhán",
                         "last_name": "O\u{2019}Brien", "email": unique_email("s") }),
            )
            .await;
        let mut all = records.clone();
        all.push(("/api/v1/students".into(), student));
        forget_search_columns(&app).await;
        for (list, _) in &all {
            assert!(
                found(&app, &c.admin, list, "O'Brien").await.is_empty(),
                "{list}: the lists read the search column"
            );
        }
        // What start-up and `practicum migrate` run: the migrations, then the backfill.
        app.state.db.migrate().await.expect("migrates");
        for (list, record) in &all {
            assert_eq!(
                found(&app, &c.admin, list, "O'Brien").await,
                [id(record)],
                "{list}"
            );
        }
        // Idempotent: nothing is left to fill, and running it again changes nothing.
        let mut tx = app.state.db.write().await.expect("a transaction");
        let written = practicum::db::search::backfill(&mut tx)
            .await
            .expect("backfills");
        tx.commit().await.expect("commits");
        assert_eq!(written, 0);
        app.state.db.migrate().await.expect("migrates again");
        for (list, record) in &all {
            assert_eq!(
                found(&app, &c.admin, list, "obrien").await,
                [id(record)],
                "{list}"
            );
        }
    }
);

db_test!(
    rare_and_common_names_are_found_alike_renamed_and_paged,
    |app| async move {
        // More students share the surname than the trigram index is asked for
        // (`db::students` takes at most 500 from it, then walks the list), so the common name
        // takes the walk and the rare ones the index; both must answer the same as a scan.
        let c = cast(&app).await;
        let mut names: Vec<(String, String)> = Vec::new();
        for i in 0..105 {
            let first = format!("Qx{i}");
            let body = json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"],
                "first_name": first, "last_name": "Zawadzka", "email": format!("qx{i}.z@search.test") });
            let s = app.create(&c.office, "/api/v1/students", &body).await;
            names.push((id(&s), format!("qx{i} zawadzka qx{i}.z@search.test")));
        }
        let under = app
            .create(
                &c.office,
                "/api/v1/students",
                &json!({ "school_id": c.f.school["id"],
                "program_id": c.f.program["id"], "first_name": "Una", "last_name": "Under_Score",
                "email": "una@search.test" }),
            )
            .await;
        names.push((id(&under), "una under_score una@search.test".into()));
        // 400 more of the surname, imported at once: 505 in all.
        let mut csv = String::from("First name,Last name,Email,School,Program\n");
        for i in 0..400 {
            csv += &format!(
                "Im{i},Zawadzka,im{i}.z@search.test,{},{}\n",
                c.f.school["name"].as_str().expect("a school name"),
                c.f.program["name"].as_str().expect("a program name")
            );
        }
        expect_status(
            app.upload(
                &c.office,
                "/api/v1/imports/students",
                "s.csv",
                csv.into_bytes(),
            )
            .await,
            200,
        )
        .await;
        for s in app.all_pages(&c.office, "/api/v1/students", 500).await {
            let email = s["email"].as_str().expect("an email");
            if let Some(n) = email
                .strip_prefix("im")
                .and_then(|e| e.strip_suffix(".z@search.test"))
            {
                names.push((id(&s), format!("im{n} zawadzka {email}")));
            }
        }
        // What a scan finds: the folded needle anywhere in the searched text.
        let expect = |needle: &str| {
            let mut v: Vec<String> = names
                .iter()
                .filter(|(_, text)| text.contains(needle))
                .map(|(id, _)| id.clone())
                .collect();
            v.sort();
            v
        };
        let list = "/api/v1/students";
        for (q, needle) in [
            ("Zawadzka", "zawadzka"), // 505 matches: more than the index is asked for
            ("im1", "im1"),           // 111 (im1, im10-19, im100-199): the index's
            ("und", "und"),           // the shortest needle the index reads
            ("QX7 Zaw", "qx7 zaw"),   // one student
            ("qx1", "qx1"),           // 16 students
            ("x7", "x7"),             // two characters: under the index's trigrams
            ("der_s", "der_s"),       // `_` taken literally
            ("qx_1", "qx_1"),         // ... and so matching no Qx
            ("Zawadzka 100%", "zawadzka 100%"), // `%` taken literally
            ("nobody-by-this-name", "nobody-by-this-name"),
            // Letters and digits only: one range of the word suffixes (migration 0037).
            ("m19", "m19"),             // inside a word: im19, im190-199 (11)
            ("X10", "x10"),             // qx10, qx100-104, first name and e-mail alike (6)
            ("adzk", "adzk"),           // inside every surname: common (505)
            ("SEARCH", "search"),       // the e-mail's domain: every one of them (506)
            ("nderscor", "nderscor"),   // no word holds it: `_` splits under_score
            ("qx104", "qx104"),         // a whole word, in two places of one student (1)
            ("zawadzkaa", "zawadzkaa"), // longer than every word that begins so
            // Anything else straddles words: the trigram index (SQLite) or the LIKE.
            ("qx3.z", "qx3.z"),
            ("4.z@search", "4.z@search"),
            ("a una@", "a una@"),
        ] {
            let want = expect(needle);
            assert_eq!(found(&app, &c.office, list, q).await, want, "q={q:?}");
            // Paged in fives, the pages hold the same students, each once.
            let query = serde_urlencoded::to_string([("q", q)]).expect("a query string");
            let mut paged: Vec<String> = app
                .all_pages(&c.office, &format!("{list}?{query}"), 5)
                .await
                .iter()
                .map(id)
                .collect();
            paged.sort();
            assert_eq!(paged, want, "q={q:?} in pages of five");
        }
        assert_eq!(expect("zawadzka").len(), 505);
        assert_eq!(expect("im1").len(), 111);
        assert_eq!(expect("qx7 zaw").len(), 1);
        assert_eq!(expect("m19").len(), 11);
        assert_eq!(expect("x10").len(), 6);
        assert_eq!(expect("qx104").len(), 1);
        assert_eq!(expect("4.z@search").len(), 51);
        // The index answers for every school; the asker's scope still decides whom they see,
        // rare name or common.
        for (q, needle) in [("qx1", "qx1"), ("und", "und"), ("Zawadzka", "zawadzka")] {
            assert_eq!(
                found(&app, &c.school, list, q).await,
                expect(needle),
                "their school's coordinator, q={q:?}"
            );
            assert!(
                found(&app, &c.other_school, list, q).await.is_empty(),
                "another school's coordinator, q={q:?}"
            );
            // None of them is placed: a preceptor, a faculty member and a department manager
            // read the students placed with them, whatever the search reads first.
            for who in [&c.preceptor, &c.faculty, &c.manager] {
                assert!(
                    found(&app, who, list, q).await.is_empty(),
                    "q={q:?}, someone reading only the students placed with them"
                );
            }
        }

        // Renamed: found by the new name, no longer by the old.
        let renamed = names[7].0.clone();
        expect_status(
            app.patch(
                &c.office,
                &format!("/api/v1/students/{renamed}"),
                &json!({ "last_name": "Wiśniewska" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(
            found(&app, &c.office, list, "wisniewska").await,
            vec![renamed.clone()]
        );
        // Inside the new name's word, and its old name's words gone from the suffixes.
        assert_eq!(
            found(&app, &c.office, list, "NIEWSK").await,
            vec![renamed.clone()]
        );
        assert!(
            !found(&app, &c.office, list, "awadzk")
                .await
                .contains(&renamed)
        );
        assert!(found(&app, &c.office, list, "qx7 zaw").await.is_empty());
        assert!(
            !found(&app, &c.office, list, "zawadzka")
                .await
                .contains(&renamed)
        );
    }
);

db_test!(
    a_needle_of_letters_and_digits_is_read_from_the_word_suffixes,
    |app| async move {
        // The suffix index is what answers such a needle, not a walk that would find the
        // student anyway: with one student's suffixes taken away by hand, the needles it
        // serves no longer find them, and a needle it does not serve (a space) still does.
        // The suffixes the server holds in memory would answer first
        // (`a_needle_is_answered_from_the_suffixes_held_in_memory`); without them, the store's
        // index does, as when nothing is held yet.
        app.state.db.held_suffixes().set_holding(false);
        let c = cast(&app).await;
        let s = app
            .create(
                &c.office,
                "/api/v1/students",
                &json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"],
                    "first_name": "Ngozi", "last_name": "Okonkwo-Adeyemi", "email": "ngozi.o@search.test" }),
            )
            .await;
        let list = "/api/v1/students";
        for q in ["okonkwo", "deyem", "NGOZI", "gozi o"] {
            assert_eq!(found(&app, &c.office, list, q).await, [id(&s)], "q={q:?}");
        }
        run_sql(
            &app,
            [format!(
                "DELETE FROM students_search_suffixes WHERE student_id = '{}'",
                id(&s)
            )],
        )
        .await;
        // Needles not asked before: an answer kept for an earlier request would not see a
        // change made behind the server's back.
        for q in ["konkwo", "adeye", "NGOZ"] {
            assert!(found(&app, &c.office, list, q).await.is_empty(), "q={q:?}");
        }
        assert_eq!(found(&app, &c.office, list, "ozi o").await, [id(&s)]);
        // Written again with the student, the suffixes find them again.
        expect_status(
            app.patch(
                &c.office,
                &format!("{list}/{}", id(&s)),
                &json!({ "first_name": "Ngozi Ada" }),
            )
            .await,
            200,
        )
        .await;
        for q in ["okonkwo", "konkwo", "adeye", "ngoz", "ada", "ngozi ada"] {
            assert_eq!(found(&app, &c.office, list, q).await, [id(&s)], "q={q:?}");
        }
    }
);

db_test!(
    a_needle_is_answered_from_the_suffixes_held_in_memory,
    |app| async move {
        // Held in memory, a student's suffixes answer without the store's index (taken away
        // by hand); a student written since is read from the store by when their text was
        // written (`students.search_seq`), and only then; a student renamed since is checked
        // against their new text, not what memory holds. PostgreSQL only: once anything is
        // written since memory was read, SQLite reads the store's index
        // (`a_needle_of_letters_and_digits_is_read_from_the_word_suffixes`).
        if matches!(app.state.db.pool(), practicum::db::Pool::Sqlite(_)) {
            return;
        }
        let c = cast(&app).await;
        let list = "/api/v1/students";
        let student = |first: &str, last: &str, email: &str| {
            json!({ "school_id": c.f.school["id"], "program_id": c.f.program["id"],
                "first_name": first, "last_name": last, "email": email })
        };
        let held = app
            .create(
                &c.office,
                list,
                &student("Chiamaka", "Eze-Obi", "chiamaka@held.test"),
            )
            .await;
        let renamed = app
            .create(
                &c.office,
                list,
                &student("Dagny", "Solberg", "dagny@held.test"),
            )
            .await;
        app.state
            .db
            .held_suffixes()
            .read_now()
            .await
            .expect("read into memory");
        run_sql(
            &app,
            [format!(
                "DELETE FROM students_search_suffixes WHERE student_id IN ('{}', '{}')",
                id(&held),
                id(&renamed)
            )],
        )
        .await;
        for q in ["chiamaka", "HIAMAK", "obi", "eze"] {
            assert_eq!(
                found(&app, &c.office, list, q).await,
                [id(&held)],
                "q={q:?}"
            );
        }
        // Written since, and marked as written before what memory holds: found by neither,
        // though a needle with a space (the LIKE walk) finds them.
        let unseen = app
            .create(
                &c.office,
                list,
                &student("Teodora", "Vukovic", "teodora@held.test"),
            )
            .await;
        run_sql(
            &app,
            [
                format!(
                    "UPDATE students SET search_seq = 0 WHERE id = '{}'",
                    id(&unseen)
                ),
                format!(
                    "DELETE FROM students_search_suffixes WHERE student_id = '{}'",
                    id(&unseen)
                ),
            ],
        )
        .await;
        for q in ["teodora", "vukovi"] {
            assert!(found(&app, &c.office, list, q).await.is_empty(), "q={q:?}");
        }
        assert_eq!(
            found(&app, &c.office, list, "teodora vukovic").await,
            [id(&unseen)]
        );
        // Written since through the server: found by their new text alone.
        for (who, patch) in [
            (&unseen, json!({ "last_name": "Vukovic-Ilic" })),
            (&renamed, json!({ "last_name": "Haugen" })),
        ] {
            expect_status(
                app.patch(&c.office, &format!("{list}/{}", id(who)), &patch)
                    .await,
                200,
            )
            .await;
        }
        assert_eq!(found(&app, &c.office, list, "vukov").await, [id(&unseen)]);
        assert_eq!(found(&app, &c.office, list, "ilic").await, [id(&unseen)]);
        assert_eq!(found(&app, &c.office, list, "haugen").await, [id(&renamed)]);
        assert!(found(&app, &c.office, list, "solberg").await.is_empty());
        // A new student written since is found too, and by a school's coordinator only when
        // theirs (the same scope as every other search).
        let new = app
            .create(
                &c.office,
                list,
                &student("Oluwaseun", "Adebayo", "seun@held.test"),
            )
            .await;
        assert_eq!(found(&app, &c.office, list, "luwaseu").await, [id(&new)]);
        assert_eq!(found(&app, &c.school, list, "luwaseu").await, [id(&new)]);
        for who in [&c.other_school, &c.preceptor] {
            assert!(found(&app, who, list, "luwaseu").await.is_empty());
        }
        // Read again, memory holds the new texts: the same answers.
        app.state
            .db
            .held_suffixes()
            .read_now()
            .await
            .expect("read into memory");
        assert_eq!(found(&app, &c.office, list, "vukov").await, [id(&unseen)]);
        assert_eq!(found(&app, &c.office, list, "haugen").await, [id(&renamed)]);
        assert!(found(&app, &c.office, list, "solberg").await.is_empty());
        assert_eq!(found(&app, &c.office, list, "luwaseu").await, [id(&new)]);
    }
);

db_test!(
    a_page_is_answered_from_memory_alone_while_nothing_is_written,
    |app| async move {
        // While nothing is written after the held suffixes are read, a name search's page
        // comes from memory alone (`HeldSuffixes::exact_page`): the same students, scope and
        // pages as the store's statement gives. A write makes memory answer nothing alone
        // until it is read again, so a rename is seen at once.
        let c = cast(&app).await;
        let list = "/api/v1/students";
        let held = app.state.db.held_suffixes();
        let other_program = app
            .create(
                &c.office,
                &format!("/api/v1/schools/{}/programs", id(&c.f.other_school)),
                &json!({ "name": "BS Radiography", "discipline": "radiography", "degree_level": "baccalaureate" }),
            )
            .await;
        let student = |school: &Value, program: &Value, n: usize| {
            json!({ "school_id": school["id"], "program_id": program["id"],
                "first_name": format!("Ilse{n}"), "last_name": "Vantreight",
                "email": format!("ilse{n}@exact.test") })
        };
        let mut ours = Vec::new();
        for n in 0..5 {
            let s = student(&c.f.school, &c.f.program, n);
            ours.push(id(&app.create(&c.office, list, &s).await));
        }
        let s = student(&c.f.other_school, &other_program, 9);
        let theirs = id(&app.create(&c.office, list, &s).await);
        let mut everyone = [ours.clone(), vec![theirs.clone()]].concat();
        everyone.sort();
        ours.sort();
        // Every caller has signed in (a session is a write) before memory is read.
        for who in [&c.office, &c.school, &c.other_school, &c.preceptor] {
            app.get_ok(who, "/api/v1/students?limit=1").await;
        }
        // Every page below is answered from memory alone, on the same read of it: the
        // watch may count a commit of ours once more a poll later (`db::watch`), and then
        // the round is read and asked again, each search cased anew so that no answer or
        // listing kept from the last round answers it (`KeptAnswers`, `db::listings`).
        let round = std::cell::Cell::new(0u32);
        poll(std::time::Duration::from_secs(10), || async {
            held.read_now().await.expect("read into memory");
            let before = held.exact_pages();
            let n = round.replace(round.get() + 1);
            let q = |word: &str| cased(word, n);
            assert_eq!(found(&app, &c.office, list, &q("vantrei")).await, everyone);
            assert_eq!(found(&app, &c.school, list, &q("vantrei")).await, ours);
            assert_eq!(
                found(&app, &c.other_school, list, &q("vantreight")).await,
                std::slice::from_ref(&theirs)
            );
            // Page after page, in creation order, as the store pages.
            let walked: Vec<String> = app
                .all_pages(&c.office, &format!("{list}?q={}", q("antreig")), 2)
                .await
                .iter()
                .map(id)
                .collect();
            assert_eq!(walked, everyone, "two a page, in id order");
            assert_eq!(
                found(&app, &c.office, list, &q("ilse9")).await,
                std::slice::from_ref(&theirs)
            );
            (held.exact_pages() >= before + 7).then_some(())
        })
        .await;
        // Not what memory answers alone (students placed with them): the store's statement.
        assert!(found(&app, &c.preceptor, list, "vantrei").await.is_empty());
        // A rename: memory no longer answers alone, and the old name finds them no more.
        let renamed = &ours[0];
        expect_status(
            app.patch(
                &c.office,
                &format!("{list}/{renamed}"),
                &json!({ "last_name": "Brandt" }),
            )
            .await,
            200,
        )
        .await;
        let rest: Vec<String> = everyone.iter().filter(|s| *s != renamed).cloned().collect();
        let after_write = held.exact_pages();
        assert_eq!(found(&app, &c.office, list, "vantreig").await, rest);
        assert_eq!(
            found(&app, &c.office, list, "brandt").await,
            std::slice::from_ref(renamed)
        );
        assert_eq!(
            held.exact_pages(),
            after_write,
            "nothing answered from memory alone"
        );
        // Read again, memory answers alone again, with the new name.
        poll(std::time::Duration::from_secs(10), || async {
            held.read_now().await.expect("read into memory");
            let before = held.exact_pages();
            let n = round.replace(round.get() + 1);
            let q = |word: &str| cased(word, n);
            assert_eq!(found(&app, &c.office, list, &q("antreight")).await, rest);
            assert_eq!(
                found(&app, &c.office, list, &q("brandt")).await,
                std::slice::from_ref(renamed)
            );
            assert_eq!(
                found(&app, &c.school, list, &q("brandt")).await,
                std::slice::from_ref(renamed)
            );
            assert!(
                found(&app, &c.other_school, list, &q("brandt"))
                    .await
                    .is_empty()
            );
            (held.exact_pages() >= before + 4).then_some(())
        })
        .await;
    }
);

/// `word` with the case of its `i`th letter turned when bit `i` of `n` is set: the same
/// search (names are folded) under another query string.
fn cased(word: &str, n: u32) -> String {
    word.chars()
        .enumerate()
        .map(|(i, ch)| match i < 32 && n & (1 << i) != 0 {
            true => ch.to_ascii_uppercase(),
            false => ch,
        })
        .collect()
}
