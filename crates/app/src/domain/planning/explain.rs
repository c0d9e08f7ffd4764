//! What a plan means in words and seats: why a request was not placed, and each
//! department's and preceptor's load week by week.
use super::*;

/// Why a request got fewer places than it asked for, in the coordinator's words.
pub fn why_unplaced(problem: &Problem, solution: &Solution, request_id: &str) -> String {
    let Some(q) = problem.requests.iter().find(|r| r.id == request_id) else {
        return "it was not part of the plan".into();
    };
    let option_ids: HashSet<&str> = q.options.iter().map(|o| o.department.as_str()).collect();
    if q.kind == Kind::Clinical
        && !problem.preceptors.iter().any(|p| {
            option_ids.contains(p.department.as_str())
                && p.discipline == q.discipline
                && p.max_students > 0
        })
    {
        return format!(
            "no preceptor of {} in the departments asked for",
            q.discipline
        );
    }
    let load = department_load(problem, solution);
    let taught = preceptor_load(problem, solution);
    let need = if q.together { q.students } else { 1 };
    let seat_free =
        |dept: &str, cap: i64, w: i64| cap - load.get(&(dept, w)).copied().unwrap_or(0) >= need;
    let mut seats = false;
    let mut fits = false;
    for o in &q.options {
        let cap = problem
            .departments
            .iter()
            .find(|d| d.id == o.department)
            .map_or(0, |d| d.capacity);
        for s in q.earliest_start..=q.latest_start {
            if !(s..s + q.weeks).all(|w| seat_free(&o.department, cap, w)) {
                continue;
            }
            seats = true;
            let teachers = problem
                .preceptors
                .iter()
                .filter(|p| p.department == o.department && p.discipline == q.discipline)
                .filter(|p| {
                    (s..s + q.weeks).all(|w| {
                        !p.unavailable_weeks.contains(&w)
                            && taught.get(&(p.id.as_str(), w)).copied().unwrap_or(0)
                                < p.max_students
                    })
                })
                .count() as i64;
            if q.kind == Kind::Internship || teachers >= need {
                fits = true;
            }
        }
    }
    match (seats, fits) {
        (_, true) => "there is room for it, but the plan gives the room to requests that score more (a higher choice, or a school served less)".into(),
        (true, false) => format!(
            "the {} preceptors of those departments are fully booked or on leave in its window",
            q.discipline
        ),
        (false, _) if q.together => {
            "the departments asked for have no room for the whole group in its window".into()
        }
        (false, _) => "the departments asked for are full in its window".into(),
    }
}

/// Students per (preceptor, week): fixed load plus the solution.
fn preceptor_load<'a>(
    problem: &'a Problem,
    solution: &'a Solution,
) -> HashMap<(&'a str, i64), i64> {
    load_by(
        problem,
        solution,
        |f| f.preceptor.as_deref(),
        |a| a.preceptor.as_deref(),
    )
}

/// Students present per (department, week): fixed load plus the solution.
pub fn department_load<'a>(
    problem: &'a Problem,
    solution: &'a Solution,
) -> HashMap<(&'a str, i64), i64> {
    load_by(
        problem,
        solution,
        |f| Some(f.department.as_str()),
        |a| Some(a.department.as_str()),
    )
}

/// Students per (row, week), where the row of a fixed load or an assignment is what `of_fixed`
/// or `of_assignment` says (none: not counted).
fn load_by<'a>(
    problem: &'a Problem,
    solution: &'a Solution,
    of_fixed: impl Fn(&'a Fixed) -> Option<&'a str>,
    of_assignment: impl Fn(&'a Assignment) -> Option<&'a str>,
) -> HashMap<(&'a str, i64), i64> {
    let mut load: HashMap<(&str, i64), i64> = HashMap::new();
    for f in &problem.fixed {
        if let Some(row) = of_fixed(f) {
            for w in f.start..f.start + f.weeks {
                *load.entry((row, w)).or_default() += 1;
            }
        }
    }
    let length: HashMap<&str, i64> = problem
        .requests
        .iter()
        .map(|r| (r.id.as_str(), r.weeks))
        .collect();
    for a in &solution.assignments {
        if let Some(row) = of_assignment(a) {
            let w = length.get(a.request.as_str()).copied().unwrap_or(0);
            for week in a.start..a.start + w {
                *load.entry((row, week)).or_default() += 1;
            }
        }
    }
    load
}
