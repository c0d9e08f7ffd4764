//! The checks every new placement passes, whether the office decides by hand or accepts the
//! allocator's plan (DOMAIN.md rules 4-6, API.md "Placements"): the department hosts the
//! discipline and has room on every day; a clinical placement has a preceptor of the same
//! discipline, in that department, licensed through the last day, not on leave, with room.
//! Pure: the caller reads the facts (`PlacementFacts`) and writes what this accepts.
use super::capacity::first_full_day;
use super::catalog::discipline_name;
use super::period::{Period, human_date};
use super::{ErrorCode, Problems};
use chrono::NaiveDate;

/// The request a decision answers: its period, start window and kind.
#[derive(Clone, Debug)]
pub struct RequestWindow {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// 0-4: how many weeks later the same period may start.
    pub start_window_weeks: i64,
    pub clinical: bool,
}

/// One placement a decision asks for, with what the store knows of its department and people.
#[derive(Clone, Debug)]
pub struct ProposedPlacement {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// `None`: there is no such department.
    pub department: Option<DepartmentFacts>,
    pub preceptor: Supervisor,
    /// `Some(false)`: a site mentor was named and there is no such staff member.
    pub site_mentor_known: Option<bool>,
}

/// A department as the capacity rule sees it.
#[derive(Clone, Debug)]
pub struct DepartmentFacts {
    pub id: String,
    pub name: String,
    /// Students at once, all disciplines together.
    pub capacity: i64,
    pub disciplines: Vec<String>,
    /// The periods of the placements that already hold a seat there.
    pub held: Vec<Period>,
}

/// The preceptor named for a placement.
#[derive(Clone, Debug)]
pub enum Supervisor {
    None,
    /// An id that names no staff member.
    Unknown,
    Known(PreceptorFacts),
}

/// A staff member as the preceptor rules see them.
#[derive(Clone, Debug)]
pub struct PreceptorFacts {
    pub id: String,
    pub name: String,
    pub is_preceptor: bool,
    pub discipline: Option<String>,
    pub department_id: String,
    pub license_expires_on: Option<NaiveDate>,
    pub leave: Vec<Period>,
    pub max_students: i64,
    /// The periods of the placements they already supervise.
    pub held: Vec<Period>,
}

/// Checks every proposed placement, counting the ones before it in the same decision against
/// capacity, and answers their periods (in order) or every failure: field problems at
/// `placements[i].<field>`. Rule failures answer 422 with the capacity failures after them;
/// if the only failures are capacity, they answer alone (409, `Problems::status`).
pub fn check_placements(
    request: &RequestWindow,
    discipline: &str,
    proposed: &[ProposedPlacement],
) -> Result<Vec<Period>, Problems> {
    let mut rules = Problems::default();
    let mut full = Problems::default();
    // (department, preceptor, period) of the placements accepted so far in this decision.
    let mut accepted: Vec<(String, Option<String>, Period)> = Vec::new();
    let mut periods = Vec::new();
    for (i, e) in proposed.iter().enumerate() {
        let at = |f: &str| format!("placements[{i}].{f}");
        let Some(period) = Period::new(e.starts_on, e.ends_on) else {
            rules.add(
                &at("ends_on"),
                ErrorCode::InvalidPeriod,
                "the placement ends before it starts",
            );
            continue;
        };
        if e.starts_on < request.starts_on
            || e.ends_on > request.ends_on + chrono::Duration::weeks(request.start_window_weeks)
        {
            rules.add(
                &at("starts_on"),
                ErrorCode::OutsideRequestPeriod,
                format!(
                    "the placement ({}) falls outside the requested period ({}) and its start window of {} week(s)",
                    period.human(),
                    Period {
                        starts_on: request.starts_on,
                        ends_on: request.ends_on
                    }
                    .human(),
                    request.start_window_weeks
                ),
            );
        }
        let Some(dept) = &e.department else {
            rules.add(
                &at("department_id"),
                ErrorCode::UnknownDepartment,
                "there is no such department",
            );
            continue;
        };
        if !dept.disciplines.iter().any(|d| d == discipline) {
            rules.add(
                &at("department_id"),
                ErrorCode::DepartmentDoesNotHostDiscipline,
                format!(
                    "{} does not host {}",
                    dept.name,
                    discipline_name(discipline)
                ),
            );
        }
        let mut held = dept.held.clone();
        held.extend(accepted.iter().filter(|a| a.0 == dept.id).map(|a| a.2));
        if let Some(day) = first_full_day(dept.capacity, &held, period) {
            full.add(
                &at("department_id"),
                ErrorCode::DepartmentAtCapacity,
                format!(
                    "{} is full on {} ({} students at once)",
                    dept.name,
                    human_date(day),
                    dept.capacity
                ),
            );
        }
        let preceptor_id = match &e.preceptor {
            Supervisor::None => {
                if request.clinical {
                    rules.add(
                        &at("preceptor_id"),
                        ErrorCode::PreceptorRequired,
                        "a clinical placement needs a preceptor",
                    );
                }
                None
            }
            Supervisor::Unknown => {
                rules.add(
                    &at("preceptor_id"),
                    ErrorCode::UnknownPreceptor,
                    "there is no such staff member",
                );
                None
            }
            Supervisor::Known(s) => {
                for (code, message) in
                    preceptor_problems(s, &dept.id, &dept.name, discipline, period)
                {
                    rules.add(&at("preceptor_id"), code, message);
                }
                let mut held = s.held.clone();
                held.extend(
                    accepted
                        .iter()
                        .filter(|a| a.1.as_deref() == Some(s.id.as_str()))
                        .map(|a| a.2),
                );
                if let Some(day) = first_full_day(s.max_students, &held, period) {
                    full.add(
                        &at("preceptor_id"),
                        ErrorCode::PreceptorAtCapacity,
                        format!(
                            "{} already supervises {} on {}",
                            s.name,
                            s.max_students,
                            human_date(day)
                        ),
                    );
                }
                Some(s.id.clone())
            }
        };
        if e.site_mentor_known == Some(false) {
            rules.add(
                &at("site_mentor_id"),
                ErrorCode::UnknownSiteMentor,
                "there is no such staff member",
            );
        }
        accepted.push((dept.id.clone(), preceptor_id, period));
        periods.push(period);
    }
    if !rules.is_empty() {
        rules.0.extend(full.0);
        return Err(rules);
    }
    if !full.is_empty() {
        return Err(full);
    }
    Ok(periods)
}

/// A preceptor's own limits for one placement, apart from their load: discipline, department,
/// licence through the last day, and leave (DOMAIN.md rule 5).
pub fn preceptor_problems(
    s: &PreceptorFacts,
    department_id: &str,
    department_name: &str,
    discipline: &str,
    period: Period,
) -> Vec<(ErrorCode, String)> {
    let mut out = Vec::new();
    if !s.is_preceptor || s.discipline.as_deref() != Some(discipline) {
        out.push((
            ErrorCode::PreceptorDisciplineMismatch,
            format!(
                "{} is not a preceptor in {}",
                s.name,
                discipline_name(discipline)
            ),
        ));
    }
    if s.department_id != department_id {
        out.push((
            ErrorCode::PreceptorNotInDepartment,
            format!("{} does not work in {department_name}", s.name),
        ));
    }
    if let Some(d) = s.license_expires_on.filter(|d| *d < period.ends_on) {
        out.push((
            ErrorCode::PreceptorLicenseExpired,
            format!(
                "{}'s licence lapses on {}, before the placement ends on {}",
                s.name,
                human_date(d),
                human_date(period.ends_on)
            ),
        ));
    }
    if let Some(l) = s.leave.iter().find(|l| l.overlaps(&period)) {
        out.push((
            ErrorCode::PreceptorOnLeave,
            format!(
                "{} is on leave from {}, during the placement",
                s.name,
                l.human()
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).unwrap_or_default()
    }

    fn window() -> RequestWindow {
        RequestWindow {
            starts_on: d(3, 1),
            ends_on: d(3, 26),
            start_window_weeks: 0,
            clinical: true,
        }
    }

    fn dept(capacity: i64) -> DepartmentFacts {
        DepartmentFacts {
            id: "d1".into(),
            name: "Imaging".into(),
            capacity,
            disciplines: vec!["radiography".into()],
            held: vec![],
        }
    }

    fn preceptor() -> PreceptorFacts {
        PreceptorFacts {
            id: "p1".into(),
            name: "Dana".into(),
            is_preceptor: true,
            discipline: Some("radiography".into()),
            department_id: "d1".into(),
            license_expires_on: None,
            leave: vec![],
            max_students: 1,
            held: vec![],
        }
    }

    fn proposed(p: Supervisor, capacity: i64) -> ProposedPlacement {
        ProposedPlacement {
            starts_on: d(3, 1),
            ends_on: d(3, 26),
            department: Some(dept(capacity)),
            preceptor: p,
            site_mentor_known: None,
        }
    }

    fn codes(r: Result<Vec<Period>, Problems>) -> Vec<ErrorCode> {
        r.err()
            .map(|p| p.0.into_iter().map(|e| e.code).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_good_placement_passes_with_its_period() {
        let r = check_placements(
            &window(),
            "radiography",
            &[proposed(Supervisor::Known(preceptor()), 2)],
        );
        assert_eq!(r.ok().map(|p| p.len()), Some(1));
    }

    #[test]
    fn two_students_for_one_seat_in_one_decision_is_a_capacity_clash() {
        let mut second = proposed(Supervisor::None, 1);
        second.preceptor = Supervisor::Known(PreceptorFacts {
            id: "p2".into(),
            ..preceptor()
        });
        let r = check_placements(
            &window(),
            "radiography",
            &[proposed(Supervisor::Known(preceptor()), 1), second],
        );
        let problems = r.err().unwrap_or_default();
        assert_eq!(problems.status(), 409);
        assert_eq!(
            problems.0.iter().map(|e| e.code).collect::<Vec<_>>(),
            vec![ErrorCode::DepartmentAtCapacity]
        );
        assert_eq!(
            problems.0[0].field.as_deref(),
            Some("placements[1].department_id")
        );
    }

    #[test]
    fn a_preceptor_counts_the_students_of_the_same_decision() {
        let r = check_placements(
            &window(),
            "radiography",
            &[
                proposed(Supervisor::Known(preceptor()), 5),
                proposed(Supervisor::Known(preceptor()), 5),
            ],
        );
        assert_eq!(codes(r), vec![ErrorCode::PreceptorAtCapacity]);
    }

    #[test]
    fn every_preceptor_rule_fails_at_once_and_rules_come_before_capacity() {
        let s = PreceptorFacts {
            is_preceptor: false,
            department_id: "elsewhere".into(),
            license_expires_on: Some(d(3, 10)),
            leave: Period::new(d(3, 5), d(3, 6)).into_iter().collect(),
            held: Period::new(d(3, 1), d(3, 26)).into_iter().collect(),
            ..preceptor()
        };
        let r = check_placements(
            &window(),
            "radiography",
            &[proposed(Supervisor::Known(s), 2)],
        );
        let problems = r.err().unwrap_or_default();
        assert_eq!(problems.status(), 422);
        assert_eq!(
            problems.0.iter().map(|e| e.code).collect::<Vec<_>>(),
            vec![
                ErrorCode::PreceptorDisciplineMismatch,
                ErrorCode::PreceptorNotInDepartment,
                ErrorCode::PreceptorLicenseExpired,
                ErrorCode::PreceptorOnLeave,
                ErrorCode::PreceptorAtCapacity,
            ]
        );
    }

    #[test]
    fn a_clinical_needs_a_preceptor_and_an_internship_does_not() {
        let r = check_placements(&window(), "radiography", &[proposed(Supervisor::None, 2)]);
        assert_eq!(codes(r), vec![ErrorCode::PreceptorRequired]);
        let internship = RequestWindow {
            clinical: false,
            ..window()
        };
        assert!(
            check_placements(&internship, "radiography", &[proposed(Supervisor::None, 2)]).is_ok()
        );
    }

    #[test]
    fn outside_the_window_unknown_department_and_backwards_dates() {
        let mut late = proposed(Supervisor::Known(preceptor()), 2);
        late.ends_on = d(4, 30);
        let mut nowhere = proposed(Supervisor::Known(preceptor()), 2);
        nowhere.department = None;
        let mut backwards = proposed(Supervisor::Known(preceptor()), 2);
        backwards.ends_on = d(2, 1);
        let r = check_placements(&window(), "radiography", &[late, nowhere, backwards]);
        assert_eq!(
            codes(r),
            vec![
                ErrorCode::OutsideRequestPeriod,
                ErrorCode::UnknownDepartment,
                ErrorCode::InvalidPeriod
            ]
        );
    }

    #[test]
    fn a_department_must_host_the_discipline() {
        let r = check_placements(&window(), "sonography", &[proposed(Supervisor::None, 2)]);
        assert_eq!(
            codes(r),
            vec![
                ErrorCode::DepartmentDoesNotHostDiscipline,
                ErrorCode::PreceptorRequired
            ]
        );
    }

    /// The request's edges (mutation testing): a placement may start on the request's first
    /// day and end on its last day plus the start window, not a day outside either.
    #[test]
    fn a_placement_may_use_the_request_period_to_its_edges_and_its_start_window() {
        let ok = |starts: NaiveDate, ends: NaiveDate, window_weeks: i64| {
            let mut p = proposed(Supervisor::Known(preceptor()), 2);
            p.starts_on = starts;
            p.ends_on = ends;
            let w = RequestWindow {
                start_window_weeks: window_weeks,
                ..window()
            };
            codes(check_placements(&w, "radiography", &[p]))
        };
        assert_eq!(ok(d(3, 1), d(3, 26), 0), vec![]);
        assert_eq!(
            ok(d(2, 28), d(3, 26), 0),
            vec![ErrorCode::OutsideRequestPeriod]
        );
        assert_eq!(
            ok(d(3, 1), d(3, 27), 0),
            vec![ErrorCode::OutsideRequestPeriod]
        );
        // Two weeks of start window: the end may move by 14 days, not 15.
        assert_eq!(ok(d(3, 15), d(4, 9), 2), vec![]);
        assert_eq!(
            ok(d(3, 15), d(4, 10), 2),
            vec![ErrorCode::OutsideRequestPeriod]
        );
    }

    /// A licence valid through the last day is enough; one lapsing the day before is not.
    #[test]
    fn a_licence_must_last_through_the_last_day() {
        let with_licence = |until: NaiveDate| {
            let p = PreceptorFacts {
                license_expires_on: Some(until),
                ..preceptor()
            };
            codes(check_placements(
                &window(),
                "radiography",
                &[proposed(Supervisor::Known(p), 2)],
            ))
        };
        assert_eq!(with_licence(d(3, 26)), vec![]);
        assert_eq!(
            with_licence(d(3, 25)),
            vec![ErrorCode::PreceptorLicenseExpired]
        );
    }
}
