//! A checked file waits, between its preview and its import, under the data directory
//! (`imports/<sha-256 of the file>`): the import reads exactly the bytes that were checked.
//! Files previewed and never imported are removed after [`crate::config::Config::import_preview_ttl`]
//! by the reminder sweep (and at each new preview), so a data directory does not fill with
//! spreadsheets of people's names and e-mail addresses nobody meant to keep.
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

fn dir(st: &AppState) -> PathBuf {
    st.config.data_dir.join("imports")
}

/// The file behind `token`, if the token has the shape of one (64 hex digits).
pub fn path(st: &AppState, token: &str) -> Option<PathBuf> {
    let ok = token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit());
    ok.then(|| dir(st).join(token))
}

/// Keeps `bytes` for the import that may follow; returns its token.
pub async fn keep(st: &AppState, bytes: &[u8]) -> AppResult<String> {
    forget_stale(st).await;
    let token = hex::encode(Sha256::digest(bytes));
    let path = path(st, &token).ok_or(AppError::NotFound)?;
    tokio::fs::create_dir_all(dir(st))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    tokio::fs::write(&path, bytes)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(token)
}

/// The kept file, or `None` when there is none (never previewed, imported, or removed).
pub async fn read(st: &AppState, token: &str) -> Option<Vec<u8>> {
    tokio::fs::read(path(st, token)?).await.ok()
}

/// Removes the kept file (after its import).
pub async fn forget(st: &AppState, token: &str) {
    if let Some(p) = path(st, token) {
        let _ = tokio::fs::remove_file(p).await;
    }
}

/// Removes the files kept longer than the setting allows, by the file system's clock (the
/// files' own times); returns how many.
pub async fn forget_stale(st: &AppState) -> usize {
    let ttl = st.config.import_preview_ttl;
    let Ok(mut entries) = tokio::fs::read_dir(dir(st)).await else {
        return 0;
    };
    let mut removed = 0;
    while let Ok(Some(e)) = entries.next_entry().await {
        let old = e
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= ttl);
        if old && tokio::fs::remove_file(e.path()).await.is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        tracing::info!(removed, "previewed import files past their time removed");
    }
    removed
}
