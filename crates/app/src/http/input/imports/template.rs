//! The empty file an office fills in: each kind's headers, as CSV or as an XLSX workbook.
use super::columns;
use crate::service::imports::ImportKind;
use rust_xlsxwriter::{Format, Workbook};

/// The header row as CSV (with a byte order mark, so spreadsheet programs read it as UTF-8).
pub fn csv(kind: ImportKind) -> String {
    let headers: Vec<&str> = columns(kind).iter().map(|c| c.header).collect();
    format!("\u{FEFF}{}\r\n", headers.join(","))
}

/// The header row, bold, in a workbook's first sheet named after the kind.
pub fn xlsx(kind: ImportKind) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(kind.as_str())?;
    let bold = Format::new().set_bold();
    for (i, c) in columns(kind).iter().enumerate() {
        let col = u16::try_from(i)?;
        sheet.write_string_with_format(0, col, c.header, &bold)?;
        sheet.set_column_width(col, 22)?;
    }
    Ok(book.save_to_buffer()?)
}
