//! The OpenID Connect client (issue 13 point 4): the authorization code flow with PKCE against
//! the hospital's identity provider, through the `openidconnect` crate. `start` discovers the
//! provider (OpenID Connect Discovery 1.0) and makes the authorization request with a fresh
//! `state`, `nonce` and PKCE challenge (RFC 7636, S256); `finish` exchanges the code with the
//! PKCE verifier and verifies the ID token as OpenID Connect Core 1.0 section 3.1.3.7 requires
//! (signature by a key of the provider's JWKS, `iss`, `aud`, `exp`, `iat`, and the `nonce` of
//! this sign-in). The database side — the pending sign-in, the account, its link — is
//! `service::sso`; what a role claim is worth is `domain::sso`.
use crate::config::OidcConfig;
use chrono::{DateTime, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use std::time::Duration;

/// An authorization request to send the browser to, and what its answer is checked against.
pub struct Started {
    pub authorize_url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider says signed in, from a verified ID token.
#[derive(Clone, Debug)]
pub struct Identity {
    pub issuer: String,
    /// `sub`: the provider's lasting identifier of the person.
    pub subject: String,
    pub email: Option<String>,
    /// `email_verified`: only a verified address matches an account.
    pub email_verified: bool,
    /// The values of the configured role claim (a string claim is one value).
    pub claim_values: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    /// The provider could not be reached or answered something unusable (discovery, token
    /// endpoint).
    #[error("the identity provider failed: {0}")]
    Provider(String),
    /// The ID token failed verification (signature, issuer, audience, expiry, nonce).
    #[error("the ID token is not valid: {0}")]
    InvalidToken(String),
}

fn provider(e: impl std::fmt::Display) -> SsoError {
    SsoError::Provider(e.to_string())
}

/// The HTTP client for the provider: no redirects followed (the OAuth 2.0 security BCP: a
/// redirect would send the code elsewhere), a timeout so a slow provider cannot hold a request.
fn http_client() -> Result<reqwest::Client, SsoError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(provider)
}

/// Discovers the provider and builds the authorization request (scopes `openid email
/// profile`, PKCE S256).
pub async fn start(cfg: &OidcConfig) -> Result<Started, SsoError> {
    let http = http_client()?;
    let issuer = IssuerUrl::new(cfg.issuer.clone()).map_err(provider)?;
    let meta = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .map_err(provider)?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(cfg.client_id.clone()),
        cfg.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(RedirectUrl::new(cfg.redirect_url.clone()).map_err(provider)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Started {
        authorize_url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// Exchanges the authorization code and verifies the ID token, at the instant `now` gives (the
/// app's clock, so `exp` and `iat` are judged by the same time as everything else).
pub async fn finish(
    cfg: &OidcConfig,
    code: String,
    pkce_verifier: String,
    nonce: String,
    now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static,
) -> Result<Identity, SsoError> {
    let http = http_client()?;
    let issuer = IssuerUrl::new(cfg.issuer.clone()).map_err(provider)?;
    let meta = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .map_err(provider)?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(cfg.client_id.clone()),
        cfg.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(RedirectUrl::new(cfg.redirect_url.clone()).map_err(provider)?);
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(provider)?
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
        .request_async(&http)
        .await
        .map_err(provider)?;
    let id_token = token
        .id_token()
        .ok_or_else(|| SsoError::InvalidToken("the token answer has no ID token".into()))?;
    let verifier = client.id_token_verifier().set_time_fn(now);
    let claims = id_token
        .claims(&verifier, &Nonce::new(nonce))
        .map_err(|e| SsoError::InvalidToken(e.to_string()))?;
    Ok(Identity {
        issuer: claims.issuer().to_string(),
        subject: claims.subject().to_string(),
        email: claims.email().map(|e| e.to_string()),
        email_verified: claims.email_verified().unwrap_or(false),
        // The token's signature was verified just above; its payload is read again only for
        // the one claim the standard claims type does not carry.
        claim_values: claim_values(&id_token.to_string(), &cfg.role_claim),
    })
}

/// The values of `claim` in a (verified) compact JWT's payload: a string is one value, a list
/// of strings its strings, anything else none.
fn claim_values(jwt: &str, claim: &str) -> Vec<String> {
    use base64::Engine;
    let payload = jwt
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()
        })
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    match payload.as_ref().and_then(|p| p.get(claim)) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn jwt(payload: serde_json::Value) -> String {
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!("e30.{}.sig", b.encode(payload.to_string()))
    }

    #[test]
    fn a_claim_is_a_string_or_a_list_of_strings() {
        let t = jwt(serde_json::json!({ "groups": ["a", "b", 3], "role": "x", "n": 1 }));
        assert_eq!(claim_values(&t, "groups"), vec!["a", "b"]);
        assert_eq!(claim_values(&t, "role"), vec!["x"]);
        assert!(claim_values(&t, "n").is_empty());
        assert!(claim_values(&t, "missing").is_empty());
        assert!(claim_values("garbage", "groups").is_empty());
    }
}
