//! Bulk import (issue 14 point 1): students, staff and users from a spreadsheet. Every row is
//! checked first by the same rules as one record (`students::merge`, `staff::merge`,
//! `users::check_links`); nothing is written unless every row is valid, or, when asked
//! (`valid_only`), only the valid rows — in one transaction. A person already there (matched
//! by email; a student within their school) is updated, never duplicated.
use super::Parsed;
use crate::db::{self, Tx, audit::Actor};
use crate::domain::{
    ErrorCode, FieldError, Problems,
    policy::{Action, Resource},
    scope::Scope,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::Serialize;

mod people;
pub mod previews;
pub mod progress;
mod staff;
mod students;
mod users;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Students,
    Staff,
    Users,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [ImportKind::Students, ImportKind::Staff, ImportKind::Users];

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Students => "students",
            ImportKind::Staff => "staff",
            ImportKind::Users => "users",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Who may import it: who may write one such record.
    pub fn resource(self) -> Resource {
        match self {
            ImportKind::Students => Resource::Student,
            ImportKind::Staff => Resource::Staff,
            ImportKind::Users => Resource::User,
        }
    }
}

/// One data row as the edge read it: its line, the header of the column behind each field
/// (for the row's errors), and its typed fields with the problems found reading them.
#[derive(Clone, Debug)]
pub struct ImportRow<T> {
    pub line: u64,
    /// `(field, header as the file wrote it)`.
    pub columns: Vec<(String, String)>,
    pub input: Parsed<T>,
}

/// A student's row: the record's fields, with the school and program named or numbered.
#[derive(Clone, Debug, Default)]
pub struct StudentRow {
    pub fields: super::students::StudentFields,
    /// A school's id or name; left out: the caller's school, else the import's default.
    pub school: Option<String>,
    /// A program's id or name (at the row's school).
    pub program: Option<String>,
}

/// What a staff member signs in as, when the file says (`Role` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffRole {
    Preceptor,
    Mentor,
    Manager,
}

/// A staff member's row: the record's fields, the department named or numbered, and the
/// role their account takes (an account is made only when the row names one).
#[derive(Clone, Debug, Default)]
pub struct StaffRow {
    pub fields: super::staff::StaffFields,
    pub department: Option<String>,
    pub role: Option<StaffRole>,
}

/// A user's row: the account's fields, its link named (a school by name or id; a staff member
/// or a student by email or id).
#[derive(Clone, Debug, Default)]
pub struct UserRow {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<crate::domain::Role>,
    pub school: Option<String>,
    pub staff: Option<String>,
    pub student: Option<String>,
}

/// A whole file, read.
#[derive(Clone, Debug)]
pub enum NewImport {
    Students(Vec<ImportRow<StudentRow>>),
    Staff(Vec<ImportRow<StaffRow>>),
    Users(Vec<ImportRow<UserRow>>),
}

impl NewImport {
    /// Data rows in the file.
    pub fn len(&self) -> usize {
        match self {
            NewImport::Students(r) => r.len(),
            NewImport::Staff(r) => r.len(),
            NewImport::Users(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn kind(&self) -> ImportKind {
        match self {
            NewImport::Students(_) => ImportKind::Students,
            NewImport::Staff(_) => ImportKind::Staff,
            NewImport::Users(_) => ImportKind::Users,
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Check and count only; nothing is written.
    pub dry_run: bool,
    /// Write the valid rows and skip the others (listed in `errors`).
    pub valid_only: bool,
}

/// What an import did (or, on a dry run, would do).
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that pass every check.
    pub valid: usize,
    /// New records (on a dry run: that would be).
    pub created: usize,
    /// Records already there, matched by email, updated.
    pub updated: usize,
    /// Records already there, matched by email, that the file leaves as they are.
    pub unchanged: usize,
    /// Accounts made for the people imported (students; staff with a role).
    pub accounts_created: usize,
    /// Whether anything was written.
    pub written: bool,
    /// Every row error: line, column, code and words.
    pub errors: Vec<FieldError>,
}

/// Imports a file for the caller: the office (students, staff; users: admin) or a school
/// coordinator (their own school's students). Errors: 403, 422 with every row's problems
/// when not `valid_only`.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), kind = input.kind().as_str()))]
pub async fn import(
    st: &AppState,
    p: &super::Principal,
    input: NewImport,
    opts: ImportOptions,
) -> AppResult<ImportReport> {
    import_watched(st, p, input, opts, &progress::Progress::none()).await
}

/// Starts `input` for `p` in the background (`progress::ImportRuns`); returns the run's id.
/// The run checks and writes as [`import`] does, in one transaction.
pub fn start_in_background(
    st: &AppState,
    runs: &progress::ImportRuns,
    p: &super::Principal,
    input: NewImport,
    opts: ImportOptions,
    token: &str,
) -> String {
    let (id, progress) = runs.register(&p.user_id, input.kind(), token);
    let (st, runs, p, run_id) = (st.clone(), runs.clone(), p.clone(), id.clone());
    tokio::spawn(async move {
        let state = match import_watched(&st, &p, input, opts, &progress).await {
            Ok(report) => progress::RunState::Done(report),
            Err(AppError::Rejected(problems)) => progress::RunState::Refused(problems),
            Err(e) => {
                tracing::error!(run = %run_id, error = %e, "an import failed");
                progress::RunState::Failed
            }
        };
        runs.finish(&run_id, state);
    });
    id
}

/// [`import`], its progress counted in `progress` (a background run's page reads it).
pub async fn import_watched(
    st: &AppState,
    p: &super::Principal,
    input: NewImport,
    opts: ImportOptions,
    progress: &progress::Progress,
) -> AppResult<ImportReport> {
    let scope = p.authorize(input.kind().resource(), Action::Write)?;
    import_as_watched(st, &p.actor(st.clock.now()), &scope, input, opts, progress).await
}

/// The import on behalf of `actor` within `scope` (the command line: the whole directory).
#[tracing::instrument(skip_all, fields(kind = input.kind().as_str()))]
pub async fn import_as(
    st: &AppState,
    actor: &Actor,
    scope: &Scope,
    input: NewImport,
    opts: ImportOptions,
) -> AppResult<ImportReport> {
    import_as_watched(st, actor, scope, input, opts, &progress::Progress::none()).await
}

async fn import_as_watched(
    st: &AppState,
    actor: &Actor,
    scope: &Scope,
    input: NewImport,
    opts: ImportOptions,
    progress: &progress::Progress,
) -> AppResult<ImportReport> {
    let mut tx = st.db.write().await?;
    let report = match input {
        NewImport::Students(rows) => {
            progress.start(rows.len());
            students::run(&mut tx, actor, scope, rows, opts, progress).await?
        }
        NewImport::Staff(rows) => {
            progress.start(rows.len());
            staff::run(&mut tx, actor, rows, opts, progress).await?
        }
        NewImport::Users(rows) => {
            progress.start(rows.len());
            users::run(&mut tx, actor, rows, opts, progress).await?
        }
    };
    if report.written {
        tx.commit().await?;
    }
    progress.finish();
    Ok(report)
}

/// A row's problems placed in the file: each at the row's line and its field's column.
fn locate(line: u64, columns: &[(String, String)], problems: Problems) -> Vec<FieldError> {
    problems
        .0
        .into_iter()
        .map(|e| {
            let column = e
                .field
                .as_deref()
                .and_then(|f| columns.iter().find(|(k, _)| k == f))
                .map(|(_, h)| h.clone());
            e.in_file(line, column.as_deref())
        })
        .collect()
}

/// After checking: on a dry run, the report; with errors and not `valid_only`, every error as
/// 422 (nothing written); else go on to write (`Ok(None)`).
fn decide(mut report: ImportReport, opts: ImportOptions) -> AppResult<Option<ImportReport>> {
    report.dry_run = opts.dry_run;
    if opts.dry_run {
        return Ok(Some(report));
    }
    if !report.errors.is_empty() && !opts.valid_only {
        return Err(AppError::Rejected(Problems(report.errors)));
    }
    Ok(None)
}

fn report(kind: ImportKind, rows: usize) -> ImportReport {
    ImportReport {
        kind,
        dry_run: false,
        rows,
        valid: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        accounts_created: 0,
        written: false,
        errors: vec![],
    }
}

/// Folds a name for matching: case and spaces do not count.
fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A reference to a record by its id or its name among `(id, names...)`.
fn resolve<'a>(
    candidates: impl Iterator<Item = (&'a str, Vec<&'a str>)>,
    wanted: &str,
) -> Option<String> {
    let k = key(wanted);
    let mut by_name = None;
    for (id, names) in candidates {
        if id == wanted.trim() {
            return Some(id.to_string());
        }
        if by_name.is_none() && names.iter().any(|n| key(n) == k) {
            by_name = Some(id.to_string());
        }
    }
    by_name
}

/// A row's problem that no field of the record can say: an email taken by someone else.
fn email_taken(problems: &mut Problems, whose: &str) {
    problems.add(
        "email",
        ErrorCode::EmailTaken,
        format!("this email belongs to {whose}"),
    );
}

/// Audits the creation of one record.
async fn audit_create<T: Serialize>(
    tx: &mut Tx,
    actor: &Actor,
    kind: &str,
    id: &str,
    after: &T,
) -> AppResult<()> {
    db::audit::record(tx, actor, "create", kind, id, None::<&()>, Some(after)).await?;
    Ok(())
}
