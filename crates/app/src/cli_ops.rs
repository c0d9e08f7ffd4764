//! The operations team's commands: `audit verify`, `backup`, `restore`. Each prints its
//! verdict in words and exits 0 when all is well, 1 when the check found a fault (a broken
//! audit trail) and 2 when it could not do what was asked (a refused restore, no pg_dump,
//! an unreachable database).
use crate::{Store, config_for};
use clap::{Args, Subcommand};
use std::{path::PathBuf, process::ExitCode};

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the audit trail's hash chain: exit 0 if intact (printing its last hash), 1 naming
    /// the first event that was changed, removed or inserted.
    Verify(Store),
}

#[derive(Args)]
pub struct BackupArgs {
    #[command(flatten)]
    store: Store,
    /// A new or empty directory for the backup.
    #[arg(long)]
    to: PathBuf,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// A directory `practicum backup` wrote.
    #[arg(long)]
    from: PathBuf,
    /// The empty data directory (and, with --database, the empty database) to restore into.
    #[command(flatten)]
    store: Store,
}

fn failed(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(2)
}

pub async fn verify(store: Store) -> ExitCode {
    let config = config_for(&store);
    if config.database.is_none() && !config.data_dir.join("practicum.db").is_file() {
        return failed(format!(
            "there is no database in {}: is --data-dir right?",
            config.data_dir.display()
        ));
    }
    // Opened as it is: no migration, no backfill — the check changes nothing.
    let db = match practicum::db::Db::connect(&config.database_url(), 2).await {
        Ok(db) => db,
        Err(e) => return failed(format!("cannot open the database: {e}")),
    };
    let report = practicum::service::audit::verify_trail(&db).await;
    db.close().await;
    match report {
        Err(e) => failed(format!("cannot read the audit trail: {e}")),
        Ok(r) => match r.broken {
            None => {
                println!(
                    "the audit trail is intact: {} events; last hash {}",
                    r.events, r.head
                );
                ExitCode::SUCCESS
            }
            Some(b) => {
                println!("the audit trail is broken: {b}");
                ExitCode::from(1)
            }
        },
    }
}

pub async fn backup(a: BackupArgs) -> ExitCode {
    match practicum::backup::backup(&config_for(&a.store), &a.to).await {
        Ok(m) => {
            println!(
                "backed up the {} database and {} file(s) to {} (manifest.json lists their \
                 SHA-256; audit trail head {})",
                m.backend,
                m.files.len().saturating_sub(1),
                a.to.display(),
                m.audit_head
            );
            ExitCode::SUCCESS
        }
        Err(e) => failed(format!("backup refused: {e}")),
    }
}

pub async fn restore(a: RestoreArgs) -> ExitCode {
    match practicum::backup::restore(&config_for(&a.store), &a.from).await {
        Ok(r) => {
            println!(
                "restored the {} database of {} and {} file(s); every SHA-256 matched the \
                 manifest. Start the server on it, then run `practicum audit verify`: its last \
                 hash should be {}",
                r.manifest.backend, r.manifest.created_at, r.files, r.manifest.audit_head
            );
            ExitCode::SUCCESS
        }
        Err(e) => failed(format!("restore refused: {e}")),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImportWhat {
    Students,
    Staff,
    Users,
}

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds.
    what: ImportWhat,
    /// A CSV or XLSX file; its first row names the columns (README.md "Bulk import").
    file: PathBuf,
    /// Students: the school (id or name) of rows that name none.
    #[arg(long)]
    school: Option<String>,
    /// Check every row and count; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the valid rows and skip the others (each is listed).
    #[arg(long)]
    valid_only: bool,
    #[command(flatten)]
    store: Store,
}

/// `practicum import students|staff|users FILE`: straight to the database, as the office;
/// exit 0 when done (or, on a dry run, when every row is valid), 1 listing the rows' problems,
/// 2 when the file or database cannot be used.
pub async fn import(a: ImportArgs) -> ExitCode {
    use practicum::service::imports::{ImportKind, ImportOptions, import_as};
    let kind = match a.what {
        ImportWhat::Students => ImportKind::Students,
        ImportWhat::Staff => ImportKind::Staff,
        ImportWhat::Users => ImportKind::Users,
    };
    let bytes = match std::fs::read(&a.file) {
        Ok(b) => b,
        Err(e) => return failed(format!("cannot read {}: {e}", a.file.display())),
    };
    let config = config_for(&a.store);
    let db = match practicum::startup::open(&config).await {
        Ok(db) => db,
        Err(e) => return failed(format!("cannot open the database: {e}")),
    };
    let st = practicum::state::AppState::new(db, config, practicum::clock::Clock::system());
    let actor = practicum::db::audit::Actor {
        user_id: None,
        label: format!("command line (practicum import {})", kind.as_str()),
        ip: None,
        at: st.clock.now(),
    };
    let opts = ImportOptions {
        dry_run: a.dry_run,
        valid_only: a.valid_only,
    };
    let started = std::time::Instant::now();
    let result = match practicum::http::input::imports::read(kind, &bytes, a.school.as_deref()) {
        Ok(rows) => {
            import_as(
                &st,
                &actor,
                &practicum::domain::scope::Scope::All,
                rows,
                opts,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let list = |errors: &[practicum::domain::FieldError]| {
        for e in errors {
            eprintln!(
                "line {}{}: {} ({})",
                e.line.unwrap_or(0),
                e.column
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default(),
                e.message,
                e.code
            );
        }
    };
    match result {
        Ok(r) => {
            list(&r.errors);
            println!(
                "{}{} rows: {} valid, {} {} created, {} updated, {} unchanged, {} accounts created, {} skipped ({:.2} s)",
                if r.dry_run {
                    "dry run, nothing written: "
                } else {
                    ""
                },
                r.rows,
                r.valid,
                r.created,
                kind.as_str(),
                r.updated,
                r.unchanged,
                r.accounts_created,
                r.rows - r.valid,
                started.elapsed().as_secs_f64()
            );
            if r.dry_run && !r.errors.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(practicum::error::AppError::Rejected(p)) => {
            list(&p.0);
            eprintln!("nothing was imported: {} problems", p.0.len());
            ExitCode::from(1)
        }
        Err(e) => failed(format!("the import failed: {e}")),
    }
}
