//! What the office may choose from to decide a request by hand (issue 14 point 4).
use crate::service::requests::choices as c;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct DecisionChoices {
    pub discipline: String,
    pub discipline_name: String,
    /// The request's preferences, ranked, in names.
    pub preferences: Vec<PreferenceChoice>,
    /// Departments hosting the discipline: preferred ones by rank, then the most free seats.
    pub departments: Vec<DepartmentChoice>,
    /// A clinical's preceptors of the discipline: those who would pass every check first.
    pub preceptors: Vec<PreceptorChoice>,
    /// One per place: the named students in order, then the unnamed places.
    pub suggestions: Vec<SuggestedPlace>,
}

#[derive(Serialize, ToSchema)]
pub struct PreferenceChoice {
    pub rank: usize,
    pub site_id: String,
    pub site_name: String,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DepartmentChoice {
    pub id: String,
    pub name: String,
    pub site_name: String,
    pub capacity: i64,
    /// Seats free on the busiest day of the request's period.
    pub free: i64,
    pub preference: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct LeavePeriod {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct ChoiceProblem {
    pub code: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreceptorChoice {
    pub id: String,
    pub name: String,
    pub department_id: String,
    pub department_name: String,
    pub max_students: i64,
    /// Slots free on the busiest day of the request's period.
    pub free: i64,
    pub license_expires_on: Option<NaiveDate>,
    /// Their leave during the request's period.
    pub leave: Vec<LeavePeriod>,
    /// Would pass every check, in their own department.
    pub passes: bool,
    /// What would fail, with the decision's codes.
    pub problems: Vec<ChoiceProblem>,
}

#[derive(Serialize, ToSchema)]
pub struct SuggestedPlace {
    pub student_id: Option<String>,
    pub department_id: Option<String>,
    pub preceptor_id: Option<String>,
}

impl From<c::DecisionChoices> for DecisionChoices {
    fn from(x: c::DecisionChoices) -> Self {
        DecisionChoices {
            discipline: x.discipline,
            discipline_name: x.discipline_name,
            preferences: x
                .preferences
                .into_iter()
                .map(|p| PreferenceChoice {
                    rank: p.rank,
                    site_id: p.site_id,
                    site_name: p.site_name,
                    department_id: p.department_id,
                    department_name: p.department_name,
                })
                .collect(),
            departments: x
                .departments
                .into_iter()
                .map(|d| DepartmentChoice {
                    id: d.id,
                    name: d.name,
                    site_name: d.site_name,
                    capacity: d.capacity,
                    free: d.free,
                    preference: d.preference,
                })
                .collect(),
            preceptors: x
                .preceptors
                .into_iter()
                .map(|p| PreceptorChoice {
                    id: p.id,
                    name: p.name,
                    department_id: p.department_id,
                    department_name: p.department_name,
                    max_students: p.max_students,
                    free: p.free,
                    license_expires_on: p.license_expires_on,
                    leave: p
                        .leave
                        .into_iter()
                        .map(|l| LeavePeriod {
                            starts_on: l.starts_on,
                            ends_on: l.ends_on,
                        })
                        .collect(),
                    passes: p.passes,
                    problems: p
                        .problems
                        .into_iter()
                        .map(|e| ChoiceProblem {
                            code: e.code.as_str().to_string(),
                            message: e.message,
                        })
                        .collect(),
                })
                .collect(),
            suggestions: x
                .suggestions
                .into_iter()
                .map(|s| SuggestedPlace {
                    student_id: s.student_id,
                    department_id: s.department_id,
                    preceptor_id: s.preceptor_id,
                })
                .collect(),
        }
    }
}
