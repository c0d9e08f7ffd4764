//! The demo's placement work: last term's placements, next term's requests in every state,
//! each through the same checks as the API (`check_new_request`, eligibility, `check_and_insert`).
use super::*;

pub(super) async fn seed_placement_work(
    tx: &mut Tx,
    w: &Work<'_>,
) -> anyhow::Result<(usize, usize)> {
    let today = w.today;
    let monday =
        today + Duration::days(i64::from((7 - today.weekday().num_days_from_monday()) % 7));
    let jan1 = ymd(today.year(), 1, 1)?;
    // Last term ended three weeks ago or, early in January, within this year still.
    let last_term_ends = if today - Duration::weeks(3) >= jan1 {
        today - Duration::weeks(3)
    } else {
        (today - Duration::days(1)).max(jan1)
    };
    let mut asked_for: HashSet<String> = HashSet::from([w.demo_student.to_string()]);
    let mut placed_last_term = asked_for.clone();
    let (mut requests, mut placements) = (0, 0);
    for a in ASKS {
        let pi = PROGRAMS
            .iter()
            .position(|p| p.1 == a.program)
            .ok_or_else(|| anyhow!("no program {:?}", a.program))?;
        let (program, roster) = &w.programs[pi];
        let past = a.outcome == Outcome::Completed;
        let (starts_on, ends_on) = if past {
            (
                last_term_ends - Duration::days(7 * a.weeks - 3),
                last_term_ends,
            )
        } else {
            let s = monday + Duration::weeks(a.start);
            (s, s + Duration::days(7 * a.weeks - 3))
        };
        let submitted_on = if past {
            starts_on - Duration::weeks(6)
        } else {
            today - Duration::days(a.submitted_days_ago)
        };
        let submitted_at = w.on(submitted_on);

        let mut student_ids = Vec::new();
        if a.demo_student {
            student_ids.push(w.demo_student.to_string());
        }
        let mut enrolled: Vec<&Student> = roster
            .iter()
            .filter(|s| s.enrollment_status == "enrolled")
            .collect();
        let taken = if past {
            enrolled.reverse();
            &mut placed_last_term
        } else {
            &mut asked_for
        };
        for s in enrolled {
            if student_ids.len() >= a.named {
                break;
            }
            if taken.insert(s.id.clone()) {
                student_ids.push(s.id.clone());
            }
        }
        if student_ids.len() < a.named {
            return Err(anyhow!("{}: not enough enrolled students", a.program));
        }

        let mut prefs = Vec::new();
        for (site, name) in a.prefs {
            let d = DEPARTMENTS
                .iter()
                .position(|d| d.0 == *site && d.1 == *name)
                .ok_or_else(|| anyhow!("no department {name} at {}", SITES[*site]))?;
            if !DEPARTMENTS[d].4.contains(&program.discipline.as_str()) {
                return Err(anyhow!("{name} does not host {}", program.discipline));
            }
            prefs.push(d);
        }
        let draft = draft_request(
            w,
            DraftRequest {
                program,
                starts_on,
                ends_on,
                hours_per_week: a.hours,
                student_ids,
                slots: a.slots,
                prefs: &prefs,
                shift: a.shift,
                start_window_weeks: a.start_window_weeks,
                notes: a.notes.map(String::from),
                course: a.internship.map(|(code, title, credits, _)| Course {
                    code: code.into(),
                    title: title.into(),
                    credits,
                }),
                faculty_supervisor: a.internship.map(|(.., f)| match f {
                    Faculty::Demo => FacultySupervisor {
                        name: w.faculty.name.clone(),
                        email: w.faculty.email.clone(),
                    },
                    Faculty::Named(name, email) => FacultySupervisor {
                        name: name.into(),
                        email: email.into(),
                    },
                }),
                created_at: submitted_at,
            },
        );
        let mut req = if a.outcome == Outcome::Lapsing {
            let problems = api(
                requests::eligibility_of(tx, &draft, Stage::Approval).await,
                a.program,
            )?;
            if problems.is_empty() {
                return Err(anyhow!("{}: meant to be ineligible by now", a.program));
            }
            draft
        } else {
            let input = Parsed::new(RequestFields::of(&draft), Default::default());
            api(
                requests::check_new_request(tx, &Scope::All, input, submitted_on).await,
                a.program,
            )?
        };
        req.created_at = submitted_at;
        let submitter = if w.school_coordinator.school_id.as_ref() == Some(&req.school_id) {
            w.school_coordinator
        } else {
            w.office
        };
        record_submission(tx, submitter, &req, submitted_at).await?;
        requests += 1;

        let decided_at = (submitted_at + Duration::days(6)).min(w.now - Duration::hours(2));
        let (status, action, reason, by) = match a.outcome {
            Outcome::Submitted | Outcome::Lapsing => continue,
            Outcome::Waitlisted(r) => ("waitlisted", "decision:waitlist", r, w.office),
            Outcome::Declined(r) => ("declined", "decision:decline", r, w.office),
            Outcome::Withdrawn(r) => ("withdrawn", "withdraw", r, submitter),
            Outcome::Approved { .. } | Outcome::Completed => {
                let rows = approve(tx, w, a, &req, &program.discipline, &prefs, decided_at).await?;
                let Some(rows) = rows else {
                    // Only on a day when preceptors' leave or licences fall unluckily: a
                    // request for next term stays in the queue, last term's was declined.
                    tracing::warn!(program = a.program, "no room for a demo approval");
                    if past {
                        let reason = "No preceptor had room for these dates.";
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
                    }
                    continue;
                };
                placements += rows.len();
                if let (Outcome::Approved { confirmed: true }, Some(first)) =
                    (a.outcome, rows.first())
                {
                    let at = (decided_at + Duration::days(2)).min(w.now - Duration::hours(1));
                    transition(tx, submitter, first, "confirmed", at).await?;
                }
                if past {
                    for r in &rows {
                        let r = transition(tx, w.office, r, "active", w.on(r.starts_on)).await?;
                        transition(tx, w.office, &r, "completed", w.on(r.ends_on)).await?;
                    }
                }
                continue;
            }
        };
        settle(tx, by, &req, status, action, Some(reason), decided_at).await?;
    }
    Ok((requests, placements))
}

/// What a demo request is made of; [`draft_request`] makes the rest (kind, preferences and
/// shifts as records, submitted, not yet decided).
pub(super) struct DraftRequest<'a> {
    pub(super) program: &'a Program,
    pub(super) starts_on: NaiveDate,
    pub(super) ends_on: NaiveDate,
    pub(super) hours_per_week: i64,
    pub(super) student_ids: Vec<String>,
    pub(super) slots: i64,
    /// Indexes into `DEPARTMENTS`, most wanted first.
    pub(super) prefs: &'a [usize],
    /// Weekdays ("mon tue ..."), from and to ("07:00", "15:30").
    pub(super) shift: (&'a str, &'a str, &'a str),
    pub(super) start_window_weeks: i64,
    pub(super) notes: Option<String>,
    /// An internship's course and faculty supervisor (both, or neither: a clinical request).
    pub(super) course: Option<Course>,
    pub(super) faculty_supervisor: Option<FacultySupervisor>,
    pub(super) created_at: DateTime<Utc>,
}

/// A submitted request of the demo, this term's and past terms' alike.
pub(super) fn draft_request(w: &Work<'_>, d: DraftRequest<'_>) -> PlacementRequest {
    let (days, from, to) = d.shift;
    PlacementRequest {
        id: new_id(),
        kind: if d.course.is_some() {
            "internship"
        } else {
            "clinical"
        }
        .into(),
        school_id: d.program.school_id.clone(),
        program_id: d.program.id.clone(),
        starts_on: d.starts_on,
        ends_on: d.ends_on,
        hours_per_week: d.hours_per_week,
        student_ids: d.student_ids,
        slots: d.slots,
        preferences: d
            .prefs
            .iter()
            .map(|i| Preference {
                site_id: w.site_ids[DEPARTMENTS[*i].0].clone(),
                department_id: Some(w.dept_ids[*i].clone()),
            })
            .collect(),
        shifts: days
            .split_whitespace()
            .map(|day| Shift {
                weekday: day.into(),
                starts_at: from.into(),
                ends_at: to.into(),
            })
            .collect(),
        start_window_weeks: d.start_window_weeks,
        together: false,
        notes: d.notes,
        course: d.course,
        faculty_supervisor: d.faculty_supervisor,
        status: "submitted".into(),
        decision_reason: None,
        decided_at: None,
        created_at: d.created_at,
        eligibility: None,
        placements: None,
    }
}

/// Stores a submitted request and its audit event, as `submitter` at `at`.
pub(super) async fn record_submission(
    tx: &mut Tx,
    submitter: &User,
    req: &PlacementRequest,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    db::requests::insert(tx, req, &submitter.id).await?;
    db::audit::record(
        tx,
        &actor_of(submitter, at),
        "submit",
        "placement_request",
        &req.id,
        None::<&()>,
        Some(req),
    )
    .await?;
    Ok(())
}

/// Approves a request as the office would: eligibility again, then one placement per student
/// and slot, each in the first preferred department with room and a preceptor with a free
/// slot (a site mentor for an intern), all through the API's `check_and_insert`. `None` when
/// some seat fits nowhere.
pub(super) async fn approve(
    tx: &mut Tx,
    w: &Work<'_>,
    a: &Ask,
    req: &PlacementRequest,
    discipline: &str,
    prefs: &[usize],
    decided_at: DateTime<Utc>,
) -> anyhow::Result<Option<Vec<PlacementRow>>> {
    let problems = api(
        requests::eligibility_of(tx, req, Stage::Approval).await,
        a.program,
    )?;
    if !problems.is_empty() {
        return Err(anyhow!("{}: not eligible: {problems:?}", a.program));
    }
    place(tx, w, a, req, discipline, prefs, decided_at).await
}

/// [`approve`] without its eligibility check: for past terms, whose students, agreements and
/// accreditations were judged on their own day (`seed::history`), not on today's facts.
pub(super) async fn place(
    tx: &mut Tx,
    w: &Work<'_>,
    a: &Ask,
    req: &PlacementRequest,
    discipline: &str,
    prefs: &[usize],
    decided_at: DateTime<Utc>,
) -> anyhow::Result<Option<Vec<PlacementRow>>> {
    let faculty_user_id = match a.internship {
        None => None,
        Some((.., Faculty::Demo)) => Some(w.faculty.id.clone()),
        Some(_) => {
            return Err(anyhow!(
                "{}: only the demo faculty's interns are placed",
                a.program
            ));
        }
    };
    let period = Period::new(req.starts_on, req.ends_on)
        .ok_or_else(|| anyhow!("{}: the period ends before it starts", a.program))?;
    let seats: Vec<Option<String>> = req
        .student_ids
        .iter()
        .cloned()
        .map(Some)
        .chain((0..req.slots).map(|_| None))
        .collect();
    let mut entries: Vec<NewPlacement> = Vec::new();
    for student_id in seats {
        let mut chosen = None;
        for d in prefs {
            let dept_id = &w.dept_ids[*d];
            // Room in the department, counting this decision's seats.
            let mut held: Vec<Period> =
                db::placements::held_in_department(tx, dept_id, period.starts_on, period.ends_on)
                    .await?
                    .into_iter()
                    .filter_map(|(a, b)| Period::new(a, b))
                    .collect();
            held.extend(
                entries
                    .iter()
                    .filter(|e| e.department_id == *dept_id)
                    .map(|_| period),
            );
            if first_full_day(DEPARTMENTS[*d].3, &held, period).is_some() {
                continue;
            }
            if req.kind != "clinical" {
                let in_dept = |s: &&Staff| !s.is_preceptor && s.department_id == *dept_id;
                let mentor = w
                    .staff
                    .iter()
                    .filter(in_dept)
                    .find(|s| s.discipline.as_deref() == Some(discipline))
                    .or_else(|| {
                        w.staff
                            .iter()
                            .find(|s| in_dept(s) && s.discipline.is_some())
                    });
                chosen = Some((dept_id, None, mentor.map(|s| s.id.clone())));
                break;
            }
            // The first preceptor of the discipline there who is licensed, not on leave, and
            // has a free slot on every day.
            for s in w.staff.iter().filter(|s| {
                s.is_preceptor
                    && s.department_id == *dept_id
                    && s.discipline.as_deref() == Some(discipline)
                    && s.license_expires_on.is_none_or(|d| d >= period.ends_on)
                    && !s.leave.iter().any(|l| {
                        Period::new(l.starts_on, l.ends_on).is_some_and(|l| l.overlaps(&period))
                    })
            }) {
                let mut held: Vec<Period> =
                    db::placements::held_by_preceptor(tx, &s.id, period.starts_on, period.ends_on)
                        .await?
                        .into_iter()
                        .filter_map(|(a, b)| Period::new(a, b))
                        .collect();
                held.extend(
                    entries
                        .iter()
                        .filter(|e| e.preceptor_id.as_deref() == Some(s.id.as_str()))
                        .map(|_| period),
                );
                if first_full_day(s.max_students, &held, period).is_none() {
                    chosen = Some((dept_id, Some(s.id.clone()), None));
                    break;
                }
            }
            if chosen.is_some() {
                break;
            }
        }
        let Some((dept_id, preceptor_id, site_mentor_id)) = chosen else {
            return Ok(None);
        };
        entries.push(NewPlacement {
            student_id,
            department_id: dept_id.clone(),
            preceptor_id,
            site_mentor_id,
            starts_on: req.starts_on,
            ends_on: req.ends_on,
        });
    }
    let rows = match placements::check_and_insert(
        tx,
        req,
        discipline,
        &entries,
        faculty_user_id,
        decided_at,
    )
    .await
    {
        Ok(rows) => rows,
        Err(AppError::Rejected(p)) if p.status() == 409 => return Ok(None),
        Err(e) => return Err(anyhow!("{}: {e:?}", a.program)),
    };
    for r in &rows {
        db::audit::record(
            tx,
            &actor_of(w.office, decided_at),
            "create",
            "placement",
            &r.id,
            None::<&()>,
            Some(r),
        )
        .await?;
    }
    settle(
        tx,
        w.office,
        req,
        "approved",
        "decision:approve",
        None,
        decided_at,
    )
    .await?;
    Ok(Some(rows))
}

/// A request's decision or withdrawal, with its audit entry.
pub(super) async fn settle(
    tx: &mut Tx,
    by: &User,
    before: &PlacementRequest,
    status: &str,
    action: &str,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    db::requests::set_status(tx, &before.id, status, reason, at).await?;
    let after = db::requests::get(tx, &before.id)
        .await?
        .ok_or_else(|| anyhow!("request {} is gone", before.id))?;
    db::audit::record(
        tx,
        &actor_of(by, at),
        action,
        "placement_request",
        &before.id,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(())
}

/// A placement's move through its lifecycle, with its audit entry.
pub(super) async fn transition(
    tx: &mut Tx,
    by: &User,
    before: &PlacementRow,
    to: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<PlacementRow> {
    db::placements::set_status(tx, &before.id, to, None).await?;
    let after = db::placements::get(tx, &before.id)
        .await?
        .ok_or_else(|| anyhow!("placement {} is gone", before.id))?;
    // A completion issues its certificate, as the service's does, with the hours approved.
    if to == "completed" {
        let facts = crate::service::placements::completion_facts(tx, &after).await?;
        crate::service::certificates::issue(tx, &after, facts.approved_minutes, at).await?;
    }
    db::audit::record(
        tx,
        &actor_of(by, at),
        &format!("transition:{to}"),
        "placement",
        &before.id,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(after)
}
