//! A planning run's page: its progress, its proposal week by week, and accepting or planning again.
use super::*;
use chrono::{DateTime, Utc};

pub(super) async fn run(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    params: Params,
) -> PageResult {
    let r = planning::load(&st, &user.p, &id).await?;
    let page = render_run(&st, &user, &r, None).await?;
    if wants_csv(&params) {
        let table = table(
            "Proposal",
            vec![
                "Request",
                "Outcome",
                "Reason",
                "Department",
                "Preceptor",
                "Dates",
                "Pinned",
            ],
            page.rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::text(&r.request_label),
                        Cell::text(&r.outcome),
                        Cell::text(&r.reason),
                        Cell::text(&r.department),
                        Cell::text(&r.preceptor),
                        Cell::text(&r.dates),
                        Cell::text(if r.pinned { "yes" } else { "" }),
                    ]
                })
                .collect(),
            "",
        );
        return Ok(csv_response(&format!("plan-{id}"), &table));
    }
    Ok(page.into_response())
}

/// A run's progress as the page shows it and its script refreshes it (`/status`): the words,
/// the share of the time used, and the chart of the plan's score and its proven bound.
#[derive(serde::Serialize)]
pub(super) struct LiveProgress {
    pub status: String,
    pub progress_text: String,
    pub time_percent: i64,
    pub chart: ProgressChart,
}

/// `now` gives a running run's seconds used: the allocator reports only when its plan or its
/// bound changes, so the last report's seconds would stand still while it keeps searching.
pub(super) fn live_progress(v: &PlanningRun, now: DateTime<Utc>) -> LiveProgress {
    let running = v.status == "running";
    let used = |reported: f64| {
        if running {
            let wall = (now - v.created_at).num_milliseconds() as f64 / 1000.0;
            wall.min(v.time_limit_seconds).max(reported)
        } else {
            reported
        }
    };
    let progress_text = match &v.progress {
        Some(p) => format!(
            "Best plan so far scores {:.1}; nothing can score more than {:.1}, so it is {} ({:.1} s used of {:.0} s).",
            p.objective,
            p.bound,
            proven_quality(p.objective, Some(p.bound))
                .unwrap_or_else(|| "not yet measured against the best possible".into()),
            used(p.elapsed_seconds),
            v.time_limit_seconds,
        ),
        None => "Building the first plan…".into(),
    };
    let time_percent = v.progress.as_ref().map_or(0, |p| {
        ((used(p.elapsed_seconds) / v.time_limit_seconds.max(0.001)) * 100.0).clamp(0.0, 100.0)
            as i64
    });
    let history = v.progress.as_ref().map_or(&[][..], |p| &p.history[..]);
    LiveProgress {
        status: v.status.clone(),
        progress_text,
        time_percent,
        chart: progress_chart(history, v.time_limit_seconds, running.then(|| used(0.0))),
    }
}

pub(super) async fn render_run(
    st: &AppState,
    user: &PageUser,
    r: &db::planning::Run,
    outcome: Option<AcceptOutcome>,
) -> Result<RunPage, PageError> {
    let v: PlanningRun = planning::view(r, true)?;
    let term = Term {
        starts_on: r.starts_on,
        ends_on: r.ends_on,
    };
    let mut tx = st.db.read().await?;
    let schools = names(db::schools::all_names(&mut tx).await?);
    let departments = names(db::departments::all_names(&mut tx).await?);
    let staff = names(db::staff::names(&mut tx).await?);
    drop(tx);
    let name = |map: &HashMap<String, String>, id: &str| {
        map.get(id).cloned().unwrap_or_else(|| id.to_string())
    };
    let mut facts = vec![
        (
            "Term",
            Cell::text(format!(
                "{} – {} ({} weeks; week 1 starts {})",
                human_date(r.starts_on),
                human_date(r.ends_on),
                v.weeks,
                human_date(v.week0)
            )),
        ),
        ("Status", status_cell(&r.status)),
    ];
    let live = live_progress(&v, st.clock.now());
    if let Some(e) = &v.error {
        facts.push(("Error", Cell::text(e)));
    }
    if let Some(b) = &v.based_on {
        facts.push((
            "Planned again from",
            Cell::link("the previous plan", format!("/planning/runs/{b}")),
        ));
    }
    if let Some(at) = r.accepted_at {
        facts.push((
            "Accepted",
            Cell::text(st.clock.local(at).format("%Y-%m-%d %H:%M %Z").to_string()),
        ));
    }
    let mut page = RunPage {
        chrome: user.chrome("Term plan"),
        facts,
        running: r.status == "running",
        run_id: r.id.clone(),
        time_percent: live.time_percent,
        time_limit: v.time_limit_seconds,
        progress_text: live.progress_text,
        chart: live.chart,
        outcome,
        has_proposal: false,
        accepted: r.accepted_at.is_some(),
        schools: Table::default(),
        rows: vec![],
        grid_note: String::new(),
        grid: Table::default(),
    };
    let Some(p) = v.proposal else {
        return Ok(page);
    };
    page.has_proposal = true;
    let quality = proven_quality(p.objective, p.bound)
        .unwrap_or_else(|| "not measured against the best possible (no bound)".into());
    page.facts.push((
        "Placed",
        Cell::text(format!(
            "{} of {} students",
            p.students_placed, p.students_requested
        )),
    ));
    page.facts.push((
        "Score",
        Cell::text(format!(
            "{:.1}; the best possible is at most {} — {quality}",
            p.objective,
            p.bound.map_or("unknown".into(), |b| format!("{b:.1}")),
        )),
    ));
    page.schools = table(
        "Share of each school's students placed (the plan favours the worst-served school)",
        vec!["School", "Fill rate", "Placed", "Asked for"],
        p.schools
            .iter()
            .map(|s| {
                let pct = (s.fill_rate * 100.0).round() as i64;
                vec![
                    Cell::text(name(&schools, &s.school_id)),
                    Cell {
                        text: format!("{pct}%"),
                        csv: format!("{pct}"),
                        href: None,
                        badge: None,
                        bar: Some(pct),
                    },
                    Cell::text(s.placed.to_string()),
                    Cell::text(s.requested.to_string()),
                ]
            })
            .collect(),
        "No request was part of this plan.",
    );
    for q in &p.requests {
        let label = format!(
            "{} · {} {} {}",
            if q.school_id.is_empty() {
                q.request_id.clone()
            } else {
                name(&schools, &q.school_id)
            },
            q.students,
            if q.students == 1 {
                "student"
            } else {
                "students"
            },
            plan::request_words(&q.discipline, &q.kind)
        );
        let (outcome, style) = match q.outcome.as_str() {
            "placed" => ("placed".to_string(), "ok"),
            "partial" => (format!("{} of {} placed", q.placed, q.students), "warn"),
            "unplaced" => ("not placed".to_string(), "bad"),
            _ => ("left out".to_string(), "bad"),
        };
        let base = ProposalRow {
            first: true,
            acceptable: q.outcome == "placed",
            request_id: q.request_id.clone(),
            request_label: label,
            outcome,
            outcome_style: style,
            reason: q.reason.clone().unwrap_or_default(),
            department: String::new(),
            preceptor: String::new(),
            dates: String::new(),
            pin_value: String::new(),
            pinned: false,
            remove_value: String::new(),
        };
        if q.assignments.is_empty() {
            page.rows.push(base);
            continue;
        }
        for (i, a) in q.assignments.iter().enumerate() {
            page.rows.push(ProposalRow {
                first: i == 0,
                department: name(&departments, &a.department_id),
                preceptor: a
                    .preceptor_id
                    .as_ref()
                    .map_or("— (faculty supervises)".into(), |s| name(&staff, s)),
                dates: format!("{} – {}", human_date(a.starts_on), human_date(a.ends_on)),
                pin_value: format!(
                    "{}|{}|{}|{}",
                    q.request_id,
                    a.department_id,
                    a.preceptor_id.clone().unwrap_or_default(),
                    a.start_week
                ),
                pinned: a.pinned,
                remove_value: format!("{}|{}", q.request_id, a.department_id),
                ..base.clone()
            });
        }
    }
    let (grid_note, grid) = week_grid(r, term, &departments)?;
    page.grid_note = grid_note;
    page.grid = grid;
    Ok(page)
}

/// Each department with students in the term: seats used of its capacity, week by week.
pub(super) fn week_grid(
    r: &db::planning::Run,
    term: Term,
    departments: &HashMap<String, String>,
) -> Result<(String, Table), PageError> {
    let (Ok(problem), Some(Ok(solution))) = (
        serde_json::from_str::<Problem>(&r.problem_json),
        r.solution_json
            .as_deref()
            .map(serde_json::from_str::<Solution>),
    ) else {
        return Ok((String::new(), Table::default()));
    };
    let load = department_load(&problem, &solution);
    let used: BTreeSet<&str> = load.keys().map(|(d, _)| *d).collect();
    let weeks = (problem.weeks as usize).min(WEEK_LABELS.len());
    let mut headers = vec!["Department"];
    headers.extend(WEEK_LABELS.iter().take(weeks));
    let mut rows: Vec<Vec<Cell>> = problem
        .departments
        .iter()
        .filter(|d| used.contains(d.id.as_str()))
        .map(|d| {
            let mut row = vec![Cell::text(
                departments.get(&d.id).cloned().unwrap_or(d.id.clone()),
            )];
            for w in 0..weeks as i64 {
                let n = load.get(&(d.id.as_str(), w)).copied().unwrap_or(0);
                let text = format!("{n}/{}", d.capacity);
                row.push(match n {
                    n if n >= d.capacity && d.capacity > 0 => {
                        Cell::badge(format!("{text} full"), "bad")
                    }
                    n if n > 0 => Cell::badge(text, "warn"),
                    _ => Cell::badge(text, "ok"),
                });
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| a[0].text.cmp(&b[0].text));
    let note = format!(
        "Students present of the department's capacity, with the placements already accepted. Week 1 is the week of Monday {}.",
        human_date(term.week0())
    );
    Ok((
        note,
        table(
            "Seats used per week",
            headers,
            rows,
            "No department has students in this term.",
        ),
    ))
}

pub(super) async fn act(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let r = planning::load(&st, &user.p, &id).await?;
    let values = |key: &str| -> Vec<String> {
        form.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    match form.get("action") {
        Some("accept") => {
            let mut body = Map::new();
            body.insert("request_ids".into(), json!(values("accept")));
            body.insert(
                "waitlist_unplaced".into(),
                json!(form.get("waitlist_unplaced") == Some("true")),
            );
            let outcome =
                planning::accept_run(&st, &user.p, &id, input::planning::accept_run(body)?).await?;
            let r = planning::load(&st, &user.p, &id).await?;
            Ok(render_run(&st, &user, &r, Some(outcome))
                .await?
                .into_response())
        }
        Some("rerun") => {
            let ctx: Context = serde_json::from_str(&r.context_json).unwrap_or_default();
            let pins: Vec<Value> = values("pin")
                .iter()
                .filter_map(|v| {
                    let parts: Vec<&str> = v.split('|').collect();
                    let [request, department, preceptor, start] = parts[..] else {
                        return None;
                    };
                    Some(json!({
                        "request": request, "department": department,
                        "preceptor": (!preceptor.is_empty()).then_some(preceptor),
                        "start": start.parse::<i64>().ok()?,
                    }))
                })
                .collect();
            let exclude: Vec<Value> = values("remove")
                .iter()
                .filter_map(|v| {
                    let (request, department) = v.split_once('|')?;
                    Some(json!({ "request": request, "department": department }))
                })
                .collect();
            let mut ids: Vec<String> = ctx.requests.iter().map(|q| q.id.clone()).collect();
            ids.extend(ctx.left_out.iter().map(|l| l.request_id.clone()));
            ids.sort();
            ids.dedup();
            let body = json!({
                "starts_on": r.starts_on, "ends_on": r.ends_on, "request_ids": ids,
                "time_limit_seconds": r.time_limit_ms as f64 / 1000.0, "seed": r.seed,
                "based_on": r.id, "pins": pins, "exclude": exclude,
            });
            let Value::Object(body) = body else {
                return Err(AppError::BadRequest("the form is malformed".into()).into());
            };
            let next = planning::start_run(&st, &user.p, input::planning::start_run(body)?).await?;
            Ok(Redirect::to(&format!("/planning/runs/{}", next.id)).into_response())
        }
        _ => Err(AppError::BadRequest("choose accept or plan again".into()).into()),
    }
}
