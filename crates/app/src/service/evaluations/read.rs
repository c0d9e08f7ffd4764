//! Reading: the evaluations a placement owes, the caller's to-do list, and one evaluation.
use super::*;

/// One evaluation a placement owes (or has), as lists show it.
#[derive(Clone, Debug)]
pub struct Slot {
    pub placement_id: String,
    pub point: Point,
    pub due_on: NaiveDate,
    /// not_started, draft, signed, acknowledged
    pub status: &'static str,
    /// Due or late while unsigned on an owing placement; `None` otherwise.
    pub urgency: Option<Urgency>,
    /// The evaluation's id when the caller may open it.
    pub id: Option<String>,
    pub version: Option<i64>,
    pub part: Part,
    pub student_name: Option<String>,
    pub template_id: Option<String>,
}

fn status_of(e: Option<&EvaluationRow>) -> &'static str {
    match e {
        None => "not_started",
        Some(e) if !e.is_signed() => "draft",
        Some(e) if e.acknowledged_at.is_some() => "acknowledged",
        Some(_) => "signed",
    }
}

async fn slots_of(
    tx: &mut Tx,
    p: &Principal,
    row: &PlacementRow,
    today: NaiveDate,
) -> AppResult<Vec<Slot>> {
    let stored = db::evaluations::of_placement(tx, &row.id).await?;
    let discipline = discipline_of(tx, row).await?;
    let student_name = match &row.student_id {
        Some(s) => db::students::get(tx, s).await?.map(|s| s.full_name()),
        None => None,
    };
    let mut out = Vec::new();
    for point in Point::ALL {
        let part = part_of(p, row, point);
        if part == Part::Stranger {
            continue;
        }
        let e = stored.iter().find(|e| e.point == point.as_str());
        if e.is_none() && !evaluation::owed(&row.status) {
            continue;
        }
        let due_on = evaluation::due_on(point, row.starts_on, row.ends_on);
        let urgency = (evaluation::owed(&row.status) && !e.is_some_and(EvaluationRow::is_signed))
            .then(|| evaluation::urgency(due_on, today));
        let template_id = match e {
            Some(e) => Some(e.template_id.clone()),
            None => db::evaluations::applicable(tx, &row.kind, &discipline, point.as_str())
                .await?
                .map(|t| t.id),
        };
        let visible = e.filter(|e| reads(part, p.role, e));
        out.push(Slot {
            placement_id: row.id.clone(),
            point,
            due_on,
            status: status_of(e),
            urgency,
            id: visible.map(|e| e.id.clone()),
            version: visible.map(|e| e.version),
            part,
            student_name: student_name.clone(),
            template_id,
        });
    }
    Ok(out)
}

/// The evaluations of a placement the caller sees: each point's due day and state (a site
/// evaluation only to its author).
pub async fn placement_evaluations(
    st: &AppState,
    p: &Principal,
    placement_id: &str,
) -> AppResult<Vec<Slot>> {
    let mut tx = st.db.read().await?;
    let row = placement_in_scope(&mut tx, p, placement_id).await?;
    slots_of(&mut tx, p, &row, st.clock.today()).await
}

/// What the caller has to do: a supervisor's evaluations to fill or sign, a student's own
/// site evaluation and the signed ones to acknowledge (the home pages and `GET /api/v1/evaluations`).
pub async fn my_evaluations(st: &AppState, p: &Principal) -> AppResult<Vec<Slot>> {
    let scope = p.authorize(Resource::Evaluation, Action::Read)?;
    let mut tx = st.db.read().await?;
    let rows = db::placements::list(
        &mut tx,
        &scope,
        &db::placements::Filter::default(),
        &db::Page {
            limit: 100_000,
            after: None,
            sort: None,
        },
    )
    .await?
    .items;
    let today = st.clock.today();
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| evaluation::owed(&r.status)) {
        for s in slots_of(&mut tx, p, row, today).await? {
            let todo = match s.part {
                Part::Author | Part::SiteMentor => s.status == "not_started" || s.status == "draft",
                Part::Subject => s.status == "signed",
                _ => false,
            };
            if todo {
                out.push(s);
            }
        }
    }
    out.sort_by(|a, b| {
        a.due_on
            .cmp(&b.due_on)
            .then(a.placement_id.cmp(&b.placement_id))
    });
    Ok(out)
}

/// One evaluation for whoever may read it; a read by anyone but the student is recorded in
/// the student's disclosure log (an evaluation is part of their education record).
pub async fn get_evaluation(st: &AppState, p: &Principal, id: &str) -> AppResult<Evaluation> {
    let mut tx = st.db.read().await?;
    let ev = load(&mut tx, p, id).await?;
    drop(tx);
    if let Some(student) = &ev.placement.student_id {
        crate::service::disclosures::record(
            st,
            p,
            student,
            crate::service::disclosures::Read::Evaluation(ev.row.id.clone()),
        )
        .await?;
    }
    Ok(ev)
}
