//! Importing users (admin): matched by email — a user already there has their name updated;
//! an import never changes a role. A new account has no password until invited or given one.
use super::{ImportOptions, ImportReport, ImportRow, UserRow, decide, locate, report};
use crate::db::{self, Tx, audit::Actor, new_id, users::User};
use crate::domain::ErrorCode;
use crate::error::AppResult;
use crate::service::Parsed;
use std::collections::HashSet;

pub(super) async fn run(
    tx: &mut Tx,
    actor: &Actor,
    rows: Vec<ImportRow<UserRow>>,
    opts: ImportOptions,
    progress: &super::progress::Progress,
) -> AppResult<ImportReport> {
    let mut out = report(super::ImportKind::Users, rows.len());
    let schools = db::schools::all_names(tx).await?;
    let staff = db::imports::staff(tx).await?;
    let students = db::imports::students(tx).await?;
    let users = super::people::users_by_email(tx).await?;
    let mut seen = HashSet::new();
    let mut plans: Vec<(Option<String>, User)> = Vec::new();
    for row in rows {
        progress.advance(1);
        let ImportRow {
            line,
            columns,
            input,
        } = row;
        let Parsed {
            fields: f,
            mut problems,
            ..
        } = input;
        let mut link = |field: &str, given: &Option<String>, code, found: Option<String>| {
            if let (Some(g), None) = (given, &found) {
                problems.add(field, code, format!("there is no such record as {g:?}"));
            }
            found
        };
        let school_id = f.school.as_ref().and_then(|s| {
            super::resolve(
                schools
                    .iter()
                    .map(|(id, n)| (id.as_str(), vec![n.as_str()])),
                s,
            )
        });
        let school_id = link("school_id", &f.school, ErrorCode::UnknownSchool, school_id);
        let staff_id = f.staff.as_ref().and_then(|s| {
            super::resolve(
                staff.iter().map(|(e, id)| (id.as_str(), vec![e.as_str()])),
                s,
            )
        });
        let staff_id = link("staff_id", &f.staff, ErrorCode::UnknownStaff, staff_id);
        let student_id = f.student.as_ref().and_then(|s| {
            super::resolve(
                students
                    .iter()
                    .map(|(e, id, _)| (id.as_str(), vec![e.as_str()])),
                s,
            )
        });
        let student_id = link(
            "student_id",
            &f.student,
            ErrorCode::UnknownStudent,
            student_id,
        );
        if let Some(role) = f.role {
            crate::service::users::check_links(
                tx,
                &mut problems,
                role,
                [school_id.clone(), staff_id.clone(), student_id.clone()],
            )
            .await?;
        }
        let mut current = None;
        if let Some(email) = &f.email {
            if !seen.insert(email.clone()) {
                problems.add(
                    "email",
                    ErrorCode::DuplicateInFile,
                    "an earlier row of the file has this email",
                );
            } else if let Some(u) = users.get(email) {
                if f.role.is_some_and(|r| r.as_str() != u.role) {
                    problems.add(
                        "role",
                        ErrorCode::ReadOnly,
                        format!(
                            "the account is already a {}; an import does not change a role",
                            u.role
                        ),
                    );
                }
                current = Some(u.id.clone());
            }
        }
        let (Some(email), Some(name), Some(role), true) =
            (f.email, f.name, f.role, problems.is_empty())
        else {
            out.errors.extend(locate(line, &columns, problems));
            continue;
        };
        out.valid += 1;
        match &current {
            Some(_) => out.updated += 1,
            None => out.created += 1,
        }
        plans.push((
            current,
            User {
                id: new_id(),
                email,
                name,
                role: role.as_str().to_string(),
                school_id,
                staff_id,
                student_id,
                password_hash: None,
                created_at: actor.at,
                disabled_at: None,
            },
        ));
    }
    if let Some(r) = decide(out.clone(), opts)? {
        return Ok(r);
    }
    for (current, u) in &plans {
        match current {
            Some(id) => {
                let before = db::users::get(tx, id).await?;
                db::imports::rename_user(tx, id, &u.name).await?;
                let after = db::users::get(tx, id).await?;
                db::audit::record(
                    tx,
                    actor,
                    "update",
                    "user",
                    id,
                    before.as_ref(),
                    after.as_ref(),
                )
                .await?;
            }
            None => {
                db::users::insert(tx, u).await?;
                super::audit_create(tx, actor, "user", &u.id, u).await?;
            }
        }
    }
    out.written = !plans.is_empty();
    Ok(out)
}
