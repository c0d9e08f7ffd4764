//! Two years of the demo's past terms (issue 17: "the demo is rich enough that every chart
//! shows something on first start"): six terms before last term, each with requests from
//! every program's school, decided after a few days, placed through the same seat and
//! preceptor search as the API (`place`, `check_and_insert`), then run and completed with their
//! hours logged and approved and their midterm and final evaluations signed. Past terms skip today's
//! eligibility check: their students, agreements and accreditations were judged on their day.
use super::*;
use crate::db::evaluations::EvaluationRow;
use crate::db::time_entries::TimeEntryRow;
use crate::domain::catalog::DISCIPLINES;
use crate::domain::evaluation::{Answer, Form, ItemType};

/// How many past terms, and how far apart their starts are (weeks).
const TERMS: i64 = 6;
const TERM_EVERY_WEEKS: i64 = 17;
/// The newest past term ends this many weeks before today's Monday, before last term begins
/// (last term's longest placement starts 15 weeks before today).
const NEWEST_ENDS_WEEKS_AGO: i64 = 16;

/// Writes the past terms: `(requests, placements)`.
pub(super) async fn seed_history(tx: &mut Tx, w: &Work<'_>) -> anyhow::Result<(usize, usize)> {
    let monday = w.today - Duration::days(i64::from(w.today.weekday().num_days_from_monday()));
    let mut rng = Lcg(2026);
    let (mut requests, mut placements) = (0, 0);
    for k in (0..TERMS).rev() {
        let weeks = 8 + (k % 3) * 2;
        let ends_week = monday - Duration::weeks(NEWEST_ENDS_WEEKS_AGO + TERM_EVERY_WEEKS * k);
        let starts_on = ends_week - Duration::weeks(weeks);
        let ends_on = starts_on + Duration::days(7 * weeks - 3);
        for (pi, (program, roster)) in w.programs.iter().enumerate() {
            let discipline = program.discipline.as_str();
            let clinical = DISCIPLINES.iter().any(|d| d.0 == discipline && d.2);
            let mut prefs: Vec<usize> = DEPARTMENTS
                .iter()
                .enumerate()
                .filter(|(_, d)| d.4.contains(&discipline))
                .map(|(i, _)| i)
                .collect();
            if prefs.is_empty() {
                continue;
            }
            let turn = k as usize % prefs.len();
            prefs.rotate_left(turn);
            let enrolled: Vec<&Student> = roster
                .iter()
                .filter(|s| s.enrollment_status == "enrolled")
                .collect();
            // One to three students a term, more from the larger programs.
            let named = (1 + (pi + k as usize) % 3).min(enrolled.len());
            if named == 0 {
                continue;
            }
            let student_ids: Vec<String> = (0..named)
                .map(|i| {
                    enrolled[(i + k as usize * named) % enrolled.len()]
                        .id
                        .clone()
                })
                .collect();
            let submitted_on = starts_on - Duration::days(28 + rng.below(35) as i64);
            let submitted_at = w.on(submitted_on);
            let req = draft_request(
                w,
                DraftRequest {
                    program,
                    starts_on,
                    ends_on,
                    hours_per_week: 24 + 4 * rng.below(5) as i64,
                    student_ids,
                    slots: 0,
                    prefs: &prefs,
                    shift: DAYS,
                    start_window_weeks: 0,
                    notes: None,
                    course: (!clinical).then(|| Course {
                        code: format!("FLD-{}", 400 + pi),
                        title: "Field internship".into(),
                        credits: 3,
                    }),
                    faculty_supervisor: (!clinical).then(|| FacultySupervisor {
                        name: w.faculty.name.clone(),
                        email: w.faculty.email.clone(),
                    }),
                    created_at: submitted_at,
                },
            );
            record_submission(tx, w.office, &req, submitted_at).await?;
            requests += 1;
            let decided_at = submitted_at + Duration::days(1 + rng.below(14) as i64);
            let a = Ask {
                internship: (!clinical).then_some(("FLD", "Field internship", 3, Faculty::Demo)),
                ..ask(PROGRAMS[pi].1, named, &[], 0, weeks, 0, Outcome::Completed)
            };
            let Some(rows) = place(tx, w, &a, &req, discipline, &prefs, decided_at).await? else {
                let reason = "No department had room for these dates.";
                settle(
                    tx,
                    w.office,
                    &req,
                    "declined",
                    "decision:decline",
                    Some(reason),
                    decided_at,
                )
                .await?;
                continue;
            };
            placements += rows.len();
            for r in &rows {
                let confirmed =
                    transition(tx, w.office, r, "confirmed", decided_at + Duration::days(3))
                        .await?;
                let active =
                    transition(tx, w.office, &confirmed, "active", w.on(r.starts_on)).await?;
                hours(tx, w, &active, req.hours_per_week).await?;
                for point in ["midterm", "final"] {
                    evaluation(tx, w, &active, &req.kind, discipline, point, &mut rng).await?;
                }
                transition(tx, w.office, &active, "completed", w.on(r.ends_on)).await?;
            }
        }
    }
    Ok((requests, placements))
}

/// A week's hours at a time (each Friday), approved on the Monday after by the supervisor.
async fn hours(
    tx: &mut Tx,
    w: &Work<'_>,
    p: &PlacementRow,
    hours_per_week: i64,
) -> anyhow::Result<()> {
    let Some(student_id) = &p.student_id else {
        return Ok(());
    };
    let supervisor = supervisor_name(w, p);
    let mut friday = p.starts_on + Duration::days(4);
    while friday <= p.ends_on {
        let logged = w.on(friday);
        let decided = w.on(friday + Duration::days(3));
        db::time_entries::insert(
            tx,
            &TimeEntryRow {
                id: new_id(),
                placement_id: p.id.clone(),
                student_id: student_id.clone(),
                entry_date: friday,
                kind: "worked".into(),
                minutes: hours_per_week * 60,
                clock_in: None,
                clock_out: None,
                activity: Some("The week's shifts".into()),
                notes: None,
                absence_reason: None,
                make_up_on: None,
                status: "approved".into(),
                decision_note: None,
                decided_by: None,
                decided_by_name: supervisor.clone(),
                decided_at: Some(decided),
                submitted_at: logged,
                created_at: logged,
                updated_at: decided,
            },
        )
        .await?;
        friday += Duration::weeks(1);
    }
    Ok(())
}

/// The supervisor's name: the preceptor, or for an intern the site mentor.
fn supervisor_name(w: &Work<'_>, p: &PlacementRow) -> Option<String> {
    let id = p.preceptor_id.as_ref().or(p.site_mentor_id.as_ref())?;
    w.staff.iter().find(|s| &s.id == id).map(|s| s.name.clone())
}

/// The midterm or final evaluation, signed on its due day (the midpoint, the last day):
/// scales from 3 to 5, competencies met.
async fn evaluation(
    tx: &mut Tx,
    w: &Work<'_>,
    p: &PlacementRow,
    kind: &str,
    discipline: &str,
    point: &str,
    rng: &mut Lcg,
) -> anyhow::Result<()> {
    let Some(template) = db::evaluations::applicable(tx, kind, discipline, point).await? else {
        return Ok(());
    };
    let form: Form = template.form();
    let mut answers = crate::domain::evaluation::Answers::new();
    for item in form.items() {
        let value = match item.item_type {
            ItemType::Scale => Answer::Whole(3 + rng.below(3) as i64),
            ItemType::Competency => Answer::Text("met".into()),
            ItemType::YesNo => Answer::YesNo(true),
            ItemType::Text => Answer::Text("Steady progress; keep building speed.".into()),
        };
        answers.insert(item.key.clone(), value);
    }
    let due = if point == "midterm" {
        p.starts_on + Duration::days((p.ends_on - p.starts_on).num_days() / 2)
    } else {
        p.ends_on
    };
    let signed_at = w.on(due);
    let author = match p.preceptor_id.as_ref().or(p.site_mentor_id.as_ref()) {
        Some(staff) => db::users::by_staff(tx, staff).await?,
        None => None,
    };
    db::evaluations::insert(
        tx,
        &EvaluationRow {
            id: new_id(),
            placement_id: p.id.clone(),
            point: point.into(),
            template_id: template.id.clone(),
            version: 1,
            status: "signed".into(),
            answers_json: serde_json::to_string(&answers)?,
            mentor_comment: None,
            author_user_id: author.map(|u| u.id).unwrap_or_else(|| w.office.id.clone()),
            signed_by_user_id: None,
            signed_by_name: supervisor_name(w, p),
            signed_at: Some(signed_at),
            acknowledged_at: Some(signed_at + Duration::days(2)),
            student_comment: None,
            correction_reason: None,
            created_at: signed_at,
            updated_at: signed_at,
        },
    )
    .await?;
    Ok(())
}
