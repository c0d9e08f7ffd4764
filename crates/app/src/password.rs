//! argon2id password hashes (PHC strings). Hashing is slow on purpose; it runs off the async
//! threads.
use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Verifies against `stored`, or against a fixed dummy hash when there is no user, so an
/// unknown email costs the same time as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Yh0Nl3Q2aWvcQ7QfQ0x5eQv3cQm7m1C4xHc7s4eH7k";
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| DUMMY.to_string());
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false);
    ok && known
}

/// A password must be at least 10 characters (NIST 800-63B favours length over rules).
pub fn check_strength(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < 10 {
        Err("must be at least 10 characters")
    } else if password.len() > 1000 {
        Err("is too long")
    } else {
        Ok(())
    }
}

/// A session or invitation token as stored: only its SHA-256, so a copy of the database
/// signs no one in.
pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh secret token: 32 random bytes, URL-safe. Errors (`internal_error`, its cause
/// logged) when the operating system's random source fails: a request then fails, not the
/// process.
pub fn random_token() -> crate::error::AppResult<String> {
    use anyhow::Context;
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the operating system's random source failed")?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}
