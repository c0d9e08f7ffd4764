//! Importing staff (preceptors, site mentors, department managers): matched by email; a row
//! that names a role gets an account in it (preceptor; a manager: department_manager).
use super::people::{self, Account, Link};
use super::{ImportOptions, ImportReport, ImportRow, StaffRole, StaffRow, decide, locate, report};
use crate::db::{self, Tx, audit::Actor, staff::Staff};
use crate::domain::{ErrorCode, Problems, Role};
use crate::error::{AppError, AppResult};
use crate::service::Parsed;
use std::collections::{HashMap, HashSet};

pub(super) async fn run(
    tx: &mut Tx,
    actor: &Actor,
    rows: Vec<ImportRow<StaffRow>>,
    opts: ImportOptions,
    progress: &super::progress::Progress,
) -> AppResult<ImportReport> {
    let mut out = report(super::ImportKind::Staff, rows.len());
    let departments = db::imports::departments(tx).await?;
    let full_names: Vec<String> = departments
        .iter()
        .map(|(_, d, s)| format!("{s} — {d}"))
        .collect();
    let existing: HashMap<String, String> = db::imports::staff(tx).await?.into_iter().collect();
    let users = people::users_by_email(tx).await?;
    let mut seen = HashSet::new();
    let mut plans: Vec<(Option<Staff>, Staff, Account)> = Vec::new();
    for row in rows {
        progress.advance(1);
        let ImportRow {
            line,
            columns,
            input,
        } = row;
        let Parsed {
            fields:
                StaffRow {
                    mut fields,
                    department,
                    role,
                },
            mut problems,
            ..
        } = input;
        if let Some(d) = &department {
            fields.department_id = super::resolve(
                departments
                    .iter()
                    .zip(&full_names)
                    .map(|((id, n, _), full)| (id.as_str(), vec![n.as_str(), full.as_str()])),
                d,
            );
            if fields.department_id.is_none() {
                problems.add(
                    "department_id",
                    ErrorCode::UnknownDepartment,
                    format!("there is no department named {d:?}"),
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
            } else if let Some(id) = existing.get(&email) {
                current = db::staff::get(tx, id).await?;
            }
        }
        let checked =
            crate::service::staff::merge(tx, Parsed::new(fields, problems), current.as_ref()).await;
        let mut problems = Problems::default();
        match checked {
            Ok(s) => {
                let account = match role {
                    None => Account::Keep,
                    Some(r) => people::account_for(
                        &users,
                        &mut problems,
                        &s.email,
                        &s.name,
                        match r {
                            StaffRole::Manager => Role::DepartmentManager,
                            StaffRole::Preceptor | StaffRole::Mentor => Role::Preceptor,
                        },
                        Link::Staff(&s.id),
                        actor.at,
                    ),
                };
                if problems.is_empty() {
                    out.valid += 1;
                    match &current {
                        Some(_) => out.updated += 1,
                        None => out.created += 1,
                    }
                    if matches!(account, Account::Create(_)) {
                        out.accounts_created += 1;
                    }
                    plans.push((current, s, account));
                } else {
                    out.errors.extend(locate(line, &columns, problems));
                }
            }
            Err(AppError::Rejected(p)) => out.errors.extend(locate(line, &columns, p)),
            Err(e) => return Err(e),
        }
    }
    if let Some(r) = decide(out.clone(), opts)? {
        return Ok(r);
    }
    for (current, s, account) in &plans {
        match current {
            None => {
                db::staff::insert(tx, s).await?;
                super::audit_create(tx, actor, "staff", &s.id, s).await?;
            }
            Some(c) => {
                db::staff::update(tx, s).await?;
                db::audit::record(tx, actor, "update", "staff", &s.id, Some(c), Some(s)).await?;
                crate::service::risks::review(
                    tx,
                    db::placements::DependsOn::Preceptor(&s.id),
                    actor.at,
                )
                .await?;
            }
        }
        people::write_account(tx, actor, account).await?;
    }
    out.written = !plans.is_empty();
    Ok(out)
}
