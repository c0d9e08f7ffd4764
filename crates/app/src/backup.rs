//! `practicum backup` and `practicum restore` (issue 13 point 7): a consistent copy of the
//! database and of the uploaded files, with a manifest of SHA-256 hashes, and its way back.
//!
//! A backup directory holds:
//! * `manifest.json` — [`Manifest`]: the format, when, which backend, the audit trail's head,
//!   and every other file of the backup with its size in bytes and SHA-256 (hex);
//! * `database.sqlite3` — SQLite's online copy (`VACUUM INTO`: one consistent snapshot taken
//!   while the server may be writing), or `database.pgdump` — `pg_dump --format=custom` (one
//!   snapshot transaction);
//! * `files/<aa>/<sha256>` — the uploaded documents, as the data directory keeps them.
//!
//! The database is copied first and the files after: files are only ever added (stored by
//! content hash, never removed), so every file the copied database names is there to copy.
//!
//! Restore checks every hash before it writes anything, and writes only into an empty data
//! directory (SQLite) or an empty database and files directory (PostgreSQL).
use crate::config::Config;
use crate::files::sha256_hex;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "practicum-backup/1";
pub const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "database.sqlite3";
const PG_FILE: &str = "database.pgdump";

/// `manifest.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// RFC 3339 UTC, when the backup was taken.
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The program version that wrote it.
    pub version: String,
    /// The audit trail's last hash when the backup was taken (see `audit verify`).
    pub audit_head: String,
    /// Every file of the backup but the manifest, the database first.
    pub files: Vec<ManifestFile>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestFile {
    /// Relative to the backup directory, `/`-separated.
    pub path: String,
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Why a backup or a restore did not happen, in words for the person running it.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Refused(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// A directory that does not exist or has nothing in it.
fn is_empty_dir(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io(format!("reading {}", dir.display()))(e)),
    }
}

/// A PostgreSQL client program (`pg_dump`, `pg_restore`) on the `PATH`.
fn pg_tool(name: &str) -> Result<PathBuf, BackupError> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    found.ok_or_else(|| {
        BackupError::Refused(format!(
            "{name} is not installed (or not on the PATH): a PostgreSQL database is backed up \
             and restored with PostgreSQL's own client tools. Install them (Debian: apt-get \
             install postgresql-client, the same major version as the server) and run this \
             again, or use your database provider's backups"
        ))
    })
}

/// Copies the database and the files into `to` (which must not exist or be empty) and writes
/// the manifest last: a directory without `manifest.json` is not a backup.
pub async fn backup(config: &Config, to: &Path) -> Result<Manifest, BackupError> {
    if !is_empty_dir(to)? {
        return Err(BackupError::Refused(format!(
            "{} is not empty: back up into a new or empty directory",
            to.display()
        )));
    }
    let url = config.database_url();
    let postgres = is_postgres(&url);
    if !postgres && !config.data_dir.join("practicum.db").is_file() && config.database.is_none() {
        return Err(BackupError::Refused(format!(
            "there is no database in {}: is --data-dir right?",
            config.data_dir.display()
        )));
    }
    std::fs::create_dir_all(to).map_err(io(format!("creating {}", to.display())))?;
    let db = crate::db::Db::connect(&url, 2).await?;
    let head = crate::service::audit::verify_trail(&db)
        .await
        .map(|r| r.head)
        .unwrap_or_default();
    let db_file = if postgres {
        let out = to.join(PG_FILE);
        let status = tokio::process::Command::new(pg_tool("pg_dump")?)
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--file")
            .arg(&out)
            .arg("--dbname")
            .arg(&url)
            .status()
            .await
            .map_err(io("running pg_dump"))?;
        if !status.success() {
            return Err(BackupError::Refused(format!(
                "pg_dump failed ({status}); nothing usable was written to {}",
                to.display()
            )));
        }
        PG_FILE
    } else {
        let out = to.join(SQLITE_FILE);
        let target = out.to_string_lossy().to_string();
        if let crate::db::Pool::Sqlite(pool) = db.pool() {
            sqlx::query("VACUUM INTO $1")
                .bind(&target)
                .execute(pool)
                .await
                .map_err(anyhow::Error::from)?;
        }
        SQLITE_FILE
    };
    db.close().await;
    let mut files = vec![describe(to, db_file).await?];
    let src = config.files_dir();
    for rel in list_files(&src)? {
        let bytes = tokio::fs::read(src.join(&rel))
            .await
            .map_err(io(format!("reading {}", src.join(&rel).display())))?;
        let dest = to.join("files").join(&rel);
        if let Some(parent) = dest.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .map_err(io(format!("creating {}", parent.display())))?;
        }
        tokio::fs::write(&dest, &bytes)
            .await
            .map_err(io(format!("writing {}", dest.display())))?;
        files.push(ManifestFile {
            path: format!("files/{}", slashed(&rel)),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        backend: if postgres { "postgres" } else { "sqlite" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        audit_head: head,
        files,
    };
    let text = serde_json::to_string_pretty(&manifest).map_err(anyhow::Error::from)?;
    tokio::fs::write(to.join(MANIFEST), text)
        .await
        .map_err(io("writing the manifest"))?;
    Ok(manifest)
}

async fn describe(dir: &Path, rel: &str) -> Result<ManifestFile, BackupError> {
    let bytes = tokio::fs::read(dir.join(rel))
        .await
        .map_err(io(format!("reading {rel}")))?;
    Ok(ManifestFile {
        path: rel.into(),
        bytes: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    })
}

fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every stored file under `dir`, relative to it, sorted; half-written `*.tmp-*` files are not
/// files yet. An absent directory has none.
fn list_files(dir: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let entries = match std::fs::read_dir(dir.join(&rel)) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(format!("reading {}", dir.join(&rel).display()))(e)),
        };
        for entry in entries {
            let entry = entry.map_err(io(format!("reading {}", dir.display())))?;
            let path = rel.join(entry.file_name());
            let kind = entry.file_type().map_err(io("reading a file's type"))?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && !entry.file_name().to_string_lossy().contains(".tmp-") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// What `restore` put back.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Uploaded files written.
    pub files: usize,
}

/// Reads the manifest and checks every file it lists against its size and hash, before
/// anything is written; a mismatch names the file.
pub async fn check(from: &Path) -> Result<Manifest, BackupError> {
    let text = tokio::fs::read_to_string(from.join(MANIFEST))
        .await
        .map_err(|e| {
            BackupError::Refused(format!(
                "{} is not a backup: no readable {MANIFEST} ({e})",
                from.display()
            ))
        })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| BackupError::Refused(format!("{MANIFEST} is not a backup manifest: {e}")))?;
    if manifest.format != FORMAT {
        return Err(BackupError::Refused(format!(
            "{MANIFEST} is in format {:?}; this program restores {FORMAT}",
            manifest.format
        )));
    }
    for f in &manifest.files {
        let safe = !f.path.is_empty()
            && Path::new(&f.path)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !safe {
            return Err(BackupError::Refused(format!(
                "{MANIFEST} lists {:?}, which is not a path inside the backup",
                f.path
            )));
        }
        let bytes = tokio::fs::read(from.join(&f.path)).await.map_err(|e| {
            BackupError::Refused(format!("{} is missing from the backup ({e})", f.path))
        })?;
        if bytes.len() as u64 != f.bytes || sha256_hex(&bytes) != f.sha256 {
            return Err(BackupError::Refused(format!(
                "{} does not match the manifest (its SHA-256 is {}, the manifest says {}): \
                 the backup was changed or damaged; nothing was restored",
                f.path,
                sha256_hex(&bytes),
                f.sha256
            )));
        }
    }
    Ok(manifest)
}

/// Puts a checked backup back: into an empty data directory (SQLite) or an empty database
/// and files directory (PostgreSQL, `config.database`). Refuses a backup of the other backend.
pub async fn restore(config: &Config, from: &Path) -> Result<Restored, BackupError> {
    let manifest = check(from).await?;
    let url = config.database_url();
    let postgres = is_postgres(&url);
    let want = if postgres { "postgres" } else { "sqlite" };
    if manifest.backend != want {
        return Err(BackupError::Refused(format!(
            "this is a backup of a {} database; restore it into {} (a backup is restored into \
             the same kind of database it was taken from)",
            manifest.backend,
            if manifest.backend == "postgres" {
                "an empty PostgreSQL database (--database postgres://...)"
            } else {
                "an empty data directory, without --database"
            }
        )));
    }
    if postgres {
        if !is_empty_dir(&config.files_dir())? {
            return Err(BackupError::Refused(format!(
                "{} already holds files: restore into an empty data directory",
                config.files_dir().display()
            )));
        }
        let db = crate::db::Db::connect(&url, 1).await?;
        let tables: i64 = match db.pool() {
            crate::db::Pool::Postgres(pool) => sqlx::query_scalar(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_one(pool)
            .await
            .map_err(anyhow::Error::from)?,
            crate::db::Pool::Sqlite(_) => 0,
        };
        db.close().await;
        if tables > 0 {
            return Err(BackupError::Refused(format!(
                "the database already has {tables} table(s): restore into an empty database \
                 (createdb a new one, or drop this one first)"
            )));
        }
        let status = tokio::process::Command::new(pg_tool("pg_restore")?)
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--exit-on-error")
            .arg("--single-transaction")
            .arg("--dbname")
            .arg(&url)
            .arg(from.join(PG_FILE))
            .status()
            .await
            .map_err(io("running pg_restore"))?;
        if !status.success() {
            return Err(BackupError::Refused(format!(
                "pg_restore failed ({status}); the database was left as it was"
            )));
        }
    } else {
        if !is_empty_dir(&config.data_dir)? {
            return Err(BackupError::Refused(format!(
                "{} is not empty: restore into a new or empty data directory, so nothing there \
                 is overwritten",
                config.data_dir.display()
            )));
        }
        std::fs::create_dir_all(&config.data_dir)
            .map_err(io(format!("creating {}", config.data_dir.display())))?;
        copy_checked(
            from,
            SQLITE_FILE,
            &manifest,
            &config.data_dir.join("practicum.db"),
        )
        .await?;
    }
    let mut files = 0;
    for f in &manifest.files {
        if let Some(rel) = f.path.strip_prefix("files/") {
            copy_checked(from, &f.path, &manifest, &config.files_dir().join(rel)).await?;
            files += 1;
        }
    }
    Ok(Restored { manifest, files })
}

/// Copies one file of the backup, checking its hash again on the bytes it writes.
async fn copy_checked(
    from: &Path,
    rel: &str,
    manifest: &Manifest,
    dest: &Path,
) -> Result<(), BackupError> {
    let bytes = tokio::fs::read(from.join(rel))
        .await
        .map_err(io(format!("reading {rel}")))?;
    let listed = manifest.files.iter().find(|f| f.path == rel);
    if listed.map(|f| f.sha256.as_str()) != Some(sha256_hex(&bytes).as_str()) {
        return Err(BackupError::Refused(format!(
            "{rel} changed while it was being restored; the restore is incomplete"
        )));
    }
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(io(format!("creating {}", parent.display())))?;
    }
    tokio::fs::write(dest, &bytes)
        .await
        .map_err(io(format!("writing {}", dest.display())))
}
