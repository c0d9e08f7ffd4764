//! A report as the page's table, as CSV and as XLSX: exactly the report's columns and rows,
//! for the pages and the API alike. CSV: UTF-8 with a byte-order mark (added by
//! `download_csv`), the column keys as its first line, formula-like text defused
//! (`view::csv_field`). XLSX: a sheet "Report" with the same header and rows — text is
//! always a text cell (a value starting with `=` stays text, never a formula), figures are
//! numbers — and a sheet "About" with the title, the period, how it counts and the total.
use crate::http::pages::view::csv_field;
use crate::service::reports::{Report, Value};

/// The table the page shows beside the chart: the column labels, and each row's figures as
/// a page shows them.
pub struct ShownTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn table(r: &Report) -> ShownTable {
    ShownTable {
        caption: format!("{}: {}", r.name.title(), r.filter.period_words()),
        headers: r.columns.iter().map(|c| c.label.clone()).collect(),
        rows: r
            .rows
            .iter()
            .map(|row| row.iter().map(Value::shown).collect())
            .collect(),
    }
}

/// The CSV body (without the byte-order mark; `download_csv` adds it).
pub fn csv(r: &Report) -> String {
    let line = |cells: Vec<String>| {
        let mut s = cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",");
        s.push_str("\r\n");
        s
    };
    let mut out = line(r.columns.iter().map(|c| c.key.clone()).collect());
    for row in &r.rows {
        out.push_str(&line(row.iter().map(Value::exported).collect()));
    }
    out
}

/// The XLSX file's bytes.
pub fn xlsx(r: &Report) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("Report")?;
    for (i, c) in r.columns.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(i)?, &c.key, &bold)?;
    }
    for (ri, row) in r.rows.iter().enumerate() {
        let ri = u32::try_from(ri + 1)?;
        for (ci, v) in row.iter().enumerate() {
            let ci = u16::try_from(ci)?;
            match v {
                Value::Int(n) => {
                    sheet.write_number(ri, ci, *n as f64)?;
                }
                Value::Num(Some(x)) => {
                    sheet.write_number(ri, ci, crate::service::reports::round2(*x))?;
                }
                Value::Num(None) => {}
                Value::Text(_) | Value::Date(_) => {
                    sheet.write_string(ri, ci, v.exported())?;
                }
            }
        }
    }
    let about = book.add_worksheet();
    about.set_name("About")?;
    let lines = [
        ("Report", r.name.title().to_string()),
        ("Period", r.filter.period_words()),
        (
            "Filters",
            crate::service::reports::query_string(&r.filter.query_pairs()),
        ),
        ("How it counts", r.counts.clone()),
        (&r.total.label, r.total.value.to_string()),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        let i = u32::try_from(i)?;
        about.write_string_with_format(i, 0, *k, &bold)?;
        about.write_string(i, 1, v)?;
    }
    Ok(book.save_to_buffer()?)
}

/// A download of the XLSX file.
pub fn download_xlsx(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::{http::header, response::IntoResponse};
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The file name of a report's download: `placed-2027.csv`, `capacity-2027-02-01-2027-06-30.xlsx`.
pub fn file_name(r: &Report, ext: &str) -> String {
    let period = match r.filter.year {
        Some(y) => y.to_string(),
        None => format!("{}-{}", r.filter.from, r.filter.to),
    };
    format!("{}-{period}.{ext}", r.name.slug())
}
