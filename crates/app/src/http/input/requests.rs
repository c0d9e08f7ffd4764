//! `POST /api/v1/placement-requests` and its decision, read into the typed inputs of
//! `service::requests` (API.md "Placements").
use crate::db;
use crate::domain::ErrorCode;
use crate::domain::eligibility::Kind;
use crate::domain::records::RequestStatus;
use crate::domain::records::{Course, FacultySupervisor, Preference, Shift};
use crate::error::{AppError, AppResult};
use crate::http::api::schema;
use crate::http::body::{Body, Field, body};
use crate::http::extract::{Input, Params, parse, parse_id};
use crate::service::Parsed;
use crate::service::requests::{
    Decision, DecisionKind, DecisionPlacement, NameStudents, RequestFields, Withdrawal,
};
use chrono::NaiveDate;
use serde_json::{Map, Value};

type R<T> = Result<T, (ErrorCode, String)>;

fn ids(v: &Value) -> R<Vec<String>> {
    let codes = parse::codes(v)
        .map_err(|_| (ErrorCode::InvalidType, "must be a list of ids".to_string()))?;
    codes
        .iter()
        .map(|c| parse_id(c).ok_or((ErrorCode::InvalidId, format!("{c:?} is not a valid id"))))
        .collect()
}

fn preferences(v: &Value) -> R<Vec<Preference>> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of { site_id, department_id? }".into(),
        ));
    };
    if items.len() > 3 {
        return Err((
            ErrorCode::TooManyPreferences,
            "at most 3 preferences, ranked".into(),
        ));
    }
    items
        .iter()
        .map(|i| {
            let site_id = i
                .get("site_id")
                .ok_or((
                    ErrorCode::InvalidType,
                    "each preference needs a site_id".to_string(),
                ))
                .and_then(parse::id)?;
            let department_id = match i.get("department_id") {
                None | Some(Value::Null) => None,
                Some(d) => Some(parse::id(d)?),
            };
            Ok(Preference {
                site_id,
                department_id,
            })
        })
        .collect()
}

fn time(s: &str) -> Option<(u32, u32)> {
    let (h, m) = s.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && s.len() == 5).then_some((h, m))
}

fn shifts(v: &Value) -> R<Vec<Shift>> {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of { weekday, starts_at, ends_at }".into(),
        ));
    };
    items
        .iter()
        .map(|i| {
            let get = |k: &str| i.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let (weekday, starts_at, ends_at) = (get("weekday"), get("starts_at"), get("ends_at"));
            if !DAYS.contains(&weekday.as_str()) {
                return Err((
                    ErrorCode::InvalidShift,
                    format!("weekday must be one of {}", DAYS.join(", ")),
                ));
            }
            match (time(&starts_at), time(&ends_at)) {
                (Some(a), Some(b)) if a != b => Ok(Shift {
                    weekday,
                    starts_at,
                    ends_at,
                }),
                _ => Err((
                    ErrorCode::InvalidShift,
                    "a shift has starts_at and ends_at as HH:MM, and they differ".into(),
                )),
            }
        })
        .collect()
}

fn course(v: &Value) -> R<Course> {
    let code = v.get("code").map(parse::text).transpose().ok().flatten();
    let title = v.get("title").map(parse::text).transpose().ok().flatten();
    let credits = v
        .get("credits")
        .map(parse::positive)
        .transpose()
        .ok()
        .flatten();
    match (code, title, credits) {
        (Some(code), Some(title), Some(credits)) => Ok(Course {
            code,
            title,
            credits,
        }),
        _ => Err((
            ErrorCode::InvalidCourse,
            "a course has a code, a title and a positive number of credits".into(),
        )),
    }
}

fn faculty(v: &Value) -> R<FacultySupervisor> {
    let name = v.get("name").map(parse::text).transpose().ok().flatten();
    let email = v.get("email").map(parse::email).transpose().ok().flatten();
    match (name, email) {
        (Some(name), Some(email)) => Ok(FacultySupervisor { name, email }),
        _ => Err((
            ErrorCode::InvalidFacultySupervisor,
            "a faculty supervisor has a name and a valid email".into(),
        )),
    }
}

body! {
    pub struct RequestInput {
        /// clinical or internship
        kind: String,
        /// A school coordinator may leave it out: their own school.
        school_id: String,
        program_id: String,
        starts_on: String,
        ends_on: String,
        hours_per_week: i64,
        student_ids: Vec<String>,
        /// Places for students not named yet.
        slots: Option<i64>,
        /// Ranked, at most 3.
        preferences: Option<Vec<schema::Preference>>,
        shifts: Option<Vec<schema::Shift>>,
        /// 0–4: how many weeks later the same period may start.
        start_window_weeks: Option<i64>,
        /// All students in one department with one start.
        together: Option<bool>,
        notes: Option<String>,
        /// Required for an internship.
        course: Option<schema::Course>,
        /// Required for an internship.
        faculty_supervisor: Option<schema::FacultySupervisor>,
    }
}

/// The facts eligibility is decided on, read in the caller's transaction.
/// A new request. `own_school`: a school coordinator's own school, which an absent
/// `school_id` means. Every field problem at once; references are the service's to check.
pub fn new_request(body: Map<String, Value>, own_school: Option<String>) -> Parsed<RequestFields> {
    let (mut i, b) = Input::read::<RequestInput>(body);
    let kind = i.req(
        &b.kind,
        None,
        &parse::word(|s| Kind::parse(s).is_some(), "clinical, internship".into()),
    );
    let school_id = i.req(&b.school_id, own_school.as_ref(), &parse::id);
    let program_id = i.req(&b.program_id, None, &parse::id);
    let starts_on = i.req(&b.starts_on, None, &parse::date);
    let ends_on = i.req(&b.ends_on, None, &parse::date);
    let hours_per_week = i.req(&b.hours_per_week, None, &|v| match parse::positive(v)? {
        n if n <= 80 => Ok(n),
        _ => Err((ErrorCode::OutOfRange, "at most 80 hours a week".into())),
    });
    let student_ids = i.req(&b.student_ids, Some(&vec![]), &ids);
    let slots = i.req(&b.slots, Some(&0), &parse::non_negative);
    let preferences = i.req(&b.preferences, Some(&vec![]), &preferences);
    let shifts = i.req(&b.shifts, Some(&vec![]), &shifts);
    let start_window_weeks = i.req(
        &b.start_window_weeks,
        Some(&0),
        &|v| match parse::non_negative(v)? {
            n if n <= 4 => Ok(n),
            _ => Err((ErrorCode::OutOfRange, "from 0 to 4 weeks".into())),
        },
    );
    let together = i.req(&b.together, Some(&false), &parse::boolean);
    let notes = i.opt(&b.notes, None, &parse::text);
    let course = i.opt(&b.course, None, &course);
    let faculty_supervisor = i.opt(&b.faculty_supervisor, None, &faculty);
    if let (Some(s), Some(n)) = (&student_ids, slots)
        && s.is_empty()
        && n == 0
    {
        i.problems.add(
            "student_ids",
            ErrorCode::NoStudents,
            "name at least one student, or ask for unnamed slots",
        );
    }
    i.into_parsed(RequestFields {
        kind: kind.and_then(|k| Kind::parse(&k)),
        school_id,
        program_id,
        starts_on,
        ends_on,
        hours_per_week,
        student_ids,
        slots,
        preferences,
        shifts,
        start_window_weeks,
        together,
        notes: notes.flatten(),
        course: course.flatten(),
        faculty_supervisor: faculty_supervisor.flatten(),
    })
}

body! {
    pub struct NameStudentsInput {
        /// The named students; naming takes places from `slots` unless `slots` is given.
        student_ids: Option<Vec<String>>,
        slots: Option<i64>,
    }
}

/// `{ student_ids?, slots? }`: names students for a request's slots.
pub fn name_students(body: Map<String, Value>) -> AppResult<NameStudents> {
    let (mut i, b) = Input::read::<NameStudentsInput>(body);
    let student_ids = i.opt(&b.student_ids, None, &ids);
    let slots = i.opt(&b.slots, None, &parse::non_negative);
    i.finish()?;
    Ok(NameStudents {
        student_ids: student_ids.flatten(),
        slots: slots.flatten(),
    })
}

body! {
    pub struct WithdrawalInput {
        reason: Option<String>,
    }
}

/// `{ reason? }`.
pub fn withdrawal(body: Map<String, Value>) -> AppResult<Withdrawal> {
    let (mut i, b) = Input::read::<WithdrawalInput>(body);
    let reason = i.opt(&b.reason, None, &parse::text);
    i.finish()?;
    Ok(Withdrawal {
        reason: reason.flatten(),
    })
}

body! {
    #[schema(as = DecisionPlacement)]
    pub struct DecisionPlacementInput {
        /// One of the request's named students; null or absent for an unnamed slot.
        student_id: Option<String>,
        department_id: String,
        /// Required for a clinical.
        preceptor_id: Option<String>,
        site_mentor_id: Option<String>,
        /// Default: the request's period.
        starts_on: Option<String>,
        ends_on: Option<String>,
    }
}

/// An optional field of a nested object: absent or null is `None`.
fn opt<D, T>(f: &Field<D>, parse: fn(&Value) -> R<T>) -> R<Option<T>> {
    match f.raw() {
        None | Some(Value::Null) => Ok(None),
        Some(v) => parse(v).map(Some),
    }
}

fn decision_entries(v: &Value) -> R<Vec<DecisionPlacement>> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of placements".into(),
        ));
    };
    items
        .iter()
        .map(|e| {
            let Value::Object(m) = e else {
                return Err((
                    ErrorCode::InvalidType,
                    "each placement is an object".to_string(),
                ));
            };
            if let Some(k) = m
                .keys()
                .find(|k| !DecisionPlacementInput::FIELDS.contains(&k.as_str()))
            {
                return Err((
                    ErrorCode::UnknownField,
                    format!("{k} is not a field of a placement"),
                ));
            }
            let p = DecisionPlacementInput::take(m.clone());
            let department_id = p
                .department_id
                .raw()
                .ok_or((
                    ErrorCode::Required,
                    "each placement needs a department_id".to_string(),
                ))
                .and_then(parse::id)?;
            Ok(DecisionPlacement {
                student_id: opt(&p.student_id, parse::id)?,
                department_id,
                preceptor_id: opt(&p.preceptor_id, parse::id)?,
                site_mentor_id: opt(&p.site_mentor_id, parse::id)?,
                starts_on: opt(&p.starts_on, parse::date)?,
                ends_on: opt(&p.ends_on, parse::date)?,
            })
        })
        .collect()
}

body! {
    pub struct DecisionInput {
        /// approve, decline, waitlist
        decision: String,
        /// Required to decline or waitlist.
        reason: Option<String>,
        /// To approve: one entry per named student and per slot.
        placements: Option<Vec<DecisionPlacementInput>>,
    }
}

/// Approve, decline or waitlist — all or nothing.
/// `{ decision: approve | decline | waitlist, reason?, placements? }`: a reason is required to
/// decline or waitlist, and at least one placement to approve.
pub fn decision(body: Map<String, Value>) -> AppResult<Decision> {
    let (mut i, b) = Input::read::<DecisionInput>(body);
    let decision = i.req(
        &b.decision,
        None,
        &parse::word(
            |s| DecisionKind::parse(s).is_some(),
            "approve, decline, waitlist".into(),
        ),
    );
    let reason = i.opt(&b.reason, None, &parse::text).flatten();
    let entries = i.opt(&b.placements, None, &decision_entries).flatten();
    let kind = decision.as_deref().and_then(DecisionKind::parse);
    if matches!(kind, Some(DecisionKind::Decline | DecisionKind::Waitlist)) && reason.is_none() {
        i.problems.add(
            "reason",
            ErrorCode::ReasonRequired,
            "give the school a reason",
        );
    }
    if kind == Some(DecisionKind::Approve)
        && entries.as_ref().is_none_or(|e| e.is_empty())
        && !i.problems.has_field("placements")
    {
        i.problems.add(
            "placements",
            ErrorCode::PlacementsRequired,
            "to approve, say where each student goes",
        );
    }
    i.finish()?;
    Ok(Decision {
        decision: kind.unwrap_or(DecisionKind::Decline),
        reason,
        placements: entries.unwrap_or_default(),
    })
}

/// The list filters of `GET /api/v1/placement-requests` and the requests page.
pub fn filter(params: &Params) -> AppResult<db::requests::Filter> {
    let date = |k: &str| -> AppResult<Option<NaiveDate>> {
        match params.get(k) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                AppError::invalid(k, ErrorCode::InvalidDate, "must be a date (YYYY-MM-DD)")
            }),
        }
    };
    Ok(db::requests::Filter {
        status: params.word(
            "status",
            |s| RequestStatus::parse(s).is_some(),
            &RequestStatus::words(),
        )?,
        kind: params.word("kind", |s| Kind::parse(s).is_some(), "clinical, internship")?,
        school_id: params.id("school_id")?,
        discipline: params.get("discipline"),
        site_id: params.id("site_id")?,
        from: date("from")?,
        to: date("to")?,
        open: params.bool("open")?.unwrap_or(false),
        newest_first: params
            .word("sort", |s| s == "newest" || s == "oldest", "newest, oldest")?
            .is_some_and(|s| s == "newest"),
        degree_level: params.word(
            "degree_level",
            |s| crate::domain::directory::DegreeLevel::parse(s).is_some(),
            "certificate, associate, baccalaureate, masters, doctoral",
        )?,
        // A decision's day, UTC: from its first instant up to the next day's first.
        decided_from: date("decided_from")?.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
        decided_before: date("decided_to")?
            .and_then(|d| d.succ_opt())
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()),
    })
}
