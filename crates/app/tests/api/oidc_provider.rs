//! An OpenID provider on localhost for the single sign-on tests: discovery, a JWKS with an RSA
//! key generated here, `/authorize` (answers at once with a code for the identity the test set)
//! and `/token` (checks the client's secret and the PKCE verifier, RFC 7636, and answers an ID
//! token signed RS256). A test may make it sign with another key or put another nonce in.
use axum::{
    Form, Json, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use base64::Engine;
use practicum::clock::Clock;
use rsa::{
    RsaPrivateKey,
    pkcs1v15::SigningKey,
    signature::{SignatureEncoding, Signer},
    traits::PublicKeyParts,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub const CLIENT_ID: &str = "practicum";
pub const CLIENT_SECRET: &str = "client-secret-for-tests";

/// Who the next sign-in at the provider is.
#[derive(Clone, Debug)]
pub struct Person {
    pub sub: String,
    pub email: String,
    pub email_verified: bool,
    pub groups: Vec<String>,
}

#[derive(Default)]
pub struct Behaviour {
    pub next: Option<Person>,
    /// Sign the ID token with a key that is not in the JWKS (same `kid`).
    pub rogue_key: bool,
    /// Put another nonce in the ID token than the one the client sent.
    pub wrong_nonce: bool,
    /// Codes given out: the person, the nonce and the PKCE challenge they were given for.
    codes: HashMap<String, (Person, String, String)>,
    clock: Option<Clock>,
}

#[derive(Clone)]
pub struct Idp {
    pub base: String,
    pub behaviour: Arc<Mutex<Behaviour>>,
}

/// Two RSA keys made once for the whole test binary: the provider's and a stranger's.
fn keys() -> &'static (RsaPrivateKey, RsaPrivateKey) {
    static KEYS: OnceLock<(RsaPrivateKey, RsaPrivateKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rsa::rand_core::OsRng;
        (
            RsaPrivateKey::new(&mut rng, 2048).expect("an RSA key"),
            RsaPrivateKey::new(&mut rng, 2048).expect("another RSA key"),
        )
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Idp {
    pub async fn start() -> Idp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let idp = Idp {
            base,
            behaviour: Arc::new(Mutex::new(Behaviour::default())),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(idp.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        idp
    }

    pub fn config(&self) -> practicum::config::OidcConfig {
        practicum::config::OidcConfig {
            issuer: self.base.clone(),
            client_id: CLIENT_ID.into(),
            client_secret: Some(CLIENT_SECRET.into()),
            // Never contacted: the tests follow the provider's redirect to the app themselves.
            redirect_url: "http://127.0.0.1:9/login/sso/callback".into(),
            role_claim: "groups".into(),
            role_map: practicum::domain::sso::RoleMap::parse(
                "hec-admins=admin,hec-staff=coordinator",
            )
            .expect("a role map"),
            provider_name: "Test Hospital ID".into(),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Behaviour) -> T) -> T {
        f(&mut self.behaviour.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The app's clock: ID tokens are issued at its time.
    pub fn use_clock(&self, clock: Clock) {
        self.with(|b| b.clock = Some(clock));
    }

    pub fn next(&self, sub: &str, email: &str, verified: bool, groups: &[&str]) {
        let p = Person {
            sub: sub.into(),
            email: email.into(),
            email_verified: verified,
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        self.with(|b| b.next = Some(p));
    }

    pub fn rogue_key(&self, on: bool) {
        self.with(|b| b.rogue_key = on);
    }

    pub fn wrong_nonce(&self, on: bool) {
        self.with(|b| b.wrong_nonce = on);
    }
}

async fn discovery(State(idp): State<Idp>) -> Json<Value> {
    let b = &idp.base;
    Json(json!({
        "issuer": b,
        "authorization_endpoint": format!("{b}/authorize"),
        "token_endpoint": format!("{b}/token"),
        "jwks_uri": format!("{b}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks() -> Json<Value> {
    let public = keys().0.to_public_key();
    Json(json!({ "keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
        "n": b64(&public.n().to_bytes_be()), "e": b64(&public.e().to_bytes_be()),
    }]}))
}

async fn authorize(State(idp): State<Idp>, Query(q): Query<HashMap<String, String>>) -> Response {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    // The client must ask for a code, as this client, with a PKCE S256 challenge and a nonce.
    if get("response_type") != "code"
        || get("client_id") != CLIENT_ID
        || get("code_challenge_method") != "S256"
        || get("code_challenge").is_empty()
        || get("nonce").is_empty()
        || !get("scope").split(' ').any(|s| s == "openid")
    {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let code = format!("code-{}", uuid::Uuid::now_v7().simple());
    let person = idp.with(|b| b.next.clone());
    let Some(person) = person else {
        return (StatusCode::BAD_REQUEST, "no one to sign in").into_response();
    };
    idp.with(|b| {
        b.codes
            .insert(code.clone(), (person, get("nonce"), get("code_challenge")))
    });
    let to = format!(
        "{}?code={}&state={}",
        get("redirect_uri"),
        code,
        get("state")
    );
    Redirect::to(&to).into_response()
}

fn token_error(what: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": "invalid_grant", "error_description": what })),
    )
        .into_response()
}

async fn token(
    State(idp): State<Idp>,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    // The client authenticates with HTTP Basic (client_secret_basic, the default).
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    if f.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return token_error("grant_type");
    }
    let code = f.get("code").cloned().unwrap_or_default();
    let Some((person, nonce, challenge)) = idp.with(|b| b.codes.remove(&code)) else {
        return token_error("unknown or used code");
    };
    let verifier = f.get("code_verifier").cloned().unwrap_or_default();
    if b64(&Sha256::digest(verifier.as_bytes())) != challenge {
        return token_error("PKCE verifier does not match the challenge");
    }
    let (rogue, wrong_nonce, clock) = idp.with(|b| (b.rogue_key, b.wrong_nonce, b.clock.clone()));
    let now = clock
        .map(|c| c.now())
        .unwrap_or_else(chrono::Utc::now)
        .timestamp();
    let claims = json!({
        "iss": idp.base, "sub": person.sub, "aud": CLIENT_ID,
        "iat": now, "exp": now + 300,
        "nonce": if wrong_nonce { "another-nonce".to_string() } else { nonce },
        "email": person.email, "email_verified": person.email_verified,
        "groups": person.groups,
    });
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": "k1" });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let key = if rogue { &keys().1 } else { &keys().0 };
    let signature = SigningKey::<Sha256>::new(key.clone()).sign(input.as_bytes());
    let id_token = format!("{input}.{}", b64(&signature.to_bytes()));
    Json(json!({
        "access_token": "an-access-token", "token_type": "Bearer", "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}
