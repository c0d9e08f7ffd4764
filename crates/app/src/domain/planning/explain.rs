//! What a plan means in words and seats: why a request was not placed, and each
//! department's and preceptor's load week by week.
use super::*;
use crate::domain::catalog::discipline_name;

/// What a request asks for, in words: "of Radiography, clinical rotation".
pub fn request_words(discipline: &str, kind: &str) -> String {
    let kind = match kind {
        "clinical" => "clinical rotation",
        "internship" => "internship",
        other => other,
    };
    format!("of {}, {kind}", discipline_name(discipline))
}

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
            discipline_name(&q.discipline)
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
            discipline_name(&q.discipline)
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

#[cfg(test)]
mod tests {
    use super::*;
    use practicum_engine::parse_problem;
    use serde_json::json;

    /// Six weeks; D1 (capacity 2) and D2 (capacity 1) host RAD; P1 and P2 teach RAD in D1 (one
    /// student each), P3 teaches PT in D2. R1 asks for one clinical student in D1 for two weeks,
    /// starting in week 1 to 3.
    fn problem(change: impl FnOnce(&mut serde_json::Value)) -> Problem {
        let mut p = json!({
            "format": "practicum-allocation/1", "weeks": 6, "fairness_weight": 1.0,
            "departments": [
                { "id": "D1", "capacity": 2, "disciplines": ["RAD"] },
                { "id": "D2", "capacity": 1, "disciplines": ["RAD", "PT"] }
            ],
            "preceptors": [
                { "id": "P1", "department": "D1", "discipline": "RAD", "max_students": 1 },
                { "id": "P2", "department": "D1", "discipline": "RAD", "max_students": 1 },
                { "id": "P3", "department": "D2", "discipline": "PT", "max_students": 1 }
            ],
            "requests": [
                { "id": "R1", "school": "S1", "discipline": "RAD", "kind": "clinical", "students": 1,
                  "weeks": 2, "earliest_start": 1, "latest_start": 3, "together": false,
                  "options": [ { "department": "D1", "weight": 1 } ] },
                { "id": "R2", "school": "S2", "discipline": "RAD", "kind": "clinical", "students": 2,
                  "weeks": 6, "earliest_start": 0, "latest_start": 0, "together": false,
                  "options": [ { "department": "D1", "weight": 1 } ] }
            ],
            "fixed": []
        });
        change(&mut p);
        parse_problem(&p.to_string()).expect("a valid problem")
    }

    fn solution(assignments: &[(&str, &str, Option<&str>, i64)]) -> Solution {
        Solution {
            format: "practicum-allocation-solution/1".into(),
            assignments: assignments
                .iter()
                .map(|(r, d, p, s)| Assignment {
                    request: r.to_string(),
                    department: d.to_string(),
                    preceptor: p.map(str::to_string),
                    start: *s,
                })
                .collect(),
            objective: 0.0,
            bound: None,
            stats: serde_json::Value::Null,
        }
    }

    const ROOM: &str = "there is room for it, but the plan gives the room to requests that score more (a higher choice, or a school served less)";
    const BOOKED: &str =
        "the RAD preceptors of those departments are fully booked or on leave in its window";
    const FULL: &str = "the departments asked for are full in its window";
    const NO_ROOM_FOR_GROUP: &str =
        "the departments asked for have no room for the whole group in its window";

    #[test]
    fn a_request_outside_the_plan_or_without_a_preceptor_says_so() {
        let p = problem(|_| {});
        assert_eq!(
            why_unplaced(&p, &solution(&[]), "R9"),
            "it was not part of the plan"
        );
        let no_rad = problem(|p| {
            p["requests"][0]["options"] = json!([{ "department": "D2", "weight": 1 }]);
        });
        assert_eq!(
            why_unplaced(&no_rad, &solution(&[]), "R1"),
            "no preceptor of RAD in the departments asked for"
        );
        let none_takes_students = problem(|p| {
            p["preceptors"][0]["max_students"] = json!(0);
            p["preceptors"][1]["max_students"] = json!(0);
        });
        assert_eq!(
            why_unplaced(&none_takes_students, &solution(&[]), "R1"),
            "no preceptor of RAD in the departments asked for"
        );
        // An internship needs no preceptor: with a free seat there is room.
        let internship = problem(|p| {
            p["requests"][0]["kind"] = json!("internship");
            p["requests"][0]["options"] = json!([{ "department": "D2", "weight": 1 }]);
        });
        assert_eq!(why_unplaced(&internship, &solution(&[]), "R1"), ROOM);
    }

    #[test]
    fn room_booked_preceptors_and_full_departments() {
        let p = problem(|_| {});
        assert_eq!(why_unplaced(&p, &solution(&[]), "R1"), ROOM);
        // R2's two students fill both preceptors every week, but one seat in D1 is... none: D1
        // has capacity 2, so both seats are taken too.
        let both = solution(&[("R2", "D1", Some("P1"), 0), ("R2", "D1", Some("P2"), 0)]);
        assert_eq!(why_unplaced(&p, &both, "R1"), FULL);
        // With a third seat, the seat is free but nobody can teach.
        let three_seats = problem(|p| p["departments"][0]["capacity"] = json!(3));
        assert_eq!(why_unplaced(&three_seats, &both, "R1"), BOOKED);
        // One preceptor busy all term, the other on leave in every week R1 could use.
        let on_leave = problem(|p| {
            p["departments"][0]["capacity"] = json!(3);
            p["preceptors"][1]["unavailable_weeks"] = json!([1, 3]);
        });
        let one = solution(&[("R2", "D1", Some("P1"), 0)]);
        assert_eq!(why_unplaced(&on_leave, &one, "R1"), BOOKED);
        // Leave in weeks 1 and 2 only: starting in week 3, P2 is free.
        let early_leave = problem(|p| {
            p["departments"][0]["capacity"] = json!(3);
            p["preceptors"][1]["unavailable_weeks"] = json!([1, 2]);
        });
        assert_eq!(why_unplaced(&early_leave, &one, "R1"), ROOM);
    }

    /// Only the asked-for department's preceptors of the discipline teach it, and a preceptor
    /// must be free in every week of a start, not only its first (mutation testing).
    #[test]
    fn only_free_preceptors_of_the_department_count_for_every_week() {
        let elsewhere = problem(|p| {
            p["departments"][0]["capacity"] = json!(3);
            p["preceptors"][1]["unavailable_weeks"] = json!([1, 2, 3, 4]);
            p["preceptors"].as_array_mut().expect("preceptors").push(
                json!({ "id": "P4", "department": "D2", "discipline": "RAD", "max_students": 1 }),
            );
        });
        let one = solution(&[("R2", "D1", Some("P1"), 0)]);
        assert_eq!(why_unplaced(&elsewhere, &one, "R1"), BOOKED);
        // P2 is away in weeks 2 and 4: every start from 1 to 3 touches one of them.
        let gaps = problem(|p| {
            p["departments"][0]["capacity"] = json!(3);
            p["preceptors"][1]["unavailable_weeks"] = json!([2, 4]);
        });
        assert_eq!(why_unplaced(&gaps, &one, "R1"), BOOKED);
    }

    #[test]
    fn a_group_needs_room_and_teachers_for_all_at_once() {
        let group = problem(|p| {
            p["requests"][0]["students"] = json!(2);
            p["requests"][0]["together"] = json!(true);
            p["fixed"] = json!([{ "department": "D1", "start": 0, "weeks": 6 }]);
        });
        // One seat of two is taken all term: no room for the pair, though room for one.
        assert_eq!(
            why_unplaced(&group, &solution(&[]), "R1"),
            NO_ROOM_FOR_GROUP
        );
        let apart = problem(|p| {
            p["requests"][0]["students"] = json!(2);
            p["fixed"] = json!([{ "department": "D1", "start": 0, "weeks": 6 }]);
        });
        assert_eq!(why_unplaced(&apart, &solution(&[]), "R1"), ROOM);
        // Room for both, but only one preceptor free: the group cannot be taught together.
        let one_teacher = problem(|p| {
            p["requests"][0]["students"] = json!(2);
            p["requests"][0]["together"] = json!(true);
            p["departments"][0]["capacity"] = json!(4);
            p["fixed"] = json!([{ "department": "D1", "preceptor": "P1", "start": 0, "weeks": 6 }]);
        });
        assert_eq!(why_unplaced(&one_teacher, &solution(&[]), "R1"), BOOKED);
    }

    #[test]
    fn the_window_is_inclusive_and_a_placement_ends_before_its_last_week_plus_one() {
        // D1 is full in weeks 1 to 3 and from week 6 on (there is none): only a start in week 4
        // would do, which is past R1's latest start of 3; a start in week 3 needs weeks 3-4.
        let full_early = problem(|p| {
            p["fixed"] = json!([
                { "department": "D1", "start": 1, "weeks": 2 },
                { "department": "D1", "start": 1, "weeks": 2 }
            ]);
        });
        // Weeks 1-2 are full; starting in week 3 (the latest) uses weeks 3-4: room.
        assert_eq!(why_unplaced(&full_early, &solution(&[]), "R1"), ROOM);
        let full_late = problem(|p| {
            p["fixed"] = json!([
                { "department": "D1", "start": 2, "weeks": 4 },
                { "department": "D1", "start": 2, "weeks": 4 }
            ]);
        });
        // Every start from 1 to 3 touches week 2 or later: full.
        assert_eq!(why_unplaced(&full_late, &solution(&[]), "R1"), FULL);
        let full_after = problem(|p| {
            p["fixed"] = json!([
                { "department": "D1", "start": 3, "weeks": 3 },
                { "department": "D1", "start": 3, "weeks": 3 }
            ]);
        });
        // Starting in week 1 uses weeks 1-2 only: the load from week 3 does not block it.
        assert_eq!(why_unplaced(&full_after, &solution(&[]), "R1"), ROOM);
    }

    #[test]
    fn load_counts_fixed_and_assigned_students_per_week() {
        let p = problem(|p| {
            p["fixed"] = json!([{ "department": "D1", "preceptor": "P1", "start": 4, "weeks": 2 }]);
        });
        let s = solution(&[("R1", "D1", Some("P2"), 1), ("R1", "D2", None, 2)]);
        let load = department_load(&p, &s);
        let mut d1: Vec<(i64, i64)> = load
            .iter()
            .filter(|((d, _), _)| *d == "D1")
            .map(|((_, w), n)| (*w, *n))
            .collect();
        d1.sort();
        assert_eq!(d1, vec![(1, 1), (2, 1), (4, 1), (5, 1)]);
        assert_eq!(load.get(&("D2", 2)), Some(&1));
        assert_eq!(load.get(&("D2", 3)), Some(&1));
        assert_eq!(load.len(), 6);
        let taught = preceptor_load(&p, &s);
        let mut rows: Vec<((&str, i64), i64)> = taught.into_iter().collect();
        rows.sort();
        assert_eq!(
            rows,
            vec![
                (("P1", 4), 1),
                (("P1", 5), 1),
                (("P2", 1), 1),
                (("P2", 2), 1)
            ]
        );
        // Two students in one department and week count two.
        let two = solution(&[("R1", "D1", Some("P1"), 1), ("R1", "D1", Some("P2"), 1)]);
        assert_eq!(department_load(&p, &two).get(&("D1", 1)), Some(&2));
    }
}
