//! The demo's directory: sites, departments, schools with agreements and programs, students,
//! staff and one sign-in per role; then the placement work and the inquiries.
use super::*;

pub async fn seed_demo(st: &AppState) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let today = st.clock.today();
    let now = st.clock.now();
    let year = today.year();
    let actor = Actor {
        user_id: None,
        label: "demo seed".into(),
        ip: None,
        at: now,
    };

    // Hash before taking the write lock: argon2 is slow on purpose.
    let mut hashes = Vec::new();
    for _ in DEMO_USERS {
        hashes.push(st.hashing.hash(DEMO_PASSWORD.to_string()).await?);
    }

    let mut tx = st.db.write().await?;
    if db::sites::all(&mut tx)
        .await?
        .iter()
        .any(|s| s.name == SITES[0])
    {
        return Err(AlreadySeeded(format!("site {:?} exists", SITES[0])).into());
    }
    for (_, email) in DEMO_USERS {
        if db::users::by_email(&mut tx, email).await?.is_some() {
            return Err(AlreadySeeded(format!("user {email} exists")).into());
        }
    }

    seed_contact(&mut tx, &actor).await?;

    let catalog: HashMap<String, db::disciplines::Discipline> = db::disciplines::all(&mut tx)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), d))
        .collect();
    let clinical: HashSet<&str> = crate::domain::catalog::DISCIPLINES
        .iter()
        .filter(|d| catalog.get(d.0).is_some_and(|c| c.clinical))
        .map(|d| d.0)
        .collect();

    // Sites and departments.
    let mut site_ids = Vec::new();
    for name in SITES {
        let s = Site {
            id: new_id(),
            name: name.to_string(),
            address: Some(format!("1 Hospital Drive, {name}")),
            arrival_notes: Some(
                "Park in the visitor garage (level 2 is for students). Pick up your badge at the \
                 security desk in the main lobby between 6:30 and 7:00 with photo ID, then ask \
                 for your preceptor at the department's front desk."
                    .into(),
            ),
        };
        db::sites::insert(&mut tx, &s).await?;
        audit(&mut tx, &actor, "site", &s.id, &s).await?;
        site_ids.push(s.id);
    }
    let mut dept_ids = Vec::new();
    for (site, name, setting, capacity, codes) in DEPARTMENTS {
        let d = Department {
            affected_placements: None,
            id: new_id(),
            site_id: site_ids[*site].clone(),
            name: name.to_string(),
            setting: setting.to_string(),
            capacity: *capacity,
            disciplines: codes.iter().map(|c| c.to_string()).collect(),
        };
        db::departments::insert(&mut tx, &d)
            .await
            .with_context(|| format!("department {name}"))?;
        audit(&mut tx, &actor, "department", &d.id, &d).await?;
        dept_ids.push(d.id);
    }

    // Schools and their agreements.
    let mut school_ids = Vec::new();
    for (name, city, state, _, status, since, ends, codes, note) in SCHOOLS {
        let s = School {
            id: new_id(),
            name: name.to_string(),
            city: city.to_string(),
            state: state.to_string(),
        };
        db::schools::insert(&mut tx, &s).await?;
        audit(&mut tx, &actor, "school", &s.id, &s).await?;
        let effective_on = if *since < 0 {
            // A draft for a new affiliation starts next 1 July.
            let this_july = ymd(year, 7, 1)?;
            if this_july > today {
                this_july
            } else {
                ymd(year + 1, 7, 1)?
            }
        } else {
            ymd(year - since, 7, 1)?
        };
        let expires_on = match ends {
            Ends::June(n) if *since < 0 => ymd(effective_on.year() + n - 1, 6, 30)?,
            Ends::June(n) => ymd(year + n, 6, 30)?,
            Ends::InDays(n) => today + Duration::days(*n),
        };
        let a = Agreement {
            affected_placements: None,
            id: new_id(),
            school_id: s.id.clone(),
            status: status.to_string(),
            effective_on,
            expires_on,
            disciplines: codes.iter().map(|c| c.to_string()).collect(),
            note: note.map(String::from),
            document_name: None,
            document_sha256: None,
            document_size: None,
        };
        db::agreements::insert(&mut tx, &a)
            .await
            .with_context(|| format!("agreement of {name}"))?;
        audit(&mut tx, &actor, "agreement", &a.id, &a).await?;
        school_ids.push(s.id);
    }

    // Programs and their students.
    let mut people = People {
        rng: Lcg(20_270_104),
        names: HashSet::new(),
        emails: HashSet::new(),
    };
    let mut demo_student: Option<Student> = None;
    let mut students = 0;
    // Each program's id and students, in the order of PROGRAMS.
    let mut programs: Vec<(Program, Vec<Student>)> = Vec::new();
    for (school, name, code, level, n, until) in PROGRAMS {
        let accreditor = catalog
            .get(*code)
            .map(|d| d.accreditor.clone())
            .ok_or_else(|| anyhow!("discipline {code} is not in the catalog"))?;
        let accredited_until = if *until == LAPSED {
            today - Duration::days(75)
        } else {
            ymd(year + until, 6, 30)?
        };
        let p = Program {
            affected_placements: None,
            id: new_id(),
            school_id: school_ids[*school].clone(),
            name: name.to_string(),
            discipline: code.to_string(),
            degree_level: level.to_string(),
            accreditor,
            accredited_until: Some(accredited_until),
        };
        db::programs::insert(&mut tx, &p)
            .await
            .with_context(|| format!("program {name}"))?;
        audit(&mut tx, &actor, "program", &p.id, &p).await?;
        let domain = SCHOOLS[*school].3;
        let mut roster = Vec::new();
        for i in 0..*n {
            let (first, last) = people.name();
            let roll = people.rng.below(100);
            // The demo student's own record: the first one of the first program.
            let status = match roll {
                _ if demo_student.is_none() => "enrolled",
                0..4 => "leave",
                4..7 => "withdrawn",
                7..11 => "graduated",
                _ => "enrolled",
            };
            let expected_graduation = match status {
                "withdrawn" => None,
                "graduated" => Some(commencement_before(today)?),
                _ => Some(commencement_after(
                    today,
                    (i + people.rng.below(terms_ahead(level))) % terms_ahead(level),
                )?),
            };
            let s = Student {
                affected_placements: None,
                id: new_id(),
                school_id: p.school_id.clone(),
                program_id: p.id.clone(),
                first_name: first.to_string(),
                last_name: last.to_string(),
                email: people.email(first, last, domain),
                enrollment_status: status.to_string(),
                expected_graduation,
                enrollments: vec![],
            };
            db::students::insert(&mut tx, &s, now)
                .await
                .with_context(|| format!("student {}", s.email))?;
            audit(&mut tx, &actor, "student", &s.id, &s).await?;
            students += 1;
            if demo_student.is_none() {
                demo_student = Some(s.clone());
            }
            roster.push(s);
        }
        programs.push((p, roster));
    }

    // Staff: preceptors, department managers, and site mentors in the offices.
    let mut staff_rows: Vec<Staff> = Vec::new();
    for (i, (dept, code)) in preceptor_slots(&clinical).into_iter().enumerate() {
        let (first, last) = people.name();
        let (credential, prefix) = credential_of(code);
        let license_expires_on = match i {
            9 => today + Duration::days(20),
            23 => today + Duration::days(41),
            37 => today + Duration::days(55),
            44 => today - Duration::days(12),
            0 => end_of_month_after(today, 26)?,
            _ => end_of_month_after(today, 4 + people.rng.below(32) as i32)?,
        };
        let leave = match i {
            5 => vec![Leave {
                starts_on: today + Duration::days(14),
                ends_on: today + Duration::days(27),
            }],
            17 => vec![Leave {
                starts_on: today + Duration::days(35),
                ends_on: today + Duration::days(125),
            }],
            29 => vec![Leave {
                starts_on: today - Duration::days(10),
                ends_on: today + Duration::days(18),
            }],
            _ => vec![],
        };
        staff_rows.push(Staff {
            affected_placements: None,
            id: new_id(),
            name: format!("{first} {last}"),
            email: people.email(first, last, STAFF_DOMAIN),
            department_id: dept_ids[dept].clone(),
            discipline: Some(code.to_string()),
            credential: Some(credential.to_string()),
            license_number: Some(format!(
                "{prefix}-{:06}",
                100_000 + people.rng.below(900_000)
            )),
            license_expires_on: Some(license_expires_on),
            is_preceptor: true,
            max_students: if i % 3 == 0 { 2 } else { 1 },
            leave,
        });
    }
    let mut manager_of_first: Option<String> = None;
    for (dept, _) in DEPARTMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.2 != "office")
        .take(MANAGERS)
    {
        let (first, last) = people.name();
        let s = Staff {
            affected_placements: None,
            id: new_id(),
            name: format!("{first} {last}"),
            email: people.email(first, last, STAFF_DOMAIN),
            department_id: dept_ids[dept].clone(),
            discipline: None,
            credential: Some("MBA".into()),
            license_number: None,
            license_expires_on: None,
            is_preceptor: false,
            max_students: 0,
            leave: vec![],
        };
        if manager_of_first.is_none() {
            manager_of_first = Some(s.id.clone());
        }
        staff_rows.push(s);
    }
    for (dept, d) in DEPARTMENTS
        .iter()
        .enumerate()
        .filter(|(_, d)| d.2 == "office")
    {
        // Two mentors in the main campus's offices, one elsewhere.
        let mentors = if d.0 == 0 { 2 } else { 1 };
        for m in 0..mentors {
            let code = d.4[m % d.4.len()];
            let (first, last) = people.name();
            let (credential, _) = credential_of(code);
            staff_rows.push(Staff {
                affected_placements: None,
                id: new_id(),
                name: format!("{first} {last}"),
                email: people.email(first, last, STAFF_DOMAIN),
                department_id: dept_ids[dept].clone(),
                discipline: Some(code.to_string()),
                credential: Some(credential.to_string()),
                license_number: None,
                license_expires_on: None,
                is_preceptor: false,
                max_students: 2,
                leave: vec![],
            });
        }
    }
    for s in &staff_rows {
        db::staff::insert(&mut tx, s)
            .await
            .with_context(|| format!("staff {}", s.email))?;
        audit(&mut tx, &actor, "staff", &s.id, s).await?;
    }

    // One sign-in per role.
    let demo_student = demo_student.ok_or_else(|| anyhow!("no demo student"))?;
    let preceptor = staff_rows
        .first()
        .filter(|s| s.is_preceptor)
        .ok_or_else(|| anyhow!("no demo preceptor"))?;
    let manager = manager_of_first.ok_or_else(|| anyhow!("no demo department manager"))?;
    let faculty_school = school_ids
        .get(9)
        .ok_or_else(|| anyhow!("no faculty school"))?;
    let manager_name = staff_rows
        .iter()
        .find(|s| s.id == manager)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut users: HashMap<&str, User> = HashMap::new();
    for ((role, email), hash) in DEMO_USERS.iter().zip(hashes) {
        let (name, school_id, staff_id, student_id) = match *role {
            "admin" => ("Morgan Ellis".to_string(), None, None, None),
            "coordinator" => ("Jordan Castillo".to_string(), None, None, None),
            "school_coordinator" => (
                "Dana Whitfield".to_string(),
                Some(school_ids[0].clone()),
                None,
                None,
            ),
            "student" => (
                demo_student.full_name(),
                None,
                None,
                Some(demo_student.id.clone()),
            ),
            "preceptor" => (
                preceptor.name.clone(),
                None,
                Some(preceptor.id.clone()),
                None,
            ),
            "faculty" => (
                DEMO_FACULTY_NAME.to_string(),
                Some(faculty_school.clone()),
                None,
                None,
            ),
            "department_manager" => (manager_name.clone(), None, Some(manager.clone()), None),
            other => return Err(anyhow!("no demo user for role {other}")),
        };
        let u = User {
            id: new_id(),
            email: email.to_string(),
            name,
            role: role.to_string(),
            school_id,
            staff_id,
            student_id,
            password_hash: Some(hash),
            created_at: now,
            disabled_at: None,
        };
        db::users::insert(&mut tx, &u).await?;
        audit(&mut tx, &actor, "user", &u.id, &u).await?;
        users.insert(*role, u);
    }

    // The placement work: last term's completed placements, next term's requests in every
    // state, and the public's inquiries.
    let user = |role: &str| {
        users
            .get(role)
            .ok_or_else(|| anyhow!("no demo {role} sign-in"))
    };
    let work = Work {
        today,
        now,
        site_ids: &site_ids,
        dept_ids: &dept_ids,
        programs: &programs,
        staff: &staff_rows,
        demo_student: &demo_student.id,
        office: user("coordinator")?,
        school_coordinator: user("school_coordinator")?,
        faculty: user("faculty")?,
    };
    let (past_requests, past_placements) = seed_history(&mut tx, &work).await?;
    let (requests, placements) = seed_placement_work(&mut tx, &work).await?;
    let (requests, placements) = (requests + past_requests, placements + past_placements);
    let inquiries = seed_inquiries(&mut tx, work.office, now).await?;
    tx.commit().await?;
    tracing::info!(
        requests,
        placements,
        inquiries,
        sites = SITES.len(),
        departments = DEPARTMENTS.len(),
        schools = SCHOOLS.len(),
        programs = PROGRAMS.len(),
        students,
        staff = staff_rows.len(),
        preceptors = staff_rows.iter().filter(|s| s.is_preceptor).count(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "seeded the demo hospital system"
    );
    Ok(())
}

/// The demo's public contact ([`CONTACT`]), for each setting still at its default or unset.
async fn seed_contact(tx: &mut Tx, actor: &Actor) -> anyhow::Result<()> {
    let before = db::settings::get(tx).await?;
    let (organisation, coordinator, email, phone) = CONTACT;
    let mut after = before.clone();
    if after.organisation_name == crate::domain::settings::DEFAULT_ORGANISATION_NAME {
        after.organisation_name = organisation.into();
    }
    after
        .coordinator_name
        .get_or_insert_with(|| coordinator.into());
    after.request_email.get_or_insert_with(|| email.into());
    after.phone.get_or_insert_with(|| phone.into());
    if after != before {
        db::settings::update(tx, &after).await?;
        db::audit::record(
            tx,
            actor,
            "update",
            "settings",
            crate::service::settings::AUDIT_ID,
            Some(&before),
            Some(&after),
        )
        .await?;
    }
    Ok(())
}
