use super::choice::choice;
use crate::domain::directory::AgreementStatus;
use crate::http::extract::{Input, parse};
use crate::http::upload;
use crate::service::{
    Parsed,
    agreements::{AgreementFields, NewDocument},
};
use serde_json::{Map, Value};

/// `{ status?, effective_on, expires_on, disciplines?, note? }` (API.md "Directory").
pub fn agreement(body: Map<String, Value>, creating: bool) -> Parsed<AgreementFields> {
    let mut i = Input::new(
        body,
        &[
            "status",
            "effective_on",
            "expires_on",
            "disciplines",
            "note",
        ],
    );
    let status = i.field(
        "status",
        false,
        &choice(AgreementStatus::parse, AgreementStatus::words()),
    );
    let effective_on = i.field("effective_on", creating, &parse::date);
    let expires_on = i.field("expires_on", creating, &parse::date);
    let disciplines = i.field("disciplines", false, &parse::codes);
    let note = i.optional("note", &parse::text);
    i.into_parsed(AgreementFields {
        status,
        effective_on,
        expires_on,
        disciplines,
        note,
    })
}

/// The uploaded signed agreement, its file name made safe to store and show.
pub fn document<'a>(filename: &str, bytes: &'a [u8]) -> NewDocument<'a> {
    NewDocument {
        name: upload::clean_filename(filename),
        bytes,
    }
}
