//! The office's decision page, and naming students or withdrawing a request.
use super::*;

/// One row of the decision form per named student and per unnamed slot.
pub(super) async fn decision_page(
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
        at_risk: vec![],
    })
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
