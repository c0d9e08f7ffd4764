//! Importing students: matched by email within their school; each gets a student account.
use super::people::{self, Account, Link};
use super::{ImportOptions, ImportReport, ImportRow, StudentRow, decide, locate, report};
use crate::db::{
    self, Tx,
    audit::{Actor, Created},
    students::Student,
};
use crate::domain::{ErrorCode, Role, scope::Scope};
use crate::error::{AppError, AppResult};
use crate::service::Parsed;
use std::collections::{HashMap, HashSet};

enum Plan {
    Create(Student),
    Update(Box<Student>, Student),
    /// Already as the file has it.
    Keep,
}

/// Whether the file's row changes nothing of the student.
fn same(current: &Student, s: &Student) -> bool {
    (
        &current.program_id,
        &current.first_name,
        &current.last_name,
        &current.email,
        &current.enrollment_status,
        current.expected_graduation,
    ) == (
        &s.program_id,
        &s.first_name,
        &s.last_name,
        &s.email,
        &s.enrollment_status,
        s.expected_graduation,
    )
}

pub(super) async fn run(
    tx: &mut Tx,
    actor: &Actor,
    scope: &Scope,
    rows: Vec<ImportRow<StudentRow>>,
    opts: ImportOptions,
    progress: &super::progress::Progress,
) -> AppResult<ImportReport> {
    let mut out = report(super::ImportKind::Students, rows.len());
    let schools = db::schools::all_names(tx).await?;
    let programs = db::imports::programs(tx).await?;
    let existing: HashMap<String, (String, String)> = db::imports::students(tx)
        .await?
        .into_iter()
        .map(|(email, id, school)| (email, (id, school)))
        .collect();
    let users = people::users_by_email(tx).await?;
    // Every student the file names by email, read at once rather than row by row.
    let named: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.input.fields.fields.email.as_deref())
        .filter_map(|e| existing.get(e).map(|(id, _)| id.as_str()))
        .collect();
    let mut known: HashMap<String, db::students::Student> = db::students::get_many(tx, &named)
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    let mut seen = HashSet::new();
    let mut plans = Vec::new();
    for row in rows {
        progress.advance(1);
        let ImportRow {
            line,
            columns,
            input,
        } = row;
        let Parsed {
            fields:
                StudentRow {
                    mut fields,
                    school,
                    program,
                },
            mut problems,
            ..
        } = input;
        if let Some(s) = &school {
            fields.school_id = super::resolve(
                schools
                    .iter()
                    .map(|(id, n)| (id.as_str(), vec![n.as_str()])),
                s,
            );
            if fields.school_id.is_none() {
                problems.add(
                    "school_id",
                    ErrorCode::UnknownSchool,
                    format!("there is no school named {s:?}"),
                );
            }
        }
        let school_id = fields
            .school_id
            .clone()
            .or(scope.school().map(str::to_string));
        if let Some(p) = &program {
            fields.program_id = super::resolve(
                programs
                    .iter()
                    .filter(|(_, s, _)| school_id.as_ref().is_none_or(|sid| sid == s))
                    .map(|(id, _, n)| (id.as_str(), vec![n.as_str()])),
                p,
            )
            .or_else(|| {
                programs
                    .iter()
                    .find(|(id, _, _)| id == p.trim())
                    .map(|(id, _, _)| id.clone())
            });
            if fields.program_id.is_none() {
                problems.add(
                    "program_id",
                    ErrorCode::UnknownProgram,
                    format!("the school has no program named {p:?}"),
                );
            }
        }
        let mut current = None;
        if let Some(email) = fields.email.clone() {
            if !seen.insert(email.clone()) {
                problems.add(
                    "email",
                    ErrorCode::DuplicateInFile,
                    "an earlier row of the file has this email",
                );
            } else if let Some((id, at)) = existing.get(&email) {
                if school_id.as_ref().is_some_and(|s| s == at) {
                    current = known.remove(id);
                } else {
                    super::email_taken(&mut problems, "a student of another school");
                }
            }
        }
        let checked = super::super::students::merge(
            tx,
            scope,
            Parsed::new(fields, problems),
            current.as_ref(),
        )
        .await;
        let mut problems = crate::domain::Problems::default();
        let (student, account) = match checked {
            Ok(s) => {
                let account = people::account_for(
                    &users,
                    &mut problems,
                    &s.email,
                    &s.full_name(),
                    Role::Student,
                    Link::Student(&s.id),
                    actor.at,
                );
                (Some(s), account)
            }
            Err(AppError::Rejected(p)) => {
                problems = p;
                (None, Account::Keep)
            }
            Err(e) => return Err(e),
        };
        match student {
            Some(s) if problems.is_empty() => {
                out.valid += 1;
                let plan = match current {
                    Some(c) if same(&c, &s) => {
                        out.unchanged += 1;
                        Plan::Keep
                    }
                    Some(c) => {
                        out.updated += 1;
                        Plan::Update(Box::new(c), s)
                    }
                    None => {
                        out.created += 1;
                        Plan::Create(s)
                    }
                };
                if matches!(account, Account::Create(_)) {
                    out.accounts_created += 1;
                }
                plans.push((plan, account));
            }
            _ => out.errors.extend(locate(line, &columns, problems)),
        }
    }
    if let Some(r) = decide(out.clone(), opts)? {
        return Ok(r);
    }
    // New people go in multi-row inserts (a file of thousands); changes one by one.
    let mut new_students = Vec::new();
    let mut new_users = Vec::new();
    let mut renamed = Vec::new();
    let mut updates = Vec::new();
    for (plan, account) in &plans {
        progress.advance(1);
        match plan {
            Plan::Create(s) => new_students.push(s),
            Plan::Update(current, s) => updates.push((current.as_ref(), s)),
            Plan::Keep => {}
        }
        match account {
            Account::Create(u) => new_users.push(u),
            other => renamed.push(other),
        }
    }
    crate::service::students::write_updates(tx, actor, &updates).await?;
    db::imports::insert_students(tx, &new_students, actor.at).await?;
    db::imports::insert_users(tx, &new_users).await?;
    for a in renamed {
        people::write_account(tx, actor, a).await?;
    }
    let mut created: Vec<Created<'_>> = new_students
        .iter()
        .map(|s| Created {
            record_type: "student",
            record_id: &s.id,
            after_json: serde_json::to_string(s).unwrap_or_default(),
        })
        .collect();
    created.extend(new_users.iter().map(|u| Created {
        record_type: "user",
        record_id: &u.id,
        after_json: serde_json::to_string(u).unwrap_or_default(),
    }));
    db::audit::record_created(tx, actor, &created).await?;
    out.written = out.created + out.updated + out.accounts_created > 0
        || plans.iter().any(|(_, a)| matches!(a, Account::Rename(..)));
    Ok(out)
}
