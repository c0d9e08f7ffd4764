//! The office's dashboard (issue 17 part 1): this term's placements by state and at risk, the
//! clearance pipeline, what waits for review or a decision and for how long, what lapses
//! within 90 days, and what is overdue. Every figure carries the filter of the list it counts
//! ([`ListFilter`]), so the page links each number to exactly the rows it counts.
//!
//! Counting (issue 18 point 4): stored facts are counted by the database (`db::dashboard`:
//! `COUNT`/`GROUP BY`), never by reading a list. Clearance and risks are derived on every read
//! (`domain::clearance`, `domain::risk`), so the three figures built on them (a confirmed
//! placement's onboarding or cleared, the pipeline, at risk) derive them for the candidate
//! rows only, which SQL selects: the confirmed placements of the term, the proposed and
//! confirmed ones starting within 30 days, and the open ones.
use super::Principal;
use crate::db::{self, Scope};
use crate::domain::{
    evaluation::{self, Point},
    hours::REMIND_AFTER_DAYS,
    policy::{Action, Resource},
    term::{Term, waited_words},
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use chrono::{Duration, NaiveDate};

/// How far ahead agreements and accreditations are watched (UI.md: "lapsing"), in days.
pub const LAPSING_WITHIN_DAYS: i64 = 90;

/// The pipeline's windows: starting within this many days and not cleared.
pub const PIPELINE_DAYS: [i64; 3] = [7, 14, 30];

/// The states a term's placements are counted in, in lifecycle order (API.md's shown status).
pub const STATES: [&str; 5] = ["proposed", "onboarding", "cleared", "active", "completed"];

/// The list a figure counts, with its filter: the page at [`ListFilter::page_href`], and the
/// API list answering the same rows at [`ListFilter::api_href`] where the API has that list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListFilter {
    /// `/placements` with the shown status (`onboarding`, `cleared`, or a stored status)
    /// overlapping `from..=to`.
    PlacementsInState {
        status: &'static str,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// `/placements?starting=N&clearance=not_cleared`.
    StartingNotCleared { days: i64 },
    /// `/placements?at_risk=yes&from=today`: open placements at risk ending today or later.
    AtRisk { from: NaiveDate },
    /// `/requests?open=true`: submitted or waitlisted.
    RequestsWaiting,
    /// `/documents?status=submitted`: the review queue.
    DocumentsWaiting,
    /// `/agreements?expiring=N`: active agreements ending within N days.
    AgreementsExpiring { days: i64 },
    /// `/programs?accreditation_ending_within=N`.
    AccreditationsEnding { days: i64 },
    /// `/hours?overdue=yes`: placements with hours waiting for approval over a week.
    HoursOverdue,
    /// `/offboarding?state=overdue`.
    OffboardingOverdue,
    /// `/evaluations?overdue=yes`: supervisors' evaluations past their due day, unsigned.
    EvaluationsOverdue,
    /// `/students?status=enrolled`.
    StudentsEnrolled,
}

impl ListFilter {
    /// The list page showing exactly the counted rows.
    pub fn page_href(&self) -> String {
        match self {
            ListFilter::PlacementsInState { status, from, to } => {
                format!("/placements?status={status}&from={from}&to={to}")
            }
            ListFilter::StartingNotCleared { days } => {
                format!("/placements?starting={days}&clearance=not_cleared")
            }
            ListFilter::AtRisk { from } => format!("/placements?at_risk=yes&from={from}"),
            ListFilter::RequestsWaiting => "/requests?open=true".into(),
            ListFilter::DocumentsWaiting => "/documents?status=submitted".into(),
            ListFilter::AgreementsExpiring { days } => format!("/agreements?expiring={days}"),
            ListFilter::AccreditationsEnding { days } => {
                format!("/programs?accreditation_ending_within={days}")
            }
            ListFilter::HoursOverdue => "/hours?overdue=yes".into(),
            ListFilter::OffboardingOverdue => "/offboarding?state=overdue".into(),
            ListFilter::EvaluationsOverdue => "/evaluations?overdue=yes".into(),
            ListFilter::StudentsEnrolled => "/students?status=enrolled".into(),
        }
    }

    /// The API list answering the same rows (over all its pages), where the API has it.
    pub fn api_href(&self) -> Option<String> {
        Some(match self {
            ListFilter::PlacementsInState { status, from, to } => {
                format!("/api/v1/placements?status={status}&from={from}&to={to}")
            }
            ListFilter::StartingNotCleared { days } => {
                format!("/api/v1/placements?starting={days}&clearance=not_cleared")
            }
            ListFilter::AtRisk { from } => format!("/api/v1/placements?at_risk=true&from={from}"),
            ListFilter::RequestsWaiting => "/api/v1/placement-requests?open=true".into(),
            ListFilter::AgreementsExpiring { days } => {
                format!("/api/v1/agreements?expiring_within_days={days}")
            }
            ListFilter::DocumentsWaiting => "/api/v1/documents?status=submitted".into(),
            ListFilter::AccreditationsEnding { days } => {
                format!("/api/v1/programs?accreditation_ending_within={days}")
            }
            ListFilter::OffboardingOverdue => "/api/v1/offboarding?state=overdue".into(),
            _ => return None,
        })
    }
}

/// One number on the dashboard: what it counts (words), how many, and its list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    pub label: String,
    pub count: i64,
    pub list: ListFilter,
}

/// What waits, and for how long the oldest has waited ("oldest waiting 6 days").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub figure: Figure,
    /// Whole days the oldest has waited (the office's dates); `None` when nothing waits.
    pub oldest_days: Option<i64>,
}

impl Waiting {
    /// "oldest waiting 6 days", or empty when nothing waits.
    pub fn oldest_words(&self) -> String {
        self.oldest_days
            .map(|d| format!("oldest waiting {}", waited_words(d)))
            .unwrap_or_default()
    }
}

/// Starting within a window and not cleared, with the requirements most often missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineWindow {
    pub days: i64,
    pub figure: Figure,
    /// (requirement name, how many of these placements miss it), most first, at most three.
    pub most_missing: Vec<(String, i64)>,
}

/// The office's dashboard, today.
pub struct Dashboard {
    pub today: NaiveDate,
    pub term: Term,
    /// This term's placements in each of [`STATES`], in that order.
    pub by_state: Vec<Figure>,
    pub at_risk: Figure,
    pub pipeline: Vec<PipelineWindow>,
    pub documents: Waiting,
    pub requests: Waiting,
    pub agreements: Figure,
    pub accreditations: Figure,
    pub hours_overdue: Figure,
    pub offboarding_overdue: Figure,
    pub evaluations_overdue: Figure,
    pub students_enrolled: Figure,
    /// The placements `at_risk` counts, for the home's table of them.
    pub at_risk_rows: Vec<super::risks::AtRisk>,
}

fn figure(label: impl Into<String>, count: i64, list: ListFilter) -> Figure {
    Figure {
        label: label.into(),
        count,
        list,
    }
}

/// The dashboard for the office (admin and coordinators; others 403).
#[tracing::instrument(skip_all)]
pub async fn office_dashboard(st: &AppState, p: &Principal) -> AppResult<Dashboard> {
    // The office's alone: every figure spans every school.
    p.authorize(Resource::Offboarding, Action::Read)?;
    if !p.authorize(Resource::Placement, Action::Read)?.is_all() {
        return Err(AppError::Forbidden);
    }
    let today = st.clock.today();
    let term = Term::containing(today);
    let mut tx = st.db.read().await?;

    // This term's placements by state: stored statuses counted by the database; a confirmed
    // placement reads onboarding until cleared (`domain::placement::shown_status`).
    let stored = db::dashboard::placements_by_status(&mut tx, term.starts_on, term.ends_on).await?;
    let stored_count = |s: &str| {
        stored
            .iter()
            .find(|(x, _)| x == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    // Both halves from the same rows, so they add up to the confirmed whatever commits meanwhile.
    let confirmed =
        db::dashboard::confirmed_overlapping(&mut tx, term.starts_on, term.ends_on).await?;
    let mut cleared = 0;
    for row in &confirmed {
        if super::placements::clearance_of(&mut tx, row, today)
            .await?
            .is_cleared()
        {
            cleared += 1;
        }
    }
    let by_state = STATES
        .iter()
        .map(|&status| {
            let count = match status {
                "cleared" => cleared,
                "onboarding" => confirmed.len() as i64 - cleared,
                s => stored_count(s),
            };
            figure(
                status,
                count,
                ListFilter::PlacementsInState {
                    status,
                    from: term.starts_on,
                    to: term.ends_on,
                },
            )
        })
        .collect();

    // The pipeline: proposed or confirmed, starting within the window, not cleared.
    let widest = PIPELINE_DAYS.iter().copied().max().unwrap_or(30);
    let mut not_cleared: Vec<(NaiveDate, Vec<String>)> = vec![];
    for row in
        db::dashboard::starting_between(&mut tx, today, today + Duration::days(widest)).await?
    {
        let c = super::placements::clearance_of(&mut tx, &row, today).await?;
        if !c.is_cleared() {
            not_cleared.push((row.starts_on, c.missing));
        }
    }
    let names: Vec<(String, String)> = db::requirements::all(&mut tx)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let pipeline = PIPELINE_DAYS
        .iter()
        .map(|&days| {
            let until = today + Duration::days(days);
            let within: Vec<&Vec<String>> = not_cleared
                .iter()
                .filter(|(starts, _)| *starts <= until)
                .map(|(_, missing)| missing)
                .collect();
            PipelineWindow {
                days,
                figure: figure(
                    format!("starting within {days} days, not cleared"),
                    within.len() as i64,
                    ListFilter::StartingNotCleared { days },
                ),
                most_missing: most_missing(&within, &names),
            }
        })
        .collect();

    let (n, oldest) = db::dashboard::documents_waiting(&mut tx).await?;
    let documents = Waiting {
        figure: figure(
            "documents waiting for review",
            n,
            ListFilter::DocumentsWaiting,
        ),
        oldest_days: oldest.map(|at| (today - st.clock.date_of(at)).num_days()),
    };
    let (n, oldest) = db::dashboard::requests_waiting(&mut tx).await?;
    let requests = Waiting {
        figure: figure(
            "requests waiting for a decision",
            n,
            ListFilter::RequestsWaiting,
        ),
        oldest_days: oldest.map(|at| (today - st.clock.date_of(at)).num_days()),
    };
    let lapse_by = today + Duration::days(LAPSING_WITHIN_DAYS);
    let agreements = figure(
        format!("agreements ending within {LAPSING_WITHIN_DAYS} days"),
        db::dashboard::agreements_expiring(&mut tx, today, lapse_by).await?,
        ListFilter::AgreementsExpiring {
            days: LAPSING_WITHIN_DAYS,
        },
    );
    let accreditations = figure(
        format!("program accreditations ending within {LAPSING_WITHIN_DAYS} days"),
        db::dashboard::accreditations_ending(&mut tx, today, lapse_by).await?,
        ListFilter::AccreditationsEnding {
            days: LAPSING_WITHIN_DAYS,
        },
    );
    let hours_overdue = figure(
        format!("placements with hours waiting over {REMIND_AFTER_DAYS} days for approval"),
        db::dashboard::placements_with_hours_overdue(&mut tx, hours_overdue_before(st)).await?,
        ListFilter::HoursOverdue,
    );
    let offboarding_overdue = figure(
        "offboarding tasks overdue",
        db::offboarding::overdue_count(&mut tx, today).await?,
        ListFilter::OffboardingOverdue,
    );
    let evaluations_overdue = figure(
        "evaluations overdue",
        db::dashboard::evaluations_overdue(&mut tx, today).await?,
        ListFilter::EvaluationsOverdue,
    );
    let students_enrolled = figure(
        "enrolled students",
        db::dashboard::students_enrolled(&mut tx).await?,
        ListFilter::StudentsEnrolled,
    );
    drop(tx);

    let at_risk_rows = super::risks::at_risk(st, &Scope::All, today).await?;
    let at_risk = figure(
        "placements at risk",
        at_risk_rows.len() as i64,
        ListFilter::AtRisk { from: today },
    );
    Ok(Dashboard {
        today,
        term,
        by_state,
        at_risk,
        pipeline,
        documents,
        requests,
        agreements,
        accreditations,
        hours_overdue,
        offboarding_overdue,
        evaluations_overdue,
        students_enrolled,
        at_risk_rows,
    })
}

/// A supervisor's evaluation overdue today: its placement, which one, and its due day.
pub struct OverdueEvaluation {
    pub placement: db::placements::PlacementRow,
    pub point: Point,
    pub due_on: NaiveDate,
}

/// The evaluations [`Dashboard::evaluations_overdue`] counts, the longest overdue first
/// (the office's; others 403).
pub async fn overdue_evaluations(
    st: &AppState,
    p: &Principal,
) -> AppResult<Vec<OverdueEvaluation>> {
    if !p.authorize(Resource::Evaluation, Action::Read)?.is_all() {
        return Err(AppError::Forbidden);
    }
    let today = st.clock.today();
    let mut tx = st.db.read().await?;
    let mut out = vec![];
    for (placement_id, point) in db::dashboard::overdue_evaluations(&mut tx, today).await? {
        let (Some(placement), Some(point)) = (
            db::placements::get(&mut tx, &placement_id).await?,
            Point::parse(&point),
        ) else {
            continue;
        };
        let due_on = evaluation::due_on(point, placement.starts_on, placement.ends_on);
        out.push(OverdueEvaluation {
            placement,
            point,
            due_on,
        });
    }
    out.sort_by(|a, b| {
        (a.due_on, &a.placement.id, a.point.as_str()).cmp(&(
            b.due_on,
            &b.placement.id,
            b.point.as_str(),
        ))
    });
    Ok(out)
}

/// Hours count as overdue once they have waited [`REMIND_AFTER_DAYS`] for approval (the
/// reminder's rule): entries sent at or before this instant.
pub fn hours_overdue_before(st: &AppState) -> chrono::DateTime<chrono::Utc> {
    st.clock.now() - Duration::days(REMIND_AFTER_DAYS)
}

/// The requirements most often missing among `missing` (one list per placement), by name,
/// most first then by name, at most three.
fn most_missing(missing: &[&Vec<String>], names: &[(String, String)]) -> Vec<(String, i64)> {
    let mut tally: Vec<(String, i64)> = vec![];
    for codes in missing {
        for code in codes.iter() {
            let name = names
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| code.clone());
            match tally.iter_mut().find(|(n, _)| *n == name) {
                Some((_, k)) => *k += 1,
                None => tally.push((name, 1)),
            }
        }
    }
    tally.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    tally.truncate(3);
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_missing_come_first_by_name() {
        let a = vec!["bls".to_string(), "tb".to_string()];
        let b = vec!["tb".to_string()];
        let c = vec![
            "flu".to_string(),
            "tb".to_string(),
            "bls".to_string(),
            "x".into(),
        ];
        let names = vec![
            ("bls".to_string(), "Basic life support".to_string()),
            ("tb".to_string(), "Tuberculosis test".to_string()),
            ("flu".to_string(), "Flu shot".to_string()),
        ];
        assert_eq!(
            most_missing(&[&a, &b, &c], &names),
            vec![
                ("Tuberculosis test".to_string(), 3),
                ("Basic life support".to_string(), 2),
                ("Flu shot".to_string(), 1),
            ]
        );
    }

    #[test]
    fn each_figure_links_to_its_list() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let e = NaiveDate::from_ymd_opt(2027, 5, 31).unwrap();
        let f = ListFilter::PlacementsInState {
            status: "onboarding",
            from: d,
            to: e,
        };
        assert_eq!(
            f.page_href(),
            "/placements?status=onboarding&from=2027-01-01&to=2027-05-31"
        );
        assert_eq!(
            f.api_href().unwrap(),
            "/api/v1/placements?status=onboarding&from=2027-01-01&to=2027-05-31"
        );
        assert_eq!(ListFilter::HoursOverdue.api_href(), None);
    }
}
