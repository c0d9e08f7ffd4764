//! Evaluation forms kept by the office (issue 16 point 1), and the site evaluations' figures
//! per department and per supervisor, shown only for groups of at least three (point 3).
//! A template version that an evaluation was filled on is never changed: editing it writes
//! the next version, which new evaluations use; the filled ones keep theirs.
use super::{Parsed, Principal};
use crate::db::{self, Tx, evaluations::TemplateRow};
use crate::domain::{
    ErrorCode, Problems,
    evaluation::{self, Aggregate, Form, Point},
    policy::{Action, Resource},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::collections::BTreeMap;

/// A new form: every field required but the discipline (none: every discipline of the kind).
#[derive(Clone, Debug, Default)]
pub struct TemplateFields {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// `Some(None)` clears it (the form applies to every discipline).
    pub discipline: Option<Option<String>>,
    pub point: Option<Point>,
    pub form: Option<Form>,
}

pub async fn list_templates(
    st: &AppState,
    p: &Principal,
    all_versions: bool,
) -> AppResult<Vec<TemplateRow>> {
    p.authorize(Resource::EvaluationTemplate, Action::Read)?;
    let mut tx = st.db.read().await?;
    Ok(db::evaluations::list_templates(&mut tx, all_versions).await?)
}

pub async fn get_template(st: &AppState, p: &Principal, id: &str) -> AppResult<TemplateRow> {
    p.authorize(Resource::EvaluationTemplate, Action::Read)?;
    let mut tx = st.db.read().await?;
    db::evaluations::get_template(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn check_discipline(
    tx: &mut Tx,
    problems: &mut Problems,
    discipline: Option<&Option<String>>,
) -> AppResult<()> {
    if let Some(Some(code)) = discipline
        && db::disciplines::get(tx, code).await?.is_none()
    {
        problems.add(
            "discipline",
            ErrorCode::UnknownDiscipline,
            format!("{code:?} is not a discipline of the catalog"),
        );
    }
    Ok(())
}

fn form_json(form: &Form) -> AppResult<String> {
    Ok(serde_json::to_string(form).map_err(anyhow::Error::from)?)
}

#[tracing::instrument(skip_all, fields(role = %p.role.as_str()))]
pub async fn create_template(
    st: &AppState,
    p: &Principal,
    input: Parsed<TemplateFields>,
) -> AppResult<TemplateRow> {
    p.authorize(Resource::EvaluationTemplate, Action::Write)?;
    let mut tx = st.db.write().await?;
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    check_discipline(&mut tx, &mut problems, f.discipline.as_ref()).await?;
    problems.into_result()?;
    let (Some(name), Some(kind), Some(point), Some(form)) = (f.name, f.kind, f.point, f.form)
    else {
        return Err(
            anyhow::anyhow!("a template without its required fields passed the checks").into(),
        );
    };
    let now = st.clock.now();
    let id = db::new_id();
    let t = TemplateRow {
        id: id.clone(),
        family_id: id,
        version: 1,
        name,
        kind,
        discipline: f.discipline.flatten(),
        point: point.as_str().into(),
        form_json: form_json(&form)?,
        is_current: true,
        created_at: now,
        updated_at: now,
    };
    db::evaluations::insert_template(&mut tx, &t).await?;
    db::audit::record::<TemplateRow, TemplateRow>(
        &mut tx,
        &p.actor(now),
        "create",
        "evaluation_template",
        &t.id,
        None,
        Some(&t),
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

/// Changes a template. The current version only (an old one answers `409 invalid_transition`);
/// in place while nothing was filled on it, else as the next version, the old one retired.
#[tracing::instrument(skip_all, fields(role = %p.role.as_str(), template_id = %id))]
pub async fn update_template(
    st: &AppState,
    p: &Principal,
    id: &str,
    input: Parsed<TemplateFields>,
) -> AppResult<TemplateRow> {
    p.authorize(Resource::EvaluationTemplate, Action::Write)?;
    let mut tx = st.db.write().await?;
    let before = db::evaluations::get_template(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Parsed {
        fields: f,
        mut problems,
        ..
    } = input;
    check_discipline(&mut tx, &mut problems, f.discipline.as_ref()).await?;
    problems.into_result()?;
    if !before.is_current {
        return Err(AppError::conflict(
            ErrorCode::InvalidTransition,
            format!(
                "version {} was replaced by a later one; change the current version",
                before.version
            ),
        ));
    }
    let now = st.clock.now();
    let mut after = before.clone();
    if let Some(n) = f.name {
        after.name = n;
    }
    if let Some(k) = f.kind {
        after.kind = k;
    }
    if let Some(d) = f.discipline {
        after.discipline = d;
    }
    if let Some(pt) = f.point {
        after.point = pt.as_str().into();
    }
    if let Some(form) = &f.form {
        after.form_json = form_json(form)?;
    }
    after.updated_at = now;
    let actor = p.actor(now);
    if db::evaluations::template_in_use(&mut tx, id).await? {
        let mut retired = before.clone();
        retired.is_current = false;
        retired.updated_at = now;
        db::evaluations::update_template(&mut tx, &retired).await?;
        after.id = db::new_id();
        after.version = before.version + 1;
        after.created_at = now;
        db::evaluations::insert_template(&mut tx, &after).await?;
        db::audit::record(
            &mut tx,
            &actor,
            "new_version",
            "evaluation_template",
            &after.id,
            Some(&before),
            Some(&after),
        )
        .await?;
    } else {
        db::evaluations::update_template(&mut tx, &after).await?;
        db::audit::record(
            &mut tx,
            &actor,
            "update",
            "evaluation_template",
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// One group of the site evaluations report.
#[derive(Clone, Debug)]
pub struct SiteGroup {
    pub id: Option<String>,
    pub name: String,
    pub aggregate: Aggregate,
}

/// The site evaluations per department and per supervisor (preceptor, else site mentor):
/// the office alone, each group's figures only from [`evaluation::MIN_RESPONSES`] responses.
/// No student, no response and no free text is ever in it.
pub async fn site_aggregates(
    st: &AppState,
    p: &Principal,
) -> AppResult<(Vec<SiteGroup>, Vec<SiteGroup>)> {
    let scope = p.authorize(Resource::Report, Action::Read)?;
    if !scope.is_all() {
        return Err(AppError::Forbidden);
    }
    let mut tx = st.db.read().await?;
    let responses = db::evaluations::site_responses(&mut tx).await?;
    let mut forms: BTreeMap<String, Form> = BTreeMap::new();
    for r in &responses {
        if !forms.contains_key(&r.template_id)
            && let Some(t) = db::evaluations::get_template(&mut tx, &r.template_id).await?
        {
            forms.insert(r.template_id.clone(), t.form());
        }
    }
    let answers: Vec<evaluation::Answers> = responses
        .iter()
        .map(db::evaluations::SiteResponse::answers)
        .collect();
    let group = |key: &dyn Fn(&db::evaluations::SiteResponse) -> (Option<String>, String)| {
        let mut groups: BTreeMap<(String, Option<String>), Vec<usize>> = BTreeMap::new();
        for (i, r) in responses.iter().enumerate() {
            let (id, name) = key(r);
            groups.entry((name, id)).or_default().push(i);
        }
        groups
            .into_iter()
            .map(|((name, id), idx)| {
                let set: Vec<(&Form, &evaluation::Answers)> = idx
                    .iter()
                    .filter_map(|i| Some((forms.get(&responses[*i].template_id)?, &answers[*i])))
                    .collect();
                SiteGroup {
                    id,
                    name,
                    aggregate: evaluation::aggregate(&set),
                }
            })
            .collect::<Vec<_>>()
    };
    let by_department = group(&|r| (Some(r.department_id.clone()), r.department_name.clone()));
    let by_supervisor = group(&|r| {
        (
            r.supervisor_id.clone(),
            r.supervisor_name
                .clone()
                .unwrap_or_else(|| "No named supervisor".into()),
        )
    });
    Ok((by_department, by_supervisor))
}
