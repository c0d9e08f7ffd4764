//! The audit trail proves itself (issue 13 point 5): a hash chain `practicum audit verify`
//! walks, naming the first event changed, removed or inserted; the table refuses UPDATE and
//! DELETE; sign-ins and sign-outs are events, without secrets; concurrent writers keep one chain.
use crate::db_test;
use crate::helpers::*;
use practicum::db::Pool;
use practicum::domain::audit_chain::event_hash;
use serde_json::{Value, json};

/// `practicum <args> --data-dir <the app's> [--database <the app's>]`: (exit code, stdout, stderr).
pub async fn cli(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_practicum"));
    cmd.args(args)
        .arg("--data-dir")
        .arg(&app.state.config.data_dir);
    if let Some(url) = &app.state.config.database {
        cmd.arg("--database").arg(url);
    }
    let out = cmd.output().await.expect("run practicum");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

async fn verify(app: &TestApp) -> (i32, String) {
    let (code, out, err) = cli(app, &["audit", "verify"]).await;
    (code, format!("{out}{err}"))
}

/// Runs statements on the app's own database, outside any rule of the program.
pub async fn raw(app: &TestApp, statements: &[&str]) -> Result<(), String> {
    let mut tx = app.state.db.write().await.expect("a transaction");
    for s in statements {
        practicum::on_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(*s)).execute(c).await.map(|_| ()))
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

fn is_pg(app: &TestApp) -> bool {
    matches!(app.state.db.pool(), Pool::Postgres(_))
}

/// The chained events, in chain order: (seq, id, hash).
async fn chain(app: &TestApp) -> Vec<(i64, String, String)> {
    let mut tx = app.state.db.read().await.expect("a transaction");
    practicum::on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT seq, id, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq").fetch_all(c).await)
        .expect("the chain")
}

/// A trail with a few events of several kinds; returns the office caller.
async fn some_history(app: &TestApp) -> Caller {
    let office = app.coordinator().await;
    for i in 0..4 {
        let site = app
            .create(
                &office,
                "/api/v1/sites",
                &json!({ "name": format!("S{i}") }),
            )
            .await;
        expect_status(
            app.patch(
                &office,
                &format!("/api/v1/sites/{}", id(&site)),
                &json!({ "name": format!("S{i} renamed") }),
            )
            .await,
            200,
        )
        .await;
    }
    office
}

db_test!(a_fresh_trail_verifies, |app| async move {
    let (code, out) = verify(&app).await;
    assert_eq!(code, 0, "{out}");
    some_history(&app).await;
    let (code, out) = verify(&app).await;
    assert_eq!(code, 0, "{out}");
    let c = chain(&app).await;
    assert!(c.len() >= 9, "{c:?}");
    assert!(out.contains("the audit trail is intact"), "{out}");
    assert!(out.contains(&format!("{} events", c.len())), "{out}");
    assert!(
        out.contains(&c[c.len() - 1].2),
        "the head is printed: {out}"
    );
    let seqs: Vec<i64> = c.iter().map(|e| e.0).collect();
    assert_eq!(seqs, (1..=c.len() as i64).collect::<Vec<_>>());
});

db_test!(updates_and_deletes_are_refused, |app| async move {
    some_history(&app).await;
    let c = chain(&app).await;
    let id = &c[2].1;
    for sql in [
        format!("UPDATE audit_events SET actor_label = 'someone else' WHERE id = '{id}'"),
        format!("UPDATE audit_events SET seq = 1000 WHERE id = '{id}'"),
        format!("DELETE FROM audit_events WHERE id = '{id}'"),
        "DELETE FROM audit_events".to_string(),
    ] {
        let err = raw(&app, &[&sql]).await.expect_err(&sql);
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    if is_pg(&app) {
        let err = raw(&app, &["TRUNCATE audit_events"])
            .await
            .expect_err("truncate");
        assert!(err.contains("append-only"), "{err}");
    }
    assert_eq!(chain(&app).await, c, "nothing changed");
    assert_eq!(verify(&app).await.0, 0);
});

db_test!(a_changed_event_is_named, |app| async move {
    some_history(&app).await;
    let c = chain(&app).await;
    let (seq, id, _) = &c[3];
    raw(
        &app,
        &[
            if is_pg(&app) {
                "DROP TRIGGER audit_events_no_update ON audit_events"
            } else {
                "DROP TRIGGER audit_events_no_update"
            },
            &format!(
                "UPDATE audit_events SET after_json = '{{\"name\":\"forged\"}}' WHERE id = '{id}'"
            ),
        ],
    )
    .await
    .expect("tampered");
    let (code, out) = verify(&app).await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("event {id} (#{seq}) was changed")),
        "{out}"
    );
});

db_test!(a_removed_event_is_named, |app| async move {
    some_history(&app).await;
    let c = chain(&app).await;
    let (seq, id, _) = &c[4];
    raw(
        &app,
        &[
            if is_pg(&app) {
                "DROP TRIGGER audit_events_no_delete ON audit_events"
            } else {
                "DROP TRIGGER audit_events_no_delete"
            },
            &format!("DELETE FROM audit_events WHERE id = '{id}'"),
        ],
    )
    .await
    .expect("tampered");
    let (code, out) = verify(&app).await;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("event #{seq} was removed")), "{out}");
    assert!(
        out.contains(&c[3].1) && out.contains(&c[5].1),
        "names its neighbours: {out}"
    );
});

db_test!(an_inserted_event_is_named, |app| async move {
    some_history(&app).await;
    // With no place in the chain.
    let forged = "0191d3a0-0000-7000-8000-00000000f0f0";
    raw(
        &app,
        &[&format!(
            "INSERT INTO audit_events (id, at, actor_label, action, record_type, record_id)
         VALUES ('{forged}', '2027-01-04T09:00:00Z', 'nobody', 'create', 'site', 'x')"
        )],
    )
    .await
    .expect("inserted");
    let (code, out) = verify(&app).await;
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("event {forged} was inserted")),
        "{out}"
    );
});

db_test!(
    an_inserted_event_with_a_right_hash_is_named,
    |app| async move {
        some_history(&app).await;
        let c = chain(&app).await;
        // A careful forger: the unique index dropped, a copy of event #3 that claims its place,
        // with the hash right for that place.
        let (seq, real, _) = &c[2];
        let prev = &c[1].2;
        let mut e = practicum::domain::audit_chain::ChainEvent {
            id: "0191d3a0-0000-7000-8000-00000000f0f1".into(),
            seq: Some(*seq),
            at: test_now(),
            actor_id: None,
            actor_label: "forger".into(),
            action: "create".into(),
            record_type: "site".into(),
            record_id: "x".into(),
            before_json: None,
            after_json: None,
            ip: None,
            prev_hash: Some(prev.clone()),
            hash: None,
        };
        let hash = event_hash(&e, *seq, prev);
        e.hash = Some(hash.clone());
        raw(&app, &["DROP INDEX audit_seq", &format!(
            "INSERT INTO audit_events (id, at, actor_label, action, record_type, record_id, seq, prev_hash, hash)
             VALUES ('{}', '2027-01-04T09:00:00Z', 'forger', 'create', 'site', 'x', {seq}, '{prev}', '{hash}')",
            e.id
        )])
        .await
        .expect("inserted");
        let (code, out) = verify(&app).await;
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains(&format!("event {} was inserted", e.id)),
            "{out}"
        );
        assert!(
            out.contains(real),
            "names the event whose place it took: {out}"
        );
    }
);

db_test!(
    events_written_before_the_chain_are_chained_once,
    |app| async move {
        // A trail from before migration 0013: rows without a place.
        let drop = if is_pg(&app) {
            "DROP TRIGGER audit_events_no_delete ON audit_events"
        } else {
            "DROP TRIGGER audit_events_no_delete"
        };
        raw(&app, &[drop, "DELETE FROM audit_events"])
            .await
            .expect("emptied");
        for i in 1..=3 {
            raw(&app, &[&format!(
                "INSERT INTO audit_events (id, at, actor_label, action, record_type, record_id, after_json)
                 VALUES ('0191d3a0-0000-7000-8000-00000000000{i}', '2026-0{i}-01T10:00:00Z', 'old', 'create', 'site', 's{i}', '{{}}')"
            )])
            .await
            .expect("a legacy row");
        }
        assert_eq!(verify(&app).await.0, 1, "unchained rows are named");
        app.state.db.migrate().await.expect("migrate (backfill)");
        let c = chain(&app).await;
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].1, "0191d3a0-0000-7000-8000-000000000001");
        let (code, out) = verify(&app).await;
        assert_eq!(code, 0, "{out}");
        app.state.db.migrate().await.expect("again");
        assert_eq!(chain(&app).await, c, "the backfill runs once");
        // Once chained, the old rows are as final as any other.
        let err = raw(&app, &["UPDATE audit_events SET actor_label = 'x'"])
            .await
            .expect_err("refused");
        assert!(err.contains("append-only"), "{err}");
    }
);

db_test!(
    sign_ins_and_sign_outs_are_events_without_secrets,
    |app| async move {
        let admin = app.admin().await;
        let email = admin.user["email"].as_str().unwrap().to_string();
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": email, "password": "wrong-Secret-123" }),
            )
            .await;
        expect_problem(res, 401, &["unauthenticated"]).await;
        let res = app
            .post_anon(
                "/api/v1/auth/login",
                &json!({ "email": "Nobody@Test.Example", "password": "another-Secret-456" }),
            )
            .await;
        expect_problem(res, 401, &["unauthenticated"]).await;
        let second = app.login(&email, DEMO_PASSWORD).await;
        expect_status(
            app.post(&second, "/api/v1/auth/logout", &json!({})).await,
            204,
        )
        .await;

        let events: Vec<Value> = app
            .all_pages(&admin, "/api/v1/audit?record_type=user", 100)
            .await
            .into_iter()
            .filter(|e| e["action"].as_str().unwrap().starts_with("sign"))
            .collect();
        let actions: Vec<&str> = events
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "sign_in",
                "sign_in_failed",
                "sign_in_failed",
                "sign_in",
                "sign_out"
            ],
            "{events:?}"
        );
        let uid = &admin.user["id"];
        for e in &events {
            assert_eq!(e["ip"], "127.0.0.1", "{e}");
        }
        assert_eq!(events[0]["actor_id"], *uid);
        assert_eq!(events[0]["record_id"], *uid);
        // A failure for an account names the account; for an unknown address, the address.
        assert!(events[1]["actor_id"].is_null());
        assert_eq!(events[1]["record_id"], *uid);
        assert_eq!(events[1]["after"]["email"], email);
        assert_eq!(events[2]["record_id"], "");
        assert_eq!(events[2]["after"]["email"], "nobody@test.example");
        assert!(
            events[2]["actor"]
                .as_str()
                .unwrap()
                .contains("nobody@test.example")
        );
        assert_eq!(events[4]["actor_id"], *uid);
        let text = serde_json::to_string(&events).unwrap();
        for secret in [
            "wrong-Secret-123",
            "another-Secret-456",
            DEMO_PASSWORD,
            second.token.as_str(),
            admin.token.as_str(),
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(verify(&app).await.0, 0);
    }
);

db_test!(concurrent_writers_keep_one_chain, |app| async move {
    let office = app.coordinator().await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (app, office) = (app.clone(), office.clone());
        tasks.push(tokio::spawn(async move {
            if i % 4 == 3 {
                // Sign-ins append too, from their own transactions.
                let email = office.user["email"].as_str().unwrap().to_string();
                app.login(&email, DEMO_PASSWORD).await;
            } else {
                app.create(
                    &office,
                    "/api/v1/sites",
                    &json!({ "name": format!("Race {i}") }),
                )
                .await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("every write succeeds");
    }
    let c = chain(&app).await;
    let seqs: Vec<i64> = c.iter().map(|e| e.0).collect();
    assert_eq!(
        seqs,
        (1..=c.len() as i64).collect::<Vec<_>>(),
        "one place each"
    );
    let sites = app
        .all_pages(&office, "/api/v1/audit?record_type=site", 100)
        .await;
    assert_eq!(sites.len(), 18);
    let (code, out) = verify(&app).await;
    assert_eq!(code, 0, "{out}");
});
