use crate::db::{self, staff::Leave};
use crate::domain::ErrorCode;
use crate::error::AppError;
use crate::http::api::schema;
use crate::http::body::body;
use crate::http::extract::{Input, Params, parse};
use crate::service::{Parsed, staff::StaffFields};
use serde_json::{Map, Value};

fn leave_list(v: &Value) -> Result<Vec<Leave>, (ErrorCode, String)> {
    let Value::Array(items) = v else {
        return Err((
            ErrorCode::InvalidType,
            "must be a list of { starts_on, ends_on }".into(),
        ));
    };
    let mut out = Vec::new();
    for item in items {
        let (Some(s), Some(e)) = (item.get("starts_on"), item.get("ends_on")) else {
            return Err((
                ErrorCode::InvalidType,
                "each leave needs starts_on and ends_on".into(),
            ));
        };
        let (starts_on, ends_on) = (parse::date(s)?, parse::date(e)?);
        if ends_on < starts_on {
            return Err((
                ErrorCode::InvalidPeriod,
                "a leave must end on or after it starts".into(),
            ));
        }
        out.push(Leave { starts_on, ends_on });
    }
    out.sort_by_key(|l| l.starts_on);
    if out.windows(2).any(|w| w[1].starts_on <= w[0].ends_on) {
        return Err((ErrorCode::InvalidPeriod, "leaves may not overlap".into()));
    }
    Ok(out)
}

body! {
    pub struct StaffInput {
        name: String,
        email: String,
        department_id: String,
        /// Required for a preceptor: the discipline they supervise.
        discipline: Option<String>,
        credential: Option<String>,
        license_number: Option<String>,
        license_expires_on: Option<String>,
        is_preceptor: bool,
        /// Students at once; at least 1 for a preceptor.
        max_students: i64,
        leave: Option<Vec<schema::Leave>>,
    }
}

/// `{ name, email, department_id, discipline?, credential?, license_number?,
/// license_expires_on?, is_preceptor?, max_students?, leave? }` (API.md "Directory").
pub fn staff(body: Map<String, Value>, creating: bool) -> Parsed<StaffFields> {
    let (mut i, b) = Input::read::<StaffInput>(body);
    let name = i.field(&b.name, creating, &parse::text);
    let email = i.field(&b.email, creating, &parse::email);
    let department_id = i.field(&b.department_id, creating, &parse::id);
    let discipline = i.optional(&b.discipline, &parse::text);
    let credential = i.optional(&b.credential, &parse::text);
    let license_number = i.optional(&b.license_number, &parse::text);
    let license_expires_on = i.optional(&b.license_expires_on, &parse::date);
    let is_preceptor = i.field(&b.is_preceptor, false, &parse::boolean);
    let max_students = i.field(&b.max_students, false, &parse::non_negative);
    let leave = i.field(&b.leave, false, &leave_list);
    i.into_parsed(StaffFields {
        name,
        email,
        department_id,
        discipline,
        credential,
        license_number,
        license_expires_on,
        is_preceptor,
        max_students,
        leave,
    })
}

/// The list's filters from the query string.
pub fn filter(params: &Params) -> Result<db::staff::Filter, AppError> {
    Ok(db::staff::Filter {
        department_id: params.id("department_id")?,
        discipline: params.get("discipline"),
        is_preceptor: params.bool("is_preceptor")?,
        q: params.get("q"),
    })
}
