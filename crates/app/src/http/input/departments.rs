use super::choice::choice;
use crate::domain::directory::Setting;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, departments::DepartmentFields};
use serde_json::{Map, Value};

body! {
    pub struct DepartmentInput {
        site_id: String,
        name: String,
        /// inpatient, outpatient, emergency, surgical, critical_care, imaging, laboratory, pharmacy,
        /// rehabilitation, home_care, behavioral_health, long_term_care, office
        setting: String,
        /// Students at once, all disciplines together.
        capacity: i64,
        disciplines: Vec<String>,
    }
}

/// `{ site_id, name, setting, capacity, disciplines? }` (API.md "Directory").
pub fn department(body: Map<String, Value>, creating: bool) -> Parsed<DepartmentFields> {
    let (mut i, b) = Input::read::<DepartmentInput>(body);
    let site_id = i.field(&b.site_id, creating, &parse::id);
    let name = i.field(&b.name, creating, &parse::text);
    let setting = i.field(
        &b.setting,
        creating,
        &choice(Setting::parse, Setting::words()),
    );
    let capacity = i.field(&b.capacity, creating, &parse::non_negative);
    let disciplines = i.field(&b.disciplines, false, &parse::codes);
    i.into_parsed(DepartmentFields {
        site_id,
        name,
        setting,
        capacity,
        disciplines,
    })
}
