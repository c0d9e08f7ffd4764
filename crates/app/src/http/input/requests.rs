//! `POST /api/v1/placement-requests` and its decision, read into the typed inputs of
//! `service::requests` (API.md "Placements").
use crate::db;
use crate::domain::ErrorCode;
use crate::domain::eligibility::Kind;
use crate::domain::records::RequestStatus;
use crate::domain::records::{Course, FacultySupervisor, Preference, Shift};
use crate::error::{AppError, AppResult};
use crate::http::extract::{Input, Params, parse, parse_id};
use crate::service::Parsed;
use crate::service::requests::{
    Decision, DecisionKind, DecisionPlacement, NameStudents, RequestFields, Withdrawal,
};
use chrono::NaiveDate;
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "kind",
    "school_id",
    "program_id",
    "starts_on",
    "ends_on",
    "hours_per_week",
    "student_ids",
    "slots",
    "preferences",
    "shifts",
    "start_window_weeks",
    "together",
    "notes",
    "course",
    "faculty_supervisor",
];

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

/// The facts eligibility is decided on, read in the caller's transaction.
/// A new request. `own_school`: a school coordinator's own school, which an absent
/// `school_id` means. Every field problem at once; references are the service's to check.
pub fn new_request(body: Map<String, Value>, own_school: Option<String>) -> Parsed<RequestFields> {
    let mut i = Input::new(body, FIELDS);
    let kind = i.req(
        "kind",
        None,
        &parse::word(|s| Kind::parse(s).is_some(), "clinical, internship".into()),
    );
    let school_id = i.req("school_id", own_school.as_ref(), &parse::id);
    let program_id = i.req("program_id", None, &parse::id);
    let starts_on = i.req("starts_on", None, &parse::date);
    let ends_on = i.req("ends_on", None, &parse::date);
    let hours_per_week = i.req("hours_per_week", None, &|v| match parse::positive(v)? {
        n if n <= 80 => Ok(n),
        _ => Err((ErrorCode::OutOfRange, "at most 80 hours a week".into())),
    });
    let student_ids = i.req("student_ids", Some(&vec![]), &ids);
    let slots = i.req("slots", Some(&0), &parse::non_negative);
    let preferences = i.req("preferences", Some(&vec![]), &preferences);
    let shifts = i.req("shifts", Some(&vec![]), &shifts);
    let start_window_weeks = i.req(
        "start_window_weeks",
        Some(&0),
        &|v| match parse::non_negative(v)? {
            n if n <= 4 => Ok(n),
            _ => Err((ErrorCode::OutOfRange, "from 0 to 4 weeks".into())),
        },
    );
    let together = i.req("together", Some(&false), &parse::boolean);
    let notes = i.opt("notes", None, &parse::text);
    let course = i.opt("course", None, &course);
    let faculty_supervisor = i.opt("faculty_supervisor", None, &faculty);
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

/// `{ student_ids?, slots? }`: names students for a request's slots.
pub fn name_students(body: Map<String, Value>) -> AppResult<NameStudents> {
    let mut i = Input::new(body, &["student_ids", "slots"]);
    let student_ids = i.opt("student_ids", None, &ids);
    let slots = i.opt("slots", None, &parse::non_negative);
    i.finish()?;
    Ok(NameStudents {
        student_ids: student_ids.flatten(),
        slots: slots.flatten(),
    })
}

/// `{ reason? }`.
pub fn withdrawal(body: Map<String, Value>) -> AppResult<Withdrawal> {
    let mut i = Input::new(body, &["reason"]);
    let reason = i.opt("reason", None, &parse::text);
    i.finish()?;
    Ok(Withdrawal {
        reason: reason.flatten(),
    })
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
            for k in m.keys() {
                if ![
                    "student_id",
                    "department_id",
                    "preceptor_id",
                    "site_mentor_id",
                    "starts_on",
                    "ends_on",
                ]
                .contains(&k.as_str())
                {
                    return Err((
                        ErrorCode::UnknownField,
                        format!("{k} is not a field of a placement"),
                    ));
                }
            }
            let opt_id = |k: &str| -> R<Option<String>> {
                match m.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => parse::id(v).map(Some),
                }
            };
            let opt_date = |k: &str| -> R<Option<NaiveDate>> {
                match m.get(k) {
                    None | Some(Value::Null) => Ok(None),
                    Some(v) => parse::date(v).map(Some),
                }
            };
            let dept = m
                .get("department_id")
                .ok_or((
                    ErrorCode::Required,
                    "each placement needs a department_id".to_string(),
                ))
                .and_then(parse::id)?;
            Ok(DecisionPlacement {
                student_id: opt_id("student_id")?,
                department_id: dept,
                preceptor_id: opt_id("preceptor_id")?,
                site_mentor_id: opt_id("site_mentor_id")?,
                starts_on: opt_date("starts_on")?,
                ends_on: opt_date("ends_on")?,
            })
        })
        .collect()
}

/// Approve, decline or waitlist — all or nothing.
/// `{ decision: approve | decline | waitlist, reason?, placements? }`: a reason is required to
/// decline or waitlist, and at least one placement to approve.
pub fn decision(body: Map<String, Value>) -> AppResult<Decision> {
    let mut i = Input::new(body, &["decision", "reason", "placements"]);
    let decision = i.req(
        "decision",
        None,
        &parse::word(
            |s| DecisionKind::parse(s).is_some(),
            "approve, decline, waitlist".into(),
        ),
    );
    let reason = i.opt("reason", None, &parse::text).flatten();
    let entries = i.opt("placements", None, &decision_entries).flatten();
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
    })
}
