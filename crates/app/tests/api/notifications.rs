//! The mail queue and its worker, in-app notifications, and what onboarding tells people.
use crate::helpers::*;
use crate::{db_test, db_test_with};
use serde_json::{Value, json};
use std::time::Duration;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// The outbox's messages (the text of each `.eml`), once at least one contains `needle`.
pub async fn mail_containing(app: &TestApp, needle: &str) -> Vec<String> {
    let outbox = app.state.config.outbox_dir();
    let needle = needle.to_string();
    poll(Duration::from_secs(10), || {
        let outbox = outbox.clone();
        let needle = needle.clone();
        async move {
            let mail: Vec<String> = std::fs::read_dir(&outbox)
                .ok()?
                .filter_map(|e| e.ok())
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .map(|t| mail_text(&t))
                .filter(|t| t.contains(&needle))
                .collect();
            (!mail.is_empty()).then_some(mail)
        }
    })
    .await
}

async fn enqueue(app: &TestApp, to: &str, subject: &str) -> String {
    let mut tx = app.state.db.write().await.unwrap();
    let id = practicum::jobs::mail::enqueue(
        &mut tx,
        "Ana Lopez",
        to,
        subject,
        "Hello from the queue.",
        app.clock.now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn next_attempt_at(app: &TestApp, id: &str) -> chrono::DateTime<chrono::Utc> {
    let mut tx = app.state.db.read().await.expect("a read transaction");
    practicum::db::mail_queue::next_attempt_at(&mut tx, id)
        .await
        .expect("the outbox is readable")
        .expect("the message is queued")
}

async fn mail_status(app: &TestApp, id: &str) -> (i64, bool, Option<String>) {
    let mut tx = app.state.db.read().await.unwrap();
    practicum::db::mail_queue::status(&mut tx, id)
        .await
        .unwrap()
        .expect("the message is queued")
}

db_test!(the_queue_delivers_to_the_outbox, |app| async move {
    let id = enqueue(&app, "ana@north.edu", "Queued subject one").await;
    let mail = mail_containing(&app, "Queued subject one").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].contains("ana@north.edu"));
    assert!(mail[0].contains("Hello from the queue."));
    let (attempts, sent, error) = poll(Duration::from_secs(10), || async {
        let s = mail_status(&app, &id).await;
        s.1.then_some(s)
    })
    .await;
    assert_eq!((attempts, sent, error), (1, true, None));
    // Sent once: later passes leave it alone.
    enqueue(&app, "bo@north.edu", "Queued subject two").await;
    mail_containing(&app, "Queued subject two").await;
    assert_eq!(mail_containing(&app, "Queued subject one").await.len(), 1);
});

/// Whether the outbox holds mail due at the fixed clock's now: what the mail worker would send
/// on its next pass. Asking the store, rather than sleeping and seeing that nothing was sent,
/// makes "not yet" a fact instead of a race.
async fn mail_due(app: &TestApp) -> bool {
    let mut tx = app.state.db.read().await.expect("a read transaction");
    practicum::db::mail_queue::any_due(&mut tx, app.clock.now())
        .await
        .expect("the outbox is readable")
}

db_test_with!(
    a_failed_send_is_retried_with_growing_backoff_until_it_goes,
    |c| c.mail_retry_base = Duration::from_secs(60),
    |app| async move {
        // A file where the outbox directory should be: every send fails.
        let outbox = app.state.config.outbox_dir();
        std::fs::create_dir_all(outbox.parent().unwrap()).unwrap();
        std::fs::write(&outbox, b"in the way").unwrap();
        let id = enqueue(&app, "ana@north.edu", "Retried subject").await;
        let first = poll(Duration::from_secs(10), || async {
            let s = mail_status(&app, &id).await;
            (s.0 >= 1 && s.2.is_some()).then_some(s)
        })
        .await;
        assert_eq!(first.0, 1);
        assert!(!first.1);
        // Not due again until the backoff has passed (the clock is fixed).
        app.clock.advance(chrono::Duration::seconds(59));
        assert!(
            !mail_due(&app).await,
            "not due 59 s after the first failure"
        );
        assert_eq!(mail_status(&app, &id).await.0, 1);
        app.clock.advance(chrono::Duration::seconds(1));
        // The second failure is recorded when the message's next try is set from the failure
        // (a claimed message shows 2 attempts already, and its lease as its next try).
        let retry_at = app.clock.now() + chrono::Duration::seconds(120);
        let second = poll(Duration::from_secs(10), || async {
            let s = mail_status(&app, &id).await;
            (s.0 >= 2 && next_attempt_at(&app, &id).await == retry_at).then_some(s)
        })
        .await;
        assert!(!second.1, "still failing");
        // The second wait is twice the first.
        app.clock.advance(chrono::Duration::seconds(119));
        assert!(
            !mail_due(&app).await,
            "not due 119 s after the second failure"
        );
        assert_eq!(mail_status(&app, &id).await.0, 2);
        // Fixed: the next attempt delivers it.
        std::fs::remove_file(&outbox).unwrap();
        app.clock.advance(chrono::Duration::seconds(1));
        let mail = mail_containing(&app, "Retried subject").await;
        assert_eq!(mail.len(), 1);
        let (attempts, sent, error) = poll(Duration::from_secs(10), || async {
            let s = mail_status(&app, &id).await;
            s.1.then_some(s)
        })
        .await;
        assert_eq!((attempts, sent, error), (3, true, None));
    }
);

struct Setup {
    office: Caller,
    student: Caller,
    student_id: String,
    student_email: String,
}

async fn setup(app: &TestApp) -> Setup {
    let office = app.coordinator().await;
    let f = fixture(app, &office).await;
    let student = app
        .user("student", json!({ "student_id": f.student["id"] }))
        .await;
    Setup {
        office,
        student_email: student.user["email"].as_str().unwrap().to_string(),
        student,
        student_id: f.student["id"].as_str().unwrap().to_string(),
    }
}

async fn notifications(app: &TestApp, who: &Caller, query: &str) -> Vec<Value> {
    let list = app
        .get_ok(who, &format!("/api/v1/notifications{query}"))
        .await;
    items(&list).clone()
}

/// The top bar's "Notifications (N)" on a page, as the browser sees it.
async fn top_bar_count(app: &TestApp, who: &Caller) -> String {
    let res = app
        .client
        .get(app.url("/notifications"))
        .header("cookie", format!("practicum_session={}", who.token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let at = html
        .find("Notifications (")
        .expect("the top bar shows the count");
    html[at..].split(')').next().unwrap().to_string() + ")"
}

db_test!(
    uploads_tell_the_office_and_rejection_tells_the_student,
    |app| async move {
        let s = setup(&app).await;
        let admin = app.admin().await;
        let doc = upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
        // Every office user hears of the upload, with a link to the document.
        for who in [&s.office, &admin] {
            let n = notifications(&app, who, "").await;
            assert_eq!(n.len(), 1, "{n:?}");
            assert_eq!(n[0]["kind"], "document_uploaded");
            assert_eq!(n[0]["link"], format!("/documents/{}", id(&doc)));
            assert!(n[0]["read_at"].is_null());
        }
        assert!(notifications(&app, &s.student, "").await.is_empty());
        expect_status(
            app.post(
                &s.office,
                &format!("/api/v1/documents/{}/review", id(&doc)),
                &json!({ "outcome": "rejected", "note": "the scan is unreadable" }),
            )
            .await,
            200,
        )
        .await;
        let n = notifications(&app, &s.student, "?unread=true").await;
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0]["kind"], "document_rejected");
        assert!(
            n[0]["message"]
                .as_str()
                .unwrap()
                .contains("the scan is unreadable")
        );
        assert_eq!(n[0]["user_id"], s.student.user["id"]);
        // And by email, with the note.
        let mail = mail_containing(&app, &s.student_email).await;
        assert_eq!(mail.len(), 1);
        assert!(mail[0].contains("the scan is unreadable"));
        // A verification tells nobody anything new.
        let doc2 = upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
        expect_status(
            app.post(
                &s.office,
                &format!("/api/v1/documents/{}/review", id(&doc2)),
                &json!({ "outcome": "verified" }),
            )
            .await,
            200,
        )
        .await;
        assert_eq!(notifications(&app, &s.student, "").await.len(), 1);
        assert_eq!(notifications(&app, &s.office, "").await.len(), 2);
    }
);

db_test!(unread_count_and_mark_as_read, |app| async move {
    let s = setup(&app).await;
    assert_eq!(top_bar_count(&app, &s.office).await, "Notifications (0)");
    upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
    upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
    assert_eq!(top_bar_count(&app, &s.office).await, "Notifications (2)");
    let all = notifications(&app, &s.office, "").await;
    assert_eq!(all.len(), 2);
    // Newest first.
    assert!(id(&all[0]) > id(&all[1]));
    let read = expect_status(
        app.post(
            &s.office,
            &format!("/api/v1/notifications/{}/read", id(&all[1])),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    assert!(read["read_at"].is_string());
    assert_eq!(top_bar_count(&app, &s.office).await, "Notifications (1)");
    let unread = notifications(&app, &s.office, "?unread=true").await;
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0]["id"], all[0]["id"]);
    assert_eq!(notifications(&app, &s.office, "").await.len(), 2);
    // Reading again is harmless and keeps the first time.
    let again = expect_status(
        app.post(
            &s.office,
            &format!("/api/v1/notifications/{}/read", id(&all[1])),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(again["read_at"], read["read_at"]);
    // Pages of one, following the cursor.
    let paged = app.all_pages(&s.office, "/api/v1/notifications", 1).await;
    assert_eq!(paged.len(), 2);
    expect_problem(
        app.get(&s.office, "/api/v1/notifications?unread=maybe")
            .await,
        422,
        &["invalid_boolean"],
    )
    .await;
});

db_test!(nobody_reads_another_users_notifications, |app| async move {
    let s = setup(&app).await;
    upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
    let mine = notifications(&app, &s.office, "").await;
    assert_eq!(mine.len(), 1);
    let other = app.coordinator().await;
    // The other coordinator was created after the upload: nothing for them.
    assert!(notifications(&app, &other, "").await.is_empty());
    for who in [&other, &s.student] {
        expect_status(
            app.post(
                who,
                &format!("/api/v1/notifications/{}/read", id(&mine[0])),
                &json!({}),
            )
            .await,
            404,
        )
        .await;
    }
    // Still unread for its owner.
    assert_eq!(
        notifications(&app, &s.office, "?unread=true").await.len(),
        1
    );
    expect_status(
        app.post(
            &s.office,
            &format!("/api/v1/notifications/{}/read", uuid::Uuid::now_v7()),
            &json!({}),
        )
        .await,
        404,
    )
    .await;
    expect_status(
        app.client
            .get(app.url("/api/v1/notifications"))
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
});

/// The notifications page as `who` sees it.
async fn page_html(app: &TestApp, who: &Caller) -> String {
    app.client
        .get(app.url("/notifications"))
        .header("cookie", format!("practicum_session={}", who.token))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

db_test!(the_page_marks_one_or_all_as_read, |app| async move {
    let s = setup(&app).await;
    for _ in 0..3 {
        upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
    }
    let html = page_html(&app, &s.office).await;
    assert!(html.contains("Mark all 3 as read"));
    assert_eq!(html.matches(">Mark as read</button>").count(), 3);
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let all = notifications(&app, &s.office, "").await;
    let post = |path: String, csrf: String| {
        let app = &app;
        let cookie = format!("practicum_session={}", s.office.token);
        async move {
            app.client
                .post(app.url(&path))
                .header("cookie", cookie)
                .header("origin", app.url(""))
                .form(&[("csrf_token", csrf.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    // Without the session's token nothing changes.
    let forged = post(format!("/notifications/{}/read", id(&all[0])), "x".into()).await;
    expect_page(forged, 403).await;
    let res = post(
        format!("/notifications/{}/read", id(&all[0])),
        token.clone(),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(top_bar_count(&app, &s.office).await, "Notifications (2)");
    let res = post("/notifications/read-all".into(), token.clone()).await;
    assert_eq!(res.status(), 303);
    assert_eq!(top_bar_count(&app, &s.office).await, "Notifications (0)");
    assert!(!page_html(&app, &s.office).await.contains("Mark all"));
    // The API does the same for its callers, and answers how many it marked.
    upload_tdap(&app, &s.student, &s.student_id, PDF, "tdap.pdf").await;
    let marked = expect_status(
        app.post(&s.office, "/api/v1/notifications/read-all", &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(marked["marked"], 1);
    assert!(
        notifications(&app, &s.office, "?unread=true")
            .await
            .is_empty()
    );
});
