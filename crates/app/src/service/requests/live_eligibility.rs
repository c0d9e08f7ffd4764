//! The live eligibility of requests, checked on every read: the records it depends on are read
//! once for a whole page (one query per kind of record), then each request is checked by
//! `domain::eligibility`.
use crate::db::{self, Tx};
use crate::domain::{
    ErrorCode, FieldError,
    eligibility::{self, AgreementFacts, Kind, ProgramFacts, Stage},
    records::PlacementRequest,
};
use crate::error::AppResult;
use crate::state::AppState;
use std::collections::HashMap;

/// What the eligibility of many requests is checked against, read with one query per kind of
/// record (a page of requests reads four or five queries, not three per request).
pub(super) struct RequestFacts {
    programs: HashMap<String, db::programs::Program>,
    agreements: Vec<db::agreements::Agreement>,
    students: HashMap<String, db::students::Student>,
}

impl RequestFacts {
    pub(super) async fn load(tx: &mut Tx, reqs: &[PlacementRequest]) -> AppResult<RequestFacts> {
        let programs: Vec<&str> = reqs.iter().map(|r| r.program_id.as_str()).collect();
        let schools: Vec<&str> = reqs.iter().map(|r| r.school_id.as_str()).collect();
        let students: Vec<&str> = reqs
            .iter()
            .flat_map(|r| r.student_ids.iter().map(String::as_str))
            .collect();
        Ok(RequestFacts {
            programs: db::programs::get_many(tx, &programs)
                .await?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect(),
            agreements: db::agreements::of_schools(tx, &schools).await?,
            students: db::students::get_many(tx, &students)
                .await?
                .into_iter()
                .map(|s| (s.id.clone(), s))
                .collect(),
        })
    }

    pub(super) fn eligibility(&self, req: &PlacementRequest, stage: Stage) -> Vec<FieldError> {
        let Some(program) = self.programs.get(&req.program_id) else {
            return vec![FieldError::at(
                "program_id",
                ErrorCode::UnknownProgram,
                "there is no such program",
            )];
        };
        let agreements: Vec<AgreementFacts> = self
            .agreements
            .iter()
            .filter(|a| a.school_id == req.school_id)
            .map(|a| AgreementFacts {
                status: a.status.clone(),
                effective_on: a.effective_on,
                expires_on: a.expires_on,
                disciplines: a.disciplines.clone(),
            })
            .collect();
        let students: Vec<_> = req
            .student_ids
            .iter()
            .filter_map(|id| self.students.get(id))
            .map(|s| s.clone().facts())
            .collect();
        let facts = ProgramFacts {
            id: program.id.clone(),
            school_id: program.school_id.clone(),
            discipline: program.discipline.clone(),
            accredited_until: program.accredited_until,
        };
        let r = eligibility::Request {
            kind: Kind::parse(&req.kind).unwrap_or(Kind::Clinical),
            school_id: &req.school_id,
            starts_on: req.starts_on,
            ends_on: req.ends_on,
            has_course: req.course.is_some(),
            has_faculty_supervisor: req.faculty_supervisor.is_some(),
        };
        eligibility::check(&r, stage, &facts, &agreements, &students)
    }
}

/// A page of requests, each open one with its live eligibility: kept in
/// `st.request_eligibility`, or checked against facts read once for the open requests not
/// kept. `read_at` is the store's write generation ([`db::Db::write_generation`]) read
/// before `reqs` were: what is derived here is kept under it.
pub async fn with_eligibility_all(
    st: &AppState,
    tx: &mut Tx,
    reqs: Vec<PlacementRequest>,
    read_at: u64,
) -> AppResult<Vec<PlacementRequest>> {
    let is_open = |r: &PlacementRequest| matches!(r.status.as_str(), "submitted" | "waitlisted");
    let kept = &st.request_eligibility;
    let now = st.db.write_generation();
    let mut reqs = reqs;
    let mut open: Vec<PlacementRequest> = vec![];
    for r in reqs.iter_mut().filter(|r| is_open(r)) {
        match kept.get(&r.id, now) {
            Some(e) => r.eligibility = Some(e),
            None => open.push(r.clone()),
        }
    }
    if open.is_empty() {
        return Ok(reqs);
    }
    let facts = RequestFacts::load(tx, &open).await?;
    Ok(reqs
        .into_iter()
        .map(|mut r| {
            if is_open(&r) && r.eligibility.is_none() {
                let e = facts.eligibility(&r, Stage::Approval);
                kept.put(r.id.clone(), e.clone(), read_at);
                r.eligibility = Some(e);
            }
            r
        })
        .collect())
}
