//! Eligibility for the whole life of a placement (DOMAIN.md rule 1, API.md "Risks"): every fact
//! an open placement depends on — the school's agreements, the program's accreditation, the
//! student's enrollment, school and program, the preceptor's licence, leave, discipline and
//! load, the department's capacity and disciplines, the student's other placements — checked
//! again with the SAME rules as at the decision (`eligibility::check`,
//! `decision::check_placements`, `booking::double_bookings`). What fails is a risk; at a
//! forward move (confirm, naming the student, activate) it is a refusal. Pure.
use super::ErrorCode;
use super::booking::{self, Booking};
use super::decision::{self, ProposedPlacement, RequestWindow};
use super::eligibility::{self, AgreementFacts, Kind, ProgramFacts, Stage, StudentFacts};
use super::period::Period;
use chrono::{DateTime, Utc};

/// One thing an open placement no longer meets.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Risk {
    /// An eligibility or decision code: `agreement_not_active`, `student_not_enrolled`,
    /// `preceptor_license_expired`, `department_at_capacity`, ...
    pub code: ErrorCode,
    pub detail: String,
    /// When the write that caused it was recorded (and the office and the school were told);
    /// null for a risk no recorded write caused (e.g. data that was already so).
    pub since: Option<DateTime<Utc>>,
}

/// An open placement a write puts (or leaves) at risk, in that write's answer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AffectedPlacement {
    pub id: String,
    pub risks: Vec<Risk>,
}

/// An open placement a change would newly put at risk, in words for the page that asks to
/// confirm the change: "Ana Test in Radiology, 1 Feb – 31 Mar 2027" and each failed rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RiskPreview {
    pub placement_id: String,
    pub label: String,
    pub details: Vec<String>,
}

/// Everything one placement depends on, as the store knows it now.
#[derive(Clone, Debug)]
pub struct LiveFacts {
    pub kind: Kind,
    pub school_id: String,
    pub period: Period,
    /// `None`: the program is gone.
    pub program: Option<ProgramFacts>,
    pub agreements: Vec<AgreementFacts>,
    /// `None`: no student named yet (a reserved seat).
    pub student: Option<StudentFacts>,
    /// The department and the preceptor, with the seats and slots held by the placements
    /// that came before this one (the earlier placement keeps its seat when capacity drops).
    pub placement: ProposedPlacement,
    /// The student's other open placements.
    pub bookings: Vec<Booking>,
}

/// Every failed rule, each code once with the first detail found, in rule order.
pub fn check(f: &LiveFacts) -> Vec<(ErrorCode, String)> {
    let mut out: Vec<(ErrorCode, String)> = Vec::new();
    let mut push = |code: ErrorCode, detail: String| {
        if !out.iter().any(|(c, _)| *c == code) {
            out.push((code, detail));
        }
    };
    match &f.program {
        None => push(
            ErrorCode::UnknownProgram,
            "the placement's program no longer exists".into(),
        ),
        Some(program) => {
            let request = eligibility::Request {
                kind: f.kind,
                school_id: &f.school_id,
                starts_on: f.period.starts_on,
                ends_on: f.period.ends_on,
                // The course and the faculty supervisor are the request's, fixed at approval.
                has_course: true,
                has_faculty_supervisor: true,
            };
            let students: Vec<StudentFacts> = f.student.iter().cloned().collect();
            for e in
                eligibility::check(&request, Stage::Approval, program, &f.agreements, &students)
            {
                push(e.code, e.message);
            }
            let window = RequestWindow {
                starts_on: f.period.starts_on,
                ends_on: f.period.ends_on,
                start_window_weeks: 0,
                clinical: f.kind == Kind::Clinical,
            };
            if let Err(problems) = decision::check_placements(
                &window,
                &program.discipline,
                std::slice::from_ref(&f.placement),
            ) {
                for e in problems.0 {
                    push(e.code, e.message);
                }
            }
        }
    }
    if let Some(s) = &f.student {
        for (code, detail) in booking::double_bookings(&s.name, f.period, &f.bookings) {
            push(code, detail);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::decision::{DepartmentFacts, PreceptorFacts, Supervisor};
    use crate::domain::eligibility::EnrollmentFacts;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn period(a: &str, b: &str) -> Period {
        Period {
            starts_on: d(a),
            ends_on: d(b),
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

    fn good() -> LiveFacts {
        LiveFacts {
            kind: Kind::Clinical,
            school_id: "s1".into(),
            period: period("2027-03-01", "2027-03-26"),
            program: Some(ProgramFacts {
                id: "pr1".into(),
                school_id: "s1".into(),
                discipline: "radiography".into(),
                accredited_until: Some(d("2030-01-01")),
            }),
            agreements: vec![AgreementFacts {
                status: "active".into(),
                effective_on: d("2026-01-01"),
                expires_on: d("2028-12-31"),
                disciplines: vec![],
            }],
            student: Some(StudentFacts {
                id: "st1".into(),
                name: "Ana Lopez".into(),
                enrollments: vec![EnrollmentFacts {
                    school_id: "s1".into(),
                    program_id: "pr1".into(),
                    status: "enrolled".into(),
                }],
            }),
            placement: ProposedPlacement {
                starts_on: d("2027-03-01"),
                ends_on: d("2027-03-26"),
                department: Some(DepartmentFacts {
                    id: "d1".into(),
                    name: "Imaging".into(),
                    capacity: 1,
                    disciplines: vec!["radiography".into()],
                    held: vec![],
                }),
                preceptor: Supervisor::Known(preceptor()),
                site_mentor_known: None,
            },
            bookings: vec![],
        }
    }

    fn codes(f: &LiveFacts) -> Vec<ErrorCode> {
        check(f).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn a_placement_whose_facts_still_hold_has_no_risk() {
        assert!(check(&good()).is_empty());
        let mut unnamed = good();
        unnamed.student = None;
        assert!(check(&unnamed).is_empty());
    }

    #[test]
    fn the_agreement_terminated_or_lapsing_or_narrowed() {
        let mut f = good();
        f.agreements[0].status = "terminated".into();
        assert_eq!(codes(&f), [ErrorCode::AgreementNotActive]);
        let mut f = good();
        f.agreements[0].expires_on = d("2027-03-15");
        assert_eq!(codes(&f), [ErrorCode::AgreementDoesNotCoverDates]);
        let mut f = good();
        f.agreements[0].disciplines = vec!["sonography".into()];
        assert_eq!(codes(&f), [ErrorCode::AgreementDoesNotCoverDiscipline]);
    }

    #[test]
    fn the_program_and_the_student() {
        let mut f = good();
        if let Some(p) = f.program.as_mut() {
            p.accredited_until = Some(d("2027-03-25"));
        }
        assert_eq!(codes(&f), [ErrorCode::ProgramNotAccredited]);
        let mut f = good();
        if let Some(s) = f.student.as_mut() {
            s.enrollments[0].status = "withdrawn".into();
        }
        assert_eq!(codes(&f), [ErrorCode::StudentNotEnrolled]);
        // Transferred to another program: the placement's program is no longer theirs.
        let mut f = good();
        if let Some(s) = f.student.as_mut() {
            s.enrollments[0].program_id = "other".into();
        }
        assert_eq!(codes(&f), [ErrorCode::StudentNotInProgram]);
        let mut f = good();
        f.program = None;
        assert_eq!(codes(&f), [ErrorCode::UnknownProgram]);
    }

    #[test]
    fn the_preceptor_and_the_department() {
        let mut f = good();
        f.placement.preceptor = Supervisor::Known(PreceptorFacts {
            license_expires_on: Some(d("2027-03-20")),
            leave: vec![period("2027-03-10", "2027-03-11")],
            discipline: Some("sonography".into()),
            held: vec![period("2027-02-01", "2027-03-05")],
            ..preceptor()
        });
        if let Some(dept) = f.placement.department.as_mut() {
            dept.disciplines = vec!["sonography".into()];
            dept.held = vec![period("2027-03-26", "2027-04-30")];
        }
        assert_eq!(
            codes(&f),
            [
                ErrorCode::DepartmentDoesNotHostDiscipline,
                ErrorCode::PreceptorDisciplineMismatch,
                ErrorCode::PreceptorLicenseExpired,
                ErrorCode::PreceptorOnLeave,
                ErrorCode::DepartmentAtCapacity,
                ErrorCode::PreceptorAtCapacity,
            ]
        );
    }

    #[test]
    fn another_placement_of_the_student_on_the_same_days() {
        let mut f = good();
        f.bookings = vec![Booking {
            placement_id: "other".into(),
            period: period("2027-03-26", "2027-04-30"),
        }];
        let all = check(&f);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0, ErrorCode::StudentDoubleBooked);
        assert!(
            all[0]
                .1
                .contains("Ana Lopez is already placed from Fri 26 Mar 2027 to Fri 26 Mar 2027"),
            "{}",
            all[0].1
        );
    }
}
