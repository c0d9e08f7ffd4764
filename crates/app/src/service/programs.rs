//! Programs: a school's degree programs, with their accreditation (DOMAIN.md "Records").
use super::patch::{keep, keep_optional};
use super::{Parsed, Principal, ensure};
use crate::db::{self, Tx, new_id, programs::Program};
use crate::domain::{
    ErrorCode,
    directory::{DegreeLevel, derive_program_name},
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

/// The fields of a program. `accreditor` empty means the discipline's usual accreditor.
#[derive(Clone, Debug, Default)]
pub struct ProgramFields {
    /// `Some(None)`: none given, so one is derived from the degree and the discipline
    /// ("Associate in Radiography").
    pub name: Option<Option<String>>,
    /// A discipline code; the use case checks it is in the catalog.
    pub discipline: Option<String>,
    pub degree_level: Option<DegreeLevel>,
    pub accreditor: Option<Option<String>>,
    pub accredited_until: Option<Option<NaiveDate>>,
}

async fn merge(
    tx: &mut Tx,
    school_id: &str,
    input: Parsed<ProgramFields>,
    current: Option<&Program>,
) -> AppResult<Program> {
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    let p = &problems;
    let name = keep_optional(
        p,
        "name",
        f.name,
        current.map(|c| Some(c.name.clone())).as_ref(),
    );
    let discipline = keep(
        p,
        "discipline",
        f.discipline,
        current.map(|c| &c.discipline),
    );
    let degree_level = keep(
        p,
        "degree_level",
        f.degree_level.map(|d| d.as_str().to_string()),
        current.map(|c| &c.degree_level),
    );
    let accreditor = keep_optional(
        p,
        "accreditor",
        f.accreditor,
        current.map(|c| Some(c.accreditor.clone())).as_ref(),
    );
    let accredited_until = keep_optional(
        p,
        "accredited_until",
        f.accredited_until,
        current.map(|c| &c.accredited_until),
    );
    let mut default_accreditor = None;
    let mut discipline_name = None;
    if let Some(code) = &discipline {
        match db::disciplines::get(tx, code).await? {
            Some(d) => {
                default_accreditor = Some(d.accreditor);
                discipline_name = Some(d.name);
            }
            None => problems.add(
                "discipline",
                ErrorCode::UnknownDiscipline,
                format!("{code:?} is not in the discipline catalog"),
            ),
        }
    }
    problems.into_result()?;
    let level = degree_level.as_deref().and_then(DegreeLevel::parse);
    let name = match (name.flatten(), level, discipline_name) {
        (Some(given), _, _) => given,
        (None, Some(level), Some(d)) => derive_program_name(level, &d),
        (None, _, _) => String::new(),
    };
    Ok(Program {
        affected_placements: None,
        id: current.map_or_else(new_id, |c| c.id.clone()),
        school_id: school_id.to_string(),
        name,
        discipline: discipline.unwrap_or_default(),
        degree_level: degree_level.unwrap_or_default(),
        accreditor: accreditor
            .flatten()
            .or(default_accreditor)
            .unwrap_or_default(),
        accredited_until: accredited_until.flatten(),
    })
}

/// Adds a program to a school (the office, or the school's own coordinator). Errors: 403,
/// 404 (school missing or not theirs), 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), school_id = %school_id))]
pub async fn create_program(
    st: &AppState,
    p: &Principal,
    school_id: &str,
    input: Parsed<ProgramFields>,
) -> AppResult<Program> {
    let scope = p.authorize(Resource::Program, Action::Write)?;
    ensure(scope.sees_school(school_id))?;
    let mut tx = st.db.write().await?;
    db::schools::get(&mut tx, school_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let prog = merge(&mut tx, school_id, input, None).await?;
    db::programs::insert(&mut tx, &prog).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "create",
        "program",
        &prog.id,
        None::<&()>,
        Some(&prog),
    )
    .await?;
    tx.commit().await?;
    Ok(prog)
}

/// Changes the fields given. Errors: 403, 404, 422.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), program_id = %id))]
pub async fn update_program(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<ProgramFields>,
) -> AppResult<Program> {
    let preview = input.preview_risks;
    let scope = p.authorize(Resource::Program, Action::Write)?;
    let mut tx = st.db.write().await?;
    let current = db::programs::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(scope.sees_school(&current.school_id))?;
    let mut prog = merge(&mut tx, &current.school_id.clone(), input, Some(&current)).await?;
    db::programs::update(&mut tx, &prog).await?;
    db::audit::record(
        &mut tx,
        &p.actor(st.clock.now()),
        "update",
        "program",
        id,
        Some(&current),
        Some(&prog),
    )
    .await?;
    let affected = super::risks::review(
        &mut tx,
        db::placements::DependsOn::Program(id),
        st.clock.now(),
    )
    .await?;
    super::risks::confirm_first(&mut tx, preview, &affected, st.clock.now()).await?;
    tx.commit().await?;
    prog.affected_placements = (!affected.is_empty()).then_some(affected);
    Ok(prog)
}
