//! The facts a letter's named fields stand for (`domain::letters`), read from the records: the
//! settings for every letter; the student, school, site, department, first shift, supervisor
//! and open checklist for a placement's letters; the dates, disciplines and the placements
//! past expiry for an agreement's renewal notice. Everything in words, never a code.
use crate::db::{self, Scope, Tx, agreements::Agreement, placements::PlacementRow};
use crate::domain::letters::{Values, bullet_lines, distance_words, long_date};
use crate::domain::words;
use crate::error::AppResult;
use chrono::NaiveDate;

/// The fields every letter knows, and the organisation's name.
pub(super) async fn common(tx: &mut Tx, today: NaiveDate) -> AppResult<(Values, String)> {
    let s = db::settings::get(tx).await?;
    let mut v = Values::new();
    v.insert("organisation", s.organisation_name.clone());
    v.insert("today", long_date(today));
    v.insert(
        "coordinator_name",
        s.coordinator_name
            .clone()
            .unwrap_or_else(|| "The placement coordinator".into()),
    );
    v.insert(
        "office_email",
        s.request_email
            .clone()
            .unwrap_or_else(|| "the education office".into()),
    );
    v.insert(
        "office_phone",
        s.phone
            .clone()
            .unwrap_or_else(|| "the education office".into()),
    );
    Ok((v, s.organisation_name))
}

/// "Kim Dean, Lee Ray and Sam School", or "Placement coordinator" when the school has none.
async fn coordinators(tx: &mut Tx, school_id: &str) -> AppResult<String> {
    let names = db::users::school_coordinators(tx, school_id).await?;
    Ok(match names.as_slice() {
        [] => "Placement coordinator".into(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    })
}

/// What a placement's letters say, and to whom (the lines above the subject): the school's
/// coordinators for the confirmation, the student for the welcome letter.
pub(super) struct PlacementFacts {
    pub values: Values,
    pub school_lines: Vec<String>,
    pub student_lines: Vec<String>,
}

/// The fields of a placement's letters (the placement has a named student).
pub(super) async fn of_placement(
    tx: &mut Tx,
    row: &PlacementRow,
    today: NaiveDate,
) -> AppResult<PlacementFacts> {
    let mut v = Values::new();
    let student = match &row.student_id {
        Some(id) => db::students::get(tx, id).await?,
        None => None,
    };
    let (full, first, email) = match &student {
        Some(s) => (s.full_name(), s.first_name.clone(), s.email.clone()),
        None => ("the student".into(), "the student".into(), String::new()),
    };
    v.insert("student_name", full.clone());
    v.insert("student_first_name", first);
    let school = db::schools::get(tx, &row.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    v.insert("school_name", school.clone());
    let coordinators = coordinators(tx, &row.school_id).await?;
    v.insert("school_coordinator", coordinators.clone());
    let program = db::programs::get(tx, &row.program_id)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    v.insert("program_name", program);
    v.insert(
        "placement_kind",
        if row.kind == "internship" {
            "internship"
        } else {
            "clinical placement"
        }
        .into(),
    );
    let department = db::departments::get(tx, &row.department_id).await?;
    let site = match &department {
        Some(d) => db::sites::get(tx, &d.site_id).await?,
        None => None,
    };
    let department_name = department.map(|d| d.name).unwrap_or_default();
    v.insert("department_name", department_name.clone());
    v.insert(
        "site_name",
        site.as_ref().map(|s| s.name.clone()).unwrap_or_default(),
    );
    v.insert(
        "site_address",
        site.as_ref()
            .and_then(|s| s.address.clone())
            .unwrap_or_else(|| "address to follow from the office".into()),
    );
    v.insert(
        "arrival_notes",
        site.as_ref()
            .and_then(|s| s.arrival_notes.clone())
            .unwrap_or_else(|| "the office sends these before your first day".into()),
    );
    v.insert("starts_on", long_date(row.starts_on));
    v.insert("ends_on", long_date(row.ends_on));
    let first_shift = db::shifts::of_placement(tx, &row.id)
        .await?
        .into_iter()
        .find(|s| !s.is_cancelled());
    v.insert(
        "first_shift",
        match first_shift {
            Some(s) => format!("{}, {} to {}", long_date(s.date), s.starts_at, s.ends_at),
            None => "not scheduled yet: the office tells you the day and hours".into(),
        },
    );
    let preceptor = match &row.preceptor_id {
        Some(id) => db::staff::get(tx, id).await?,
        None => None,
    };
    let mentor = match &row.site_mentor_id {
        Some(id) => db::staff::get(tx, id).await?,
        None => None,
    };
    let faculty = match &row.faculty_user_id {
        Some(id) => db::users::get(tx, id).await?,
        None => None,
    };
    let (supervisor, supervisor_email) = match (&preceptor, &mentor, &faculty) {
        (Some(s), _, _) | (None, Some(s), _) => (s.name.clone(), s.email.clone()),
        (None, None, Some(u)) => (u.name.clone(), u.email.clone()),
        _ => (
            "to be named by the office".into(),
            "through the education office".into(),
        ),
    };
    v.insert("supervisor_name", supervisor);
    v.insert("supervisor_email", supervisor_email);
    let on_site = mentor
        .as_ref()
        .or(preceptor.as_ref())
        .map(|s| s.name.clone());
    v.insert(
        "ask_for",
        match on_site {
            Some(name) => format!("{name}, at the {department_name} front desk"),
            None => format!("the {department_name} front desk"),
        },
    );
    let open: Vec<String> = match &row.student_id {
        Some(s) => crate::service::onboarding::checklist(tx, s, Some(&row.id), today)
            .await?
            .into_iter()
            .filter(|i| i.state != "verified")
            .map(|i| {
                format!(
                    "{} ({})",
                    if i.name.is_empty() {
                        words::sentence(&i.requirement_code)
                    } else {
                        i.name
                    },
                    words::checklist_state(&i.state).to_lowercase()
                )
            })
            .collect(),
        None => vec![],
    };
    v.insert(
        "open_checklist",
        bullet_lines(&open, "\u{2022} Nothing: every item is in order."),
    );
    let mut student_lines = vec![full];
    if !email.is_empty() {
        student_lines.push(email);
    }
    Ok(PlacementFacts {
        values: v,
        school_lines: vec![coordinators, school],
        student_lines,
    })
}

/// The fields of an agreement's renewal notice, and the lines it is addressed to.
pub(super) async fn of_agreement(
    tx: &mut Tx,
    a: &Agreement,
    today: NaiveDate,
) -> AppResult<(Values, Vec<String>)> {
    let mut v = Values::new();
    let school = db::schools::get(tx, &a.school_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    v.insert("school_name", school.clone());
    let coordinators = coordinators(tx, &a.school_id).await?;
    v.insert("school_coordinator", coordinators.clone());
    v.insert("agreement_effective_on", long_date(a.effective_on));
    v.insert("agreement_expires_on", long_date(a.expires_on));
    v.insert("expires_in", distance_words(today, a.expires_on));
    let catalog = db::disciplines::all(tx).await?;
    let covered: Vec<String> = a
        .disciplines
        .iter()
        .map(|code| {
            catalog
                .iter()
                .find(|d| &d.code == code)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| words::sentence(code))
        })
        .collect();
    v.insert(
        "agreement_disciplines",
        if covered.is_empty() {
            "every discipline".into()
        } else {
            covered.join(", ")
        },
    );
    let filter = db::placements::Filter {
        school_id: Some(a.school_id.clone()),
        ..Default::default()
    };
    let page = db::Page {
        limit: 500,
        after: None,
        sort: None,
    };
    let rows = db::placements::list(tx, &Scope::All, &filter, &page)
        .await?
        .items;
    let mut past = Vec::new();
    for r in rows
        .iter()
        .filter(|r| !matches!(r.status.as_str(), "cancelled" | "completed"))
        .filter(|r| r.ends_on > a.expires_on)
    {
        let student = match &r.student_id {
            Some(id) => db::students::name_for_message(tx, id).await?,
            None => "a student not named yet".into(),
        };
        let department = db::departments::get(tx, &r.department_id)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        past.push(format!(
            "{student}, {department}, {} to {}",
            long_date(r.starts_on),
            long_date(r.ends_on)
        ));
    }
    v.insert(
        "placements_after_expiry",
        bullet_lines(&past, "\u{2022} None at present."),
    );
    Ok((v, vec![coordinators, school]))
}
