//! Placements for every role (scoped), their lifecycle buttons, and naming a slot's student.
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage,
    filter_select, form_failed, list_page, list_response, see,
};
use crate::db::{self, Scope, placements::PlacementRow};
use crate::domain::ErrorCode;
use crate::domain::policy::{Action, Resource};
use crate::http::{auth::ensure, error::AppError, extract::Params, input};
use crate::service::placements;
use crate::state::AppState;
use axum::{
    Router,
    extract::State,
    response::IntoResponse,
    routing::{get, post},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/placements", get(list))
        .route("/placements/{id}", get(show))
        .route("/placements/{id}/transition", post(transition))
        .route("/placements/{id}/certificate", get(certificate))
        .route(
            "/placements/{id}/student",
            get(student_form).post(name_student),
        )
}

/// The certificate of a completed placement, as a PDF (`service::certificates`).
async fn certificate(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let c = crate::service::certificates::of_placement(&st, &user.p, &id).await?;
    Ok(crate::http::api::certificates::pdf_response(&c))
}

pub fn badge(status: &str) -> Cell {
    let style = match status {
        "cleared" | "active" | "completed" => "ok",
        "cancelled" => "bad",
        "onboarding" | "proposed" => "warn",
        _ => "info",
    };
    Cell::badge(status, style)
}

/// Names for the ids a placement table shows, read once per page.
pub struct Lookup {
    students: Vec<(String, String)>,
    departments: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    staff: Vec<(String, String)>,
}

impl Lookup {
    pub async fn load(st: &AppState, rows: &[PlacementRow]) -> Result<Lookup, PageError> {
        let mut tx = st.db.read().await?;
        let mut students = Vec::new();
        for r in rows {
            if let Some(s) = &r.student_id
                && !students.iter().any(|(id, _): &(String, String)| id == s)
                && let Some(x) = db::students::get(&mut tx, s).await?
            {
                students.push((s.clone(), x.full_name()));
            }
        }
        Ok(Lookup {
            students,
            departments: db::departments::all_names(&mut tx).await?,
            schools: db::schools::all_names(&mut tx).await?,
            staff: db::staff::names(&mut tx).await?,
        })
    }

    fn find(list: &[(String, String)], id: Option<&str>) -> String {
        id.and_then(|id| list.iter().find(|x| x.0 == id))
            .map(|x| x.1.clone())
            .unwrap_or_default()
    }

    pub fn department(&self, id: &str) -> String {
        Self::find(&self.departments, Some(id))
    }

    /// A staff member's name (a preceptor or site mentor), or empty.
    pub fn staff_member(&self, id: Option<&str>) -> String {
        Self::find(&self.staff, id)
    }

    pub fn student(&self, id: Option<&str>) -> String {
        if id.is_none() {
            "(to be named)".into()
        } else {
            Self::find(&self.students, id)
        }
    }
}

/// The placements table every role's pages use.
pub async fn table(
    st: &AppState,
    rows: &[PlacementRow],
    caption: &str,
) -> Result<Table, PageError> {
    let names = Lookup::load(st, rows).await?;
    let mut t = Table::new(
        caption,
        vec![
            "Student",
            "School",
            "Department",
            "Supervisor",
            "Period",
            "Status",
        ],
        "No placements.",
    );
    let mut tx = st.db.read().await?;
    let mut views = Vec::with_capacity(rows.len());
    for batch in rows.chunks(crate::service::risks::FACTS_BATCH) {
        views.extend(
            crate::service::placements::views(&mut tx, batch.to_vec(), st.clock.today()).await?,
        );
    }
    for (r, v) in rows.iter().zip(views) {
        let supervisor = match (&r.preceptor_id, &v.faculty_supervisor) {
            (Some(p), _) => Lookup::find(&names.staff, Some(p)),
            (None, Some(f)) => f.name.clone(),
            _ => String::new(),
        };
        t.rows.push(vec![
            Cell::link(
                names.student(r.student_id.as_deref()),
                format!("/placements/{}", r.id),
            ),
            Cell::text(Lookup::find(&names.schools, Some(&r.school_id))),
            Cell::text(Lookup::find(&names.departments, Some(&r.department_id))),
            Cell::text(supervisor),
            Cell {
                text: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
                csv: format!("{}/{}", r.starts_on, r.ends_on),
                ..Default::default()
            },
            badge(&v.status),
        ]);
    }
    Ok(t)
}

async fn list(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Placement, Action::Read)?;
    let page = list_page(&params)?;
    let date = |k: &str| params.get(k).and_then(|v| v.parse().ok());
    let filter = db::placements::Filter {
        // onboarding and cleared are confirmed placements, split by their clearance
        // (`input::placements::derived`).
        status: params
            .word(
                "status",
                |s| {
                    [
                        "proposed",
                        "onboarding",
                        "cleared",
                        "confirmed",
                        "active",
                        "completed",
                        "cancelled",
                    ]
                    .contains(&s)
                },
                "a status",
            )?
            .map(|s| crate::service::placement_filters::Derived::stored_status(&s).to_string()),
        school_id: params.id("school_id")?,
        department_id: params.id("department_id")?,
        kind: params.word(
            "kind",
            |s| s == "clinical" || s == "internship",
            "clinical, internship",
        )?,
        from: date("from"),
        to: date("to"),
        site_id: params.id("site_id")?,
        discipline: params.word(
            "discipline",
            |s| s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "a discipline's code",
        )?,
        degree_level: params.word(
            "degree_level",
            |s| crate::domain::directory::DegreeLevel::parse(s).is_some(),
            "a degree level",
        )?,
        placed: params.bool("placed")?.unwrap_or(false),
        ..Default::default()
    };
    let mut tx = st.db.read().await?;
    let rows = super::placement_filters::rows(&st, &mut tx, &scope, &filter, page, &params).await?;
    let schools = db::schools::all_names(&mut tx).await?;
    let depts = db::departments::all_names(&mut tx).await?;
    let sites: Vec<(String, String)> = db::sites::all(&mut tx)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let disciplines: Vec<(String, String)> = db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    drop(tx);
    let mut table = table(&st, &rows.items, "Placements").await?;
    super::sortable(
        &mut table,
        &user,
        &params,
        &[
            (0, "student"),
            (1, "school"),
            (2, "department"),
            (3, "supervisor"),
            (4, "period"),
            (5, "status"),
        ],
    );
    let statuses: Vec<(String, String)> = [
        "proposed",
        "confirmed",
        "onboarding",
        "cleared",
        "active",
        "completed",
        "cancelled",
    ]
    .iter()
    .map(|s| {
        let words = match *s {
            "confirmed" => "confirmed (onboarding or cleared)".to_string(),
            s => s.to_string(),
        };
        (s.to_string(), words)
    })
    .collect();
    let mut filters = vec![filter_select("status", "Status", statuses, &params)];
    if scope.is_all() {
        filters.push(filter_select("school_id", "School", schools, &params));
        filters.push(filter_select("department_id", "Department", depts, &params));
        filters.push(filter_select("site_id", "Site", sites, &params));
        filters.push(filter_select(
            "discipline",
            "Discipline",
            disciplines,
            &params,
        ));
        filters.push(filter_select(
            "degree_level",
            "Degree level",
            crate::domain::directory::DegreeLevel::ALL
                .iter()
                .map(|d| (d.as_str().to_string(), d.label().to_string()))
                .collect(),
            &params,
        ));
        filters.push(filter_select(
            "placed",
            "Cancelled",
            vec![("true".into(), "Leave out the cancelled".into())],
            &params,
        ));
    }
    filters.push(filter_select(
        "kind",
        "Kind",
        vec![
            ("clinical".into(), "Clinical".into()),
            ("internship".into(), "Internship".into()),
        ],
        &params,
    ));
    filters.extend(super::placement_filters::fields(&params));
    filters.push(Field::new("from", "From", "date").value(params.get("from").unwrap_or_default()));
    filters.push(Field::new("to", "To", "date").value(params.get("to").unwrap_or_default()));
    let title = match user.p.role {
        crate::domain::Role::Student => "My placements",
        crate::domain::Role::Preceptor | crate::domain::Role::Faculty => "My students",
        _ => "Placements",
    };
    let page = ListPage {
        chrome: user.chrome(title),
        intro: "A confirmed placement reads \u{201c}onboarding\u{201d} until the student is cleared, then \u{201c}cleared\u{201d}.".into(),
        filters,
        table,
        actions: vec![],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "placements",
    ))
}

async fn load(
    st: &AppState,
    user: &PageUser,
    id: &str,
) -> Result<(Scope, PlacementRow), PageError> {
    let scope = user.p.authorize(Resource::Placement, Action::Read)?;
    let mut tx = st.db.read().await?;
    let row = db::placements::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ensure(crate::service::placements::visible(&scope, &row))?;
    Ok((scope, row))
}

async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let (scope, row) = load(&st, &user, &id).await?;
    let names = Lookup::load(&st, std::slice::from_ref(&row)).await?;
    let mut tx = st.db.read().await?;
    let v = crate::service::placements::view(&mut tx, row.clone(), st.clock.today()).await?;
    drop(tx);
    let mut facts = vec![("Status", badge(&v.status))];
    if !v.risks.is_empty() {
        facts.push((
            "At risk",
            Cell::badge(
                v.risks
                    .iter()
                    .map(|r| r.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                "bad",
            ),
        ));
    }
    facts.extend([
        (
            "Student",
            Cell::text(names.student(row.student_id.as_deref())),
        ),
        (
            "School",
            Cell::text(Lookup::find(&names.schools, Some(&row.school_id))),
        ),
        (
            "Department",
            Cell::text(Lookup::find(&names.departments, Some(&row.department_id))),
        ),
        ("Kind", Cell::text(&row.kind)),
        (
            "Period",
            Cell::text(format!(
                "{} – {}",
                human_date(row.starts_on),
                human_date(row.ends_on)
            )),
        ),
    ]);
    if let Some(p) = &row.preceptor_id {
        facts.push(("Preceptor", Cell::text(Lookup::find(&names.staff, Some(p)))));
    }
    if let Some(m) = &row.site_mentor_id {
        facts.push((
            "Site mentor",
            Cell::text(Lookup::find(&names.staff, Some(m))),
        ));
    }
    if let Some(f) = &v.faculty_supervisor {
        facts.push((
            "Faculty supervisor",
            Cell::text(format!("{} <{}>", f.name, f.email)),
        ));
    }
    let clearance = if v.clearance.missing.is_empty() && v.clearance.status == "pending" {
        "pending: onboarding requirements are not tracked yet, so no placement is cleared"
            .to_string()
    } else {
        v.clearance.status.clone()
    };
    facts.push((
        "Clearance",
        Cell::badge(
            clearance,
            if v.clearance.is_cleared() {
                "ok"
            } else {
                "warn"
            },
        ),
    ));
    if let Some(r) = &row.cancel_reason {
        facts.push(("Reason", Cell::text(r)));
    }
    let mut actions = vec![];
    // Attendance and hours (issue 15 point 4): the totals and the way to the entries.
    if row.student_id.is_some() && matches!(row.status.as_str(), "active" | "completed") {
        let mut tx = st.db.read().await?;
        let h = crate::service::time_entries::hours_of(&mut tx, &row).await?;
        drop(tx);
        let t = &h.totals;
        facts.push((
            "Hours",
            Cell {
                text: format!(
                    "{} of {} required hours approved ({}%); {} waiting",
                    crate::domain::hours::hours_text(t.approved_minutes),
                    crate::domain::hours::hours_text(t.required_minutes),
                    t.percent_approved(),
                    crate::domain::hours::hours_text(t.pending_minutes),
                ),
                bar: Some(t.percent_approved()),
                ..Default::default()
            },
        ));
        let label = if user.p.role == crate::domain::Role::Student && row.status == "active" {
            "Log hours"
        } else {
            "Hours"
        };
        actions.push((format!("/placements/{id}/hours"), label.to_string()));
    }
    if scope.is_all() || scope.school().is_some() {
        actions.push((
            format!("/requests/{}", row.request_id),
            "The request".to_string(),
        ));
    }
    if row.student_id.is_some() {
        actions.push((
            format!("/placements/{id}/onboarding"),
            "Onboarding checklist".to_string(),
        ));
    }
    if scope.is_all() {
        actions.push((format!("/history/placement/{id}"), "History".to_string()));
    }
    let mut forms = vec![];
    let office = scope.is_all();
    let school = scope.school().is_some();
    let t = |to: &str, label: &str| {
        ActionForm::new(format!("/placements/{id}/transition"), label).with("to", to)
    };
    match row.status.as_str() {
        "proposed" if office || school => {
            forms.push(t("confirmed", "Confirm (the student accepts)"))
        }
        _ => {}
    }
    // "Start" only from the first day on (`active` means started).
    let started = crate::domain::placement::has_started(row.starts_on, st.clock.today());
    // ... and only once the student is cleared: no button that can only be refused.
    if office && matches!(row.status.as_str(), "proposed" | "confirmed") {
        if started && v.clearance.is_cleared() {
            forms.push(t("active", "Start the placement"));
        } else if started {
            facts.push((
                "Start",
                Cell::text("once the student is cleared (see the onboarding checklist)"),
            ));
        } else {
            facts.push((
                "Start",
                Cell::text(format!("from {} on", human_date(row.starts_on))),
            ));
        }
    }
    if office && row.status == "active" {
        // Completing needs the hours approved and the final evaluation signed (issue 16
        // point 5); the office may complete otherwise, giving a reason.
        let mut tx = st.db.read().await?;
        let needs = crate::service::placements::completion_facts(&mut tx, &row).await?;
        drop(tx);
        let unmet = crate::domain::completion::unmet(needs, false);
        if unmet.is_empty() {
            forms.push(t("completed", "Mark completed"));
        } else {
            let why: Vec<String> = unmet.into_iter().map(|(_, m)| m).collect();
            facts.push(("To complete", Cell::text(why.join("; "))));
            forms.push(t("completed", "Complete it anyway (give a reason)").irreversible(
                "Complete this placement although it does not meet the conditions? The reason is kept in its history.",
            ));
        }
    }
    if row.status == "completed" {
        facts.push((
            "Certificate",
            Cell::link(
                "Certificate of completion (PDF)",
                format!("/placements/{id}/certificate"),
            ),
        ));
    }
    if (office || school) && !matches!(row.status.as_str(), "completed" | "cancelled") {
        forms.push(
            t("cancelled", "Cancel the placement")
                .irreversible("Cancel this placement? Its seat and preceptor slot are freed."),
        );
    }
    if (office || school)
        && row.student_id.is_none()
        && matches!(row.status.as_str(), "proposed" | "confirmed")
    {
        actions.push((
            format!("/placements/{id}/student"),
            "Name the student".to_string(),
        ));
    }
    // An internship's project, for its parties (issue 16 point 4).
    actions.extend(super::projects::project_link(&user, &row));
    // Its letters, for those they are written to (issue 17 part 3).
    actions.extend(super::letters::placement_links(&user, &row));
    let mut sections = vec![];
    // Where, who, what to bring, and the shifts (issue 15 point 1).
    let (shift_facts, shifts) =
        super::shifts::placement_parts(&st, &user, &row, &v.clearance).await?;
    facts.extend(shift_facts);
    if !v.risks.is_empty() {
        let mut table = Table::new(
            "What this placement no longer meets: it cannot be confirmed, given its student or started until this is put right",
            vec!["Rule", "What", "Since"],
            "",
        );
        for r in &v.risks {
            table.rows.push(vec![
                Cell::badge(r.code.as_str(), "bad"),
                Cell::text(&r.detail),
                Cell::text(
                    r.since
                        .map(|t| st.clock.local(t).format("%Y-%m-%d %H:%M %Z").to_string())
                        .unwrap_or_default(),
                ),
            ]);
        }
        sections.push(super::Section {
            title: "At risk".into(),
            table,
            actions: vec![],
        });
    }
    sections.push(shifts);
    // Its evaluations (issue 16 point 2), for those who may read them.
    if let Some(evaluations) = super::evaluations::placement_section(&st, &user, &row.id).await? {
        sections.push(evaluations);
    }
    Ok(RecordPage {
        chrome: user.chrome("Placement"),
        facts,
        actions,
        sections,
        upload: None,
        forms,
    }
    .into_response())
}

async fn transition(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let body = form.to_map(&[], &[]);
    let outcome = match input::placements::placement_move(body) {
        Ok(m) => placements::transition_placement(&st, &user.p, &id, m).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see(&format!("/placements/{id}"), "saved")),
        Err(AppError::Rejected(p) | AppError::Refused(p)) => {
            let message =
                p.0.iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
            Err(AppError::conflict(ErrorCode::Refused, message).into())
        }
        Err(e) => Err(e.into()),
    }
}

async fn student_page(
    st: &AppState,
    user: &PageUser,
    row: &PlacementRow,
) -> Result<FormPage, PageError> {
    let students = super::requests::enrolled_in(st, &row.program_id).await?;
    Ok(FormPage {
        chrome: user.chrome("Name the student"),
        intro: "Choose the student who takes this place. Onboarding starts once they are named."
            .into(),
        action: format!("/placements/{}/student", row.id),
        fields: vec![
            Field::new("student_id", "Student", "select")
                .required()
                .options(
                    students
                        .iter()
                        .map(|s| (s.id.clone(), s.full_name()))
                        .collect(),
                ),
        ],
        summary: vec![],
        submit: "Save",
        cancel: format!("/placements/{}", row.id),
        multipart: false,
        at_risk: vec![],
    })
}

async fn student_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Placement, Action::Write)?;
    let (_, row) = load(&st, &user, &id).await?;
    Ok(student_page(&st, &user, &row).await?.into_response())
}

async fn name_student(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (_, row) = load(&st, &user, &id).await?;
    let outcome = match input::placements::name_student(form.to_map(&[], &[])) {
        Ok(n) => placements::name_student(&st, &user.p, &id, n).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see(&format!("/placements/{id}"), "saved")),
        Err(e) => form_failed(student_page(&st, &user, &row).await?, &form, e),
    }
}
