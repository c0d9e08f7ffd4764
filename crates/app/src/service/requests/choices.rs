//! What the office sees when it decides by hand (issue 14 point 4): the request's ranked
//! preferences by site and department, each department's free seats over the period, each
//! preceptor's department, free slots, licence and leave during the period — those who would
//! pass every check first — and a suggested department and preceptor for each place.
use super::Principal;
use crate::db::{self, Scope, Tx};
use crate::domain::{
    ErrorCode,
    choices::{self, Ranked},
    decision::DepartmentFacts,
    period::Period,
    policy::{Action, Resource},
    records::PlacementRequest,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::NaiveDate;

/// One of the request's ranked preferences, in names.
#[derive(Clone, Debug)]
pub struct PreferenceView {
    pub rank: usize,
    pub site_id: String,
    pub site_name: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

impl PreferenceView {
    /// "Bayview Main — Radiology" or "Bayview Main (any department)".
    pub fn words(&self) -> String {
        match &self.department_name {
            Some(d) => format!("{} — {d}", self.site_name),
            None => format!("{} (any department)", self.site_name),
        }
    }
}

#[derive(Clone, Debug)]
pub struct DepartmentOption {
    pub id: String,
    pub name: String,
    pub site_name: String,
    pub capacity: i64,
    /// Seats free on every day of the request's period.
    pub free: i64,
    /// Its rank among the request's preferences.
    pub preference: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct PreceptorOption {
    pub id: String,
    pub name: String,
    pub department_id: String,
    pub department_name: String,
    pub max_students: i64,
    /// Slots free on every day of the request's period.
    pub free: i64,
    pub license_expires_on: Option<NaiveDate>,
    /// Their leave that overlaps the period.
    pub leave: Vec<Period>,
    /// Whether they would pass every check in their own department.
    pub passes: bool,
    pub problems: Vec<Problem>,
}

/// A suggested department and supervisor for one place (a named student or an unnamed one).
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub student_id: Option<String>,
    pub department_id: Option<String>,
    pub preceptor_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct DecisionChoices {
    pub discipline: String,
    pub discipline_name: String,
    pub preferences: Vec<PreferenceView>,
    pub departments: Vec<DepartmentOption>,
    /// Preceptors of the discipline (clinical requests), those who pass first.
    pub preceptors: Vec<PreceptorOption>,
    /// Staff who may mentor on site (internships): (id, name).
    pub site_mentors: Vec<(String, String)>,
    /// One per place: the named students in order, then the unnamed places.
    pub suggestions: Vec<Suggestion>,
}

/// The request's preferences in names; anyone who may read the request may read these.
pub async fn preferences_of(tx: &mut Tx, r: &PlacementRequest) -> AppResult<Vec<PreferenceView>> {
    let mut out = Vec::new();
    for (i, p) in r.preferences.iter().enumerate() {
        let site_name = db::sites::get(tx, &p.site_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let department_name = match &p.department_id {
            Some(d) => db::departments::get(tx, d).await?.map(|d| d.name),
            None => None,
        };
        out.push(PreferenceView {
            rank: i + 1,
            site_id: p.site_id.clone(),
            site_name,
            department_id: p.department_id.clone(),
            department_name,
        });
    }
    Ok(out)
}

fn all() -> db::Page {
    db::Page {
        limit: 5000,
        after: None,
        sort: None,
    }
}

/// The office's choices for deciding request `id` (`GET /api/v1/requests/{id}/choices`).
pub async fn decision_choices(
    st: &AppState,
    p: &Principal,
    id: &str,
) -> AppResult<DecisionChoices> {
    p.authorize(Resource::Decision, Action::Write)?;
    let mut tx = st.db.read().await?;
    let r = db::requests::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let program = db::programs::get(&mut tx, &r.program_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let discipline = program.discipline.clone();
    let discipline_name = db::disciplines::get(&mut tx, &discipline)
        .await?
        .map(|d| d.name)
        .unwrap_or_else(|| crate::domain::catalog::discipline_name(&discipline));
    let period = Period::new(r.starts_on, r.ends_on).unwrap_or(Period {
        starts_on: r.starts_on,
        ends_on: r.starts_on,
    });
    let sites = db::sites::all(&mut tx).await?;
    let site_name = |id: &str| {
        sites
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let rows = db::departments::list(
        &mut tx,
        &Scope::All,
        &db::departments::Filter {
            discipline: Some(discipline.clone()),
            ..Default::default()
        },
        &all(),
    )
    .await?
    .items;
    let mut facts = Vec::with_capacity(rows.len());
    for d in &rows {
        facts.push(DepartmentFacts {
            id: d.id.clone(),
            name: d.name.clone(),
            capacity: d.capacity,
            disciplines: d.disciplines.clone(),
            held: periods(
                db::placements::held_in_department(&mut tx, &d.id, r.starts_on, r.ends_on).await?,
            ),
        });
    }
    let prefs: Vec<(String, Option<String>)> = r
        .preferences
        .iter()
        .map(|p| (p.site_id.clone(), p.department_id.clone()))
        .collect();
    let ranked: Vec<Ranked> = facts
        .iter()
        .zip(&rows)
        .map(|(f, d)| Ranked {
            facts: f,
            site_id: &d.site_id,
        })
        .collect();
    let dept_choices = choices::department_choices(&ranked, &prefs, period);
    let staff = db::staff::list(&mut tx, &Scope::All, &db::staff::Filter::default(), &all())
        .await?
        .items;
    let mut people = Vec::new();
    for s in staff
        .iter()
        .filter(|s| s.is_preceptor && s.discipline.as_deref() == Some(discipline.as_str()))
    {
        people.push(s.preceptor_facts(periods(
            db::placements::held_by_preceptor(&mut tx, &s.id, r.starts_on, r.ends_on).await?,
        )));
    }
    let clinical = r.kind == "clinical";
    let prec_choices = if clinical {
        choices::preceptor_choices(&people, &facts, &dept_choices, &discipline, period)
    } else {
        vec![]
    };
    let places = r.student_ids.len() + usize::try_from(r.slots).unwrap_or(0);
    let suggested = choices::suggest(places, clinical, &dept_choices, &prec_choices);
    let students = r.student_ids.iter().map(|s| Some(s.clone()));
    let suggestions = students
        .chain(std::iter::repeat(None))
        .zip(suggested)
        .map(|(student_id, (department_id, preceptor_id))| Suggestion {
            student_id,
            department_id,
            preceptor_id,
        })
        .collect();
    let preferences = preferences_of(&mut tx, &r).await?;
    drop(tx);
    let dept_name = |id: &str| {
        rows.iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone())
            .unwrap_or_default()
    };
    let departments = dept_choices
        .iter()
        .filter_map(|c| {
            let d = rows.iter().find(|d| d.id == c.id)?;
            Some(DepartmentOption {
                id: c.id.clone(),
                name: d.name.clone(),
                site_name: site_name(&d.site_id),
                capacity: c.capacity,
                free: c.free,
                preference: c.preference,
            })
        })
        .collect();
    let preceptors = prec_choices
        .into_iter()
        .filter_map(|c| {
            let s = staff.iter().find(|s| s.id == c.id)?;
            Some(PreceptorOption {
                passes: c.passes(),
                department_name: dept_name(&c.department_id),
                id: c.id,
                name: s.name.clone(),
                department_id: c.department_id,
                max_students: c.max_students,
                free: c.free,
                license_expires_on: s.license_expires_on,
                leave: c.leave,
                problems: c
                    .problems
                    .into_iter()
                    .map(|(code, message)| Problem { code, message })
                    .collect(),
            })
        })
        .collect();
    let site_mentors = staff
        .iter()
        .filter(|s| !s.is_preceptor)
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    Ok(DecisionChoices {
        discipline,
        discipline_name,
        preferences,
        departments,
        preceptors,
        site_mentors,
        suggestions,
    })
}

fn periods(held: Vec<(NaiveDate, NaiveDate)>) -> Vec<Period> {
    held.into_iter()
        .filter_map(|(a, b)| Period::new(a, b))
        .collect()
}
