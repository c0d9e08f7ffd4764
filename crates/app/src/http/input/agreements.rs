use super::choice::choice;
use crate::domain::directory::AgreementStatus;
use crate::http::body::body;
use crate::http::extract::{Input, parse};
use crate::http::upload;
use crate::service::{
    Parsed,
    agreements::{AgreementFields, NewDocument},
};
use serde_json::{Map, Value};

body! {
    pub struct AgreementInput {
        /// draft, active, terminated
        status: String,
        effective_on: String,
        expires_on: String,
        /// Discipline codes covered; empty = all.
        disciplines: Vec<String>,
        note: Option<String>,
    }
}

/// `{ status?, effective_on, expires_on, disciplines?, note? }` (API.md "Directory").
pub fn agreement(body: Map<String, Value>, creating: bool) -> Parsed<AgreementFields> {
    let (mut i, b) = Input::read::<AgreementInput>(body);
    let status = i.field(
        &b.status,
        false,
        &choice(AgreementStatus::parse, AgreementStatus::words()),
    );
    let effective_on = i.field(&b.effective_on, creating, &parse::date);
    let expires_on = i.field(&b.expires_on, creating, &parse::date);
    let disciplines = i.field(&b.disciplines, false, &parse::codes);
    let note = i.optional(&b.note, &parse::text);
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
