//! Single sign-on (issue 13 point 4) against the OpenID provider of `oidc_provider.rs`, started
//! on localhost by each test: an existing account is matched by its verified e-mail, linked,
//! and signed in; no account is ever created; a person the role claim gives no role, or not
//! the account's role, is refused; a `state` that is not this browser's (or used twice), an ID
//! token with another nonce, and one signed by a key not in the provider's JWKS are refused.
use crate::helpers::*;
use crate::mfa::{cookies, enrol};
use crate::oidc_provider::Idp;
use serde_json::{Value, json};

/// One test body, run once per backend, with a provider started first and the app configured
/// to sign in through it.
macro_rules! oidc_test {
    ($name:ident, |$app:ident, $idp:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run(backend: Backend) {
                let $idp = Idp::start().await;
                let config = $idp.config();
                let Some($app) = spawn_with(backend, move |c| c.oidc = Some(config)).await else {
                    skip_postgres();
                    return;
                };
                $idp.use_clock($app.clock.clone());
                $body.await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run(Backend::Postgres).await
            }
        }
    };
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// `/login/sso`: the provider's authorization URL and this browser's state cookie.
async fn start(app: &TestApp) -> (String, String) {
    let res = app
        .client
        .get(app.url("/login/sso"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let cookie = cookies(&res);
    assert!(cookie.contains("practicum_sso_state="), "{cookie}");
    (to, cookie)
}

/// The provider's answer to the authorization request: the callback's query string.
async fn at_provider(app: &TestApp, authorize_url: &str) -> String {
    let res = app.client.get(authorize_url).send().await.expect("request");
    assert_eq!(res.status(), 303, "{:?}", res.text().await);
    location(&res)
        .split_once('?')
        .map(|(_, q)| q.to_string())
        .expect("a code and a state")
}

async fn callback(app: &TestApp, query: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/login/sso/callback?{query}")))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
}

/// The whole round trip, as a browser makes it.
async fn sign_in(app: &TestApp) -> reqwest::Response {
    let (to, cookie) = start(app).await;
    let query = at_provider(app, &to).await;
    callback(app, &query, &cookie).await
}

fn session_of(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), 303);
    assert_eq!(location(res), "/");
    let c = cookies(res);
    let session = c
        .split("; ")
        .find(|c| c.starts_with("practicum_session="))
        .expect("a session cookie")
        .to_string();
    assert!(session.len() > "practicum_session=".len());
    session
}

async fn page(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
}

fn email(who: &Caller) -> String {
    who.user["email"].as_str().expect("an email").to_string()
}

oidc_test!(
    an_existing_account_is_linked_by_email_and_signed_in,
    |app, idp| async move {
        let html = expect_page(
            app.client
                .get(app.url("/login"))
                .send()
                .await
                .expect("request"),
            200,
        )
        .await;
        assert!(html.contains("Sign in with Test Hospital ID"), "{html}");
        assert!(html.contains("href=\"/login/sso\""), "{html}");

        let coordinator = app.coordinator().await;
        // The provider's address may differ in case; the account's is found all the same.
        idp.next(
            "sub-17",
            &email(&coordinator).to_uppercase(),
            true,
            &["hec-staff", "everyone"],
        );
        let (to, cookie) = start(&app).await;
        // PKCE and a nonce are in the request (the provider refuses it without them).
        assert!(to.contains("code_challenge_method=S256"), "{to}");
        assert!(to.contains("nonce="), "{to}");
        let query = at_provider(&app, &to).await;
        let res = callback(&app, &query, &cookie).await;
        let session = session_of(&res);
        let home = expect_page(page(&app, &session, "/").await, 200).await;
        assert!(home.contains("Test coordinator"), "{home}");

        // Linked: the next sign-in finds the account by iss + sub, whatever e-mail it carries.
        idp.next("sub-17", "renamed@elsewhere.example", true, &["hec-staff"]);
        let session = session_of(&sign_in(&app).await);
        expect_page(page(&app, &session, "/").await, 200).await;
        // The link is audited on the account.
        let admin = app.admin().await;
        let trail = app
            .get_ok(
                &admin,
                &format!("/api/v1/audit?record_id={}", id(&coordinator.user)),
            )
            .await;
        assert!(
            items(&trail).iter().any(|e| e["action"] == "sso_linked"),
            "{trail}"
        );
        // The same state cannot be answered twice.
        let res = callback(&app, &query, &cookie).await;
        let html = expect_page(res, 403).await;
        assert!(html.contains("expired or did not start here"), "{html}");
    }
);

oidc_test!(no_account_is_ever_created, |app, idp| async move {
    let admin = app.admin().await;
    idp.next(
        "sub-new",
        "stranger@hospital.example",
        true,
        &["hec-admins"],
    );
    let html = expect_page(sign_in(&app).await, 403).await;
    assert!(html.contains("No Practicum account"), "{html}");
    let found = app.get_ok(&admin, "/api/v1/users?q=stranger").await;
    assert!(items(&found).is_empty(), "{found}");
    // An address the provider has not verified matches no account either.
    let coordinator = app.coordinator().await;
    idp.next(
        "sub-unverified",
        &email(&coordinator),
        false,
        &["hec-staff"],
    );
    let html = expect_page(sign_in(&app).await, 403).await;
    assert!(html.contains("No Practicum account"), "{html}");
});

oidc_test!(
    a_person_without_the_mapped_role_is_refused,
    |app, idp| async move {
        let coordinator = app.coordinator().await;
        idp.next("sub-1", &email(&coordinator), true, &["nurses"]);
        let html = expect_page(sign_in(&app).await, 403).await;
        assert!(
            html.contains("does not give you a role in Practicum"),
            "{html}"
        );
        // A group that maps to another role (admin) does not sign a coordinator in either.
        idp.next("sub-1", &email(&coordinator), true, &["hec-admins"]);
        let html = expect_page(sign_in(&app).await, 403).await;
        assert!(html.contains("does not give you the role"), "{html}");
        // No groups at all: refused too.
        let another = app.coordinator().await;
        idp.next("sub-2", &email(&another), true, &[]);
        expect_page(sign_in(&app).await, 403).await;
    }
);

oidc_test!(
    a_state_or_nonce_that_does_not_match_is_refused,
    |app, idp| async move {
        let coordinator = app.coordinator().await;
        idp.next("sub-3", &email(&coordinator), true, &["hec-staff"]);
        // The answer to another browser's sign-in (its state) with this browser's cookie.
        let (_, mine) = start(&app).await;
        let (theirs, _) = start(&app).await;
        let query = at_provider(&app, &theirs).await;
        let html = expect_page(callback(&app, &query, &mine).await, 403).await;
        assert!(html.contains("expired or did not start here"), "{html}");
        // No cookie at all.
        let html = expect_page(callback(&app, &query, "").await, 403).await;
        assert!(html.contains("expired or did not start here"), "{html}");
        // A pending sign-in lasts ten minutes.
        let (to, cookie) = start(&app).await;
        let query = at_provider(&app, &to).await;
        app.clock.advance(chrono::Duration::minutes(11));
        expect_page(callback(&app, &query, &cookie).await, 403).await;
        // An ID token with another nonce than this sign-in's.
        idp.wrong_nonce(true);
        let html = expect_page(sign_in(&app).await, 403).await;
        assert!(html.contains("could not be verified"), "{html}");
        idp.wrong_nonce(false);
        session_of(&sign_in(&app).await);
    }
);

oidc_test!(
    a_token_signed_by_another_key_is_refused,
    |app, idp| async move {
        let coordinator = app.coordinator().await;
        idp.next("sub-4", &email(&coordinator), true, &["hec-staff"]);
        idp.rogue_key(true);
        let html = expect_page(sign_in(&app).await, 403).await;
        assert!(html.contains("could not be verified"), "{html}");
        idp.rogue_key(false);
        session_of(&sign_in(&app).await);
    }
);

oidc_test!(
    a_user_with_an_authenticator_still_gives_a_code,
    |app, idp| async move {
        let admin = app.admin().await;
        enrol(&app, &admin).await;
        idp.next("sub-5", &email(&admin), true, &["hec-admins"]);
        let res = sign_in(&app).await;
        assert!(!cookies(&res).contains("practicum_session="));
        let html = expect_page(res, 200).await;
        assert!(html.contains("name=\"mfa_token\""), "{html}");
    }
);

oidc_test!(
    an_account_turned_off_cannot_sign_in_through_the_provider_and_each_try_is_audited,
    |app, idp| async move {
        let admin = app.admin().await;
        let coordinator = app.coordinator().await;
        idp.next("sub-6", &email(&coordinator), true, &["hec-staff"]);
        session_of(&sign_in(&app).await);
        let path = format!("/api/v1/users/{}", id(&coordinator.user));
        expect_status(
            app.patch(&admin, &path, &json!({ "disabled": true })).await,
            200,
        )
        .await;
        // Linked by iss + sub, the provider still vouches for the person: refused all the same.
        idp.next("sub-6", &email(&coordinator), true, &["hec-staff"]);
        let res = sign_in(&app).await;
        assert!(!cookies(&res).contains("practicum_session="));
        let html = expect_page(res, 403).await;
        assert!(html.contains("turned off"), "{html}");
        // Someone with no account: refused, and the try recorded with what the provider said.
        idp.next("sub-7", "stranger@hospital.example", true, &["hec-staff"]);
        expect_page(sign_in(&app).await, 403).await;

        let events: Vec<Value> = app
            .all_pages(&admin, "/api/v1/audit?record_type=user", 100)
            .await
            .into_iter()
            .filter(|e| e["action"].as_str().unwrap_or("").starts_with("sign_in"))
            .collect();
        let provider: Vec<&Value> = events
            .iter()
            .filter(|e| {
                e["after"]["method"] == "identity provider"
                    || e["after"]["reason"]
                        .as_str()
                        .is_some_and(|r| r.starts_with("identity provider"))
            })
            .collect();
        assert_eq!(provider.len(), 3, "{events:?}");
        assert_eq!(provider[0]["action"], "sign_in");
        assert_eq!(provider[0]["record_id"], id(&coordinator.user));
        assert_eq!(provider[1]["action"], "sign_in_failed");
        assert_eq!(provider[1]["record_id"], id(&coordinator.user));
        assert_eq!(provider[2]["action"], "sign_in_failed");
        assert_eq!(provider[2]["after"]["email"], "stranger@hospital.example");
    }
);
