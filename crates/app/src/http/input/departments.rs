use super::choice::choice;
use crate::domain::directory::Setting;
use crate::http::extract::{Input, parse};
use crate::service::{Parsed, departments::DepartmentFields};
use serde_json::{Map, Value};

/// `{ site_id, name, setting, capacity, disciplines }` (API.md "Directory"); `disciplines` is
/// required on create and may not be empty (the use case checks that).
pub fn department(body: Map<String, Value>, creating: bool) -> Parsed<DepartmentFields> {
    let mut i = Input::new(
        body,
        &["site_id", "name", "setting", "capacity", "disciplines"],
    );
    let site_id = i.field("site_id", creating, &parse::id);
    let name = i.field("name", creating, &parse::text);
    let setting = i.field(
        "setting",
        creating,
        &choice(Setting::parse, Setting::words()),
    );
    let capacity = i.field("capacity", creating, &parse::non_negative);
    let disciplines = i.field("disciplines", creating, &parse::codes);
    i.into_parsed(DepartmentFields {
        site_id,
        name,
        setting,
        capacity,
        disciplines,
    })
}
