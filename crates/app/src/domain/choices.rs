//! What the decision form offers (issue 14 point 4): each department's free seats over the
//! request's period, and each preceptor's standing for it — their department, free slots,
//! licence and leave during the period — with those who would pass every check first, and a
//! suggested department and preceptor for each place. Pure: the caller reads the facts.
use super::ErrorCode;
use super::capacity::free_over;
use super::decision::{DepartmentFacts, PreceptorFacts, preceptor_problems};
use super::period::Period;

/// A department as the form offers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentChoice {
    pub id: String,
    pub capacity: i64,
    /// Seats free on every day of the period.
    pub free: i64,
    /// 1-based rank among the request's preferences (by department, else by its site).
    pub preference: Option<usize>,
}

/// A preceptor as the form offers them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreceptorChoice {
    pub id: String,
    pub department_id: String,
    pub max_students: i64,
    /// Slots free on every day of the period.
    pub free: i64,
    /// Their leave that overlaps the period.
    pub leave: Vec<Period>,
    /// What would fail if they were chosen in their own department (empty: they pass).
    pub problems: Vec<(ErrorCode, String)>,
}

impl PreceptorChoice {
    pub fn passes(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A department with its site, for ranking by the request's preferences.
pub struct Ranked<'a> {
    pub facts: &'a DepartmentFacts,
    pub site_id: &'a str,
}

/// The request's ranked preferences: (site, department if named).
pub type Preferences<'a> = &'a [(String, Option<String>)];

fn rank(d: &Ranked, prefs: Preferences) -> Option<usize> {
    prefs
        .iter()
        .position(|(_, dept)| dept.as_deref() == Some(d.facts.id.as_str()))
        .or_else(|| {
            prefs
                .iter()
                .position(|(site, dept)| dept.is_none() && site == d.site_id)
        })
        .map(|i| i + 1)
}

/// The departments in the order offered: preferred ones by rank, then those with the most
/// free seats.
pub fn department_choices(
    departments: &[Ranked],
    prefs: Preferences,
    period: Period,
) -> Vec<DepartmentChoice> {
    let mut out: Vec<DepartmentChoice> = departments
        .iter()
        .map(|d| DepartmentChoice {
            id: d.facts.id.clone(),
            capacity: d.facts.capacity,
            free: free_over(d.facts.capacity, &d.facts.held, period),
            preference: rank(d, prefs),
        })
        .collect();
    out.sort_by_key(|c| (c.preference.unwrap_or(usize::MAX), -c.free));
    out
}

/// The preceptors in the order offered: those who pass every check (discipline, licence through
/// the last day, no leave in the period, a free slot, a free seat in their department) first,
/// in the order of their departments' choices; then the others, each with what fails.
pub fn preceptor_choices(
    preceptors: &[PreceptorFacts],
    departments: &[DepartmentFacts],
    choices: &[DepartmentChoice],
    discipline: &str,
    period: Period,
) -> Vec<PreceptorChoice> {
    let mut out: Vec<(usize, PreceptorChoice)> = preceptors
        .iter()
        .map(|s| {
            let dept = departments.iter().find(|d| d.id == s.department_id);
            let dept_name = dept.map(|d| d.name.as_str()).unwrap_or("their department");
            let mut problems =
                preceptor_problems(s, &s.department_id, dept_name, discipline, period);
            let free = free_over(s.max_students, &s.held, period);
            if free == 0 {
                problems.push((
                    ErrorCode::PreceptorAtCapacity,
                    format!(
                        "{} already supervises {} during the period",
                        s.name, s.max_students
                    ),
                ));
            }
            let order = choices.iter().position(|c| c.id == s.department_id);
            match (dept, order.map(|i| &choices[i])) {
                (Some(d), Some(c)) if c.free == 0 => problems.push((
                    ErrorCode::DepartmentAtCapacity,
                    format!("{} has no free seat during the period", d.name),
                )),
                (None, _) | (_, None) => problems.push((
                    ErrorCode::DepartmentDoesNotHostDiscipline,
                    format!(
                        "{}'s department does not host {}",
                        s.name,
                        super::catalog::discipline_name(discipline)
                    ),
                )),
                _ => {}
            }
            let choice = PreceptorChoice {
                id: s.id.clone(),
                department_id: s.department_id.clone(),
                max_students: s.max_students,
                free,
                leave: s
                    .leave
                    .iter()
                    .filter(|l| l.overlaps(&period))
                    .copied()
                    .collect(),
                problems,
            };
            (order.unwrap_or(usize::MAX), choice)
        })
        .collect();
    out.sort_by_key(|(order, c)| (!c.passes(), *order, -c.free));
    out.into_iter().map(|(_, c)| c).collect()
}

/// A suggested (department, preceptor) for each of `places`, counting the places before it:
/// for a clinical, the first preceptor offered who still has a slot, in their department if
/// it still has a seat; otherwise the first department offered with a seat and no preceptor.
pub fn suggest(
    places: usize,
    clinical: bool,
    departments: &[DepartmentChoice],
    preceptors: &[PreceptorChoice],
) -> Vec<(Option<String>, Option<String>)> {
    let mut seats: Vec<i64> = departments.iter().map(|d| d.free).collect();
    let mut slots: Vec<i64> = preceptors.iter().map(|p| p.free).collect();
    let mut out = Vec::with_capacity(places);
    for _ in 0..places {
        let mut picked = None;
        if clinical {
            for (j, p) in preceptors.iter().enumerate() {
                let Some(i) = departments.iter().position(|d| d.id == p.department_id) else {
                    continue;
                };
                if p.passes() && slots[j] > 0 && seats[i] > 0 {
                    slots[j] -= 1;
                    seats[i] -= 1;
                    picked = Some((Some(p.department_id.clone()), Some(p.id.clone())));
                    break;
                }
            }
        }
        let picked = picked.unwrap_or_else(|| {
            let i = seats.iter().position(|s| *s > 0);
            if let Some(i) = i {
                seats[i] -= 1;
            }
            (i.map(|i| departments[i].id.clone()), None)
        });
        out.push(picked);
    }
    out
}

#[cfg(test)]
mod tests;
