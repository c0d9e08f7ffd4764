//! Uploaded files: sniffed from their bytes, stored under the data directory by content hash,
//! outside any served path. Only handlers that check scope hand them out.
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
}

impl Kind {
    pub fn mime(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
        }
    }
}

/// What the bytes are, whatever the name or header claims.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else {
        None
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn path_for(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

/// Writes the bytes once (same content, same file) and returns their hash.
pub async fn store(dir: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let sha = sha256_hex(bytes);
    let path = path_for(dir, &sha);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(sha);
    }
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    // Write then rename, so a crash never leaves a half file under the final name.
    let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::now_v7()));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &path).await?;
    Ok(sha)
}

/// Which of `hashes` have no stored file under `dir` (blocking file-system checks, done off the
/// async workers), in the order given.
pub async fn missing(dir: &Path, hashes: Vec<String>) -> std::io::Result<Vec<String>> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        hashes
            .into_iter()
            .filter(|h| h.len() < 2 || !path_for(&dir, h).is_file())
            .collect()
    })
    .await
    .map_err(std::io::Error::other)
}

pub async fn read(dir: &Path, sha256: &str) -> std::io::Result<Vec<u8>> {
    if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a content hash",
        ));
    }
    tokio::fs::read(path_for(dir, sha256)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"<html>%PDF-"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b""), None);
    }
}
