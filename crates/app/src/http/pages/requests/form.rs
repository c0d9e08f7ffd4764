//! The new-request form: ask for a placement, with every problem shown beside its field.
use super::*;

/// The request form. The office first picks the school (`?school_id=`), so the program and
/// student lists are that school's.
pub(super) async fn request_form(
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
            sort: None,
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
        at_risk: vec![],
    })
}

pub(super) async fn new_request(
    State(st): State<AppState>,
    user: PageUser,
    params: Params,
) -> PageResult {
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
    Ok(super::super::once_page(
        request_form(&st, &user, &school_id).await?.once()?,
    ))
}

/// The form's fields as the API's request body.
pub(super) fn request_body(form: &Form) -> Map<String, Value> {
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
pub(super) fn to_form_fields(p: Problems) -> Problems {
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

pub(super) async fn create(State(st): State<AppState>, user: PageUser, form: Form) -> PageResult {
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
