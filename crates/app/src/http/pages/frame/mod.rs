//! What every page answers with: the frame (`Chrome`), the error page, the form page that
//! shows problems beside their fields, record and list pages, and their CSV twins.
//!
//! `chrome` holds the frame, `errors` the error page, `forms` the form page and its problems,
//! `record` the record page and its forms, `lists` list pages, sorting, paging and CSV.
mod chrome;
mod errors;
mod forms;
mod lists;
mod record;

pub use chrome::*;
pub use errors::*;
pub use forms::*;
pub use lists::*;
pub use record::*;
