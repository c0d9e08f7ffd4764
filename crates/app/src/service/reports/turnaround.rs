//! Time from request to decision, and from approval to cleared: the median and the 90th
//! percentile in days, per month.
use super::{Chart, Report, ReportFilter, ReportName, Total, Value, col, quantile};
use crate::db::{self, Tx, reports::DocumentFact};
use crate::domain::clearance::{self, DocStatus, Evidence, ItemState, Rule};
use crate::domain::requirements::{PlacementFacts, Validity};
use crate::error::AppResult;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use std::collections::BTreeMap;

/// Days between two instants, with the fraction of a day.
fn days(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    ((to - from).num_minutes().max(0) as f64) / (24.0 * 60.0)
}

fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The active requirements as clearance reads them.
pub(crate) async fn rules(tx: &mut Tx) -> AppResult<Vec<(Rule, String)>> {
    Ok(db::requirements::all(tx)
        .await?
        .into_iter()
        .filter(|r| r.active)
        .map(|r| {
            (
                Rule {
                    code: r.code,
                    validity: r.validity,
                    applies_to: r.applies_to,
                },
                r.name,
            )
        })
        .collect())
}

/// A student's documents as clearance evidence, and beside each (same index) the moment it
/// was reviewed: kept apart so the checklist reads the evidence as it is, without a copy per
/// placement.
#[derive(Default)]
pub(crate) struct Reviewed {
    pub evidence: Vec<Evidence>,
    pub reviewed_at: Vec<Option<DateTime<Utc>>>,
}

/// The documents by student, as clearance evidence with their review time.
pub(crate) fn evidence_by_student(docs: Vec<DocumentFact>) -> BTreeMap<String, Reviewed> {
    let mut out: BTreeMap<String, Reviewed> = BTreeMap::new();
    for d in docs {
        let Some(status) = DocStatus::parse(&d.status) else {
            continue;
        };
        let student = out.entry(d.student_id).or_default();
        student.evidence.push(Evidence {
            requirement_code: d.requirement_code,
            status,
            completed_on: d.completed_on,
            expires_on: d.expires_on,
            placement_id: d.placement_id,
        });
        student.reviewed_at.push(d.reviewed_at);
    }
    out
}

pub(crate) fn facts_of(p: &db::reports::PlacementFact) -> PlacementFacts {
    PlacementFacts {
        id: p.id.clone(),
        kind: p.kind.clone(),
        discipline: p.discipline.clone(),
        site_id: p.site_id.clone(),
        department_id: p.department_id.clone(),
        starts_on: p.starts_on,
        ends_on: p.ends_on,
    }
}

/// When a cleared placement became cleared: the moment the last of its applicable
/// requirements was first verified (the earliest review of a verified document of that
/// requirement, for a per-placement requirement one done for this placement). `None` when a
/// verified document has no review time (it came verified, e.g. by an import).
pub(crate) fn cleared_at(
    rules: &[Rule],
    evidence: &Reviewed,
    p: &PlacementFacts,
) -> Option<Option<DateTime<Utc>>> {
    let mut last: Option<DateTime<Utc>> = None;
    for r in rules.iter().filter(|r| clearance::applies(r, p)) {
        let first = evidence
            .evidence
            .iter()
            .zip(&evidence.reviewed_at)
            .filter(|(e, _)| {
                e.requirement_code == r.code
                    && e.status == DocStatus::Verified
                    && (r.validity != Validity::PerPlacement
                        || e.placement_id.as_deref() == Some(p.id.as_str()))
            })
            .filter_map(|(_, at)| *at)
            .min()?;
        last = Some(last.map_or(first, |l| l.max(first)));
    }
    Some(last)
}

/// Builds the report: one row per month with requests decided or placements cleared in it.
/// Requests decided in the period (by the day of the decision, UTC), of the filter's school,
/// discipline, degree level and kind (a request has no department yet, so the site and
/// department filters do not apply to it); placements of every filter, cleared today, whose
/// clearance completed in the period.
pub async fn report(tx: &mut Tx, f: ReportFilter, today: NaiveDate) -> AppResult<Report> {
    let scope = f.scope();
    let mut decisions: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut decided = 0i64;
    for r in db::reports::decided_requests(tx, &scope).await? {
        let day = r.decided_at.date_naive();
        if day < f.from || day > f.to {
            continue;
        }
        decided += 1;
        decisions
            .entry(month_of(day))
            .or_default()
            .push(days(r.created_at, r.decided_at));
    }
    // A placement is cleared before it starts: read those starting up to a year after.
    let mut wide = scope;
    wide.to = f.to.checked_add_days(Days::new(366)).unwrap_or(f.to);
    let placements = db::reports::placements(tx, &wide).await?;
    let rules: Vec<Rule> = rules(tx).await?.into_iter().map(|r| r.0).collect();
    let evidence = evidence_by_student(db::reports::documents(tx, &wide).await?);
    let mut clearances: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let none = Reviewed::default();
    for p in &placements {
        let Some(student) = &p.student_id else {
            continue;
        };
        let ev = evidence.get(student).unwrap_or(&none);
        let facts = facts_of(p);
        let items = clearance::checklist(&rules, &ev.evidence, &facts, today);
        if items.iter().any(|i| i.state != ItemState::Verified) {
            continue;
        }
        let Some(Some(at)) = cleared_at(&rules, ev, &facts) else {
            continue;
        };
        let day = at.date_naive();
        if day < f.from || day > f.to {
            continue;
        }
        clearances
            .entry(month_of(day))
            .or_default()
            .push(days(p.created_at, at));
    }
    let months: std::collections::BTreeSet<&String> =
        decisions.keys().chain(clearances.keys()).collect();
    let figures = |v: Option<&Vec<f64>>| -> [Value; 3] {
        let mut s = v.cloned().unwrap_or_default();
        s.sort_by(f64::total_cmp);
        [
            Value::Int(s.len() as i64),
            Value::Num(quantile(&s, 0.5).map(super::round2)),
            Value::Num(quantile(&s, 0.9).map(super::round2)),
        ]
    };
    let rows = months
        .into_iter()
        .map(|m| {
            let mut row = vec![Value::Text(m.clone())];
            row.extend(figures(decisions.get(m)));
            row.extend(figures(clearances.get(m)));
            row
        })
        .collect();
    let mut q = vec![
        ("decided_from", f.from.to_string()),
        ("decided_to", f.to.to_string()),
    ];
    for (k, v) in f.query_pairs() {
        if matches!(k, "school_id" | "discipline" | "degree_level" | "kind") {
            q.push((k, v));
        }
    }
    let qs = super::query_string(&q);
    Ok(Report {
        name: ReportName::Turnaround,
        counts: format!(
            "Requests decided in {} (approved or declined, by the day of the decision, UTC), \
             from submission to decision; and placements cleared today whose clearance \
             completed in the period, from the placement's approval to the moment the last of \
             its requirements was verified (0 when it was cleared already). Days with their \
             fraction; the median and the 90th percentile by nearest rank. The site and \
             department filters apply to placements only (a request has no department yet). \
             The total is the requests decided, the number of requests in the list linked \
             below.",
            f.period_words()
        ),
        columns: vec![
            col("month", "Month"),
            col("requests_decided", "Requests decided"),
            col("decision_median_days", "To decision, median (days)"),
            col("decision_p90_days", "To decision, 90th percentile (days)"),
            col("placements_cleared", "Placements cleared"),
            col("clearance_median_days", "To cleared, median (days)"),
            col("clearance_p90_days", "To cleared, 90th percentile (days)"),
        ],
        rows,
        total: Total {
            label: format!("Requests decided in {}", f.period_words()),
            value: decided,
            list: Some(format!("/requests?{qs}")),
            api_list: Some(format!("/api/v1/placement-requests?{qs}")),
        },
        chart: Chart::Lines {
            x: 0,
            series: vec![2, 3, 5, 6],
        },
        filter: f,
    })
}
