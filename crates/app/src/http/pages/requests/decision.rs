//! The office's decision page, and naming students or withdrawing a request.
use super::*;

/// One row of the decision form per named student and per unnamed slot: each department
/// with its free seats, each preceptor with their department, free slots, licence and leave,
/// those who would pass every check first, and a suggested choice already selected.
pub(super) async fn decision_page(
    st: &AppState,
    user: &PageUser,
    r: &PlacementRequest,
) -> Result<FormPage, PageError> {
    let c = requests::decision_choices(st, &user.p, &r.id).await?;
    let mut tx = st.db.read().await?;
    let mut who: Vec<(String, String)> = vec![];
    for s in &r.student_ids {
        let name = db::students::get(&mut tx, s)
            .await?
            .map(|s| s.full_name())
            .unwrap_or_default();
        who.push((s.clone(), name));
    }
    drop(tx);
    for k in 0..r.slots {
        who.push((String::new(), format!("Unnamed place {}", k + 1)));
    }
    let dept_opts: Vec<(String, String)> = c
        .departments
        .iter()
        .map(|d| (d.id.clone(), department_label(d)))
        .collect();
    let (pass, fail): (Vec<_>, Vec<_>) = c.preceptors.iter().partition(|p| p.passes);
    let label = |v: Vec<&requests::choices::PreceptorOption>| {
        v.into_iter()
            .map(|p| (p.id.clone(), preceptor_label(p)))
            .collect::<Vec<_>>()
    };
    let groups = vec![
        ("Would pass every check".to_string(), label(pass)),
        ("Would not pass".to_string(), label(fail)),
    ];
    let mut fields = vec![];
    for (i, (sid, name)) in who.iter().enumerate() {
        let suggested = c.suggestions.get(i);
        let pick = |f: fn(&requests::choices::Suggestion) -> Option<&String>| {
            suggested.and_then(f).cloned().unwrap_or_default()
        };
        fields.push(Field::new(format!("d{i}_student"), name.clone(), "hidden").value(sid.clone()));
        fields.push(
            Field::new(
                format!("d{i}_department"),
                format!("{name}: department"),
                "select",
            )
            .required()
            .options(dept_opts.clone())
            .value(pick(|s| s.department_id.as_ref())),
        );
        if r.kind == "clinical" {
            fields.push(
                Field::new(
                    format!("d{i}_preceptor"),
                    format!("{name}: preceptor"),
                    "select",
                )
                .required()
                .groups(groups.clone())
                .value(pick(|s| s.preceptor_id.as_ref())),
            );
        } else {
            fields.push(
                Field::new(
                    format!("d{i}_mentor"),
                    format!("{name}: site mentor"),
                    "select",
                )
                .options(c.site_mentors.clone()),
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
    let prefs = if c.preferences.is_empty() {
        "The school gave no preference.".to_string()
    } else {
        format!(
            "The school's preferences: {}.",
            c.preferences
                .iter()
                .map(|p| format!("{}. {}", p.rank, p.words()))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    let supervisors = if r.kind == "clinical" {
        " Preceptors who would pass every check come first, with their free slots over the period;"
    } else {
        ""
    };
    Ok(FormPage {
        chrome: user.chrome("Decide on the request"),
        intro: format!(
            "{} {} – {}, {} place(s). {prefs} Seats are counted on the period's busiest day.{supervisors} nothing is created unless every placement fits.",
            c.discipline_name,
            human_date(r.starts_on),
            human_date(r.ends_on),
            r.places()
        )
        .replace(". nothing", ". Nothing"),
        action: format!("/requests/{}/decide", r.id),
        fields,
        summary: vec![],
        submit: "Record the decision",
        cancel: format!("/requests/{}", r.id),
        multipart: false,
        at_risk: vec![],
    })
}

/// "Bayview Main — Radiology: 2 of 4 seats free (preference 1)".
fn department_label(d: &requests::choices::DepartmentOption) -> String {
    let free = if d.free == 0 {
        format!("full over the period ({} seats)", d.capacity)
    } else {
        format!("{} of {} seats free", d.free, d.capacity)
    };
    let pref = d
        .preference
        .map(|n| format!(" (preference {n})"))
        .unwrap_or_default();
    format!("{} — {}: {free}{pref}", d.site_name, d.name)
}

/// "Aisha Castillo — Radiology: 1 of 2 free, licence to Mon 1 Feb 2027", and what fails.
fn preceptor_label(p: &requests::choices::PreceptorOption) -> String {
    use crate::domain::ErrorCode as C;
    let mut words = vec![format!("{} of {} free", p.free, p.max_students)];
    if let Some(d) = p.license_expires_on {
        words.push(format!("licence to {}", human_date(d)));
    }
    for l in &p.leave {
        words.push(format!(
            "on leave {} – {}",
            human_date(l.starts_on),
            human_date(l.ends_on)
        ));
    }
    for e in &p.problems {
        match e.code {
            C::PreceptorOnLeave | C::PreceptorAtCapacity => {}
            C::PreceptorLicenseExpired => words.push("licence lapses before the end".into()),
            C::DepartmentAtCapacity => words.push("department full".into()),
            _ => words.push(e.message.clone()),
        }
    }
    format!("{} — {}: {}", p.name, p.department_name, words.join(", "))
}

pub(super) async fn decide_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Decision, Action::Write)?;
    let (_, r) = load(&st, &user, &id).await?;
    Ok(decision_page(&st, &user, &r).await?.into_response())
}

pub(super) async fn decide(
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
        sort: None,
    };
    Ok(db::students::list(&mut tx, &Scope::All, &filter, &page)
        .await?
        .items)
}

pub(super) async fn students_page(
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
        at_risk: vec![],
    })
}

pub(super) async fn students_form(
    State(st): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> PageResult {
    user.p.authorize(Resource::Request, Action::Write)?;
    let (_, r) = load(&st, &user, &id).await?;
    Ok(students_page(&st, &user, &r).await?.into_response())
}

pub(super) async fn name_students(
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

pub(super) async fn withdraw(
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
