//! An uploaded spreadsheet, sniffed from its bytes (XLSX is a ZIP; CSV is UTF-8 text), read into
//! a header row and data rows of text cells, each with its line in the file.
use crate::domain::{ErrorCode, FieldError, Problems};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// The file's first row (the headers) and every row after it that is not blank.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// `(line, cells)`: line 1 is the header row; cells are trimmed text.
    pub rows: Vec<(u64, Vec<String>)>,
}

fn unreadable(message: impl Into<String>) -> Problems {
    Problems(vec![FieldError::at(
        "file",
        ErrorCode::UnreadableFile,
        message,
    )])
}

/// Reads a CSV (comma, semicolon or tab separated; a UTF-8 byte order mark is skipped) or an
/// XLSX workbook (its first sheet). Anything else is `file_type_not_allowed`.
pub fn read(bytes: &[u8]) -> Result<Table, Problems> {
    let table = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(text) {
            Ok(t) if !t.contains('\0') => read_csv(t)?,
            _ => {
                return Err(Problems(vec![FieldError::at(
                    "file",
                    ErrorCode::FileTypeNotAllowed,
                    "send a CSV file (UTF-8 text) or an Excel workbook (.xlsx)",
                )]));
            }
        }
    };
    if table.headers.iter().all(String::is_empty) {
        return Err(unreadable(
            "the file is empty: its first row must name the columns",
        ));
    }
    Ok(table)
}

fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

fn read_csv(text: &str) -> Result<Table, Problems> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i as u64 + 1, |p| p.line());
            unreadable(format!("line {line} cannot be read as CSV"))
        })?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        push(&mut table, line, cells);
    }
    Ok(table)
}

fn push(table: &mut Table, line: u64, cells: Vec<String>) {
    if table.headers.is_empty() && table.rows.is_empty() {
        table.headers = cells;
    } else if cells.iter().any(|c| !c.is_empty()) {
        table.rows.push((line, cells));
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, Problems> {
    let mut book = Xlsx::new(Cursor::new(bytes))
        .map_err(|_| unreadable("the file is not a readable Excel workbook (.xlsx)"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("the workbook has no sheet"))?
        .map_err(|_| unreadable("the workbook's first sheet cannot be read"))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut table = Table::default();
    for (i, row) in range.rows().enumerate() {
        let line = u64::from(first_row) + i as u64 + 1;
        push(&mut table, line, row.iter().map(cell_text).collect());
    }
    Ok(table)
}

/// A cell as the office would type it: dates as YYYY-MM-DD, whole numbers without ".0".
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| t.date().format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_with_a_bom_semicolons_and_blank_lines() {
        let t = read("\u{FEFF}First name;Email\nAda; ada@x.org \n\n;\nBo;bo@x.org\n".as_bytes())
            .expect("readable");
        assert_eq!(t.headers, ["First name", "Email"]);
        assert_eq!(
            t.rows,
            [
                (2, vec!["Ada".to_string(), "ada@x.org".to_string()]),
                (5, vec!["Bo".to_string(), "bo@x.org".to_string()])
            ]
        );
    }

    #[test]
    fn refuses_binary_and_empty_files() {
        let codes = |b: &[u8]| read(b).err().map(|p| p.0[0].code);
        assert_eq!(codes(b"MZ\x90\x00\0"), Some(ErrorCode::FileTypeNotAllowed));
        assert_eq!(codes(b""), Some(ErrorCode::UnreadableFile));
        assert_eq!(codes(b"PK\x03\x04junk"), Some(ErrorCode::UnreadableFile));
    }
}
