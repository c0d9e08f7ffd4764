//! The eligibility rules' unit tests (DOMAIN.md rule 1, API.md "Eligibility").
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn program() -> ProgramFacts {
    ProgramFacts {
        id: "p1".into(),
        school_id: "s1".into(),
        discipline: "radiography".into(),
        accredited_until: Some(d("2030-01-01")),
    }
}

fn agreement(status: &str, from: &str, to: &str, disciplines: &[&str]) -> AgreementFacts {
    AgreementFacts {
        status: status.into(),
        effective_on: d(from),
        expires_on: d(to),
        disciplines: disciplines.iter().map(|s| s.to_string()).collect(),
    }
}

fn student(status: &str) -> StudentFacts {
    StudentFacts {
        id: "st1".into(),
        name: "Ana Lopez".into(),
        enrollments: vec![enrollment("s1", "p1", status)],
    }
}

fn enrollment(school: &str, program: &str, status: &str) -> EnrollmentFacts {
    EnrollmentFacts {
        school_id: school.into(),
        program_id: program.into(),
        status: status.into(),
    }
}

fn req(kind: Kind) -> Request<'static> {
    Request {
        kind,
        school_id: "s1",
        starts_on: d("2027-02-01"),
        ends_on: d("2027-04-30"),
        has_course: true,
        has_faculty_supervisor: true,
    }
}

const TODAY: Stage = Stage::Submission {
    today: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
};

fn codes(errs: Vec<FieldError>) -> Vec<ErrorCode> {
    errs.into_iter().map(|e| e.code).collect()
}

fn good() -> Vec<AgreementFacts> {
    vec![agreement("active", "2026-01-01", "2028-12-31", &[])]
}

#[test]
fn an_eligible_request_passes() {
    assert!(
        check(
            &req(Kind::Clinical),
            TODAY,
            &program(),
            &good(),
            &[student("enrolled")]
        )
        .is_empty()
    );
}

#[test]
fn no_agreement() {
    assert_eq!(
        codes(check(&req(Kind::Clinical), TODAY, &program(), &[], &[])),
        [ErrorCode::NoAgreement]
    );
}

#[test]
fn agreement_not_active() {
    let a = [
        agreement("draft", "2026-01-01", "2028-12-31", &[]),
        agreement("terminated", "2020-01-01", "2030-01-01", &[]),
    ];
    assert_eq!(
        codes(check(&req(Kind::Clinical), TODAY, &program(), &a, &[])),
        [ErrorCode::AgreementNotActive]
    );
}

#[test]
fn agreement_lapsing_mid_period_does_not_cover_dates() {
    let a = [agreement("active", "2026-01-01", "2027-03-15", &[])];
    let errs = check(&req(Kind::Clinical), TODAY, &program(), &a, &[]);
    assert_eq!(errs[0].code, ErrorCode::AgreementDoesNotCoverDates);
    assert!(
        errs[0].message.contains("Tue 16 Mar 2027"),
        "{}",
        errs[0].message
    );
}

#[test]
fn two_agreements_back_to_back_cover_the_period() {
    let a = [
        agreement("active", "2026-01-01", "2027-03-15", &[]),
        agreement("active", "2027-03-16", "2028-01-01", &["radiography"]),
    ];
    assert!(check(&req(Kind::Clinical), TODAY, &program(), &a, &[]).is_empty());
}

#[test]
fn a_draft_renewal_does_not_cover_dates() {
    let a = [
        agreement("active", "2026-01-01", "2027-03-15", &[]),
        agreement("draft", "2027-03-16", "2028-01-01", &[]),
    ];
    assert_eq!(
        codes(check(&req(Kind::Clinical), TODAY, &program(), &a, &[])),
        [ErrorCode::AgreementDoesNotCoverDates]
    );
}

#[test]
fn agreement_does_not_cover_discipline() {
    let a = [agreement(
        "active",
        "2026-01-01",
        "2028-12-31",
        &["sonography", "mri"],
    )];
    assert_eq!(
        codes(check(&req(Kind::Clinical), TODAY, &program(), &a, &[])),
        [ErrorCode::AgreementDoesNotCoverDiscipline]
    );
}

#[test]
fn program_not_accredited_through_the_last_day() {
    let mut p = program();
    p.accredited_until = Some(d("2027-04-29"));
    assert_eq!(
        codes(check(&req(Kind::Clinical), TODAY, &p, &good(), &[])),
        [ErrorCode::ProgramNotAccredited]
    );
    p.accredited_until = Some(d("2027-04-30"));
    assert!(check(&req(Kind::Clinical), TODAY, &p, &good(), &[]).is_empty());
    p.accredited_until = None;
    assert_eq!(
        codes(check(&req(Kind::Clinical), TODAY, &p, &good(), &[])),
        [ErrorCode::ProgramNotAccredited]
    );
}

#[test]
fn only_enrolled_students() {
    for status in ["withdrawn", "graduated", "leave"] {
        assert_eq!(
            codes(check(
                &req(Kind::Clinical),
                TODAY,
                &program(),
                &good(),
                &[student(status)]
            )),
            [ErrorCode::StudentNotEnrolled]
        );
    }
}

#[test]
fn student_not_in_program() {
    let mut s = student("enrolled");
    s.enrollments[0].program_id = "p2".into();
    assert_eq!(
        codes(check(
            &req(Kind::Clinical),
            TODAY,
            &program(),
            &good(),
            &[s.clone()]
        )),
        [ErrorCode::StudentNotInProgram]
    );
    s.enrollments[0].program_id = "p1".into();
    s.enrollments[0].school_id = "s2".into();
    assert_eq!(
        codes(check(
            &req(Kind::Clinical),
            TODAY,
            &program(),
            &good(),
            &[s.clone()]
        )),
        [ErrorCode::StudentNotInProgram]
    );
    // No current enrollment at all (every one ended by a transfer).
    s.enrollments.clear();
    assert_eq!(
        codes(check(
            &req(Kind::Clinical),
            TODAY,
            &program(),
            &good(),
            &[s]
        )),
        [ErrorCode::StudentNotInProgram]
    );
}

/// A student with a certificate alongside a degree is checked on the enrollment the
/// request names (its program), not on their first one.
#[test]
fn the_enrollment_in_the_requested_program_is_the_one_checked() {
    let mut s = student("enrolled");
    s.enrollments = vec![
        enrollment("s9", "p9", "enrolled"),
        enrollment("s1", "p1", "enrolled"),
    ];
    let r = req(Kind::Clinical);
    assert!(check(&r, TODAY, &program(), &good(), &[s.clone()]).is_empty());
    // Withdrawn from the requested program while still enrolled in the other one.
    s.enrollments[1].status = "withdrawn".into();
    assert_eq!(
        codes(check(&r, TODAY, &program(), &good(), &[s.clone()])),
        [ErrorCode::StudentNotEnrolled]
    );
    // Enrolled in the requested program's discipline elsewhere is not enough.
    s.enrollments = vec![enrollment("s9", "p1", "enrolled")];
    assert_eq!(
        codes(check(&r, TODAY, &program(), &good(), &[s])),
        [ErrorCode::StudentNotInProgram]
    );
}

#[test]
fn internships_need_a_course_and_a_faculty_supervisor() {
    let mut r = req(Kind::Internship);
    r.has_course = false;
    r.has_faculty_supervisor = false;
    assert_eq!(
        codes(check(&r, TODAY, &program(), &good(), &[])),
        [
            ErrorCode::CourseRequired,
            ErrorCode::FacultySupervisorRequired
        ]
    );
    // A clinical needs neither.
    let mut c = req(Kind::Clinical);
    c.has_course = false;
    c.has_faculty_supervisor = false;
    assert!(check(&c, TODAY, &program(), &good(), &[]).is_empty());
}

#[test]
fn invalid_period_backwards_or_past_at_submission_only() {
    let mut r = req(Kind::Clinical);
    r.ends_on = d("2027-01-31");
    assert_eq!(
        codes(check(&r, TODAY, &program(), &good(), &[])),
        [ErrorCode::InvalidPeriod]
    );
    let mut past = req(Kind::Clinical);
    past.starts_on = d("2027-01-01");
    assert_eq!(
        codes(check(&past, TODAY, &program(), &good(), &[])),
        [ErrorCode::InvalidPeriod]
    );
    assert!(check(&past, Stage::Approval, &program(), &good(), &[]).is_empty());
}

#[test]
fn every_failure_at_once() {
    let mut p = program();
    p.accredited_until = Some(d("2026-01-01"));
    let mut r = req(Kind::Internship);
    r.has_course = false;
    let errs = codes(check(
        &r,
        TODAY,
        &p,
        &[agreement("draft", "2026-01-01", "2028-01-01", &[])],
        &[student("withdrawn")],
    ));
    assert_eq!(
        errs,
        [
            ErrorCode::AgreementNotActive,
            ErrorCode::ProgramNotAccredited,
            ErrorCode::StudentNotEnrolled,
            ErrorCode::CourseRequired
        ]
    );
}

/// The kinds' words read back, and nothing else does (mutation testing).
#[test]
fn kinds_in_words() {
    for k in [Kind::Clinical, Kind::Internship] {
        assert_eq!(Kind::parse(k.as_str()), Some(k));
    }
    assert_eq!(Kind::Clinical.as_str(), "clinical");
    assert_eq!(Kind::Internship.as_str(), "internship");
    assert_eq!(Kind::parse("observership"), None);
}

/// A request may be submitted to start today, not yesterday.
#[test]
fn a_request_may_start_today() {
    let starting = |on: &str| Request {
        starts_on: d(on),
        ..req(Kind::Clinical)
    };
    let today = Stage::Submission {
        today: d("2027-02-01"),
    };
    let ok = check(
        &starting("2027-02-01"),
        today,
        &program(),
        &good(),
        &[student("enrolled")],
    );
    assert_eq!(codes(ok), []);
    let late = check(
        &starting("2027-01-31"),
        today,
        &program(),
        &good(),
        &[student("enrolled")],
    );
    assert_eq!(codes(late), [ErrorCode::InvalidPeriod]);
}
