//! DOMAIN.md rule 1: only enrolled students in accredited programs at schools with an active
//! agreement covering the discipline on every day of the period. Every failed rule is
//! returned at once, with the codes of API.md.
use super::period::{Period, first_uncovered, human_date};
use super::validation::FieldError;
use crate::domain::ErrorCode;
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct AgreementFacts {
    pub status: String,
    pub effective_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// Empty = every discipline.
    pub disciplines: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ProgramFacts {
    pub id: String,
    pub school_id: String,
    pub discipline: String,
    pub accredited_until: Option<NaiveDate>,
}

#[derive(Clone, Debug)]
pub struct StudentFacts {
    pub id: String,
    /// Their name, for the messages.
    pub name: String,
    /// The student's current enrollments (a student may hold several, DOMAIN.md "Student").
    pub enrollments: Vec<EnrollmentFacts>,
}

/// One current enrollment of a student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrollmentFacts {
    pub school_id: String,
    pub program_id: String,
    /// `enrolled`, `leave`, `graduated`, `withdrawn`.
    pub status: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Clinical,
    Internship,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "clinical" => Some(Kind::Clinical),
            "internship" => Some(Kind::Internship),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Clinical => "clinical",
            Kind::Internship => "internship",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub kind: Kind,
    pub school_id: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub has_course: bool,
    pub has_faculty_supervisor: bool,
}

/// When the check runs: at submission a period in the past is refused; at approval it is not
/// (the office may approve late).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Submission { today: NaiveDate },
    Approval,
}

pub fn check(
    req: &Request,
    stage: Stage,
    program: &ProgramFacts,
    agreements: &[AgreementFacts],
    students: &[StudentFacts],
) -> Vec<FieldError> {
    let mut out = Vec::new();
    let period = Period::new(req.starts_on, req.ends_on);
    if period.is_none() {
        out.push(FieldError::at(
            "ends_on",
            ErrorCode::InvalidPeriod,
            "the period ends before it starts",
        ));
    } else if let Stage::Submission { today } = stage
        && req.starts_on < today
    {
        out.push(FieldError::at(
            "starts_on",
            ErrorCode::InvalidPeriod,
            "the period starts in the past",
        ));
    }

    if let Some(period) = period {
        check_agreements(&mut out, period, &program.discipline, agreements);
        match program.accredited_until {
            Some(until) if until >= period.ends_on => {}
            Some(until) => out.push(FieldError::at(
                "program_id",
                ErrorCode::ProgramNotAccredited,
                format!(
                    "the program's accreditation ends on {}, before the period does",
                    human_date(until)
                ),
            )),
            None => out.push(FieldError::at(
                "program_id",
                ErrorCode::ProgramNotAccredited,
                "the program has no accreditation on record",
            )),
        }
    }

    // The request names a program; eligibility checks the student's enrollment in it
    // (issue 12 point 4: a student may hold more than one).
    for s in students {
        let enrollment = s
            .enrollments
            .iter()
            .find(|e| e.school_id == req.school_id && e.program_id == program.id);
        match enrollment {
            None => out.push(FieldError::at(
                "student_ids",
                ErrorCode::StudentNotInProgram,
                format!("{} is not enrolled in this program at this school", s.name),
            )),
            Some(e) if e.status != "enrolled" => out.push(FieldError::at(
                "student_ids",
                ErrorCode::StudentNotEnrolled,
                format!(
                    "{} is not enrolled ({})",
                    s.name,
                    enrollment_word(&e.status)
                ),
            )),
            Some(_) => {}
        }
    }

    if req.kind == Kind::Internship {
        if !req.has_course {
            out.push(FieldError::at(
                "course",
                ErrorCode::CourseRequired,
                "an internship is part of a course: give its code, title and credits",
            ));
        }
        if !req.has_faculty_supervisor {
            out.push(FieldError::at(
                "faculty_supervisor",
                ErrorCode::FacultySupervisorRequired,
                "an internship needs a faculty supervisor",
            ));
        }
    }
    out
}

fn check_agreements(
    out: &mut Vec<FieldError>,
    period: Period,
    discipline: &str,
    agreements: &[AgreementFacts],
) {
    if agreements.is_empty() {
        out.push(FieldError::at(
            "school_id",
            ErrorCode::NoAgreement,
            "the school has no affiliation agreement with the hospital",
        ));
        return;
    }
    let active: Vec<&AgreementFacts> = agreements.iter().filter(|a| a.status == "active").collect();
    if active.is_empty() {
        out.push(FieldError::at(
            "school_id",
            ErrorCode::AgreementNotActive,
            "the school's agreement is a draft or has been terminated",
        ));
        return;
    }
    let covering: Vec<Period> = active
        .iter()
        .filter(|a| a.disciplines.is_empty() || a.disciplines.iter().any(|d| d == discipline))
        .filter_map(|a| Period::new(a.effective_on, a.expires_on))
        .collect();
    if covering.is_empty() {
        out.push(FieldError::at(
            "program_id",
            ErrorCode::AgreementDoesNotCoverDiscipline,
            format!(
                "the school's agreement does not cover {}",
                super::catalog::discipline_name(discipline)
            ),
        ));
        return;
    }
    if let Some(day) = first_uncovered(period, &covering) {
        out.push(FieldError::at(
            "starts_on",
            ErrorCode::AgreementDoesNotCoverDates,
            format!(
                "no agreement is in force on {}, within the period",
                human_date(day)
            ),
        ));
    }
}

/// An enrollment status in words.
fn enrollment_word(status: &str) -> &str {
    match status {
        "leave" => "on leave",
        other => other,
    }
}

#[cfg(test)]
mod tests;
