//! The front door: a school's request form, the office's queue with live eligibility, and
//! the decision form that turns a request into placements.
use super::nf;
use super::view::{Cell, Field, Table, human_date};
use super::{
    ActionForm, Form, FormPage, ListPage, PageError, PageId, PageResult, PageUser, RecordPage,
    Section, filter_select, form_failed, list_page, list_response, see,
};
use crate::db::{self, Scope, requests::PlacementRequest};
use crate::domain::{
    FieldError, Problems, Role,
    policy::{Action, Resource},
};
use crate::http::{error::AppError, extract::Params, input};
use crate::service::requests;
use crate::state::AppState;
use axum::{
    Router,
    extract::State,
    response::IntoResponse,
    routing::{get, post},
};
use serde_json::{Map, Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/requests", get(queue).post(create))
        .route("/requests/new", get(new_request))
        .route("/requests/{id}", get(show))
        .route("/requests/{id}/decide", get(decide_form).post(decide))
        .route(
            "/requests/{id}/students",
            get(students_form).post(name_students),
        )
        .route("/requests/{id}/withdraw", post(withdraw))
}

pub fn status_badge(status: &str) -> Cell {
    let style = match status {
        "approved" => "ok",
        "declined" | "withdrawn" => "bad",
        "waitlisted" => "warn",
        _ => "info",
    };
    Cell::badge(status, style)
}

/// Eligibility in words, as a badge with the codes for export.
fn eligibility_cell(e: &Option<Vec<FieldError>>) -> Cell {
    match e {
        None => Cell::text(""),
        Some(v) if v.is_empty() => Cell::badge("eligible", "ok"),
        Some(v) => {
            let codes = v
                .iter()
                .map(|e| e.code.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            Cell {
                csv: codes,
                ..Cell::badge(
                    format!(
                        "ineligible: {}",
                        v.iter()
                            .map(|e| e.code.as_str().replace('_', " "))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    "bad",
                )
            }
        }
    }
}

struct Names {
    schools: Vec<(String, String)>,
    programs: Vec<(String, String)>,
    sites: Vec<(String, String)>,
}

async fn names(st: &AppState, school: Option<&str>) -> Result<Names, PageError> {
    let mut tx = st.db.read().await?;
    Ok(Names {
        schools: db::schools::all_names(&mut tx).await?,
        programs: db::programs::names(&mut tx, school).await?,
        sites: db::sites::all(&mut tx)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
    })
}

fn lookup(list: &[(String, String)], id: &str) -> String {
    list.iter()
        .find(|x| x.0 == id)
        .map(|x| x.1.clone())
        .unwrap_or_default()
}

async fn queue(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Request, Action::Read)?;
    let page = list_page(&params)?;
    let mut filter = input::requests::filter(&params)?;
    // The queue opens on what needs deciding.
    if params.get("status").is_none() && params.get("all").is_none() {
        filter.open = true;
    }
    let n = names(&st, scope.school()).await?;
    let mut tx = st.db.read().await?;
    let rows = db::requests::list(&mut tx, &scope, &filter, &page).await?;
    let counts = db::requests::counts(&mut tx, &scope).await?;
    let disciplines: Vec<(String, String)> = db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut items = Vec::new();
    for r in rows.items {
        items.push(requests::with_eligibility(&mut tx, r).await?);
    }
    drop(tx);
    let mut table = Table::new(
        "Placement requests, oldest first",
        vec![
            "Submitted",
            "School",
            "Program",
            "Kind",
            "Period",
            "Places",
            "First preference",
            "Status",
            "Eligibility",
        ],
        "No requests match.",
    );
    for r in &items {
        let pref = r
            .preferences
            .first()
            .map(|p| lookup(&n.sites, &p.site_id))
            .unwrap_or_else(|| "any".into());
        table.rows.push(vec![
            Cell {
                text: human_date(r.created_at.date_naive()),
                csv: r.created_at.to_rfc3339(),
                href: Some(format!("/requests/{}", r.id)),
                badge: None,
                bar: None,
            },
            Cell::text(lookup(&n.schools, &r.school_id)),
            Cell::text(lookup(&n.programs, &r.program_id)),
            Cell::text(&r.kind),
            Cell {
                text: format!("{} – {}", human_date(r.starts_on), human_date(r.ends_on)),
                csv: format!("{}/{}", r.starts_on, r.ends_on),
                ..Default::default()
            },
            Cell::text(r.places().to_string()),
            Cell::text(pref),
            status_badge(&r.status),
            eligibility_cell(&r.eligibility),
        ]);
    }
    let statuses: Vec<(String, String)> = [
        "submitted",
        "waitlisted",
        "approved",
        "declined",
        "withdrawn",
    ]
    .iter()
    .map(|s| (s.to_string(), s.to_string()))
    .collect();
    let kinds = vec![
        ("clinical".to_string(), "Clinical".to_string()),
        ("internship".to_string(), "Internship".to_string()),
    ];
    let mut filters = vec![
        filter_select("status", "Status", statuses, &params),
        filter_select("kind", "Kind", kinds, &params),
    ];
    if scope.is_all() {
        filters.push(filter_select(
            "school_id",
            "School",
            n.schools.clone(),
            &params,
        ));
        filters.push(filter_select(
            "discipline",
            "Discipline",
            disciplines,
            &params,
        ));
        filters.push(filter_select(
            "site_id",
            "Preferred site",
            n.sites.clone(),
            &params,
        ));
    }
    filters.push(
        Field::new("from", "Period from", "date").value(params.get("from").unwrap_or_default()),
    );
    filters.push(Field::new("to", "Period to", "date").value(params.get("to").unwrap_or_default()));
    let count_line = counts
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let intro = if scope.is_all() {
        format!(
            "Every open request, oldest first; eligibility is checked again on each view. {count_line}"
        )
    } else {
        format!("Your school's requests and the office's decisions. {count_line}")
    };
    let page = ListPage {
        chrome: user.chrome("Placement requests"),
        intro,
        filters,
        table,
        actions: vec![
            ("/requests/new".into(), "New request".into()),
            ("/requests?all=1".into(), "All requests".into()),
        ],
        csv_href: String::new(),
        next_href: String::new(),
    };
    Ok(list_response(
        &user,
        &params,
        page,
        rows.next_cursor,
        "requests",
    ))
}

/// The request form. The office first picks the school (`?school_id=`), so the program and
/// student lists are that school's.
async fn request_form(
    st: &AppState,
    user: &PageUser,
    school_id: &str,
) -> Result<FormPage, PageError> {
    let n = names(st, Some(school_id)).await?;
    let mut tx = st.db.read().await?;
    let filter = db::students::Filter {
        school_id: Some(school_id.to_string()),
        status: Some("enrolled".into()),
        ..Default::default()
    };
    let students = db::students::list(
        &mut tx,
        &Scope::All,
        &filter,
        &db::Page {
            limit: 1000,
            after: None,
        },
    )
    .await?
    .items;
    let depts = db::departments::all_names(&mut tx).await?;
    drop(tx);
    let student_opts: Vec<(String, String)> = students
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                format!("{}, {} ({})", s.last_name, s.first_name, s.email),
            )
        })
        .collect();
    let kinds = vec![
        ("clinical".to_string(), "Clinical rotation".to_string()),
        ("internship".to_string(), "Internship".to_string()),
    ];
    let mut fields = vec![
        Field::new("school_id", "", "hidden").value(school_id),
        Field::new("kind", "Kind", "select").required().options(kinds).hint("A clinical treats patients under a preceptor; an internship is a non-clinical role under your faculty."),
        Field::new("program_id", "Program", "select").required().options(n.programs),
        Field::new("starts_on", "First day", "date").required(),
        Field::new("ends_on", "Last day", "date").required(),
        Field::new("hours_per_week", "Hours per week", "number").required(),
        Field::new("student_ids", "Students", "checkboxes").options(student_opts).hint("Name the students you know; ask for unnamed places below for the rest."),
        Field::new("slots", "Unnamed places", "number").value("0").hint("Places for students you will name later."),
    ];
    for rank in 1..=3 {
        fields.push(
            Field::new(
                format!("pref{rank}_site"),
                format!("Preference {rank}: site"),
                "select",
            )
            .options(n.sites.clone()),
        );
        fields.push(
            Field::new(
                format!("pref{rank}_department"),
                format!("Preference {rank}: department"),
                "select",
            )
            .options(depts.clone()),
        );
    }
    fields.extend([
        Field::new("shifts", "Shifts", "textarea").hint("One a line, like: mon 07:00-15:30"),
        Field::new("start_window_weeks", "Start may move by (weeks)", "number")
            .value("0")
            .hint("0 to 4 weeks later, if that is what fits."),
        Field::new(
            "together",
            "Keep all students together (one department, one start)",
            "checkbox",
        ),
        Field::new("course_code", "Course code (internships)", "text"),
        Field::new("course_title", "Course title (internships)", "text"),
        Field::new("course_credits", "Course credits (internships)", "number"),
        Field::new(
            "faculty_name",
            "Faculty supervisor's name (internships)",
            "text",
        ),
        Field::new(
            "faculty_email",
            "Faculty supervisor's email (internships)",
            "email",
        ),
        Field::new("notes", "Notes", "textarea"),
    ]);
    Ok(FormPage {
        chrome: user.chrome(format!("New placement request — {}", lookup(&n.schools, school_id))),
        intro: "The education office checks eligibility at once: an active agreement covering the program's discipline for the whole period, an accredited program, and enrolled students.".into(),
        action: "/requests".into(),
        fields,
        summary: vec![],
        submit: "Submit request",
        cancel: "/requests".into(),
        multipart: false,
    })
}

async fn new_request(State(st): State<AppState>, user: PageUser, params: Params) -> PageResult {
    let scope = user.p.authorize(Resource::Request, Action::Write)?;
    let school_id = match (scope.school(), params.id("school_id")?) {
        (Some(own), _) => own.to_string(),
        (None, Some(s)) => s,
        (None, None) => {
            // The office first picks the school the request is for.
            let n = names(&st, None).await?;
            let mut t = Table::new("Schools", vec!["School", ""], "No schools yet.");
            for (id, name) in n.schools {
                t.rows.push(vec![
                    Cell::text(&name),
                    Cell::link(
                        format!("New request for {name}"),
                        format!("/requests/new?school_id={id}"),
                    ),
                ]);
            }
            let sections = vec![Section {
                title: "Which school is the request for?".into(),
                table: t,
                actions: vec![],
            }];
            return Ok(RecordPage {
                chrome: user.chrome("New placement request"),
                facts: vec![],
                actions: vec![],
                sections,
                upload: None,
                forms: vec![],
            }
            .into_response());
        }
    };
    Ok(request_form(&st, &user, &school_id).await?.into_response())
}

/// The form's fields as the API's request body.
fn request_body(form: &Form) -> Map<String, Value> {
    let get = |k: &str| {
        form.get(k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut m = Map::new();
    for k in [
        "school_id",
        "kind",
        "program_id",
        "starts_on",
        "ends_on",
        "hours_per_week",
        "slots",
        "start_window_weeks",
        "notes",
    ] {
        if let Some(v) = get(k) {
            m.insert(k.into(), Value::String(v));
        }
    }
    let students: Vec<Value> = form
        .0
        .iter()
        .filter(|(k, _)| k == "student_ids")
        .map(|(_, v)| Value::String(v.clone()))
        .collect();
    m.insert("student_ids".into(), Value::Array(students));
    m.insert(
        "together".into(),
        Value::Bool(form.get("together").is_some()),
    );
    let prefs: Vec<Value> = (1..=3)
        .filter_map(|r| {
            let site = get(&format!("pref{r}_site"));
            let dept = get(&format!("pref{r}_department"));
            match (site, dept) {
                (None, None) => None,
                (s, d) => Some(json!({ "site_id": s.unwrap_or_default(), "department_id": d })),
            }
        })
        .collect();
    m.insert("preferences".into(), Value::Array(prefs));
    let shifts: Vec<Value> = form
        .get("shifts")
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (day, times) = l.split_once(' ').unwrap_or((l, ""));
            let (a, b) = times.trim().split_once('-').unwrap_or((times, ""));
            json!({ "weekday": day.to_lowercase(), "starts_at": a.trim(), "ends_at": b.trim() })
        })
        .collect();
    m.insert("shifts".into(), Value::Array(shifts));
    if get("course_code").is_some()
        || get("course_title").is_some()
        || get("course_credits").is_some()
    {
        m.insert("course".into(), json!({ "code": get("course_code"), "title": get("course_title"), "credits": get("course_credits") }));
    }
    if get("faculty_name").is_some() || get("faculty_email").is_some() {
        m.insert(
            "faculty_supervisor".into(),
            json!({ "name": get("faculty_name"), "email": get("faculty_email") }),
        );
    }
    m
}

/// API field names → the form's fields, so each message sits next to what caused it.
fn to_form_fields(p: Problems) -> Problems {
    Problems(
        p.0.into_iter()
            .map(|mut e| {
                e.field = e.field.map(|f| {
                    match f.as_str() {
                        "course" => "course_code",
                        "faculty_supervisor" => "faculty_name",
                        "preferences" => "pref1_site",
                        _ => f.as_str(),
                    }
                    .to_string()
                });
                e
            })
            .collect(),
    )
}

async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
    form.check(&user)?;
    let body = request_body(&form);
    let school_id = body
        .get("school_id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let own = user
        .p
        .authorize(Resource::Request, Action::Write)?
        .school()
        .map(str::to_string);
    let input = input::requests::new_request(body, own);
    match requests::submit_request(&st, &user.p, input).await {
        Ok(r) => Ok(see(&format!("/requests/{}", r.id), "created")),
        Err(AppError::Rejected(p)) if p.status() == 422 => {
            let school = user.p.school_id.clone().unwrap_or(school_id);
            let page = request_form(&st, &user, &school).await?;
            form_failed(page, &form, AppError::Rejected(to_form_fields(p)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn load(
    st: &AppState,
    user: &PageUser,
    id: &str,
) -> Result<(Scope, PlacementRequest), PageError> {
    let scope = user.p.authorize(Resource::Request, Action::Read)?;
    let mut tx = st.db.read().await?;
    let r = requests::load_visible(&mut tx, &scope, id).await?;
    let r = requests::with_eligibility(&mut tx, r).await?;
    Ok((scope, r))
}

async fn show(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    let (scope, r) = load(&st, &user, &id).await?;
    let n = names(&st, None).await?;
    let mut tx = st.db.read().await?;
    let mut student_names = Vec::new();
    for s in &r.student_ids {
        if let Some(s) = db::students::get(&mut tx, s).await? {
            student_names.push(s.full_name());
        }
    }
    let placements = db::placements::list(
        &mut tx,
        &scope,
        &db::placements::Filter {
            request_id: Some(id.clone()),
            ..Default::default()
        },
        &db::Page {
            limit: 500,
            after: None,
        },
    )
    .await?
    .items;
    let mut depts = Vec::new();
    for p in &placements {
        let d = db::departments::get(&mut tx, &p.department_id)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        let s = match &p.student_id {
            Some(s) => db::students::get(&mut tx, s)
                .await?
                .map(|s| s.full_name())
                .unwrap_or_default(),
            None => "(to be named)".into(),
        };
        depts.push((s, d));
    }
    drop(tx);
    let mut facts = vec![
        ("Status", status_badge(&r.status)),
        ("School", Cell::text(lookup(&n.schools, &r.school_id))),
        (
            "Program",
            Cell::link(
                lookup(&n.programs, &r.program_id),
                format!("/programs/{}", r.program_id),
            ),
        ),
        ("Kind", Cell::text(&r.kind)),
        (
            "Period",
            Cell::text(format!(
                "{} – {}",
                human_date(r.starts_on),
                human_date(r.ends_on)
            )),
        ),
        ("Hours per week", Cell::text(r.hours_per_week.to_string())),
        (
            "Students",
            Cell::text(if student_names.is_empty() {
                "none named".into()
            } else {
                student_names.join(", ")
            }),
        ),
        ("Unnamed places", Cell::text(r.slots.to_string())),
        (
            "Preferences",
            Cell::text(
                r.preferences
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("{}. {}", i + 1, lookup(&n.sites, &p.site_id)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        ),
        (
            "Shifts",
            Cell::text(
                r.shifts
                    .iter()
                    .map(|s| format!("{} {}–{}", s.weekday, s.starts_at, s.ends_at))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        (
            "Start may move by",
            Cell::text(format!("{} week(s)", r.start_window_weeks)),
        ),
        (
            "Together",
            Cell::text(if r.together { "yes" } else { "no" }),
        ),
    ];
    if let Some(c) = &r.course {
        facts.push((
            "Course",
            Cell::text(format!("{} {} ({} credits)", c.code, c.title, c.credits)),
        ));
    }
    if let Some(f) = &r.faculty_supervisor {
        facts.push((
            "Faculty supervisor",
            Cell::text(format!("{} <{}>", f.name, f.email)),
        ));
    }
    if let Some(n) = &r.notes {
        facts.push(("Notes", Cell::text(n)));
    }
    if let Some(reason) = &r.decision_reason {
        facts.push(("Reason given", Cell::text(reason)));
    }
    facts.push(("Eligibility today", eligibility_cell(&r.eligibility)));
    let open = matches!(r.status.as_str(), "submitted" | "waitlisted");
    let mut actions = vec![];
    if open && scope.is_all() {
        actions.push((format!("/requests/{id}/decide"), "Decide".to_string()));
    }
    if open {
        actions.push((
            format!("/requests/{id}/students"),
            "Name students".to_string(),
        ));
    }
    if scope.is_all() {
        actions.push((
            format!("/history/placement_request/{id}"),
            "History".to_string(),
        ));
    }
    let mut sections = vec![];
    if let Some(problems) = r.eligibility.as_ref().filter(|e| !e.is_empty()) {
        let mut t = Table::new(
            "Why the request is not eligible",
            vec!["Rule", "What is wrong"],
            "",
        );
        for e in problems {
            t.rows.push(vec![
                Cell::badge(e.code.as_str().replace('_', " "), "bad"),
                Cell::text(&e.message),
            ]);
        }
        sections.push(Section {
            title: "Eligibility".into(),
            table: t,
            actions: vec![],
        });
    }
    let mut t = Table::new(
        "Placements",
        vec!["Placement", "Student", "Department"],
        "No placements yet.",
    );
    for (p, (s, d)) in placements.iter().zip(depts) {
        t.rows.push(vec![
            Cell::link(
                format!("{} – {}", human_date(p.starts_on), human_date(p.ends_on)),
                format!("/placements/{}", p.id),
            ),
            Cell::text(s),
            Cell::text(d),
        ]);
    }
    sections.push(Section {
        title: "Placements".into(),
        table: t,
        actions: vec![],
    });
    let mut forms = vec![];
    if open {
        forms.push(
            ActionForm::new(format!("/requests/{id}/withdraw"), "Withdraw the request")
                .irreversible("Withdraw this request? The office will stop considering it."),
        );
    }
    Ok(RecordPage {
        chrome: user.chrome("Placement request"),
        facts,
        actions,
        sections,
        upload: None,
        forms,
    }
    .into_response())
}

/// One row of the decision form per named student and per unnamed slot.
async fn decision_page(
    st: &AppState,
    user: &PageUser,
    r: &PlacementRequest,
) -> Result<FormPage, PageError> {
    let mut tx = st.db.read().await?;
    let program = db::programs::get(&mut tx, &r.program_id)
        .await?
        .ok_or_else(nf)?;
    let depts = db::departments::list(
        &mut tx,
        &Scope::All,
        &db::departments::Filter {
            discipline: Some(program.discipline.clone()),
            ..Default::default()
        },
        &db::Page {
            limit: 500,
            after: None,
        },
    )
    .await?
    .items;
    let sites = db::sites::all(&mut tx).await?;
    let dept_opts: Vec<(String, String)> = depts
        .iter()
        .map(|d| {
            (
                d.id.clone(),
                format!(
                    "{} — {} (capacity {})",
                    lookup(
                        &sites
                            .iter()
                            .map(|s| (s.id.clone(), s.name.clone()))
                            .collect::<Vec<_>>(),
                        &d.site_id
                    ),
                    d.name,
                    d.capacity
                ),
            )
        })
        .collect();
    let staff = db::staff::list(
        &mut tx,
        &Scope::All,
        &db::staff::Filter::default(),
        &db::Page {
            limit: 5000,
            after: None,
        },
    )
    .await?
    .items;
    let preceptors: Vec<(String, String)> = staff
        .iter()
        .filter(|s| s.is_preceptor && s.discipline.as_deref() == Some(program.discipline.as_str()))
        .map(|s| {
            (
                s.id.clone(),
                format!("{} (up to {} at once)", s.name, s.max_students),
            )
        })
        .collect();
    let mentors: Vec<(String, String)> = staff
        .iter()
        .filter(|s| !s.is_preceptor)
        .map(|s| (s.id.clone(), s.name.clone()))
        .collect();
    let mut fields = vec![];
    let mut who: Vec<(String, String)> = vec![];
    for s in &r.student_ids {
        let name = db::students::get(&mut tx, s)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_default();
        who.push((s.clone(), name));
    }
    for k in 0..r.slots {
        who.push((String::new(), format!("Unnamed place {}", k + 1)));
    }
    drop(tx);
    let first_pref = r
        .preferences
        .first()
        .and_then(|p| p.department_id.clone())
        .unwrap_or_default();
    for (i, (sid, name)) in who.iter().enumerate() {
        fields.push(Field::new(format!("d{i}_student"), name.clone(), "hidden").value(sid.clone()));
        fields.push(
            Field::new(
                format!("d{i}_department"),
                format!("{name}: department"),
                "select",
            )
            .options(dept_opts.clone())
            .value(first_pref.clone()),
        );
        if r.kind == "clinical" {
            fields.push(
                Field::new(
                    format!("d{i}_preceptor"),
                    format!("{name}: preceptor"),
                    "select",
                )
                .options(preceptors.clone()),
            );
        } else {
            fields.push(
                Field::new(
                    format!("d{i}_mentor"),
                    format!("{name}: site mentor"),
                    "select",
                )
                .options(mentors.clone()),
            );
        }
    }
    fields.push(
        Field::new("decision", "Decision", "select")
            .required()
            .options(vec![
                ("approve".into(), "Approve: create these placements".into()),
                ("waitlist".into(), "Waitlist".into()),
                ("decline".into(), "Decline".into()),
            ]),
    );
    fields.push(
        Field::new("reason", "Reason", "textarea")
            .hint("Required to decline or waitlist; the school sees it."),
    );
    Ok(FormPage {
        chrome: user.chrome("Decide on the request"),
        intro: format!(
            "{} – {}, {} place(s). Capacity and preceptor load are checked when you approve; nothing is created unless every placement fits.",
            human_date(r.starts_on),
            human_date(r.ends_on),
            r.places()
        ),
        action: format!("/requests/{}/decide", r.id),
        fields,
        summary: vec![],
        submit: "Record the decision",
        cancel: format!("/requests/{}", r.id),
        multipart: false,
    })
}

async fn decide_form(State(st): State<AppState>, user: PageUser, PageId(id): PageId) -> PageResult {
    user.p.authorize(Resource::Decision, Action::Write)?;
    let (_, r) = load(&st, &user, &id).await?;
    Ok(decision_page(&st, &user, &r).await?.into_response())
}

async fn decide(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    user.p.authorize(Resource::Decision, Action::Write)?;
    let (_, r) = load(&st, &user, &id).await?;
    let mut body = Map::new();
    let decision = form.get("decision").unwrap_or("").to_string();
    body.insert("decision".into(), Value::String(decision.clone()));
    if let Some(reason) = form.get("reason").map(str::trim).filter(|s| !s.is_empty()) {
        body.insert("reason".into(), Value::String(reason.into()));
    }
    if decision == "approve" {
        let entries: Vec<Value> = (0..r.places())
            .map(|i| {
                let get = |k: &str| form.get(&format!("d{i}_{k}")).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
                json!({ "student_id": get("student"), "department_id": get("department").unwrap_or_default(), "preceptor_id": get("preceptor"), "site_mentor_id": get("mentor") })
            })
            .collect();
        body.insert("placements".into(), Value::Array(entries));
    }
    let outcome = match input::requests::decision(body) {
        Ok(d) => requests::decide(&st, &user.p, &id, d).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see(&format!("/requests/{id}"), "saved")),
        Err(AppError::Rejected(p)) => {
            // placements[3].preceptor_id → d3_preceptor
            let mapped = Problems(
                p.0.into_iter()
                    .map(|mut e| {
                        if let Some(f) = &e.field
                            && let Some(rest) = f.strip_prefix("placements[")
                            && let Some((i, k)) = rest.split_once("].")
                        {
                            let k = match k {
                                "department_id" => "department",
                                "preceptor_id" => "preceptor",
                                "site_mentor_id" => "mentor",
                                other => other,
                            };
                            e.field = Some(format!("d{i}_{k}"));
                        }
                        e
                    })
                    .collect(),
            );
            form_failed(
                decision_page(&st, &user, &r).await?,
                &form,
                AppError::Rejected(mapped),
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The enrolled students of a program, for naming students on a request or a placement.
pub async fn enrolled_in(
    st: &AppState,
    program_id: &str,
) -> Result<Vec<db::students::Student>, PageError> {
    let mut tx = st.db.read().await?;
    let filter = db::students::Filter {
        program_id: Some(program_id.to_string()),
        status: Some("enrolled".into()),
        ..Default::default()
    };
    let page = db::Page {
        limit: 1000,
        after: None,
    };
    Ok(db::students::list(&mut tx, &Scope::All, &filter, &page)
        .await?
        .items)
}

async fn students_page(
    st: &AppState,
    user: &PageUser,
    r: &PlacementRequest,
) -> Result<FormPage, PageError> {
    let students = enrolled_in(st, &r.program_id).await?;
    let opts = students
        .iter()
        .map(|s| (s.id.clone(), format!("{}, {}", s.last_name, s.first_name)))
        .collect();
    Ok(FormPage {
        chrome: user.chrome("Name the students"),
        intro: format!(
            "The request holds {} place(s). Each student you name takes an unnamed place.",
            r.places()
        ),
        action: format!("/requests/{}/students", r.id),
        fields: vec![
            Field::new("student_ids", "Students", "checkboxes")
                .options(opts)
                .values(r.student_ids.clone()),
        ],
        summary: vec![],
        submit: "Save",
        cancel: format!("/requests/{}", r.id),
        multipart: false,
    })
}

async fn students_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Request, Action::Write)?;
    let (_, r) = load(&st, &user, &id).await?;
    Ok(students_page(&st, &user, &r).await?.into_response())
}

async fn name_students(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let (_, r) = load(&st, &user, &id).await?;
    let outcome = match input::requests::name_students(form.to_map(&["student_ids"], &[])) {
        Ok(n) => requests::name_students(&st, &user.p, &id, n).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see(&format!("/requests/{id}"), "saved")),
        Err(e) => form_failed(students_page(&st, &user, &r).await?, &form, e),
    }
}

async fn withdraw(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    form: Form,
) -> PageResult {
    form.check(&user)?;
    let withdrawal = input::requests::withdrawal(form.to_map(&[], &[]))?;
    requests::withdraw_request(&st, &user.p, &id, withdrawal).await?;
    Ok(see(&format!("/requests/{id}"), "saved"))
}

/// Which roles see the requests pages.
pub fn sees_requests(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Coordinator | Role::SchoolCoordinator
    )
}
