//! Seeds a consortium-sized store for the server benchmark (bench/server.sh, issue 18 part 4)
//! through the store's own functions (`db::students::insert`, `db::placements::insert`, ...),
//! on top of the demo directory (`practicum seed-demo` first: sites, departments, schools,
//! programs, requirements, staff and the demo sign-ins).
//!
//! `cargo run --release --example bench_seed -- DATABASE_URL STUDENTS PLACEMENTS DOCUMENTS`
//!
//! Deterministic (a fixed LCG), in transactions of a few thousand rows. Requests: one per four
//! placements, each naming its four students; placements spread from 120 days ago to 300 days
//! ahead in every status; documents five per student over the requirement catalog.
use chrono::{Duration, NaiveDate, Utc};
use practicum::db::{
    self, Db, Page, Scope,
    documents::Document,
    placements::PlacementRow,
    requests::{PlacementRequest, Preference},
    students::Student,
};

/// A small deterministic generator: the same store for the same arguments.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Eun-ji", "Farah", "Gustav", "Hana", "Ibrahim", "Joana",
    "Kofi", "Lena", "Mateo", "Nia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tamsin",
];
const LAST: &[&str] = &[
    "Abara", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "López", "Müller", "Nakamura", "O'Brien", "Petrov", "Quinn", "Rossi",
    "Santos", "Tanaka",
];

const BATCH: usize = 2_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, students, placements, documents] = args.as_slice() else {
        anyhow::bail!("usage: bench_seed DATABASE_URL STUDENTS PLACEMENTS DOCUMENTS");
    };
    let (n_students, n_placements, n_documents): (usize, usize, usize) =
        (students.parse()?, placements.parse()?, documents.parse()?);
    let started = std::time::Instant::now();
    let store = Db::connect(url, 2).await?;
    let all = Page::first(10_000);
    let mut rng = Lcg(18);
    let now = Utc::now();
    let today = now.date_naive();
    let mut tx = store.write().await?;
    let admin = db::users::by_email(&mut tx, "admin@demo.practicum.test")
        .await?
        .ok_or_else(|| anyhow::anyhow!("run `practicum seed-demo` first"))?;
    let directory = consortium(&mut tx, &mut rng, today).await?;
    tx.commit().await?;
    let mut tx = store.read().await?;
    let programs = db::programs::list(&mut tx, &Scope::All, &Default::default(), &all)
        .await?
        .items;
    let departments = db::departments::list(&mut tx, &Scope::All, &Default::default(), &all)
        .await?
        .items;
    let staff = db::staff::list(&mut tx, &Scope::All, &Default::default(), &all)
        .await?
        .items;
    let codes: Vec<String> = db::requirements::all(&mut tx)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect();
    drop(tx);
    anyhow::ensure!(
        !programs.is_empty() && !departments.is_empty() && !codes.is_empty(),
        "run `practicum seed-demo` first"
    );
    eprintln!("{directory} in {:.1?}", started.elapsed());

    // Students, each with their first enrollment and search column (db::students::insert).
    let mut student_rows: Vec<(String, usize)> = Vec::with_capacity(n_students);
    for chunk in (0..n_students).collect::<Vec<_>>().chunks(BATCH) {
        let mut tx = store.write().await?;
        for &i in chunk {
            let p = rng.below(programs.len());
            let s = Student {
                id: db::new_id(),
                school_id: programs[p].school_id.clone(),
                program_id: programs[p].id.clone(),
                first_name: FIRST[rng.below(FIRST.len())].to_string(),
                last_name: format!("{}{}", LAST[rng.below(LAST.len())], i % 97),
                email: format!("bench{i}@students.practicum.test"),
                enrollment_status: if i % 10 == 0 { "leave" } else { "enrolled" }.into(),
                expected_graduation: Some(today + Duration::days(200 + (i % 700) as i64)),
                affected_placements: None,
                enrollments: vec![],
            };
            db::students::insert(&mut tx, &s, now).await?;
            student_rows.push((s.id, p));
        }
        tx.commit().await?;
    }
    eprintln!("{n_students} students in {:.1?}", started.elapsed());

    // Requests of four students each, and their placements.
    let statuses = [
        "confirmed",
        "confirmed",
        "confirmed",
        "confirmed",
        "proposed",
        "active",
        "active",
        "completed",
        "cancelled",
        "confirmed",
    ];
    let mut placement_ids: Vec<(String, String)> = Vec::with_capacity(n_placements);
    let mut made = 0;
    while made < n_placements {
        let mut tx = store.write().await?;
        let until = (made + BATCH).min(n_placements);
        while made < until {
            let (first_student, p) = &student_rows[rng.below(student_rows.len())];
            let program = &programs[*p];
            let hosts: Vec<&db::departments::Department> = departments
                .iter()
                .filter(|d| d.disciplines.contains(&program.discipline))
                .collect();
            let d = if hosts.is_empty() {
                &departments[rng.below(departments.len())]
            } else {
                hosts[rng.below(hosts.len())]
            };
            let starts_on = today + Duration::days(rng.below(420) as i64 - 120);
            let ends_on = starts_on + Duration::weeks(4 + rng.below(9) as i64);
            let group: Vec<String> = std::iter::once(first_student.clone())
                .chain((0..3).map(|_| student_rows[rng.below(student_rows.len())].0.clone()))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let decided = rng.below(5) != 0;
            let req = PlacementRequest {
                id: db::new_id(),
                kind: "clinical".into(),
                school_id: program.school_id.clone(),
                program_id: program.id.clone(),
                starts_on,
                ends_on,
                hours_per_week: 36,
                student_ids: group.clone(),
                slots: 0,
                preferences: vec![Preference {
                    site_id: d.site_id.clone(),
                    department_id: Some(d.id.clone()),
                }],
                shifts: vec![],
                start_window_weeks: 0,
                together: false,
                notes: None,
                course: None,
                faculty_supervisor: None,
                status: if decided { "approved" } else { "submitted" }.into(),
                decision_reason: None,
                decided_at: None,
                created_at: now,
                eligibility: None,
                placements: None,
            };
            db::requests::insert(&mut tx, &req, &admin.id).await?;
            if !decided {
                continue;
            }
            let preceptors: Vec<&db::staff::Staff> = staff
                .iter()
                .filter(|s| {
                    s.is_preceptor
                        && s.department_id == d.id
                        && s.discipline.as_deref() == Some(program.discipline.as_str())
                })
                .collect();
            for student_id in group {
                if made >= until {
                    break;
                }
                let status = statuses[rng.below(statuses.len())];
                let row = PlacementRow {
                    id: db::new_id(),
                    request_id: req.id.clone(),
                    kind: "clinical".into(),
                    student_id: Some(student_id.clone()),
                    school_id: program.school_id.clone(),
                    program_id: program.id.clone(),
                    department_id: d.id.clone(),
                    preceptor_id: (!preceptors.is_empty())
                        .then(|| preceptors[rng.below(preceptors.len())].id.clone()),
                    site_mentor_id: None,
                    faculty_user_id: None,
                    starts_on,
                    ends_on,
                    status: status.into(),
                    cancel_reason: (status == "cancelled").then(|| "bench".into()),
                    created_at: now,
                };
                db::placements::insert(&mut tx, &row).await?;
                placement_ids.push((row.id, student_id));
                made += 1;
            }
        }
        tx.commit().await?;
    }
    eprintln!("{made} placements in {:.1?}", started.elapsed());

    // Documents: five per student over the catalog, most verified, some waiting for review.
    let mut made = 0;
    while made < n_documents {
        let mut tx = store.write().await?;
        let until = (made + BATCH).min(n_documents);
        while made < until {
            let (student_id, _) = &student_rows[made / 5 % student_rows.len()];
            let completed_on = today - Duration::days(rng.below(500) as i64);
            let status = match rng.below(20) {
                0..=2 => "submitted",
                3 => "rejected",
                _ => "verified",
            };
            let placement_id = (rng.below(10) == 0)
                .then(|| placement_ids.get(rng.below(placement_ids.len())))
                .flatten()
                .filter(|(_, s)| s == student_id)
                .map(|(p, _)| p.clone());
            let d = Document {
                id: db::new_id(),
                student_id: student_id.clone(),
                requirement_code: codes[made % codes.len()].clone(),
                placement_id,
                completed_on,
                expires_on: Some(completed_on + Duration::days(365 + rng.below(400) as i64)),
                status: status.into(),
                source: "upload".into(),
                file_sha256: None,
                file_name: Some("evidence.pdf".into()),
                file_mime: Some("application/pdf".into()),
                file_size: Some(1000),
                submitted_by: None,
                submitted_at: now - Duration::minutes(rng.below(100_000) as i64),
                reviewed_by: None,
                reviewed_at: None,
                review_note: None,
                signer_name: None,
                signer_ip: None,
                signed_text_version: None,
            };
            db::documents::insert(&mut tx, &d).await?;
            made += 1;
        }
        tx.commit().await?;
    }
    eprintln!("{made} documents in {:.1?}", started.elapsed());
    store.close().await;
    Ok(())
}

/// A consortium's directory beside the demo's: 25 sites with 20 departments each (capacity
/// 8-15, two disciplines), three preceptors per department, 80 schools with an active agreement
/// and two programs each.
async fn consortium(tx: &mut db::Tx, rng: &mut Lcg, today: NaiveDate) -> anyhow::Result<String> {
    let disciplines: Vec<&str> = practicum::domain::catalog::DISCIPLINES
        .iter()
        .map(|d| d.0)
        .collect();
    let mut n_depts = 0;
    for site in 0..25 {
        let s = db::sites::Site {
            id: db::new_id(),
            name: format!("Consortium Hospital {site}"),
            address: Some(format!("{} Consortium Way", 100 + site)),
            arrival_notes: None,
        };
        db::sites::insert(tx, &s).await?;
        for dept in 0..20 {
            let pair = [
                disciplines[rng.below(disciplines.len())].to_string(),
                disciplines[rng.below(disciplines.len())].to_string(),
            ];
            let mut hosted = pair.to_vec();
            hosted.dedup();
            let d = db::departments::Department {
                id: db::new_id(),
                site_id: s.id.clone(),
                name: format!("Unit {dept} of hospital {site}"),
                setting: "inpatient".into(),
                capacity: 8 + rng.below(8) as i64,
                disciplines: hosted.clone(),
                affected_placements: None,
            };
            db::departments::insert(tx, &d).await?;
            n_depts += 1;
            for k in 0..3 {
                let st = db::staff::Staff {
                    id: db::new_id(),
                    name: format!("Preceptor {k} of unit {dept}/{site}"),
                    email: format!("preceptor{site}-{dept}-{k}@bench.practicum.test"),
                    department_id: d.id.clone(),
                    discipline: Some(hosted[k % hosted.len()].clone()),
                    credential: Some("RT(R)".into()),
                    license_number: Some(format!("L{site}{dept}{k}")),
                    license_expires_on: Some(today + Duration::days(2000)),
                    is_preceptor: true,
                    max_students: 2,
                    leave: vec![],
                    affected_placements: None,
                };
                db::staff::insert(tx, &st).await?;
            }
        }
    }
    for school in 0..80 {
        let s = db::schools::School {
            id: db::new_id(),
            name: format!("Consortium College {school}"),
            city: "Springfield".into(),
            state: "IL".into(),
        };
        db::schools::insert(tx, &s).await?;
        let a = db::agreements::Agreement {
            id: db::new_id(),
            school_id: s.id.clone(),
            status: "active".into(),
            effective_on: today - Duration::days(400),
            expires_on: today + Duration::days(1500),
            disciplines: vec![],
            note: None,
            document_name: None,
            document_sha256: None,
            document_size: None,
            affected_placements: None,
        };
        db::agreements::insert(tx, &a).await?;
        for k in 0..2 {
            let p = db::programs::Program {
                id: db::new_id(),
                school_id: s.id.clone(),
                name: format!("Program {k} of college {school}"),
                discipline: disciplines[rng.below(disciplines.len())].to_string(),
                degree_level: "baccalaureate".into(),
                accreditor: "JRCERT".into(),
                accredited_until: Some(today + Duration::days(2000)),
                affected_placements: None,
            };
            db::programs::insert(tx, &p).await?;
        }
    }
    Ok(format!(
        "25 sites, {n_depts} departments, {} preceptors, 80 schools",
        n_depts * 3
    ))
}
