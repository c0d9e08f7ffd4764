//! Onboarding and clearance (API.md): requirement rules, each student's checklist, documents
//! uploaded once and reused, the office's review, school attestations, signatures in the
//! system and provisioning ticks.
use crate::db::{
    self, Scope, Tx, documents::Document, placements::PlacementRow, requirements::Requirement,
};
use crate::domain::{
    ErrorCode, Problems,
    clearance::{self, ItemState},
    policy::{Action, OnboardingField, Resource, knows},
    requirements::Validity,
};
use crate::error::{AppError, AppResult};
use crate::service::{Principal, principal::ensure};
use crate::state::AppState;
use chrono::NaiveDate;

pub mod agreement_texts;
pub mod attestations;
pub mod documents;
pub mod requirements;

#[derive(Clone, Debug)]
pub struct ChecklistItem {
    pub requirement_code: String,
    pub name: String,
    pub category: String,
    pub satisfied_by: String,
    /// missing, submitted, verified, rejected, expired, expires_during_placement
    pub state: String,
    /// The last day the best verified evidence is valid, if it lapses.
    pub lapses_on: Option<NaiveDate>,
    /// The placements this item applies to (its state is the worst among them).
    pub placement_ids: Vec<String>,
}

/// The student, if the caller may see them.
pub async fn visible_student(
    tx: &mut Tx,
    p: &Principal,
    student_id: &str,
) -> AppResult<db::students::Student> {
    let scope = p.authorize(Resource::Student, Action::Read)?;
    let s = db::students::get(tx, student_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(
        scope.sees_student(&s.schools(), &s.id)
            || db::students::placed_with(tx, &scope, &s.id).await?,
    )?;
    Ok(s)
}

/// The documents of a student the caller may read (their list, review notes and files): every
/// one for the office, the student, and a school the student is enrolled at now; for a school
/// the student left, those submitted while the student was theirs (issue 12 point 4); none
/// for anyone else: preceptors, faculty and managers see placements, not medical evidence
/// (404, as if there were none). Errors: 404.
pub async fn readable_documents(
    tx: &mut Tx,
    p: &Principal,
    student_id: &str,
) -> AppResult<Vec<db::documents::Document>> {
    let s = visible_student(tx, p, student_id).await?;
    if !knows(p.role, OnboardingField::Documents) {
        return Err(AppError::NotFound);
    }
    let mut docs = db::documents::of_student(tx, student_id).await?;
    if !knows(p.role, OnboardingField::ReviewNotes) {
        for d in &mut docs {
            d.review_note = None;
        }
    }
    if may_submit_for(p, &s) {
        return Ok(docs);
    }
    let Some(own) = p
        .school_id
        .as_deref()
        .filter(|_| p.role == crate::domain::Role::SchoolCoordinator)
    else {
        return Err(AppError::NotFound);
    };
    let windows: Vec<_> = s
        .enrollments
        .iter()
        .filter(|e| e.school_id == own)
        .filter_map(|e| e.ended_at.map(|end| (e.started_at, end)))
        .collect();
    if windows.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(docs
        .into_iter()
        .filter(|d| {
            windows
                .iter()
                .any(|(a, b)| *a <= d.submitted_at && d.submitted_at <= *b)
        })
        .collect())
}

/// The checklist as the caller may know it (`domain::policy::knows`): whole for the office,
/// the student and their school; for a supervisor each item only as met (`verified`) or
/// `missing`, without `lapses_on` — what is missing, never what the evidence said. Errors:
/// 404 (the student is not theirs to see).
pub async fn checklist_for(
    tx: &mut Tx,
    p: &Principal,
    student_id: &str,
    placement_id: Option<&str>,
    today: NaiveDate,
) -> AppResult<Vec<ChecklistItem>> {
    visible_student(tx, p, student_id).await?;
    let mut items = checklist(tx, student_id, placement_id, today).await?;
    if !knows(p.role, OnboardingField::ItemDetail) {
        for i in &mut items {
            if i.state != "verified" {
                i.state = "missing".into();
            }
            i.lapses_on = None;
        }
    }
    Ok(items)
}

/// Open placements of a student: those that still hold their seat.
async fn open_placements(tx: &mut Tx, student_id: &str) -> AppResult<Vec<PlacementRow>> {
    let f = db::placements::Filter {
        student_id: Some(student_id.to_string()),
        ..Default::default()
    };
    let rows = db::placements::list(
        tx,
        &Scope::All,
        &f,
        &db::Page {
            limit: 500,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    Ok(rows
        .into_iter()
        .filter(|r| !matches!(r.status.as_str(), "cancelled" | "completed"))
        .collect())
}

/// One checklist across the student's placements (or one placement): each requirement once,
/// at its worst state, so a document is asked for once.
pub async fn checklist(
    tx: &mut Tx,
    student_id: &str,
    placement_id: Option<&str>,
    today: NaiveDate,
) -> AppResult<Vec<ChecklistItem>> {
    let placements: Vec<PlacementRow> = open_placements(tx, student_id)
        .await?
        .into_iter()
        .filter(|p| placement_id.is_none_or(|id| p.id == id))
        .collect();
    let rules = db::requirements::all(tx).await?;
    let mut out: Vec<ChecklistItem> = Vec::new();
    for row in &placements {
        let Some((facts, domain_rules, evidence)) = db::clearance::facts(tx, row).await? else {
            continue;
        };
        for item in clearance::checklist(&domain_rules, &evidence, &facts, today) {
            match out.iter_mut().find(|c| c.requirement_code == item.code) {
                Some(c) => {
                    let current = parse_state(&c.state);
                    if item.state > current {
                        c.state = item.state.as_str().into();
                        c.lapses_on = item.lapses_on;
                    }
                    c.placement_ids.push(row.id.clone());
                }
                None => {
                    let r = rules.iter().find(|r| r.code == item.code);
                    out.push(ChecklistItem {
                        requirement_code: item.code.clone(),
                        name: r.map(|r| r.name.clone()).unwrap_or_default(),
                        category: r.map(|r| r.category.clone()).unwrap_or_default(),
                        satisfied_by: r.map(|r| r.satisfied_by.clone()).unwrap_or_default(),
                        state: item.state.as_str().into(),
                        lapses_on: item.lapses_on,
                        placement_ids: vec![row.id.clone()],
                    });
                }
            }
        }
    }
    Ok(out)
}

fn parse_state(s: &str) -> ItemState {
    [
        ItemState::Verified,
        ItemState::Submitted,
        ItemState::Missing,
        ItemState::Rejected,
        ItemState::Expired,
        ItemState::ExpiresDuringPlacement,
    ]
    .into_iter()
    .find(|x| x.as_str() == s)
    .unwrap_or(ItemState::Missing)
}

/// Who may add evidence for a student: the student themself, their school, the office.
pub(crate) fn may_submit_for(p: &Principal, s: &db::students::Student) -> bool {
    p.role.is_office()
        || p.student_id.as_deref() == Some(s.id.as_str())
        || (p.role == crate::domain::Role::SchoolCoordinator
            && p.school_id
                .as_deref()
                .is_some_and(|own| s.current_schools().contains(&own)))
}

/// Checks a new piece of evidence: dates, the requirement, the placement it is for.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn check_evidence(
    tx: &mut Tx,
    student_id: &str,
    code: &str,
    completed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    placement_id: Option<&str>,
    today: NaiveDate,
    allowed_by: &[&str],
) -> AppResult<Requirement> {
    let mut problems = Problems::default();
    let r = db::requirements::by_code(tx, code).await?;
    match &r {
        None => problems.add(
            "requirement_code",
            ErrorCode::UnknownRequirement,
            format!("{code:?} is not a requirement"),
        ),
        Some(r) if !allowed_by.contains(&r.satisfied_by.as_str()) => problems.add(
            "requirement_code",
            ErrorCode::NotSatisfiableThisWay,
            format!(
                "{} is satisfied by {}",
                r.name,
                crate::domain::words::satisfier(&r.satisfied_by)
            ),
        ),
        Some(r) => {
            if r.validity.needs_expiry_date() && expires_on.is_none() {
                problems.add(
                    "expires_on",
                    ErrorCode::ExpiryRequired,
                    format!(
                        "{} is valid to the expiry date on it: give that date",
                        r.name
                    ),
                );
            }
            if r.validity == Validity::PerPlacement && placement_id.is_none() {
                problems.add(
                    "placement_id",
                    ErrorCode::PlacementRequired,
                    format!("{} is done for each placement: say which", r.name),
                );
            }
        }
    }
    if completed_on > today {
        problems.add(
            "completed_on",
            ErrorCode::CompletedInFuture,
            "the completion date is in the future",
        );
    }
    if expires_on.is_some_and(|e| e < completed_on) {
        problems.add(
            "expires_on",
            ErrorCode::ExpiresBeforeCompletion,
            "the expiry date is before the completion date",
        );
    }
    if let Some(pid) = placement_id {
        let ok = db::placements::get(tx, pid)
            .await?
            .is_some_and(|p| p.student_id.as_deref() == Some(student_id));
        if !ok {
            problems.add(
                "placement_id",
                ErrorCode::UnknownPlacement,
                "the student has no such placement",
            );
        }
    }
    problems.into_result()?;
    r.ok_or(AppError::NotFound)
}

/// Verified evidence created without a file: attested by the school, signed by the student,
/// or ticked by the office.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_evidence(
    tx: &mut Tx,
    st: &AppState,
    p: &Principal,
    student_id: &str,
    code: &str,
    placement_id: Option<String>,
    completed_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    source: &str,
    signer: Option<(String, Option<String>)>,
) -> AppResult<Document> {
    let now = st.clock.now();
    let d = Document {
        id: db::new_id(),
        student_id: student_id.to_string(),
        requirement_code: code.to_string(),
        placement_id,
        completed_on,
        expires_on,
        status: "verified".into(),
        source: source.into(),
        file_sha256: None,
        file_name: None,
        file_mime: None,
        file_size: None,
        submitted_by: Some(p.user_id.clone()),
        submitted_at: now,
        reviewed_by: Some(p.user_id.clone()),
        reviewed_at: Some(now),
        review_note: None,
        signer_name: signer.as_ref().map(|s| s.0.clone()),
        signer_ip: signer.and_then(|s| s.1),
        signed_text_version: None,
    };
    db::documents::insert(tx, &d).await?;
    db::audit::record(
        tx,
        &p.actor(now),
        source,
        "document",
        &d.id,
        None::<&()>,
        Some(&d),
    )
    .await?;
    Ok(d)
}
